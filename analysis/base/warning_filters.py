"""Warning filters that hold while another thread changes them too.

``warnings.catch_warnings`` saves the process-wide filter list on entry and puts it back
on exit, so two threads inside it at overlapping times can undo each other's filters
(Python 3.11). The report runs its sections on two threads
(:mod:`analysis.report.lanes`); its filtered blocks enter through
:func:`filtered_warnings`, which holds one lock for the whole block, so a block's
filters stay in force until it ends. A warning that another thread raises meanwhile
meets those filters; the filtered blocks are short fits of statsmodels models.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

_FILTERS_LOCK = threading.RLock()


@contextmanager
def filtered_warnings() -> Iterator[None]:
    """``warnings.catch_warnings()`` under a process-wide lock.

    Examples
    --------
    >>> with filtered_warnings():
    ...     warnings.simplefilter("ignore")
    ...     warnings.warn("not shown")
    """
    with _FILTERS_LOCK, warnings.catch_warnings():
        yield
