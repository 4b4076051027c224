"""The three-sentence verdict of multi-label and span reports.

Built from the numbers the task reports print: the task's headline alpha with its band
(MASI alpha for label sets, token alpha for spans), the weakest label or entity type,
flagged annotators, and for spans the kind of disagreement that dominates (boundaries,
types, or spans one annotator missed), which decides what rule to write next.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis.diagnostics.texts import BAND_KO as _BAND_KO
from analysis.diagnostics.texts import count, metric, num, pct
from analysis.messages import render

HEADLINE = {"multi_label": "krippendorff_alpha_masi", "spans": "token_krippendorff_alpha"}
"""The metric each task's verdict opens with."""


PER_LABEL = {"multi_label": "krippendorff_alpha", "spans": "token_krippendorff_alpha"}
"""The per-label (per-type) metric that names the weakest label."""


def _weakest(report: Mapping[str, Any], task: str) -> tuple[str, Mapping[str, Any]] | None:
    key = PER_LABEL[task]
    rows = [(str(label), entry.get(key) or {}) for label, entry in (report.get("per_class") or {}).items()]
    rows = [(label, m) for label, m in rows if m.get("value") is not None]
    return min(rows, key=lambda row: row[1]["value"]) if len(rows) > 1 else None


def _flagged(report: Mapping[str, Any]) -> list[str]:
    return [str(name) for name, entry in (report.get("per_annotator") or {}).items()
            if entry.get("flags")]


def _opening(report: Mapping[str, Any], task: str, ko: bool) -> str | None:
    dataset, overall = report.get("dataset") or {}, report.get("overall") or {}
    key = HEADLINE[task]
    alpha = overall.get(key) or {}
    if alpha.get("value") is None:
        return None
    band = ((((report.get("interpretation") or {}).get("overall") or {}).get(key)) or {}).get("label")
    items, annotators = f"{dataset.get('items', 0):,}", f"{dataset.get('annotators', 0):,}"
    if task == "multi_label":
        exact = (overall.get("exact_set_agreement") or {}).get("value")
        if ko:
            return (f"{items}개 항목, 작업자 {annotators}명의 레이블 집합 일치도는 {_BAND_KO.get(band, band or '—')} "
                    f"수준입니다(MASI 거리의 크리펜도르프 알파 {metric(alpha)}; 판정 쌍의 {pct(exact)}가 같은 집합을 고름).")
        return (f"Across {count(dataset.get('items', 0), 'item')} and "
                f"{count(dataset.get('annotators', 0), 'annotator')}, agreement on label sets is "
                f"{band or 'not banded'} (Krippendorff's alpha with the MASI distance {metric(alpha)}; "
                f"{pct(exact)} of judgement pairs choose exactly the same set).")
    strict = (overall.get("span_f1_strict") or {}).get("value")
    overlap = (overall.get("span_f1_overlap") or {}).get("value")
    if ko:
        return (f"문서 {items}개, 작업자 {annotators}명의 토큰 수준 일치도는 {_BAND_KO.get(band, band or '—')} "
                f"수준입니다(토큰 IOB 태그의 크리펜도르프 알파 {metric(alpha)}); 작업자 쌍의 스팬은 경계까지 "
                f"{num(strict, 2)}, 겹침 기준 {num(overlap, 2)} 일치합니다(쌍별 스팬 F1).")
    return (f"Across {count(dataset.get('items', 0), 'document')} and "
            f"{count(dataset.get('annotators', 0), 'annotator')}, token-level agreement is "
            f"{band or 'not banded'} (Krippendorff's alpha over the tokens' IOB tags {metric(alpha)}); "
            f"annotators' spans match {num(strict, 2)} with exact boundaries and {num(overlap, 2)} "
            "when any overlap counts (pooled pairwise span F1).")


def _span_kind(report: Mapping[str, Any]) -> tuple[str, float] | None:
    shares = ((report.get("disagreements") or {}).get("overall")) or {}
    kinds = [(kind, shares.get(f"{kind}_share")) for kind in ("boundary", "type", "missed")]
    kinds = [(kind, float(share)) for kind, share in kinds if share is not None]
    return max(kinds, key=lambda row: row[1]) if kinds else None


_KIND_EN = {"boundary": "most unmatched spans differ in their boundaries ({share} have the same type but "
                         "another start or end)",
            "type": "most unmatched spans differ in type ({share} overlap a span of another type)",
            "missed": "most unmatched spans were not marked at all by the other annotator ({share})"}
_KIND_KO = {"boundary": "맞지 않은 스팬은 대부분 경계가 다릅니다({share}가 같은 유형에 시작·끝만 다름)",
            "type": "맞지 않은 스팬은 대부분 유형이 다릅니다({share}가 다른 유형의 스팬과 겹침)",
            "missed": "맞지 않은 스팬은 대부분 다른 작업자가 아예 표시하지 않은 것입니다({share})"}


