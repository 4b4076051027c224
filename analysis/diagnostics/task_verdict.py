"""The three-sentence verdict of a task report that names its metrics itself.

A task hands :func:`task_verdict` its :class:`VerdictWords`: the headline metric the
verdict opens with and its band (MASI alpha for label sets, token alpha for spans), the
per-label metric that names the weakest label, the word for a label, its own opening
sentence and, when it measures one, the kind of disagreement that dominates (for spans:
boundaries, types, or spans one annotator missed), which decides what rule to write next.
The flagged annotators and the fallbacks are the same for every task.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from analysis.diagnostics.texts import num
from analysis.messages import render

Opening = Callable[[Mapping[str, Any], Mapping[str, Any], "str | None", bool], str]
"""``(report, headline metric, band label or None, ko) -> the first sentence``."""

Disagreement = Callable[[Mapping[str, Any], "str | None", bool], "tuple[str, str] | None"]
"""``(report, target label as repr or None, ko) -> (clause of the second sentence, third
sentence)`` for the dominant kind of disagreement, or None when none is measured."""


@dataclass(frozen=True)
class VerdictWords:
    """What one task's verdict says in its own words.

    Attributes
    ----------
    headline : str
        The ``overall`` metric the verdict opens with (its band from ``interpretation``).
    per_label : str
        The ``per_class`` metric whose lowest value names the weakest label.
    label_word : tuple of str
        What a label is called, English and Korean (``("label", "라벨")``).
    opening : callable
        The first sentence (:data:`Opening`).
    disagreement : callable or None
        The dominant kind of disagreement (:data:`Disagreement`); None: the task has none.
    """

    headline: str
    per_label: str
    label_word: tuple[str, str]
    opening: Opening
    disagreement: Disagreement | None = None


def _weakest(report: Mapping[str, Any], key: str) -> tuple[str, Mapping[str, Any]] | None:
    rows = [(str(label), entry.get(key) or {}) for label, entry in (report.get("per_class") or {}).items()]
    rows = [(label, m) for label, m in rows if m.get("value") is not None]
    return min(rows, key=lambda row: row[1]["value"]) if len(rows) > 1 else None


def _flagged(report: Mapping[str, Any]) -> list[str]:
    return [str(name) for name, entry in (report.get("per_annotator") or {}).items()
            if entry.get("flags")]


def _target(report: Mapping[str, Any], words: VerdictWords) -> str | None:
    """The label the next rule is for (as repr): the weakest, else the only one."""
    weakest = _weakest(report, words.per_label)
    labels = list(report.get("per_class") or {})
    return repr(weakest[0]) if weakest is not None else (repr(labels[0]) if len(labels) == 1 else None)


def _middle(report: Mapping[str, Any], words: VerdictWords, kind: tuple[str, str] | None, ko: bool) -> str:
    weakest = _weakest(report, words.per_label)
    flagged = _flagged(report)
    parts: list[str] = [kind[0]] if kind is not None else []
    if weakest is not None:
        value = num(weakest[1]["value"])
        parts.append(f"일치도가 가장 낮은 {words.label_word[1]}은 {weakest[0]!r}입니다(알파 {value})" if ko
                     else f"agreement is weakest on the {words.label_word[0]} {weakest[0]!r} (alpha {value})")
    if flagged:
        more = len(flagged) - 3
        if ko:
            names = ", ".join(flagged[:3]) + (f" 외 {more}명" if more > 0 else "")
            parts.append(f"작업자 {len(flagged)}명이 표시되었습니다({names})")
        else:
            names = ", ".join(flagged[:3]) + (f" and {more} more" if more > 0 else "")
            parts.append(f"{len(flagged)} annotator(s) are flagged ({names})")
    if not parts:
        return "일치도가 특별히 무너지는 곳은 보이지 않습니다." if ko else "No label, type or annotator stands out."
    if ko:
        return "; ".join(parts) + "."
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _next(target: str | None, kind: tuple[str, str] | None, ko: bool) -> str:
    if kind is not None:
        return kind[1]
    if target is not None:
        return (f"다음 단계: {target}을(를) 언제 붙이는지 예시와 함께 가이드라인 규칙을 쓰고 다음 배치에서 다시 측정하세요."
                if ko else f"Next: write a guideline rule with examples for when {target} applies, and measure "
                "again on the next batch.")
    return ("다음 단계: 다음 배치에서도 같은 방식으로 측정해 일치도가 유지되는지 확인하세요." if ko
            else "Next: measure the next batch the same way to check that agreement holds.")


def task_verdict(report: Mapping[str, Any], ko: bool, words: VerdictWords) -> list[str]:
    """Three sentences for a task report, in the task's ``words``.

    Parameters
    ----------
    report : mapping
        The task report's dictionary (``TaskReport.to_dict()``).
    ko : bool
        Korean instead of English.
    words : VerdictWords
        The task's metrics, label word, opening and kind of disagreement.

    Returns
    -------
    list of str
        Three sentences; one (why) when the headline metric is undefined.
    """
    alpha = (report.get("overall") or {}).get(words.headline) or {}
    if alpha.get("value") is None:
        if ko:
            return [f"일치도를 잴 수 없습니다: {render(alpha.get('note'), 'ko') or '정의되지 않음'}."]
        return [f"Agreement cannot be measured: {alpha.get('note') or 'undefined'}."]
    band = ((((report.get("interpretation") or {}).get("overall") or {}).get(words.headline)) or {}).get("label")
    target = _target(report, words)
    kind = words.disagreement(report, target, ko) if words.disagreement is not None else None
    return [words.opening(report, alpha, band, ko), _middle(report, words, kind, ko), _next(target, kind, ko)]
