"""How reliable each annotator is: the one-coin Dawid-Skene model.

Dawid & Skene (1979) give every annotator a full confusion matrix. With many labels and
few judgements per label (150 intents, 20 items each) most of its cells are estimated
from nothing, and one EM pass costs labels² per judgement. The *one-coin* variant keeps
the model and drops the cells: annotator ``j`` gives the true label with probability
``a_j`` and any other label with probability ``(1 - a_j) / (L - 1)``. EM then costs one
pass over the judgements per iteration, and ``a_j`` (the accuracy) is what the rule
drafts need: which annotators are the most reliable. The test suite checks the
accuracies against crowd-kit's ``OneCoinDawidSkene``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from analysis.data.reliability import MISSING, ReliabilityData
from analysis.data.votes import vote_shares

_CLIP = 1e-3


def one_coin_accuracy(
    data: ReliabilityData, *, max_iter: int = 50, tol: float = 1e-5
) -> npt.NDArray[np.float64]:
    """Estimated accuracy of every annotator (one-coin Dawid-Skene, EM from majority vote).

    Parameters
    ----------
    data : ReliabilityData
    max_iter : int, default 50
    tol : float, default 1e-5
        EM stops when no accuracy moves by more than this.

    Returns
    -------
    ndarray of float, shape (n_annotators,)
        Expected share of the annotator's judgements that equal the true label; NaN for
        an annotator without judgements.

    Examples
    --------
    >>> import pandas as pd
    >>> votes = {"i1": "aab", "i2": "bbb", "i3": "aaa", "i4": "bba", "i5": "aab"}
    >>> table = pd.DataFrame([(i, ann, lab) for i, labs in votes.items()
    ...                       for ann, lab in zip("xyz", labs)],
    ...                      columns=["item_id", "annotator", "label"])
    >>> one_coin_accuracy(ReliabilityData.from_table(table)).round(2).tolist()
    [1.0, 1.0, 0.4]
    """
    codes = data.codes
    n_items, n_annotators = codes.shape
    n_labels = max(data.n_labels, 2)
    rows, cols = np.nonzero(codes != MISSING)
    labels = codes[rows, cols]
    done = np.bincount(cols, minlength=n_annotators).astype(np.float64)
    posteriors = vote_shares(data.counts()) if data.n_labels else np.zeros((n_items, 1))
    accuracy = np.full(n_annotators, np.nan)
    if len(rows) == 0:
        return accuracy
    for _ in range(max_iter):
        own = posteriors[rows, labels]
        updated = np.bincount(cols, weights=own, minlength=n_annotators) / np.maximum(done, 1)
        updated = np.clip(updated, _CLIP, 1 - _CLIP)
        prior = np.maximum(posteriors.mean(axis=0), 1e-12)
        # log P(votes | true = c) up to a per-item constant: each vote for c adds its
        # annotator's log odds of being right against one particular wrong label.
        weight = np.log(updated) - np.log((1 - updated) / (n_labels - 1))
        log_like = np.zeros_like(posteriors)
        np.add.at(log_like, (rows, labels), weight[cols])
        log_like += np.log(prior)
        log_like -= log_like.max(axis=1, keepdims=True)
        posteriors = np.exp(log_like)
        posteriors /= posteriors.sum(axis=1, keepdims=True)
        change = np.nanmax(np.abs(updated - accuracy)) if np.isfinite(accuracy).any() else np.inf
        accuracy = updated
        if change <= tol:
            break
    own = posteriors[rows, labels]
    final = np.bincount(cols, weights=own, minlength=n_annotators) / np.maximum(done, 1)
    return np.where(done > 0, final, np.nan)


def accuracy_weighted_counts(
    data: ReliabilityData,
    rows: npt.ArrayLike,
    counts: npt.NDArray[np.integer],
    accuracy: npt.NDArray[np.floating],
) -> npt.NDArray[np.float64]:
    """Votes per item and label, each weighted by its annotator's squared accuracy.

    Used to choose an item's confused pair and how strongly it is split
    (:mod:`analysis.clusters.grouping`): a near-random or biased annotator's stray vote
    then counts for less than a careful one's (accuracy 0.6: 0.36; 0.95: 0.9), so it
    rarely makes the item's second label on its own. Labels with no vote left in
    ``counts`` (slip votes set aside) get weight 0; an annotator without an estimate
    counts 0.25 (accuracy 0.5); no vote counts less than 0.001.

    Parameters
    ----------
    data : ReliabilityData
    rows : array of int
        Item positions in ``data`` (rows of ``counts``).
    counts : ndarray of int, shape (len(rows), n_labels)
        Votes counted for those items (e.g. slip votes set aside).
    accuracy : ndarray of float, shape (n_annotators,)
        From :func:`one_coin_accuracy`.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"item_id": ["a"] * 3, "annotator": list("xyz"), "label": list("ppn")})
    >>> data = ReliabilityData.from_table(table)
    >>> accuracy_weighted_counts(data, [0], data.counts(), np.array([1.0, 0.9, 0.5])).round(2).tolist()
    [[0.25, 1.81]]
    """
    rows = np.asarray(rows, dtype=np.int64)
    # at least 1e-3, so that a label someone voted always keeps some weight
    weight = np.maximum(np.nan_to_num(np.asarray(accuracy, dtype=np.float64), nan=0.5) ** 2, 1e-3)
    codes = data.codes[rows]
    out = np.zeros(np.shape(counts), dtype=np.float64)
    r, c = np.nonzero(codes != MISSING)
    np.add.at(out, (r, codes[r, c]), weight[c])
    return np.where(np.asarray(counts) > 0, out, 0.0)
