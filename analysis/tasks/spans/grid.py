"""Spans on a token grid: the shared representation of every token-level measure.

Each document is cut into tokens (``\\w+`` runs and single other non-space characters, so
Korean and English alike; without a text, the character segments between the span
boundaries found in that document), and every token is cut again where any annotator's span
starts or ends inside it (``서울시에서`` with the span ``서울시``: ``서울시`` + ``에서``), so
measures and consensus spans keep the offsets annotators gave. Every judgement (document, annotator) gets one
*entry* per token of its document, holding the span type at that token (``0``: outside)
and whether a span begins there (IOB). An annotator's nested or overlapping spans cannot
all be shown in IOB: the longest covering span wins the token.

Arrays are flat over entries, so measures are ``bincount``s: cost linear in the tokens
times the judgements per document, never in annotators squared.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.data.judgements import SpanData

IntArray = npt.NDArray[np.int64]


def tokenize(text: str) -> tuple[list[int], list[int]]:
    """Token start and end offsets (code points): runs of word characters (letters,
    digits, ``_`` and combining marks) and single other non-space characters.

    Examples
    --------
    >>> tokenize("환자 120명 (aged 18-65).")
    ([0, 3, 8, 9, 14, 16, 17, 19, 20], [2, 7, 9, 13, 16, 17, 19, 20, 21])
    """
    starts, ends = tokenize_many([text])
    return starts[0].tolist(), ends[0].tolist()


def tokenize_many(texts: list[str]) -> tuple[list[IntArray], list[IntArray]]:
    """:func:`tokenize` for many texts at once, vectorised over code points."""
    joined = "\n".join(texts)
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    seen = np.zeros(0x110000, dtype=bool)
    seen[points] = True
    distinct = np.nonzero(seen)[0]
    chars = [chr(int(c)) for c in distinct]
    word_table = np.zeros(0x110000, dtype=bool)
    space_table = np.zeros(0x110000, dtype=bool)
    word_table[distinct] = [c.isalnum() or c == "_" or unicodedata.category(c)[0] == "M"
                            for c in chars]
    space_table[distinct] = [c.isspace() for c in chars]
    word = word_table[points]
    space = space_table[points]
    previous_word = np.concatenate([[False], word[:-1]])
    next_word = np.concatenate([word[1:], [False]])
    other = ~word & ~space
    starts = np.nonzero((word & ~previous_word) | other)[0]
    ends = np.nonzero((word & ~next_word) | other)[0] + 1
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths + 1)])
    cut = np.searchsorted(starts, offsets)
    return ([starts[cut[d]:cut[d + 1]] - offsets[d] for d in range(len(texts))],
            [ends[cut[d]:cut[d + 1]] - offsets[d] for d in range(len(texts))])


def split_at(token_start: IntArray, token_end: IntArray, token_doc: IntArray,
             cut_doc: IntArray, cut_at: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Tokens cut at every position of ``cut_at`` (in document ``cut_doc``) that falls
    strictly inside a token; tokens sorted by document, then offset.

    Span boundaries that annotators put inside a word (a Korean particle after a name:
    ``서울시|에서``) become token boundaries, so no span measured on the grid, and no
    consensus span, moves an offset that an annotator gave.

    Examples
    --------
    >>> s, e, d = split_at(np.array([0, 6]), np.array([5, 8]), np.array([0, 0]),
    ...                    np.array([0, 0, 0]), np.array([0, 3, 7]))
    >>> s.tolist(), e.tolist(), d.tolist()
    ([0, 3, 6, 7], [3, 5, 7, 8], [0, 0, 0, 0])
    """
    if len(token_start) == 0 or len(cut_at) == 0:
        return token_start, token_end, token_doc
    scale = int(max(token_end.max(), cut_at.max())) + 1
    starts = token_doc * scale + token_start
    ends = token_doc * scale + token_end
    cuts = np.unique(cut_doc * scale + cut_at)
    after = np.searchsorted(ends, cuts, side="right")  # the first token ending after the cut
    inside = after < len(ends)
    inside[inside] = starts[after[inside]] < cuts[inside]
    cuts = cuts[inside]
    if len(cuts) == 0:
        return token_start, token_end, token_doc
    starts = np.sort(np.concatenate([starts, cuts]))
    ends = np.sort(np.concatenate([ends, cuts]))
    doc = starts // scale
    return starts - doc * scale, ends - doc * scale, doc


