"""Holm and Bonferroni adjusted p-values (as ``statsmodels.stats.multitest.multipletests``).

Written out here because importing statsmodels' multitest module pulls in ``scipy.stats``
(seconds of start-up for the command line); the tests compare both methods with
statsmodels.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt


def adjust_p_values(p_values: npt.ArrayLike, *, method: Literal["holm", "bonferroni"]) -> np.ndarray:
    """Family-wise adjusted p-values, capped at 1.

    Examples
    --------
    >>> adjust_p_values([0.01, 0.04, 0.03], method="holm").round(2).tolist()
    [0.03, 0.06, 0.06]
    >>> adjust_p_values([0.01, 0.4], method="bonferroni").tolist()
    [0.02, 0.8]
    """
    p = np.asarray(p_values, dtype=float)
    n = p.size
    if method == "bonferroni":
        return np.minimum(p * n, 1.0)
    order = np.argsort(p, kind="stable")
    stepped = np.maximum.accumulate((n - np.arange(n)) * p[order])
    adjusted = np.empty(n)
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted
