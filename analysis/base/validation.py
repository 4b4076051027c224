"""Checks at the library boundary, worded like scikit-learn's parameter validation.

Options and numbers are declared with the constraints of :mod:`analysis.base.params`
(:func:`check_option` is one :class:`~analysis.base.params.Options` constraint); the
array and table checks here look inside the value.

Every public function checks its options and arrays here before any computation, so a
mistake fails with one sentence naming the parameter, what it must be and what it got
(a :class:`~analysis.base.errors.UsageError`), never with an unrelated error deep inside.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.base.errors import AnnotationDataError, UsageError
from analysis.base.params import Options, check_param

T = TypeVar("T")


def _owner(function: str | None) -> str:
    return f" of {function}" if function else ""


def check_option(name: str, value: T, allowed: Iterable[Any], *, function: str | None = None) -> T:
    """Return ``value`` if it is one of ``allowed``, else raise :class:`UsageError`.

    Examples
    --------
    >>> check_option("ties", "none", ("none", "random"))
    'none'
    >>> check_option("ties", "randm", ("none", "random"))
    Traceback (most recent call last):
    ...
    analysis.base.errors.UsageError: The 'ties' parameter must be one of {'none', 'random'}. Got 'randm' instead.
    """
    return check_param(name, value, [Options(*allowed)], function=function)


def check_counts(
    counts: npt.ArrayLike, *, name: str = "counts", function: str | None = None
) -> npt.NDArray[np.int64]:
    """Return ``counts`` as a 2-D int64 array of non-negative vote counts, or raise.

    Parameters
    ----------
    counts : array-like, shape (n_items, n_labels)
        Votes per item and label: non-negative whole numbers (an integer array, or
        floats that are whole).
    name, function : str
        The parameter and the function named in the message.

    Examples
    --------
    >>> check_counts([[2, 0], [1, 1]]).tolist()
    [[2, 0], [1, 1]]
    >>> check_counts([[-1, 3], [2, 0]], function="alpha_with_interval")
    Traceback (most recent call last):
    ...
    analysis.base.errors.UsageError: The 'counts' parameter of alpha_with_interval must hold non-negative vote counts. Got -1 at row 0, column 0 instead.
    """
    where = f"The '{name}' parameter{_owner(function)}"
    try:
        array = np.asarray(counts)
    except (TypeError, ValueError) as error:
        raise UsageError(f"{where} must be a 2-D array of vote counts. Got {type(counts).__name__} "
                         f"instead ({error})", option=name) from None
    if array.ndim != 2:
        raise UsageError(
            f"{where} must be a 2-D array of shape (n_items, n_labels). Got an array with "
            f"{array.ndim} dimension(s), shape {array.shape}, instead", option=name)
    if array.size == 0:
        return array.astype(np.int64).reshape(array.shape)
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.integer)
                                   or np.issubdtype(array.dtype, np.floating)):
        raise UsageError(f"{where} must hold whole numbers. Got dtype {array.dtype} instead",
                         option=name)
    if np.issubdtype(array.dtype, np.floating):
        bad = ~np.isfinite(array) | (array != np.round(array))
        if bad.any():
            row, col = (int(i) for i in np.argwhere(bad)[0])
            raise UsageError(f"{where} must hold whole numbers. Got {array[row, col]!r} at row "
                             f"{row}, column {col} instead", option=name)
    negative = array < 0
    if negative.any():
        row, col = (int(i) for i in np.argwhere(negative)[0])
        raise UsageError(f"{where} must hold non-negative vote counts. Got {array[row, col].item()!r} "
                         f"at row {row}, column {col} instead", option=name)
    return array.astype(np.int64, copy=False)


def check_columns(table: Any, required: Iterable[str], *, what: str = "the table") -> pd.DataFrame:
    """Return ``table`` if it is a DataFrame with every ``required`` column, else raise.

    A missing column is bad data (:class:`~analysis.base.errors.AnnotationDataError`) and the
    message names each missing column and the columns found.

    Examples
    --------
    >>> check_columns(pd.DataFrame({"item_id": [], "label": []}), ("item_id", "annotator", "label"))
    Traceback (most recent call last):
    ...
    analysis.base.errors.AnnotationDataError: the table has no column 'annotator'; columns found: 'item_id', 'label'. Fix: rename the columns to the canonical names (analysis.data.schema), or load the file with analysis.io.load_annotations, which maps them.
    """
    if not isinstance(table, pd.DataFrame):
        raise UsageError(f"{what} must be a pandas DataFrame. Got {type(table).__name__} instead")
    missing = [column for column in required if column not in table.columns]
    if missing:
        names = ", ".join(repr(column) for column in missing)
        found = ", ".join(repr(str(column)) for column in table.columns) or "none"
        plural = "s" if len(missing) > 1 else ""
        raise AnnotationDataError(
            f"{what} has no column{plural} {names}; columns found: {found}",
            fix="rename the columns to the canonical names (analysis.data.schema), or load the file "
                "with analysis.io.load_annotations, which maps them",
        )
    return table
