"""Refine pair clusters by text: join close items that show the pair, drop far members.

Grouping by confused label pair (:mod:`analysis.clusters.grouping`) trusts the votes.
With noisy annotators the votes of one guideline question scatter: an item of the
question gets a third label from a careless or biased annotator and lands in another
pair (or in none), while clear items of either label pick up a stray vote for the other
and land in the pair. Two text steps correct this after the pair clusters are formed:

1. **Join.** An item with votes for *both* labels of a pair cluster joins it when it is
   at least as close to the cluster's centre (mean unit vector, cosine) as 80% of the
   cluster's members (``JOIN_QUANTILE`` 0.2) and closer to it than to its own cluster's
   centre; among several such clusters the closest wins.
2. **Drop.** A member whose similarity to its cluster's centre lies more than
   ``DROP_MADS`` (2) robust standard deviations (1.4826 × median absolute deviation)
   below the median member's leaves the cluster ("no cluster"): a text unlike the rest
   of the cluster is a stray vote, not the cluster's question.

On CLINC150 simulations with careful annotators both steps leave the pair clusters
almost unchanged; on the bundled samples (near-random, biased and tiring annotators)
they raise the worst planted group's F1 (docs/clusters.md).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

JOIN_QUANTILE = 0.2
DROP_MADS = 2.0


def _centre(unit: np.ndarray, members: np.ndarray) -> np.ndarray:
    centre = unit[members].mean(axis=0)
    return centre / max(float(np.linalg.norm(centre)), 1e-12)


def join_by_text(
    unit: npt.NDArray[np.floating], counts: npt.NDArray[np.integer], raw: npt.NDArray[np.integer]
) -> npt.NDArray[np.int64]:
    """Cluster ids after the join step (module docstring); -1 stays "no cluster".

    Parameters
    ----------
    unit : ndarray, shape (n_items, dim)
        L2-normalised vectors.
    counts : ndarray of int, shape (n_items, n_labels)
        Votes per item and label; a cluster's pair is its two most voted labels.
    raw : ndarray of int, shape (n_items,)
        Cluster id per item, -1 for none.

    Examples
    --------
    >>> angles = np.array([0.0, 0.1, 0.2, 0.12, 0.1, 1.5])  # three members, three candidates
    >>> unit = np.column_stack([np.cos(angles), np.sin(angles)])
    >>> counts = np.array([[2, 1, 0], [1, 2, 0], [2, 1, 0], [1, 1, 1], [2, 0, 1], [1, 1, 1]])
    >>> join_by_text(unit, counts, np.array([0, 0, 0, -1, -1, -1])).tolist()  # close and both labels
    [0, 0, 0, 0, -1, -1]
    """
    raw = np.asarray(raw, dtype=np.int64)
    ids = [int(c) for c in np.unique(raw) if c >= 0]
    best = np.full(len(unit), -np.inf)
    for c in ids:  # a member moves only to a cluster whose centre is closer than its own
        members = np.nonzero(raw == c)[0]
        best[members] = unit[members] @ _centre(unit, members)
    claim = np.full(len(unit), -1, dtype=np.int64)
    for c in ids:
        members = np.nonzero(raw == c)[0]
        a, b = np.argsort(-counts[members].sum(axis=0), kind="stable")[:2]
        sims = unit @ _centre(unit, members)
        bar = float(np.quantile(sims[members], JOIN_QUANTILE))
        joins = (counts[:, a] > 0) & (counts[:, b] > 0) & (sims >= bar) & (raw != c) & (sims > best)
        claim[joins] = c
        best[joins] = sims[joins]
    return np.where(claim >= 0, claim, raw)


def drop_outliers(
    unit: npt.NDArray[np.floating], raw: npt.NDArray[np.integer], *, neighbours: npt.NDArray[np.integer] | None = None,
) -> npt.NDArray[np.int64]:
    """Cluster ids after the drop step (module docstring).

    With ``neighbours`` (each item's nearest items, rows of ``unit``), a member most of
    whose neighbours are in its own cluster stays unless it lies more than
    ``2 × DROP_MADS`` robust deviations below: it sits in a part of the theme, not apart
    from it.

    Examples
    --------
    >>> angles = np.r_[np.linspace(0.0, 0.1, 9), 1.2]
    >>> unit = np.column_stack([np.cos(angles), np.sin(angles)])
    >>> drop_outliers(unit, np.zeros(10, dtype=int)).tolist()
    [0, 0, 0, 0, 0, 0, 0, 0, 0, -1]
    """
    raw = np.asarray(raw, dtype=np.int64)
    out = raw.copy()
    for c in [int(c) for c in np.unique(raw) if c >= 0]:
        members = np.nonzero(raw == c)[0]
        own = unit[members] @ _centre(unit, members)
        median = float(np.median(own))
        spread = 1.4826 * float(np.median(np.abs(own - median)))
        far = own < median - DROP_MADS * spread
        if neighbours is not None and neighbours.shape[1]:
            supported = (raw[neighbours[members]] == c).sum(axis=1) * 2 > neighbours.shape[1]
            far &= ~supported | (own < median - 2 * DROP_MADS * spread)
        out[members[far]] = -1
    return out
