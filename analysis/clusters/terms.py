"""Distinctive terms of a group of texts: class-based TF-IDF that also works for Korean.

Tokens are lower-cased word tokens (``\\w+``). English stop words and tokens shorter than
two characters or made of digits are dropped. A token containing Hangul loses the
longest common particle or verb ending it ends with (은/는/이/가/을/를/에서/으로/했다 ...)
when at least two characters remain, so "정부는" and "정부가" both count as "정부".

The weight of term t in class c is the c-TF-IDF of BERTopic's paper:
``tf(t, c) / |c| * log(1 + A / f(t))``, with ``|c|`` the tokens in c, ``f(t)`` the
frequency of t over all classes and ``A`` the average number of tokens per class. A term
must appear in at least two of the group's texts (when the group has four or more).
When a group yields fewer than ``k`` word terms (e.g. unsegmented text), character
2-3-grams of its Hangul/word characters fill the list the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from scipy import sparse

_WORD = re.compile(r"\w+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_KOREAN_SUFFIXES = tuple(
    sorted(
        {
            "은",
            "는",
            "이",
            "가",
            "을",
            "를",
            "에",
            "의",
            "와",
            "과",
            "도",
            "로",
            "으로",
            "만",
            "에서",
            "에게",
            "한테",
            "께서",
            "까지",
            "부터",
            "보다",
            "처럼",
            "이나",
            "나",
            "이며",
            "에는",
            "에서는",
            "으로는",
            "로는",
            "과의",
            "와의",
            "에의",
            "들",
            "들은",
            "들이",
            "들을",
            "들의",
            "이다",
            "였다",
            "이었다",
            "했다",
            "한다",
            "하는",
            "하고",
            "하며",
            "했고",
            "됐다",
            "된다",
            "되는",
            "되어",
            "했다고",
            "한다고",
            "라고",
            "이라고",
            "다고",
            "하기로",
            "하자",
            "해",
            "했으며",
            "하면서",
            "에도",
            "으로도",
            "로도",
        },
        key=len,
        reverse=True,
    )
)


def _english_stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


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


def tokenize(text: str, *, stop_words: frozenset[str] | None = None) -> list[str]:
    """Word tokens as described in the module docstring.

    Examples
    --------
    >>> tokenize("The refund for my ORDER 42 was late")
    ['refund', 'order', 'late']
    >>> tokenize("정부는 부동산 정책을 발표했다")
    ['정부', '부동산', '정책', '발표']
    """
    stop = _english_stop_words() if stop_words is None else stop_words
    tokens = []
    for raw in _WORD.findall(text.lower()):
        token = strip_korean_suffix(raw)
        if len(token) < 2 or token.isdigit() or token in stop:
            continue
        tokens.append(token)
    return tokens


def _tokenize_all(docs: Sequence[str], *, stop_words: frozenset[str]) -> list[list[str]]:
    """:func:`tokenize` of every text, normalising each distinct raw token once."""
    normal: dict[str, str | None] = {}
    out = []
    for text in docs:
        tokens = []
        for raw in _WORD.findall(text.lower()):
            token = normal.get(raw, "")
            if token == "":
                stripped = strip_korean_suffix(raw)
                keep = len(stripped) >= 2 and not stripped.isdigit() and stripped not in stop_words
                token = normal[raw] = stripped if keep else None
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
    for word in _WORD.findall(text.lower()):
        for n in (2, 3):
            grams.extend(word[i : i + n] for i in range(len(word) - n + 1))
    return grams


def stop_like_terms(
    docs: Sequence[str], groups: Sequence[object], *, min_groups: int = 3, min_share: float = 0.25
) -> frozenset[str]:
    """Words that say nothing about any label: used by many label groups alike.

    A token (as :func:`tokenize` makes it, so Korean particles are already stripped) is
    stop-like when texts of at least ``max(min_groups, min_share × n_groups)`` distinct
    groups contain it, e.g. "need", "think" or "please" across the intents of a support
    queue, or 위해/관련 across news sections. Data-driven, so it works for any language.

    Parameters
    ----------
    docs : sequence of str
    groups : sequence
        Group (e.g. plurality label) of each text.

    Examples
    --------
    >>> docs = ["need refund", "need password", "need parcel", "refund late"]
    >>> sorted(stop_like_terms(docs, ["billing", "account", "shipping", "billing"]))
    ['need']
    """
    words = _tokenize_all(docs, stop_words=_english_stop_words())
    seen: dict[str, set[object]] = {}
    for tokens, group in zip(words, groups, strict=True):
        for token in set(tokens):
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
        many calls; ``exclude`` is then applied by the caller.

    Examples
    --------
    >>> docs = ["refund late order", "late refund please", "refund was late",
    ...         "password reset", "reset my password", "hello there"]
    >>> class_tfidf_terms(docs, [0, 0, 0, 1, 1, -1], k=2)
    {0: ['late', 'refund'], 1: ['password', 'reset']}
    """
    classes = np.asarray(classes)
    words = list(tokens) if tokens is not None else tokenize_all(docs, exclude=exclude)
    result = _top_terms(words, classes, k=k)
    thin = [c for c, terms in result.items() if len(terms) < min(k, 3)]
    if thin:
        grams = _top_terms([_char_ngrams(d) for d in docs], classes, k=k)
        for c in thin:
            result[c] = (result[c] + [g for g in grams[c] if g not in result[c]])[:k]
    return result


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
    out: dict[int, list[str]] = {}
    for row, c in enumerate(targets):
        min_docs = 2 if sizes[row] >= 4 else 1
        score = np.where(doc_freq[row] >= min_docs, weight[row], 0.0)
        candidates = np.nonzero(score > 0)[0]
        if candidates.size > k:  # the k best and every term tied with the k-th
            kth = -np.partition(-score[candidates], k - 1)[k - 1]
            candidates = candidates[score[candidates] >= kth]
        order = candidates[np.lexsort((alphabetical[candidates], -score[candidates]))]
        out[c] = [str(terms[j]) for j in order[:k]]
    return out