@dataclass(frozen=True, eq=False)
class TokenGrid:
    """Token-level view of :class:`SpanData`, stored sparsely: only *marked* entries
    (a judgement's token inside one of its spans) are kept; every other (judgement, token)
    of a judged document is outside (type 0).

    Attributes
    ----------
    item_ids, annotators, labels : tuple of str
        Documents, annotators, span types (type code ``k`` is ``labels[k - 1]``).
    doc_token_start : ndarray, shape (n_docs + 1,)
        Tokens of document ``d`` are ``doc_token_start[d]:doc_token_start[d + 1]``.
    token_start, token_end : ndarray, shape (n_tokens,)
        Character offsets of each token within its document.
    token_doc : ndarray, shape (n_tokens,)
    judgement_doc, judgement_annotator : ndarray, shape (n_judgements,)
    mark_token, mark_judgement : ndarray, shape (n_marks,)
        The marked entries.
    mark_type : ndarray of int16, shape (n_marks,)
        Span type code (1..n_types) at the entry.
    mark_begin : ndarray of bool, shape (n_marks,)
        The span begins at this token.
    judges : ndarray, shape (n_docs,)
        Judgements per document.
    text_tokens : bool
        Whether tokens came from texts (else from span boundaries).
    """

    item_ids: tuple[str, ...]
    annotators: tuple[str, ...]
    labels: tuple[str, ...]
    doc_token_start: IntArray
    token_start: IntArray
    token_end: IntArray
    token_doc: IntArray
    judgement_doc: IntArray
    judgement_annotator: IntArray
    mark_token: IntArray
    mark_judgement: IntArray
    mark_type: npt.NDArray[np.int16]
    mark_begin: npt.NDArray[np.bool_]
    judges: IntArray
    text_tokens: bool

    @property
    def n_values(self) -> int:
        """IOB values: O, then B and I of each type."""
        return 1 + 2 * len(self.labels)

    def judges_of(self, use: npt.NDArray[np.bool_] | None = None) -> IntArray:
        """Judgements per document (only the ``use`` judgements when given)."""
        if use is None:
            return self.judges
        return np.bincount(self.judgement_doc[use], minlength=len(self.item_ids)).astype(np.int64)

    def marks(self, use: npt.NDArray[np.bool_] | None = None) -> npt.NDArray[np.bool_] | slice:
        """Selector of the marked entries of the ``use`` judgements."""
        return slice(None) if use is None else use[self.mark_judgement]

    def token_counts(self) -> npt.NDArray[np.int64]:
        """Judgements per token and IOB value (0 O, ``2k - 1`` B-k, ``2k`` I-k),
        shape (n_tokens, n_values)."""
        n_tok = len(self.token_start)
        kind = self.mark_type.astype(np.int64)
        iob = 2 * kind - self.mark_begin.astype(np.int64)
        counts = np.bincount(self.mark_token * self.n_values + iob,
                             minlength=n_tok * self.n_values).reshape(n_tok, self.n_values)
        counts[:, 0] = self.judges[self.token_doc] - counts[:, 1:].sum(axis=1)
        return counts

    def type_counts(self, use: npt.NDArray[np.bool_] | None = None) -> npt.NDArray[np.int64]:
        """Judgements per token and type (0: outside), shape (n_tokens, 1 + n_types)."""
        k = 1 + len(self.labels)
        n_tok = len(self.token_start)
        chosen = self.marks(use)
        counts = np.bincount(self.mark_token[chosen] * k + self.mark_type[chosen],
                             minlength=n_tok * k).reshape(n_tok, k)
        counts[:, 0] = self.judges_of(use)[self.token_doc] - counts[:, 1:].sum(axis=1)
        return counts

    @classmethod
    def from_spans(cls, data: SpanData) -> TokenGrid:
        """Cut every document into tokens and lay every judgement's spans on them."""
        item_ids = data.item_ids
        annotators = data.annotators
        labels = data.labels
        doc_code = {item: d for d, item in enumerate(item_ids)}
        ann_code = {name: a for a, name in enumerate(annotators)}
        spans = data.spans
        span_doc = spans["item_id"].map(doc_code).to_numpy(np.int64)
        starts_all: list[IntArray] = []
        ends_all: list[IntArray] = []
        text_tokens = True
        boundaries = (spans.groupby("item_id")[["start", "end"]].agg(list)
                      if set(item_ids) - set(data.texts) else pd.DataFrame())
        with_text = [item for item in item_ids if item in data.texts]
        text_starts, text_ends = tokenize_many([data.texts[item] for item in with_text])
        by_item = dict(zip(with_text, zip(text_starts, text_ends, strict=True), strict=True))
        for item in item_ids:
            if item in by_item:
                s, e = by_item[item]
            else:
                text_tokens = False
                if item in boundaries.index:
                    cuts = sorted(set(boundaries.at[item, "start"]) | set(boundaries.at[item, "end"]))
                else:
                    cuts = []
                s, e = cuts[:-1], cuts[1:]
            starts_all.append(np.asarray(s, dtype=np.int64))
            ends_all.append(np.asarray(e, dtype=np.int64))
        n_tok = np.array([len(s) for s in starts_all], dtype=np.int64)
        token_start = np.concatenate(starts_all) if starts_all else np.empty(0, np.int64)
        token_end = np.concatenate(ends_all) if ends_all else np.empty(0, np.int64)
        token_doc = np.repeat(np.arange(len(item_ids), dtype=np.int64), n_tok)
        if len(spans):  # a span boundary inside a word cuts it: offsets stay as annotated
            token_start, token_end, token_doc = split_at(
                token_start, token_end, token_doc,
                np.concatenate([span_doc, span_doc]),
                np.concatenate([spans["start"].to_numpy(np.int64),
                                spans["end"].to_numpy(np.int64)]))
            n_tok = np.bincount(token_doc, minlength=len(item_ids)).astype(np.int64)
            ends_all = np.split(token_end, np.cumsum(n_tok)[:-1])
        doc_token_start = np.concatenate([[0], np.cumsum(n_tok)]).astype(np.int64)
        judgement_doc = data.judgements["item_id"].map(doc_code).to_numpy(np.int64)
        judgement_annotator = data.judgements["annotator"].map(ann_code).to_numpy(np.int64)
        mark_token = mark_judgement = np.empty(0, dtype=np.int64)
        mark_type = np.empty(0, dtype=np.int16)
        mark_begin = np.empty(0, dtype=bool)
        if len(spans):
            judgement_key = pd.MultiIndex.from_frame(data.judgements[["item_id", "annotator"]])
            span_judgement = judgement_key.get_indexer(
                pd.MultiIndex.from_frame(spans[["item_id", "annotator"]])).astype(np.int64)
            # global character positions: documents laid end to end
            doc_len = np.array([int(e[-1]) + 1 if len(e) else 1 for e in ends_all], dtype=np.int64)
            doc_char = np.concatenate([[0], np.cumsum(doc_len)])[:-1]
            global_start = token_start + doc_char[token_doc]
            global_end = token_end + doc_char[token_doc]
            s = spans["start"].to_numpy(np.int64) + doc_char[span_doc]
            e = spans["end"].to_numpy(np.int64) + doc_char[span_doc]
            first = np.maximum(np.searchsorted(global_end, s, side="right"),
                               doc_token_start[span_doc])
            last = np.minimum(np.searchsorted(global_start, e, side="left"),
                              doc_token_start[span_doc + 1])
            length = np.maximum(last - first, 0)
            # longest first: where an annotator's spans nest or overlap, the longest wins
            order = np.argsort(-length, kind="stable")
            order = order[length[order] > 0]
            type_code = spans["label"].map({x: k + 1 for k, x in enumerate(labels)}).to_numpy()
            lengths = length[order]
            run = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(
                np.cumsum(lengths) - lengths, lengths)
            tokens = np.repeat(first[order], lengths) + run
            judgement = np.repeat(span_judgement[order], lengths)
            key = judgement * max(len(token_start), 1) + tokens
            _, keep = np.unique(key, return_index=True)  # first occurrence: the longest span
            mark_token = tokens[keep]
            mark_judgement = judgement[keep]
            mark_type = np.repeat(type_code[order], lengths)[keep].astype(np.int16)
            mark_begin = (run == 0)[keep]
        judges = np.bincount(judgement_doc, minlength=len(item_ids)).astype(np.int64)
        return cls(item_ids, annotators, labels, doc_token_start, token_start, token_end,
                   token_doc, judgement_doc, judgement_annotator, mark_token, mark_judgement,
                   mark_type, mark_begin, judges, text_tokens)


