"""Data frames of agreement results, ready for the dashboard and for export.

Each function computes through the metric modules; the dashboard only displays.
"""

from __future__ import annotations

import pandas as pd

from analysis.data.dataset import AnnotationDataset, reliability_of
from analysis.data.levels import Level
from analysis.data.reliability import ReliabilityData
from analysis.metrics.multi_rater import coincidence_counts
from analysis.metrics.overall import agreement_summary
from analysis.metrics.pairwise import pairwise_table
from analysis.metrics.per_annotator import per_annotator_metrics
from analysis.metrics.result import Metric


def pairwise_kappa_matrix(
    data: AnnotationDataset | ReliabilityData, *, level: Level = "nominal"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cohen's kappa and overlap for every pair of annotators.

    Returns
    -------
    kappa : DataFrame, annotators x annotators
        Symmetric; NaN on the diagonal and where a pair's kappa is undefined.
    overlap : DataFrame of int, annotators x annotators
        Items both labelled; the diagonal holds each annotator's item count.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aabbcc"), "annotator": list("xyxyxy"),
    ...                       "label": list("ppnnpn")})
    >>> kappa, overlap = pairwise_kappa_matrix(ReliabilityData.from_table(table))
    >>> float(kappa.loc["x", "y"]), int(overlap.loc["y", "x"])
    (0.4, 3)
    """
    data = reliability_of(data, function="pairwise_kappa_matrix")
    return pairwise_table(data, level=level).matrices(
        [str(a) for a in data.annotators], overlap_diagonal=data.judgements_per_annotator())


def coincidence_matrix(data: AnnotationDataset | ReliabilityData) -> pd.DataFrame:
    """Krippendorff's label coincidence matrix, labels x labels.

    Each pairable item adds its ordered pairs of judgements, weighted ``1 / (m_u - 1)``,
    so the row sums are the pairable judgements per label. Off-diagonal mass shows
    which labels annotators confuse.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aabb"), "annotator": list("xyxy"),
    ...                       "label": list("ppnp")})
    >>> coincidence_matrix(ReliabilityData.from_table(table)).to_dict()
    {'n': {'n': 0.0, 'p': 1.0}, 'p': {'n': 1.0, 'p': 2.0}}
    """
    data = reliability_of(data, function="coincidence_matrix")
    labels = list(data.labels)
    return pd.DataFrame(coincidence_counts(data.counts()), index=labels, columns=labels)


def _metric_columns(name: str, metric: Metric) -> dict[str, object]:
    return {name: metric.value, f"{name}_ci_low": metric.ci_low,
            f"{name}_ci_high": metric.ci_high}


def per_class_table(
    data: ReliabilityData, *, level: Level = "nominal", bootstrap: int = 1000, seed: int = 0
) -> pd.DataFrame:
    """Per-label agreement: one row per label.

    Columns: ``judgements`` (int), ``share``, and for each of ``fleiss_kappa``,
    ``krippendorff_alpha`` (one-vs-rest) and ``specific_agreement`` the value with
    ``_ci_low`` / ``_ci_high``.
    """
    summary = agreement_summary(data, level=level, bootstrap_resamples=bootstrap, seed=seed)
    totals = data.counts().sum(axis=0)
    rows = []
    for index, label in enumerate(data.labels):
        row: dict[str, object] = {"label": label, "judgements": int(totals[index]),
                                  "share": float(totals[index] / max(totals.sum(), 1))}
        for name, metric in summary.per_class[label].items():
            row.update(_metric_columns(name, metric))
        rows.append(row)
    return pd.DataFrame(rows).set_index("label").astype(
        {c: float for c in rows[0] if c not in ("label", "judgements")} if rows else {}
    )


def per_annotator_table(
    data: ReliabilityData, *, level: Level = "nominal", bootstrap: int = 1000, seed: int = 0
) -> pd.DataFrame:
    """Per-annotator agreement: one row per annotator (values and intervals)."""
    alpha = agreement_summary(data, level=level, bootstrap_resamples=0).overall[
        "krippendorff_alpha"
    ].value
    entries = per_annotator_metrics(data, level=level, bootstrap_resamples=bootstrap,
                                    seed=seed, alpha_all=alpha)
    rows = []
    for name, entry in entries.items():
        row: dict[str, object] = {"annotator": name}
        for key, value in entry.items():
            if isinstance(value, Metric):
                row.update(_metric_columns(key, value))
            else:
                row[key] = value
        rows.append(row)
    return pd.DataFrame(rows).set_index("annotator") if rows else pd.DataFrame()
