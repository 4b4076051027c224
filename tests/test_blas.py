"""One BLAS thread inside the engine's entry points, the caller's threads restored after."""

from __future__ import annotations

import numpy as np  # noqa: F401  (loads the BLAS library threadpoolctl reports)
import pytest

threadpoolctl = pytest.importorskip("threadpoolctl")

from analysis.base.blas import one_blas_thread, single_threaded_blas  # noqa: E402


def _blas_threads() -> list[int]:
    return [info["num_threads"] for info in threadpoolctl.threadpool_info() if info["user_api"] == "blas"]


def test_one_thread_inside_and_restored_after():
    before = _blas_threads()
    if not before:
        pytest.skip("no BLAS library reported by threadpoolctl")
    for _ in range(3):  # the cached controller limits every time, not only the first
        with single_threaded_blas():
            assert set(_blas_threads()) == {1}
        assert _blas_threads() == before

    @one_blas_thread
    def inside() -> list[int]:
        return _blas_threads()

    assert set(inside()) == {1}
    assert _blas_threads() == before
