"""Annotator quality: a ranked table per annotator and confusion against consensus.

Honest numbers for sparse workers
---------------------------------
Crowd exports hold many annotators with a handful of items. So:

* intervals are Wilson score 95% intervals of a proportion (agreement with the others'
  majority over the compared items; Dawid-Skene accuracy over the annotator's
  judgements): defined from one item on, and wide when there are few (3 of 3 agreeing
  gives 0.44-1.00, not a certain 1.00);
* the ranking uses the *lower bound* of the Dawid-Skene accuracy interval
  (``rank_score``), so a worker with 3 lucky items ranks below one with 300 good ones;
* no flag from too few items: ``low_quality`` needs at least ``MIN_ITEMS_FOR_FLAG``
  (20) compared judgements (fatigue needs 30, bias 20; see those modules).

Low-quality rule
----------------
With at least three annotators, an annotator with at least ``MIN_ITEMS_FOR_FLAG``
compared judgements is flagged ``low_quality`` when either

* their agreement with the leave-one-out majority is at least ``LOO_GAP`` (0.10) below
  the median of the other annotators *and* the upper bound of its 95% interval is also
  below that median (clearly worse, not just noisy), or
* their Dawid-Skene accuracy is at least ``DS_GAP`` (0.20) below the others' median.
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.base.params import Options, validate_params
from analysis.consensus.dawid_skene import DawidSkene
from analysis.data.dataset import AnnotationDataset, level_of, reliability_of
from analysis.data.levels import Level
from analysis.data.reliability import ReliabilityData
from analysis.data.schema import ANNOTATOR
from analysis.data.votes import NO_CONSENSUS, leave_one_out_per_judgement
from analysis.metrics.alpha_without import alpha_without_each
from analysis.metrics.patterns import ItemPatterns

LOO_GAP: Final = 0.10
DS_GAP: Final = 0.20
MIN_ITEMS_FOR_FLAG: Final = 20
Z_95: Final = 1.959963984540054


def wilson_interval(successes: npt.ArrayLike, n: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score 95% interval of a proportion, vectorised; NaN where ``n`` is 0.

    Examples
    --------
    >>> low, high = wilson_interval(np.array([3.0, 300.0]), np.array([3, 300]))
    >>> low.round(3).tolist(), high.round(3).tolist()
    ([0.439, 0.987], [1.0, 1.0])
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        z2 = Z_95**2
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = Z_95 / (1 + z2 / n) * np.sqrt(p * (1 - p) / n + z2 / (4 * n**2))
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def loo_agreement_per_judgement(data: ReliabilityData) -> npt.NDArray[np.float64]:
    """1.0 / 0.0 per judgement where it agrees / disagrees with the others' majority.

    NaN where the others have no majority (a tie, or nobody else labelled the item);
    one entry per judgement of ``data``, in ``data.item_index`` order.
    """
    reference = leave_one_out_per_judgement(data)
    return np.where(reference != NO_CONSENSUS,
                    (data.label_code == reference).astype(np.float64), np.nan)


def _median_of_others(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """For each entry, the median of the other finite entries (NaN for fewer than two).

    Examples
    --------
    >>> _median_of_others(np.array([1.0, 2.0, 3.0, np.nan, 10.0])).tolist()
    [3.0, 3.0, 2.0, 2.5, 2.0]
    """
    finite = np.isfinite(values)
    ordered = np.sort(values[finite])
    n = ordered.size
    result = np.full(values.size, np.nan)
    if n < 2:
        return result
    rank = np.searchsorted(ordered, values, side="left")

    def at(index: np.ndarray, drop: np.ndarray) -> np.ndarray:
        # element ``index`` of the sorted finite values with position ``drop`` removed
        shifted = np.where(index >= drop, index + 1, index)
        return ordered[np.clip(shifted, 0, n - 1)]

    # an entry that is finite removes itself from the sorted values; a NaN removes nothing
    drop = np.where(finite, rank, n)
    size = np.where(finite, n - 1, n)
    low, high = (size - 1) // 2, size // 2
    median = (at(low, drop) + at(high, drop)) / 2
    return np.where(size >= 2, median, np.nan)


def annotator_quality_table(
    data: AnnotationDataset | ReliabilityData,
    *,
    model: DawidSkene | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
    level: Level = "nominal",
) -> pd.DataFrame:
    """Rank annotators by Dawid-Skene accuracy, with the evidence behind the rank.

    Parameters
    ----------
    data : AnnotationDataset or ReliabilityData
        Label codes per item and annotator.
    model : DawidSkene, optional
        A model already fitted on ``data``; fitted here if omitted.
    bootstrap, seed : int
        Accepted for compatibility: the intervals are Wilson score intervals, which
        need no resampling.
    level : {"nominal", "ordinal", "interval", "ratio"}, default "nominal"
        Level of measurement of ``alpha_without`` (the report's level).

    Returns
    -------
    DataFrame
        One row per annotator, best first: ``annotator``, ``rank`` (1 = best, by
        ``rank_score``), ``items`` (judgements made), ``loo_items`` (of those, items
        where the others have a majority), ``loo_agreement`` with Wilson
        ``loo_ci_low``/``loo_ci_high``, ``ds_accuracy`` with Wilson
        ``ds_ci_low``/``ds_ci_high`` (over ``items``), ``alpha_without`` (alpha of
        everyone else at ``level``), ``alpha_change`` (``alpha_without`` minus alpha of
        everyone; positive means the others agree better without this annotator),
        ``low_quality`` (see the module's rule) and ``rank_score`` (``ds_ci_low``: the
        accuracy the annotator is 97.5% sure to exceed). Values that are not defined
        are NaN.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aaabbbccc"), "annotator": list("xyz") * 3,
    ...                       "label": list("pppnnpnnn")})
    >>> quality = annotator_quality_table(ReliabilityData.from_table(table), bootstrap=0)
    >>> quality[["annotator", "items", "loo_agreement"]].to_dict("list")
    {'annotator': ['x', 'y', 'z'], 'items': [3, 3, 3], 'loo_agreement': [1.0, 1.0, 0.666...]}
    """
    level = level_of(data, level)
    data = reliability_of(data, function="annotator_quality_table")
    if data.n_annotators == 0:
        raise AnnotationDataError(
            "there are no annotators to rank", fix="load a file with at least one judgement"
        )
    if model is None:
        model = DawidSkene().fit(data)
    agree = loo_agreement_per_judgement(data)
    compared = np.isfinite(agree)
    who = data.annotator_index
    loo_items = np.bincount(who, weights=compared, minlength=data.n_annotators).astype(np.int64)
    agreed = np.bincount(who[compared], weights=agree[compared], minlength=data.n_annotators)
    with np.errstate(invalid="ignore", divide="ignore"):
        loo = np.where(loo_items > 0, agreed / loo_items, np.nan)
    low, high = wilson_interval(agreed, loo_items)
    items = data.judgements_per_annotator()
    accuracy = model.accuracies_
    ds_low, ds_high = wilson_interval(accuracy * items, items)
    if data.n_annotators >= 3:
        without = alpha_without_each(ItemPatterns.from_data(data), level=level,
                                     values=data.values, n_replicates=0, seed=seed)
        alpha_without, alpha_all = without.without, without.alpha
    else:
        alpha_without, alpha_all = np.full(data.n_annotators, np.nan), np.nan

    loo_median = _median_of_others(loo)
    ds_median = _median_of_others(accuracy)
    enough = loo_items >= MIN_ITEMS_FOR_FLAG
    with np.errstate(invalid="ignore"):
        clearly_worse = (loo <= loo_median - LOO_GAP) & (high < loo_median)
        ds_worse = accuracy <= ds_median - DS_GAP
    table = pd.DataFrame(
        {
            ANNOTATOR: pd.Series(data.annotators, dtype="string"),
            "items": items,
            "loo_items": loo_items,
            "loo_agreement": loo,
            "loo_ci_low": low,
            "loo_ci_high": high,
            "ds_accuracy": accuracy,
            "alpha_without": alpha_without,
            "alpha_change": alpha_without - alpha_all,
            "low_quality": enough & (clearly_worse | ds_worse),
            "ds_ci_low": ds_low,
            "ds_ci_high": ds_high,
            "rank_score": ds_low,
        }
    )
    table = table.sort_values(
        ["rank_score", "ds_accuracy", "loo_agreement"], ascending=False, na_position="last",
        kind="stable",
    ).reset_index(drop=True)
    table.insert(1, "rank", np.arange(1, len(table) + 1))
    return table


@validate_params({"reference": [Options("leave_one_out", "dawid_skene")]})
def annotator_confusion(
    data: AnnotationDataset | ReliabilityData,
    annotator: str,
    *,
    reference: Literal["leave_one_out", "dawid_skene"] = "leave_one_out",
    model: DawidSkene | None = None,
) -> pd.DataFrame:
    """Counts of an annotator's labels (columns) against the consensus (rows).

    Parameters
    ----------
    data : AnnotationDataset or ReliabilityData
        Label codes per item and annotator.
    annotator : str
        Whose labels to tabulate.
    reference : {"leave_one_out", "dawid_skene"}, default "leave_one_out"
        The consensus: the majority of the *other* annotators (items where they tie
        are left out), or the Dawid-Skene label (which includes this annotator's vote).
    model : DawidSkene, optional
        A fitted model for ``reference="dawid_skene"``; fitted here if omitted.

    Returns
    -------
    DataFrame
        Square table of int counts, index named ``consensus``, columns named
        ``annotator``, both in the order of ``data.labels``.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aaabbb"), "annotator": list("xyzxyz"),
    ...                       "label": list("pppnnp")})
    >>> annotator_confusion(ReliabilityData.from_table(table), "z").to_numpy().tolist()
    [[0, 1], [0, 1]]
    """
    data = reliability_of(data, function="annotator_confusion")
    names = [str(name) for name in data.annotators]
    if annotator not in names:
        raise AnnotationDataError(
            f"annotator {annotator!r} is not in the data",
            location=f"column '{ANNOTATOR}'",
            fix=f"choose one of {names[:10]}",
        )
    j = names.index(annotator)
    mine = data.annotator_index == j
    own = data.label_code[mine]
    if reference == "leave_one_out":
        consensus = leave_one_out_per_judgement(data)[mine]
    else:
        consensus = (model if model is not None else DawidSkene().fit(data)).labels_[data.item_index[mine]]
    keep = consensus != NO_CONSENSUS
    k = data.n_labels
    matrix = np.bincount(consensus[keep] * k + own[keep], minlength=k * k).reshape(k, k)
    return pd.DataFrame(
        matrix,
        index=pd.Index(data.labels, name="consensus"),
        columns=pd.Index(data.labels, name=ANNOTATOR),
    )
