"""The ``models_vs_humans`` section as titled tables of plain strings (Markdown and HTML).

Read from the report's JSON form, as :func:`analysis.report.render.report_sections` reads
the rest, so both renderings show exactly the numbers of the JSON.
"""

from __future__ import annotations

from typing import Any, Literal

from analysis.model_annotators.texts import class_summary, meaning

Row = list[str]
Section = tuple[str, list[str], list[Row]]
AGREEMENT_ROWS = (
    ("human_alpha", "alpha of the humans"),
    ("alpha_with_model", "alpha of the humans and the model"),
    ("alpha_change", "alpha change (with the model minus without)"),
    ("human_mean_kappa", "mean Cohen's kappa of the human pairs"),
    ("model_mean_kappa", "mean Cohen's kappa of the model with each human"),
    ("kappa_difference", "kappa difference (model minus humans)"),
)


def _number(value: Any, spec: str = ".3f") -> str:
    return "undefined" if value is None else format(float(value), spec)


def _value_ci(metric: dict[str, Any] | None) -> str:
    if not metric or metric.get("value") is None:
        return "undefined"
    text = f"{metric['value']:.3f}"
    if metric.get("ci_low") is not None and metric.get("ci_high") is not None:
        text += f" [{metric['ci_low']:.3f}, {metric['ci_high']:.3f}]"
    return text


def _p(value: float | None) -> str:
    """A p-value: four decimals, or scientific below 0.0001 (never a bare 0.0000)."""
    if value is None:
        return "undefined"
    return f"{value:.4f}" if value >= 1e-4 else f"{value:.1e}"


def _flag(value: bool | None, yes: str, no: str) -> str:
    return "undefined" if value is None else (yes if value else no)


def model_sections(report: dict[str, Any], *, language: Literal["en", "ko"] = "en") -> list[Section]:
    """The tables of ``models_vs_humans``; none when the report has no model annotators.

    Examples
    --------
    >>> model_sections({"overall": {}})
    []
    """
    section = report.get("models_vs_humans")
    if not section:
        return []
    models = section["models"]
    sections: list[Section] = [(
        "Models vs humans: the Alternative Annotator Test",
        ["model", "recognised by", "shared items", "winning rate (omega)",
         "advantage probability (rho)", "humans won / tested", "epsilon", "result", "what it means"],
        [[m["annotator"], f"{m['identified_by']} {m['detail'] or ''}".strip(), str(m["shared_items"]),
          _number(m["alt_test"]["winning_rate"]), _number(m["alt_test"]["advantage_probability"]),
          f"{m['alt_test']['humans_won']} / {m['alt_test']['humans_tested']}",
          f"{m['alt_test']['epsilon']:g}", _flag(m["alt_test"]["passed"], "pass", "fail"),
          meaning(m, language)] for m in models],
    )]
    for m in models:
        name = m["annotator"]
        sections.append((
            f"Models vs humans: {name} against each human left out",
            ["human", "items", "model advantage", "human advantage", "t", "p", "p adjusted (BY)",
             "model wins", "note"],
            [[h["annotator"], str(h["items"]), _number(h["model_advantage"]),
              _number(h["human_advantage"]), _number(h["t_statistic"], ".2f"),
              _p(h["p_value"]), _p(h["p_adjusted"]),
              _flag(h["model_wins"], "yes", "no"), h["note"] or ""]
             for h in m["alt_test"]["per_human"]],
        ))
        agreement = m["agreement"]
        if agreement is None:
            continue
        sections.append((
            f"Models vs humans: {name}, agreement with and without it",
            ["measure", "value [95% CI]", "note"],
            [[label, _value_ci(agreement[key]), agreement[key].get("note") or ""]
             for key, label in AGREEMENT_ROWS],
        ))
        sections.append((
            f"Models vs humans: {name}, per label ({class_summary(m, language)})",
            ["label", "humans' specific agreement", "model's specific agreement",
             "difference [95% CI]", "verdict", "model uses", "human uses"],
            [[label, _value_ci(c["human_specific_agreement"]), _value_ci(c["model_specific_agreement"]),
              _value_ci(c["difference"]), c["verdict"], str(c["model_uses"]), str(c["human_uses"])]
             for label, c in m["per_class"].items()],
        ))
    return sections
