"""Distinctive terms of a group of texts: class-based TF-IDF of content words, any script.

**Cleaning.** Before tokenizing, what is not the author's wording is removed: platform
placeholders (``<user>``, ``<url>``, ``[USER]``, ``@USER``, ``HTTPURL``), @mentions,
URLs and e-mail addresses, HTML tags and entities (``<span class=...>``, ``&amp;``); the
``#`` of a hashtag goes and its word stays. None of them can become a term.

**Tokens.** Lower-cased word tokens (``\\w+``); English stop words, contraction
fragments ("don", "ll"), tokens shorter than two characters and tokens of digits or
underscores are dropped. Korean text is split into morphemes by the Kiwi analyser
(``kiwipiepy``, bundled model, CPU, no download) and only content words are kept: nouns,
roots, foreign words and Hanja, and verb/adjective stems as their dictionary form
("가깝습니다" -> "가깝다"); particles, endings and the light verbs 하다/되다/있다/없다
never become terms. Without kiwipiepy, a Hangul token loses the longest common particle
or ending it ends with when at least two characters remain ("정부는" -> "정부").

**Weights.** The weight of term t in class c is the c-TF-IDF of BERTopic's paper:
``tf(t, c) / |c| * log(1 + A / f(t))``, with ``|c|`` the tokens in c, ``f(t)`` the
frequency of t over all classes and ``A`` the average number of tokens per class. A term
must appear in at least two of the group's texts (when the group has four or more), and
in a share of the group's texts at least :data:`MIN_LIFT` times its share over every
text, so words common everywhere ("people", "just") are not "distinctive". Texts in a
script written without spaces (Chinese, Japanese) fall back to character 2-3-grams.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from scipy import sparse

MIN_LIFT = 1.5
"""How many times more often than over all texts a term must occur in its group's texts."""

_WORD = re.compile(r"\w+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_NOISE = re.compile(
    r"""
      https?://\S+ | www\.\S+                        # URLs
    | \S+@\S+\.\w+                                   # e-mail addresses
    | @\w+                                           # @mentions, @USER
    | </?[A-Za-z][^<>]{0,400}>                       # HTML tags (and <user>, <url>)
    | \[(?:user|url|link|number|email|phone|name|mention)\]   # [USER], [URL] ...
    | \{(?:user|url|link|number|email|phone|name|mention)\}
    | &[a-z]+; | &\#\d+;                             # HTML entities
    | (?-i:\b(?:HTTPURL|URL|USER|MENTION|NUMBER|EMAIL)\b)  # upper-case placeholders only
    """,
    re.VERBOSE | re.IGNORECASE,
)
_FRAGMENTS = frozenset({
    "don", "doesn", "didn", "isn", "aren", "wasn", "weren", "ll", "ve", "re", "im", "ain", "won",
    "wouldn", "shouldn", "couldn", "haven", "hasn", "hadn", "mustn", "needn", "gonna", "wanna",
    "gotta", "just", "really", "does", "did", "doing", "got", "get", "gets", "getting", "going",
    "actually", "like", "think", "know", "want", "say", "said", "thing", "things", "lot", "way",
    "ok", "okay", "oh",
})
"""Contraction fragments and near-empty verbs that ``ENGLISH_STOP_WORDS`` leaves in."""
_KOREAN_SUFFIXES = tuple(
    sorted(
        set(
            ["은", "는", "이", "가", "을", "를", "에", "의", "와", "과", "도", "로", "으로", "만", "에서", "에게", "한테", "께서", "까지", "부터", "보다", "처럼", "이나", "나", "이며", "에는", "에서는", "으로는", "로는", "과의", "와의", "에의", "들", "들은", "들이", "들을", "들의", "이다", "였다", "이었다", "했다", "한다", "하는", "하고", "하며", "했고", "됐다", "된다", "되는", "되어", "했다고", "한다고", "라고", "이라고", "다고", "하기로", "하자", "해", "했으며", "하면서", "에도", "으로도", "로도", "습니다", "입니다", "합니다", "했습니다", "됩니다", "됐습니다", "였습니다", "이었습니다", "있습니다", "없습니다", "니다", "해요", "했어요", "이에요", "예요", "어요", "아요", "네요", "군요", "지만", "는데", "은데", "인데", "고요", "세요", "으세요", "셨습니다", "하셨습니다"]
        ),
        key=len,
        reverse=True,
    )
)
_KIWI_CONTENT = frozenset({"NNG", "NNP", "XR", "SL", "SH"})
_KIWI_PREDICATES = frozenset({"VV", "VA", "VV-R", "VA-R", "VV-I", "VA-I"})
_KOREAN_LIGHT = frozenset({"하다", "되다", "있다", "없다", "않다", "같다", "이다", "아니다", "보다", "주다",
                           "싶다", "그렇다", "이렇다", "것", "수", "등", "때", "중"})
_kiwi_lock = threading.Lock()


def _english_stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | _FRAGMENTS


