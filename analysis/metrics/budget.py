"""The memory budget of the vectorised bootstrap.

Every interval is computed from chunks of bootstrap replicates: weights of shape
(chunk, n_patterns) and the per-replicate sums they produce (one value per replicate and
per-label column, per pair of annotators, per annotator). The chunk is sized so that
those arrays stay within :func:`memory_budget_bytes` (256 MiB by default), so the
engine's peak memory does not grow with replicates x labels**2 x pairs. Raise it with
the environment variable ``LABEL_AGREEMENT_MEMORY_MB`` on a large machine (fewer,
larger matrix products), lower it on a small one; results do not depend on it.
"""

from __future__ import annotations

import os

DEFAULT_MEMORY_MB = 256
ENVIRONMENT_VARIABLE = "LABEL_AGREEMENT_MEMORY_MB"
_TEMPORARIES = 4  # working copies per chunk cell (sums, products, sorted replicates)


def memory_budget_bytes() -> int:
    """The budget in bytes, from ``LABEL_AGREEMENT_MEMORY_MB`` (default 256 MiB).

    Examples
    --------
    >>> memory_budget_bytes() >= 16 * 2**20
    True
    """
    raw = os.environ.get(ENVIRONMENT_VARIABLE, "")
    try:
        megabytes = float(raw) if raw.strip() else DEFAULT_MEMORY_MB
    except ValueError:
        megabytes = DEFAULT_MEMORY_MB
    return int(max(megabytes, 16) * 2**20)


def rows_within_budget(cells_per_row: int, *, limit: int | None = None) -> int:
    """How many rows of ``cells_per_row`` float64 cells (with temporaries) fit the budget.

    Examples
    --------
    >>> rows_within_budget(10**12)
    1
    >>> rows_within_budget(10, limit=5)
    5
    """
    rows = memory_budget_bytes() // max(8 * _TEMPORARIES * max(cells_per_row, 1), 1)
    rows = max(int(rows), 1)
    return rows if limit is None else max(1, min(rows, limit))
