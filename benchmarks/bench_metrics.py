"""Timings of the agreement engine against its targets and reference packages.

Run: ``PYTHONPATH=. python benchmarks/bench_metrics.py [REPEATS]`` (prints a Markdown table;
the two rows with targets are run REPEATS times, default 5, and show the best and the
median, since a shared machine's load moves single timings a lot).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.reliability import ReliabilityData
from analysis.metrics import agreement_summary, pairwise_kappas, per_annotator_metrics
from analysis.metrics.multi_rater import VoteFeatures, krippendorff_alpha
from analysis.metrics.patterns import ItemPatterns


def synthetic_codes(n_items: int, n_annotators: int, n_labels: int, *, missing: float,
                    seed: int = 0) -> np.ndarray:
    """Items x annotators codes: 75% agree with a latent label, the rest uniform."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_labels, n_items)
    codes = np.where(rng.random((n_items, n_annotators)) < 0.75, truth[:, None],
                     rng.integers(0, n_labels, (n_items, n_annotators))).astype(np.int32)
    codes[rng.random(codes.shape) < missing] = -1
    return codes


def as_data(codes: np.ndarray, n_labels: int) -> ReliabilityData:
    return ReliabilityData(
        items=np.array([f"i{i}" for i in range(codes.shape[0])], dtype=object),
        annotators=np.array([f"a{j}" for j in range(codes.shape[1])], dtype=object),
        labels=tuple(f"L{k}" for k in range(n_labels)),
        codes=codes,
        values=np.arange(n_labels, dtype=float),
    )


def as_table(codes: np.ndarray) -> pd.DataFrame:
    rows, cols = np.nonzero(codes >= 0)
    return pd.DataFrame({"item_id": np.char.add("i", rows.astype(str)),
                         "annotator": np.char.add("a", cols.astype(str)),
                         "label": np.char.add("L", codes[rows, cols].astype(str))})


def timings(fn: Callable[[], object], repeat: int) -> list[float]:
    result = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        result.append(time.perf_counter() - start)
    return result


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    return min(timings(fn, repeat))


def spread(values: list[float]) -> str:
    return f"best {min(values):.2f} s, median {statistics.median(values):.2f} s of {len(values)}"


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    rows: list[tuple[str, float, str, str]] = []

    codes = synthetic_codes(100_000, 5, 7, missing=0.1)
    data = as_data(codes, 7)

    def full_report() -> None:
        summary = agreement_summary(data, bootstrap_resamples=1000, seed=0)
        per_annotator_metrics(data, bootstrap_resamples=1000, seed=0,
                              alpha_all=summary.overall["krippendorff_alpha"].value)
        pairwise_kappas(data)

    report_times = timings(full_report, repeats)
    rows.append(("full report, 100k items x 5 annotators x 7 labels, 10% missing, "
                 "1000 resamples (200 per annotator)", min(report_times), "<= 3 s",
                 spread(report_times)))
    rows.append(("  of which overall + per label with 1000 resamples",
                 timed(lambda: agreement_summary(data, bootstrap_resamples=1000)), "", ""))

    big = as_data(synthetic_codes(1_000_000, 3, 7, missing=0.0, seed=1), 7)
    rows.append(("overall numbers, 1M items x 3 annotators, no intervals",
                 timed(lambda: agreement_summary(big, bootstrap_resamples=0)), "<= 2 s", ""))
    rows.append(("overall numbers, 1M items x 3 annotators, 1000 resamples",
                 timed(lambda: agreement_summary(big, bootstrap_resamples=1000)), "", ""))

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.csv"
        as_table(big.codes).to_csv(path, index=False)
        try:
            from analysis.io import load_annotations
        except ImportError:
            rows.append(("load 3M-row CSV (analysis.io.load_annotations)", float("nan"),
                         "<= 5 s", "loader not available"))
        else:
            loaded = timings(lambda: load_annotations(path), repeats)
            raw = timed(lambda: pd.read_csv(path, dtype="string", engine="pyarrow"))
            rows.append(("load 3M-row CSV (analysis.io.load_annotations)", min(loaded), "<= 5 s",
                         f"{spread(loaded)}; pandas.read_csv alone {raw:.2f} s"))
            table = pd.read_csv(path, dtype="string", engine="pyarrow")
            rows.append(("  ReliabilityData.from_table on the 3M rows",
                         timed(lambda: ReliabilityData.from_table(table)), "", ""))

    import krippendorff

    matrix = codes.T.astype(float)
    matrix[matrix < 0] = np.nan

    def ours() -> float:
        patterns = ItemPatterns.from_counts(data.counts())
        features = VoteFeatures.from_counts(patterns.counts, level="nominal")
        return float(krippendorff_alpha(features.sums(patterns.frequency.astype(float))))

    ours_s = timed(ours, repeat=3)
    theirs_s = timed(lambda: krippendorff.alpha(reliability_data=matrix,
                                                level_of_measurement="nominal"), repeat=3)
    assert abs(ours() - krippendorff.alpha(reliability_data=matrix,
                                           level_of_measurement="nominal")) < 1e-9
    rows.append(("nominal alpha, 100k x 5 (project)", ours_s, ">= 5x faster",
                 f"{theirs_s / ours_s:.1f}x faster than krippendorff.alpha ({theirs_s:.3f} s)"))

    from sklearn.metrics import cohen_kappa_score
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    two = as_data(big.codes[:, :2].copy(), 7)
    ours_k = timed(lambda: agreement_summary(two, bootstrap_resamples=0), repeat=3)
    sk = timed(lambda: cohen_kappa_score(two.codes[:, 0], two.codes[:, 1]), repeat=3)
    rows.append(("all overall numbers, 1M items x 2 annotators (project)", ours_k, "",
                 f"sklearn cohen_kappa_score alone {sk:.3f} s ({sk / ours_k:.1f}x)"))
    sm_s = timed(lambda: fleiss_kappa(aggregate_raters(big.codes)[0]), repeat=3)
    rows.append(("statsmodels aggregate_raters + fleiss_kappa, 1M x 3", sm_s, "", ""))

    print("| operation | seconds (best) | target | comparison |")
    print("|---|---|---|---|")
    for name, seconds, target, note in rows:
        print(f"| {name} | {seconds:.3f} | {target} | {note} |")


if __name__ == "__main__":
    main()
