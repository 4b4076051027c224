"""Votes per item: shares, entropy and majority consensus with an explicit tie policy.

Shared by the agreement metrics (leave-one-out consensus), the consensus models and the
ambiguity clusters, so every part of the product counts votes the same way.

Tie policy
----------
A majority is the label with strictly the most votes. When two or more labels tie for
the most votes, ``ties="none"`` (the default) returns ``NO_CONSENSUS`` (-1): the item has
no majority and is reported as a tie rather than decided arbitrarily. ``ties="random"``
breaks ties uniformly at random with a seed (reproducible), for uses that need a label
for every item.
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from analysis.base.validation import check_counts, check_option
from analysis.data.reliability import MISSING, ReliabilityData

NO_CONSENSUS: int = -1
TiePolicy = Literal["none", "random"]
TIE_POLICIES: tuple[str, ...] = get_args(TiePolicy)


def vote_shares(counts: npt.NDArray[np.integer]) -> npt.NDArray[np.float64]:
    """Votes per label divided by votes per item; rows with no votes are all zero.

    Examples
    --------
    >>> vote_shares(np.array([[2, 2], [0, 0]])).tolist()
    [[0.5, 0.5], [0.0, 0.0]]
    """
    counts = check_counts(counts, function="vote_shares").astype(float)
    totals = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)


def vote_entropy(counts: npt.NDArray[np.integer], *, normalize: bool = True) -> npt.NDArray[np.float64]:
    """Shannon entropy of each item's vote distribution.

    Parameters
    ----------
    counts : ndarray, shape (n_items, n_labels)
        Votes per item and label.
    normalize : bool, default True
        Divide by ``log(n_labels)`` so the value lies in [0, 1] (1 = votes spread evenly
        over every label).

    Examples
    --------
    >>> vote_entropy(np.array([[4, 0], [2, 2]])).round(3).tolist()
    [0.0, 1.0]
    """
    shares = vote_shares(check_counts(counts, function="vote_entropy"))
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(shares > 0, -shares * np.log(shares), 0.0)
    entropy = terms.sum(axis=1)
    n_labels = shares.shape[1]
    if normalize and n_labels > 1:
        entropy = entropy / np.log(n_labels)
    return entropy


def dissent_share(counts: npt.NDArray[np.integer]) -> npt.NDArray[np.float64]:
    """Share of each item's votes that go to a label other than the plurality label.

    The measure of disagreement the ambiguity clusters select on: unlike the normalised
    vote entropy it does not depend on the size of the label set (a 3-2 split scores 0.4
    with 2 labels and with 200), and it reads the same for any number of votes (a lone
    dissent among five scores 0.2, two dissents among seven 0.29). Items without votes
    score 0.

    Parameters
    ----------
    counts : ndarray, shape (n_items, n_labels)
        Votes per item and label.

    Returns
    -------
    ndarray of float, shape (n_items,)
        Between 0 (unanimous) and ``1 - 1/n_votes`` (every vote a different label).

    Examples
    --------
    >>> dissent_share(np.array([[3, 2, 0], [4, 1, 0], [1, 1, 1], [0, 0, 0]])).round(3).tolist()
    [0.4, 0.2, 0.667, 0.0]
    """
    counts = np.asarray(counts)
    totals = counts.sum(axis=1)
    top = counts.max(axis=1, initial=0)
    return np.divide(totals - top, totals, out=np.zeros(len(counts)), where=totals > 0)


def majority_vote(
    counts: npt.NDArray[np.integer], *, ties: TiePolicy = "none", seed: int = 0
) -> npt.NDArray[np.int64]:
    """The majority label index per item (see the module's tie policy).

    Items without any vote get ``NO_CONSENSUS``.

    Examples
    --------
    >>> majority_vote(np.array([[3, 1], [2, 2], [0, 0]])).tolist()
    [0, -1, -1]
    >>> majority_vote(np.array([[2, 2]]), ties="randm")
    Traceback (most recent call last):
    ...
    analysis.base.errors.UsageError: The 'ties' parameter of majority_vote must be one of {'none', 'random'}. Got 'randm' instead.
    """
    check_option("ties", ties, TIE_POLICIES, function="majority_vote")
    counts = check_counts(counts, function="majority_vote")
    best = counts.max(axis=1, keepdims=True)
    is_best = (counts == best) & (best > 0)
    n_best = is_best.sum(axis=1)
    winner = np.argmax(is_best, axis=1).astype(np.int64)
    if ties == "random":
        rng = np.random.default_rng(seed)
        noise = rng.random(counts.shape)
        winner = np.argmax(np.where(is_best, noise, -1.0), axis=1).astype(np.int64)
        winner[n_best == 0] = NO_CONSENSUS
    else:
        winner[n_best != 1] = NO_CONSENSUS
    return winner


def leave_one_out_majority(
    data: ReliabilityData, *, ties: TiePolicy = "none", seed: int = 0
) -> npt.NDArray[np.int64]:
    """For every item and annotator, the majority label of the *other* annotators.

    Returns
    -------
    ndarray of int, shape (n_items, n_annotators)
        Label index, or ``NO_CONSENSUS`` where the others tie or nobody else labelled
        the item. Computed for every cell, whether or not that annotator labelled it.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"item_id": list("aaabb"), "annotator": list("xyzxy"),
    ...                       "label": ["p", "p", "n", "p", "n"]})
    >>> leave_one_out_majority(ReliabilityData.from_table(table)).tolist()
    [[-1, -1, 1], [0, 1, -1]]
    """
    check_option("ties", ties, TIE_POLICIES, function="leave_one_out_majority")
    counts = data.counts()
    codes = data.codes
    result = np.empty(codes.shape, dtype=np.int64)
    own = np.zeros(counts.shape, dtype=counts.dtype)
    for j in range(data.n_annotators):  # loop over annotators only; items stay vectorised
        own[:] = 0
        labelled = codes[:, j] != MISSING
        own[np.nonzero(labelled)[0], codes[labelled, j]] = 1
        result[:, j] = majority_vote(counts - own, ties=ties, seed=seed + j)
    return result


def leave_one_out_per_judgement(data: ReliabilityData) -> npt.NDArray[np.int64]:
    """For every judgement, the majority label of the *other* judgements on its item.

    The sparse counterpart of :func:`leave_one_out_majority` (tie policy ``"none"``):
    one entry per judgement of ``data`` (in ``data.item_index`` order), so memory grows
    with the judgements, not with items x annotators.

    Returns
    -------
    ndarray of int, shape (n_judgements,)
        Label index, or ``NO_CONSENSUS`` where the others tie or nobody else labelled
        the item.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"item_id": list("aaabb"), "annotator": list("xyzxy"),
    ...                       "label": ["p", "p", "n", "p", "n"]})
    >>> leave_one_out_per_judgement(ReliabilityData.from_table(table)).tolist()
    [-1, -1, 1, 0, 1]
    """
    # computed once per data object (the report's consensus kappas, quality table and
    # fatigue trends all ask for it); callers get their own copy
    cached = data.__dict__.get("_loo_per_judgement")
    if isinstance(cached, np.ndarray):
        return cached.copy()
    counts = data.counts()
    result = np.empty(data.n_judgements, dtype=np.int64)
    step = max(1, 2**22 // max(data.n_labels, 1))
    for start in range(0, data.n_judgements, step):
        part = slice(start, start + step)
        rows = counts[data.item_index[part]]
        rows[np.arange(rows.shape[0]), data.label_code[part]] -= 1
        result[part] = majority_vote(rows)
    data.__dict__["_loo_per_judgement"] = result.copy()
    return result
