"""The words of every diagnostic, in English and Korean, written from its evidence only.

:func:`describe` turns a diagnostic's ``code`` and ``evidence`` (its JSON form) into a
message and an action in either language, so the report, the CLI and the dashboard say
the same thing from the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from analysis.base.particles import attach_particles

Language = Literal["en", "ko"]
Text = tuple[str, str]  # message, action


def num(value: Any, digits: int = 3) -> str:
    """``0.347`` or an em dash for an undefined value."""
    return "—" if value is None else f"{float(value):.{digits}f}"


def count(n: int, noun: str) -> str:
    """``3,304 items``, ``1 item``: a count with thousands separators and its noun.

    Examples
    --------
    >>> count(3304, "item"), count(1, "annotator")
    ('3,304 items', '1 annotator')
    """
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def pct(value: Any) -> str:
    """``87%`` or an em dash."""
    return "—" if value is None else f"{float(value):.0%}"


def metric(m: Mapping[str, Any] | None, digits: int = 3) -> str:
    """``0.347 [0.300, 0.400]`` or the value alone when there is no interval."""
    if not m or m.get("value") is None:
        return "—"
    text = num(m["value"], digits)
    if m.get("ci_low") is not None and m.get("ci_high") is not None:
        text += f" [{num(m['ci_low'], digits)}, {num(m['ci_high'], digits)}]"
    return text


LEVEL_KO = {"nominal": "명목", "ordinal": "서열", "interval": "등간", "ratio": "비율"}
BAND_KO = {
    "unreliable: discard": "신뢰 불가(폐기 권고)", "tentative conclusions only": "잠정적 결론만 가능",
    "reliable": "신뢰 가능", "poor": "낮음", "slight": "약간", "fair": "보통 이하", "moderate": "보통",
    "substantial": "상당함", "almost perfect": "거의 완벽",
}
"""Interpretation bands (Krippendorff's and Landis-Koch's) as the Korean verdict writes them."""


def _q(label: Any) -> str:
    return f"'{label}'"


def _skewed(e: Mapping[str, Any], lang: Language) -> Text:
    d, share, pi, bi = _q(e["dominant_label"]), pct(e["dominant_share"]), num(e["prevalence_index"], 2), num(e["bias_index"], 2)
    alpha, ac1, pa = num(e["krippendorff_alpha"]), num(e["gwet_ac1"]), num(e["percent_agreement"])
    rare, pos, neg = _q(e["rare_label"]), metric(e["rare_positive_agreement"]), metric(e["rare_negative_agreement"])
    if lang == "ko":
        return (
            f"한 라벨이 대부분입니다: {d}이(가) 판정의 {share}입니다(유병 지수 {pi}, 편향 지수 {bi}; Byrt, Bishop & Carlin 1993). "
            f"이 경우 우연 보정 계수는 낮아지고 단순 일치율은 높게 유지됩니다(카파 역설; Feinstein & Cicchetti 1990): "
            f"알파 {alpha}, 그웻 AC1 {ac1}, 일치율 {pa}. 신뢰도 수치로는 크리펜도르프 알파를 보고하고, 라벨별 "
            f"양성/음성 특이 일치도를 함께 적으세요(Cicchetti & Feinstein 1990): {rare}의 양성 일치도 {pos}, 음성 일치도 {neg}. "
            f"AC1(Gwet 2008)은 유병률에 덜 민감하지만 주로 흔한 라벨의 일치를 반영하므로 단독으로 보고하지 마세요(Krippendorff 2013).",
            f"드문 라벨 {rare}의 양성 일치도로 데이터를 판단하세요. 낮다면 가이드라인에 이 라벨을 언제 쓰는지 예시와 함께 명확히 하고, "
            f"이 라벨의 항목을 더 모아 구간을 좁히세요.",
        )
    return (
        f"One label dominates: {d} is {share} of judgements (prevalence index {pi}, bias index {bi}; "
        f"Byrt, Bishop & Carlin 1993). That pulls chance-corrected coefficients down while raw agreement stays "
        f"high (the kappa paradox; Feinstein & Cicchetti 1990): alpha {alpha}, Gwet's AC1 {ac1}, percent "
        f"agreement {pa}. Report Krippendorff's alpha as the reliability figure and, beside it, positive and "
        f"negative specific agreement per label (Cicchetti & Feinstein 1990): on {rare} positive agreement is "
        f"{pos}, negative {neg}. AC1 (Gwet 2008) is less sensitive to prevalence but mostly credits agreement on "
        f"the common label; do not report it alone (Krippendorff 2013).",
        f"Judge the data by the positive agreement on the rare label {rare}: if it is low, say in the guideline "
        f"when that label applies, with examples, and collect more items of it to narrow its interval.",
    )


_KIND_EN = {"numeric": "numbers", "numbered_names": "numbered names", "ordered_names": "ordered wording",
            "names": "names without an order"}
_KIND_KO = {"numeric": "숫자", "numbered_names": "번호가 붙은 이름", "ordered_names": "순서가 있는 표현",
            "names": "순서 없는 이름"}


def _level(e: Mapping[str, Any], lang: Language) -> Text:
    chosen, suggested = e["chosen_level"], e["suggested_level"]
    order = " < ".join(map(str, e.get("order") or []))
    at = e.get("alpha_suggested")
    if lang == "ko":
        chosen, suggested = LEVEL_KO.get(chosen, chosen), LEVEL_KO.get(suggested, suggested)
        kind = _KIND_KO.get(e["kind"], e["kind"])
        if chosen == "nominal":
            return (f"라벨이 척도로 보입니다({kind}: {order}). 현재 명목(nominal) 수준은 1점 차이와 5점 차이를 똑같이 "
                    f"불일치로 셉니다. 알파는 명목 수준에서 {num(e['alpha_chosen'])}, {suggested} 수준에서 {metric(at)}입니다.",
                    f"라벨이 척도라면 측정 수준을 {suggested} 수준으로 바꾸세요(--level {e['suggested_level']} 또는 개요 페이지의 수준 선택). "
                    "범주라면 명목을 유지하세요.")
        if e["kind"] == "names":
            return (f"라벨이 순서 없는 이름인데 {chosen} 수준이 선택되어 {order} 순서로 간주됩니다.",
                    "명목(nominal) 수준을 쓰거나 라벨 순서를 명시하세요.")
        return (f"라벨은 순서만 있는 표현({order})인데 {chosen} 수준은 간격이 같다고 가정합니다. "
                f"알파는 {chosen} 수준에서 {num(e['alpha_chosen'])}, 서열 수준에서 {metric(at)}입니다.",
                "간격이 같다는 근거가 없다면 서열(ordinal) 수준을 쓰세요.")
    kind = _KIND_EN.get(e["kind"], e["kind"])
    if chosen == "nominal":
        return (f"The labels look like a scale ({kind}: {order}), but the nominal level counts a one-point and a "
                f"five-point difference as the same miss. Alpha is {num(e['alpha_chosen'])} at the nominal level "
                f"and {metric(at)} at the {suggested} level.",
                f"If the labels are a scale, use the {suggested} level (--level {suggested}, or the level switch on "
                "the Overview); keep nominal only if they are categories.")
    if e["kind"] == "names":
        return (f"The labels are names without a recognised order, but the {chosen} level treats them as ordered "
                f"{order}.", "Use the nominal level, or give the label order explicitly.")
    return (f"The labels are ordered wording ({order}) without numbers, but the {chosen} level assumes equal "
            f"steps between them. Alpha is {num(e['alpha_chosen'])} at the {chosen} level and {metric(at)} at "
            "the ordinal level.", "Use the ordinal level unless the steps are known to be equal.")


def _rare(e: Mapping[str, Any], lang: Language) -> Text:
    rows = e["labels"]
    first = rows[0]
    listed = ", ".join(f"{_q(r['label'])} ({r['judgements']})" for r in rows[:8])
    if lang == "ko":
        return (f"드문 라벨 {e['count']}개(판정의 {pct(e['share_threshold'])} 미만 또는 {e['judgement_threshold']}건 미만): "
                f"{listed}. 라벨별 수치가 적은 판정에 기대고 있습니다. 예: {_q(first['label'])}의 특이 일치도 "
                f"{metric(first['specific_agreement'])}.",
                "이 라벨들은 라벨별 수치로 판단하지 마세요. 해당 후보 항목을 더 모으거나, 가이드라인이 허용하면 이웃 라벨과 합치세요.")
    return (f"{e['count']} rare labels (under {pct(e['share_threshold'])} of judgements or fewer than "
            f"{e['judgement_threshold']}): {listed}. Their own numbers rest on few judgements, e.g. "
            f"{_q(first['label'])} has specific agreement {metric(first['specific_agreement'])}.",
            "Do not judge these labels by their per-label numbers; collect more candidate items for them, or merge "
            "a label into its neighbour if the guideline allows.")


def _few(e: Mapping[str, Any], lang: Language) -> Text:
    n, half, needed = e["items_with_two_or_more"], e.get("half_width"), e.get("items_for_target")
    alpha = metric(e.get("krippendorff_alpha"))
    if lang == "ko":
        width = f", 알파 {alpha}의 95% 구간 폭은 ±{num(half, 2)}입니다" if half is not None else ""
        todo = (f"약 {needed}개 항목을 두 명 이상이 라벨링하면 구간이 ±{num(e['target_half_width'], 2)}로 좁아집니다(구간은 항목 수의 제곱근에 반비례)."
                if needed else "두 명 이상이 라벨링한 항목을 늘리세요.")
        return f"일치도가 두 명 이상이 라벨링한 {n}개 항목에만 근거합니다{width}.", todo
    width = f"; alpha {alpha} has a 95% interval of ±{num(half, 2)}" if half is not None else ""
    todo = (f"Have about {needed} items labelled by two or more annotators to narrow the interval to "
            f"±{num(e['target_half_width'], 2)} (it shrinks with the square root of the number of items)."
            if needed else "Have more items labelled by two or more annotators.")
    return f"Agreement rests on {n} items labelled by two or more annotators{width}.", todo


def _overlap(e: Mapping[str, Any], lang: Language) -> Text:
    parts_en, parts_ko = [], []
    if e["single_share"] > 0.2:
        parts_en.append(f"{e['single_judgement_items']} of {e['items']} items ({pct(e['single_share'])}) have a single "
                        "judgement and do not enter agreement")
        parts_ko.append(f"{e['items']}개 항목 중 {e['single_judgement_items']}개({pct(e['single_share'])})는 판정이 하나뿐이라 "
                        "일치도에 들어가지 않습니다")
    if e["annotator_groups"] > 1:
        parts_en.append(f"the annotators form {e['annotator_groups']} groups that never share an item, so their "
                        "agreement cannot be compared across groups")
        parts_ko.append(f"작업자가 서로 항목을 공유하지 않는 {e['annotator_groups']}개 그룹으로 나뉘어 그룹 간 일치도를 비교할 수 없습니다")
    if e["thin_count"]:
        names = ", ".join(e["thin_annotators"][:5])
        parts_en.append(f"{e['thin_count']} annotators share fewer than {e['min_shared']} judgements with others ({names})")
        parts_ko.append(f"{e['thin_count']}명은 다른 사람과 공유한 판정이 {e['min_shared']}건 미만입니다({names})")
    if lang == "ko":
        return ("; ".join(parts_ko) + ".",
                "각 항목을 최소 두 명에게 배정하고, 모든 작업자가 여러 사람과 겹치도록 짝을 돌려가며 배정하세요.")
    text = "; ".join(parts_en)
    return (text[:1].upper() + text[1:] + ".",
            "Assign every item to at least two annotators and rotate pairs so that everyone overlaps with several "
            "others; then everyone's agreement can be measured.")


def _camps(e: Mapping[str, Any], lang: Language) -> Text:
    camps = e["camps"]
    described = []
    for camp in camps:
        names = ", ".join(camp["annotators"])
        if lang == "ko":
            described.append(f"[{names}] 내부 {metric(camp['within'])}, 다른 진영과 {metric(camp['between'])}")
        else:
            described.append(f"{names} agree among themselves at {metric(camp['within'])} but with the other camp"
                             f"{'s' if len(camps) > 2 else ''} at {metric(camp['between'])}")
    first = camps[0]
    label = first["split_labels"][0] if first["split_labels"] else None
    shares = first["label_agreement"].get(label) if label is not None else None
    count = sum(c["split_item_count"] for c in camps[:1])
    if lang == "ko":
        split = (f" 가장 크게 갈리는 라벨은 {_q(label)}입니다(이 라벨의 특이 일치도: 진영 내부 {num(shares[0], 2)}, 진영 간 {num(shares[1], 2)})."
                 if shares else "")
        return (f"작업자가 {len(camps)}개 진영으로 나뉩니다(쌍별 카파): " + "; ".join(described) + "." + split,
                f"진영 간 다수 라벨이 다른 {count}개 항목(JSON 보고서의 split_items, 대시보드의 작업자 페이지)을 검토하고, 가이드라인이 어느 해석을 뜻하는지 "
                "정해 예시와 함께 규칙으로 적으세요. 두 해석이 모두 타당하다면 라벨을 나눌 필요가 있습니다.")
    split = (f" They split most on {_q(label)} (specific agreement on it {num(shares[0], 2)} within the camp, "
             f"{num(shares[1], 2)} across camps)."
             if shares else "")
    return (f"The annotators form {len(camps)} camps (pairwise kappa): " + "; ".join(described) + "." + split,
            f"Review the {count} items where the camps' majority labels differ (split_items in the JSON report; the "
            "dashboard's Annotators page), decide which "
            "reading the guideline means and write it down as a rule with examples; if both readings are "
            "legitimate, the label needs splitting.")


_WRITERS: dict[str, Callable[[Mapping[str, Any], Language], Text]] = {
    "skewed_labels": _skewed,
    "level_mismatch": _level,
    "rare_label": _rare,
    "few_items": _few,
    "low_overlap": _overlap,
    "annotator_camps": _camps,
}
CODES: tuple[str, ...] = tuple(_WRITERS)


def level_reason(suggestion: Mapping[str, Any], language: Language = "en") -> str:
    """Why the labels suggest their level (``SuggestedLevel.to_dict()``), in ``language``.

    English is the suggestion's own ``reason``; Korean is written from its ``kind``,
    ``clear`` and ``order``.

    Examples
    --------
    >>> from analysis.diagnostics.scale import suggest_level
    >>> level_reason(suggest_level(["1", "2", "3", "4", "5"]).to_dict(), "ko")
    '라벨이 1부터 5까지 고르게 떨어진 숫자 5개인 평정 척도여서 값 사이의 거리에 의미가 있습니다'
    >>> level_reason(suggest_level(["sports", "politics", "economy"]).to_dict())
    'the labels are names without a recognised order'
    """
    if language != "ko":
        return str(suggestion["reason"])
    kind, order = suggestion["kind"], suggestion.get("order") or []
    if kind == "numeric" and order:
        if suggestion["clear"]:
            return (f"라벨이 {order[0]}부터 {order[-1]}까지 고르게 떨어진 숫자 {len(order)}개인 평정 척도여서 "
                    "값 사이의 거리에 의미가 있습니다")
        return (f"라벨이 {order[0]}부터 {order[-1]}까지의 숫자 {len(order)}개입니다. 척도인지 코드인지 "
                "확인한 뒤 수준을 고르세요")
    if kind == "numbered_names" and order:
        return f"모든 라벨이 숫자로 시작하는 순서 있는 척도입니다({_q(order[0])} … {_q(order[-1])})"
    if kind == "ordered_names" and order:
        return f"라벨이 순서 있는 표현입니다({' < '.join(order)}): 서열 척도"
    texts = {
        "binary": "라벨이 두 개라 어느 측정 수준이든 일치도가 같으므로 명목 수준이면 충분합니다",
        "names": "라벨이 정해진 순서가 없는 이름입니다",
        "single": "라벨이 하나뿐이라 일치도를 정의할 수 없습니다",
        "empty": "라벨이 없습니다",
    }
    return texts.get(kind, str(suggestion["reason"]))


def describe(code: str, evidence: Mapping[str, Any], language: Language = "en") -> Text:
    """The message and the action of a diagnostic, in ``language``.

    Examples
    --------
    >>> message, action = describe("few_items", {"items_with_two_or_more": 12, "half_width": 0.2,
    ...     "items_for_target": 192, "target_half_width": 0.05, "krippendorff_alpha": None})
    >>> message
    'Agreement rests on 12 items labelled by two or more annotators; alpha — has a 95% interval of ±0.20.'
    >>> describe("few_items", {"items_with_two_or_more": 12, "half_width": None,
    ...     "items_for_target": None, "target_half_width": 0.05}, "ko")[0]
    '일치도가 두 명 이상이 라벨링한 12개 항목에만 근거합니다.'
    """
    writer = _WRITERS.get(code)
    if writer is None:
        return code, ""
    if language == "ko":
        message, action = writer(evidence, "ko")
        return attach_particles(message), attach_particles(action)
    return writer(evidence, "en")
