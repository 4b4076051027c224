"""Agreement on span annotations: overall, per type, per pair, per annotator.

* ``span_f1_strict`` / ``span_f1_overlap``: pooled pairwise span F1 (see
  :mod:`analysis.tasks.spans.matching`).
* ``token_krippendorff_alpha``: nominal alpha over tokens with IOB values (O, B-type,
  I-type), every token of every document a unit, every judgement of the document a coder;
  per type, the IOB values of that type only (other types count as O).
* Per annotator: ``f1_vs_dawid_skene`` (the headline: token F1 against the Dawid–Skene
  consensus spans; on simulated crowds with known worker accuracies it ranks workers
  closest to their true F1, see docs/tasks.md), ``f1_vs_consensus`` (token F1 against the
  majority of the *other* annotators of each document), ``quality`` (model-based: the
  balanced accuracy of the annotator's token Dawid–Skene confusion matrix, 0–1) and
  ``flags``.
* ``disagreements``: boundary / type / missed counts overall and per type, the type
  confusions, and the most disputed documents.

Intervals: 95% bootstrap over documents.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.base.blas import one_blas_thread
from analysis.data.judgements import SpanData
from analysis.messages import join, note
from analysis.metrics.result import Metric
from analysis.tasks.names import SPAN_METRICS
from analysis.tasks.resample import metrics_from_sums, ratio
from analysis.tasks.spans.consensus import TokenDawidSkene, heldout_comparison, span_support
from analysis.tasks.spans.entries import (
    DisputedItem,
    KindCounts,
    SpanAnnotator,
    SpanDisagreements,
    SpanPair,
    TypeAgreement,
    TypeConfusion,
)
from analysis.tasks.spans.grid import TokenGrid
from analysis.tasks.spans.matching import SpanComparison, compare_spans
from analysis.tasks.spans.phrases import phrase_spans
from analysis.tasks.spans.sample import span_sample

FloatArray = npt.NDArray[np.float64]
DISPUTED_LIMIT = 50


def _alpha_parts(grid: TokenGrid) -> FloatArray:
    """Per document: observed disagreement and marginals, overall then per type."""
    counts = grid.token_counts().astype(float)
    m = counts.sum(axis=1)
    pairable = m >= 2
    n_docs = len(grid.item_ids)
    doc = grid.token_doc[pairable]
    c = counts[pairable]
    mm = m[pairable]

    def per_doc(values: FloatArray) -> FloatArray:
        return np.bincount(doc, weights=values, minlength=n_docs)

    columns = [per_doc((mm ** 2 - (c ** 2).sum(axis=1)) / (mm - 1))]
    columns += [per_doc(c[:, v]) for v in range(grid.n_values)]
    for k in range(1, len(grid.labels) + 1):
        b, i = c[:, 2 * k - 1], c[:, 2 * k]
        o = mm - b - i
        columns.append(per_doc((mm ** 2 - o ** 2 - b ** 2 - i ** 2) / (mm - 1)))
        columns += [per_doc(o), per_doc(b), per_doc(i)]
    return np.column_stack(columns)


def _alpha_from(observed: FloatArray, marginals: FloatArray) -> FloatArray:
    n = marginals.sum(axis=-1)
    expected = n ** 2 - (marginals ** 2).sum(axis=-1)
    return 1.0 - ratio((n - 1) * observed, expected)


def _f1_parts(comparison: SpanComparison, n_docs: int, n_types: int) -> FloatArray:
    spans = comparison.spans
    index = spans["doc"].to_numpy() * n_types + spans["type"].to_numpy()
    out = []
    for column in ("strict", "overlap", "others"):
        out.append(np.bincount(index, weights=spans[column].to_numpy(float),
                               minlength=n_docs * n_types).reshape(n_docs, n_types))
    return np.concatenate(out, axis=1)


def _overall_and_types(grid: TokenGrid, comparison: SpanComparison, *, n_replicates: int,
                       seed: int, sample_note: str | None = None,
                       ) -> tuple[dict[str, Metric], dict[str, TypeAgreement]]:
    t = len(grid.labels)
    v = grid.n_values
    per_doc = np.concatenate([_f1_parts(comparison, len(grid.item_ids), t),
                              _alpha_parts(grid)], axis=1)

    def statistic(s: FloatArray) -> FloatArray:
        strict, overlap, den = s[..., :t], s[..., t:2 * t], s[..., 2 * t:3 * t]
        a = s[..., 3 * t:]
        alpha_all = _alpha_from(a[..., 0], a[..., 1:1 + v])
        out = [ratio(strict.sum(axis=-1), den.sum(axis=-1))[..., None],
               ratio(overlap.sum(axis=-1), den.sum(axis=-1))[..., None], alpha_all[..., None]]
        for k in range(t):
            block = a[..., 1 + v + 4 * k: 1 + v + 4 * (k + 1)]
            out += [ratio(strict[..., k], den[..., k])[..., None],
                    ratio(overlap[..., k], den[..., k])[..., None],
                    _alpha_from(block[..., 0], block[..., 1:])[..., None]]
        return np.concatenate(out, axis=-1)

    judged_twice = int((grid.judges >= 2).sum())
    values = metrics_from_sums(
        per_doc, statistic, n=judged_twice, n_replicates=n_replicates, seed=seed,
        unit="documents", undefined=note("spans.undefined"))
    notes = {"span_f1_strict": join([note("spans.f1_strict"), sample_note]),
             "span_f1_overlap": join([note("spans.f1_overlap"), sample_note]),
             "token_krippendorff_alpha": note("spans.token_alpha_tokens" if grid.text_tokens
                                              else "spans.token_alpha_segments")}

    def annotate(metric: Metric, name: str) -> Metric:
        return Metric(metric.value, metric.ci_low, metric.ci_high, n=metric.n,
                      note=join([notes[name], metric.note]))

    overall = {name: annotate(values[i], name) for i, name in enumerate(SPAN_METRICS)}
    per_class = {label: TypeAgreement(**{name: annotate(values[3 + 3 * k + i], name)
                                         for i, name in enumerate(SPAN_METRICS)})
                 for k, label in enumerate(grid.labels)}
    return overall, per_class


def _pairwise(data: SpanData, comparison: SpanComparison) -> list[SpanPair]:
    sizes = data.spans.groupby(["item_id", "annotator"]).size().rename("n")
    judged = data.judgements.join(sizes, on=["item_id", "annotator"]).fillna({"n": 0})
    joined = judged.merge(judged, on="item_id", suffixes=("_a", "_b"))
    joined = joined[joined["annotator_a"] < joined["annotator_b"]]
    if joined.empty:
        return []
    base = joined.groupby(["annotator_a", "annotator_b"]).agg(
        items=("item_id", "size"), na=("n_a", "sum"), nb=("n_b", "sum"))
    spans = comparison.spans
    pairs = comparison.pairs.assign(annotator_a=spans["annotator"].to_numpy()[
        comparison.pairs["span"].to_numpy()])
    first = np.minimum(pairs["annotator_a"], pairs["annotator_b"])
    second = np.maximum(pairs["annotator_a"], pairs["annotator_b"])
    matched = pairs.assign(first=first, second=second).groupby(["first", "second"])[
        ["strict", "overlap"]].sum()
    matched.index.names = ["annotator_a", "annotator_b"]
    table = base.join(matched).fillna(0)
    why = note("spans.pair_no_span")
    den = (table["na"] + table["nb"]).to_numpy(float)
    strict = ratio(table["strict"].to_numpy(float), den)
    overlap = ratio(table["overlap"].to_numpy(float), den)
    items = table["items"].to_numpy()
    rows = []
    for index, (a, b) in enumerate(table.index):
        n = int(items[index])
        rows.append(SpanPair(
            annotator_a=a, annotator_b=b, items=n,
            span_f1_strict=Metric(strict[index], n=n, note=note("pair.no_interval"))
            if np.isfinite(strict[index]) else Metric.undefined(why, n=n),
            span_f1_overlap=Metric(overlap[index], n=n, note=note("pair.no_interval"))
            if np.isfinite(overlap[index]) else Metric.undefined(why, n=n),
        ))
    return rows


def _leave_one_out_f1(grid: TokenGrid) -> FloatArray:
    """Per annotator: token F1 against the majority of the others of each document.

    Only marked entries are visited: an unmarked entry counts for the reference only,
    and those are counted per document.
    """
    counts = grid.type_counts()
    n_classes = counts.shape[1]
    judges = counts.sum(axis=1)
    usable = judges >= 2
    # the others' majority type at each token, for each type the judgement itself gave
    best_given_own = np.zeros((len(judges), n_classes), dtype=np.int64)
    for own in range(n_classes):
        for k in range(1, n_classes):
            others_k = counts[:, k] - (own == k)
            best_given_own[:, own] = np.where(others_k * 2 > judges - 1, k,
                                              best_given_own[:, own])
    n_ann = len(grid.annotators)
    keep = usable[grid.mark_token]
    token = grid.mark_token[keep]
    own = grid.mark_type[keep].astype(np.int64)
    annotator = grid.judgement_annotator[grid.mark_judgement[keep]]
    best = best_given_own[token, own]
    tp = np.bincount(annotator, weights=best == own, minlength=n_ann)
    own_positive = np.bincount(annotator, minlength=n_ann).astype(float)
    reference_marked = np.bincount(annotator, weights=best > 0, minlength=n_ann)
    majority_when_unmarked = (best_given_own[:, 0] > 0) & usable
    per_doc = np.bincount(grid.token_doc, weights=majority_when_unmarked,
                          minlength=len(grid.item_ids))
    marked_there = np.bincount(grid.mark_judgement,
                               weights=majority_when_unmarked[grid.mark_token],
                               minlength=len(grid.judgement_doc))
    reference_unmarked = np.bincount(grid.judgement_annotator,
                                     weights=per_doc[grid.judgement_doc] - marked_there,
                                     minlength=n_ann)
    return ratio(2 * tp, own_positive + reference_marked + reference_unmarked)


def f1_against_tokens(grid: TokenGrid, reference: npt.NDArray[np.integer]) -> FloatArray:
    """Per annotator: token F1 of their judgements against a reference type per token
    (0: outside), pooled over their documents (NaN when neither marks a token there).

    Examples
    --------
    >>> data = SpanData.build([("d", "a", 0, 5, "P"), ("d", "b", 0, 2, "P")], texts={"d": "ab cd ef"})
    >>> grid = TokenGrid.from_spans(data)
    >>> f1_against_tokens(grid, np.array([1, 1, 0])).round(3).tolist()  # a marks 'ab cd', b 'ab'
    [1.0, 0.667]
    """
    n_ann = len(grid.annotators)
    annotator = grid.judgement_annotator[grid.mark_judgement]
    hit = reference[grid.mark_token] == grid.mark_type
    tp = np.bincount(annotator, weights=hit, minlength=n_ann)
    marked = np.bincount(annotator, minlength=n_ann).astype(float)
    positive_per_doc = np.bincount(grid.token_doc, weights=reference > 0, minlength=len(grid.item_ids))
    reference_marked = np.bincount(grid.judgement_annotator, weights=positive_per_doc[grid.judgement_doc],
                                   minlength=n_ann)
    return ratio(2 * tp, marked + reference_marked)


def _per_annotator(data: SpanData, grid: TokenGrid, model: TokenDawidSkene,
                   consensus_tokens: npt.NDArray[np.int64]) -> dict[str, SpanAnnotator]:
    f1 = _leave_one_out_f1(grid)
    quality = model.quality()
    f1_ds = f1_against_tokens(grid, consensus_tokens)
    defined_ds = f1_ds[np.isfinite(f1_ds)]
    median_ds = float(np.median(defined_ds)) if len(defined_ds) else np.nan
    judged = data.judgements.groupby("annotator").size()
    shared = data.judgements.assign(j=grid.judges[grid.judgement_doc] >= 2).groupby(
        "annotator")["j"].sum()
    spans = data.spans.groupby("annotator").size()
    rates = (spans.reindex(judged.index, fill_value=0) / judged)
    median_rate = float(rates.median()) if len(rates) else 0.0
    defined_f1 = f1[np.isfinite(f1)]
    median_f1 = float(np.median(defined_f1)) if len(defined_f1) else np.nan
    # plain dicts: a pandas lookup per annotator is most of the time with 40,000 annotators
    judged, shared, spans, rates = (x.to_dict() for x in (judged, shared, spans, rates))
    out: dict[str, SpanAnnotator] = {}
    for a, name in enumerate(grid.annotators):
        n_shared = int(shared.get(name, 0))
        flags = []
        if np.isfinite(f1[a]) and np.isfinite(median_f1) and f1[a] < median_f1 - 0.2:
            flags.append(note("spans.flag_low_vs_majority"))
        if np.isfinite(f1_ds[a]) and np.isfinite(median_ds) and f1_ds[a] < median_ds - 0.2:
            flags.append(note("spans.flag_low_vs_dawid_skene"))
        if quality[a] < 0.6:
            flags.append(note("spans.flag_low_quality"))
        rate = float(rates.get(name, 0.0))
        if median_rate and rate > 2 * median_rate:
            flags.append(note("spans.flag_many_spans"))
        if median_rate and rate < 0.5 * median_rate:
            flags.append(note("spans.flag_few_spans"))
        if n_shared < 5:
            flags.append(note("spans.flag_little_overlap"))
        out[name] = SpanAnnotator(
            items=int(judged.get(name, 0)),
            spans=int(spans.get(name, 0)),
            f1_vs_dawid_skene=Metric(float(f1_ds[a]), n=n_shared,
                                     note=note("spans.f1_vs_dawid_skene"))
            if np.isfinite(f1_ds[a]) else Metric.undefined(note("spans.no_token_dawid_skene"), n=n_shared),
            f1_vs_consensus=Metric(float(f1[a]), n=n_shared, note=note("spans.f1_vs_majority"))
            if np.isfinite(f1[a]) else Metric.undefined(note("spans.no_token_majority"), n=n_shared),
            quality=Metric(float(quality[a]), n=n_shared, note=note("spans.quality")),
            flags=tuple(flags),
        )
    return out


def _disagreements(grid: TokenGrid, comparison: SpanComparison) -> SpanDisagreements:
    spans = comparison.spans
    kinds = ("strict", "boundary", "type_only", "missed")
    names = {"strict": "agreed", "boundary": "boundary", "type_only": "type",
             "missed": "missed"}

    def counts(frame: pd.DataFrame) -> KindCounts:
        totals = {names[k]: int(frame[k].sum()) for k in kinds}
        disagreed = totals["boundary"] + totals["type"] + totals["missed"]
        shares = {f"{k}_share": (round(totals[k] / disagreed, 6) if disagreed else None)
                  for k in ("boundary", "type", "missed")}
        return KindCounts(**totals, **shares)

    per_doc = spans.groupby("doc")[["strict", "others"]].sum()
    f1 = ratio(per_doc["strict"].to_numpy(float), per_doc["others"].to_numpy(float))
    n_spans = spans.groupby("doc").size()
    disputed = pd.DataFrame({"doc": per_doc.index, "span_f1_strict": f1,
                             "spans": n_spans.reindex(per_doc.index).to_numpy()})
    disputed = disputed[grid.judges[disputed["doc"]] >= 2].sort_values(
        ["span_f1_strict", "spans"], ascending=[True, False], kind="stable").head(DISPUTED_LIMIT)
    return SpanDisagreements(
        note=note("spans.disagreements"),
        overall=counts(spans),
        per_class={label: counts(spans[spans["type"] == k]) for k, label in enumerate(grid.labels)},
        type_confusions=tuple(TypeConfusion(r.label_a, r.label_b, int(r.count))
                              for r in comparison.confusions.itertuples()),
        disputed_items=tuple(DisputedItem(item_id=grid.item_ids[int(r.doc)],
                                          span_f1_strict=None if not np.isfinite(r.span_f1_strict)
                                          else round(float(r.span_f1_strict), 6),
                                          annotators=int(grid.judges[int(r.doc)]), spans=int(r.spans))
                             for r in disputed.itertuples()),
    )


def dawid_skene_consensus(grid: TokenGrid, model: TokenDawidSkene) -> tuple[pd.DataFrame, npt.NDArray[np.int64]]:
    """The consensus spans of a fitted token Dawid-Skene model (the most probable type per
    token, made whole phrases: :mod:`analysis.tasks.spans.phrases`) with their support and
    mean posterior, and the type per token they give (what ``f1_vs_dawid_skene`` is
    measured against)."""
    spans, tokens = phrase_spans(grid, model.posterior_.argmax(axis=1))
    return span_support(grid, spans, probability=model.posterior_), tokens


def consensus_records(spans: pd.DataFrame) -> list[dict[str, Any]]:
    """Consensus spans (:func:`dawid_skene_consensus`) as the report's ``consensus`` rows
    (``item_id, start, end, label, support, probability``)."""
    return [{"item_id": r.item_id, "start": int(r.start), "end": int(r.end), "label": r.label,
             "support": round(float(r.support), 6), "probability": round(float(r.probability), 6)}
            for r in spans.itertuples()]


@one_blas_thread
def span_consensus(data: SpanData) -> list[dict[str, Any]]:
    """Only the consensus spans of ``data`` (what ``span_agreement(consensus=True)``
    reports under ``consensus``), for the gold export.

    Examples
    --------
    >>> data = SpanData.build([("d", "a", 0, 3, "P"), ("d", "b", 0, 3, "P")],
    ...                       texts={"d": "abc de"})
    >>> [(r["start"], r["end"], r["label"]) for r in span_consensus(data)]
    [(0, 3, 'P')]
    """
    grid = TokenGrid.from_spans(data)
    spans, _ = dawid_skene_consensus(grid, TokenDawidSkene().fit(grid))
    return consensus_records(spans)


@one_blas_thread
def span_agreement(data: SpanData, *, n_replicates: int = 1000, seed: int = 0,
                   consensus: bool = False) -> dict[str, Any]:
    """Every span agreement section of the report.

    Parameters
    ----------
    data : SpanData
    n_replicates : int, default 1000
        Bootstrap resamples of documents (0: no intervals).
    seed : int, default 0
    consensus : bool, default False
        Add ``consensus`` (token Dawid-Skene spans) and ``consensus_check`` (majority
        vote versus Dawid-Skene on held-out annotators).

    Returns
    -------
    dict
        ``overall`` (name -> Metric), ``per_class`` (type -> ``TypeAgreement``),
        ``per_annotator`` (name -> ``SpanAnnotator``), ``pairwise`` (``SpanPair`` list),
        ``disagreements`` (``SpanDisagreements``; entries of :mod:`analysis.tasks.spans.entries`)
        [, ``consensus``, ``consensus_check``], and ``sample``: the
        :class:`~analysis.tasks.spans.sample.SpanSample` the pair measures used.

    Examples
    --------
    >>> data = SpanData.build([("d", "a", 0, 5, "P"), ("d", "b", 0, 5, "P"),
    ...                        ("d", "b", 7, 9, "P")], texts={"d": "abcde fg hi"})
    >>> out = span_agreement(data, n_replicates=0)
    >>> round(out["overall"]["span_f1_strict"].value, 3)
    0.667
    """
    grid = TokenGrid.from_spans(data)
    sample = span_sample(data)  # span pairs past MAX_PAIRS: a sample of annotators
    comparison = compare_spans(sample.data, grid.item_ids, grid.labels)
    overall, per_class = _overall_and_types(grid, comparison, n_replicates=n_replicates,
                                            seed=seed, sample_note=sample.note())
    model = TokenDawidSkene().fit(grid)
    consensus_spans, consensus_tokens = dawid_skene_consensus(grid, model)
    out: dict[str, Any] = {
        "overall": overall,
        "per_class": per_class,
        "per_annotator": _per_annotator(data, grid, model, consensus_tokens),
        "pairwise": _pairwise(sample.data, comparison),
        "disagreements": _disagreements(grid, comparison),
        "sample": sample,
    }
    if consensus:
        out["consensus"] = consensus_records(consensus_spans)
        out["consensus_check"] = {
            "method": note("spans.consensus_method"),
            "heldout": heldout_comparison(grid, seed=seed),
        }
    return out
