"""Metric notes (how an interval was drawn, why a value is not defined) in the visitor's language.

The engine's notes are :class:`analysis.messages.Note` objects: their English text plus a
code and its params. This module writes them in the page's language from the code alone,
through the message catalogues (:mod:`analysis.messages`); a note without a code (a plain
string) is shown as it is.
"""

from __future__ import annotations

from analysis.messages import render


def metric_note(note: str | None, language: str) -> str | None:
    """``note`` in ``language`` (``"en"`` or ``"ko"``), from its code and params.

    Examples
    --------
    >>> from analysis.messages import join, note
    >>> metric_note(note("interval.percentile", resamples=1000, seed=0), "ko")
    '95% 부트스트랩 백분위 구간, 항목 재표집 1000회(시드 0)'
    >>> metric_note(join([note("interval.disabled"), "weighted by item"]), "ko")
    '구간 없음: 부트스트랩을 끔; weighted by item'
    >>> metric_note(note("interval.disabled"), "en")
    'no interval: bootstrap disabled'
    """
    return render(note, language)
