"""A disk cache of embeddings keyed by model identity and text hash.

Layout, one folder per model identity under the cache root::

    <root>/<sha256(model identity)[:20]>/manifest.json   format, model identity, dim,
                                                         text hashes in row order,
                                                         sha256 of the vector bytes
    <root>/<sha256(model identity)[:20]>/vectors.npy     float32, shape (rows, dim)
    <root>/<sha256(model identity)[:20]>/coverage.json   tokenizer coverage by text set

Nothing is pickled: vectors are read with ``np.load(allow_pickle=False)``. A manifest
that does not parse, names another model, or disagrees with the vector file (row count,
dimension, checksum) marks the folder as corrupt: it is ignored and rewritten, never
trusted. Writes go to temporary files that replace the old ones atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.base.errors import AnnotationDataError
from analysis.embeddings.base import Embedder, ProgressCallback

CACHE_ENV_VAR = "LABEL_AGREEMENT_CACHE"
_FORMAT = 1
_COVERAGE_RECORDS = 64


def default_cache_dir() -> Path:
    """``$LABEL_AGREEMENT_CACHE`` when set, else ``~/.cache/label-agreement/embeddings``."""
    configured = os.environ.get(CACHE_ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "label-agreement" / "embeddings"


def text_hash(text: str) -> str:
    """SHA-256 of the UTF-8 text, hex.

    Examples
    --------
    >>> text_hash("a")[:12]
    'ca978112ca1b'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """The cached vectors of one model identity.

    Parameters
    ----------
    root : path
        Cache root folder (see :func:`default_cache_dir`).
    model_key : str
        The model identity; a folder holding vectors of another identity is rebuilt.
    """

    def __init__(self, root: str | os.PathLike[str], model_key: str) -> None:
        self.model_key = model_key
        digest = hashlib.sha256(model_key.encode("utf-8")).hexdigest()[:20]
        self.folder = Path(root) / digest
        self.manifest_path = self.folder / "manifest.json"
        self.vectors_path = self.folder / "vectors.npy"
        self.was_corrupt = False

    def load(self) -> tuple[list[str], npt.NDArray[np.float32] | None]:
        """Return (text hashes, vectors); empty when absent, corrupt or of another model."""
        if not self.manifest_path.exists():
            return [], None
        try:
            manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            if manifest.get("format") != _FORMAT or manifest.get("model") != self.model_key:
                raise AnnotationDataError("manifest of another model or format")
            raw = self.vectors_path.read_bytes()
            if hashlib.sha256(raw).hexdigest() != manifest["vectors_sha256"]:
                raise AnnotationDataError("vector checksum mismatch")
            with self.vectors_path.open("rb") as handle:
                vectors = np.load(handle, allow_pickle=False)
            hashes = [str(h) for h in manifest["text_sha256"]]
            if (
                vectors.dtype != np.float32
                or vectors.ndim != 2
                or vectors.shape[0] != len(hashes)
                or vectors.shape[1] != manifest["dim"]
            ):
                raise AnnotationDataError("vector shape disagrees with the manifest")
        except (OSError, ValueError, KeyError, TypeError):
            self.was_corrupt = True
            return [], None
        return hashes, vectors

    @property
    def coverage_path(self) -> Path:
        """``coverage.json``: tokenizer coverage results by text-set key."""
        return self.folder / "coverage.json"

    def load_coverage(self, key: str) -> dict[str, Any] | None:
        """The coverage record stored under ``key``, or None (absent or unreadable)."""
        try:
            stored = json.loads(self.coverage_path.read_text(encoding="utf-8"))
            record = stored["records"][key] if stored.get("model") == self.model_key else None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return record if isinstance(record, dict) else None

    def save_coverage(self, key: str, record: dict[str, Any]) -> None:
        """Store ``record`` under ``key``, keeping the newest :data:`_COVERAGE_RECORDS`."""
        records: dict[str, Any] = {}
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
            stored = json.loads(self.coverage_path.read_text(encoding="utf-8"))
            if stored.get("model") == self.model_key and isinstance(stored["records"], dict):
                records = stored["records"]
        records.pop(key, None)
        records[key] = record
        kept = dict(list(records.items())[-_COVERAGE_RECORDS:])
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.coverage_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps({"model": self.model_key, "records": kept}), encoding="utf-8")
        os.replace(tmp, self.coverage_path)

    def save(self, hashes: Sequence[str], vectors: npt.NDArray[np.float32]) -> None:
        """Replace the folder's contents with these vectors (atomic per file)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        tmp_vectors = self.vectors_path.with_suffix(".npy.tmp")
        with tmp_vectors.open("wb") as handle:
            np.save(handle, vectors, allow_pickle=False)
        digest = hashlib.sha256(tmp_vectors.read_bytes()).hexdigest()
        manifest = {
            "format": _FORMAT,
            "model": self.model_key,
            "dim": int(vectors.shape[1]),
            "text_sha256": list(hashes),
            "vectors_sha256": digest,
        }
        tmp_manifest = self.manifest_path.with_suffix(".json.tmp")
        tmp_manifest.write_text(json.dumps(manifest), encoding="utf-8")
        os.replace(tmp_vectors, self.vectors_path)
        os.replace(tmp_manifest, self.manifest_path)


def embed_with_cache(
    embedder: Embedder,
    texts: Sequence[str],
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    progress: ProgressCallback | None = None,
) -> npt.NDArray[np.float32]:
    """Embed ``texts``, reusing and extending the disk cache of the embedder's model.

    Only embedders with a ``cache_key`` that is not None (a model identity whose vectors
    do not depend on the other texts, e.g. a transformer or a fitted char-ngram space)
    are cached; others are simply called.

    Parameters
    ----------
    embedder : Embedder
        The backend.
    texts : sequence of str
        Texts to embed; duplicates are embedded once.
    cache_dir : path, optional
        Cache root; default :func:`default_cache_dir`.
    use_cache : bool, default True
        Set False to bypass the cache entirely.
    progress : callable, optional
        ``progress(done, total)`` over the texts that actually need the model.

    Returns
    -------
    ndarray of float32, shape (len(texts), dim)
    """
    key = getattr(embedder, "cache_key", None)
    if not use_cache or key is None or len(texts) == 0:
        return np.asarray(embedder.embed(list(texts), progress=progress), dtype=np.float32)
    cache = EmbeddingCache(cache_dir if cache_dir is not None else default_cache_dir(), key)
    hashes, stored = cache.load()
    row_of = {h: i for i, h in enumerate(hashes)}
    wanted = [text_hash(t) for t in texts]
    missing = list(dict.fromkeys(h for h in wanted if h not in row_of))
    if missing:
        first_text = dict(zip(wanted, texts, strict=True))
        fresh = np.asarray(
            embedder.embed([first_text[h] for h in missing], progress=progress), dtype=np.float32
        )
        stored = fresh if stored is None else np.vstack([stored, fresh])
        for h in missing:
            row_of[h] = len(row_of)
        hashes = hashes + missing
        with contextlib.suppress(OSError):  # a read-only cache must not stop the analysis
            cache.save(hashes, stored)
    elif progress is not None:
        progress(len(texts), len(texts))
    if stored is None:  # unreachable: every wanted hash was found or just embedded
        raise RuntimeError("embedding cache returned no vectors")
    return stored[[row_of[h] for h in wanted]]
