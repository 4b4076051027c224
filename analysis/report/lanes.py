"""Run the report's independent sections side by side on a second core.

The consensus and quality sections (Dawid-Skene, fatigue, bias) need nothing from the
agreement sections (overall and per-annotator bootstrap, diagnostics), and both halves
spend their time in NumPy and SciPy calls that release the interpreter lock. On a
crowd-sized file each half takes seconds, so :func:`build_report` runs the quality half
on a worker thread while the calling thread computes agreement: the wall time falls
towards the larger half (1M crowd judgements: 15 s to 10 s on two cores), the values are
the same (each section draws from its own seeded generator), and the CPU time rises a
little (15 to 17 s there: the halves share the caches and the memory bandwidth).

Small datasets stay on one thread (a thread saves nothing there). The environment
variable ``LABEL_AGREEMENT_REPORT_THREADS=1`` keeps every report on one thread, for a
server that runs many reports at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Final, TypeVar

from analysis.base.limits import Limit

T = TypeVar("T")

REPORT_THREADS: Final = Limit("LABEL_AGREEMENT_REPORT_THREADS", 2, "threads")
"""Threads one report may use (1 or 2; a larger value means 2: the report has two halves)."""

PARALLEL_MIN_JUDGEMENTS: Final = 200_000
"""Below this many judgements a report takes about a second or less and stays on one thread
(measured: 50,000 crowd judgements gained nothing on two threads and spent 45% more CPU)."""


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the platform reports it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def report_threads(n_judgements: int) -> int:
    """Threads for a report on ``n_judgements`` judgements: 1 or 2.

    Examples
    --------
    >>> report_threads(100)
    1
    """
    if n_judgements < PARALLEL_MIN_JUDGEMENTS:
        return 1
    return max(1, min(2, REPORT_THREADS.value(), available_cores()))


@contextmanager
def side_lane(threads: int) -> Iterator[Callable[[Callable[[], T]], Callable[[], T]]]:
    """A context whose ``start(task)`` begins ``task`` and returns a function for its result.

    With ``threads`` >= 2 the task runs on a worker thread while the caller goes on;
    otherwise it runs when its result is asked for. An exception in the task is raised
    where the result is asked for. On leaving, a running task is waited for.

    Examples
    --------
    >>> with side_lane(2) as start:
    ...     result = start(lambda: 6 * 7)
    ...     result()
    42
    """
    if threads < 2:
        yield lambda task: task
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-side") as executor:
        yield lambda task: executor.submit(task).result
