"""Annotator quality: a ranked table per annotator and confusion against consensus.

Low-quality rule
----------------
With at least three annotators, an annotator is flagged ``low_quality`` when either

* their agreement with the leave-one-out majority is at least ``LOO_GAP`` (0.10) below
  the median of the other annotators *and* the upper bound of its 95% bootstrap interval
  is also below that median (clearly worse, not just noisy), or
* their Dawid-Skene accuracy is at least ``DS_GAP`` (0.20) below the others' median.
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.consensus.dawid_skene import DawidSkene
from analysis.dataset import AnnotationDataset, reliability_of
from analysis.errors import AnnotationDataError
from analysis.metrics.alpha import nominal_alpha
from analysis.metrics.intervals import mean_with_interval
from analysis.reliability import MISSING, ReliabilityData
from analysis.schema import ANNOTATOR
from analysis.votes import NO_CONSENSUS, leave_one_out_majority

LOO_GAP: Final = 0.10
DS_GAP: Final = 0.20


def loo_agreement_matrix(data: ReliabilityData) -> npt.NDArray[np.float64]:
    """1.0 / 0.0 where an annotator agrees / disagrees with the others' majority.

    Returns
    -------
    ndarray of float, shape (n_items, n_annotators)
        NaN where the annotator did not label the item or the others have no majority
        (a tie, or nobody else labelled it).

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aaabbb"), "annotator": list("xyzxyz"),
    ...                       "label": list("pppnnp")})
    >>> loo_agreement_matrix(ReliabilityData.from_table(table)).tolist()
    [[1.0, 1.0, 1.0], [nan, nan, 0.0]]
    """
    reference = leave_one_out_majority(data)
    comparable = (data.codes != MISSING) & (reference != NO_CONSENSUS)
    return np.where(comparable, (data.codes == reference).astype(np.float64), np.nan)


def _alpha_without(data: ReliabilityData) -> npt.NDArray[np.float64]:
    counts = data.counts()
    result = np.empty(data.n_annotators)
    for j in range(data.n_annotators):
        labelled = data.codes[:, j] != MISSING
        own = np.zeros_like(counts)
        own[np.nonzero(labelled)[0], data.codes[labelled, j]] = 1
        result[j] = nominal_alpha(counts - own)
    return result


def _median_of_others(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    result = np.full(values.size, np.nan)
    for j in range(values.size):
        others = np.delete(values, j)
        others = others[np.isfinite(others)]
        if others.size >= 2:
            result[j] = np.median(others)
    return result


def annotator_quality_table(
    data: AnnotationDataset | ReliabilityData,
    *,
    model: DawidSkene | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Rank annotators by Dawid-Skene accuracy, with the evidence behind the rank.

    Parameters
    ----------
    data : AnnotationDataset or ReliabilityData
        Label codes per item and annotator.
    model : DawidSkene, optional
        A model already fitted on ``data``; fitted here if omitted.
    bootstrap : int, default 1000
        Bootstrap replicates (over the annotator's items) for the agreement interval.
    seed : int, default 0
        Seed of the resampling.

    Returns
    -------
    DataFrame
        One row per annotator, best first: ``annotator``, ``rank`` (1 = best),
        ``items`` (judgements made), ``loo_items`` (of those, items where the others
        have a majority), ``loo_agreement`` with ``loo_ci_low``/``loo_ci_high``,
        ``ds_accuracy``, ``alpha_without`` (nominal alpha of everyone else),
        ``alpha_change`` (``alpha_without`` minus alpha of everyone; positive means
        the others agree better without this annotator) and ``low_quality`` (see the
        module's rule). Values that are not defined are NaN.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aaabbbccc"), "annotator": list("xyz") * 3,
    ...                       "label": list("pppnnpnnn")})
    >>> quality = annotator_quality_table(ReliabilityData.from_table(table), bootstrap=0)
    >>> quality[["annotator", "items", "loo_agreement"]].to_dict("list")
    {'annotator': ['x', 'y', 'z'], 'items': [3, 3, 3], 'loo_agreement': [1.0, 1.0, 0.666...]}
    """
    data = reliability_of(data, function="annotator_quality_table")
    if data.n_annotators == 0:
        raise AnnotationDataError(
            "there are no annotators to rank", fix="load a file with at least one judgement"
        )
    if model is None:
        model = DawidSkene().fit(data)
    agree = loo_agreement_matrix(data)
    compared = np.isfinite(agree)
    loo_items = compared.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        loo = np.where(loo_items > 0, np.nansum(agree, axis=0) / loo_items, np.nan)
    intervals = [
        mean_with_interval(agree[compared[:, j], j], n_replicates=bootstrap, seed=seed + j)
        for j in range(data.n_annotators)
    ]
    low = np.array([np.nan if m.ci_low is None else m.ci_low for m in intervals])
    high = np.array([np.nan if m.ci_high is None else m.ci_high for m in intervals])
    alpha_all = nominal_alpha(data.counts())
    alpha_without = _alpha_without(data)
    accuracy = model.accuracies_

    loo_median = _median_of_others(loo)
    ds_median = _median_of_others(accuracy)
    with np.errstate(invalid="ignore"):
        clearly_worse = (loo <= loo_median - LOO_GAP) & (high < loo_median)
        ds_worse = accuracy <= ds_median - DS_GAP
    table = pd.DataFrame(
        {
            ANNOTATOR: pd.Series(data.annotators, dtype="string"),
            "items": (data.codes != MISSING).sum(axis=0),
            "loo_items": loo_items,
            "loo_agreement": loo,
            "loo_ci_low": low,
            "loo_ci_high": high,
            "ds_accuracy": accuracy,
            "alpha_without": alpha_without,
            "alpha_change": alpha_without - alpha_all,
            "low_quality": clearly_worse | ds_worse,
        }
    )
    table = table.sort_values(
        ["ds_accuracy", "loo_agreement"], ascending=False, na_position="last", kind="stable"
    ).reset_index(drop=True)
    table.insert(1, "rank", np.arange(1, len(table) + 1))
    return table


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
    if reference == "leave_one_out":
        consensus = leave_one_out_majority(data)[:, j]
    elif reference == "dawid_skene":
        consensus = (model if model is not None else DawidSkene().fit(data)).labels_
    else:
        raise ValueError(
            "The 'reference' parameter of annotator_confusion must be one of "
            f"{{'leave_one_out', 'dawid_skene'}}. Got {reference!r} instead."
        )
    own = data.codes[:, j]
    keep = (own != MISSING) & (consensus != NO_CONSENSUS)
    k = data.n_labels
    matrix = np.bincount(consensus[keep] * k + own[keep], minlength=k * k).reshape(k, k)
    return pd.DataFrame(
        matrix,
        index=pd.Index(data.labels, name="consensus"),
        columns=pd.Index(data.labels, name=ANNOTATOR),
    )
