"""The span task's words for the verdict: the token-alpha opening with pooled span F1,
and the dominant kind of disagreement (boundaries, types, or spans one annotator
missed), which decides what rule to write next."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis.diagnostics.task_verdict import VerdictWords
from analysis.diagnostics.texts import BAND_KO, count, metric, num, pct

KINDS = ("boundary", "type", "missed")
"""The kinds of disagreement, in the order a tie is resolved."""

_KIND_EN = {"boundary": "most unmatched spans differ in their boundaries ({share} have the same type but "
                         "another start or end)",
            "type": "most unmatched spans differ in type ({share} overlap a span of another type)",
            "missed": "most unmatched spans were not marked at all by the other annotator ({share})"}
_KIND_KO = {"boundary": "맞지 않은 스팬은 대부분 경계가 다릅니다({share}가 같은 유형에 시작·끝만 다름)",
            "type": "맞지 않은 스팬은 대부분 유형이 다릅니다({share}가 다른 유형의 스팬과 겹침)",
            "missed": "맞지 않은 스팬은 대부분 다른 작업자가 아예 표시하지 않은 것입니다({share})"}


def _opening(report: Mapping[str, Any], alpha: Mapping[str, Any], band: str | None, ko: bool) -> str:
    dataset, overall = report.get("dataset") or {}, report.get("overall") or {}
    strict = (overall.get("span_f1_strict") or {}).get("value")
    overlap = (overall.get("span_f1_overlap") or {}).get("value")
    if ko:
        items, annotators = f"{dataset.get('items', 0):,}", f"{dataset.get('annotators', 0):,}"
        return (f"문서 {items}개, 작업자 {annotators}명의 토큰 수준 일치도는 {BAND_KO.get(band, band or '—')} "
                f"수준입니다(토큰 IOB 태그의 크리펜도르프 알파 {metric(alpha)}); 작업자 쌍의 스팬은 경계까지 "
                f"{num(strict, 2)}, 겹침 기준 {num(overlap, 2)} 일치합니다(쌍별 스팬 F1).")
    return (f"Across {count(dataset.get('items', 0), 'document')} and "
            f"{count(dataset.get('annotators', 0), 'annotator')}, token-level agreement is "
            f"{band or 'not banded'} (Krippendorff's alpha over the tokens' IOB tags {metric(alpha)}); "
            f"annotators' spans match {num(strict, 2)} with exact boundaries and {num(overlap, 2)} "
            "when any overlap counts (pooled pairwise span F1).")


def dominant_kind(report: Mapping[str, Any]) -> tuple[str, float] | None:
    """The kind of disagreement with the largest share of unmatched spans, and its share.

    Examples
    --------
    >>> dominant_kind({"disagreements": {"overall": {"boundary_share": 0.2, "type_share": 0.5}}})
    ('type', 0.5)
    """
    shares = ((report.get("disagreements") or {}).get("overall")) or {}
    kinds = [(kind, shares.get(f"{kind}_share")) for kind in KINDS]
    found = [(kind, float(share)) for kind, share in kinds if share is not None]
    return max(found, key=lambda row: row[1]) if found else None


def _next(report: Mapping[str, Any], kind: str, target: str | None, ko: bool) -> str:
    if kind == "boundary":
        return (f"다음 단계: {target or '각 유형'}의 스팬이 어디서 시작하고 끝나는지(관사, 수식어, 괄호 포함 여부) 예시와 함께 "
                "규칙으로 쓰고 다시 측정하세요." if ko else
                f"Next: write boundary rules with examples for {target or 'each type'} (are articles, modifiers "
                "and brackets inside the span?) and measure again.")
    if kind == "type":
        confusions = (report.get("disagreements") or {}).get("type_confusions") or []
        if ko:
            pair = f"{confusions[0]['label_a']!r}와(과) {confusions[0]['label_b']!r}" if confusions else "혼동되는 유형"
            return f"다음 단계: {pair}을(를) 가르는 규칙을 예시와 함께 쓰고 다시 측정하세요."
        pair = f"{confusions[0]['label_a']!r} and {confusions[0]['label_b']!r}" if confusions else "the confused types"
        return f"Next: write a rule with examples that tells {pair} apart, and measure again."
    return (f"다음 단계: {target or '각 유형'}에서 반드시 표시해야 할 것을 예시와 함께 가이드라인에 쓰고 다시 측정하세요."
            if ko else f"Next: say in the guideline, with examples, what must always be marked as "
            f"{target or 'each type'}, and measure again.")


def _disagreement(report: Mapping[str, Any], target: str | None, ko: bool) -> tuple[str, str] | None:
    found = dominant_kind(report)
    if found is None:
        return None
    kind, share = found
    clause = (_KIND_KO if ko else _KIND_EN)[kind].format(share=pct(share))
    return clause, _next(report, kind, target, ko)


WORDS = VerdictWords(headline="token_krippendorff_alpha", per_label="token_krippendorff_alpha",
                     label_word=("type", "유형"), opening=_opening, disagreement=_disagreement)
"""The span verdict: token alpha, the weakest entity type, the dominant disagreement."""
