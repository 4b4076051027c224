"""Text embeddings for the ambiguity clusters and the label-error candidates.

Backends follow the small :class:`Embedder` protocol (``name`` and
``embed(texts, progress=None)``):

* :class:`TransformerEmbedder`: a local Hugging Face model (default: the bundled
  all-MiniLM-L6-v2, English), mean pooling per the model's own pooling config, L2-normed;
* :class:`CharNgramEmbedder`: TF-IDF over character n-grams + SVD, offline and
  script-agnostic (good for Korean); ``fit(texts)`` estimates its space on a corpus
  (:func:`embed_items` ``fit_texts``: every text of the dataset).

:func:`embed_with_cache` keeps vectors on disk by model identity (a transformer, or a
char-ngram space fitted on a corpus) and text hash; :func:`embed_items` also keeps the
tokenizer coverage there, so a fully cached run loads no model. Importing this package
does not import torch or transformers.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Literal

from analysis.base.errors import AnnotationDataError
from analysis.base.params import Options, validate_params
from analysis.embeddings.base import Embedder, ProgressCallback, l2_normalize
from analysis.embeddings.cache import (
    CACHE_ENV_VAR,
    EmbeddingCache,
    default_cache_dir,
    embed_with_cache,
    text_hash,
)
from analysis.embeddings.char_ngram import CharNgramEmbedder
from analysis.embeddings.coverage import LanguageCoverage, measure_coverage
from analysis.embeddings.item_embeddings import (
    ItemEmbeddings,
    PrecomputedEmbeddings,
    embed_item_texts,
    embed_items,
    item_texts,
)
from analysis.embeddings.texts import ItemTexts, pair_vectors, read_item_texts
from analysis.embeddings.transformer import (
    DEFAULT_MODEL,
    MULTILINGUAL_SUGGESTION,
    TransformerEmbedder,
    bundled_model_dir,
    resolve_model,
)

Backend = Literal["transformer", "char-ngram"]

__all__ = [
    "CACHE_ENV_VAR",
    "DEFAULT_MODEL",
    "MULTILINGUAL_SUGGESTION",
    "Backend",
    "CharNgramEmbedder",
    "Embedder",
    "EmbeddingCache",
    "ItemEmbeddings",
    "ItemTexts",
    "LanguageCoverage",
    "PrecomputedEmbeddings",
    "ProgressCallback",
    "TransformerEmbedder",
    "bundled_model_dir",
    "default_cache_dir",
    "embed_item_texts",
    "embed_items",
    "embed_with_cache",
    "item_texts",
    "l2_normalize",
    "make_embedder",
    "measure_coverage",
    "pair_vectors",
    "read_item_texts",
    "resolve_model",
    "text_hash",
    "transformer_available",
]


def transformer_available() -> bool:
    """Whether the transformer backend can run here: torch and transformers are installed.

    The demo deploy set (``dashboard/requirements.txt``) leaves them out; the dashboard
    then offers only the char-ngram backend. Nothing is imported to find out.

    Examples
    --------
    >>> isinstance(transformer_available(), bool)
    True
    """
    return all(importlib.util.find_spec(name) is not None for name in ("torch", "transformers"))


@validate_params({"backend": [Options("transformer", "char-ngram")]})
def make_embedder(
    backend: Backend = "transformer",
    *,
    model: str | os.PathLike[str] | None = None,
    seed: int = 0,
    threads: int | None = None,
) -> Embedder:
    """Build a backend by name (as the CLI's ``--backend`` and ``--model`` choose it).

    Examples
    --------
    >>> make_embedder("char-ngram").name
    'char-ngram(char_wb 2-4, svd 64, seed 0)'
    """
    if backend == "char-ngram":
        return CharNgramEmbedder(seed=seed)
    if not transformer_available():
        raise AnnotationDataError(
            "the transformer backend needs torch and transformers, which are not installed here",
            fix="install them (pip install -r requirements.txt) or choose char-ngram with {backend}",
        )
    return TransformerEmbedder(model, threads=threads)