def clean_text(text: str) -> str:
    """``text`` without placeholders, mentions, URLs and markup (module docstring).

    Examples
    --------
    >>> clean_text("@USER <user> loves #brexit https://t.co/x &amp; <span class='e'></span> URL")
    '   loves brexit      '
    """
    text = _NOISE.sub(" ", text)
    return text.replace("#", "")


def strip_korean_suffix(token: str) -> str:
    """Drop the longest particle/ending when two or more characters remain.

    Examples
    --------
    >>> strip_korean_suffix("정부는"), strip_korean_suffix("반도체"), strip_korean_suffix("투자를")
    ('정부', '반도체', '투자')
    """
    if not _HANGUL.search(token):
        return token
    for suffix in _KOREAN_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 2:
            return token[: -len(suffix)]
    return token


@lru_cache(maxsize=1)
def _kiwi() -> Any | None:
    """The Kiwi analyser (loaded once, about 1.5 s), or None without kiwipiepy."""
    try:
        from kiwipiepy import Kiwi
    except ImportError:  # optional: the suffix rules below still apply
        return None
    return Kiwi(num_workers=1)


def _korean_words(texts: Sequence[str]) -> list[list[str]]:
    """Content words of Korean texts (morphemes, module docstring)."""
    kiwi = _kiwi()
    out: list[list[str]] = []
    with _kiwi_lock:  # one analyser, shared by the dashboard's sessions
        analysed = kiwi.tokenize(list(texts))
    for tokens in analysed:
        words = []
        for token in tokens:
            if token.tag in _KIWI_CONTENT:
                word = token.form.lower()
            elif token.tag in _KIWI_PREDICATES:
                word = token.form + "다"
            else:
                continue
            if word not in _KOREAN_LIGHT:
                words.append(word)
        out.append(words)
    return out


def tokenize(text: str, *, stop_words: frozenset[str] | None = None) -> list[str]:
    """Word tokens of one text as described in the module docstring.

    Examples
    --------
    >>> tokenize("The refund for my ORDER 42 was late, don't <url> @bob")
    ['refund', 'order', 'late']
    >>> tokenize("정부는 부동산 정책을 발표했다")
    ['정부', '부동산', '정책', '발표']
    """
    return _tokenize_all([text], stop_words=_english_stop_words() if stop_words is None else stop_words)[0]


def _tokenize_all(docs: Sequence[str], *, stop_words: frozenset[str]) -> list[list[str]]:
    """:func:`tokenize` of every text, normalising each distinct raw token once."""
    cleaned = [clean_text(text) for text in docs]
    korean = [i for i, text in enumerate(cleaned) if _HANGUL.search(text)]
    by_kiwi = _korean_words([cleaned[i] for i in korean]) if korean and _kiwi() is not None else None
    kiwi_rows = dict(zip(korean, by_kiwi, strict=True)) if by_kiwi is not None else {}
    normal: dict[str, str | None] = {}
    out = []
    for row, text in enumerate(cleaned):
        # the analyser gives foreign words back as SL morphemes
        raws = kiwi_rows[row] if row in kiwi_rows else _WORD.findall(text.lower())
        tokens = []
        for raw in raws:
            token = normal.get(raw, "")
            if token == "":
                stripped = raw if row in kiwi_rows else strip_korean_suffix(raw)
                keep = (len(stripped) >= 2 and not stripped.isdigit() and stripped.strip("_") != ""
                        and stripped not in stop_words)
                token = normal[raw] = stripped.strip("_") if keep else None
            if token is not None:
                tokens.append(token)
        out.append(tokens)
    return out



def tokenize_all(docs: Sequence[str], *, exclude: frozenset[str] = frozenset()) -> list[list[str]]:
    """:func:`tokenize` of every text (each distinct raw token normalised once), leaving
    out English stop words and ``exclude``.

    Examples
    --------
    >>> tokenize_all(["The refund", "정부는 발표"], exclude=frozenset({"발표"}))
    [['refund'], ['정부']]
    """
    return _tokenize_all(docs, stop_words=_english_stop_words() | exclude)


def _char_ngrams(text: str) -> list[str]:
    grams = []
    for word in _WORD.findall(clean_text(text).lower()):
        for n in (2, 3):
            grams.extend(word[i : i + n] for i in range(len(word) - n + 1))
    return grams


def stop_like_terms(
    docs: Sequence[str], groups: Sequence[object], *, min_groups: int = 3, min_share: float = 0.25,
    tokens: Sequence[list[str]] | None = None,
) -> frozenset[str]:
    """Words that say nothing about any label: used by many label groups alike.

    A token (as :func:`tokenize` makes it) is stop-like when texts of at least
    ``max(min_groups, min_share × n_groups)`` distinct groups contain it, e.g. "need",
    "think" or "please" across the intents of a support queue, or 위해/관련 across news
    sections. Data-driven, so it works for any language.

    Parameters
    ----------
    docs : sequence of str
    groups : sequence
        Group (e.g. plurality label) of each text.
    tokens : sequence of list of str, optional
        ``docs`` already tokenized (:func:`tokenize_all`).

    Examples
    --------
    >>> docs = ["need refund", "need password", "need parcel", "refund late"]
    >>> sorted(stop_like_terms(docs, ["billing", "account", "shipping", "billing"]))
    ['need']
    """
    words = list(tokens) if tokens is not None else _tokenize_all(docs, stop_words=_english_stop_words())
    seen: dict[str, set[object]] = {}
    for doc_tokens, group in zip(words, groups, strict=True):
        for token in set(doc_tokens):
            seen.setdefault(token, set()).add(group)
    n_groups = len(set(groups))
    needed = max(min_groups, min_share * n_groups)
    return frozenset(token for token, where in seen.items() if len(where) >= needed)


