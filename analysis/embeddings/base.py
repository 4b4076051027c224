"""The embedding backend protocol shared by every backend and by the clustering stage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while texts are embedded."""


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into one vector each.

    Attributes
    ----------
    name : str
        A stable identity of the backend and its settings (used as the cache key and
        reported in outputs).
    """

    name: str

    def embed(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> npt.NDArray[np.float32]:
        """Return an array of shape (len(texts), dim), one row per text."""
        ...


def l2_normalize(vectors: npt.NDArray[np.floating]) -> npt.NDArray[np.float32]:
    """Scale each row to unit length; all-zero rows stay zero.

    Examples
    --------
    >>> l2_normalize(np.array([[3.0, 4.0], [0.0, 0.0]])).tolist()
    [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
