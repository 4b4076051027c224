"""Range checks of the ``clusters`` and ``label-issues`` options, run before any loading.

A value outside its range is refused with one line naming the flag, the valid range and
the value given (exit code 2), rather than silently returning nothing.
"""

from __future__ import annotations

import math

from analysis.base.errors import AnnotationDataError


def check_number(
    flag: str, value: float | None, *, low: float, high: float | None = None,
    low_open: bool = False, high_open: bool = False, integer: bool = False,
) -> None:
    """Raise :class:`AnnotationDataError` when ``value`` (if given) is outside the range.

    Examples
    --------
    >>> check_number("--top", -5, low=1, integer=True)
    Traceback (most recent call last):
    ...
    analysis.base.errors.AnnotationDataError: --top must be a whole number of at least 1; got -5. Fix: pass e.g. --top 20.
    """
    if value is None:
        return
    bad = not math.isfinite(value) or (value <= low if low_open else value < low)
    if high is not None:
        bad = bad or (value >= high if high_open else value > high)
    if not bad:
        return
    if integer:
        span = f"a whole number of at least {low:g}"
    else:
        left = "above" if low_open else "from"
        right = "" if high is None else (f" to below {high:g}" if high_open else f" to {high:g}")
        span = f"a number {left} {low:g}{right}"
    example = low + 1 if integer else (low + (high if high is not None else low + 1)) / 2
    raise AnnotationDataError(
        f"{flag} must be {span}; got {value:g}",
        fix=f"pass e.g. {flag} {20 if integer and flag == '--top' else round(example, 2):g}",
    )
