"""Declared parameter constraints, checked once at the library boundary.

A public function states what each parameter may be, in the manner of scikit-learn's
``validate_params``, and every declared parameter is checked before the body runs::

    @validate_params({"ties": [Options("none", "random")],
                      "bootstrap": [Interval(Integral, 0, None, closed="left")]})
    def majority(counts, *, ties="none", bootstrap=1000): ...

A value that fits no constraint raises :class:`~analysis.base.errors.UsageError` with one
sentence naming the parameter, the function, what it must be and what it got::

    The 'ties' parameter of majority must be one of {'none', 'random'}. Got 'randm' instead.

Constraints
-----------
:class:`Options`    one of a fixed set of values (``Options("pca", "tsne")``)
:class:`Interval`   a number in a range: ``Interval(Integral, 1, None, closed="left")``
                    is "an int >= 1"; ``Interval(Real, 0, 1, closed="right")`` is a
                    number in (0, 1]; booleans never count as numbers
:class:`InstanceOf` an instance of one of some types (a bare type in the list means this)
``None``            the value None
:class:`Hidden`     a constraint that is accepted but not named in the message
"""

from __future__ import annotations

import functools
import inspect
import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from numbers import Integral, Real
from typing import Any, Literal, TypeVar

import numpy as np

from analysis.base.errors import UsageError

F = TypeVar("F", bound=Callable[..., Any])
Closed = Literal["left", "right", "both", "neither"]

__all__ = [
    "RESAMPLES", "SEED", "Constraint", "Hidden", "InstanceOf", "Interval", "Options", "check_param",
    "check_params", "usage_error", "validate_params",
]


def _owner(function: str | None) -> str:
    return f" of {function}" if function else ""


def usage_error(name: str, value: Any, expected: str, *, function: str | None = None) -> UsageError:
    """The error for a parameter that is not what it must be (one sentence).

    Examples
    --------
    >>> str(usage_error("top", 0, "an int >= 1", function="find_label_issues"))
    "The 'top' parameter of find_label_issues must be an int >= 1. Got 0 instead."
    """
    return UsageError(
        f"The '{name}' parameter{_owner(function)} must be {expected}. Got {value!r} instead",
        option=name)


class Constraint(ABC):
    """What one parameter may be; ``str(constraint)`` is how the message says it."""

    @abstractmethod
    def is_satisfied_by(self, value: Any) -> bool:
        """Whether ``value`` meets the constraint."""

    @abstractmethod
    def __str__(self) -> str:
        """The constraint in words, as it follows "must be" in a message."""


class Options(Constraint):
    """One of a fixed set of values (strings, numbers, booleans or None).

    Examples
    --------
    >>> ties = Options("none", "random")
    >>> ties.is_satisfied_by("none"), ties.is_satisfied_by("randm"), ties.is_satisfied_by(["none"])
    (True, False, False)
    >>> str(ties)
    "one of {'none', 'random'}"
    """

    def __init__(self, *values: Any) -> None:
        self.values: tuple[Any, ...] = values

    def is_satisfied_by(self, value: Any) -> bool:
        # Only scalars: an unhashable value (a list) must fail, not raise TypeError.
        return isinstance(value, str | int | float | bool | type(None)) and value in self.values

    def __str__(self) -> str:
        return "one of {" + ", ".join(repr(value) for value in self.values) + "}"


