"""Embed the items of a canonical table: one text per item, coverage-checked, cached."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.embeddings.base import Embedder, ProgressCallback, l2_normalize
from analysis.embeddings.cache import (
    EmbeddingCache,
    default_cache_dir,
    embed_with_cache,
    text_hash,
)
from analysis.embeddings.coverage import LanguageCoverage, measure_coverage
from analysis.embeddings.texts import ItemTexts, pair_vectors, read_item_texts
from analysis.embeddings.transformer import TransformerEmbedder

PrecomputedEmbeddings = Mapping[str, npt.ArrayLike] | pd.DataFrame
"""Vectors by item id: a mapping, or a DataFrame indexed by item id (one column per dim)."""


def item_texts(table: pd.DataFrame) -> pd.Series:
    """The judged text of every item, indexed by item id (table order): the first
    non-missing ``text``, or the judged field of a JSON turn
    (:func:`analysis.embeddings.texts.read_item_texts`).

    Raises
    ------
    AnnotationDataError
        When the table has no ``text`` column or no text at all.
    """
    return read_item_texts(table).text


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
    fit_texts: Sequence[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    progress: ProgressCallback | None = None,
) -> ItemEmbeddings:
    """Embed ``texts`` (aligned with ``item_ids``) or look up precomputed vectors.

    Exactly one of ``embedder`` and ``embeddings`` is used (``embeddings`` first).
    A transformer backend's tokenizer coverage is measured first and any warning kept
    (and, with the cache on, stored beside the vectors, so a repeated run neither
    tokenizes nor loads the model).

    Parameters
    ----------
    item_ids : sequence of str
    texts : sequence of str
        One text per item id.
    embedder : Embedder, optional
        Default: the bundled transformer.
    embeddings : mapping or DataFrame, optional
        Precomputed vectors by item id; every item id must be present.
    fit_texts : sequence of str, optional
        Corpus for a backend with a ``fit(texts)`` step (:class:`CharNgramEmbedder`), e.g.
        every item text of the dataset while ``texts`` holds only the disagreed items.
        A fitted copy is used; the given embedder is left unchanged (it may be shared).
        Default: no fit step (the backend's own behaviour). Ignored by other backends.
    cache_dir : path, optional
        Cache root (default :func:`default_cache_dir`).
    use_cache : bool, default True
    progress : callable, optional
        ``progress(done, total)`` while texts are embedded.

    Returns
    -------
    ItemEmbeddings
        Unit-length vectors in ``item_ids`` order.

    Examples
    --------
    >>> from analysis.embeddings import CharNgramEmbedder
    >>> corpus = ["refund my order", "refund the order", "reset password", "hello"]
    >>> out = embed_items(["a", "b"], corpus[:2], embedder=CharNgramEmbedder(dim=2),
    ...                   fit_texts=corpus, use_cache=False)
    >>> out.vectors.shape, out.model
    ((2, 2), 'char-ngram(char_wb 2-4, svd 2, seed 0)')
    """
    ids = [str(i) for i in item_ids]
    if embeddings is not None:
        return _precomputed(ids, embeddings)
    if embedder is None:
        embedder = TransformerEmbedder()
    if fit_texts is not None and callable(getattr(embedder, "fit", None)):
        embedder = copy.copy(embedder).fit(list(fit_texts))  # type: ignore[attr-defined]
    warnings: tuple[str, ...] = ()
    if isinstance(embedder, TransformerEmbedder):
        warnings = _coverage_warnings(embedder, texts, cache_dir=cache_dir, use_cache=use_cache)
    vectors = embed_with_cache(
        embedder, list(texts), cache_dir=cache_dir, use_cache=use_cache, progress=progress
    )
    return ItemEmbeddings(tuple(ids), l2_normalize(vectors), embedder.name, warnings)


def _precomputed(ids: list[str], embeddings: PrecomputedEmbeddings) -> ItemEmbeddings:
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


def _coverage_warnings(
    embedder: TransformerEmbedder,
    texts: Sequence[str],
    *,
    cache_dir: str | os.PathLike[str] | None,
    use_cache: bool,
) -> tuple[str, ...]:
    """Coverage warnings, from the cache when these texts were measured before."""
    if not use_cache:
        return measure_coverage(embedder.tokenizer, texts, model_name=embedder.name).warnings
    cache = EmbeddingCache(cache_dir if cache_dir is not None else default_cache_dir(),
                           embedder.cache_key)
    digest = hashlib.sha256(embedder.name.encode("utf-8"))
    for text in texts:
        digest.update(text_hash(str(text)).encode("ascii"))
    key = digest.hexdigest()
    record = cache.load_coverage(key)
    if record is not None:
        with contextlib.suppress(ValueError):
            return LanguageCoverage.from_dict(record).warnings
    coverage = measure_coverage(embedder.tokenizer, texts, model_name=embedder.name)
    with contextlib.suppress(OSError):  # a read-only cache must not stop the analysis
        cache.save_coverage(key, coverage.to_dict())
    return coverage.warnings


def embed_item_texts(
    texts: ItemTexts,
    *,
    kind: str = "topic",
    embedder: Embedder | None = None,
    embeddings: PrecomputedEmbeddings | None = None,
    fit_texts: Sequence[str] | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    progress: ProgressCallback | None = None,
) -> ItemEmbeddings:
    """:func:`embed_items` for :class:`ItemTexts`: a sentence pair's two texts are embedded
    and combined (:func:`analysis.embeddings.texts.pair_vectors` with ``kind``); other
    items are their judged text's vector. Precomputed vectors are taken as they are.
    """
    ids = [str(i) for i in texts.index]
    options = {"embedder": embedder, "embeddings": embeddings, "fit_texts": fit_texts,
               "cache_dir": cache_dir, "use_cache": use_cache, "progress": progress}
    if embeddings is not None or texts.text_b is None:
        return embed_items(ids, texts.text.astype(str).tolist(), **options)
    both = embed_items([f"{i}\x00a" for i in ids] + [f"{i}\x00b" for i in ids], texts.to_embed(), **options)
    first, second = both.vectors[: len(ids)], both.vectors[len(ids):].copy()
    second[(texts.text_b.str.strip() == "").to_numpy()] = 0.0  # no second text: the first alone
    return ItemEmbeddings(tuple(ids), pair_vectors(first, second, kind=kind), both.model, both.warnings)
