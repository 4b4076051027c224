"""Span views and gold exports: pure functions the dashboard renders and downloads.

``span_view_html`` shows each annotator's spans on the text of one document: one line per
annotator, their spans highlighted in the annotator's colour, the span type in a tooltip
(``title``). Every piece of user text (document text, annotator names, types) is
HTML-escaped. ``gold_label_studio`` and ``gold_jsonl`` write final spans per document.
"""

from __future__ import annotations

import html
import itertools
import json
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from analysis.palette import label_colors

Span = tuple[int, int, str]


def _segments(text: str, spans: Sequence[Span]) -> list[tuple[int, int, list[str]]]:
    """Cut ``text`` at every span boundary; each piece with the types covering it."""
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    cuts = [c for c in cuts if 0 <= c <= len(text)]
    out = []
    for start, end in itertools.pairwise(cuts):
        types = sorted({label for s, e, label in spans if s <= start and end <= e})
        out.append((start, end, types))
    return out


def span_line_html(text: str, spans: Sequence[Span], color: str) -> str:
    """One annotator's spans on ``text`` as HTML (escaped).

    Examples
    --------
    >>> span_line_html("Kim <b>", [(0, 3, "PER")], "#E69F00")
    '<mark style="background:#E69F0055;border-bottom:2px solid #E69F00" title="PER">Kim</mark> &lt;b&gt;'
    """
    parts = []
    for start, end, types in _segments(text, spans):
        piece = html.escape(text[start:end])
        if types:
            title = html.escape(", ".join(types), quote=True)
            parts.append(f'<mark style="background:{color}55;border-bottom:2px solid {color}" '
                         f'title="{title}">{piece}</mark>')
        else:
            parts.append(piece)
    return "".join(parts)


def span_view_html(text: str, spans_by_annotator: Mapping[str, Sequence[Span]]) -> str:
    """Every annotator's spans on one document, one line each, colour per annotator.

    Examples
    --------
    >>> out = span_view_html("a<b", {"<x>": [(0, 1, "T")]})
    >>> "&lt;x&gt;" in out and "a</mark>&lt;b" in out
    True
    """
    colors = label_colors(list(spans_by_annotator))
    rows = []
    for name, spans in spans_by_annotator.items():
        color = colors[name]
        rows.append(
            '<div style="margin:0.35em 0;line-height:1.7">'
            f'<span style="display:inline-block;min-width:9em;font-weight:600;color:{color}">'
            f"{html.escape(str(name))}</span> {span_line_html(text, spans, color)}</div>")
    return "\n".join(rows)


def gold_records(final: Mapping[str, Iterable[Span]],
                 texts: Mapping[str, str]) -> list[dict[str, object]]:
    """Final spans per document as ``{item_id, text, spans: [{start, end, label, text}]}``."""
    records = []
    for item, spans in final.items():
        text = texts.get(item)
        records.append({"item_id": item, "text": text, "spans": [
            {"start": int(s), "end": int(e), "label": str(label),
             **({"text": text[s:e]} if text is not None else {})}
            for s, e, label in sorted(spans)]})
    return records


def gold_jsonl(final: Mapping[str, Iterable[Span]], texts: Mapping[str, str]) -> bytes:
    """Gold spans as JSON lines (one document per line, Prodigy-style ``spans``).

    Examples
    --------
    >>> gold_jsonl({"d": [(0, 3, "PER")]}, {"d": "Kim ran"}).decode()
    '{"item_id": "d", "text": "Kim ran", "spans": [{"start": 0, "end": 3, "label": "PER", "text": "Kim"}]}\\n'
    """
    return "".join(json.dumps(r, ensure_ascii=False) + "\n"
                   for r in gold_records(final, texts)).encode("utf-8")


def gold_label_studio(final: Mapping[str, Iterable[Span]], texts: Mapping[str, str], *,
                      from_name: str = "label", to_name: str = "text") -> bytes:
    """Gold spans as a Label Studio import: tasks with the spans as ``annotations``.

    Examples
    --------
    >>> tasks = json.loads(gold_label_studio({"d": [(0, 3, "PER")]}, {"d": "Kim ran"}))
    >>> tasks[0]["annotations"][0]["result"][0]["value"]
    {'start': 0, 'end': 3, 'labels': ['PER'], 'text': 'Kim'}
    """
    tasks = []
    for record in gold_records(final, texts):
        result = [{"from_name": from_name, "to_name": to_name, "type": "labels",
                   "value": {"start": s["start"], "end": s["end"], "labels": [s["label"]],
                             **({"text": s["text"]} if "text" in s else {})}}
                  for s in record["spans"]]  # type: ignore[union-attr]
        tasks.append({"data": {"item_id": record["item_id"], "text": record["text"] or ""},
                      "annotations": [{"result": result, "ground_truth": True}]})
    return (json.dumps(tasks, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def final_spans(consensus: Iterable[Mapping[str, object]],
                adjudicated: Mapping[str, Sequence[Span]]) -> dict[str, list[Span]]:
    """Adjudicated spans where a document was adjudicated, else the consensus spans."""
    out: dict[str, list[Span]] = {}
    for row in consensus:
        out.setdefault(str(row["item_id"]), []).append(
            (int(row["start"]), int(row["end"]), str(row["label"])))  # type: ignore[call-overload]
    for item, spans in adjudicated.items():
        out[item] = list(spans)
    return out


def spans_table(spans: Sequence[Span], text: str | None) -> pd.DataFrame:
    """An editable table of spans (``start, end, label, text``)."""
    return pd.DataFrame([{"start": s, "end": e, "label": label,
                          "text": text[s:e] if text is not None else ""}
                         for s, e, label in spans], columns=["start", "end", "label", "text"])
