"""Which level of measurement do the labels themselves suggest?

:func:`suggest_level` reads only the label strings:

* **two labels**: every level gives the same alpha (one distance between two values),
  so ``nominal`` is suggested;
* **numbers** (``"0"`` ... ``"5"``, ``"1.5"``): ``interval`` - the labels are numbers, so
  the distance between them is known. The suggestion is *clear* when the numbers are
  few (at most :data:`MAX_SCALE_POINTS`) and evenly spaced, like a rating scale; many or
  irregular numbers may be codes (``"101"``, ``"205"``) and are suggested, not assumed;
* **numbered names** (``"1 - low"``, ``"2. medium"``, ``"5 (매우 그렇다)"``): ``ordinal``,
  ordered by the leading number;
* **ordered names** from a known scale (``low/medium/high``, Likert agreement,
  frequency, quality, satisfaction wording in English and Korean, e.g.
  ``전혀 그렇지 않다 / 그렇지 않다 / 보통이다 / 그렇다 / 매우 그렇다``): ``ordinal``, in
  the scale's order;
* anything else: ``nominal``.

The suggestion carries the label order it implies, which the ordinal level needs (an
alphabetical order of ``high, low, medium`` would be meaningless).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

from analysis.data.levels import Level

if TYPE_CHECKING:
    from analysis.data.dataset import AnnotationDataset

MAX_SCALE_POINTS: Final = 11
"""A numeric label set with more distinct values than this is not called a clear scale."""

ScaleKind = Literal["binary", "numeric", "numbered_names", "ordered_names", "names", "single", "empty"]

# Each scale lists its points from low to high; each point lists the wordings that mean it.
# Wordings are compared after normalisation (NFC, lower case, no spaces or punctuation).
_SCALES: Final[dict[str, tuple[tuple[str, ...], ...]]] = {
    "magnitude": (
        ("none", "nil"), ("very low", "extremely low"), ("low",), ("medium", "mid", "moderate", "middle"),
        ("high",), ("very high", "extremely high"),
    ),
    "agreement": (
        ("strongly disagree", "completely disagree"), ("disagree",),
        ("somewhat disagree", "slightly disagree", "mostly disagree"),
        ("neither agree nor disagree", "neutral", "undecided", "neither"),
        ("somewhat agree", "slightly agree", "mostly agree"), ("agree",),
        ("strongly agree", "completely agree"),
    ),
    "quality": (
        ("very poor", "very bad", "terrible", "awful"), ("poor", "bad"),
        ("fair", "average", "ok", "okay", "acceptable", "mediocre"), ("good",),
        ("very good", "great"), ("excellent", "outstanding", "perfect"),
    ),
    "frequency": (
        ("never",), ("rarely", "seldom"), ("sometimes", "occasionally"),
        ("often", "frequently", "usually"), ("always",),
    ),
    "satisfaction": (
        ("very dissatisfied", "very unsatisfied"), ("dissatisfied", "unsatisfied"),
        ("neutral", "neither satisfied nor dissatisfied"), ("satisfied",), ("very satisfied",),
    ),
    "likelihood": (
        ("very unlikely", "extremely unlikely"), ("unlikely",), ("neutral", "unsure", "maybe"),
        ("likely",), ("very likely", "extremely likely"),
    ),
    "difficulty": (
        ("very easy",), ("easy",), ("medium", "moderate", "average"), ("hard", "difficult"),
        ("very hard", "very difficult"),
    ),
    "severity": (
        ("none",), ("trivial",), ("minor", "mild"), ("moderate",), ("major", "severe"),
        ("critical", "blocker"),
    ),
    "size": (("extra small", "xs"), ("small", "s"), ("medium", "m"), ("large", "l"), ("extra large", "xl")),
    "ko_likert": (
        ("전혀 그렇지 않다", "전혀 그렇지 않음", "전혀 아니다", "전혀 아님"),
        ("그렇지 않다", "그렇지 않음", "아니다", "아님"),
        ("약간 그렇지 않다", "별로 그렇지 않다"),
        ("보통이다", "보통", "중간", "그저 그렇다", "모르겠다"),
        ("약간 그렇다", "대체로 그렇다"),
        ("그렇다", "그러함"),
        ("매우 그렇다", "아주 그렇다", "매우 그러함"),
    ),
    "ko_agreement": (
        ("전혀 동의하지 않음", "전혀 동의하지 않는다", "매우 비동의", "매우 반대", "강하게 반대"),
        ("동의하지 않음", "동의하지 않는다", "비동의", "반대"),
        ("보통", "보통이다", "중립"),
        ("동의", "동의함", "동의한다", "찬성"),
        ("매우 동의", "매우 동의함", "매우 동의한다", "적극 동의", "매우 찬성", "강하게 찬성"),
    ),
    "ko_satisfaction": (
        ("매우 불만족", "매우 불만"), ("불만족", "불만"), ("보통",), ("만족",), ("매우 만족",),
    ),
    "ko_quality": (
        ("매우 나쁨", "매우 나쁘다", "아주 나쁨"), ("나쁨", "나쁘다"), ("보통", "보통이다"),
        ("좋음", "좋다"), ("매우 좋음", "매우 좋다", "아주 좋음"),
    ),
    "ko_magnitude": (
        ("없음",), ("매우 낮음", "매우 낮다"), ("낮음", "낮다", "하"), ("중간", "보통", "중"),
        ("높음", "높다", "상"), ("매우 높음", "매우 높다"),
    ),
    "ko_frequency": (
        ("전혀", "전혀 없다", "전혀 없음"), ("거의 없다", "드물게", "거의 없음"), ("가끔", "때때로"),
        ("자주",), ("항상", "늘"),
    ),
}

_NUMBER_PREFIX: Final = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*[.):=\-–—/]?\s*(.*)$")


def _normal(label: str) -> str:
    text = unicodedata.normalize("NFC", str(label)).casefold()
    return re.sub(r"[\s\W_]+", "", text)


_LOOKUP: Final[dict[str, dict[str, int]]] = {
    name: {_normal(word): rank for rank, words in enumerate(points) for word in words}
    for name, points in _SCALES.items()
}


@dataclass(frozen=True)
class SuggestedLevel:
    """The level the labels suggest, how sure that is, and the label order it implies.

    Attributes
    ----------
    level : {"nominal", "ordinal", "interval", "ratio"}
        The suggested level (``ratio`` is never suggested: a true zero cannot be read
        from label strings).
    clear : bool
        Whether the labels leave little doubt (the dashboard then uses the suggestion as
        its default level).
    kind : str
        ``binary``, ``numeric``, ``numbered_names``, ``ordered_names``, ``names``,
        ``single`` (one label) or ``empty``.
    reason : str
        One sentence naming the evidence.
    order : tuple of str or None
        The labels from low to high, when the suggestion orders them.
    scale : str or None
        The name of the matched wording scale (``ordered_names`` only).
    """

    level: Level
    clear: bool
    kind: ScaleKind
    reason: str
    order: tuple[str, ...] | None = None
    scale: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the report keeps ``level`` as ``dataset.suggested_level``)."""
        return {"level": self.level, "clear": self.clear, "kind": self.kind, "reason": self.reason,
                "order": None if self.order is None else list(self.order), "scale": self.scale}