class Interval(Constraint):
    """A number of ``kind`` (``Integral`` or ``Real``) between ``low`` and ``high``.

    Parameters
    ----------
    kind : numbers.Integral or numbers.Real
        ``Integral`` accepts Python and NumPy integers; ``Real`` any finite real number.
        Booleans are refused by both.
    low, high : number or None
        The bounds; None leaves that side open-ended.
    closed : {"left", "right", "both", "neither"}, default "both"
        Which bounds belong to the interval.
    wording : str, optional
        How the message says the interval, when the generated words do not fit
        (e.g. "a cosine distance above 0 and at most 2").

    Examples
    --------
    >>> positive = Interval(Integral, 1, None, closed="left")
    >>> positive.is_satisfied_by(3), positive.is_satisfied_by(0), positive.is_satisfied_by(True)
    (True, False, False)
    >>> str(positive), str(Interval(Real, 0, 1, closed="right"))
    ('an int >= 1', 'a number in (0, 1]')
    >>> Interval(Real, 0, None, closed="neither").is_satisfied_by(float("nan"))
    False
    """

    def __init__(self, kind: type, low: float | None, high: float | None, *,
                 closed: Closed = "both", wording: str | None = None) -> None:
        if kind not in (Integral, Real):
            raise UsageError(f"The 'kind' parameter of Interval must be one of "
                             f"{{numbers.Integral, numbers.Real}}. Got {kind!r} instead",
                             option="kind")
        if closed not in ("left", "right", "both", "neither"):
            raise UsageError("The 'closed' parameter of Interval must be one of {'left', 'right', "
                             f"'both', 'neither'}}. Got {closed!r} instead", option="closed")
        self.kind = kind
        self.low = low
        self.high = high
        self.closed = closed
        self.wording = wording

    def is_satisfied_by(self, value: Any) -> bool:
        if isinstance(value, bool | np.bool_) or not isinstance(value, self.kind):
            return False
        if self.kind is Real and not math.isfinite(value):
            return False
        left = self.closed in ("left", "both")
        right = self.closed in ("right", "both")
        if self.low is not None and not (value >= self.low if left else value > self.low):
            return False
        return self.high is None or bool(value <= self.high if right else value < self.high)

    def __str__(self) -> str:
        if self.wording is not None:
            return self.wording
        left = self.closed in ("left", "both")
        right = self.closed in ("right", "both")
        noun = "an int" if self.kind is Integral else "a number"
        if self.high is None and self.low is not None:
            return f"{noun} {'>=' if left else '>'} {self.low}"
        if self.low is None and self.high is not None:
            return f"{noun} {'<=' if right else '<'} {self.high}"
        if self.low is None:
            return noun
        return f"{noun} in {'[' if left else '('}{self.low}, {self.high}{']' if right else ')'}"


class InstanceOf(Constraint):
    """An instance of one of ``types``.

    Examples
    --------
    >>> import pandas as pd
    >>> table = InstanceOf(pd.DataFrame, name="a canonical table (DataFrame)")
    >>> table.is_satisfied_by(pd.DataFrame()), table.is_satisfied_by([1]), str(table)
    (True, False, 'a canonical table (DataFrame)')
    >>> str(InstanceOf(str, int))
    'a str or an int'
    """

    def __init__(self, *types: type, name: str | None = None) -> None:
        self.types = types
        self.name = name

    def is_satisfied_by(self, value: Any) -> bool:
        return isinstance(value, self.types)

    def __str__(self) -> str:
        if self.name is not None:
            return self.name
        return " or ".join(_with_article(kind.__name__) for kind in self.types)


class _NoneConstraint(Constraint):
    def is_satisfied_by(self, value: Any) -> bool:
        return value is None

    def __str__(self) -> str:
        return "None"


class Hidden(Constraint):
    """``constraint``, accepted but not named in the message (an internal or legacy value).

    Examples
    --------
    >>> check_param("threshold", 5, [Interval(Real, 0, 2, closed="right"), Hidden(None)])
    Traceback (most recent call last):
    ...
    analysis.base.errors.UsageError: The 'threshold' parameter must be a number in (0, 2]. Got 5 instead.
    """

    def __init__(self, constraint: Any) -> None:
        self.constraint = _as_constraint(constraint)

    def is_satisfied_by(self, value: Any) -> bool:
        return self.constraint.is_satisfied_by(value)

    def __str__(self) -> str:
        return str(self.constraint)


