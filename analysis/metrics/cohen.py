"""Two-rater agreement: Cohen's kappa from contingency tables, pair by pair.

Tables are built for every pair of annotators at once (from item patterns, so bootstrap
replicates are one sparse product), kappa is computed for any stack of tables, and the
asymptotic standard error comes from statsmodels (``cohens_kappa``: Fleiss, Cohen &
Everitt 1969, the variance under the alternative).
"""

from __future__ import annotations

import warnings
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from analysis.base.warning_filters import filtered_warnings
from analysis.data.levels import Level
from analysis.data.reliability import MISSING

if TYPE_CHECKING:
    import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]
_EPS = 1e-12


def annotator_pairs(n_annotators: int) -> list[tuple[int, int]]:
    """All pairs ``(a, b)`` with ``a < b``.

    Examples
    --------
    >>> annotator_pairs(3)
    [(0, 1), (0, 2), (1, 2)]
    """
    return list(combinations(range(n_annotators), 2))


def pair_table_matrix(
    codes: npt.NDArray[np.integer], n_labels: int, pairs: list[tuple[int, int]]
) -> sp.csr_matrix:
    """Sparse map from patterns to the cells of every pair's contingency table.

    Parameters
    ----------
    codes : ndarray, shape (n_patterns, n_annotators)
        Label codes per pattern (``MISSING`` = -1).
    n_labels : int
    pairs : list of (int, int)

    Returns
    -------
    csr_matrix, shape (n_patterns, n_pairs * n_labels**2)
        ``weights @ matrix`` gives the stacked tables (rows: first annotator's label).
    """
    import scipy.sparse as sp  # imported here: the command line starts without scipy

    cells = n_labels * n_labels
    rows, cols = [], []
    for index, (a, b) in enumerate(pairs):
        both = np.nonzero((codes[:, a] != MISSING) & (codes[:, b] != MISSING))[0]
        rows.append(both)
        cols.append(index * cells + codes[both, a].astype(np.int64) * n_labels + codes[both, b])
    row = np.concatenate(rows) if rows else np.empty(0, dtype=np.int64)
    col = np.concatenate(cols) if cols else np.empty(0, dtype=np.int64)
    data = np.ones(len(row))
    return sp.csr_matrix((data, (row, col)), shape=(codes.shape[0], len(pairs) * cells))


def pair_tables(
    weights: FloatArray, matrix: sp.csr_matrix, n_pairs: int, n_labels: int
) -> FloatArray:
    """Contingency tables for weights of shape (..., n_patterns): (..., n_pairs, L, L)."""
    w = np.atleast_2d(weights)
    stacked = np.asarray((matrix.T @ w.T).T)
    tables = stacked.reshape(w.shape[0], n_pairs, n_labels, n_labels)
    return tables if np.ndim(weights) > 1 else tables[0]


def kappa_from_tables(tables: FloatArray, agreement: FloatArray) -> FloatArray:
    """Cohen's kappa of every table in a stack, NaN where undefined.

    Parameters
    ----------
    tables : ndarray, shape (..., L, L)
    agreement : ndarray, shape (L, L)
        Agreement weights (identity for unweighted kappa).

    Examples
    --------
    >>> table = np.array([[0, 4, 1], [0, 8, 0], [0, 1, 5]], dtype=float)
    >>> round(float(kappa_from_tables(table, np.eye(3))), 4)  # SAS example: 0.4842
    0.4842
    """
    tables = np.asarray(tables, dtype=float)
    n = tables.sum(axis=(-2, -1))
    safe_n = np.where(n > 0, n, 1.0)
    observed = (tables * agreement).sum(axis=(-2, -1)) / safe_n
    rows = tables.sum(axis=-1) / safe_n[..., None]
    cols = tables.sum(axis=-2) / safe_n[..., None]
    expected = np.einsum("...i,ij,...j->...", rows, agreement, cols)
    out = np.full(n.shape, np.nan)
    ok = (n > 0) & (1.0 - expected > _EPS)
    np.divide(observed - expected, 1.0 - expected, out=out, where=ok)
    return out


def statsmodels_kappa_se(
    table: FloatArray, *, level: Level, values: FloatArray
) -> float | None:
    """Asymptotic standard error of (weighted) kappa from ``statsmodels``, or ``None``.

    Uses ``statsmodels.stats.inter_rater.cohens_kappa(...).std_kappa`` with the
    weighting of :func:`analysis.data.levels.agreement_weights`.
    """
    from statsmodels.stats.inter_rater import cohens_kappa

    table = np.asarray(table, dtype=float)
    n_labels = table.shape[0]
    if table.sum() <= 1 or n_labels < 2:
        return None
    with filtered_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if level == "nominal":
            result = cohens_kappa(table)
        elif level == "ordinal":
            result = cohens_kappa(table, weights=np.arange(n_labels, dtype=float), wt="linear")
        else:
            result = cohens_kappa(table, weights=np.asarray(values, float), wt="quadratic")
    se = float(result.std_kappa)
    return se if np.isfinite(se) else None
