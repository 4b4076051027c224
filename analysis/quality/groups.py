"""Agreement by annotator group (e.g. expert vs crowd) and by round (batch).

Rounds
------
Rows are split by the ``batch`` column; rounds are ordered by their earliest timestamp
when the table has timestamps, else by first appearance in the table. Each round's
Krippendorff alpha (at the report's level of measurement) gets a 95% percentile bootstrap interval over its pairable
items (:func:`analysis.metrics.alpha.alpha_with_interval`; none for fewer than 10 items).
The change from one round to the next is ``alpha(round) - alpha(previous)``; its
interval comes from a stratified, paired-by-design bootstrap: replicate ``b`` of the
change is replicate ``b`` of the round minus replicate ``b`` of the previous round,
where each round's items are resampled within that round (the rounds' own sample sizes
are kept, and a round's replicates are the same in both changes it takes part in). An
item annotated again in a later round is resampled independently in each round, which
makes the interval slightly conservative.

Groups
------
Each annotator belongs to the group most of their rows name. *Within* a group: alpha
over that group's judgements only. *Between* two groups: each group's majority label
per item (ties count as no label, see :mod:`analysis.data.votes`) is treated as one coder,
and alpha is computed between the two group consensuses on items both groups labelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from analysis.base.params import RESAMPLES, SEED, validate_params
from analysis.data.dataset import AnnotationDataset, as_dataset, level_of
from analysis.data.levels import Level
from analysis.data.note_columns import keep_note_columns
from analysis.data.schema import BATCH, GROUP, TIMESTAMP, has_values
from analysis.data.votes import NO_CONSENSUS, majority_vote
from analysis.messages import join, note
from analysis.metrics.alpha import alpha_with_interval
from analysis.metrics.intervals import percentile_interval
from analysis.metrics.result import Metric
from analysis.quality.fatigue import annotator_sequences

METRIC_COLUMNS = ("alpha", "ci_low", "ci_high", "n", "note")


def metric_from_row(row: pd.Series) -> Metric:
    """Rebuild the :class:`~analysis.metrics.result.Metric` held in a row's metric columns."""
    note = row["note"] if isinstance(row["note"], str) else None
    return Metric(row["alpha"], row["ci_low"], row["ci_high"], n=int(row["n"]), note=note)


def _metric_columns(metric: Metric) -> dict[str, object]:
    return {
        "alpha": np.nan if metric.value is None else metric.value,
        "ci_low": np.nan if metric.ci_low is None else metric.ci_low,
        "ci_high": np.nan if metric.ci_high is None else metric.ci_high,
        "n": metric.n,
        "note": metric.note,
    }


def _judgements(dataset: AnnotationDataset) -> pd.DataFrame:
    """Per table row: item index, annotator index and label code, in table order."""
    data = dataset.reliability
    frame = annotator_sequences(dataset).sort_values("row")
    keys = data.item_index * max(data.n_annotators, 1) + data.annotator_index
    wanted = (frame["item_index"].to_numpy() * max(data.n_annotators, 1)
              + frame["annotator_index"].to_numpy())
    frame["label"] = data.label_code[np.searchsorted(keys, wanted)] if keys.size else np.empty(0, int)
    return frame.reset_index(drop=True)


def _counts(frame: pd.DataFrame, *, n_items: int, n_labels: int) -> np.ndarray:
    flat = frame["item_index"].to_numpy() * n_labels + frame["label"].to_numpy()
    return np.bincount(flat, minlength=n_items * n_labels).reshape(n_items, n_labels)


