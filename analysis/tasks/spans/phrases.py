"""Consensus spans as whole phrases: where a span is cut, where a gap is closed, what a
lone word becomes.

A type per token (the most probable one under the token Dawid–Skene model) says which
tokens are inside a consensus span; three rules, each a vote of the annotators' own spans,
turn those tokens into the phrases annotators drew:

* **Cuts** (:func:`begin_votes`): a run of one type is cut in two at a token only where
  most of the judgements that mark both that token and the one before it with the type
  begin a new span there (two spans side by side), or where no judgement marks both (two
  spans drawn by different annotators). Annotators who start later than the others (they
  leave out a leading "Of") do not cut the span of those who took the word in, so a
  consensus span does not lose its first word to a span of its own.
* **Gaps** (:func:`fill_gaps`): one token left outside between two tokens of one type is
  put inside when most of the judgements that mark both neighbours with the type mark it
  too (the span most of them drew runs through it). A section heading between two
  sentences that most annotators marked (``METHODS``) stays a gap.
* **Lone words** (:func:`widen_lone_words`): a one-token span is a fragment when most of
  the judgements with a span of its type on that token drew a longer span there; it
  becomes the span-level majority among their spans: the one drawn by the most of them,
  then the one that agrees best with the others (highest summed token F1), then the
  shortest, then the first; as long as that span takes in no other consensus span and
  touches none of its type. A word most annotators marked alone (``Patients``) stays one
  word.

Every rule reads only the ``use`` judgements (the held-out comparison fits on the rest).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.tasks.spans.grid import TokenGrid, runs_to_spans

IntArray = npt.NDArray[np.int64]


MAX_CANDIDATES = 100
"""Distinct spans over one lone word compared with each other (the most drawn first): the
comparison is quadratic, and past a hundred the rarest spans cannot win anyway."""


def _runs_over(lone: pd.DataFrame, token_type: IntArray, runs: pd.DataFrame) -> pd.DataFrame:
    """Each judgement span (``runs``) of a lone word's type that covers the word: one row per
    (lone span, run), found by sorted search so the rows are at most the marks, not lone
    words x runs."""
    token = lone["first_token"].to_numpy(np.int64)
    order = np.argsort(token, kind="stable")
    token, span = token[order], lone.index.to_numpy()[order]
    first, last = runs["first"].to_numpy(np.int64), runs["last"].to_numpy(np.int64)
    lo = np.searchsorted(token, first, side="left")
    hi = np.searchsorted(token, last, side="right")
    count = hi - lo
    run = np.repeat(np.arange(len(runs)), count)
    at = np.repeat(lo - np.cumsum(count) + count, count) + np.arange(count.sum())
    kind = runs["type"].to_numpy()[run]
    keep = kind == token_type[token[at]]
    run, at = run[keep], at[keep]
    return pd.DataFrame({"span": span[at], "token": token[at], "type": kind[keep],
                         "judgement": runs["judgement"].to_numpy()[run],
                         "first": first[run], "last": last[run]})


def _agreement_with_others(candidates: pd.DataFrame) -> npt.NDArray[np.float64]:
    """Each candidate's summed token F1 with every other judgement's span over the same
    lone word (a span drawn ``k`` times counts ``k`` times; its own drawing is left out)."""
    pairs = candidates[["span", "first", "last", "drawn"]].reset_index(names="candidate")
    pairs = pairs.merge(pairs, on="span", suffixes=("", "_other"))
    shared = (np.minimum(pairs["last"], pairs["last_other"])
              - np.maximum(pairs["first"], pairs["first_other"]) + 1).clip(lower=0)
    sizes = pairs["last"] - pairs["first"] + pairs["last_other"] - pairs["first_other"] + 2
    same = (pairs["candidate"] == pairs["candidate_other"]).to_numpy()
    weight = pairs["drawn_other"].to_numpy() - same  # the others who drew the same span
    score = pd.Series(2 * shared.to_numpy() / sizes.to_numpy() * weight).groupby(
        pairs["candidate"].to_numpy()).sum()
    return score.reindex(range(len(candidates)), fill_value=0.0).to_numpy()


class _Marks:
    """The marked entries of the ``use`` judgements, looked up by (judgement, token)."""

    def __init__(self, grid: TokenGrid, use: npt.NDArray[np.bool_] | None) -> None:
        chosen = grid.marks(use)
        self.width = len(grid.token_start) + 1
        self.token = grid.mark_token[chosen]
        self.judgement = grid.mark_judgement[chosen]
        self.type = grid.mark_type[chosen].astype(np.int64)
        self.begin = grid.mark_begin[chosen]
        key = self.judgement * self.width + self.token
        order = np.argsort(key, kind="stable")
        self._keys = key[order]
        self._types = self.type[order]

    def type_at(self, judgement: IntArray, token: IntArray) -> IntArray:
        """The type each judgement gives each token (0: outside)."""
        if not len(self._keys):
            return np.zeros(len(token), dtype=np.int64)
        key = judgement * self.width + token
        where = np.minimum(np.searchsorted(self._keys, key), len(self._keys) - 1)
        return np.where(self._keys[where] == key, self._types[where], 0)


def begin_votes(grid: TokenGrid, token_type: npt.NDArray[np.integer],
                use: npt.NDArray[np.bool_] | None = None) -> npt.NDArray[np.bool_]:
    """Tokens where a consensus span of the token's type is cut (see the module notes).

    Examples
    --------
    >>> from analysis.data.judgements import SpanData
    >>> data = SpanData.build([("d", "a", 0, 9, "P"), ("d", "b", 3, 9, "P"), ("d", "c", 3, 9, "P")],
    ...                       texts={"d": "Of 12 men"})
    >>> grid = TokenGrid.from_spans(data)
    >>> begin_votes(grid, np.array([1, 1, 1])).tolist()  # b and c begin at '12', a does not
    [True, False, False]
    """
    marks = _Marks(grid, use)
    n = len(grid.token_start)
    token_type = np.asarray(token_type)
    same = marks.type == token_type[marks.token]
    both = same & (marks.type_at(marks.judgement, marks.token - 1) == marks.type)
    across = np.bincount(marks.token[both], minlength=n)
    began = np.bincount(marks.token[both & marks.begin], minlength=n)
    return (across == 0) | (began * 2 > across)


def fill_gaps(grid: TokenGrid, token_type: npt.NDArray[np.integer],
              use: npt.NDArray[np.bool_] | None = None) -> IntArray:
    """``token_type`` with the one-token gaps inside most annotators' spans closed (see the
    module notes).

    Examples
    --------
    >>> from analysis.data.judgements import SpanData
    >>> data = SpanData.build([("d", "a", 0, 11, "P"), ("d", "b", 0, 11, "P"), ("d", "c", 0, 3, "P"),
    ...                        ("d", "c", 6, 11, "P")], texts={"d": "men , women"})
    >>> fill_gaps(TokenGrid.from_spans(data), np.array([1, 0, 1])).tolist()
    [1, 1, 1]
    """
    token_type = np.asarray(token_type, dtype=np.int64)
    n = len(token_type)
    if n < 3:
        return token_type.copy()
    gap = np.zeros(n, dtype=bool)
    gap[1:-1] = ((token_type[1:-1] == 0) & (token_type[:-2] > 0) & (token_type[:-2] == token_type[2:])
                 & (grid.token_doc[:-2] == grid.token_doc[2:]))
    if not gap.any():
        return token_type.copy()
    marks = _Marks(grid, use)
    before = marks.token + 1 < n
    before[before] = gap[marks.token[before] + 1]
    middle = marks.token[before] + 1
    judgement, kind = marks.judgement[before], marks.type[before]
    both = (kind == token_type[middle - 1]) & (marks.type_at(judgement, middle + 1) == kind)
    across = np.bincount(middle[both], minlength=n)
    through = np.bincount(middle[both & (marks.type_at(judgement, middle) == kind)], minlength=n)
    closed = gap & (through * 2 > across)
    out = token_type.copy()
    out[closed] = token_type[np.nonzero(closed)[0] - 1]
    return out


def judgement_runs(grid: TokenGrid, use: npt.NDArray[np.bool_] | None = None) -> pd.DataFrame:
    """Every span of the ``use`` judgements as the grid holds it: ``judgement``, ``type``,
    ``first``, ``last`` (token indices, inclusive)."""
    marks = _Marks(grid, use)
    order = np.lexsort((marks.token, marks.judgement))
    token, judgement = marks.token[order], marks.judgement[order]
    kind, begin = marks.type[order], marks.begin[order]
    new = np.ones(len(token), dtype=bool)
    new[1:] = (begin[1:] | (token[1:] != token[:-1] + 1) | (judgement[1:] != judgement[:-1])
               | (kind[1:] != kind[:-1]))
    starts = np.nonzero(new)[0]
    last = np.maximum.reduceat(token, starts) if len(token) else token
    return pd.DataFrame({"judgement": judgement[new], "type": kind[new], "first": token[new], "last": last})


def widen_lone_words(grid: TokenGrid, spans: pd.DataFrame, token_type: npt.NDArray[np.integer],
                     use: npt.NDArray[np.bool_] | None = None) -> tuple[pd.DataFrame, IntArray]:
    """Consensus spans (``runs_to_spans`` rows, in token order) and their type per token,
    each lone-word fragment replaced by the annotators' span that agrees best with theirs
    (see the module notes)."""
    token_type = np.asarray(token_type, dtype=np.int64).copy()
    lone = spans.index[(spans["first_token"] == spans["last_token"]).to_numpy()]
    if not len(lone):
        return spans, token_type
    over = _runs_over(spans.loc[lone], token_type, judgement_runs(grid, use))
    over["doc"] = grid.token_doc[over["token"].to_numpy()]
    longer = (over["last"] > over["first"]).groupby(over["span"]).agg(["sum", "size"])
    fragments = longer.index[longer["sum"] * 2 > longer["size"]]
    chosen = over[over["span"].isin(fragments)]
    if chosen.empty:
        return spans, token_type
    # one row per distinct span drawn over a fragment, with how many drew it
    candidates = (chosen.groupby(["span", "first", "last", "type", "doc"], sort=False).size()
                  .rename("drawn").reset_index())
    candidates = (candidates.sort_values(["span", "drawn"], ascending=[True, False], kind="stable")
                  .groupby("span", sort=False).head(MAX_CANDIDATES).reset_index(drop=True))
    candidates["score"] = _agreement_with_others(candidates)
    candidates["length"] = candidates["last"] - candidates["first"]
    first, last = candidates["first"].to_numpy(), candidates["last"].to_numpy()
    occupied = np.concatenate([[0], np.cumsum(token_type != 0)])
    alone = occupied[last + 1] - occupied[first] == 1  # the lone word is the only consensus token
    doc_first = grid.doc_token_start[candidates["doc"].to_numpy()]
    doc_end = grid.doc_token_start[candidates["doc"].to_numpy() + 1]
    kind = candidates["type"].to_numpy()
    touch_left = (first > doc_first) & (token_type[np.maximum(first - 1, 0)] == kind)
    touch_right = (last + 1 < doc_end) & (token_type[np.minimum(last + 1, len(token_type) - 1)] == kind)
    best = (candidates[alone & ~touch_left & ~touch_right]
            .sort_values(["span", "drawn", "score", "length", "first"], ascending=[True, False, False, True, True],
                         kind="stable")
            .drop_duplicates("span"))
    # two fragments widened toward each other: both stay lone words
    clash = np.zeros(len(best), dtype=bool)
    if len(best) > 1:
        b_first, b_last, b_type = best["first"].to_numpy(), best["last"].to_numpy(), best["type"].to_numpy()
        b_doc = best["doc"].to_numpy()
        meet = (b_doc[1:] == b_doc[:-1]) & (b_first[1:] <= b_last[:-1] + (b_type[1:] == b_type[:-1]))
        clash[1:] |= meet
        clash[:-1] |= meet
    best = best[~clash]
    if best.empty:
        return spans, token_type
    spans = spans.copy()
    spans.loc[best["span"], "first_token"] = best["first"].to_numpy()
    spans.loc[best["span"], "last_token"] = best["last"].to_numpy()
    spans.loc[best["span"], "start"] = grid.token_start[best["first"].to_numpy()]
    spans.loc[best["span"], "end"] = grid.token_end[best["last"].to_numpy()]
    lengths = (best["last"] - best["first"] + 1).to_numpy()
    tokens = np.repeat(best["first"].to_numpy(), lengths) + (
        np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths))
    token_type[tokens] = np.repeat(best["type"].to_numpy(), lengths)
    return spans, token_type


def phrase_spans(grid: TokenGrid, token_type: npt.NDArray[np.integer],
                 use: npt.NDArray[np.bool_] | None = None) -> tuple[pd.DataFrame, IntArray]:
    """Consensus spans from one type per token, by the three rules of the module notes.

    Returns
    -------
    spans : DataFrame
        ``item_id, start, end, label, first_token, last_token``, in token order.
    token_type : ndarray
        The type per token those spans give (0: outside).
    """
    filled = fill_gaps(grid, token_type, use)
    spans = runs_to_spans(grid, filled, begin_votes(grid, filled, use))
    return widen_lone_words(grid, spans, filled, use)