def class_tfidf_terms(
    docs: Sequence[str],
    classes: Sequence[int] | np.ndarray,
    *,
    k: int = 8,
    exclude: frozenset[str] = frozenset(),
    tokens: Sequence[list[str]] | None = None,
) -> dict[int, list[str]]:
    """Top ``k`` distinctive terms of each class (classes < 0 only serve as background).

    Parameters
    ----------
    docs : sequence of str
    classes : sequence of int
        Class of each document; use -1 for background texts.
    k : int, default 8
    exclude : frozenset of str, optional
        Further words to leave out (e.g. :func:`stop_like_terms`).
    tokens : sequence of list of str, optional
        ``docs`` already tokenized (:func:`tokenize_all`), to tokenize a corpus once for
        many calls; ``exclude`` is then applied here too.

    Examples
    --------
    >>> docs = ["refund late order", "late refund please", "refund was late",
    ...         "password reset", "reset my password", "hello there"]
    >>> class_tfidf_terms(docs, [0, 0, 0, 1, 1, -1], k=2)
    {0: ['late', 'refund'], 1: ['password', 'reset']}
    """
    classes = np.asarray(classes)
    words = list(tokens) if tokens is not None else tokenize_all(docs, exclude=exclude)
    if tokens is not None and exclude:
        words = [[t for t in doc if t not in exclude] for doc in words]
    result = _top_terms(words, classes, k=k)
    unspaced = [c for c in result if len(result[c]) < min(k, 3) and _mostly_unspaced(docs, classes, c)]
    if unspaced:
        grams = _top_terms([_char_ngrams(d) for d in docs], classes, k=k)
        for c in unspaced:
            result[c] = (result[c] + [g for g in grams[c] if g not in result[c]])[:k]
    return result


def _mostly_unspaced(docs: Sequence[str], classes: np.ndarray, c: int) -> bool:
    """Whether most texts of class ``c`` are in a script written without spaces."""
    rows = np.nonzero(classes == c)[0]
    return bool(rows.size) and sum(bool(_UNSPACED.search(docs[i])) for i in rows) * 2 > rows.size


def _top_terms(tokens: list[list[str]], classes: np.ndarray, *, k: int) -> dict[int, list[str]]:
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, doc in enumerate(tokens):
        for t in set(doc):
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
    targets = sorted(int(c) for c in np.unique(classes) if c >= 0)
    if not vocab:
        return {c: [] for c in targets}
    presence = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(tokens), len(vocab))
    )
    # Group rows: each target class, plus everything else as one background class.
    position = np.searchsorted(np.array(targets), classes)
    group_of = np.where(classes >= 0, position, len(targets))
    grouping = sparse.csr_matrix(
        (np.ones(len(group_of)), (group_of, np.arange(len(group_of)))),
        shape=(len(targets) + 1, len(tokens)),
    )
    doc_freq = np.asarray((grouping @ presence).todense())  # texts of the class holding t
    tf = doc_freq / np.maximum(doc_freq.sum(axis=1, keepdims=True), 1)
    average = doc_freq.sum() / doc_freq.shape[0]
    idf = np.log1p(average / np.maximum(doc_freq.sum(axis=0), 1))
    weight = tf * idf
    terms = np.array(list(vocab), dtype=object)
    alphabetical = np.empty(len(terms), dtype=np.int64)
    alphabetical[np.argsort(terms.astype(str), kind="stable")] = np.arange(len(terms))
    sizes = np.bincount(group_of, minlength=len(targets) + 1)
    overall = doc_freq.sum(axis=0) / max(len(tokens), 1)  # share of all texts holding t
    out: dict[int, list[str]] = {}
    for row, c in enumerate(targets):
        min_docs = 2 if sizes[row] >= 4 else 1
        share = doc_freq[row] / max(sizes[row], 1)
        distinct = share >= MIN_LIFT * overall if sizes[row] < len(tokens) else np.ones(len(terms), bool)
        score = np.where((doc_freq[row] >= min_docs) & distinct, weight[row], 0.0)
        candidates = np.nonzero(score > 0)[0]
        if candidates.size > k:  # the k best and every term tied with the k-th
            kth = -np.partition(-score[candidates], k - 1)[k - 1]
            candidates = candidates[score[candidates] >= kth]
        order = candidates[np.lexsort((alphabetical[candidates], -score[candidates]))]
        out[c] = [str(terms[j]) for j in order[:k]]
    return out