@validate_params({"bootstrap": RESAMPLES, "seed": SEED})
def round_agreement(
    dataset: AnnotationDataset | pd.DataFrame, *, bootstrap: int = 1000, seed: int = 0,
    level: Level | None = None,
) -> pd.DataFrame:
    """Alpha per round (``batch``) and its change from the previous round.

    Parameters
    ----------
    dataset : AnnotationDataset or DataFrame
        The dataset (a canonical table is converted once).
    bootstrap : int, default 1000
        Bootstrap replicates per round.
    seed : int, default 0
        Seed of the resampling.
    level : {"nominal", "ordinal", "interval", "ratio"}, optional
        Level of measurement of alpha; default: the dataset's level (the report's).

    Returns
    -------
    DataFrame
        One row per round, in order: ``batch``, ``items``, ``alpha``, ``ci_low``,
        ``ci_high``, ``n`` (pairable items), ``note``, and ``change``,
        ``change_ci_low``, ``change_ci_high``, ``change_note`` (NaN for the first
        round). Empty when the table has no batch values.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aabbccdd"), "annotator": list("xy") * 4,
    ...                       "label": list("ppnnpnnp"), "batch": ["r1"] * 4 + ["r2"] * 4})
    >>> rounds = round_agreement(AnnotationDataset.from_table(table), bootstrap=0)
    >>> rounds[["batch", "items", "alpha"]].round(2).values.tolist()
    [['r1', 2, 1.0], ['r2', 2, -0.5]]
    """
    columns = ["batch", "items", *METRIC_COLUMNS, "change", "change_ci_low", "change_ci_high", "change_note"]
    dataset = as_dataset(dataset, function="round_agreement")
    level = level_of(dataset, level)
    table, data = dataset.table, dataset.reliability
    if not has_values(table, BATCH):
        return pd.DataFrame(columns=columns)
    frame = _judgements(dataset)
    frame["batch"] = table[BATCH].astype("string").to_numpy()
    frame = frame[frame["batch"].notna()]
    if has_values(table, TIMESTAMP):
        frame["time"] = pd.to_datetime(table[TIMESTAMP], utc=True).to_numpy()[frame["row"].to_numpy()]
        order = frame.groupby("batch")["time"].min().sort_values(na_position="last", kind="stable")
        batches = list(order.index)
    else:
        batches = list(pd.unique(frame["batch"]))
    rows: list[dict[str, object]] = []
    previous: tuple[float | None, np.ndarray] | None = None
    for index, batch in enumerate(batches):
        counts = _counts(frame[frame["batch"] == batch], n_items=data.n_items, n_labels=data.n_labels)
        estimate = alpha_with_interval(counts, level=level, values=data.values,
                                       n_replicates=bootstrap, seed=seed + index)
        metric, replicates = estimate.metric, estimate.replicates
        row = {"batch": batch, "items": int((counts.sum(axis=1) > 0).sum())} | _metric_columns(metric)
        change = _change(metric.value, replicates, previous)
        rows.append(row | change)
        previous = (metric.value, replicates)
    return keep_note_columns(pd.DataFrame(rows, columns=columns).astype({"batch": "string"}), rows,
                             ("note", "change_note"))



def _change(
    value: float | None, replicates: np.ndarray, previous: tuple[float | None, np.ndarray] | None
) -> dict[str, object]:
    empty = {"change": np.nan, "change_ci_low": np.nan, "change_ci_high": np.nan, "change_note": None}
    if previous is None:
        return empty
    before, before_replicates = previous
    if value is None or before is None:
        return empty | {"change_note": note("round.change_undefined")}
    low = high = np.nan
    if replicates.size and replicates.size == before_replicates.size:
        lows, highs, _ = percentile_interval(replicates - before_replicates)
        low, high = float(lows), float(highs)
    return {
        "change": value - before,
        "change_ci_low": low,
        "change_ci_high": high,
        "change_note": note("round.change" if np.isfinite(low) else "round.change_no_interval"),
    }


@dataclass(frozen=True)
class GroupAgreement:
    """Agreement within and between annotator groups.

    Attributes
    ----------
    within : DataFrame
        ``group``, ``annotators``, ``items`` and the metric columns
        (``alpha``, ``ci_low``, ``ci_high``, ``n``, ``note``).
    between : DataFrame
        ``group_a``, ``group_b``, ``items`` (labelled by both groups) and the metric
        columns, for alpha between the two group majorities.
    """

    within: pd.DataFrame
    between: pd.DataFrame


