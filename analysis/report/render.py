"""Markdown and self-contained HTML renderings of the agreement report.

Both take the typed :class:`~analysis.report.result.AgreementReport` (or its
``to_dict()``) and show what the dashboard shows: each round's change with its verdict,
the most confused label pair and, given the workspace's guideline versions
(``guideline=``, :func:`analysis.workspace.guideline_rounds`), agreement before and after
each version.

Both show exactly the numbers of the JSON (3 decimals, 95% interval, band and its source)
and are built from the same rows; user text (labels, annotator names, notes) is escaped:
``html.escape`` for HTML, pipes and line breaks for Markdown tables.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any, Literal

import pandas as pd

from analysis.base.errors import UsageError
from analysis.diagnostics.coherence import band_sentences
from analysis.diagnostics.texts import describe
from analysis.model_annotators.render import model_sections
from analysis.report.protocol import Report
from analysis.report.result import AgreementReport
from analysis.report.task_registry import get_task
from analysis.report.verdict import verdict

Row = list[str]
Section = tuple[str, list[str], list[Row]]

_KNOWN = {"report_version", "dataset", "overall", "per_class", "per_annotator", "pairwise",
          "interpretation", "diagnostics", "annotator_camps", "models_vs_humans"}
_TYPED = {"most_confused_pair", "guideline_before_after"}  # tables when the report is typed
Language = Literal["en", "ko"]


def format_value(metric: dict[str, Any] | None) -> str:
    """``0.430`` or ``undefined``.

    Examples
    --------
    >>> format_value({"value": 0.43024, "ci_low": None, "ci_high": None, "n": 30, "note": None})
    '0.430'
    """
    if not metric or metric.get("value") is None:
        return "undefined"
    return f"{metric['value']:.3f}"


def format_interval(metric: dict[str, Any] | None) -> str:
    """``[0.400, 0.460]`` or an empty string.

    Examples
    --------
    >>> format_interval({"value": 0.4, "ci_low": 0.35, "ci_high": 0.46, "n": 3, "note": None})
    '[0.350, 0.460]'
    """
    if not metric or metric.get("ci_low") is None or metric.get("ci_high") is None:
        return ""
    return f"[{metric['ci_low']:.3f}, {metric['ci_high']:.3f}]"


def _value_ci(metric: dict[str, Any] | None) -> str:
    interval = format_interval(metric)
    return f"{format_value(metric)} {interval}".strip()


def _band(band: dict[str, Any] | None) -> str:
    return "" if not band else f"{band['label']} ({band['source'].split(',')[0]})"


def _diagnostic_rows(report: dict[str, Any], language: Language) -> list[Row]:
    return [[d["code"], d["severity"], *describe(d["code"], d["evidence"], language)]
            for d in report.get("diagnostics") or []]


def _camp_rows(report: dict[str, Any]) -> list[Row]:
    return [[", ".join(c["annotators"]), _value_ci(c["within"]), _value_ci(c["between"]),
             ", ".join(c["split_labels"]), str(c.get("split_item_count", ""))]
            for c in report.get("annotator_camps") or []]


def report_sections(report: dict[str, Any], *, language: Language = "en") -> list[Section]:
    """The report as titled tables of plain strings (shared by both renderings)."""
    dataset = report["dataset"]
    suggested = dataset.get("suggested_level")
    sections: list[Section] = [(
        "Dataset",
        ["field", "value"],
        [["items", str(dataset["items"])], ["annotators", str(dataset["annotators"])],
         ["annotations", str(dataset["annotations"])], ["labels", ", ".join(dataset["labels"])],
         ["level", str(dataset.get("level", ""))]]
        + ([["suggested level", f"{suggested} ({dataset.get('suggested_level_reason', '')})"]] if suggested else [])
        + [["warning", w] for w in dataset.get("warnings", [])],
    )]
    diagnostics = _diagnostic_rows(report, language)
    if diagnostics:
        sections.append(("Diagnostics", ["code", "severity", "finding", "what to do"], diagnostics))
    bands = report.get("interpretation", {}).get("overall", {})
    sections.append((
        "Overall agreement",
        ["metric", "value", "95% CI", "band", "n", "note"],
        [[name, format_value(m), format_interval(m), _band(bands.get(name)), str(m["n"]),
          m.get("note") or ""] for name, m in report["overall"].items()],
    ))
    return sections + get_task(dataset.get("task")).tables(report, language)


def single_label_tables(report: dict[str, Any], language: Language = "en") -> list[Section]:
    """The single-label tables after the overall one: per label, per annotator, camps,
    models versus humans, pairwise kappa."""
    sections: list[Section] = []
    sections.append((
        "Per label",
        ["label", "Fleiss kappa", "alpha (one vs rest)", "specific agreement"],
        [[label, _value_ci(v.get("fleiss_kappa")), _value_ci(v.get("krippendorff_alpha")),
          _value_ci(v.get("specific_agreement"))] for label, v in report["per_class"].items()],
    ))
    scale = any("leniency" in v for v in report["per_annotator"].values())
    sections.append((
        "Per annotator",
        ["annotator", "items", "kappa vs consensus", "alpha without", "alpha change",
         "leniency (mean offset)" if scale else "label bias (TVD)"],
        [[name, str(v.get("items", "")), _value_ci(v.get("kappa_vs_consensus")),
          _value_ci(v.get("alpha_without")), format_value(v.get("alpha_change")),
          _value_ci(v.get("leniency")) if scale else format_value(v.get("label_bias_tvd"))]
         for name, v in report["per_annotator"].items()],
    ))
    camps = _camp_rows(report)
    if camps:
        sections.append(("Annotator camps", ["annotators", "kappa within", "kappa between", "split labels",
                                             "split items"], camps))
    sections += model_sections(report, language=language)
    sections.append((
        "Pairwise Cohen's kappa",
        ["annotator A", "annotator B", "items", "kappa", "note"],
        [[p["annotator_a"], p["annotator_b"], str(p["items"]), _value_ci(p["cohen_kappa"]),
          p["cohen_kappa"].get("note") or ""] for p in report["pairwise"]],
    ))
    return sections


def _number(value: Any, spec: str = ".3f") -> str:
    return "" if value is None or pd.isna(value) else format(float(value), spec)


def _interval(low: Any, high: Any) -> str:
    return "" if low is None or high is None or pd.isna(low) or pd.isna(high) else f"[{low:.3f}, {high:.3f}]"


def before_after_section(table: pd.DataFrame) -> Section:
    """The guideline before/after table (:meth:`AgreementReport.guideline_before_after`)."""
    return (
        "Guideline versions: before and after",
        ["rule", "version", "title", "round", "alpha before", "alpha after", "change", "95% CI",
         "verdict", "status"],
        [[str(row.rule_id), str(row.version), str(row.title), str(row.batch),
          _number(row.alpha_before), _number(row.alpha_after), _number(row.change, "+.3f"),
          _interval(row.change_ci_low, row.change_ci_high),
          "" if _missing(row.change_verdict) else str(row.change_verdict), str(row.status)]
         for row in table.itertuples(index=False)],
    )


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def typed_sections(report: AgreementReport, guideline: pd.DataFrame | None = None) -> list[Section]:
    """What the typed report shows as tables beyond the JSON sections: round verdicts,
    confused labels and, with ``guideline``, the before/after of each guideline version."""
    sections: list[Section] = []
    rounds = report.rounds
    if rounds is not None and not rounds.empty:
        sections.append((
            "Round changes",
            ["batch", "alpha", "change from previous", "95% CI", "verdict"],
            [[str(row.batch), _number(row.alpha), _number(row.change, "+.3f"),
              "" if pd.isna(row.change_ci_low) or pd.isna(row.change_ci_high)
              else f"[{row.change_ci_low:.3f}, {row.change_ci_high:.3f}]",
              row.change_verdict or "first round"]
             for row in rounds.itertuples(index=False)],
        ))
    pair = report.most_confused_pair
    if pair is not None:
        sections.append((
            "Most confused labels",
            ["label a", "label b", "share of disagreeing pairs"],
            [[pair.label_a, pair.label_b, f"{pair.share:.1%}"]],
        ))
    if guideline is not None:
        sections.append(before_after_section(report.guideline_before_after(guideline)))
    return sections


def _prepared(
    report: Report | dict[str, Any], guideline: pd.DataFrame | None,
    language: Language = "en",
) -> tuple[dict[str, Any], list[Section], set[str]]:
    if isinstance(report, dict):
        if guideline is not None:
            raise UsageError("The 'guideline' parameter needs the typed single-label "
                             "AgreementReport", option="guideline")
        return report, report_sections(report, language=language), _KNOWN
    data = report.to_dict()
    task = get_task(data["dataset"].get("task"))
    sections = report_sections(data, language=language) + task.typed_tables(report, guideline)
    return data, sections, _KNOWN | task.typed_keys


def _extra_sections(report: dict[str, Any], shown: set[str]) -> dict[str, str]:
    return {key: json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)
            for key, value in report.items() if key not in shown}


_MD_SPECIALS = re.compile(r"([\\`*_\[\]<>&#|~!])")
_MD_NUMERIC = re.compile(r"[\d\s.,+\-\[\]%]*|undefined")


def _md_cell(text: str) -> str:
    r"""One table cell: one line, Markdown and HTML punctuation backslash-escaped.

    CommonMark renders raw HTML (``<script>``, ``<img onerror>``) and images from any
    address; escaped, a label or annotator name is shown as the text it is. Numbers and
    intervals (``[0.350, 0.460]``) cannot form markup and are left as they are.

    Examples
    --------
    >>> _md_cell("<img src=x onerror=alert(1)> a|b ![t](http://x/p.png)")
    '\\<img src=x onerror=alert(1)\\> a\\|b \\!\\[t\\](http://x/p.png)'
    >>> _md_cell("[0.350, 0.460]")
    '[0.350, 0.460]'
    """
    line = " ".join(str(text).split())
    if _MD_NUMERIC.fullmatch(line):
        return line
    return _MD_SPECIALS.sub(r"\\\1", line)


_TITLE = {"en": "Annotation agreement report", "ko": "어노테이션 일치도 보고서"}
_VERDICT = {"en": "In three sentences", "ko": "세 문장 요약"}


def render_markdown(
    report: Report | dict[str, Any], *, language: Language = "en",
    guideline: pd.DataFrame | None = None,
) -> str:
    """The report as GitHub-flavoured Markdown, opening with the plain-language verdict.

    ``language`` chooses the verdict's and the diagnostics' language (tables stay English).

    ``guideline`` (:func:`analysis.workspace.guideline_rounds`) adds agreement before and
    after each guideline version.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.report.builder import build_report
    >>> table = pd.DataFrame({"item_id": list("aabb"), "annotator": list("xyxy"),
    ...                       "label": ["a|b", "a|b", "c", "c"]})
    >>> "a\\\\|b" in render_markdown(build_report(table, bootstrap=0))
    True
    """
    report, sections, shown = _prepared(report, guideline, language)
    lines = [f"# {_TITLE[language]}", "", f"**{_VERDICT[language]}.** "
             + " ".join(_md_cell(s) for s in verdict(report, language)), ""]
    lines += [f"{_md_cell(sentence)}\n" for sentence in band_sentences(report, language)]
    for title, headers, rows in sections:
        lines += [f"## {title}", "", "| " + " | ".join(headers) + " |",
                  "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
        lines.append("")
    for key, text in _extra_sections(report, shown).items():
        lines += [f"## {key}", "", "```json", text.replace("```", "` ` `"), "```", ""]
    return "\n".join(lines)


_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem;color:#222}"
    "table{border-collapse:collapse;margin-bottom:1.5rem}"
    "th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}td.note{color:#555;font-size:.85em}"
    "p.verdict{font-size:1.1em;max-width:60rem;line-height:1.5}"
)


def render_html(
    report: Report | dict[str, Any], *, language: Language = "en",
    guideline: pd.DataFrame | None = None,
) -> str:
    """The report as one self-contained HTML page (no scripts, no external files).

    Opens with the plain-language verdict; ``language`` and ``guideline`` as in
    :func:`render_markdown`.

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.report.builder import build_report
    >>> table = pd.DataFrame({"item_id": list("aabb"), "annotator": ["<b>", "y"] * 2,
    ...                       "label": list("ppqq")})
    >>> page = render_html(build_report(table, bootstrap=0))
    >>> "<b>" in page, "&lt;b&gt;" in page
    (False, True)
    """
    esc = html.escape
    report, sections, shown = _prepared(report, guideline, language)
    title_text = esc(_TITLE[language])
    parts = ["<!DOCTYPE html>", f'<html lang="{language}"><head><meta charset="utf-8">',
             f"<title>{title_text}</title>", f"<style>{_STYLE}</style>",
             "</head><body>", f"<h1>{title_text}</h1>",
             f'<p class="verdict"><strong>{esc(_VERDICT[language])}.</strong> '
             + " ".join(esc(s) for s in verdict(report, language)) + "</p>"]
    parts += [f"<p>{esc(sentence)}</p>" for sentence in band_sentences(report, language)]
    for title, headers, rows in sections:
        parts.append(f"<h2>{esc(title)}</h2><table><thead><tr>")
        parts.extend(f"<th>{esc(h)}</th>" for h in headers)
        parts.append("</tr></thead><tbody>")
        for row in rows:
            cells = "".join(
                f'<td class="note">{esc(c)}</td>' if h == "note" else f"<td>{esc(c)}</td>"
                for h, c in zip(headers, row, strict=True)
            )
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</tbody></table>")
    for key, text in _extra_sections(report, shown).items():
        parts.append(f"<h2>{esc(key)}</h2><pre>{esc(text)}</pre>")
    parts.append("</body></html>")
    return "\n".join(parts)
