"""Metric notes (how an interval was drawn, why a value is not defined) in the visitor's language.

The engine writes each note in English, as part of the report's JSON contract. The notes
that the pages show most often are built from a few fixed phrases
(:mod:`analysis.metrics.intervals`, :mod:`analysis.metrics.overall`); this module reads
those phrases back, part by part, and writes them in Korean. A part it does not know stays
in English, so nothing is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from analysis.base.particles import attach_particles

_LEVEL = {"nominal": "명목", "ordinal": "서열", "interval": "등간", "ratio": "비율"}
_UNIT = {"items": "항목", "documents": "문서"}

# Notes that are fixed phrases.
_FIXED: dict[str, str] = {
    "no interval: bootstrap disabled": "구간 없음: 부트스트랩을 끔",
    "no interval: the value is undefined in most resamples": "구간 없음: 대부분의 재표집에서 값이 정의되지 않음",
    "only one annotator: agreement needs at least two": "작업자가 한 명뿐입니다: 일치도에는 두 명 이상이 필요합니다",
    "no item has two or more judgements: every item is single-rated":
        "두 명 이상이 판정한 항목이 없습니다: 모든 항목이 한 번씩만 판정되었습니다",
    "no item was labelled by two or more annotators": "두 명 이상이 라벨링한 항목이 없습니다",
    "mean over items with two or more judgements of the share of agreeing pairs":
        "두 명 이상이 판정한 항목마다 일치하는 판정 쌍의 비율을 구해 평균",
    "nominal, this label against all others": "명목, 이 레이블 대 나머지 모든 레이블",
    "items have unequal numbers of judgements: each item's agreement uses its own count, label shares "
    "pool judgements on items with two or more":
        "항목마다 판정 수가 다릅니다: 항목별 일치는 그 항목의 판정 수로 계산하고, 레이블 비율은 두 명 이상이 "
        "판정한 항목의 판정을 모아 계산합니다",
    "Cohen's kappa needs exactly two annotators": "코헨 카파는 작업자가 정확히 두 명이어야 합니다",
    "pairs without a shared item have none": "공유 항목이 없는 쌍은 값이 없음",
    "no interval: standard error undefined": "구간 없음: 표준오차가 정의되지 않음",
    "a single label on both sides (expected agreement is 1): kappa is undefined":
        "양쪽 모두 한 레이블뿐입니다(기대 일치 1): 카파가 정의되지 않음",
    "no pair of annotators has a defined Cohen's kappa (no overlap, or one label)":
        "코헨 카파가 정의된 작업자 쌍이 없습니다(겹치는 항목이 없거나 레이블이 하나뿐)",
    "the two annotators labelled no item in common": "두 작업자가 함께 라벨링한 항목이 없습니다",
    "the annotator made no judgements": "이 작업자는 판정을 하지 않았습니다",
    "no item where the other annotators have a majority": "다른 작업자들이 과반으로 합의한 항목이 없습니다",
    "alpha of the other annotators is undefined": "다른 작업자들의 알파가 정의되지 않습니다",
    "one label only in the group majorities": "그룹 과반 레이블이 하나뿐입니다",
    "alpha is undefined": "알파가 정의되지 않습니다",
    "no item shared with another annotator": "다른 작업자와 함께 판정한 항목이 없습니다",
    "only one annotator would remain": "작업자가 한 명만 남습니다",
    "alpha with or without this annotator is undefined": "이 작업자를 넣거나 빼면 알파가 정의되지 않습니다",
    "no other annotator": "다른 작업자가 없습니다",
    "no item labelled by this annotator and another": "이 작업자와 다른 작업자가 함께 라벨링한 항목이 없습니다",
    "no item rated by this annotator and another": "이 작업자와 다른 작업자가 함께 평가한 항목이 없습니다",
    "no values": "값이 없습니다",
    "read Krippendorff's alpha or Fleiss' kappa": "크리펜도르프 알파나 플라이스 카파를 보세요",
    "unweighted": "가중치 없음",
    "linear weights on label ranks": "레이블 순위에 선형 가중치",
    "quadratic weights on label values": "레이블 값에 제곱 가중치",
}

# (pattern of one English part, its Korean writer)
_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"95% bootstrap percentile interval, (\d+) resamples of items \(seed (-?\d+)\)"),
     lambda m: f"95% 부트스트랩 백분위 구간, 항목 재표집 {m[1]}회(시드 {m[2]})"),
    (re.compile(r"(\d+) resamples where the value is undefined left out"),
     lambda m: f"값이 정의되지 않은 재표집 {m[1]}회 제외"),
    (re.compile(r"no interval: fewer than (\d+) items with two or more judgements"),
     lambda m: f"구간 없음: 두 명 이상이 판정한 항목이 {m[1]}개 미만"),
    (re.compile(r"no interval: fewer than (\d+) (items|documents)"),
     lambda m: f"구간 없음: {_UNIT[m[2]]} {m[1]}개 미만"),
    (re.compile(r"(nominal|ordinal|interval|ratio) level"), lambda m: f"{_LEVEL[m[1]]} 수준"),
    (re.compile(r"this data has (\d+) \(see mean_pairwise_cohen_kappa\)"),
     lambda m: f"이 데이터에는 작업자가 {m[1]}명입니다(라이트 카파를 보세요)"),
    (re.compile(r"Light's kappa: mean of (\d+) of (\d+) annotator pairs' Cohen's kappa \((.+)\)"),
     lambda m: f"라이트 카파: 작업자 쌍 {m[2]}개 중 {m[1]}개의 코헨 카파 평균({_FIXED.get(m[3], m[3])})"),
    (re.compile(r"(\d+) pairs sharing fewer than (\d+) items left out"),
     lambda m: f"공유 항목이 {m[2]}개 미만인 쌍 {m[1]}개 제외"),
    (re.compile(r"statsmodels asymptotic SE ([0-9.]+) \(Fleiss, Cohen & Everitt 1969\)"),
     lambda m: f"statsmodels 점근 표준오차 {m[1]}(Fleiss, Cohen & Everitt 1969)"),
    (re.compile(r"95% interval kappa \+/- 1\.96 SE, statsmodels asymptotic SE ([0-9.]+)"),
     lambda m: f"95% 구간: 카파 ± 1.96 × 표준오차, statsmodels 점근 표준오차 {m[1]}"),
    (re.compile(r"no pair of annotators shares (\d+) or more items \((\d+) pairs share fewer, as on crowd "
                r"data\): a Cohen's kappa on a handful of items is noise, so their mean is not given"),
     lambda m: f"공유 항목이 {m[1]}개 이상인 작업자 쌍이 없습니다(쌍 {m[2]}개가 그보다 적게 공유, 크라우드 데이터처럼): "
               "항목 몇 개로 구한 코헨 카파는 잡음이라 평균을 내지 않습니다"),
    (re.compile(r"no pairable item has the label '(.+)'"),
     lambda m: f"두 명 이상이 판정한 항목 중 레이블 '{m[1]}'이(가) 붙은 항목이 없습니다"),
    (re.compile(r"the label '(.+)' is used in every or in no pairable judgement: undefined"),
     lambda m: f"레이블 '{m[1]}'이(가) 짝지을 수 있는 판정 모두에 쓰였거나 하나에도 쓰이지 않았습니다: 정의되지 않음"),
    (re.compile(r"every judgement on items with two or more judgements is (.+): "
                r"chance-corrected agreement is undefined"),
     lambda m: f"두 명 이상이 판정한 항목의 판정이 모두 {m[1]}입니다: 우연 보정 일치도가 정의되지 않음"),
)


def _part(part: str) -> str:
    if part in _FIXED:
        return _FIXED[part]
    for pattern, write in _PATTERNS:
        match = pattern.fullmatch(part)
        if match is not None:
            return write(match)
    return part


def metric_note(note: str | None, language: str) -> str | None:
    """``note`` in ``language`` (``"en"`` or ``"ko"``): its known parts translated.

    Examples
    --------
    >>> metric_note("95% bootstrap percentile interval, 1000 resamples of items (seed 0)", "ko")
    '95% 부트스트랩 백분위 구간, 항목 재표집 1000회(시드 0)'
    >>> metric_note("no interval: bootstrap disabled; weighted by item", "ko")
    '구간 없음: 부트스트랩을 끔; weighted by item'
    >>> metric_note("no interval: bootstrap disabled", "en")
    'no interval: bootstrap disabled'
    """
    if not note or language != "ko":
        return note
    return attach_particles("; ".join(_part(part) for part in note.split("; ")))
