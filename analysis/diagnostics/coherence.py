"""Why two headline coefficients land in different bands, in one sentence each.

The Overview shows Krippendorff's alpha beside kappa-type coefficients, each with the band
of its own published scale. When alpha reads "unreliable: discard" and Fleiss' kappa
"moderate", a reader needs to know whether the numbers disagree or only the scales do.
Bands are compared by what they tell a reader (:data:`TIER`: low, middle, high); for each
coefficient whose tier differs from alpha's, :func:`band_differences` names the cause:

* ``scales``: the two values are within :data:`SAME_VALUE` (0.05) of each other, so only
  the published scales differ (Krippendorff 2004 discards below 0.667; Landis & Koch 1977
  call 0.41-0.60 moderate);
* ``level``: alpha is measured at an ordinal or interval level (near misses count as
  partly right), the kappas at the nominal level;
* ``prevalence``: one label is at least :data:`DOMINANT_SHARE` (60%) of the judgements
  and the other coefficient is Gwet's AC1, which discounts chance agreement on the
  common label far less (the kappa paradox, Feinstein & Cicchetti 1990);
* ``missing``: items have unequal numbers of judgements, which alpha and the kappas
  weigh differently (alpha pairs values within each item, corrects for small samples);
* ``method`` otherwise: they correct for chance differently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

from analysis.base.particles import attach_particles
from analysis.diagnostics.texts import BAND_KO, num, pct
from analysis.messages import Note

Language = Literal["en", "ko"]
TIER: Final[dict[str, int]] = {
    "unreliable: discard": 0, "tentative conclusions only": 1, "reliable": 2,
    "poor": 0, "slight": 0, "fair": 0, "moderate": 1, "substantial": 1, "almost perfect": 2,
}
SAME_VALUE: Final = 0.05
DOMINANT_SHARE: Final = 0.6
COMPARED: Final = ("fleiss_kappa", "gwet_ac1", "mean_pairwise_cohen_kappa", "cohen_kappa")
NAMES: Final[dict[str, tuple[str, str]]] = {
    "krippendorff_alpha": ("Krippendorff's alpha", "크리펜도르프 알파"),
    "fleiss_kappa": ("Fleiss' kappa", "플라이스 카파"),
    "gwet_ac1": ("Gwet's AC1", "그웻 AC1"),
    "mean_pairwise_cohen_kappa": ("the mean pairwise Cohen's kappa", "쌍별 코헨 카파 평균"),
    "cohen_kappa": ("Cohen's kappa", "코헨 카파"),
}
LEVEL_KO: Final = {"ordinal": "서열", "interval": "등간", "ratio": "비율"}


def _value(report: Mapping[str, Any], name: str) -> float | None:
    value = ((report.get("overall") or {}).get(name) or {}).get("value")
    return None if value is None else float(value)


def _band(report: Mapping[str, Any], name: str) -> str | None:
    band = ((report.get("interpretation") or {}).get("overall") or {}).get(name) or {}
    return band.get("label")


def _dominant(report: Mapping[str, Any]) -> tuple[str, float] | None:
    """The most frequent label and its share: from the load report, else from the
    ``skewed_labels`` diagnostic (a report built from a table has no load report)."""
    counts = ((report.get("dataset") or {}).get("load") or {}).get("label_counts") or {}
    total = sum(counts.values())
    if not total:
        skew = next((d["evidence"] for d in report.get("diagnostics") or [] if d.get("code") == "skewed_labels"), None)
        return None if skew is None else (str(skew["dominant_label"]), float(skew["dominant_share"]))
    label, top = max(counts.items(), key=lambda pair: pair[1])
    return str(label), top / total


def band_differences(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each headline coefficient whose band tells another story than alpha's.

    Parameters
    ----------
    report : mapping
        The report's dictionary (``AgreementReport.to_dict()``).

    Returns
    -------
    list of dict
        ``{"metric", "value", "band", "alpha", "alpha_band", "reason", ...}``; ``reason``
        as in the module notes, with ``label`` and ``share`` for ``prevalence`` and
        ``level`` for ``level``. Empty when alpha is undefined or every band agrees.

    Examples
    --------
    >>> report = {"overall": {"krippendorff_alpha": {"value": 0.477}, "fleiss_kappa": {"value": 0.479}},
    ...           "interpretation": {"overall": {"krippendorff_alpha": {"label": "unreliable: discard"},
    ...                                          "fleiss_kappa": {"label": "moderate"}}},
    ...           "dataset": {"level": "nominal"}}
    >>> [(d["metric"], d["reason"]) for d in band_differences(report)]
    [('fleiss_kappa', 'scales')]
    """
    alpha, alpha_band = _value(report, "krippendorff_alpha"), _band(report, "krippendorff_alpha")
    if alpha is None or alpha_band not in TIER:
        return []
    dataset = report.get("dataset") or {}
    level = dataset.get("level", "nominal")
    dominant = _dominant(report)
    unequal = _has_code(((report.get("overall") or {}).get("fleiss_kappa") or {}).get("note"),
                        "agreement.unequal_counts")
    out = []
    for name in COMPARED:
        value, band = _value(report, name), _band(report, name)
        if value is None or band not in TIER or TIER[band] == TIER[alpha_band]:
            continue
        entry: dict[str, Any] = {"metric": name, "value": value, "band": band, "alpha": alpha,
                                 "alpha_band": alpha_band}
        if abs(value - alpha) < SAME_VALUE:
            entry["reason"] = "scales"
        elif level != "nominal":
            entry |= {"reason": "level", "level": level}
        elif name == "gwet_ac1" and dominant is not None and dominant[1] >= DOMINANT_SHARE:
            entry |= {"reason": "prevalence", "label": dominant[0], "share": dominant[1]}
        elif unequal:
            entry["reason"] = "missing"
        else:
            entry["reason"] = "method"
        out.append(entry)
    return out


