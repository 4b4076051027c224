"""One BLAS thread for the vectorised matrix work of the agreement engine and clustering.

The matrices are small or thin (weights x a few dozen per-pattern columns; a few thousand
texts x a few hundred SVD components): extra BLAS threads gain little, and where the cores are busy (a shared server, a test run, the
dashboard serving several sessions) OpenBLAS threads spin-wait for each other. Measured
on a loaded 2-core machine, the full report took 1.5 s with OpenBLAS's default threads
and 0.9 s with one; the randomized SVD of 2,000 texts took 1.6-4.7 s threaded against
0.5 s on one thread.

The limit is process-wide while a decorated call runs (that is how BLAS libraries are
configured). Two threads entering and leaving at overlapping times (e.g. two dashboard
sessions) can leave BLAS at one thread afterwards: slower for other BLAS users at worst,
never a different result.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
_CONTROLLER: list[tuple[int, Any]] = []  # (modules loaded when made, controller)


def _controller() -> Any:
    # Finding the loaded BLAS libraries takes ~10 ms; do it again only when modules
    # were imported since (a new import is how a new BLAS library gets loaded).
    from threadpoolctl import ThreadpoolController

    key = len(sys.modules)
    cached = _CONTROLLER[0] if _CONTROLLER else None
    if cached is None or cached[0] != key:
        cached = (key, ThreadpoolController())
        _CONTROLLER[:] = [cached]  # one assignment: a concurrent reader sees old or new
    return cached[1]


def single_threaded_blas() -> AbstractContextManager[object]:
    """A context in which BLAS libraries use one thread (no-op without threadpoolctl).

    Examples
    --------
    >>> with single_threaded_blas():
    ...     pass
    """
    try:
        controller = _controller()
    except ImportError:  # installed with scikit-learn; without it, BLAS keeps its threads
        return nullcontext()
    return controller.limit(limits=1, user_api="blas")


def one_blas_thread(function: Callable[P, R]) -> Callable[P, R]:
    """Decorate an entry point of the engine to run under :func:`single_threaded_blas`."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with single_threaded_blas():
            return function(*args, **kwargs)

    return wrapper
