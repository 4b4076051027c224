"""A random sample of annotators when their pairs on shared items would not fit in memory.

Krippendorff's alpha, Fleiss' kappa, Gwet's AC1 and percent agreement come from the label
counts per item, so their cost is linear in the judgements whatever the crowd. The
measures of *pairs* of annotators do not: Light's kappa (the mean of the pairwise Cohen's
kappas), the ``pairwise`` list, the bias index and the pairwise homogeneity tests need
every pair of judgements on the same item, ``m (m - 1) / 2`` of them on an item judged
``m`` times. 10,000 workers on 2 items is 20,000 judgements in 218 KB, but 100 million such
pairs (gigabytes).

Above :data:`analysis.limits.MAX_PAIRS` (or two pairs per judgement, whichever is more),
those measures use every pair among a random sample of the annotators, drawn once per
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

from analysis.limits import MAX_PAIRS

SAMPLE_SEED = 20_250_101
"""Seed of the annotator sample: fixed, so the report, the dashboard and every run agree."""

PAIRS_PER_JUDGEMENT = 2
"""Pairs always allowed per judgement: data whose pairs grow linearly (5 judgements per
item: 2 pairs per judgement) is never sampled, however large."""


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
    limit : int
    """

    keep: npt.NDArray[np.bool_]
    sampled: bool
    n_annotators: int
    pairs: int
    pairs_kept: int
    limit: int

    @property
    def n_kept(self) -> int:
        """Annotators in the sample."""
        return int(self.keep.sum())

    def note(self) -> str | None:
        """How the pair measures were estimated (None when nothing was sampled).

        Examples
        --------
        >>> PairSample(np.array([True, False]), True, 2, 10, 4, 5).note()
        'estimated on every pair among a random sample of 1 of 2 annotators: their 10 pairs of judgements on shared items are above the limit of 5 (LABEL_AGREEMENT_MAX_PAIRS); intervals resample items, not annotators'
        """
        if not self.sampled:
            return None
        return (f"estimated on every pair among a random sample of {self.n_kept:,} of "
                f"{self.n_annotators:,} annotators: their {self.pairs:,} pairs of judgements on "
                f"shared items are above the limit of {self.limit:,} ({MAX_PAIRS.env}); "
                "intervals resample items, not annotators")

    def judgements(self, annotator: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_] | None:
        """Mask of the judgements (by their annotator codes) the pair measures use, or None
        when all are."""
        return self.keep[annotator] if self.sampled else None


def _pairs_per_prefix(item: npt.NDArray[np.int64], rank: npt.NDArray[np.int64],
                      n_items: int, k: int) -> int:
    m = np.bincount(item[rank < k], minlength=n_items).astype(np.int64)
    return int((m * (m - 1) // 2).sum())


def pair_limit(n_judgements: int) -> int:
    """Pairs of judgements on shared items computed without sampling.

    Examples
    --------
    >>> pair_limit(10) == max(MAX_PAIRS.value(), 20)
    True
    """
    return max(MAX_PAIRS.value(), PAIRS_PER_JUDGEMENT * n_judgements)


def pair_sample(item: npt.NDArray[np.int64], annotator: npt.NDArray[np.int64], *,
                n_items: int, n_annotators: int) -> PairSample:
    """The annotators whose pairs fit :func:`pair_limit` (all, or the largest random sample).

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
    limit = pair_limit(item.size)
    everyone = np.ones(n_annotators, dtype=bool)
    m = np.bincount(item, minlength=n_items).astype(np.int64)
    pairs = int((m * (m - 1) // 2).sum())
    if pairs <= limit:
        return PairSample(everyone, False, n_annotators, pairs, pairs, limit)
    order = np.random.default_rng(SAMPLE_SEED).permutation(n_annotators)
    rank = np.empty(n_annotators, dtype=np.int64)
    rank[order] = np.arange(n_annotators)
    judgement_rank = rank[annotator]
    low, high = 2, n_annotators  # the largest k whose first k annotators fit
    while low < high:
        middle = (low + high + 1) // 2
        if _pairs_per_prefix(item, judgement_rank, n_items, middle) <= limit:
            low = middle
        else:
            high = middle - 1
    keep = rank < low
    kept = _pairs_per_prefix(item, judgement_rank, n_items, low)
    return PairSample(keep, True, n_annotators, pairs, kept, limit)
