"""A random sample of annotators when their pairs on shared items would not fit in memory.

Krippendorff's alpha, Fleiss' kappa, Gwet's AC1 and percent agreement come from the label
counts per item, so their cost is linear in the judgements whatever the crowd. The
measures of *pairs* of annotators do not: Light's kappa (the mean of the pairwise Cohen's
kappas), the ``pairwise`` list, the bias index and the pairwise homogeneity tests need
every pair of judgements on the same item, ``m (m - 1) / 2`` of them on an item judged
``m`` times. 10,000 workers on 2 items is 20,000 judgements in 218 KB, but 100 million such
pairs (gigabytes).

Past :data:`analysis.base.limits.MAX_PAIRS` pairs of judgements (or ten per judgement, whichever
is more), or as many pairs of annotators (or three per judgement), those measures use every pair among a random sample of the annotators, drawn once per
dataset (a fixed seed, so every section and every run uses the same sample): each pair of
annotators is in the sample with the same probability, so a mean over the sampled pairs
estimates the mean over all pairs without bias. The sample is as large as fits the limit.
Their notes and the report's warnings say so; their intervals resample items for the
sampled annotators and do not include the sampling of annotators.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from analysis.base.limits import MAX_PAIRS
from analysis.messages import note

SAMPLE_SEED = 20_250_101
"""Seed of the annotator sample: fixed, so the report, the dashboard and every run agree."""

PAIRS_PER_JUDGEMENT = 10
"""Pairs of judgements on shared items always allowed per judgement: an item judged ``m``
times has ``(m - 1) / 2`` per judgement, so data with up to 21 judgements per item (dense
teams, the usual crowd designs of 3 to 10) is not sampled for it, however large."""

LISTED_PER_JUDGEMENT = 3
"""Pairs of annotators always allowed per judgement (each is one entry of the ``pairwise``
list): crowds of up to 7 judgements per item are listed in full however many workers
(20,000 workers, 1,000,000 judgements, 2,000,000 pairs that share an item); 40,000
annotators of one item (800 million pairs) are not."""


def pair_limits(n_judgements: int) -> tuple[int, int]:
    """Pairs of judgements on shared items, and pairs of annotators, computed in full.

    Examples
    --------
    >>> pair_limits(10) == (max(MAX_PAIRS.value(), 100), max(MAX_PAIRS.value(), 30))
    True
    """
    limit = MAX_PAIRS.value()
    return (max(limit, PAIRS_PER_JUDGEMENT * n_judgements),
            max(limit, LISTED_PER_JUDGEMENT * n_judgements))


def pairs_fit(pairs: int, annotators: int, n_judgements: int) -> bool:
    """Whether ``pairs`` pairs of judgements among ``annotators`` annotators (at most
    ``annotators (annotators - 1) / 2`` pairs of them) are within :func:`pair_limits`."""
    within, listed = pair_limits(n_judgements)
    return pairs <= within and min(pairs, annotators * (annotators - 1) // 2) <= listed


@dataclass(frozen=True, eq=False)
class PairSample:
    """Which annotators the pair measures use.

    Attributes
    ----------
    keep : ndarray of bool, shape (n_annotators,)
        The annotators in the sample (all of them when ``sampled`` is False).
    sampled : bool
    n_annotators : int
    pairs : int
        Pairs of judgements on shared items among all annotators.
    pairs_kept : int
        Among the sampled annotators.
    limit, listed_limit : int
        Pairs of judgements on shared items, and pairs of annotators, computed in full.
    """

    keep: npt.NDArray[np.bool_]
    sampled: bool
    n_annotators: int
    pairs: int
    pairs_kept: int
    limit: int
    listed_limit: int = 0

    @property
    def n_kept(self) -> int:
        """Annotators in the sample."""
        return int(self.keep.sum())

    def note(self) -> str | None:
        """How the pair measures were estimated (None when nothing was sampled).

        Examples
        --------
        >>> PairSample(np.array([True, False]), True, 2, 10, 4, 5, 3).note()
        'estimated on every pair among a random sample of 1 of 2 annotators: their 10 pairs of judgements on shared items are past what is computed in full (5 pairs of judgements, 3 pairs of annotators; LABEL_AGREEMENT_MAX_PAIRS); intervals resample items, not annotators'
        """
        if not self.sampled:
            return None
        return note("pair_sample.sampled", kept=self.n_kept, annotators=self.n_annotators,
                    pairs=self.pairs, limit=self.limit, listed=self.listed_limit, setting=MAX_PAIRS.env)

    def judgements(self, annotator: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_] | None:
        """Mask of the judgements (by their annotator codes) the pair measures use, or None
        when all are."""
        return self.keep[annotator] if self.sampled else None


def _pairs_per_prefix(item: npt.NDArray[np.int64], rank: npt.NDArray[np.int64],
                      n_items: int, k: int) -> int:
    m = np.bincount(item[rank < k], minlength=n_items).astype(np.int64)
    return int((m * (m - 1) // 2).sum())


def pair_sample(item: npt.NDArray[np.int64], annotator: npt.NDArray[np.int64], *,
                n_items: int, n_annotators: int) -> PairSample:
    """The annotators whose pairs fit :func:`pair_limits` (all, or the largest random sample).

    Parameters
    ----------
    item, annotator : ndarray of int64, shape (n_judgements,)
        Codes of each judgement (one judgement per item and annotator).
    n_items, n_annotators : int

    Examples
    --------
    >>> item = np.repeat(np.arange(2), 4)
    >>> annotator = np.tile(np.arange(4), 2)
    >>> pair_sample(item, annotator, n_items=2, n_annotators=4).sampled
    False
    """
    item = np.asarray(item, dtype=np.int64)
    annotator = np.asarray(annotator, dtype=np.int64)
    limit, listed = pair_limits(item.size)
    everyone = np.ones(n_annotators, dtype=bool)
    m = np.bincount(item, minlength=n_items).astype(np.int64)
    pairs = int((m * (m - 1) // 2).sum())
    if pairs_fit(pairs, n_annotators, item.size):
        return PairSample(everyone, False, n_annotators, pairs, pairs, limit, listed)
    order = np.random.default_rng(SAMPLE_SEED).permutation(n_annotators)
    rank = np.empty(n_annotators, dtype=np.int64)
    rank[order] = np.arange(n_annotators)
    judgement_rank = rank[annotator]
    low, high = 2, n_annotators  # the largest k whose first k annotators fit
    while low < high:
        middle = (low + high + 1) // 2
        if pairs_fit(_pairs_per_prefix(item, judgement_rank, n_items, middle), middle, item.size):
            low = middle
        else:
            high = middle - 1
    keep = rank < low
    kept = _pairs_per_prefix(item, judgement_rank, n_items, low)
    return PairSample(keep, True, n_annotators, pairs, kept, limit, listed)
