"""Consensus spans: token-level Dawid–Skene, with token majority vote as the baseline.

Every token of a document is an item; every judgement of the document gives it a class
(outside, or a span type). :class:`TokenDawidSkene` learns one confusion matrix per
annotator by EM (Dawid & Skene 1979), starting from the vote shares, with a small
Dirichlet smoothing so an annotator seen on few tokens stays near chance-free agreement.
Tokens with the same votes from the same judgements (most tokens of a document: all
outside) are one pattern, weighted by its frequency, so the EM runs over patterns, not
tokens: the patterns are the weighted items of the one Dawid–Skene EM
(:meth:`analysis.consensus.dawid_skene.DawidSkene.fit_judgements`), plain EM stopped by the
log-likelihood. Consensus spans are the runs of one predicted type made whole phrases by the
annotators' own spans (:mod:`analysis.tasks.spans.phrases`: where to cut, which one-token
gaps to close, what a lone-word fragment becomes).

``heldout_comparison`` measures a consensus method by agreement with a *held-out*
annotator: in each document with three or more judgements one judgement (drawn with a
seed) is set aside, both consensus methods are fitted on the rest, and each consensus is
compared with the held-out spans (token F1 and span F1). The method that agrees more with
annotators it has not seen is the better estimate of what annotators mark.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.consensus.dawid_skene import DawidSkene
from analysis.tasks.spans.grid import TokenGrid, runs_to_spans
from analysis.tasks.spans.phrases import phrase_spans

FloatArray = npt.NDArray[np.float64]
SpanBuilder = Callable[[TokenGrid, np.ndarray, "npt.NDArray[np.bool_] | None"], tuple[pd.DataFrame, np.ndarray]]


def _patterns(grid: TokenGrid, use: npt.NDArray[np.bool_]) -> tuple[np.ndarray, np.ndarray]:
    """Pattern code per token and the token chosen to represent each pattern.

    Two tokens share a pattern when they are in the same document and every used
    judgement gives them the same type (a seeded random hash of the marks).
    """
    rng = np.random.default_rng(12345)
    salt = rng.uniform(1.0, 2.0, size=len(grid.judgement_doc))
    doc_salt = rng.uniform(0.0, 1e6, size=len(grid.item_ids))
    chosen = use[grid.mark_judgement]
    h = doc_salt[grid.token_doc] + np.bincount(
        grid.mark_token[chosen], weights=grid.mark_type[chosen] * salt[grid.mark_judgement[chosen]],
        minlength=len(grid.token_start))
    codes, _ = pd.factorize(h)
    first = np.full(codes.max(initial=-1) + 1, -1, dtype=np.int64)
    order = np.arange(len(codes))[::-1]
    first[codes[order]] = order
    return codes.astype(np.int64), first


def _pattern_entries(grid: TokenGrid, use: npt.NDArray[np.bool_], codes: np.ndarray,
                     representative: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One entry per (pattern, used judgement of its document): pattern, judgement, type."""
    used = np.nonzero(use)[0]
    order = used[np.argsort(grid.judgement_doc[used], kind="stable")]
    doc_of_order = grid.judgement_doc[order]
    doc_first = np.searchsorted(doc_of_order, np.arange(len(grid.item_ids)))
    judges = grid.judges_of(use)
    rep_doc = grid.token_doc[representative]
    count = judges[rep_doc]
    offset = np.concatenate([[0], np.cumsum(count)])
    pattern = np.repeat(np.arange(len(representative)), count)
    position = np.arange(int(offset[-1])) - np.repeat(offset[:-1], count)
    judgement = order[np.repeat(doc_first[rep_doc], count) + position]
    value = np.zeros(len(pattern), dtype=np.int64)
    rank = np.zeros(len(grid.judgement_doc), dtype=np.int64)
    rank[order] = np.arange(len(order)) - doc_first[doc_of_order]
    is_rep = np.zeros(len(grid.token_start), dtype=bool)
    is_rep[representative] = True
    marks = use[grid.mark_judgement] & is_rep[grid.mark_token]
    index = offset[codes[grid.mark_token[marks]]] + rank[grid.mark_judgement[marks]]
    value[index] = grid.mark_type[marks]
    return pattern, judgement, value


