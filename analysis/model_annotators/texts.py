"""What a model's comparison with the humans means, in one sentence, English or Korean.

Written from the comparison's JSON form only (``models_vs_humans.models[]``), so the report,
the CLI and the dashboard say the same thing from the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

Language = Literal["en", "ko"]
MAX_LABELS = 8
"""Labels named per verdict in a summary; more are counted."""


def _undefined(entry: Mapping[str, Any], language: Language) -> str:
    test, name = entry["alt_test"], entry["annotator"]
    if entry.get("shared_items", 0) == 0:
        if language == "ko":
            return (f"{name}이(가) 사람 작업자를 대신할 수 있는지는 판단할 수 없습니다: 사람 두 명 "
                    "이상이 라벨링한 항목 중 이 모델이 라벨링한 항목이 없습니다.")
        return (f"Whether {name} can replace a human annotator cannot be told: it labelled none of "
                "the items two or more humans labelled.")
    tested, need, items = test["humans_tested"], test["min_humans"], test["min_items_per_human"]
    if language == "ko":
        return (f"{name}이(가) 사람 작업자를 대신할 수 있는지는 판단할 수 없습니다: 이 모델 및 다른 "
                f"사람과 {items}개 이상의 항목을 공유하는 사람 작업자가 {tested}명뿐이고, 검정에는 "
                f"{need}명이 필요합니다(Calderon 외 2025는 세 명 이상을 권장).")
    return (f"Whether {name} can replace a human annotator cannot be told: only {tested} human "
            f"annotator(s) share {items} or more items with it and another human, and the test "
            f"needs {need} (Calderon et al. 2025 recommend three or more).")


def meaning(entry: Mapping[str, Any], language: Language = "en") -> str:
    """The Alternative Annotator Test's answer for one model, in one sentence.

    Examples
    --------
    >>> entry = {"annotator": "llm:gpt", "shared_items": 90, "alt_test": {
    ...     "defined": True, "passed": True, "winning_rate": 2 / 3, "humans_won": 2,
    ...     "humans_tested": 3, "epsilon": 0.2, "advantage_probability": 0.81}}
    >>> meaning(entry)[:80]
    'llm:gpt may replace a human annotator: it aligned with the other annotators at l'
    >>> meaning(entry, "ko").startswith("llm:gpt은(는) 사람 작업자를 대신할 수 있습니다")
    True
    """
    test, name = entry["alt_test"], entry["annotator"]
    if not test.get("defined"):
        return _undefined(entry, language)
    won, tested, eps = test["humans_won"], test["humans_tested"], test["epsilon"]
    omega, rho = test["winning_rate"], test["advantage_probability"]
    if language == "ko":
        if test["passed"]:
            return (f"{name}은(는) 사람 작업자를 대신할 수 있습니다: 사람 {tested}명 중 {won}명보다 "
                    f"나머지 작업자들과 같거나 더 잘 일치했고(승률 ω = {omega:.2f} ≥ 0.5, ε = {eps:g}), "
                    f"항목의 {rho:.0%}에서 빠진 작업자만큼 또는 그보다 잘 맞았습니다(ρ).")
        beaten = "한 명도 이기지 못했습니다" if won == 0 else f"{won}명만 이겼습니다"
        return (f"{name}은(는) 아직 사람 작업자를 대신하기 어렵습니다: 사람 {tested}명 중 {beaten}"
                f"(승률 ω = {omega:.2f} < 0.5, ε = {eps:g}). 빠진 작업자만큼 또는 그보다 잘 "
                f"맞은 항목은 {rho:.0%}입니다(ρ).")
    if test["passed"]:
        return (f"{name} may replace a human annotator: it aligned with the other annotators at "
                f"least as well as {won} of {tested} humans did (winning rate ω = {omega:.2f} ≥ 0.5 "
                f"at ε = {eps:g}), and on {rho:.0%} of items it was as good as or better than the "
                "annotator left out (ρ).")
    beaten = f"none of the {tested} humans" if won == 0 else f"only {won} of {tested} humans"
    return (f"{name} should not replace the human annotators yet: it beat {beaten} "
            f"(winning rate ω = {omega:.2f} < 0.5 at ε = {eps:g}); it was as good as or "
            f"better than the annotator left out on {rho:.0%} of items (ρ).")


def _names(labels: list[str], language: Language) -> str:
    shown = ", ".join(f"'{label}'" for label in labels[:MAX_LABELS])
    if len(labels) > MAX_LABELS:
        more = len(labels) - MAX_LABELS
        shown += f" 외 {more}개" if language == "ko" else f" and {more} more"
    return shown


def class_summary(entry: Mapping[str, Any], language: Language = "en") -> str:
    """Where the model agrees with the humans better or worse than a typical annotator.

    By the verdict of each label's specific-agreement difference (its 95% interval above or
    below 0).

    Examples
    --------
    >>> entry = {"annotator": "m", "per_class": {"a": {"verdict": "better"},
    ...          "b": {"verdict": "worse"}, "c": {"verdict": "similar"}}}
    >>> class_summary(entry)
    "Compared with a typical annotator, m agrees with the humans better on 'a' and worse on 'b'; no clear difference on 1 other label."
    """
    verdicts: dict[str, list[str]] = {"better": [], "worse": [], "similar": [], "undefined": []}
    for label, comparison in (entry.get("per_class") or {}).items():
        verdicts[comparison["verdict"]].append(label)
    better, worse, rest = verdicts["better"], verdicts["worse"], len(verdicts["similar"])
    name = entry["annotator"]
    if language == "ko":
        parts = []
        if better:
            parts.append(f"{_names(better, language)}에서 더 잘")
        if worse:
            parts.append(f"{_names(worse, language)}에서 더 못")
        if not parts:
            return (f"어느 라벨에서도 {name}과(와) 사람의 일치가 일반적인 작업자와 뚜렷이 다르지 않습니다"
                    f"(라벨 {rest}개).")
        tail = f" 나머지 라벨 {rest}개에서는 뚜렷한 차이가 없습니다." if rest else ""
        return f"일반적인 작업자와 비교하면 {name}은(는) {', '.join(parts)} 사람과 일치합니다.{tail}"
    parts = []
    if better:
        parts.append(f"better on {_names(better, language)}")
    if worse:
        parts.append(f"worse on {_names(worse, language)}")
    if not parts:
        return (f"On no label does {name} agree with the humans clearly better or worse than a "
                f"typical annotator ({rest} label{'' if rest == 1 else 's'} compared).")
    tail = (f"; no clear difference on {rest} other label{'' if rest == 1 else 's'}" if rest else "")
    return (f"Compared with a typical annotator, {name} agrees with the humans "
            f"{' and '.join(parts)}{tail}.")
