"""Pull time of a live Label Studio project: 1,000 tasks x 3 annotators from a real server.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_label_studio_pull.py [REPEATS]``
(Markdown table; REPEATS default 3). Starts Label Studio 1.23 on 127.0.0.1 with a fresh
SQLite data folder (``scripts/label_studio_server.sh``; first run installs it, about 2
minutes), signs up 3 annotators, imports 1,000 single-choice tasks with one annotation by
each (3,000 annotations, ``completed_by`` the annotators), then times:

* :func:`analysis.labelstudio.pull_project` at several page sizes (version check, project,
  every page of tasks; with a personal access token, so the refresh is included);
* the same project's JSON export through the API (``/api/projects/ID/export``), the one
  request a user would otherwise make, for comparison;
* ``python -m analysis report ls://...`` against ``report export.json`` (interpreter start
  and a 1000-resample report included in both).

Best and median of REPEATS runs. Target: a pull of 1,000 x 3 within 10 s on 2 cores.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from label_studio_server import start

from analysis.labelstudio import parse_address, pull_project
from analysis.labelstudio.token import Token

ROOT = Path(__file__).resolve().parents[1]
TASKS, ANNOTATORS = 1000, 3
LABELS = ("billing", "refund", "shipping", "other")
CONFIG = ('<View><Text name="text" value="$text"/><Choices name="intent" toName="text">'
          + "".join(f'<Choice value="{label}"/>' for label in LABELS) + "</Choices></View>")
PAGE_SIZES = (100, 500, 1000)
TARGET_S = 10.0


def _timed(repeats: int, run) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def main(repeats: int) -> None:
    """Build the project, time the pulls, print the table."""
    with tempfile.TemporaryDirectory() as folder:
        server = start(Path(folder) / "label-studio")
        try:
            users = [server.sign_up(f"bench{k}@example.org") for k in range(ANNOTATORS)]
            project = server.create_project("Pull benchmark", CONFIG)
            server.import_tasks(project, [
                {"data": {"item_id": f"t-{i:04d}", "text": f"support ticket number {i}"},
                 "annotations": [{"completed_by": user.id, "result": [
                     {"from_name": "intent", "to_name": "text", "type": "choices",
                      "value": {"choices": [LABELS[(i + k * (i % 3 == 0)) % len(LABELS)]]}}]}
                     for k, user in enumerate(users)]}
                for i in range(TASKS)])
            address = parse_address(f"ls://{server.url.split('://')[1]}/projects/{project}")
            token = Token(users[0].personal_token)
            rows = []
            for size in PAGE_SIZES:
                pulled = pull_project(address, token=token, page_size=size)
                assert (pulled.tasks, pulled.annotations) == (TASKS, TASKS * ANNOTATORS)
                best, median = _timed(repeats, lambda size=size: pull_project(
                    address, token=token, page_size=size))
                rows.append((f"pull_project, page size {size}"
                             + (" (default)" if size == 500 else ""), best, median))
            export = Path(folder) / "export.json"
            best, median = _timed(repeats, lambda: export.write_bytes(server.export(project)))
            rows.append(("JSON export through the API (one request)", best, median))
            env = os.environ | {"LABEL_STUDIO_API_KEY": token.value, "PYTHONPATH": str(ROOT)}
            for name, source in (("report ls://... (CLI, pull + report)", address.name),
                                 ("report export.json (CLI, file + report)", str(export))):
                best, median = _timed(repeats, lambda source=source: subprocess.run(
                    [sys.executable, "-m", "analysis", "report", source, "--output",
                     os.devnull], cwd=ROOT, env=env, check=True, capture_output=True))
                rows.append((name, best, median))
        finally:
            server.stop()
    print(f"{TASKS:,} tasks x {ANNOTATORS} annotators ({TASKS * ANNOTATORS:,} annotations), "
          f"Label Studio 1.23.2 on SQLite, 127.0.0.1; {repeats} runs each\n")
    print("| what | best (s) | median (s) |\n|---|---|---|")
    for name, best, median in rows:
        print(f"| {name} | {best:.2f} | {median:.2f} |")
    default = next(best for name, best, _ in rows if "(default)" in name)
    print(f"\npull at the default page size: {default:.2f} s (target <= {TARGET_S:.0f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
