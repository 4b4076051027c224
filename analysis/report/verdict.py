"""The plain-language verdict: what to tell a stakeholder, in three sentences.

:func:`verdict` asks the report's task type for its sentences; the single-label ones
are here (:func:`single_label_sentences`), the others in the task modules with the
helpers of :mod:`analysis.diagnostics.task_verdict`.

Built only from numbers in the report dictionary (so from numbers on the page): how
consistent the labels are (alpha, its interval and band, raw agreement), where agreement
breaks (annotator camps, a dominant label, the weakest label or, with two labels, both
labels' specific agreement, flagged annotators), and what to do next (the action of the
most serious diagnostic, else a rule that tells apart the two labels annotators split
between: both labels of binary data, else the most confused pair).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from analysis.base.particles import attach_particles
from analysis.diagnostics.texts import BAND_KO as _BAND_KO
from analysis.diagnostics.texts import LEVEL_KO as _LEVEL_KO
from analysis.diagnostics.texts import count, describe, metric, num, pct
from analysis.messages import render
from analysis.report.task_registry import get_task


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + ("." if dot or not head.endswith(".") else "")


def _weakest_label(report: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]] | None:
    rows = [(label, v.get("krippendorff_alpha") or {}) for label, v in (report.get("per_class") or {}).items()]
    rows = [(label, m) for label, m in rows if m.get("value") is not None]
    return min(rows, key=lambda row: row[1]["value"]) if len(rows) > 1 else None


def _split_pair(report: Mapping[str, Any]) -> tuple[str, str] | None:
    """The two labels annotators split between: both labels of binary data, else the most
    confused pair (a rule for one label alone says nothing when the labels are two)."""
    labels = [str(label) for label in (report.get("dataset") or {}).get("labels") or []]
    if len(labels) == 2:
        return labels[0], labels[1]
    pair = report.get("most_confused_pair")
    return (str(pair["label_a"]), str(pair["label_b"])) if pair else None


def _flagged(report: Mapping[str, Any]) -> list[str]:
    """Flagged annotators, most flags first, then the busiest (as the Overview lists them)."""
    flagged = [(str(name), sum(bool(v) for v in (entry.get("flags") or {}).values()), int(entry.get("items") or 0))
               for name, entry in (report.get("per_annotator") or {}).items()
               if any((entry.get("flags") or {}).values())]
    return [name for name, _, _ in sorted(flagged, key=lambda row: (-row[1], -row[2]))]


def _lenient(report: Mapping[str, Any]) -> list[tuple[str, float]]:
    rows = [(str(name), float(entry["leniency"]["value"])) for name, entry in (report.get("per_annotator") or {}).items()
            if entry.get("leniency_direction") and (entry.get("leniency") or {}).get("value") is not None]
    return sorted(rows, key=lambda row: -abs(row[1]))


def verdict(report: Any, language: Literal["en", "ko"] = "en") -> list[str]:
    """Three sentences: how consistent, where it breaks, what to do next.

    Parameters
    ----------
    report : AgreementReport or mapping
        The report (``build_report`` output) or its dictionary (the JSON contract).
    language : {"en", "ko"}, default "en"

    Returns
    -------
    list of str
        Three sentences (fewer when agreement cannot be measured at all).

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.report import build_report
    >>> table = pd.DataFrame({"item_id": list("aabbccdd"), "annotator": list("xy") * 4,
    ...                       "label": list("ppnnppnp")})
    >>> verdict(build_report(table, bootstrap=0))[0]
    "Across 4 items and 2 annotators, agreement is unreliable: discard (Krippendorff's alpha 0.533 at the nominal level; annotators agree exactly on 75% of judgement pairs)."
    """
    if not isinstance(report, Mapping) and hasattr(report, "to_dict"):
        report = report.to_dict()  # the typed AgreementReport
    sentences = _sentences(report, language == "ko")
    return [attach_particles(s) for s in sentences] if language == "ko" else sentences


def _sentences(report: Mapping[str, Any], ko: bool) -> list[str]:
    return get_task((report.get("dataset") or {}).get("task")).verdict(report, ko)


def single_label_sentences(report: Mapping[str, Any], ko: bool) -> list[str]:
    """The single-label verdict: alpha and its band, where it breaks, what to do next."""
    dataset = report.get("dataset") or {}
    overall = report.get("overall") or {}
    alpha = overall.get("krippendorff_alpha") or {}
    if alpha.get("value") is None:
        if ko:
            return [f"일치도를 잴 수 없습니다: {render(alpha.get('note'), 'ko') or '정의되지 않음'}."]
        return [f"Agreement cannot be measured: {alpha.get('note') or 'undefined'}."]
    band = (((report.get("interpretation") or {}).get("overall") or {}).get("krippendorff_alpha") or {}).get("label")
    level = dataset.get("level", "nominal")
    pa = (overall.get("percent_agreement") or {}).get("value")
    items, annotators = f"{dataset.get('items', 0):,}", f"{dataset.get('annotators', 0):,}"  # 3,304 as on the cards
    if ko:
        first = (f"{items}개 항목, 작업자 {annotators}명의 일치도는 {_BAND_KO.get(band, band or '—')} 수준입니다"
                 f"(크리펜도르프 알파 {metric(alpha)}, {_LEVEL_KO.get(level, level)} 수준; 판정 쌍의 {pct(pa)}가 정확히 일치).")
    else:
        first = (f"Across {count(dataset.get('items', 0), 'item')} and "
                 f"{count(dataset.get('annotators', 0), 'annotator')}, agreement is {band or 'not banded'} "
                 f"(Krippendorff's alpha {metric(alpha)} at the {level} level; annotators agree exactly on {pct(pa)} "
                 "of judgement pairs).")
    diagnostics = list(report.get("diagnostics") or [])
    by_code = {d["code"]: d for d in diagnostics}
    second = _where(report, by_code, ko)
    top = next((d for d in diagnostics if d.get("severity") == "warning"), None)
    if top is not None:
        third = _first_sentence(describe(top["code"], top["evidence"], "ko" if ko else "en")[1])
    elif _lenient(report):
        name = _lenient(report)[0][0]
        third = (f"다음 단계: 척도의 각 점수에 기준 예시를 붙이고 {name}을(를) 그 예시로 보정한 뒤 다시 측정하세요." if ko
                 else f"Next: give every scale point anchor examples, calibrate {name} on them and measure again.")
    elif level != "nominal":
        third = ("다음 단계: 척도의 각 점수에 기준 예시를 붙여 가이드라인에 넣고 다음 배치에서 다시 측정하세요." if ko
                 else "Next: add anchor examples for every scale point to the guideline and measure the next batch again.")
    elif (pair := _split_pair(report)) is not None:
        a, b = pair
        third = (f"다음 단계: 항목이 {a!r}일 때와 {b!r}일 때를 가르는 가이드라인 규칙을 예시와 함께 쓰고(모호성 군집 "
                 "페이지가 둘이 갈리는 항목을 주제별로 묶어 보여 줍니다) 다음 배치에서 다시 측정하세요." if ko else
                 f"Next: write a guideline rule with examples that says when an item is {a!r} and when it is "
                 f"{b!r} (the Ambiguity clusters page groups the items they split on by theme), and measure "
                 "again on the next batch.")
    elif (weakest := _weakest_label(report)) is not None:
        third = (f"다음 단계: {weakest[0]!r}에 대한 가이드라인 규칙을 예시와 함께 쓰고 다음 배치에서 다시 측정하세요."
                 if ko else f"Next: write a guideline rule with examples for {weakest[0]!r} and measure "
                 "again on the next batch.")
    else:
        third = ("다음 단계: 다음 배치에서도 같은 방식으로 측정해 일치도가 유지되는지 확인하세요." if ko
                 else "Next: measure the next batch the same way to check that agreement holds.")
    return [first, second, third]


def _where(report: Mapping[str, Any], by_code: Mapping[str, Any], ko: bool) -> str:
    camps = report.get("annotator_camps") or []
    if camps:
        groups = " / ".join("[" + ", ".join(c["annotators"]) + "]" for c in camps)
        label = next((c["split_labels"][0] for c in camps if c.get("split_labels")), None)
        within = ", ".join(num(c["within"]["value"], 2) for c in camps)
        between = num(camps[0]["between"]["value"], 2)
        if ko:
            on = f", 주로 {label!r} 라벨에서 갈립니다" if label is not None else ""
            return f"작업자가 {len(camps)}개 진영 {groups}(으)로 나뉩니다(진영 내부 카파 {within}, 진영 간 {between}){on}."
        on = f", splitting most on {label!r}" if label is not None else ""
        return f"Agreement breaks between {len(camps)} camps of annotators {groups} (kappa within {within}, between {between}){on}."
    skew = by_code.get("skewed_labels")
    if skew is not None:
        e = skew["evidence"]
        if ko:
            return (f"{e['dominant_label']!r}이(가) 판정의 {pct(e['dominant_share'])}를 차지해 알파가 낮게 나오며, 드문 라벨 "
                    f"{e['rare_label']!r}의 양성 일치도는 {metric(e['rare_positive_agreement'])}입니다.")
        return (f"One label, {e['dominant_label']!r}, is {pct(e['dominant_share'])} of judgements, which holds alpha down; "
                f"on the rare label {e['rare_label']!r} positive agreement is {metric(e['rare_positive_agreement'])}.")
    nominal = (report.get("dataset") or {}).get("level", "nominal") == "nominal"
    weakest = _weakest_label(report) if nominal else None
    flagged = _flagged(report)
    parts_en, parts_ko = [], []
    for name, offset in _lenient(report)[:2]:
        higher = offset > 0
        parts_en.append(f"annotator {name} rates {num(abs(offset), 2)} points {'higher' if higher else 'lower'} than the others on the same items")
        parts_ko.append(f"작업자 {name}은(는) 같은 항목에서 다른 사람보다 {num(abs(offset), 2)}점 {'높게' if higher else '낮게'} 평가합니다")
    per_class = report.get("per_class") or {}
    if weakest is not None and len(per_class) == 2:  # one-vs-rest alpha is the same for both labels
        (a, first), (b, second) = ((str(k), (v.get("specific_agreement") or {})) for k, v in per_class.items())
        parts_en.append(f"annotators split between {a!r} and {b!r} (specific agreement {metric(first)} on {a!r}, "
                        f"{metric(second)} on {b!r})")
        parts_ko.append(f"작업자들이 {a!r}와(과) {b!r} 사이에서 갈립니다(특이 일치도 {a!r} {metric(first)}, "
                        f"{b!r} {metric(second)})")
    elif weakest is not None:
        parts_en.append(f"it breaks most on {weakest[0]!r} (one-vs-rest alpha {metric(weakest[1])})")
        parts_ko.append(f"{weakest[0]!r} 라벨에서 가장 많이 어긋납니다(일대다 알파 {metric(weakest[1])})")
    if flagged:
        names = ", ".join(flagged[:4]) + (" ..." if len(flagged) > 4 else "")
        parts_en.append(f"{len(flagged)} annotator{'s are' if len(flagged) > 1 else ' is'} flagged ({names})")
        parts_ko.append(f"작업자 {len(flagged)}명이 표시되었습니다({names})")
    if not parts_en:
        return ("뚜렷하게 어긋나는 라벨이나 작업자는 없습니다." if ko
                else "No single label or annotator stands out as the place where agreement breaks.")
    if ko:
        return ", ".join(parts_ko) + "."
    text = "; ".join(parts_en)
    return text[:1].upper() + text[1:] + "."
