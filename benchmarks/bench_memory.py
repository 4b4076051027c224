"""Peak memory (RSS) of the dashboard from start to clusters and to a 50,000-judgement upload.

Starts ``streamlit run dashboard/app.py`` with a chosen Python (the project's ``.venv`` by
default, or a virtual environment built from ``dashboard/requirements.txt`` to measure the
demo deploy set), drives it in Debian's Chromium through Playwright (headless, never a
downloaded browser), and samples the resident memory of the server's whole process tree
from ``/proc`` five times a second. The steps, one browser session on one server, as a
visitor of a shared demo would go:

1. start, Overview of the Korean sample;
2. Ambiguity clusters on the Korean sample with the chosen backend;
3. the English sample, Ambiguity clusters with the chosen backend;
4. upload of a 50,000-judgement CSV (10,000 items x 5 annotators, texts), to its Overview.

The embedding cache starts empty (every text is embedded, the model is loaded) and the
intervals use 1000 bootstrap resamples, the dashboard's default. The run fails (exit 1)
when the peak passes the budget (``--budget-mb``, default 1000 MB, the demo's budget).

Usage::

    .venv/bin/python benchmarks/bench_memory.py                        # transformer backend
    .venv/bin/python benchmarks/bench_memory.py --python /tmp/demo/bin/python   # demo set
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from dashboard_server import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from dashboard.i18n import en  # noqa: E402

S = en.STRINGS
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
STEP_TIMEOUT_MS = 600_000


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MB (10^6 bytes)."""
    tree, todo, pages = _children(), [pid], 0
    while todo:
        current = todo.pop()
        try:
            pages += int(Path(f"/proc/{current}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        todo.extend(tree.get(current, ()))
    return pages * PAGE_SIZE / 1e6


class Sampler(threading.Thread):
    """Samples the tree's RSS every ``interval`` seconds and keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = self.current = 0.0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.current = tree_rss_mb(self.pid)
            self.peak = max(self.peak, self.current)
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


@dataclass
class Milestone:
    step: str
    seconds: float
    rss_mb: float
    peak_mb: float


@contextmanager
def dashboard(python: str, scratch: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    env = os.environ | {
        "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "DASHBOARD_SEED": "0",
        "LABEL_AGREEMENT_WORKSPACE": str(scratch / "workspace"),
        "LABEL_AGREEMENT_CACHE": str(scratch / "embedding-cache"),
    }  # fmt: skip
    env.pop("DASHBOARD_BOOTSTRAP", None)  # the default, 1000 resamples
    process = subprocess.Popen(
        [python, "-m", "streamlit", "run", "dashboard/app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, timeout=120, poll=0.2)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def upload_csv(path: Path, *, items: int = 10_000, annotators: int = 5, seed: int = 0) -> Path:
    """A long CSV with ``items * annotators`` judgements (7 labels, 80% accurate annotators)."""
    rng = np.random.default_rng(seed)
    labels = np.array(["billing", "shipping", "returns", "account", "technical", "product", "other"])
    gold = rng.integers(len(labels), size=items)
    judged = np.where(rng.random((items, annotators)) < 0.8, gold[:, None], rng.integers(len(labels), size=(items, annotators)))
    item_ids = np.repeat([f"item-{i:05d}" for i in range(items)], annotators)
    texts = np.repeat([f"customer message {i} about {labels[g]} and order {i * 7 % 1000}" for i, g in enumerate(gold)], annotators)
    frame = pd.DataFrame({
        "item_id": item_ids,
        "annotator": np.tile([f"annotator_{a}" for a in range(annotators)], items),
        "label": labels[judged.ravel()],
        "text": texts,
    })  # fmt: skip
    frame.to_csv(path, index=False)
    return path


def _settled(page: object) -> None:
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=STEP_TIMEOUT_MS
    )
    page.wait_for_timeout(500)  # type: ignore[attr-defined]


def _no_errors(page: object, step: str) -> None:
    for testid in ("stException", "stAlertContentError"):
        if page.locator(f'[data-testid="{testid}"]').count():  # type: ignore[attr-defined]
            raise RuntimeError(f"{step}: the page shows an error")


def _clusters(page: object, backend: str) -> None:
    nav = page.locator('[data-testid="stSidebarNav"]')  # type: ignore[attr-defined]
    nav.get_by_text(S["nav.clusters"], exact=True).click()
    page.get_by_role("button", name=S["clusters.run"]).wait_for(timeout=STEP_TIMEOUT_MS)  # type: ignore[attr-defined]
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=S["clusters.backend"])  # type: ignore[attr-defined]
    wanted = S[f"clusters.backend.{backend}"]
    if wanted not in box.inner_text():
        box.click()
        page.get_by_role("option", name=wanted).click()  # type: ignore[attr-defined]
        _settled(page)
    # A new dataset shows "press Find clusters" until it runs; its going away marks this run's
    # result (a chart left over from the previous dataset must not end the wait early).
    waiting = page.get_by_text(S["clusters.press_run"].split("*")[0].strip())  # type: ignore[attr-defined]
    waiting.wait_for(timeout=STEP_TIMEOUT_MS)
    page.get_by_role("button", name=S["clusters.run"]).click()  # type: ignore[attr-defined]
    waiting.wait_for(state="detached", timeout=STEP_TIMEOUT_MS)
    page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=STEP_TIMEOUT_MS)  # type: ignore[attr-defined]
    _settled(page)


def _choose_sample(page: object, label: str, file_name: str) -> None:
    """Pick a bundled sample in the sidebar; click again if a rerun swallowed the click."""
    sidebar = page.locator('[data-testid="stSidebar"]')  # type: ignore[attr-defined]
    opened = sidebar.get_by_text(S["sidebar.open"].split(":")[0] + ": " + file_name)
    for _ in range(5):
        _settled(page)
        sidebar.get_by_text(label, exact=True).click()
        try:
            opened.wait_for(timeout=20_000)
        except Exception:  # Playwright's timeout: try the click again
            continue
        _settled(page)
        return
    raise RuntimeError(f"the sidebar did not open {file_name}")


def run(python: str, backend: str, shots: Path | None = None) -> tuple[list[Milestone], float]:
    from playwright.sync_api import sync_playwright

    milestones: list[Milestone] = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        scratch = Path(folder)
        csv = upload_csv(scratch / "upload_50k.csv")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        started = time.monotonic()
        with dashboard(python, scratch) as (url, server):
            sampler = Sampler(server.pid)
            sampler.start()

            def mark(step: str) -> None:
                now = tree_rss_mb(server.pid)
                sampler.peak = max(sampler.peak, now)
                milestones.append(Milestone(step, round(time.monotonic() - started, 1), round(now), round(sampler.peak)))
                print(f"{milestones[-1].seconds:7.1f} s  {step:<44} RSS {now:6.0f} MB  peak {sampler.peak:6.0f} MB", flush=True)
                if shots is not None:
                    page.screenshot(path=str(shots / f"bench_memory_{len(milestones)}.png"))

            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            mark("server started (health check answers)")
            try:
                page.goto(url)
                page.locator('[data-testid="stMetric"]').first.wait_for(timeout=STEP_TIMEOUT_MS)
                _settled(page)
                _no_errors(page, "overview")
                mark("Korean sample: Overview")
                _clusters(page, backend)
                _no_errors(page, "clusters")
                mark(f"Korean sample: clusters ({backend})")
                sidebar = page.locator('[data-testid="stSidebar"]')
                _choose_sample(page, S["sidebar.sample_en"], "en_support_intents.csv")
                _clusters(page, backend)
                _no_errors(page, "clusters")
                mark(f"English sample: clusters ({backend})")
                nav = page.locator('[data-testid="stSidebarNav"]')
                nav.get_by_text(S["nav.overview"], exact=True).click()
                _settled(page)
                sidebar.get_by_text(S["sidebar.upload"], exact=True).click()
                page.locator('[data-testid="stFileUploaderDropzone"]').wait_for(timeout=STEP_TIMEOUT_MS)
                _settled(page)
                page.locator('input[type="file"]').set_input_files(str(csv))
                page.get_by_text(S["sidebar.open"].split(":")[0] + ": upload_50k.csv").wait_for(timeout=STEP_TIMEOUT_MS)
                # the upload's own numbers, not the previous dataset's cards still on screen
                page.locator('[data-testid="stMetric"]').filter(has_text="50,000").wait_for(timeout=STEP_TIMEOUT_MS)
                page.locator('[data-testid="stMetric"]').filter(has_text=S["metric.krippendorff_alpha"]).wait_for(timeout=STEP_TIMEOUT_MS)
                _settled(page)
                _no_errors(page, "upload")
                mark("50,000-judgement upload: Overview")
            except Exception:
                if shots is not None:
                    page.screenshot(path=str(shots / "bench_memory_failure.png"))
                raise
            finally:
                sampler.stop()
                browser.close()
    return milestones, sampler.peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable, help="the Python that runs the dashboard")
    parser.add_argument("--backend", choices=["auto", "transformer", "char-ngram"], default="auto",
                        help="text backend for the clusters (auto: transformer where torch is installed)")
    parser.add_argument("--budget-mb", type=float, default=1000.0, help="fail when the peak RSS passes this")
    parser.add_argument("--json", type=Path, help="also write the milestones here")
    parser.add_argument("--shots", type=Path, help="save a screenshot of each step (and of a failure) here")
    args = parser.parse_args()
    backend = args.backend
    if backend == "auto":
        probe = "import importlib.util as u; print(all(u.find_spec(m) for m in ('torch', 'transformers')))"
        has_torch = subprocess.run([args.python, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
        backend = "transformer" if has_torch == "True" else "char-ngram"
    print(f"dashboard Python: {args.python}; backend: {backend}; budget: {args.budget_mb:.0f} MB")
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    milestones, peak = run(args.python, backend, args.shots)
    verdict = "within" if peak <= args.budget_mb else "OVER"
    print(f"peak RSS {peak:.0f} MB: {verdict} the {args.budget_mb:.0f} MB budget")
    if args.json:
        args.json.write_text(json.dumps({"python": args.python, "backend": backend, "peak_mb": round(peak),
                                         "budget_mb": args.budget_mb, "steps": [asdict(m) for m in milestones]}, indent=2))
    return 0 if peak <= args.budget_mb else 1


if __name__ == "__main__":
    raise SystemExit(main())
