"""A fully offline embedding backend: TF-IDF over character n-grams, reduced by SVD.

Character n-grams inside word boundaries (``char_wb``, lengths 2-4) need no tokenizer and
no vocabulary, so they work for any script, Korean included, where an English subword
model shatters every syllable. The vectors are fitted on the texts being embedded, so
they compare texts within one call; they are not comparable across calls.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from analysis.embeddings.base import ProgressCallback, l2_normalize


class CharNgramEmbedder:
    """TF-IDF of ``char_wb`` 2-4-grams, TruncatedSVD to ``dim`` components, L2-normalised.

    Parameters
    ----------
    dim : int, default 128
        Number of SVD components (fewer when there are fewer texts or features).
    seed : int, default 0
        Seed of the randomized SVD.

    Examples
    --------
    >>> emb = CharNgramEmbedder(dim=2).embed(["refund my order", "refund the order", "hello"])
    >>> emb.shape
    (3, 2)
    >>> bool(emb[0] @ emb[1] > emb[0] @ emb[2])
    True
    """

    def __init__(self, *, dim: int = 128, seed: int = 0) -> None:
        self.dim = dim
        self.seed = seed
        self.name = f"char-ngram(char_wb 2-4, svd {dim}, seed {seed})"

    def embed(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> npt.NDArray[np.float32]:
        """Embed ``texts``; see the class docstring."""
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        total = len(texts)
        if total == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        tfidf = vectorizer.fit_transform([str(t) for t in texts])
        n_components = min(self.dim, tfidf.shape[0] - 1, tfidf.shape[1] - 1)
        if n_components < 1:
            dense = l2_normalize(tfidf.toarray())
        else:
            svd = TruncatedSVD(n_components=n_components, random_state=self.seed)
            dense = l2_normalize(svd.fit_transform(tfidf))
        if progress is not None:
            progress(total, total)
        return dense
