"""Flagged annotators as the pages list them: one short line each, most reasons first, and
the rules (with their thresholds) behind every flag.

Crowd exports flag a hundred annotators or more, so pages show a count per reason and the
first few, and the full list as one searchable table on request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from analysis.diagnostics.rater_effects import MIN_OFFSET_SHARE
from analysis.quality.explain import MIN_CLAIM_ITEMS, THRESHOLDS
from dashboard.components.cards import format_p, format_value
from dashboard.components.text import md
from dashboard.i18n import t

FLAGS = ("bias", "low_quality", "fatigue")
Fatigue = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]  # curves, trends, fitted trend lines


def flag_reasons(entry: Mapping[str, Any]) -> list[str]:
    """Short words for an annotator's flags (``favours 1``, ``low quality``...)."""
    flags = entry.get("flags") or {}
    leniency = (entry.get("leniency") or {}).get("value")
    reasons = []
    for flag in ("fatigue", "bias", "low_quality"):
        if not flags.get(flag):
            continue
        if flag == "bias" and leniency is not None:
            reasons.append(t("overview.flag.leniency", offset=leniency))
        elif flag == "bias":
            reasons.append(t("overview.flag.bias", label=md(entry.get("favoured_label") or "?")))
        else:
            reasons.append(t(f"overview.flag.{flag}"))
    return reasons


def flagged_annotators(report: Mapping[str, Any]) -> list[tuple[str, int, list[str]]]:
    """``(name, items, reasons)`` for every flagged annotator of the report's JSON, most
    reasons first, then the busiest."""
    flagged = [(str(name), int(entry.get("items") or 0), reasons)
               for name, entry in (report.get("per_annotator") or {}).items()
               if (reasons := flag_reasons(entry))]
    return sorted(flagged, key=lambda row: (-len(row[2]), -row[1]))


def flagged_frame(flagged: list[tuple[str, int, list[str]]]) -> pd.DataFrame:
    """:func:`flagged_annotators` as one table (``annotator``, ``items``, ``reasons``)."""
    return pd.DataFrame([(name, items, ", ".join(reasons)) for name, items, reasons in flagged],
                        columns=["annotator", "items", "reasons"])


def flag_counts(report: Mapping[str, Any]) -> str:
    """``89 label bias, 21 low quality``: flagged annotators per reason."""
    per_annotator = (report.get("per_annotator") or {}).values()
    counts = {flag: sum(1 for entry in per_annotator if (entry.get("flags") or {}).get(flag))
              for flag in FLAGS}
    return ", ".join(t(f"overview.count.{flag}", count=f"{n:,}") for flag, n in counts.items() if n)


def flag_rules(*, scale: bool) -> str:
    """The rules behind the flags, with their numbers (``docs/quality.md``)."""
    numbers = {
        "alpha": THRESHOLDS["alpha"],
        "excess": round(100 * THRESHOLDS["bias_min_excess"]),
        "concentration": f"{THRESHOLDS['bias_min_concentration']:.0%}",
        "bias_items": int(THRESHOLDS["bias_min_items"]),
        "loo_gap": round(100 * THRESHOLDS["low_quality_loo_gap"]),
        "ds_gap": round(100 * THRESHOLDS["low_quality_ds_gap"]),
        "quality_items": int(THRESHOLDS["low_quality_min_items"]),
        "fatigue_items": int(THRESHOLDS["fatigue_min_items"]),
        "claim_items": MIN_CLAIM_ITEMS,
        "offset": f"{MIN_OFFSET_SHARE:.0%}",
    }
    return t("annotators.rules_scale" if scale else "annotators.rules", **numbers)


def _leniency_reason(row: pd.Series) -> str:
    return t("annotators.flag.leniency", offset=f"{row['leniency']:+.2f}", low=f"{row['ci_low']:+.2f}",
             high=f"{row['ci_high']:+.2f}", p=format_p(row["p_adjusted"]),
             direction=t(f"annotators.direction.{row['direction']}"))


def _distance_reason(row: pd.Series) -> str:
    return t("annotators.flag.drift", slope=f"{row['slope']:+.2f}", low=f"{row['ci_low']:+.2f}",
             high=f"{row['ci_high']:+.2f}", p=format_p(row["p_adjusted"]), items=int(row["items"]))


def _low_quality_reason(row: pd.Series, median: float) -> str:
    return t(
        "annotators.flag.low_quality",
        agreement=f"{row['loo_agreement']:.0%}",
        low=f"{row['loo_ci_low']:.0%}",
        high=f"{row['loo_ci_high']:.0%}",
        median=f"{median:.0%}" if median == median else "—",
        ds=format_value(row.get("ds_accuracy")),
    )


def _fatigue_reason(row: pd.Series, lines: pd.DataFrame) -> str:
    line = lines[lines["annotator"].astype(str) == str(row["annotator"])]
    start = f"{line['fitted_agreement'].iloc[0]:.0%}" if len(line) else "—"
    end = f"{line['fitted_agreement'].iloc[-1]:.0%}" if len(line) else "—"
    return t(
        "annotators.flag.fatigue",
        start=start, end=end, items=int(row["items"]), slope=f"{row['slope']:.2f}",
        low=f"{row['ci_low']:.2f}", high=f"{row['ci_high']:.2f}", p=format_p(row["p_adjusted"]),
    )  # fmt: skip


def _bias_reason(row: pd.Series) -> str:
    return t(
        "annotators.flag.bias",
        label=md(row["favoured_label"]), excess=f"{100 * row['favoured_excess']:+.1f}",
        v=f"{row['cramers_v']:.2f}", p=format_p(row["p_adjusted"]),
    )  # fmt: skip


def flag_cards(quality: pd.DataFrame, bias: pd.DataFrame, fatigue: Fatigue, names: set[str], *,
               scale: bool) -> dict[str, list[str]]:
    """Annotator -> one sentence per flag (on a scale: drift and leniency instead of fatigue
    and label bias), for the annotators in ``names``."""
    reasons: dict[str, list[str]] = {}
    mine = quality["annotator"].astype(str).isin(names)
    values = quality["loo_agreement"].dropna()
    for index, row in quality[mine & quality["low_quality"].astype(bool)].iterrows():
        others = values.drop(index=index, errors="ignore")  # the rule's median: the others'
        reasons.setdefault(str(row["annotator"]), []).append(_low_quality_reason(row, others.median()))
    bias = bias[bias["annotator"].astype(str).isin(names)]
    _, trends, lines = fatigue
    trends = trends[trends["annotator"].astype(str).isin(names)]
    for _, row in trends[trends["fatigue"].astype(bool)].iterrows():
        reason = _distance_reason(row) if scale else _fatigue_reason(row, lines)
        reasons.setdefault(str(row["annotator"]), []).append(reason)
    if scale:
        for _, row in bias[bias["flagged"].astype(bool)].iterrows():
            reasons.setdefault(str(row["annotator"]), []).append(_leniency_reason(row))
    else:
        for _, row in bias[bias["bias"].astype(bool)].iterrows():
            reasons.setdefault(str(row["annotator"]), []).append(_bias_reason(row))
    return reasons
