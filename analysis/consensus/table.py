"""Consensus and ambiguity per item: majority vote, Dawid-Skene label, entropy, margin."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.base.errors import UsageError
from analysis.base.params import SEED, InstanceOf, Options, validate_params
from analysis.consensus.dawid_skene import DawidSkene
from analysis.data.dataset import AnnotationDataset, reliability_of
from analysis.data.reliability import ReliabilityData
from analysis.data.schema import ITEM
from analysis.data.votes import NO_CONSENSUS, TIE_POLICIES, TiePolicy, majority_vote, vote_entropy


def _label_names(data: ReliabilityData, codes: np.ndarray) -> pd.Series:
    names = np.asarray((*data.labels, ""), dtype=object)[codes]
    names[codes == NO_CONSENSUS] = None
    return pd.Series(names, dtype="string")


@validate_params({"model": [InstanceOf(DawidSkene), None], "ties": [Options(*TIE_POLICIES)],
                  "seed": SEED})
def consensus_table(
    data: AnnotationDataset | ReliabilityData,
    *,
    model: DawidSkene | None = None,
    ties: TiePolicy = "none",
    seed: int = 0,
) -> pd.DataFrame:
    """One row per item: both consensus labels and how ambiguous the item is.

    Parameters
    ----------
    data : AnnotationDataset or ReliabilityData
        Label codes per item and annotator.
    model : DawidSkene, optional
        A model already fitted on ``data``; fitted here with default settings if omitted.
    ties : {"none", "random"}, default "none"
        Majority-vote tie policy (see :mod:`analysis.data.votes`): with ``"none"`` a tied
        item has no majority label (missing).
    seed : int, default 0
        Seed for ``ties="random"``.

    Returns
    -------
    DataFrame
        Columns ``item_id``, ``votes``, ``majority_label``, ``vote_entropy`` (normalised
        to [0, 1]), ``ds_label``, ``ds_posterior`` (posterior of ``ds_label``) and
        ``posterior_margin`` (top-1 minus top-2 posterior; small = ambiguous).

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aabb"), "annotator": list("xyxy"),
    ...                       "label": ["p", "p", "p", "n"]})
    >>> result = consensus_table(ReliabilityData.from_table(table))
    >>> result[["item_id", "majority_label", "vote_entropy"]].to_dict("list")
    {'item_id': ['a', 'b'], 'majority_label': ['p', None], 'vote_entropy': [0.0, 1.0]}
    """
    data = reliability_of(data, function="consensus_table")
    counts = data.counts()
    if model is None:
        model = DawidSkene().fit(data)
    model._check_fitted()
    if model.posteriors_.shape != (data.n_items, data.n_labels):
        raise UsageError(
            "The 'model' parameter of consensus_table must be fitted on the same data: it has "
            f"posteriors of shape {model.posteriors_.shape}, the data {data.n_items} items and "
            f"{data.n_labels} labels", option="model")
    majority = majority_vote(counts, ties=ties, seed=seed)
    ds_labels = model.labels_
    return pd.DataFrame(
        {
            ITEM: pd.Series(data.items, dtype="string"),
            "votes": counts.sum(axis=1),
            "majority_label": _label_names(data, majority),
            "vote_entropy": vote_entropy(counts),
            "ds_label": _label_names(data, ds_labels),
            "ds_posterior": model.posteriors_[np.arange(data.n_items), ds_labels],
            "posterior_margin": model.posterior_margin(),
        }
    )
