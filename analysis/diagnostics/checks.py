"""The individual checks behind :func:`analysis.diagnostics.diagnose`.

Each check returns the evidence of one :class:`Diagnostic` (numbers only, JSON-ready)
or ``None`` when it does not apply. Thresholds are module constants, documented in
``docs/quality.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import numpy as np

from analysis.data.levels import Level, level_note
from analysis.data.reliability import ReliabilityData
from analysis.diagnostics.camps import CampSearch
from analysis.diagnostics.prevalence import LabelPrevalence
from analysis.diagnostics.scale import SuggestedLevel
from analysis.metrics.alpha import alpha_with_interval
from analysis.metrics.result import Metric

SKEW_SHARE: Final = 0.75
"""A label with this share of judgements or more makes the label distribution skewed
(prevalence index 0.5 or more)."""
PARADOX_GAP: Final = 0.20
"""AC1 above alpha by this much: the coefficients contradict (warning, not info)."""
RARE_SHARE: Final = 0.05
RARE_JUDGEMENTS: Final = 30
FEW_ITEMS: Final = 50
WIDE_HALF_WIDTH: Final = 0.10
TARGET_HALF_WIDTH: Final = 0.05
SINGLE_SHARE: Final = 0.20
MIN_SHARED: Final = 20

SOURCES_SKEW: Final = (
    "Feinstein & Cicchetti (1990), High agreement but low kappa I, J Clin Epidemiol 43:543-549",
    "Cicchetti & Feinstein (1990), High agreement but low kappa II, J Clin Epidemiol 43:551-558",
    "Byrt, Bishop & Carlin (1993), Bias, prevalence and kappa, J Clin Epidemiol 46:423-429",
    "Gwet (2008), Computing inter-rater reliability and its variance in the presence of high "
    "agreement, Br J Math Stat Psychol 61:29-48",
    "Krippendorff (2013), A dissenting view on so-called paradoxes of reliability coefficients, "
    "Communication Yearbook 36:481-499",
)


def value_of(metric: Metric | Mapping[str, Any] | None) -> float | None:
    """The value of a Metric or of its dict form."""
    if metric is None:
        return None
    if isinstance(metric, Metric):
        return metric.value
    return metric.get("value")


def as_dict(metric: Metric | Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A Metric or its dict form, as a dict."""
    if metric is None:
        return None
    return metric.to_dict() if isinstance(metric, Metric) else dict(metric)