def _numeric(labels: Sequence[str]) -> list[float] | None:
    values = []
    for label in labels:
        try:
            value = float(str(label).strip())
        except ValueError:
            return None
        if value != value or value in (float("inf"), float("-inf")):
            return None
        values.append(value)
    return values


def _evenly_spaced(values: Sequence[float]) -> bool:
    ordered = sorted(values)
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ordered)}
    if not steps:
        return False
    smallest = min(steps)
    return smallest > 0 and all(abs(step / smallest - round(step / smallest)) < 1e-6 for step in steps) \
        and (ordered[-1] - ordered[0]) / smallest <= MAX_SCALE_POINTS - 1


def _numbered(labels: Sequence[str]) -> list[float] | None:
    numbers = []
    for label in labels:
        match = _NUMBER_PREFIX.match(str(label))
        if match is None or not match.group(2).strip():
            return None
        numbers.append(float(match.group(1)))
    return numbers if len(set(numbers)) == len(numbers) else None


def _scale_match(labels: Sequence[str]) -> tuple[str, dict[str, int]] | None:
    keys = [_normal(label) for label in labels]
    for name, lookup in _LOOKUP.items():
        ranks = [lookup.get(key) for key in keys]
        if all(rank is not None for rank in ranks) and len(set(ranks)) == len(ranks):
            return name, {label: int(rank) for label, rank in zip(labels, ranks, strict=True)}  # type: ignore[arg-type]
    return None


