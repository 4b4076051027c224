"""Embed the items of a canonical table: one text per item, coverage-checked, cached."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.embeddings.base import Embedder, ProgressCallback, l2_normalize
from analysis.embeddings.cache import embed_with_cache
from analysis.embeddings.coverage import measure_coverage
from analysis.embeddings.transformer import TransformerEmbedder
from analysis.errors import AnnotationDataError
from analysis.schema import ITEM, TEXT

PrecomputedEmbeddings = Mapping[str, npt.ArrayLike] | pd.DataFrame
"""Vectors by item id: a mapping, or a DataFrame indexed by item id (one column per dim)."""


def item_texts(table: pd.DataFrame) -> pd.Series:
    """The first non-missing text of every item, indexed by item id (table order).

    Raises
    ------
    AnnotationDataError
        When the table has no ``text`` column or no text at all.
    """
    if TEXT not in table.columns or not table[TEXT].notna().any():
        raise AnnotationDataError(
            "the table has no item texts, which clustering and label-error detection need",
            location=f"column '{TEXT}'",
            fix="map the text column when loading, or pass precomputed embeddings",
        )
    texts = table[[ITEM, TEXT]].dropna(subset=[TEXT]).drop_duplicates(subset=[ITEM])
    return pd.Series(
        texts[TEXT].astype(str).to_numpy(), index=texts[ITEM].astype(str).to_numpy(), name=TEXT
    )


@dataclass(frozen=True, eq=False)
class ItemEmbeddings:
    """Unit-length vectors for a list of items.

    Attributes
    ----------
    item_ids : tuple of str
    vectors : ndarray of float32, shape (n_items, dim)
    model : str
        Backend/model name (``"precomputed"`` for given vectors).
    warnings : tuple of str
        Coverage warnings and the like.
    """

    item_ids: tuple[str, ...]
    vectors: npt.NDArray[np.float32]
    model: str
    warnings: tuple[str, ...] = ()


def embed_items(
    item_ids: Sequence[str],
    texts: Sequence[str],
    *,
    embedder: Embedder | None = None,
    embeddings: PrecomputedEmbeddings | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    progress: ProgressCallback | None = None,
) -> ItemEmbeddings:
    """Embed ``texts`` (aligned with ``item_ids``) or look up precomputed vectors.

    Exactly one of ``embedder`` and ``embeddings`` is used (``embeddings`` first).
    A transformer backend's tokenizer coverage is measured first and any warning kept.
    """
    ids = [str(i) for i in item_ids]
    if embeddings is not None:
        frame = (
            embeddings
            if isinstance(embeddings, pd.DataFrame)
            else pd.DataFrame.from_dict(
                {k: np.asarray(v, dtype=float) for k, v in embeddings.items()}, orient="index"
            )
        )
        frame.index = frame.index.astype(str)
        missing = [i for i in ids if i not in frame.index]
        if missing:
            raise AnnotationDataError(
                f"precomputed embeddings lack {len(missing)} item(s), e.g. {missing[:3]}",
                fix="embed every item of the table, or drop those items",
            )
        vectors = l2_normalize(frame.loc[ids].to_numpy(dtype=np.float32))
        return ItemEmbeddings(tuple(ids), vectors, "precomputed")
    if embedder is None:
        embedder = TransformerEmbedder()
    warnings: tuple[str, ...] = ()
    if isinstance(embedder, TransformerEmbedder):
        coverage = measure_coverage(embedder.tokenizer, texts, model_name=embedder.name)
        warnings = coverage.warnings
    vectors = embed_with_cache(
        embedder, list(texts), cache_dir=cache_dir, use_cache=use_cache, progress=progress
    )
    return ItemEmbeddings(tuple(ids), l2_normalize(vectors), embedder.name, warnings)
