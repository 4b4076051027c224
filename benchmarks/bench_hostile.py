"""Peak memory and time of the hostile shapes whose pairs grow with the square of the
judgements per item (thousands of annotators on a few items), and of the hostile headers.

Each case is written by ``tests/hostile_files.py`` to a temporary file and run as
``python -m analysis report FILE`` (the command line's default 1000 resamples) in its own
child process, interpreter start included; the table gives wall time and the child's
peak resident memory (``ru_maxrss``). The child's address space is capped (``--cap-gb``,
default 4), so a regression ends in "needs more memory" instead of exhausting the machine.
With ``--dashboard`` the same files are also uploaded to the dashboard's Overview through
Streamlit's AppTest (one process per case, whole process peak).

Usage::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_hostile.py            # every case, once
    PYTHONPATH=. .venv/bin/python benchmarks/bench_hostile.py --repeats 3 --dashboard
    PYTHONPATH=. .venv/bin/python benchmarks/bench_hostile.py --case crowd_10000x2
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import hostile_files as hostile  # noqa: E402

BUDGET_MB = 1024
CASES: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "crowd_10000x2": ("crowd.csv", lambda: hostile.crowd_csv(10_000, 2),
                      "CSV, 10,000 annotators x 2 items"),
    "label_studio_40000": ("tasks.json", lambda: hostile.label_studio_crowd(40_000),
                           "Label Studio, 40,000 annotations (choices) on one task"),
    "label_studio_spans_40000": ("spans.json", lambda: hostile.label_studio_crowd(40_000, spans=True),
                                 "Label Studio, 40,000 span annotations on one task"),
    "doccano_20000": ("spans.jsonl", lambda: hostile.doccano_crowd(20_000),
                      "doccano JSONL, 20,000 span annotators of one text"),
    "span_workers_3000": ("workers.jsonl", lambda: hostile.annotator_spans_crowd(3_000),
                          "spans by annotator JSONL, 3,000 workers on 2 documents"),
    "conll_workers_2000": ("workers.conll", lambda: hostile.conll_workers(2_000),
                           "CoNLL, 2,000 worker columns, one 40-token sentence"),
    "conll_sentence_600000": ("sentence.conll", lambda: hostile.conll_long_sentence(600_000),
                              "CoNLL, one 600,000-token sentence, 2 annotators"),
    "quoted_header_400000": ("wide.csv", lambda: hostile.quoted_header_csv(400_000, rows=1),
                             "CSV, 400,000-column header behind a quoted line break (refused)"),
    "classic_mac_6000": ("mac.csv", lambda: hostile.classic_mac_csv(6_000),
                         "CSV with CR-only line ends, 6,000 rows"),
}

_DASHBOARD = """
import resource, sys, time
from streamlit.testing.v1 import AppTest
name, path = sys.argv[1], sys.argv[2]
started = time.monotonic()
at = AppTest.from_file(sys.argv[3], default_timeout=900).run()
at.radio(key="dataset_choice").set_value("upload").run()
at.file_uploader(key="upload").set_value((name, open(path, "rb").read(), "application/octet-stream")).run()
problems = [e.value for e in at.exception] + [e.value for e in at.error]
print(f"{time.monotonic() - started:.1f}\\t{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"
      f"\\t{' '.join(str(p) for p in problems)[:300]}")
"""


def _cap(gigabytes: float) -> Callable[[], None]:
    def apply() -> None:
        limit = int(gigabytes * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def run_cli(path: Path, cap_gb: float, timeout: float) -> tuple[float, float, str]:
    """(seconds, peak MB, outcome) of ``python -m analysis report PATH`` in a child (the
    only child of this process, so the children's peak is its own)."""
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "analysis", "report", str(path)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              preexec_fn=_cap(cap_gb), timeout=timeout,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    except subprocess.TimeoutExpired:
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return time.monotonic() - started, peak / 1024, f"stopped after {timeout:.0f} s"
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    outcome = "exit 0" if done.returncode == 0 else f"exit {done.returncode}: {' '.join(done.stderr.split())[:160]}"
    return seconds, peak / 1024, outcome


def _measured(args: list[str], cap_gb: float, timeout: float) -> tuple[float, float, str]:
    """Run this script's ``--child`` mode so each measurement has its own process tree."""
    done = subprocess.run([sys.executable, __file__, "--child", *args, "--cap-gb", str(cap_gb),
                           "--timeout", str(timeout)],
                          capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        return float("nan"), float("nan"), " ".join(done.stderr.split())[-200:]
    seconds, peak, outcome = done.stdout.strip().split("\t", 2)
    return float(seconds), float(peak), outcome


def run_dashboard(name: str, path: Path, cap_gb: float) -> tuple[float, float, str]:
    """(seconds, peak MB, problems) of an upload to the Overview, in a child."""
    done = subprocess.run(
        [sys.executable, "-c", _DASHBOARD, name, str(path), str(ROOT / "dashboard" / "app.py")],
        capture_output=True, text=True, cwd=ROOT, preexec_fn=_cap(cap_gb),
        env={**os.environ, "PYTHONPATH": str(ROOT), "DASHBOARD_STRICT_STRINGS": "1",
             "LABEL_AGREEMENT_WORKSPACE": str(path.parent / "workspace")})
    line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0 or "\t" not in line:
        return float("nan"), float("nan"), " ".join(done.stderr.split())[-200:]
    seconds, peak, problems = [*line.split("\t", 2), ""][:3]
    return float(seconds), float(peak), problems or "no error on the page"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", action="append", choices=list(CASES), help="run only these")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--cap-gb", type=float, default=4.0)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per command-line run")
    parser.add_argument("--dashboard", action="store_true", help="also the dashboard Overview")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, path = args.child
        seconds, peak, outcome = (run_cli(Path(path), args.cap_gb, args.timeout) if kind == "cli"
                                  else run_dashboard(Path(path).name, Path(path), args.cap_gb))
        print(f"{seconds:.2f}\t{peak:.0f}\t{outcome}")
        return 0
    chosen = args.case or list(CASES)
    print("| case | file | command line: wall s (best) | peak MB (max) | outcome |"
          + (" dashboard Overview: wall s | peak MB | page |" if args.dashboard else ""))
    print("|---|---|---|---|---|" + ("---|---|---|" if args.dashboard else ""))
    over = False
    with tempfile.TemporaryDirectory() as folder:
        for key in chosen:
            name, build, what = CASES[key]
            path = Path(folder) / name
            data = build()
            path.write_bytes(data)
            runs = [_measured(["cli", str(path)], args.cap_gb, args.timeout) for _ in range(args.repeats)]
            best = min(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            over |= not peak < BUDGET_MB
            row = f"| {what} | {len(data) / 1024:,.0f} KB | {best:.1f} | {peak:,.0f} | {runs[0][2]} |"
            if args.dashboard:
                seconds, dash_peak, page = _measured(["dashboard", str(path)], args.cap_gb, args.timeout)
                over |= not dash_peak < BUDGET_MB
                row += f" {seconds:.1f} | {dash_peak:,.0f} | {page} |"
            print(row, flush=True)
    print(f"\nbudget {BUDGET_MB} MB: {'OVER in at least one case' if over else 'every case within'}")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
