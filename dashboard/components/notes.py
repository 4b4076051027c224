"""Metric notes (how an interval was drawn, why a value is not defined) in the visitor's language.

The engine's notes are :class:`analysis.messages.Note` objects: their English text plus a
code and its params. This module writes them in the page's language from the code alone,
through the message catalogues (:mod:`analysis.messages`); a note without a code (a plain
string) is shown as it is. Load and dataset warnings are notes too (:func:`warning_text`).
"""

from __future__ import annotations

from analysis.messages import render
from dashboard.components.text import md


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


def warning_text(warning: str, language: str) -> str:
    """A load or dataset warning in ``language``, Markdown-escaped for ``st.warning``/``st.caption``.

    The file's labels and names inside it are escaped like the rest, so they show literally;
    a warning that is a plain string (from a reader outside the engine) is shown as it is.

    Examples
    --------
    >>> from analysis.messages import note
    >>> warning_text(note("summary.single_judgement", count=3), "ko")
    '항목 3개는 판정이 하나뿐이라 일치도에 들어가지 않습니다'
    >>> warning_text("a plain warning", "ko")
    'a plain warning'
    """
    return md(render(warning, language))