def _has_code(text: object, code: str) -> bool:
    """Whether the note ``text`` is, or has a part that is, the message ``code``."""
    return isinstance(text, Note) and any(getattr(part, "code", None) == code for part in text.parts)


def _sentence(group: list[Mapping[str, Any]], ko: bool) -> str:

    d = group[0]
    a = num(d["alpha"])
    if ko:
        others = ", ".join(f"{NAMES[x['metric']][1]}({num(x['value'])})은(는) '{BAND_KO.get(x['band'], x['band'])}'"
                           for x in group)
        head = (f"{others}, 크리펜도르프 알파({a})는 '{BAND_KO.get(d['alpha_band'], d['alpha_band'])}'(으)로 "
                "읽히는 것은 ")
        return attach_particles(head + {
            "scales": "값이 거의 같고 해석 척도만 다르기 때문입니다: Krippendorff(2004)는 0.667 미만을 버리라고 하고, "
                      "Landis & Koch(1977)는 0.41-0.60을 보통이라 부릅니다. 신뢰도 판단에는 더 엄격한 쪽을 따르세요.",
            "level": f"알파는 {LEVEL_KO.get(d.get('level'), d.get('level'))} 수준에서 가까운 점수 차이를 부분적으로 "
                     "맞은 것으로 치고, 카파는 명목 수준이라 모든 차이를 틀린 것으로 세기 때문입니다.",
            "prevalence": f"라벨 '{d.get('label')}'이(가) 판정의 {pct(d.get('share'))}를 차지하는데, AC1은 흔한 라벨의 "
                          "우연 일치를 훨씬 적게 빼기 때문입니다(카파 역설).",
            "missing": "항목마다 판정 수가 달라 알파와 카파가 항목을 다르게 가중하기 때문입니다. 알파는 항목 안에서 "
                       "값을 짝짓고 작은 표본을 보정합니다.",
            "method": "두 계수가 우연 일치를 다르게 보정하기 때문입니다. 신뢰도 수치로는 알파를 쓰세요.",
        }[d["reason"]])
    others = " and ".join(f"{NAMES[x['metric']][0]} ({num(x['value'])}, {x['band']})" for x in group)
    head = (f"{others[:1].upper() + others[1:]} read{'s' if len(group) == 1 else ''} differently from "
            f"Krippendorff's alpha ({a}, {d['alpha_band']}) because ")
    return head + {
        "scales": "only the published scales differ, not the numbers: Krippendorff (2004) discards data "
                  "below 0.667 while Landis & Koch (1977) call 0.41-0.60 moderate; a reliability claim "
                  "follows the stricter reading.",
        "level": f"alpha at the {d.get('level')} level counts near misses on the scale as partly right, "
                 "while the kappas are nominal and count every difference as a miss.",
        "prevalence": f"'{d.get('label')}' is {pct(d.get('share'))} of the judgements and AC1 discounts chance "
                      "agreement on a common label far less (the kappa paradox).",
        "missing": "items have unequal numbers of judgements, which alpha (pairing values within each item, "
                   "with a small-sample correction) and the kappas weigh differently.",
        "method": "they correct for chance agreement differently; alpha is the reliability figure to report.",
    }[d["reason"]]


def band_sentences(report: Mapping[str, Any], language: Language = "en") -> list[str]:
    """One sentence per cause of :func:`band_differences`, in ``language``.

    Examples
    --------
    >>> report = {"overall": {"krippendorff_alpha": {"value": 0.477}, "fleiss_kappa": {"value": 0.479}},
    ...           "interpretation": {"overall": {"krippendorff_alpha": {"label": "unreliable: discard"},
    ...                                          "fleiss_kappa": {"label": "moderate"}}},
    ...           "dataset": {"level": "nominal"}}
    >>> band_sentences(report)[0][:75]
    "Fleiss' kappa (0.479, moderate) reads differently from Krippendorff's alpha"
    """
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for difference in band_differences(report):  # one sentence per cause
        groups.setdefault(difference["reason"], []).append(difference)
    return [_sentence(group, language == "ko") for group in groups.values()]
