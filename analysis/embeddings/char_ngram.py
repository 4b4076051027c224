"""A fully offline embedding backend: TF-IDF over character n-grams, reduced by SVD.

Character n-grams inside word boundaries (``char_wb``, lengths 2-4) need no tokenizer and
no vocabulary, so they work for any script, Korean included, where an English subword
model shatters every syllable.

The vocabulary, the IDF weights and the SVD are estimated from a corpus. Unfitted, the
backend estimates them from the texts of each ``embed`` call (vectors compare texts
within one call only). After :meth:`CharNgramEmbedder.fit` on a corpus (the clusters use
every item text of the dataset, not only the disagreed ones), ``embed`` projects any text
into that one space: the estimates rest on more text and the vectors become cacheable,
keyed by the corpus.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.base.blas import single_threaded_blas
from analysis.embeddings.base import ProgressCallback, l2_normalize


class CharNgramEmbedder:
    """TF-IDF of ``char_wb`` 2-4-grams, TruncatedSVD to ``dim`` components, L2-normalised.

    Parameters
    ----------
    dim : int, default 64
        Number of SVD components (fewer when there are fewer texts or features). On the
        bundled samples (~660 texts each), 64 clustered the planted groups better than
        128 for every one of five SVD seeds on average (``docs/clusters.md``).
    seed : int, default 0
        Seed of the randomized SVD.

    Attributes
    ----------
    name : str
        The backend and its settings (the same fitted or not).
    corpus_digest_ : str or None
        SHA-256 over the sorted distinct texts given to :meth:`fit`; None before.
    n_corpus_texts_ : int
        Distinct texts of that corpus (0 before :meth:`fit`).

    Examples
    --------
    >>> emb = CharNgramEmbedder(dim=2).embed(["refund my order", "refund the order", "hello"])
    >>> emb.shape
    (3, 2)
    >>> bool(emb[0] @ emb[1] > emb[0] @ emb[2])
    True
    >>> fitted = CharNgramEmbedder(dim=2).fit(["refund my order", "refund the order", "hello"])
    >>> fitted.embed(["refund an order", "hello"]).shape
    (2, 2)
    >>> fitted.n_corpus_texts_, fitted.cache_key.startswith("char-ngram(")
    (3, True)
    """

    def __init__(self, *, dim: int = 64, seed: int = 0) -> None:
        self.dim = dim
        self.seed = seed
        self.name = f"char-ngram(char_wb 2-4, svd {dim}, seed {seed})"
        self.corpus_digest_: str | None = None
        self.n_corpus_texts_ = 0
        self._corpus: tuple[str, ...] = ()
        self._model: tuple[Any, Any] | None = None

    @property
    def cache_key(self) -> str | None:
        """Identity of the fitted vector space (None unfitted: vectors depend on the call)."""
        if self.corpus_digest_ is None:
            return None
        return f"{self.name}|corpus {self.n_corpus_texts_} texts {self.corpus_digest_}"

    def fit(self, texts: Sequence[str]) -> CharNgramEmbedder:
        """Estimate the vocabulary, IDF and SVD on ``texts`` from now on; returns ``self``.

        The estimate itself is deferred to the first :meth:`embed` call, so a run whose
        vectors all come from the disk cache never computes it. Duplicates and text order
        do not matter.
        """
        corpus = tuple(sorted({str(t) for t in texts}))
        digest = hashlib.sha256()
        for text in corpus:
            digest.update(hashlib.sha256(text.encode("utf-8")).digest())
        self._corpus = corpus
        self.n_corpus_texts_ = len(corpus)
        self.corpus_digest_ = digest.hexdigest()[:32]
        self._model = None
        return self

    def _estimate(self, corpus: Sequence[str]) -> tuple[Any, Any]:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        tfidf = vectorizer.fit_transform(corpus)
        n_components = min(self.dim, tfidf.shape[0] - 1, tfidf.shape[1] - 1)
        if n_components < 1:
            return vectorizer, None
        return vectorizer, TruncatedSVD(n_components=n_components, random_state=self.seed).fit(
            tfidf
        )

    def embed(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> npt.NDArray[np.float32]:
        """Embed ``texts``; see the class docstring."""
        total = len(texts)
        if total == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        texts = [str(t) for t in texts]
        with single_threaded_blas():
            if self.corpus_digest_ is None:
                vectorizer, svd = self._estimate(texts)
            else:
                if self._model is None:
                    self._model = self._estimate(self._corpus)
                vectorizer, svd = self._model
            tfidf = vectorizer.transform(texts)
            dense = l2_normalize(tfidf.toarray() if svd is None else svd.transform(tfidf))
        if progress is not None:
            progress(total, total)
        return dense
