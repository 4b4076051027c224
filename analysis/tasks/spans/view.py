"""Span views: pure functions that give the dashboard each annotator's spans as HTML and tables.

``span_view_html`` shows each annotator's spans on the text of one document: one line per
annotator, their spans highlighted in the annotator's colour, the span type in a tooltip
(``title``). Every piece of user text (document text, annotator names, types) is
HTML-escaped. The gold span files are written by :mod:`analysis.tasks.spans.gold`.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Mapping, Sequence

import pandas as pd

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


def span_view_html(text: str, spans_by_annotator: Mapping[str, Sequence[Span]], *,
                   colors: Mapping[str, str] | None = None) -> str:
    """Every annotator's spans on one document, one line each, colour per annotator.

    ``colors`` maps each annotator to a CSS colour (the dashboard passes its palette,
    ``dashboard.palette.label_colors``); a neutral grey without it.

    Examples
    --------
    >>> out = span_view_html("a<b", {"<x>": [(0, 1, "T")]})
    >>> "&lt;x&gt;" in out and "a</mark>&lt;b" in out
    True
    """
    rows = []
    for name, spans in spans_by_annotator.items():
        color = (colors or {}).get(name, "#555555")
        rows.append(
            '<div style="margin:0.35em 0;line-height:1.7">'
            f'<span style="display:inline-block;min-width:9em;font-weight:600;color:{color}">'
            f"{html.escape(str(name))}</span> {span_line_html(text, spans, color)}</div>")
    return "\n".join(rows)


def example_html(example: Mapping[str, object], *, document_length: int | None = None,
                 color: str = "#E69F00") -> str:
    """A span case in its context as HTML (escaped): the disputed text marked, an ellipsis
    where the context is cut from the document.

    ``example`` is one of ``span_ambiguity``'s examples (``context``, ``context_start``,
    ``disputed_start``, ``disputed_end``); without the offsets the context is shown plain.
    ``document_length`` (the document's characters) drops the closing ellipsis when the
    context runs to the end of the document.

    Examples
    --------
    >>> example_html({"context": "aged 18-65 <years>", "context_start": 7,
    ...               "disputed_start": 12, "disputed_end": 17})
    '… aged <mark style="background:#E69F0055;border-bottom:2px solid #E69F00">18-65</mark> &lt;years&gt; …'
    """
    context = str(example.get("context") or "")
    offset, low, high = (example.get(key) for key in ("context_start", "disputed_start", "disputed_end"))
    if not all(isinstance(value, int) for value in (offset, low, high)):
        return html.escape(context)
    a, b = max(0, low - offset), min(len(context), high - offset)  # type: ignore[operator]
    marked = (html.escape(context[:a]) + f'<mark style="background:{color}55;border-bottom:2px solid {color}">'
              + html.escape(context[a:b]) + "</mark>" + html.escape(context[b:]))
    before = "… " if offset else ""
    ends = document_length is not None and offset + len(context) >= document_length  # type: ignore[operator]
    after = "" if ends else " …"
    return before + marked + after


def spans_table(spans: Sequence[Span], text: str | None) -> pd.DataFrame:
    """An editable table of spans (``start, end, label, text``)."""
    return pd.DataFrame([{"start": s, "end": e, "label": label,
                          "text": text[s:e] if text is not None else ""}
                         for s, e, label in spans], columns=["start", "end", "label", "text"])