def runs_to_spans(grid: TokenGrid, token_type: npt.NDArray[np.integer],
                  token_begin: npt.NDArray[np.bool_] | None = None) -> pd.DataFrame:
    """Spans from one type per token: maximal runs of one type within a document,
    also cut where ``token_begin`` says a new span starts.

    Returns
    -------
    DataFrame
        ``item_id, start, end, label, first_token, last_token`` (token indices inclusive).
    """
    token_type = np.asarray(token_type)
    n = len(token_type)
    if n == 0:
        return pd.DataFrame(columns=["item_id", "start", "end", "label", "first_token",
                                     "last_token"])
    previous = np.concatenate([[0], token_type[:-1]])
    new_doc = np.zeros(n, dtype=bool)
    new_doc[grid.doc_token_start[:-1][grid.doc_token_start[:-1] < n]] = True
    begin = (token_type != 0) & ((token_type != previous) | new_doc)
    if token_begin is not None:
        begin |= (token_type != 0) & token_begin
    starts = np.nonzero(begin)[0]
    inside = token_type != 0
    # the run of each start ends before the next start or the next outside token / doc start
    stop = np.ones(n + 1, dtype=bool)
    stop[:n] = ~inside | begin
    stop[:n] |= new_doc
    next_stop = np.full(n + 1, n, dtype=np.int64)
    positions = np.nonzero(stop)[0]
    next_stop[:] = n
    # for each start s, the first stop position after s
    idx = np.searchsorted(positions, starts + 1, side="left")
    ends = np.where(idx < len(positions), positions[np.minimum(idx, len(positions) - 1)], n) - 1
    return pd.DataFrame({
        "item_id": np.asarray(grid.item_ids, dtype=object)[grid.token_doc[starts]],
        "start": grid.token_start[starts],
        "end": grid.token_end[ends],
        "label": np.asarray(grid.labels, dtype=object)[token_type[starts] - 1],
        "first_token": starts,
        "last_token": ends,
    })