@validate_params({"bootstrap": RESAMPLES, "seed": SEED})
def group_agreement(
    dataset: AnnotationDataset | pd.DataFrame, *, bootstrap: int = 1000, seed: int = 0,
    level: Level | None = None,
) -> GroupAgreement:
    """Alpha within each ``annotator_group`` and between each pair of groups.

    Parameters
    ----------
    dataset : AnnotationDataset or DataFrame
        The dataset (a canonical table is converted once).
    bootstrap : int, default 1000
        Bootstrap replicates.
    seed : int, default 0
        Seed of the resampling.
    level : {"nominal", "ordinal", "interval", "ratio"}, optional
        Level of measurement of alpha; default: the dataset's level (the report's).

    Returns
    -------
    GroupAgreement
        Both tables are empty when the table has no group values.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aaaabbbbcccc"), "annotator": list("wxyz") * 3,
    ...                       "label": list("ppppnnnnnnpn"),
    ...                       "annotator_group": ["e", "e", "c", "c"] * 3})
    >>> result = group_agreement(AnnotationDataset.from_table(table), bootstrap=0)
    >>> result.within[["group", "annotators", "alpha"]].round(2).values.tolist()
    [['e', 2, 1.0], ['c', 2, 0.44]]
    >>> result.between[["group_a", "group_b", "items"]].values.tolist()
    [['e', 'c', 2]]
    """
    within_columns = ["group", "annotators", "items", *METRIC_COLUMNS]
    between_columns = ["group_a", "group_b", "items", *METRIC_COLUMNS]
    dataset = as_dataset(dataset, function="group_agreement")
    level = level_of(dataset, level)
    table, data = dataset.table, dataset.reliability
    if not has_values(table, GROUP):
        return GroupAgreement(pd.DataFrame(columns=within_columns), pd.DataFrame(columns=between_columns))
    frame = _judgements(dataset)
    groups_of_rows = table[GROUP].astype("string").to_numpy()
    frame["group"] = groups_of_rows[frame["row"].to_numpy()]
    membership = (
        frame.dropna(subset=["group"])
        .groupby("annotator_index")["group"]
        .agg(lambda values: values.value_counts().index[0])
    )
    frame = frame[frame["annotator_index"].isin(membership.index)]
    frame["group"] = membership.reindex(frame["annotator_index"]).to_numpy()
    names = list(pd.unique(frame["group"]))
    counts = {
        name: _counts(frame[frame["group"] == name], n_items=data.n_items, n_labels=data.n_labels)
        for name in names
    }
    within = [
        {
            "group": name,
            "annotators": int((membership == name).sum()),
            "items": int((counts[name].sum(axis=1) > 0).sum()),
        }
        | _metric_columns(
            alpha_with_interval(counts[name], level=level, values=data.values,
                                n_replicates=bootstrap, seed=seed + index).metric)
        for index, name in enumerate(names)
    ]
    between = []
    for index, (a, b) in enumerate(combinations(names, 2)):
        majority_a, majority_b = majority_vote(counts[a]), majority_vote(counts[b])
        both = (majority_a != NO_CONSENSUS) & (majority_b != NO_CONSENSUS)
        pair_counts = np.zeros((int(both.sum()), data.n_labels), dtype=np.int64)
        rows = np.arange(pair_counts.shape[0])
        np.add.at(pair_counts, (rows, majority_a[both]), 1)
        np.add.at(pair_counts, (rows, majority_b[both]), 1)
        metric = alpha_with_interval(pair_counts, level=level, values=data.values,
                                     n_replicates=bootstrap, seed=seed + 1000 + index).metric
        if not metric.is_defined and pair_counts.shape[0]:
            metric = Metric.undefined(join([note("group.one_label"), note("alpha.undefined")]), n=metric.n)
        between.append({"group_a": a, "group_b": b, "items": int(both.sum())} | _metric_columns(metric))
    return GroupAgreement(
        keep_note_columns(pd.DataFrame(within, columns=within_columns).astype({"group": "string"}),
                          within, ["note"]),
        keep_note_columns(pd.DataFrame(between, columns=between_columns).astype(
            {"group_a": "string", "group_b": "string"}), between, ["note"]),

    )