def _middle(report: Mapping[str, Any], task: str, ko: bool) -> str:
    weakest = _weakest(report, task)
    flagged = _flagged(report)
    parts_en: list[str] = []
    parts_ko: list[str] = []
    if task == "spans" and (kind := _span_kind(report)) is not None:
        parts_en.append(_KIND_EN[kind[0]].format(share=pct(kind[1])))
        parts_ko.append(_KIND_KO[kind[0]].format(share=pct(kind[1])))
    if weakest is not None:
        what = "label" if task == "multi_label" else "type"
        parts_en.append(f"agreement is weakest on the {what} {weakest[0]!r} (alpha {num(weakest[1]['value'])})")
        parts_ko.append(f"일치도가 가장 낮은 {'레이블' if task == 'multi_label' else '유형'}은 {weakest[0]!r}입니다"
                        f"(알파 {num(weakest[1]['value'])})")
    if flagged:
        names = ", ".join(flagged[:3]) + (f" and {len(flagged) - 3} more" if len(flagged) > 3 else "")
        parts_en.append(f"{len(flagged)} annotator(s) are flagged ({names})")
        names_ko = ", ".join(flagged[:3]) + (f" 외 {len(flagged) - 3}명" if len(flagged) > 3 else "")
        parts_ko.append(f"작업자 {len(flagged)}명이 표시되었습니다({names_ko})")
    if not parts_en:
        return "일치도가 특별히 무너지는 곳은 보이지 않습니다." if ko else "No label, type or annotator stands out."
    if ko:
        return "; ".join(parts_ko) + "."
    text = "; ".join(parts_en)
    return text[0].upper() + text[1:] + "."


def _next(report: Mapping[str, Any], task: str, ko: bool) -> str:
    weakest = _weakest(report, task)
    labels = list(report.get("per_class") or {})
    target = repr(weakest[0]) if weakest is not None else (repr(labels[0]) if len(labels) == 1 else None)
    if task == "spans" and (kind := _span_kind(report)) is not None:
        if kind[0] == "boundary":
            return (f"다음 단계: {target or '각 유형'}의 스팬이 어디서 시작하고 끝나는지(관사, 수식어, 괄호 포함 여부) 예시와 함께 "
                    "규칙으로 쓰고 다시 측정하세요." if ko else
                    f"Next: write boundary rules with examples for {target or 'each type'} (are articles, modifiers "
                    "and brackets inside the span?) and measure again.")
        if kind[0] == "type":
            confusions = (report.get("disagreements") or {}).get("type_confusions") or []
            pair = (f"{confusions[0]['label_a']!r} and {confusions[0]['label_b']!r}" if confusions else "the confused types")
            pair_ko = (f"{confusions[0]['label_a']!r}와(과) {confusions[0]['label_b']!r}" if confusions else "혼동되는 유형")
            return (f"다음 단계: {pair_ko}을(를) 가르는 규칙을 예시와 함께 쓰고 다시 측정하세요." if ko else
                    f"Next: write a rule with examples that tells {pair} apart, and measure again.")
        return (f"다음 단계: {target or '각 유형'}에서 반드시 표시해야 할 것을 예시와 함께 가이드라인에 쓰고 다시 측정하세요."
                if ko else f"Next: say in the guideline, with examples, what must always be marked as "
                f"{target or 'each type'}, and measure again.")
    if target is not None:
        return (f"다음 단계: {target}을(를) 언제 붙이는지 예시와 함께 가이드라인 규칙을 쓰고 다음 배치에서 다시 측정하세요."
                if ko else f"Next: write a guideline rule with examples for when {target} applies, and measure "
                "again on the next batch.")
    return ("다음 단계: 다음 배치에서도 같은 방식으로 측정해 일치도가 유지되는지 확인하세요." if ko
            else "Next: measure the next batch the same way to check that agreement holds.")


def task_verdict(report: Mapping[str, Any], ko: bool) -> list[str]:
    """Three sentences for a multi-label or span report (its ``dataset.task``).

    Parameters
    ----------
    report : mapping
        The task report's dictionary (``TaskReport.to_dict()``).
    ko : bool
        Korean instead of English.

    Returns
    -------
    list of str
        Three sentences; one (why) when the headline alpha is undefined.
    """
    task = str((report.get("dataset") or {}).get("task"))
    opening = _opening(report, task, ko)
    if opening is None:
        alpha = (report.get("overall") or {}).get(HEADLINE[task]) or {}
        if ko:
            return [f"일치도를 잴 수 없습니다: {render(alpha.get('note'), 'ko') or '정의되지 않음'}."]
        return [f"Agreement cannot be measured: {alpha.get('note') or 'undefined'}."]

    return [opening, _middle(report, task, ko), _next(report, task, ko)]