def _with_article(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _as_constraint(declared: Any) -> Constraint:
    if isinstance(declared, Constraint):
        return declared
    if declared is None:
        return _NoneConstraint()
    if isinstance(declared, type):
        return InstanceOf(declared)
    raise UsageError(f"A parameter constraint must be a Constraint, a type or None. Got "
                     f"{declared!r} instead")


def _describe(constraints: Sequence[Constraint]) -> str:
    shown = [str(c) for c in constraints if not isinstance(c, Hidden)]
    if isinstance(constraints[0], _NoneConstraint) and len(shown) > 1:
        shown = shown[1:] + shown[:1]  # "an int >= 1 or None" reads better than the reverse
    if len(shown) <= 2:
        return " or ".join(shown)
    return ", ".join(shown[:-1]) + " or " + shown[-1]


def check_param(name: str, value: Any, constraints: Iterable[Any], *,
                function: str | None = None) -> Any:
    """Return ``value`` if it meets one of ``constraints``, else raise :class:`UsageError`.

    Examples
    --------
    >>> check_param("window", 50, [Interval(Integral, 1, None, closed="left")])
    50
    >>> check_param("window", 0, [Interval(Integral, 1, None, closed="left"), None],
    ...             function="fatigue_curves")
    Traceback (most recent call last):
    ...
    analysis.base.errors.UsageError: The 'window' parameter of fatigue_curves must be an int >= 1 or None. Got 0 instead.
    """
    declared = [_as_constraint(c) for c in constraints]
    if not any(c.is_satisfied_by(value) for c in declared):
        raise usage_error(name, value, _describe(declared), function=function)
    return value


def check_params(function: str | None, constraints: Mapping[str, Iterable[Any]],
                 values: Mapping[str, Any]) -> None:
    """Check every declared parameter of ``values`` (in the order declared).

    Parameters
    ----------
    function : str or None
        The function or class named in the message (``"DawidSkene"``).
    constraints : mapping of str to list
        Per parameter, the constraints of which the value must meet at least one.
        A parameter missing from ``values`` is not checked.
    values : mapping of str to object
        The values passed.

    Examples
    --------
    >>> check_params("DawidSkene", {"tol": [Interval(Real, 0, None, closed="neither")]},
    ...              {"tol": -1.0})
    Traceback (most recent call last):
    ...
    analysis.base.errors.UsageError: The 'tol' parameter of DawidSkene must be a number > 0. Got -1.0 instead.
    """
    for name, declared in constraints.items():
        if name in values:
            check_param(name, values[name], declared, function=function)


def validate_params(constraints: Mapping[str, Iterable[Any]], *,
                    function: str | None = None) -> Callable[[F], F]:
    """Decorate a public function so its declared parameters are checked before it runs.

    Parameters
    ----------
    constraints : mapping of str to list
        Per parameter name, the constraints of which its value must meet at least one
        (defaults are checked too, so a wrong default fails at once in the tests).
    function : str, optional
        The name the messages give the function; its ``__name__`` by default.

    Examples
    --------
    >>> @validate_params({"ties": [Options("none", "random")]})
    ... def majority(counts, *, ties="none"):
    ...     return ties
    >>> majority([[1]], ties="random")
    'random'
    >>> majority([[1]], ties="randm")
    Traceback (most recent call last):
    ...
    analysis.base.errors.UsageError: The 'ties' parameter of majority must be one of {'none', 'random'}. Got 'randm' instead.
    """
    declared = {name: [_as_constraint(c) for c in given] for name, given in constraints.items()}

    def decorate(func: F) -> F:
        signature = inspect.signature(func)
        unknown = set(declared) - set(signature.parameters)
        if unknown:
            raise UsageError(f"validate_params declares parameters {sorted(unknown)} that "
                             f"{func.__name__} does not have")
        owner = function or func.__name__

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                return func(*args, **kwargs)  # Python's own message for a wrong call
            bound.apply_defaults()
            check_params(owner, declared, bound.arguments)
            return func(*args, **kwargs)

        wrapper.__parameter_constraints__ = declared  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


#: Bootstrap resamples (0: no intervals), as every analysis with intervals takes them.
RESAMPLES: list[Constraint] = [Interval(Integral, 0, None, closed="left")]
#: A random seed (NumPy's generators take non-negative integers).
SEED: list[Constraint] = [Interval(Integral, 0, None, closed="left")]
