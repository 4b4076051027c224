"""How well a model's tokenizer covers the texts, measured before embedding.

An English subword vocabulary meets Korean by splitting every syllable into jamo pieces
or unknown tokens: the embedding then says little about meaning. Two numbers show it:

* ``unknown_rate``: share of tokens that are the unknown token;
* fragmentation: tokens per whitespace word and per (non-space) character. English
  prose runs at about 1.2-1.5 tokens per word and 0.2-0.3 per character; above
  ``max_tokens_per_char`` (default 0.6) the vocabulary is cutting characters apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analysis.base.errors import AnnotationDataError
from analysis.embeddings.transformer import MULTILINGUAL_SUGGESTION
from analysis.messages import note
from analysis.messages.records import from_record, to_record

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_NON_SPACE = re.compile(r"\S")


@dataclass(frozen=True)
class LanguageCoverage:
    """Tokenizer coverage of a set of texts.

    Attributes
    ----------
    n_texts : int
    unknown_rate : float
        Unknown tokens / all tokens (special tokens excluded).
    tokens_per_word : float
    tokens_per_char : float
    hangul_share : float
        Share of non-space characters that are Hangul.
    warnings : tuple of str
        Plain-language warnings with a suggested remedy; empty when coverage is fine.
    """

    n_texts: int
    unknown_rate: float
    tokens_per_word: float
    tokens_per_char: float
    hangul_share: float
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> LanguageCoverage:
        """Rebuild from :meth:`to_dict` output (raises AnnotationDataError, a ValueError, when malformed).

        Examples
        --------
        >>> c = LanguageCoverage(2, 0.0, 1.25, 0.25, 0.0, ("w",))
        >>> LanguageCoverage.from_dict(c.to_dict()) == c
        True
        """
        try:
            warnings = record["warnings"]
            if not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
                raise AnnotationDataError("warnings must be a list of strings")
            coded = record.get("warning_notes")
            if isinstance(coded, list) and len(coded) == len(warnings):  # their codes, for the reader's language
                warnings = [from_record(text, made) for text, made in zip(warnings, coded, strict=True)]
            return cls(
                n_texts=int(record["n_texts"]),
                unknown_rate=float(record["unknown_rate"]),
                tokens_per_word=float(record["tokens_per_word"]),
                tokens_per_char=float(record["tokens_per_char"]),
                hangul_share=float(record["hangul_share"]),
                warnings=tuple(warnings),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise AnnotationDataError(f"not a coverage record: {exc}") from exc

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "n_texts": self.n_texts,
            "unknown_rate": round(self.unknown_rate, 4),
            "tokens_per_word": round(self.tokens_per_word, 3),
            "tokens_per_char": round(self.tokens_per_char, 3),
            "hangul_share": round(self.hangul_share, 4),
            "warnings": list(self.warnings),
            "warning_notes": [to_record(warning) for warning in self.warnings],
        }


def measure_coverage(
    tokenizer: Any,
    texts: Sequence[str],
    *,
    model_name: str = "the model",
    max_unknown_rate: float = 0.02,
    max_tokens_per_char: float = 0.6,
    sample: int = 2000,
    seed: int = 0,
) -> LanguageCoverage:
    """Measure unknown-token rate and fragmentation of ``tokenizer`` on ``texts``.

    Parameters
    ----------
    tokenizer : transformers tokenizer
        Anything callable as ``tokenizer(list_of_texts, add_special_tokens=False)``
        returning ``{"input_ids": [...]}`` and having ``unk_token_id``.
    texts : sequence of str
    model_name : str
        Named in the warnings.
    max_unknown_rate, max_tokens_per_char : float
        Warn above these.
    sample : int, default 2000
        At most this many texts (a seeded random sample) are tokenised.

    Returns
    -------
    LanguageCoverage
    """
    texts = [str(t) for t in texts if isinstance(t, str) and t.strip()]
    if len(texts) > sample:
        pick = np.random.default_rng(seed).choice(len(texts), size=sample, replace=False)
        texts = [texts[i] for i in np.sort(pick)]
    if not texts:
        return LanguageCoverage(0, 0.0, 0.0, 0.0, 0.0, ("no texts to measure coverage on",))
    ids = tokenizer(texts, add_special_tokens=False)["input_ids"]
    n_tokens = sum(len(x) for x in ids)
    unk_id = getattr(tokenizer, "unk_token_id", None)
    n_unknown = sum(x.count(unk_id) for x in ids) if unk_id is not None else 0
    n_words = sum(len(t.split()) for t in texts)
    n_chars = sum(len(_NON_SPACE.findall(t)) for t in texts)
    n_hangul = sum(len(_HANGUL.findall(t)) for t in texts)
    unknown_rate = n_unknown / max(n_tokens, 1)
    per_word = n_tokens / max(n_words, 1)
    per_char = n_tokens / max(n_chars, 1)
    hangul_share = n_hangul / max(n_chars, 1)
    warnings: list[str] = []
    if unknown_rate > max_unknown_rate or per_char > max_tokens_per_char:
        language = note("coverage.korean" if hangul_share > 0.3 else "coverage.these")
        warnings.append(note("coverage.poor", model=model_name, language=language, unknown_rate=unknown_rate,
                             per_char=per_char, suggestion=MULTILINGUAL_SUGGESTION))
    return LanguageCoverage(
        n_texts=len(texts),
        unknown_rate=unknown_rate,
        tokens_per_word=per_word,
        tokens_per_char=per_char,
        hangul_share=hangul_share,
        warnings=tuple(warnings),
    )
