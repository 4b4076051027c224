"""Gold spans: the adjudicated spans of a document where a reviewer saved them, else the
consensus spans, written as a Label Studio import or as doccano-style JSONL.

Both files carry every document of the dataset (a document whose gold is "no span" too),
its text, and where its spans came from (``source``: ``adjudicated`` or ``consensus``).
The Label Studio file reads back with the span reader (``analysis.io.load_task.load_task``)
to the same spans; so does the JSONL file (doccano ``label: [[start, end, "TYPE"]]``).
``python -m analysis gold export`` and the dashboard's gold buttons both call
:func:`span_gold`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from analysis.data.judgements import SpanData
from analysis.tasks.spans.agreement import span_consensus
from analysis.workspace.adjudication import Span, gold_spans

GoldFormat = Literal["label-studio", "jsonl"]
Gold = dict[str, tuple[str, list[Span]]]


def span_gold(data: SpanData, adjudicated: Mapping[str, Sequence[Span]],
              consensus: Iterable[Mapping[str, object]] | None = None) -> Gold:
    """Final spans of every document: adjudicated where decided, else the consensus.

    Parameters
    ----------
    data : SpanData
    adjudicated : mapping of document to spans
        :func:`analysis.workspace.latest_span_adjudications`.
    consensus : iterable of mappings, optional
        The report's ``consensus`` rows; computed here (token Dawid-Skene,
        :func:`analysis.tasks.spans.agreement.span_consensus`) when omitted.

    Returns
    -------
    dict
        Document -> ``(source, spans)``, in the dataset's document order.
    """
    if consensus is None:

        consensus = span_consensus(data)
    return gold_spans(data.item_ids, consensus, adjudicated)


def gold_records(gold: Mapping[str, tuple[str, Sequence[Span]]],
                 texts: Mapping[str, str]) -> list[dict[str, Any]]:
    """One record per document: ``item_id, text, source, spans: [{start, end, label, text}]``."""
    records = []
    for item, (source, spans) in gold.items():
        text = texts.get(item)
        records.append({"item_id": item, "text": text, "source": source, "spans": [
            {"start": int(s), "end": int(e), "label": str(label),
             **({"text": text[s:e]} if text is not None else {})}
            for s, e, label in sorted(spans)]})
    return records


def gold_jsonl(gold: Mapping[str, tuple[str, Sequence[Span]]], texts: Mapping[str, str]) -> bytes:
    """Gold spans as doccano-style JSON lines: one document per line,
    ``{"item_id", "text", "label": [[start, end, "TYPE"], ...], "source"}``.

    Examples
    --------
    >>> gold_jsonl({"d": ("consensus", [(0, 3, "PER")])}, {"d": "Kim ran"}).decode()
    '{"item_id": "d", "text": "Kim ran", "label": [[0, 3, "PER"]], "source": "consensus"}\\n'
    """
    lines = []
    for record in gold_records(gold, texts):
        lines.append(json.dumps({
            "item_id": record["item_id"], "text": record["text"] or "",
            "label": [[s["start"], s["end"], s["label"]] for s in record["spans"]],
            "source": record["source"]}, ensure_ascii=False) + "\n")
    return "".join(lines).encode("utf-8")


def gold_label_studio(gold: Mapping[str, tuple[str, Sequence[Span]]], texts: Mapping[str, str],
                      *, from_name: str = "label", to_name: str = "text") -> bytes:
    """Gold spans as a Label Studio import: one task per document (``data.item_id``,
    ``data.text``) with the spans as one ground-truth annotation.

    Examples
    --------
    >>> tasks = json.loads(gold_label_studio({"d": ("adjudicated", [(0, 3, "PER")])},
    ...                                      {"d": "Kim ran"}))
    >>> tasks[0]["annotations"][0]["result"][0]["value"]
    {'start': 0, 'end': 3, 'labels': ['PER'], 'text': 'Kim'}
    >>> tasks[0]["data"]["gold_source"]
    'adjudicated'
    """
    tasks = []
    for record in gold_records(gold, texts):
        result = [{"id": f"gold-{n}", "from_name": from_name, "to_name": to_name,
                   "type": "labels",
                   "value": {"start": s["start"], "end": s["end"], "labels": [s["label"]],
                             **({"text": s["text"]} if "text" in s else {})}}
                  for n, s in enumerate(record["spans"], start=1)]
        tasks.append({"data": {"item_id": record["item_id"], "text": record["text"] or "",
                               "gold_source": record["source"]},
                      "annotations": [{"result": result,
                                       "ground_truth": True}]})
    return (json.dumps(tasks, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_gold(gold: Mapping[str, tuple[str, Sequence[Span]]], texts: Mapping[str, str],
               fmt: GoldFormat) -> bytes:
    """The gold file's bytes in ``fmt`` (``"label-studio"`` or ``"jsonl"``)."""
    return gold_label_studio(gold, texts) if fmt == "label-studio" else gold_jsonl(gold, texts)
