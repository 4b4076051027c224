"""Items grouped by their pattern of judgements, and the item bootstrap built on them.

Every agreement coefficient here is a function of per-item quantities summed over items.
Items with the same row of label codes contribute identically, so the data is reduced
once to its distinct rows (*patterns*) and their frequencies, and every statistic is
written as a function of a weight vector over patterns: the frequencies give the point
estimate, and a bootstrap replicate (items resampled with replacement) is a multinomial
draw of those weights. That makes 1000 resamples a handful of matrix products instead of
1000 calls of the full computation, with exactly the distribution of the item bootstrap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.data.reliability import MISSING, ReliabilityData
from analysis.metrics.budget import memory_budget_bytes, rows_within_budget

# replicates x patterns per chunk: small enough that a chunk's weights stay in cache
_REPLICATE_CHUNK_CELLS = 1_000_000
# replicates per call of a bootstrap's evaluate (chunks of draws stacked up to this)
_EVALUATE_ROWS = 64
# groups seen at most this often are resampled unit by unit (see resample_weights)
_UNIT_DRAW_MAX_FREQUENCY = 8


def _row_keys(rows: npt.NDArray[np.integer], base: int) -> npt.NDArray[np.int64] | None:
    """One int64 per row, or ``None`` when the rows are too wide to encode exactly."""
    width = rows.shape[1]
    if width == 0 or width * np.log2(max(base, 2)) >= 62:
        return None
    powers = base ** np.arange(width, dtype=np.int64)
    return rows.astype(np.int64) @ powers


def _sparse_rows(rows: npt.NDArray[np.integer], base: int) -> npt.NDArray[np.int64] | None:
    """Rows of non-negative counts, few non-zero each, as short rows that sort alike.

    Each non-zero entry becomes ``(width - column) * base + value``, in column order,
    padded with 0: two such rows compare lexicographically as the full rows do (the
    first column where they differ decides; a value there beats a zero, which the
    next entry's smaller code or the padding stands for). ``None`` when most cells are
    non-zero (nothing to gain).
    """
    n, width = rows.shape
    nonzero = rows != 0
    per_row = nonzero.sum(axis=1)
    short = int(per_row.max(initial=0))
    if n == 0 or 4 * short > width:
        return None
    row_of, column = np.nonzero(nonzero)  # row-major: columns ascending within a row
    position = np.arange(row_of.size) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    packed = np.zeros((n, max(short, 1)), dtype=np.int64)
    packed[row_of, position] = (width - column) * base + rows[row_of, column]
    return packed


def unique_rows(rows: npt.NDArray[np.integer]) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(rows, axis=0, return_index=True, return_inverse=True)`` without the
    distinct rows (they are ``rows[first]``): the same groups in the same order.

    Rows of non-negative counts with few non-zero cells (many labels, a handful of votes
    per item) are grouped through their packed non-zero entries (:func:`_sparse_rows`),
    17 times faster for 40,000 items over 150 labels.

    Examples
    --------
    >>> first, inverse = unique_rows(np.array([[0, 2], [1, 0], [0, 2]]))
    >>> first.tolist(), inverse.tolist()
    ([0, 1], [0, 1, 0])
    """
    rows = np.asarray(rows)
    base = int(rows.max(initial=0)) + 1 if rows.size else 1
    whole = rows.ndim == 2 and np.issubdtype(rows.dtype, np.integer) and rows.min(initial=0) >= 0
    packed = _sparse_rows(rows, base) if whole else None
    if packed is None:
        _, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
        return first, inverse.reshape(-1)
    width, packed_base = packed.shape[1], (rows.shape[1] + 1) * base
    if width * np.log2(packed_base) < 62:
        powers = packed_base ** np.arange(width - 1, -1, -1, dtype=np.int64)  # first entry leads
        _, first, inverse = np.unique(packed @ powers, return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(packed, axis=0, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def _group_rows(rows: npt.NDArray[np.integer], base: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of one representative per distinct row, and the row -> group map."""
    keys = _row_keys(rows, base)
    if keys is None:
        return unique_rows(rows)
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def _padded_rows(data: ReliabilityData) -> npt.NDArray[np.int64] | None:
    """Each item's judgements as one row that sorts like its dense row of codes.

    Entry ``(A - 1 - annotator) * (L + 1) + label + 1`` per judgement, in annotator
    order, padded with 0: comparing two such rows lexicographically compares the
    items' dense rows (missing = smallest), so grouping gives the same patterns in the
    same order as grouping the dense matrix. ``None`` when the padded matrix would
    exceed the memory budget.
    """
    per_item = data.judgements_per_item()
    width = int(per_item.max(initial=0))
    if data.n_items * max(width, 1) * 8 > memory_budget_bytes():
        return None
    starts = np.cumsum(per_item) - per_item
    position = np.arange(data.n_judgements) - np.repeat(starts, per_item)
    padded = np.zeros((data.n_items, max(width, 1)), dtype=np.int64)
    padded[data.item_index, position] = (
        (data.n_annotators - 1 - data.annotator_index) * (data.n_labels + 1) + data.label_code + 1)
    return padded


def _group_items(data: ReliabilityData) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_group_rows` of the dense codes, computed from the judgements alone."""
    base, width = data.n_labels + 1, data.n_annotators
    if width and width * np.log2(max(base, 2)) < 62:
        # the dense row's key sum((code + 1) * base**annotator): missing cells add 0
        keys = np.zeros(data.n_items, dtype=np.int64)
        powers = base ** np.arange(width, dtype=np.int64)
        np.add.at(keys, data.item_index, (data.label_code + 1) * powers[data.annotator_index])
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        return first, inverse.reshape(-1)
    padded = _padded_rows(data)
    if padded is None:  # too wide to group within the budget: every item is its own pattern
        return np.arange(data.n_items), np.arange(data.n_items)
    _, first, inverse = np.unique(padded, axis=0, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


@dataclass(frozen=True, eq=False)
class PatternJudgements:
    """The judgements of each pattern's representative item, sorted by pattern, annotator.

    Attributes
    ----------
    pattern, annotator, label : ndarray of int64, shape (n_entries,)
    """

    pattern: npt.NDArray[np.int64]
    annotator: npt.NDArray[np.int64]
    label: npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class ItemPatterns:
    """Distinct items (rows of codes or of label counts) with their frequencies.

    Attributes
    ----------
    counts : ndarray of int64, shape (n_patterns, n_labels)
        Votes per label of each pattern.
    frequency : ndarray of int64, shape (n_patterns,)
        How many items have this pattern.
    judgements : PatternJudgements or None
        Who gave which label in each pattern (``None`` when the patterns were built
        from label counts only).
    n_annotators : int
        Annotators of the data the patterns come from (0 for count patterns).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"item_id": list("aabbcc"), "annotator": list("xyxyxy"),
    ...                       "label": list("ppppqp")})
    >>> patterns = ItemPatterns.from_data(ReliabilityData.from_table(table))
    >>> patterns.frequency.tolist(), patterns.counts.tolist()
    ([2, 1], [[2, 0], [1, 1]])
    >>> patterns.codes.tolist()
    [[0, 0], [1, 0]]
    """

    counts: npt.NDArray[np.int64]
    frequency: npt.NDArray[np.int64]
    judgements: PatternJudgements | None = None
    n_annotators: int = 0
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    """Results computed from these patterns, kept for the next caller (deterministic)."""

    @classmethod
    def from_data(cls, data: ReliabilityData, *, by: str = "codes") -> ItemPatterns:
        """Group the items of ``data``.

        Parameters
        ----------
        data : ReliabilityData
        by : {"codes", "counts"}
            ``"codes"`` keeps who gave which label (needed for pairwise kappas);
            ``"counts"`` keeps only votes per label (enough for the multi-rater
            coefficients, and far fewer patterns).
        """
        if by == "counts":
            return cls.from_counts(data.counts())
        # grouped once per data object: the report's analyses all start from it
        cached = data.__dict__.get("_code_patterns")
        if isinstance(cached, ItemPatterns):
            return cached
        patterns = cls._group_codes(data)
        data.__dict__["_code_patterns"] = patterns
        return patterns

    @classmethod
    def _group_codes(cls, data: ReliabilityData) -> ItemPatterns:
        first, inverse = _group_items(data)
        frequency = np.bincount(inverse, minlength=len(first)).astype(np.int64)
        pattern_of_item = np.full(data.n_items, -1, dtype=np.int64)
        pattern_of_item[first] = np.arange(len(first))
        keep = pattern_of_item[data.item_index] >= 0  # judgements of representative items
        pattern = pattern_of_item[data.item_index[keep]]
        order = np.argsort(pattern, kind="stable")  # stays sorted by annotator within
        judgements = PatternJudgements(pattern[order], data.annotator_index[keep][order],
                                       data.label_code[keep][order])
        counts = np.bincount(judgements.pattern * data.n_labels + judgements.label,
                             minlength=len(first) * data.n_labels
                             ).reshape(len(first), data.n_labels).astype(np.int64)
        return cls(counts=counts, frequency=frequency, judgements=judgements,
                   n_annotators=data.n_annotators)

    @classmethod
    def from_counts(cls, counts: npt.NDArray[np.integer]) -> ItemPatterns:
        """Group items by their votes per label, shape (n_items, n_labels)."""
        counts = np.asarray(counts, dtype=np.int64)
        base = int(counts.max(initial=0)) + 1
        first, inverse = _group_rows(counts, base)
        frequency = np.bincount(inverse, minlength=len(first)).astype(np.int64)
        return cls(counts=counts[first], frequency=frequency)

    @property
    def codes(self) -> npt.NDArray[np.int32] | None:
        """Dense rows of label codes per pattern, shape (n_patterns, n_annotators)."""
        if self.judgements is None:
            return None
        dense = np.full((self.n_patterns, self.n_annotators), MISSING, dtype=np.int32)
        dense[self.judgements.pattern, self.judgements.annotator] = self.judgements.label
        return dense

    @property
    def n_items(self) -> int:
        """Number of items represented."""
        return int(self.frequency.sum())

    @property
    def n_patterns(self) -> int:
        """Number of distinct patterns."""
        return len(self.frequency)

    @property
    def per_pattern(self) -> npt.NDArray[np.int64]:
        """Judgements per pattern, shape (n_patterns,)."""
        return self.counts.sum(axis=1)

    def pairable_items(self) -> int:
        """Items with at least two judgements (the ones agreement rests on)."""
        return int(self.frequency[self.per_pattern >= 2].sum())

    def replicate_weights(
        self, n_replicates: int, *, seed: int, cells_per_replicate: int = 0
    ) -> Iterator[npt.NDArray[np.float64]]:
        """Bootstrap weights over patterns (see :func:`resample_weights`)."""
        return resample_weights(self.frequency, n_replicates, seed=seed,
                                cells_per_replicate=cells_per_replicate)


def replicates_per_chunk(n_groups: int) -> int:
    """Resamples per chunk of :func:`resample_weights` before the memory budget applies."""
    return max(1, _REPLICATE_CHUNK_CELLS // max(n_groups, 1))


def evaluate_rows(n_patterns: int) -> int:
    """Weight rows :func:`bootstrap` usually passes to its ``evaluate`` at a time."""
    return rows_within_budget(n_patterns, limit=max(replicates_per_chunk(n_patterns), _EVALUATE_ROWS))


def resample_weights(
    frequency: npt.NDArray[np.integer], n_replicates: int, *, seed: int,
    cells_per_replicate: int = 0,
) -> Iterator[npt.NDArray[np.float64]]:
    """Bootstrap weights over groups of identical units, in chunks of shape (chunk, n_groups).

    Each row is the group frequency of one resample of ``frequency.sum()`` units drawn
    with replacement (a multinomial draw), so summing per-group quantities with these
    weights equals recomputing on the resampled units.

    A multinomial draw costs one binomial per group, which dominates when most groups
    are rare. So the draw is split (exactly, by the grouping property of the
    multinomial): one multinomial over the frequent groups plus a single "rare"
    category, then that category's count of units is drawn unit by unit, uniformly
    among the rare groups' units.

    ``cells_per_replicate`` is the size of what the caller computes per replicate; the
    chunks are made small enough that it stays within the memory budget
    (:mod:`analysis.metrics.budget`). The draws do not depend on the chunking.

    Examples
    --------
    >>> chunks = list(resample_weights(np.array([2, 1, 40]), 3, seed=0))
    >>> [chunk.sum(axis=1).tolist() for chunk in chunks]
    [[43.0, 43.0, 43.0]]
    """
    for counts in _resample_counts(frequency, n_replicates, seed=seed,
                                   cells_per_replicate=cells_per_replicate):
        yield counts if counts.dtype == np.float64 else counts.astype(float)


def _chunk_sizes(n_groups: int, n_replicates: int, cells_per_replicate: int) -> list[int]:
    """Rows of each chunk that :func:`resample_weights` yields."""
    chunk = rows_within_budget(n_groups + cells_per_replicate, limit=replicates_per_chunk(n_groups))
    return [min(chunk, n_replicates - done) for done in range(0, max(n_replicates, 0), chunk)]


def _resample_counts(
    frequency: npt.NDArray[np.integer], n_replicates: int, *, seed: int,
    cells_per_replicate: int = 0,
) -> Iterator[npt.NDArray[np.float64] | npt.NDArray[np.int64]]:
    """The chunks of :func:`resample_weights`, as int64 counts where that saves a copy."""
    frequency = np.asarray(frequency, dtype=np.int64)
    n = int(frequency.sum())
    if n == 0 or n_replicates <= 0:
        return
    rng = np.random.default_rng(seed)
    rare = frequency <= _UNIT_DRAW_MAX_FREQUENCY
    common_index, rare_index = np.nonzero(~rare)[0], np.nonzero(rare)[0]
    n_rare_units = int(frequency[rare_index].sum())
    shares = np.append(frequency[common_index], n_rare_units) / n
    # each rare unit, as the position of its group within rare_index
    rare_unit_group = np.repeat(np.arange(len(rare_index), dtype=np.int64), frequency[rare_index])
    n_groups = len(frequency)
    # crowd data: every item its own pattern, so each rare unit is its own group and
    # the counts are the weights as they stand (same draws, no copies)
    one_unit_groups = rare_unit_group.size == len(rare_index)
    all_rare = len(rare_index) == n_groups
    for size in _chunk_sizes(n_groups, n_replicates, cells_per_replicate):
        top = rng.multinomial(n, shares, size=size)
        if n_rare_units:
            drawn = top[:, -1]
            flat = rng.integers(0, n_rare_units, size=int(drawn.sum()))
            if not one_unit_groups:
                flat = rare_unit_group[flat]
            # one count per replicate row (the same counts as one bincount over the
            # chunk with row offsets, without the offsets' pass over the draws)
            rare_counts = np.empty((size, len(rare_index)), dtype=np.int64)
            bounds = np.r_[0, np.cumsum(drawn)]
            for row in range(size):
                rare_counts[row] = np.bincount(flat[bounds[row]:bounds[row + 1]],
                                               minlength=len(rare_index))
        if n_rare_units and all_rare:
            yield rare_counts
            continue
        weights = np.empty((size, n_groups))
        weights[:, common_index] = top[:, :-1]
        if n_rare_units:
            weights[:, rare_index] = rare_counts
        yield weights


def weight_batches(
    frequency: npt.NDArray[np.integer], n_replicates: int, *, seed: int,
    cells_per_replicate: int = 0, batch: int,
) -> Iterator[npt.NDArray[np.float64]]:
    """The rows of :func:`resample_weights`, stacked up to ``batch`` rows at a time.

    Whole chunks are stacked (a chunk larger than ``batch`` comes alone), in the same
    order, so the replicates are those of :func:`resample_weights`. Each batch has
    shape (b, n_groups) and is the transpose of a C-ordered (n_groups, b) array: sparse
    products ``matrix @ weights.T`` (one column per replicate) then read it without a
    transposing copy.

    Examples
    --------
    >>> chunks = np.concatenate(list(resample_weights(np.array([2, 1, 40]), 7, seed=0)))
    >>> batches = list(weight_batches(np.array([2, 1, 40]), 7, seed=0, batch=4))
    >>> bool((np.concatenate(batches) == chunks).all()), batches[0].T.flags.c_contiguous
    (True, True)
    """
    frequency = np.asarray(frequency, dtype=np.int64)
    if int(frequency.sum()) == 0 or n_replicates <= 0:
        return
    widths: list[int] = []
    for size in _chunk_sizes(len(frequency), n_replicates, cells_per_replicate):
        if widths and widths[-1] + size <= batch:
            widths[-1] += size
        else:
            widths.append(size)
    chunks = _resample_counts(frequency, n_replicates, seed=seed,
                              cells_per_replicate=cells_per_replicate)
    for width in widths:
        rows = np.empty((width, len(frequency)))
        filled = 0
        while filled < width:
            counts = next(chunks)
            rows[filled:filled + len(counts)] = counts
            filled += len(counts)
        # one transposing copy per batch, shared by every product that reads it
        batch_weights = rows.T.copy().T
        del rows  # not held while the batch is evaluated
        yield batch_weights


def bootstrap(
    patterns: ItemPatterns,
    evaluate: Callable[[npt.NDArray[np.float64]], dict[str, npt.NDArray[np.float64]]],
    *,
    n_replicates: int,
    seed: int,
    cells_per_replicate: int = 0,
) -> dict[str, npt.NDArray[np.float64]]:
    """Replicates of several statistics on the same resamples.

    Parameters
    ----------
    patterns : ItemPatterns
    evaluate : callable
        Maps weights of shape (b, n_patterns) to ``{name: values of shape (b, ...)}``;
        one call per chunk of replicates, so shared sums are computed once.
    n_replicates, seed : int
    cells_per_replicate : int, default 0
        Floats ``evaluate`` holds per replicate; sizes the chunks to the memory budget.

    Returns
    -------
    dict of name -> ndarray, shape (n_replicates, ...)
        Empty when there is nothing to resample.

    Examples
    --------
    >>> patterns = ItemPatterns.from_counts(np.array([[2, 0], [1, 1], [0, 2]]))
    >>> reps = bootstrap(patterns, lambda w: {"first": w[:, 0]}, n_replicates=5, seed=0)
    >>> reps["first"].shape
    (5,)
    """
    parts: dict[str, list[np.ndarray]] = {}
    # Draws come in small chunks (their cost depends on it); evaluate gets them stacked
    # up to _EVALUATE_ROWS rows within the memory budget, as each replicate is
    # evaluated on its own row (fewer, wider products; the same values).
    batch = rows_within_budget(patterns.n_patterns + cells_per_replicate, limit=_EVALUATE_ROWS)
    for weights in weight_batches(patterns.frequency, n_replicates, seed=seed,
                                  cells_per_replicate=cells_per_replicate, batch=batch):
        for name, values in evaluate(weights).items():
            parts.setdefault(name, []).append(np.asarray(values, dtype=float))
    return {name: np.concatenate(chunks, axis=0) for name, chunks in parts.items()}

