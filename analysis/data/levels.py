"""Levels of measurement and the distance and weight matrices that go with them.

Krippendorff's alpha compares labels through a *disagreement* (difference function
``delta``), kappa-type coefficients through an *agreement weight* in [0, 1]. Both are
derived here, once, from the label order (``ReliabilityData.labels``) and the numbers the
labels stand for (``ReliabilityData.values``).
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from analysis.base.errors import AnnotationDataError, UsageError
from analysis.base.validation import check_option
from analysis.messages import note

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[str, ...] = get_args(Level)


def check_level(level: str, *, function: str | None = None) -> Level:
    """Return ``level`` if it is a known level of measurement, else raise ``UsageError``.

    Examples
    --------
    >>> check_level("ordinal")
    'ordinal'
    >>> check_level("nominl")
    Traceback (most recent call last):
    ...
    analysis.base.errors.UsageError: The 'level' parameter must be one of {'nominal', 'ordinal', 'interval', 'ratio'}. Got 'nominl' instead.
    """
    return check_option("level", level, LEVELS, function=function)  # type: ignore[return-value]


def alpha_distance(
    level: Level,
    values: npt.NDArray[np.float64],
    marginals: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.float64]:
    """Krippendorff's squared difference function between every pair of labels.

    Parameters
    ----------
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement.
    values : ndarray, shape (n_labels,)
        Numbers the labels stand for (interval and ratio levels).
    marginals : ndarray, shape (..., n_labels), optional
        Pairable values per label (``n_c``); required at ordinal level, where the
        distance between two ranks depends on how many values lie between them.

    Returns
    -------
    ndarray, shape (..., n_labels, n_labels)
        ``delta[c, k]``; zero on the diagonal.

    Examples
    --------
    >>> alpha_distance("interval", np.array([1.0, 2.0, 4.0])).tolist()
    [[0.0, 1.0, 9.0], [1.0, 0.0, 4.0], [9.0, 4.0, 0.0]]
    >>> alpha_distance("ordinal", np.arange(3.0), np.array([2.0, 4.0, 2.0]))[0].tolist()
    [0.0, 9.0, 36.0]
    """
    n_labels = len(values)
    if level == "nominal":
        return 1.0 - np.eye(n_labels)
    if level == "interval":
        return np.subtract.outer(values, values) ** 2
    if level == "ratio":
        sums = np.add.outer(values, values)
        diffs = np.subtract.outer(values, values)
        ratio = np.divide(diffs, sums, out=np.zeros_like(diffs), where=sums != 0)
        return ratio**2
    if marginals is None:
        raise UsageError("The 'marginals' parameter is needed at the ordinal level. Got None "
                         "instead", option="marginals")
    n = np.asarray(marginals, dtype=float)
    cumulative = np.cumsum(n, axis=-1)
    i, j = np.indices((n_labels, n_labels))
    low, high = np.minimum(i, j), np.maximum(i, j)
    between = cumulative[..., high] - cumulative[..., low] + n[..., low]
    return (between - (n[..., i] + n[..., j]) / 2.0) ** 2 * (i != j)


def agreement_weights(level: Level, values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Agreement weights for kappa-type coefficients (1 on the diagonal).

    Nominal: identity (unweighted). Ordinal: linear weights on the label ranks,
    ``1 - |i - j| / (q - 1)``. Interval and ratio: quadratic weights on the label values,
    ``1 - (v_i - v_j)**2 / (v_max - v_min)**2`` (equal to the usual quadratic weights when
    the values are equally spaced). The same weights serve Cohen's kappa and Gwet's AC2.

    Examples
    --------
    >>> agreement_weights("ordinal", np.array([1.0, 2.0, 3.0])).tolist()
    [[1.0, 0.5, 0.0], [0.5, 1.0, 0.5], [0.0, 0.5, 1.0]]
    """
    n_labels = len(values)
    if level == "nominal" or n_labels < 2:
        return np.eye(n_labels)
    if level == "ordinal":
        ranks = np.arange(n_labels, dtype=float)
        return 1.0 - np.abs(np.subtract.outer(ranks, ranks)) / (n_labels - 1)
    spread = float(np.ptp(values))
    if spread == 0:
        return np.eye(n_labels)
    return 1.0 - np.subtract.outer(values, values) ** 2 / spread**2


def kappa_weighting(level: Level) -> str:
    """How kappa-type coefficients are weighted at ``level``, in words.

    Examples
    --------
    >>> kappa_weighting("interval")
    'quadratic weights on label values'
    """
    return note({"nominal": "weighting.nominal", "ordinal": "weighting.ordinal",
                 "interval": "weighting.interval", "ratio": "weighting.interval"}[level])


def level_note(level: Level) -> str:
    """``"<level> level"`` as a note, e.g. the level an alpha was computed at.

    Examples
    --------
    >>> level_note("ordinal")
    'ordinal level'
    """
    return note("metric.level", level=note(f"level.{level}"))


def check_level_values(level: Level, labels: tuple[str, ...] | list[str]) -> None:
    """Refuse labels that are not finite numbers at the interval and ratio levels.

    Those levels measure distances between the numbers the labels stand for; taking the
    alphabetical rank of ``"low"``/``"high"`` as their value, or ``inf`` as a distance,
    would give a number that means nothing.

    Raises
    ------
    AnnotationDataError
        Naming the first labels that are not finite numbers and what to do instead.

    Examples
    --------
    >>> check_level_values("interval", ["1", "2.5"])
    >>> check_level_values("ratio", ["1", "inf"])
    Traceback (most recent call last):
    ...
    analysis.base.errors.AnnotationDataError: at the ratio level every label must be a finite number; 'inf' is not. Fix: recode the labels as finite numbers, or choose the ordinal level (ranks) or the nominal level.
    """
    if level not in ("interval", "ratio"):
        return
    bad = []
    for label in labels:
        try:
            number = float(str(label).strip())
        except ValueError:
            bad.append(label)
            continue
        if not np.isfinite(number):
            bad.append(label)
    if bad:
        shown = ", ".join(repr(str(label)) for label in bad[:5])
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        verb = "is" if len(bad) == 1 else "are"
        raise AnnotationDataError(
            f"at the {level} level every label must be a finite number; {shown}{more} {verb} not",
            fix="recode the labels as finite numbers, or choose the ordinal level (ranks) "
            "or the nominal level",
        )
