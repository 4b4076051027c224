"""Crowd-shaped data beside dense data: full report time and peak memory.

Run: ``PYTHONPATH=. python benchmarks/bench_crowd.py [REPEATS] [--big | --big-only]``
(Markdown table).
Each case runs in its own Python process (so peak memory is that case's alone) REPEATS
times (default 3); the table shows the best and the median wall time, the CPU time of
the best run, and the largest peak resident memory (``ru_maxrss``, interpreter and
pandas included). ``--big`` adds loader + report on 10M judgements from Parquet.

Shapes (synthetic; see ``benchmarks/crowd_data.py``):

* crowd, real shape: 10,751 items x 819 workers x 5 judgements, Zipf-like activity;
  the command line on a CSV of it, interpreter start included (target <= 5 s);
* crowd: 10,000 items x 800 workers x 5, full report with 1000 resamples
  (target <= 1.5 s, <= 500 MB);
* crowd, large: 1,000,000 judgements over 20,000 workers (target <= 15 s, <= 2 GB);
* dense: 100,000 items x 5 annotators x 7 labels, 10% missing (the earlier benchmark);
* big (``--big``): 2,000,000 items x 5 of 500 annotators = 10M judgements, loaded from
  Parquet (target: within 16 GB). With 20,000 workers the same judgements make millions
  of pairs that share an item, and the ``pairwise`` list itself becomes the bound (see
  ``docs/performance.md``).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = {
    "crowd_10k_800": "full report, crowd 10,000 items x 800 workers x 5, 1000 resamples",
    "crowd_1m_20k": "full report, crowd 1M judgements (200,000 items x 5) over 20,000 workers, "
                    "1000 resamples",
    "dense_100k_5": "full report, dense 100,000 items x 5 annotators x 7 labels, 1000 resamples",
    "big_10m_parquet": "load Parquet + full report, 10M judgements (2M items x 5) over 500 "
                       "annotators, 1000 resamples",
}
TARGETS = {"crowd_10k_800": "<= 1.5 s, <= 500 MB", "crowd_1m_20k": "<= 15 s, <= 2 GB",
           "dense_100k_5": "", "big_10m_parquet": "<= 16 GB", "cli_real_shape": "<= 5 s"}


def _table(case: str):
    import numpy as np
    import pandas as pd

    sys.path.insert(0, str(Path(__file__).parent))
    from crowd_data import crowd_table

    if case == "crowd_10k_800":
        return crowd_table(10_000, 800, 5)
    if case in ("crowd_1m_20k",):
        return crowd_table(200_000, 20_000, 5)
    if case == "big_10m_parquet":
        return crowd_table(2_000_000, 500, 5)
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 7, 100_000)
    codes = np.where(rng.random((100_000, 5)) < 0.75, truth[:, None], rng.integers(0, 7, (100_000, 5)))
    rows, cols = np.nonzero(rng.random(codes.shape) >= 0.1)
    return pd.DataFrame({"item_id": np.char.add("i", rows.astype(str)),
                         "annotator": np.char.add("a", cols.astype(str)),
                         "label": np.char.add("L", codes[rows, cols].astype(str))})


def run_case(case: str) -> None:
    """Child process: build the data, time the report, print one JSON line."""
    import resource

    from analysis.report import build_report

    table = _table(case)
    if case == "big_10m_parquet":
        from analysis.io import load_annotations

        # a file this size is above the default input limits on purpose (docs/limits.md):
        # raise them as a user loading 10M judgements would
        os.environ.setdefault("LABEL_AGREEMENT_MAX_CELLS", "100000000")
        os.environ.setdefault("LABEL_AGREEMENT_MAX_UNPACKED_BYTES", str(4 << 30))
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "big.parquet"
            table.to_parquet(path, index=False)
            del table
            start, cpu = time.perf_counter(), time.process_time()
            loaded = load_annotations(path)
            build_report(loaded.table, bootstrap=1000, seed=0)
    else:
        start, cpu = time.perf_counter(), time.process_time()
        build_report(table, bootstrap=1000, seed=0)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"wall": wall, "cpu": cpu, "peak_mb": peak_mb}))


def _child(args: list[str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _cli(path: Path) -> dict[str, float]:
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "analysis", "report", str(path), "--format", "json"],
                   check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall": wall, "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "peak_mb": after.ru_maxrss / 1024}


def _row(name: str, runs: list[dict[str, float]], target: str) -> str:
    walls = [r["wall"] for r in runs]
    best = min(runs, key=lambda r: r["wall"])
    return (f"| {name} | {min(walls):.2f} / {statistics.median(walls):.2f} s | {best['cpu']:.2f} s | "
            f"{max(r['peak_mb'] for r in runs):.0f} MB | {target} |")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--case":
        run_case(sys.argv[2])
        return
    repeats = next((int(a) for a in sys.argv[1:] if a.isdigit()), 3)
    cases = ["crowd_10k_800", "crowd_1m_20k", "dense_100k_5"]
    if "--big" in sys.argv:
        cases.append("big_10m_parquet")
    print("| operation | wall best / median | CPU (best run) | peak RSS | target |")
    print("|---|---|---|---|---|")
    if "--big-only" in sys.argv:
        print(_row(CASES["big_10m_parquet"], [_child(["--case", "big_10m_parquet"])],
                   TARGETS["big_10m_parquet"]), flush=True)
        return
    sys.path.insert(0, str(Path(__file__).parent))
    from crowd_data import crowd_table

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "crowd_real_shape.csv"
        crowd_table().to_csv(path, index=False)
        runs = [_cli(path) for _ in range(repeats)]
        print(_row("`python -m analysis report FILE --format json`, real crowd shape "
                   "(10,751 items, 819 workers, 53,755 judgements), interpreter start included",
                   runs, TARGETS["cli_real_shape"]), flush=True)
    for case in cases:
        runs = [_child(["--case", case]) for _ in range(1 if case == "big_10m_parquet" else repeats)]
        print(_row(CASES[case], runs, TARGETS[case]), flush=True)


if __name__ == "__main__":
    main()