def suggest_level(labels: Sequence[str]) -> SuggestedLevel:
    """The level of measurement the label strings suggest.

    Parameters
    ----------
    labels : sequence of str
        The distinct labels of a dataset.

    Returns
    -------
    SuggestedLevel

    Examples
    --------
    >>> suggest_level(["0", "1", "2", "3", "4", "5"]).level
    'interval'
    >>> s = suggest_level(["high", "Low", "medium"])
    >>> s.level, s.order
    ('ordinal', ('Low', 'medium', 'high'))
    >>> suggest_level(["그렇다", "매우 그렇다", "보통이다", "그렇지 않다"]).order
    ('그렇지 않다', '보통이다', '그렇다', '매우 그렇다')
    >>> suggest_level(["sports", "politics", "economy"]).level
    'nominal'
    >>> suggest_level(["0", "1"]).reason
    'two labels: every level of measurement gives the same agreement, so nominal is enough'
    """
    labels = list(dict.fromkeys(str(label) for label in labels))
    if not labels:
        return SuggestedLevel("nominal", False, "empty", "no labels")
    if len(labels) == 1:
        return SuggestedLevel("nominal", False, "single", "one label only: agreement is not defined")
    if len(labels) == 2:
        return SuggestedLevel(
            "nominal", True, "binary",
            "two labels: every level of measurement gives the same agreement, so nominal is enough")
    numbers = _numeric(labels)
    if numbers is not None:
        order = tuple(label for _, label in sorted(zip(numbers, labels, strict=True)))
        clear = _evenly_spaced(numbers)
        low, high = order[0], order[-1]
        if clear:
            reason = (f"the labels are {len(labels)} evenly spaced numbers from {low} to {high}, "
                      "a rating scale: the distances between them carry meaning")
        else:
            reason = (f"the labels are {len(labels)} numbers from {low} to {high}; they may be a "
                      "scale or codes, so check before choosing the level")
        return SuggestedLevel("interval", clear, "numeric", reason, order)
    numbered = _numbered(labels)
    if numbered is not None:
        order = tuple(label for _, label in sorted(zip(numbered, labels, strict=True)))
        return SuggestedLevel(
            "ordinal", True, "numbered_names",
            f"every label starts with a number ({order[0]!r} ... {order[-1]!r}): an ordered scale",
            order)
    match = _scale_match(labels)
    if match is not None:
        name, ranks = match
        order = tuple(sorted(labels, key=lambda label: ranks[label]))
        return SuggestedLevel(
            "ordinal", True, "ordered_names",
            f"the labels are ordered wording ({' < '.join(order)}): an ordinal scale",
            order, name)
    return SuggestedLevel("nominal", True, "names",
                          "the labels are names without a recognised order")


def suggested_level_of(dataset: AnnotationDataset) -> SuggestedLevel:
    """:func:`suggest_level` of the dataset's labels, computed once per dataset.

    The report, the diagnostics and the dashboard's level picker all ask; the answer is
    kept on the dataset (:meth:`~analysis.data.dataset.AnnotationDataset.cached`).

    Examples
    --------
    >>> import pandas as pd
    >>> from analysis.data.dataset import AnnotationDataset
    >>> dataset = AnnotationDataset.from_table(pd.DataFrame(
    ...     {"item_id": list("abc"), "annotator": list("xxx"), "label": ["low", "mid", "high"]}))
    >>> suggested_level_of(dataset).level, suggested_level_of(dataset) is suggested_level_of(dataset)
    ('ordinal', True)
    """
    return dataset.cached("suggested_level", lambda data: suggest_level(data.labels))
