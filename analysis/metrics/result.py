"""The result of one measurement: a value, its confidence interval, its support, a note.

Every number the report, the CLI and the dashboard show is a :class:`Metric`. When a
value is not defined (one annotator, one label everywhere, no overlap, too few items for
an interval) ``value`` is ``None`` and ``note`` says why, so nothing shows a silent 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Metric:
    """A measured value with its uncertainty.

    Attributes
    ----------
    value : float or None
        The estimate, or ``None`` when it is not defined for this data.
    ci_low, ci_high : float or None
        Bounds of the 95% confidence interval, or ``None`` when none could be computed.
    n : int
        The number of units the value rests on (items, or judgements where stated).
    note : str or None
        Why a value or interval is missing, or how it was obtained when that matters.

    Examples
    --------
    >>> Metric(0.71234, 0.65, 0.77, n=120).to_dict()
    {'value': 0.71234, 'ci_low': 0.65, 'ci_high': 0.77, 'n': 120, 'note': None}
    >>> Metric.undefined("only one annotator labelled these items", n=30).value is None
    True
    """

    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    n: int = 0
    note: str | None = None

    def __post_init__(self) -> None:
        # A NaN must never leak out as a number: it becomes an explained None.
        # (Written out field by field: reports of crowd data build ~100,000 of these.)
        setter = object.__setattr__
        value, low, high = self.value, self.ci_low, self.ci_high
        if value is not None:
            value = float(value)
            setter(self, "value", None if math.isnan(value) else value)
        if low is not None:
            low = float(low)
            setter(self, "ci_low", None if math.isnan(low) else low)
        if high is not None:
            high = float(high)
            setter(self, "ci_high", None if math.isnan(high) else high)
        if type(self.n) is not int:
            setter(self, "n", int(self.n))

    @classmethod
    def undefined(cls, note: str, *, n: int = 0) -> Metric:
        """A value that is not defined for this data, with the reason."""
        return cls(None, None, None, n=n, note=note)

    @property
    def is_defined(self) -> bool:
        """Whether ``value`` is a number."""
        return self.value is not None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form used by the report contract."""
        return {"value": self.value, "ci_low": self.ci_low, "ci_high": self.ci_high,
                "n": self.n, "note": self.note}


def jsonable(value: Any) -> Any:
    """Metrics to dicts, numpy scalars to Python, NaN/inf to None (strict JSON).

    Examples
    --------
    >>> jsonable({"a": (np.float64("nan"), Metric(0.5, n=2))})
    {'a': [None, {'value': 0.5, 'ci_low': None, 'ci_high': None, 'n': 2, 'note': None}]}
    """
    kind = type(value)  # exact-type fast paths first: crowd reports hold ~10**6 values
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        return {k if type(k) is str else str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, Metric):
        return value.to_dict()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
