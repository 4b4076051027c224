"""Family-wise p-value adjustment (Holm, Bonferroni) without a garbage-collector pass.

The values equal ``statsmodels.stats.multitest.multipletests(p, method=...)[1]`` (a test
checks it); statsmodels' Holm branch runs ``gc.collect()`` on every call, which costs a
noticeable fraction of a second in a process holding a large heap (the dashboard), so
the two methods the quality analyses use are computed here.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from analysis.base.validation import check_option

Method = Literal["holm", "bonferroni"]


def adjust_p_values(p_values: npt.ArrayLike, *, method: Method = "holm") -> npt.NDArray[np.float64]:
    """Adjusted p-values controlling the family-wise error rate, in the input order.

    Parameters
    ----------
    p_values : array-like of shape (n_tests,)
        Unadjusted p-values in [0, 1] (NaN entries are not tests and stay NaN).
    method : {"holm", "bonferroni"}, default "holm"
        Holm's step-down or Bonferroni's single-step adjustment.

    Returns
    -------
    ndarray of shape (n_tests,)
        Adjusted p-values, capped at 1.

    Examples
    --------
    >>> adjust_p_values([0.01, 0.04, 0.03]).tolist()
    [0.03, 0.06, 0.06]
    >>> adjust_p_values([0.01, float("nan"), 0.3], method="bonferroni").tolist()
    [0.02, nan, 0.6]
    """
    check_option("method", method, ("holm", "bonferroni"), function="adjust_p_values")
    p = np.asarray(p_values, dtype=float)
    adjusted = np.full(p.shape, np.nan)
    tested = np.flatnonzero(np.isfinite(p))
    n = tested.size
    if n == 0:
        return adjusted
    values = p[tested]
    if method == "bonferroni":
        adjusted[tested] = np.minimum(values * n, 1.0)
        return adjusted
    order = np.argsort(values, kind="stable")
    stepped = np.maximum.accumulate(values[order] * np.arange(n, 0, -1))
    adjusted[tested[order]] = np.minimum(stepped, 1.0)
    return adjusted
