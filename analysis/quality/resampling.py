"""Bootstrap over items, vectorised: replicates are rows of a weight matrix.

A replicate that draws item ``u`` twice gives it weight 2; any statistic that is a
weighted sum over items (agreement counts, coincidence matrices) is then one matrix
product per chunk of replicates instead of a Python loop.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt

# Upper bound on cells of one weight chunk (replicates x items), about 40 MB of int64.
_CHUNK_CELLS = 5_000_000


def bootstrap_weights(
    n_items: int, *, replicates: int, rng: np.random.Generator
) -> Iterator[npt.NDArray[np.float64]]:
    """Yield chunks of bootstrap weights, each of shape (chunk, n_items).

    Every row sums to ``n_items`` (a resample of the items with replacement).

    Examples
    --------
    >>> chunks = list(bootstrap_weights(4, replicates=3, rng=np.random.default_rng(0)))
    >>> [chunk.sum(axis=1).tolist() for chunk in chunks]
    [[4.0, 4.0, 4.0]]
    """
    if n_items == 0 or replicates <= 0:
        return
    per_chunk = max(1, min(replicates, _CHUNK_CELLS // n_items))
    done = 0
    while done < replicates:
        size = min(per_chunk, replicates - done)
        draws = rng.integers(0, n_items, size=(size, n_items))
        offsets = np.arange(size)[:, None] * n_items
        flat = np.bincount((draws + offsets).ravel(), minlength=size * n_items)
        yield flat.reshape(size, n_items).astype(np.float64)
        done += size


def percentile_interval(
    estimates: npt.NDArray[np.float64], *, level: float = 0.95
) -> tuple[float | None, float | None]:
    """Percentile interval of the defined (finite) bootstrap estimates.

    Returns ``(None, None)`` when fewer than 20 replicates are defined.

    Examples
    --------
    >>> percentile_interval(np.linspace(0, 1, 101))
    (0.025, 0.975)
    """
    finite = estimates[np.isfinite(estimates)]
    if finite.size < 20:
        return None, None
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return float(low), float(high)


def bootstrap_mean(
    values: npt.NDArray[np.float64], *, replicates: int, seed: int
) -> tuple[float | None, float | None]:
    """95% percentile interval of the mean of ``values`` (resampled units).

    Examples
    --------
    >>> low, high = bootstrap_mean(np.array([1.0] * 80 + [0.0] * 20), replicates=500, seed=0)
    >>> 0.7 < low < 0.8 < high < 0.9
    True
    """
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0 or replicates <= 0:
        return None, None
    rng = np.random.default_rng(seed)
    means = np.concatenate(
        [w @ values / values.size for w in bootstrap_weights(values.size, replicates=replicates, rng=rng)]
    )
    return percentile_interval(means)
