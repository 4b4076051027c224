"""Span-to-span comparison between annotators of the same document.

For every span ``s`` of annotator ``a`` and every *other* annotator ``b`` who judged the
same document, ``s`` is

* **matched (strict)** when ``b`` has a span with the same start, end and type;
* **matched (overlap)** when ``b`` has a span of the same type sharing a character;
* a **boundary** disagreement when overlap-matched but not strictly;
* a **type** disagreement when ``b`` only has overlapping spans of other types;
* **missed** (by ``b``) when no span of ``b`` overlaps it.

Pooled over all ordered annotator pairs, ``sum matched / sum spans`` is the span F1: in
strict mode exactly the micro-averaged pairwise F1 ``2|A∩B| / (|A| + |B|)``; in overlap
mode each side's matched spans count for that side (a span overlapped by two short spans
matches once).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.data.judgements import SpanData
from analysis.tasks.spans.sample import overlapping_pairs


@dataclass(frozen=True, eq=False)
class SpanComparison:
    """Per span, how the other annotators of its document saw it.

    Attributes
    ----------
    spans : DataFrame
        The spans, with ``doc`` (code), ``type`` (code, 0-based), ``others`` (other
        annotators of the document) and per span the number of those others with a strict
        match, an overlap match, a type disagreement: ``strict``, ``overlap``, ``type_only``;
        ``boundary = overlap - strict`` and ``missed = others - overlap - type_only``.
    pairs : DataFrame
        Ordered (span, other annotator) comparisons that found something:
        ``span, annotator_b, strict, overlap, type_only``.
    confusions : DataFrame
        ``label_a, label_b, count``: overlapping spans of different types (type kind).
    """

    spans: pd.DataFrame
    pairs: pd.DataFrame
    confusions: pd.DataFrame


def compare_spans(data: SpanData, item_ids: tuple[str, ...],
                  labels: tuple[str, ...]) -> SpanComparison:
    """Compare every span with the spans of the other annotators of its document.

    Examples
    --------
    >>> data = SpanData.build([("d", "a", 0, 5, "P"), ("d", "b", 0, 5, "P"),
    ...                        ("d", "b", 7, 9, "P"), ("d", "c", 0, 4, "I")])
    >>> cmp = compare_spans(data, data.item_ids, data.labels)
    >>> cmp.spans[["annotator", "strict", "overlap", "type_only", "others"]].values.tolist()
    [['a', 1, 1, 1, 2], ['b', 1, 1, 1, 2], ['b', 0, 0, 0, 2], ['c', 0, 0, 2, 2]]
    """
    doc_code = {item: d for d, item in enumerate(item_ids)}
    spans = data.spans.reset_index(drop=True).copy()
    spans["doc"] = spans["item_id"].map(doc_code).astype(np.int64)
    spans["type"] = spans["label"].map({x: k for k, x in enumerate(labels)}).astype(np.int64)
    judges = data.judgements.groupby("item_id").size()
    spans["others"] = spans["item_id"].map(judges).astype(np.int64) - 1
    spans["span"] = np.arange(len(spans))
    # only the spans that overlap are compared (not every two spans of a document)
    first, second = overlapping_pairs(spans["doc"].to_numpy(np.int64), spans["start"].to_numpy(np.int64),
                                      spans["end"].to_numpy(np.int64))
    who = spans["annotator"].to_numpy(dtype=object)
    other = who[first] != who[second]
    first, second = first[other], second[other]
    columns = ["span", "annotator", "start", "end", "type"]
    joined = pd.concat([spans[columns].iloc[first].reset_index(drop=True),
                        spans[columns].iloc[second].reset_index(drop=True).add_suffix("_b")], axis=1)
    same = joined["type"] == joined["type_b"]
    joined = joined.assign(
        strict=(same & (joined["start"] == joined["start_b"])
                & (joined["end"] == joined["end_b"])),
        overlap=same, other=~same)
    pairs = joined.groupby(["span", "annotator_b"], sort=False)[
        ["strict", "overlap", "other"]].any().reset_index()
    pairs["type_only"] = pairs["other"] & ~pairs["overlap"]
    per_span = pairs.groupby("span")[["strict", "overlap", "type_only"]].sum()
    for column in ("strict", "overlap", "type_only"):
        spans[column] = per_span[column].reindex(spans["span"]).fillna(0).to_numpy(np.int64)
    spans["boundary"] = spans["overlap"] - spans["strict"]
    spans["missed"] = spans["others"] - spans["overlap"] - spans["type_only"]
    kinds = joined[~joined["overlap"]]
    confusions = (kinds.assign(label_a=np.asarray(labels, dtype=object)[kinds["type"]],
                               label_b=np.asarray(labels, dtype=object)[kinds["type_b"]])
                  .groupby(["label_a", "label_b"]).size().rename("count").reset_index()
                  .sort_values("count", ascending=False, kind="stable")
                  if len(kinds) else pd.DataFrame(columns=["label_a", "label_b", "count"]))
    return SpanComparison(spans.drop(columns="span"), pairs[
        ["span", "annotator_b", "strict", "overlap", "type_only"]], confusions)
