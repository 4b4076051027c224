"""Overlapping spans without the square of the spans, and a sample of annotators when even
the overlaps would not fit.

Comparing every span with every other span of its document costs ``n**2`` for ``n`` spans:
one 600,000-token sentence with 27,000 spans by two annotators is 729 million comparisons,
almost all between spans far apart. :func:`overlapping_pairs` finds only the pairs that
overlap, from the spans sorted by start (each span against the spans that start before it
ends), so the cost follows the overlaps.

A crowd marking the same phrase makes the overlaps themselves quadratic: 20,000 annotators
of one sentence are 200 million overlapping pairs and as many pairs of judgements. Past
:data:`analysis.base.limits.MAX_PAIRS` (or ten per span and judgement, whichever is more), or
as many pairs of annotators (or three per judgement), the measures of pairs (span F1, the ``pairwise`` list, the disagreement counts and the span
ambiguity) use every pair among a random sample of the annotators (:func:`span_sample`, a
fixed seed, as large as fits), as the single-label measures do
(:mod:`analysis.data.pair_sample`); the token measures (alpha, Dawid-Skene, F1 against
the consensus) use everyone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.base.limits import MAX_PAIRS
from analysis.data.judgements import SpanData
from analysis.data.pair_sample import LISTED_PER_JUDGEMENT, PAIRS_PER_JUDGEMENT, SAMPLE_SEED
from analysis.messages import note

IntArray = npt.NDArray[np.int64]


def _sorted_ranges(doc: IntArray, start: IntArray, end: IntArray) -> tuple[IntArray, IntArray]:
    """Spans in (doc, start) order and, for each, the end of its run of later-starting
    spans that start before it ends."""
    order = np.lexsort((start, doc))
    scale = int(max(end.max(initial=0), start.max(initial=0))) + 1
    key = doc[order] * scale + start[order]
    stop = np.searchsorted(key, doc[order] * scale + end[order], side="left")
    return order, stop


def count_overlapping_pairs(doc: IntArray, start: IntArray, end: IntArray) -> int:
    """Unordered pairs of spans of one document that share a character.

    Examples
    --------
    >>> count_overlapping_pairs(np.array([0, 0, 0, 1]), np.array([0, 2, 9, 0]), np.array([5, 4, 12, 3]))
    1
    """
    if doc.size < 2:
        return 0
    _, stop = _sorted_ranges(doc, start, end)
    return int(np.maximum(stop - np.arange(doc.size) - 1, 0).sum())


def overlapping_pairs(doc: IntArray, start: IntArray, end: IntArray) -> tuple[IntArray, IntArray]:
    """Every ordered pair ``(i, j)``, ``i != j``, of spans of one document that share a
    character (``start_i < end_j`` and ``start_j < end_i``), sorted by ``i`` then ``j``
    (the order of a self-join on the document filtered to overlaps).

    Examples
    --------
    >>> left, right = overlapping_pairs(np.array([0, 0, 0]), np.array([0, 2, 9]), np.array([5, 4, 12]))
    >>> list(zip(left.tolist(), right.tolist()))
    [(0, 1), (1, 0)]
    """
    n = doc.size
    if n < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    order, stop = _sorted_ranges(doc, start, end)
    # a span overlaps every later-starting span of its document that starts before it ends
    # (starts are sorted, and such a span ends after its own start)
    partners = np.maximum(stop - np.arange(n) - 1, 0)
    first = np.repeat(np.arange(n, dtype=np.int64), partners)
    offset = np.arange(first.size) - np.repeat(np.cumsum(partners) - partners, partners)
    second = first + offset + 1
    left, right = order[first], order[second]
    left, right = np.concatenate([left, right]), np.concatenate([right, left])
    by = np.lexsort((right, left))
    return left[by], right[by]


@dataclass(frozen=True, eq=False)
class SpanSample:
    """Which annotators the measures of span pairs use.

    Attributes
    ----------
    data : SpanData
        The judgements and spans of the sampled annotators (the data itself when nothing
        was sampled).
    sampled : bool
    n_annotators, n_kept : int
    pairs : int
        Overlapping spans plus pairs of judgements of one document, among everyone.
    limit, listed_limit : int
        Those pairs, and pairs of annotators, computed in full.
    """

    data: SpanData
    sampled: bool
    n_annotators: int
    n_kept: int
    pairs: int
    limit: int
    listed_limit: int = 0

    def note(self) -> str | None:
        """How the pair measures were estimated (None when nothing was sampled)."""
        if not self.sampled:
            return None
        return note("pair_sample.spans_sampled", kept=self.n_kept, annotators=self.n_annotators,
                    pairs=self.pairs, limit=self.limit, listed=self.listed_limit, setting=MAX_PAIRS.env)



def _cost(doc: IntArray, start: IntArray, end: IntArray, judged_doc: IntArray,
          n_docs: int) -> tuple[int, int]:
    """Overlapping spans plus pairs of judgements of one document, and the latter alone."""
    judges = np.bincount(judged_doc, minlength=n_docs).astype(np.int64)
    judge_pairs = int((judges * (judges - 1) // 2).sum())
    return count_overlapping_pairs(doc, start, end) + judge_pairs, judge_pairs


def _fits(cost: tuple[int, int], annotators: int, limit: int, listed: int) -> bool:
    return cost[0] <= limit and min(cost[1], annotators * (annotators - 1) // 2) <= listed


def span_sample(data: SpanData) -> SpanSample:
    """All annotators, or the largest random sample whose span pairs fit the limit.

    Examples
    --------
    >>> data = SpanData.build([("d", "a", 0, 3, "P"), ("d", "b", 0, 3, "P")])
    >>> span_sample(data).sampled
    False
    """
    judgements, spans = data.judgements, data.spans
    doc_codes, docs = pd.factorize(judgements["item_id"])
    n_docs = len(docs)
    doc = pd.Index(docs).get_indexer(spans["item_id"]).astype(np.int64)
    start = spans["start"].to_numpy(np.int64)
    end = spans["end"].to_numpy(np.int64)
    judged_doc = doc_codes.astype(np.int64)
    limit = max(MAX_PAIRS.value(), PAIRS_PER_JUDGEMENT * (len(spans) + len(judgements)))
    listed = max(MAX_PAIRS.value(), LISTED_PER_JUDGEMENT * len(judgements))
    cost = _cost(doc, start, end, judged_doc, n_docs)
    pairs = cost[0]
    annotators = pd.Index(pd.unique(judgements["annotator"]))
    n_annotators = len(annotators)
    if _fits(cost, n_annotators, limit, listed):
        return SpanSample(data, False, n_annotators, n_annotators, pairs, limit, listed)
    rank = np.empty(n_annotators, dtype=np.int64)
    rank[np.random.default_rng(SAMPLE_SEED).permutation(n_annotators)] = np.arange(n_annotators)
    span_rank = rank[annotators.get_indexer(spans["annotator"])]
    judged_rank = rank[annotators.get_indexer(judgements["annotator"])]

    def fits(k: int) -> bool:
        chosen = span_rank < k
        cost = _cost(doc[chosen], start[chosen], end[chosen], judged_doc[judged_rank < k], n_docs)
        return _fits(cost, k, limit, listed)

    low, high = 2, n_annotators
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    kept = SpanData(judgements[judged_rank < low].reset_index(drop=True),
                    spans[span_rank < low].reset_index(drop=True), data.texts)
    return SpanSample(kept, True, n_annotators, low, pairs, limit, listed)
