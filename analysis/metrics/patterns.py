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
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from analysis.reliability import MISSING, ReliabilityData

MIN_ITEMS_FOR_CI: int = 10
"""Fewer items with two or more judgements than this: no interval is reported."""

CI_LEVEL: float = 0.95
_REPLICATE_CHUNK_CELLS = 4_000_000  # replicates x patterns per chunk (memory bound)


def _row_keys(rows: npt.NDArray[np.integer], base: int) -> npt.NDArray[np.int64] | None:
    """One int64 per row, or ``None`` when the rows are too wide to encode exactly."""
    width = rows.shape[1]
    if width == 0 or width * np.log2(max(base, 2)) >= 62:
        return None
    powers = base ** np.arange(width, dtype=np.int64)
    return rows.astype(np.int64) @ powers


def _group_rows(rows: npt.NDArray[np.integer], base: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of one representative per distinct row, and the row -> group map."""
    keys = _row_keys(rows, base)
    if keys is None:
        _, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


@dataclass(frozen=True, eq=False)
class ItemPatterns:
    """Distinct items (rows of codes or of label counts) with their frequencies.

    Attributes
    ----------
    codes : ndarray of int32, shape (n_patterns, n_annotators) or None
        One representative row of label codes per pattern (``None`` when the patterns
        were built from label counts only).
    counts : ndarray of int64, shape (n_patterns, n_labels)
        Votes per label of each pattern.
    frequency : ndarray of int64, shape (n_patterns,)
        How many items have this pattern.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"item_id": list("aabbcc"), "annotator": list("xyxyxy"),
    ...                       "label": list("ppppqp")})
    >>> patterns = ItemPatterns.from_data(ReliabilityData.from_table(table))
    >>> patterns.frequency.tolist(), patterns.counts.tolist()
    ([2, 1], [[2, 0], [1, 1]])
    """

    codes: npt.NDArray[np.int32] | None
    counts: npt.NDArray[np.int64]
    frequency: npt.NDArray[np.int64]

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
        first, inverse = _group_rows(data.codes - MISSING, data.n_labels + 1)
        codes = data.codes[first]
        rows, cols = np.nonzero(codes != MISSING)
        counts = np.zeros((len(first), data.n_labels), dtype=np.int64)
        np.add.at(counts, (rows, codes[rows, cols]), 1)
        frequency = np.bincount(inverse, minlength=len(first)).astype(np.int64)
        return cls(codes=codes, counts=counts, frequency=frequency)

    @classmethod
    def from_counts(cls, counts: npt.NDArray[np.integer]) -> ItemPatterns:
        """Group items by their votes per label, shape (n_items, n_labels)."""
        counts = np.asarray(counts, dtype=np.int64)
        base = int(counts.max(initial=0)) + 1
        first, inverse = _group_rows(counts, base)
        frequency = np.bincount(inverse, minlength=len(first)).astype(np.int64)
        return cls(codes=None, counts=counts[first], frequency=frequency)

    @property
    def n_items(self) -> int:
        """Number of items represented."""
        return int(self.frequency.sum())

    @property
    def n_patterns(self) -> int:
        """Number of distinct patterns."""
        return len(self.frequency)

    @property
    def judgements(self) -> npt.NDArray[np.int64]:
        """Judgements per pattern, shape (n_patterns,)."""
        return self.counts.sum(axis=1)

    def pairable_items(self) -> int:
        """Items with at least two judgements (the ones agreement rests on)."""
        return int(self.frequency[self.judgements >= 2].sum())

    def replicate_weights(
        self, n_replicates: int, *, seed: int
    ) -> Iterator[npt.NDArray[np.float64]]:
        """Bootstrap weights over patterns, in chunks of shape (chunk, n_patterns).

        Each row is the pattern frequency of one resample of ``n_items`` items drawn
        with replacement (a multinomial draw), so summing per-pattern quantities with
        these weights equals recomputing on the resampled items.
        """
        rng = np.random.default_rng(seed)
        n = self.n_items
        if n == 0 or n_replicates <= 0:
            return
        shares = self.frequency / n
        chunk = max(1, _REPLICATE_CHUNK_CELLS // max(self.n_patterns, 1))
        done = 0
        while done < n_replicates:
            size = min(chunk, n_replicates - done)
            yield rng.multinomial(n, shares, size=size).astype(np.float64)
            done += size


def bootstrap(
    patterns: ItemPatterns,
    statistics: dict[str, Callable[[npt.NDArray[np.float64]], npt.NDArray[np.float64]]],
    *,
    n_replicates: int,
    seed: int,
) -> dict[str, npt.NDArray[np.float64]]:
    """Replicates of several statistics on the same resamples.

    Parameters
    ----------
    patterns : ItemPatterns
    statistics : dict of name -> callable
        Each maps weights of shape (b, n_patterns) to values of shape (b, ...).
    n_replicates, seed : int

    Returns
    -------
    dict of name -> ndarray, shape (n_replicates, ...)
    """
    parts: dict[str, list[np.ndarray]] = {name: [] for name in statistics}
    for weights in patterns.replicate_weights(n_replicates, seed=seed):
        for name, statistic in statistics.items():
            parts[name].append(np.asarray(statistic(weights), dtype=float))
    return {
        name: np.concatenate(chunks, axis=0) if chunks else np.empty((0,))
        for name, chunks in parts.items()
    }


def percentile_interval(
    replicates: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """95% percentile interval over axis 0, ignoring undefined (NaN) replicates.

    Returns
    -------
    low, high : ndarray, shape replicates.shape[1:]
        NaN where fewer than half of the replicates are defined.
    n_defined : ndarray of int
        Defined replicates per statistic.

    Examples
    --------
    >>> low, high, n = percentile_interval(np.arange(101.0))
    >>> float(low), float(high), int(n)
    (2.5, 97.5, 101)
    """
    values = np.asarray(replicates, dtype=float)
    finite = np.isfinite(values)
    n_defined = finite.sum(axis=0)
    tail = (1.0 - CI_LEVEL) / 2.0
    enough = n_defined * 2 >= max(values.shape[0], 1)
    # Undefined replicates become +/-inf in turn so they never move the kept percentiles.
    shape = values.shape[1:]
    if values.shape[0] == 0:
        empty = np.full(shape, np.nan)
        return empty, empty.copy(), np.zeros(shape, dtype=np.int64)
    sorted_values = np.sort(np.where(finite, values, np.inf), axis=0)
    position_low = tail * (n_defined - 1)
    position_high = (1.0 - tail) * (n_defined - 1)
    low = _interpolate(sorted_values, position_low)
    high = _interpolate(sorted_values, position_high)
    low = np.where(enough, low, np.nan)
    high = np.where(enough, high, np.nan)
    return low, high, n_defined.astype(np.int64)


def _interpolate(sorted_values: np.ndarray, position: np.ndarray) -> np.ndarray:
    position = np.clip(np.asarray(position, dtype=float), 0, None)
    below = np.floor(position).astype(np.int64)
    above = np.minimum(below + 1, sorted_values.shape[0] - 1)
    fraction = position - below
    lower = np.take_along_axis(sorted_values, below[None, ...], axis=0)[0]
    upper = np.take_along_axis(sorted_values, above[None, ...], axis=0)[0]
    with np.errstate(invalid="ignore"):
        return np.where(fraction > 0, lower + fraction * (upper - lower), lower)