@dataclass
class TokenDawidSkene:
    """Dawid–Skene over tokens (see the module notes).

    Parameters
    ----------
    max_iter : int, default 50
    tol : float, default 1e-6
        Stop when the mean log-likelihood per token changes less than this.
    smoothing : float, default 0.01
        Pseudo-count added to every cell of each confusion matrix.

    Attributes
    ----------
    posterior_ : ndarray, shape (n_tokens, n_classes)
    confusion_ : ndarray, shape (n_annotators, n_classes, n_classes)
        ``confusion_[a, true, given]``.
    prior_ : ndarray, shape (n_classes,)
    n_iter_ : int
    """

    max_iter: int = 50
    tol: float = 1e-6
    smoothing: float = 0.01

    def fit(self, grid: TokenGrid, *, use: npt.NDArray[np.bool_] | None = None) -> TokenDawidSkene:
        """Fit on the judgements of the grid (``use``: a mask of judgements to learn from)."""
        use = np.ones(len(grid.judgement_doc), dtype=bool) if use is None else use
        codes, representative = _patterns(grid, use)
        n_pat = len(representative)
        frequency = np.bincount(codes, minlength=n_pat).astype(float)
        pattern, judgement, value = _pattern_entries(grid, use, codes, representative)
        # a pattern nobody judged (a document with no used judgement) stays out of the prior
        judged = np.bincount(pattern, minlength=n_pat) > 0
        model = DawidSkene(max_iter=self.max_iter, tol=self.tol, smoothing=self.smoothing,
                           stop="likelihood", accelerate=False).fit_judgements(
            pattern, grid.judgement_annotator[judgement], value, n_items=n_pat,
            n_annotators=len(grid.annotators), n_labels=1 + len(grid.labels),
            weights=np.where(judged, frequency, 0.0),
            warn=False)  # max_iter is this consensus's budget of passes, not a safeguard
        self.n_iter_ = model.n_iter_
        self.prior_ = model.priors_
        self.confusion_ = model.confusions_
        self.posterior_ = model.posteriors_[codes]
        return self

    def quality(self) -> FloatArray:
        """Per annotator, the mean of the confusion diagonal over classes (balanced accuracy)."""
        return np.einsum("akk->ak", self.confusion_).mean(axis=1)


def majority_tokens(grid: TokenGrid, use: npt.NDArray[np.bool_] | None = None) -> np.ndarray:
    """Token majority vote: the type more than half of the judgements give, else outside."""
    counts = grid.type_counts(use)
    judges = counts.sum(axis=1)
    if counts.shape[1] == 1:
        return np.zeros(len(judges), dtype=np.int64)
    top = counts[:, 1:].argmax(axis=1) + 1
    wins = counts[np.arange(len(judges)), top] * 2 > judges
    return np.where(wins, top, 0)


def span_support(grid: TokenGrid, spans: pd.DataFrame, *,
                 probability: FloatArray | None = None) -> pd.DataFrame:
    """``spans`` (``runs_to_spans`` rows) with their support (share of the document's
    judgements with a span of the same type on them) and, given the posteriors, their
    mean posterior probability."""
    if spans.empty:
        return spans.assign(support=[], probability=[])
    spans = spans.copy()
    run_id = np.full(len(grid.token_start), -1)
    lengths = (spans["last_token"] - spans["first_token"] + 1).to_numpy()
    tokens = np.repeat(spans["first_token"].to_numpy(), lengths) + (
        np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths))
    run_id[tokens] = np.repeat(np.arange(len(spans)), lengths)
    mark_run = run_id[grid.mark_token]
    type_code = spans["label"].map({x: i + 1 for i, x in enumerate(grid.labels)}).to_numpy()
    hit = (mark_run >= 0) & (grid.mark_type == type_code[np.maximum(mark_run, 0)])
    pairs = pd.DataFrame({"run": mark_run[hit], "j": grid.mark_judgement[hit]}).drop_duplicates()
    supporters = pairs.groupby("run").size().reindex(range(len(spans)), fill_value=0).to_numpy()
    doc = grid.token_doc[spans["first_token"].to_numpy()]
    spans["support"] = supporters / grid.judges[doc]
    if probability is not None:
        mean_p = np.bincount(run_id[tokens], weights=probability[tokens, type_code[run_id[tokens]]],
                             minlength=len(spans)) / lengths
        spans["probability"] = mean_p
    return spans


