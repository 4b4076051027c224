"""Page times at crowd scale: the Annotators and Report pages with 800+ annotators.

Run: ``.venv/bin/python benchmarks/bench_pages.py [--runs 5] [--browser]``.
Target: each page within 1 s (median of the runs) once the report is computed.

The data is the real crowd shape of ``benchmarks/crowd_data.py`` (10,751 items, 819
workers drawn, 810 of whom label something, 5 judgements per item) with 12% of the workers
leaning toward one label, so the pages have flagged annotators to list, as a real crowd
export does (the public tweet set behind the shape had 110 flagged).

* Default: Streamlit's ``AppTest`` runs the app in this process: the file is uploaded,
  the Overview computes and caches the report (timed apart, ``DASHBOARD_BOOTSTRAP=1000``),
  then each page is opened ``--runs`` times and the script run is timed (what the server
  spends before the browser has the page).
* ``--browser``: ``streamlit run`` with Debian's headless Chromium (Playwright,
  ``executable_path=/usr/bin/chromium``); the clock runs from the click in the sidebar to
  the moment the page's last element is on screen and every chart on it has drawn.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from crowd_data import REAL_SHAPE, crowd_table  # noqa: E402
from dashboard_server import free_port, wait_healthy  # noqa: E402

from dashboard.i18n.en import STRINGS  # noqa: E402

TARGET_S = 1.0
PAGES = {"annotators": "Annotators", "report": "Report"}
# The last thing each page draws (English strings): the clock stops when it is on screen
# and every chart on the page has drawn.
LAST = {"annotators": "annotators.bias_help", "report": "report.annotators"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update"]


def write_data(folder: Path) -> Path:
    path = folder / "crowd_real_shape.csv"
    crowd_table(*REAL_SHAPE, biased_share=0.12).to_csv(path, index=False)
    return path


def apptest_times(path: Path, runs: int) -> tuple[float, dict[str, list[float]]]:
    """(seconds for the upload and the Overview's report, page -> seconds per run)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=600).run()
    at.radio(key="dataset_choice").set_value("upload").run()
    start = time.perf_counter()
    at.file_uploader(key="upload").set_value((path.name, path.read_bytes(), "text/csv")).run()
    report = time.perf_counter() - start
    times: dict[str, list[float]] = {page: [] for page in PAGES}
    for _ in range(runs):
        for page in PAGES:
            at.switch_page("app_pages/overview.py").run()
            start = time.perf_counter()
            at.switch_page(f"app_pages/{page}.py").run()
            times[page].append(time.perf_counter() - start)
            if at.exception or at.error:
                raise RuntimeError(f"the {page} page failed: {[e.value for e in (*at.exception, *at.error)]}")
    return report, times


def browser_times(path: Path, runs: int) -> tuple[float, dict[str, list[float]]]:
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=os.environ | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times: dict[str, list[float]] = {page: [] for page in PAGES}
    try:
        wait_healthy(url, timeout=60)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url)
            page.get_by_role("heading", name="Can we trust these labels?").wait_for(timeout=60_000)
            sidebar = page.locator('[data-testid="stSidebar"]')
            sidebar.get_by_text("Upload your export").click()
            start = time.perf_counter()
            sidebar.locator('input[type="file"]').first.set_input_files(str(path))
            page.get_by_role("heading", name="Look here next").wait_for(timeout=300_000)
            _settled(page)
            report = time.perf_counter() - start
            nav = page.locator('[data-testid="stSidebarNav"]')
            for _ in range(runs):
                for name, title in PAGES.items():
                    nav.get_by_text("Overview", exact=True).click()
                    _settled(page)
                    start = time.perf_counter()
                    nav.get_by_text(title, exact=True).click()
                    page.get_by_role("heading", name=title, exact=True).wait_for()
                    page.get_by_text(STRINGS[LAST[name]]).first.wait_for(timeout=120_000)
                    page.wait_for_function(
                        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
                        ".every(chart => chart.querySelector('.main-svg'))", timeout=120_000)
                    times[name].append(time.perf_counter() - start)
                    _settled(page)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    return report, times


def _settled(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=120_000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--browser", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DASHBOARD_BOOTSTRAP", "1000")
    with tempfile.TemporaryDirectory() as folder:
        path = write_data(Path(folder))
        report, times = (browser_times if args.browser else apptest_times)(path, args.runs)
    how = "Chromium, click to page drawn" if args.browser else "AppTest, script run"
    print(f"crowd real shape ({REAL_SHAPE[0]:,} items, {REAL_SHAPE[1]} workers drawn), {how}")
    print(f"upload + report (not a page switch): {report:.2f} s")
    print("| page | best | median | target |")
    print("|---|---|---|---|")
    for page, values in times.items():
        print(f"| {page} | {min(values):.2f} s | {statistics.median(values):.2f} s | <= {TARGET_S:.0f} s |")


if __name__ == "__main__":
    main()