def skewed_labels(prevalence: list[LabelPrevalence], overall: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """Evidence when one label dominates (share >= SKEW_SHARE)."""
    if len(prevalence) < 2:
        return None
    shares = [p.share for p in prevalence]
    if not np.isfinite(shares).all():
        return None
    top = prevalence[int(np.argmax(shares))]
    if top.share < SKEW_SHARE:
        return None
    minority = [p for p in prevalence if p is not top]
    weakest = min(minority, key=lambda p: (p.positive_agreement.value if p.positive_agreement.value is not None
                                           else float("inf"), -p.judgements))
    alpha, ac1 = value_of(overall.get("krippendorff_alpha")), value_of(overall.get("gwet_ac1"))
    contradict = alpha is not None and ac1 is not None and ac1 - alpha >= PARADOX_GAP
    evidence = {
        "dominant_label": top.label,
        "dominant_share": top.share,
        "prevalence_index": top.prevalence_index,
        "bias_index": top.bias_index,
        "krippendorff_alpha": alpha,
        "gwet_ac1": ac1,
        "percent_agreement": value_of(overall.get("percent_agreement")),
        "rare_label": weakest.label,
        "rare_positive_agreement": weakest.positive_agreement.to_dict(),
        "rare_negative_agreement": weakest.negative_agreement.to_dict(),
        "per_label": {p.label: p.to_dict() for p in prevalence},
        "recommended": "krippendorff_alpha",
        "report_alongside": ["positive_agreement", "negative_agreement", "gwet_ac1"],
        "sources": list(SOURCES_SKEW),
    }
    return ("warning" if contradict else "info"), evidence


def _alpha_at(data: ReliabilityData, suggested: SuggestedLevel, *, bootstrap: int, seed: int) -> Metric:
    counts = data.counts()
    values = data.values
    if suggested.order is not None and set(suggested.order) == set(data.labels):
        permutation = [data.labels.index(label) for label in suggested.order]
        counts = counts[:, permutation]
        values = data.values[permutation] if suggested.level != "ordinal" else np.arange(len(permutation), dtype=float)
    return alpha_with_interval(counts, level=suggested.level, values=values, n_replicates=bootstrap,
                               seed=seed, extra=level_note(suggested.level)).metric



def level_mismatch(data: ReliabilityData, level: Level, suggested: SuggestedLevel, overall: Mapping[str, Any],
                   *, bootstrap: int, seed: int) -> tuple[str, dict[str, Any]] | None:
    """Evidence when the chosen level does not fit what the labels look like."""
    if data.n_labels < 3 or suggested.kind in ("binary", "empty"):
        return None
    scale_but_nominal = level == "nominal" and suggested.level != "nominal" and suggested.clear
    names_but_ordered = level != "nominal" and suggested.kind == "names"
    names_as_numbers = level in ("interval", "ratio") and suggested.kind in ("ordered_names", "numbered_names")
    if not (scale_but_nominal or names_but_ordered or names_as_numbers):
        return None
    evidence: dict[str, Any] = {
        "chosen_level": level,
        "suggested_level": suggested.level,
        "kind": suggested.kind,
        "reason": suggested.reason,
        "order": list(suggested.order) if suggested.order else list(data.labels),
        "alpha_chosen": value_of(overall.get("krippendorff_alpha")),
    }
    if scale_but_nominal or names_as_numbers:
        evidence["alpha_suggested"] = _alpha_at(data, suggested, bootstrap=bootstrap, seed=seed).to_dict()
    return ("warning" if (scale_but_nominal or names_but_ordered) else "info"), evidence


def rare_label(prevalence: list[LabelPrevalence], per_class: Mapping[str, Mapping[str, Any]]) -> tuple[str, dict[str, Any]] | None:
    """Evidence when some labels have too few judgements for their own numbers."""
    rare = [p for p in prevalence if p.judgements > 0 and (p.share < RARE_SHARE or p.judgements < RARE_JUDGEMENTS)]
    if not rare or len(prevalence) < 2:
        return None
    rows = [{"label": p.label, "judgements": p.judgements, "share": p.share,
             "specific_agreement": as_dict(per_class.get(p.label, {}).get("specific_agreement"))
             or p.positive_agreement.to_dict()} for p in sorted(rare, key=lambda p: p.judgements)]
    severity = "warning" if any(p.judgements < RARE_JUDGEMENTS for p in rare) else "info"
    return severity, {"labels": rows, "count": len(rows), "share_threshold": RARE_SHARE,
                      "judgement_threshold": RARE_JUDGEMENTS}


def few_items(data: ReliabilityData, overall: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """Evidence when agreement rests on few items or alpha's interval is wide."""
    pairable = int((data.judgements_per_item() >= 2).sum())
    if data.n_annotators < 2:
        return None
    alpha = as_dict(overall.get("krippendorff_alpha")) or {}
    low, high = alpha.get("ci_low"), alpha.get("ci_high")
    half = None if low is None or high is None else (high - low) / 2
    if pairable >= FEW_ITEMS and (half is None or half <= WIDE_HALF_WIDTH):
        return None
    needed = None if not half else int(np.ceil(pairable * (half / TARGET_HALF_WIDTH) ** 2))
    return ("warning" if pairable < FEW_ITEMS else "info"), {
        "items_with_two_or_more": pairable, "krippendorff_alpha": alpha, "half_width": half,
        "target_half_width": TARGET_HALF_WIDTH, "items_for_target": needed, "few_items_threshold": FEW_ITEMS,
    }


def low_overlap(data: ReliabilityData) -> tuple[str, dict[str, Any]] | None:
    """Evidence when judgements overlap too little to measure everyone's agreement."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    per_item = data.judgements_per_item()
    single = int((per_item == 1).sum())
    rated = int((per_item >= 1).sum())
    single_share = single / rated if rated else 0.0
    shared = per_item[data.item_index] >= 2  # judgements on items someone else labelled too
    shared_judgements = np.bincount(data.annotator_index[shared], minlength=data.n_annotators)
    thin = [str(a) for a, n in zip(data.annotators, shared_judgements, strict=True) if n < MIN_SHARED]
    rows, cols = data.item_index[shared], data.annotator_index[shared]
    active = np.flatnonzero(shared_judgements > 0)
    components = 0
    if active.size:
        # items and annotators as one graph (an edge per shared judgement): linear in the
        # judgements, where annotators x annotators is 10^8 entries for 10,000 workers
        size = data.n_items + data.n_annotators
        graph = sp.csr_matrix((np.ones(rows.size), (rows, data.n_items + cols)), shape=(size, size))
        labels = connected_components(graph, directed=False)[1]
        components = int(np.unique(labels[data.n_items + active]).size)
    if single_share <= SINGLE_SHARE and components <= 1 and not thin:
        return None
    severity = "warning" if components > 1 or single_share > 0.5 else "info"
    return severity, {
        "items": rated, "single_judgement_items": single, "single_share": single_share,
        "annotator_groups": components, "thin_annotators": thin[:50], "thin_count": len(thin),
        "min_shared": MIN_SHARED,
        "mean_judgements_per_item": float(per_item[per_item >= 1].mean()) if rated else None,
    }


def annotator_camps(search: CampSearch) -> tuple[str, dict[str, Any]] | None:
    """Evidence when annotator camps were found."""
    if not search.camps:
        return None
    return "warning", {
        "camps": [{"annotators": list(c.annotators), "within": c.within.to_dict(), "between": c.between.to_dict(),
                   "split_labels": list(c.split_labels), "split_item_count": c.split_item_count,
                   "label_shares": {k: list(v) for k, v in c.label_shares.items()},
                   "label_agreement": {k: list(v) for k, v in c.label_agreement.items()}} for c in search.camps],
        "unassigned": list(search.unassigned),
        "method": search.note,
    }