def consensus_spans(grid: TokenGrid, token_type: np.ndarray, *,
                    probability: FloatArray | None = None) -> pd.DataFrame:
    """Consensus spans as whole phrases (:func:`analysis.tasks.spans.phrases.phrase_spans`)
    with their support and mean posterior probability (:func:`span_support`)."""
    spans, _ = phrase_spans(grid, token_type)
    return span_support(grid, spans, probability=probability)


def token_f1(reference: np.ndarray, predicted: np.ndarray) -> float:
    """Token F1 (type must match) of ``predicted`` against ``reference`` (0 = outside)."""
    tp = float(((reference == predicted) & (reference > 0)).sum())
    total = float((reference > 0).sum() + (predicted > 0).sum())
    return 2 * tp / total if total else float("nan")


def _span_f1(a: pd.DataFrame, b: pd.DataFrame) -> tuple[float, float]:
    """Strict and overlap span F1 between two span tables (item_id, start, end, label)."""
    if a.empty and b.empty:
        return float("nan"), float("nan")
    keys = ["item_id", "start", "end", "label"]
    strict = len(a[keys].drop_duplicates().merge(b[keys].drop_duplicates(), on=keys))
    f_strict = 2 * strict / (len(a) + len(b))
    joined = a[keys].reset_index(names="ia").merge(b[keys].reset_index(names="ib"),
                                                   on=["item_id", "label"])
    joined = joined[(joined["start_x"] < joined["end_y"]) & (joined["start_y"] < joined["end_x"])]
    precision = joined["ia"].nunique() / len(a) if len(a) else 0.0
    recall = joined["ib"].nunique() / len(b) if len(b) else 0.0
    f_overlap = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f_strict, f_overlap


def heldout_comparison(grid: TokenGrid, *, seed: int = 0,
                       spans_of: SpanBuilder = phrase_spans) -> dict[str, Any]:
    """Token majority vote versus token Dawid–Skene, judged by held-out annotators.

    Parameters
    ----------
    grid : TokenGrid
    seed : int, default 0
        Draws the held-out judgement of each document.
    spans_of : callable, default :func:`analysis.tasks.spans.phrases.phrase_spans`
        ``(grid, token_type, use) -> (spans, token_type)``: how both methods' tokens become
        spans (the benchmarks compare other rules).

    Returns
    -------
    dict
        ``documents`` (held out from), and for ``majority_vote`` and ``dawid_skene``:
        ``token_f1``, ``span_f1_strict``, ``span_f1_overlap`` against the held-out spans.
    """
    rng = np.random.default_rng(seed)
    eligible = np.nonzero(grid.judges >= 3)[0]
    held = np.full(len(grid.item_ids), -1)
    order = np.argsort(grid.judgement_doc, kind="stable")
    doc_sorted = grid.judgement_doc[order]
    starts = np.searchsorted(doc_sorted, eligible)
    pick = starts + (rng.random(len(eligible)) * grid.judges[eligible]).astype(np.int64)
    held[eligible] = order[pick]
    held_judgement = np.zeros(len(grid.judgement_doc), dtype=bool)
    held_judgement[held[eligible]] = True
    use = ~held_judgement
    tokens = np.isin(grid.token_doc, eligible)
    truth_marks = held_judgement[grid.mark_judgement]
    truth = np.zeros(len(grid.token_start), dtype=np.int64)
    truth[grid.mark_token[truth_marks]] = grid.mark_type[truth_marks]
    truth_begin = np.zeros(len(grid.token_start), dtype=bool)
    truth_begin[grid.mark_token[truth_marks]] = grid.mark_begin[truth_marks]
    truth_spans = runs_to_spans(grid, np.where(tokens, truth, 0), truth_begin & tokens)
    mv = majority_tokens(grid, use)
    ds = TokenDawidSkene().fit(grid, use=use)
    ds_tokens = ds.posterior_.argmax(axis=1)
    out: dict[str, Any] = {"documents": len(eligible), "held_out_spans": len(truth_spans)}
    for name, predicted in (("majority_vote", mv), ("dawid_skene", ds_tokens)):
        spans, predicted = spans_of(grid, np.where(tokens, predicted, 0), use)
        strict, overlap = _span_f1(spans, truth_spans)
        out[name] = {"token_f1": token_f1(truth[tokens], predicted[tokens]),
                     "span_f1_strict": strict, "span_f1_overlap": overlap,
                     "spans": len(spans)}
    return out
