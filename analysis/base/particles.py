"""Korean particles after a word the text does not know in advance (a label, a name).

Korean writes a different particle after a syllable with a final consonant (batchim) than
after one without: ``사과를`` but ``배를``... ``contradiction와(과)`` is what a program
writes when it does not look. :func:`attach_particles` replaces every paired form
(``와(과)``, ``을(를)``, ``이(가)``, ``은(는)``, ``(으)로`` and the reversed pairs) with
the one the preceding word takes:

* a Hangul syllable: its final consonant (``ㄹ`` takes ``로``, not ``으로``);
* a digit: its Korean reading (``1`` 일, ``2`` 이, ``0`` 영 ...);
* Latin letters: an all-capital word of up to four letters is read letter by letter
  (``PER`` ends in 알, ``ORG`` in 지); another word ends in a final consonant when it ends
  in ``m``, ``n``, ``ng`` or ``l`` (``contradiction``, ``neutral``), as loanwords are
  written in Hangul; every other ending is read without one (``positive``, ``hate``).

Closing quotes, brackets, backticks and Markdown escapes between the word and the particle
are looked through, so ``'contradiction'와(과)`` becomes ``'contradiction'과``; a
parenthesis is skipped whole, as Korean attaches the particle to the word before it
(``카파(0.427)와``).
"""

from __future__ import annotations

import re
from typing import Final

# paired form -> (after a final consonant, after none)
_PAIRS: Final[dict[str, tuple[str, str]]] = {
    "와(과)": ("과", "와"), "과(와)": ("과", "와"),
    "을(를)": ("을", "를"), "를(을)": ("을", "를"),
    "이(가)": ("이", "가"), "가(이)": ("이", "가"),
    "은(는)": ("은", "는"), "는(은)": ("은", "는"),
    "(으)로": ("으로", "로"), "(이)라": ("이라", "라"),
}
_PATTERN: Final = re.compile("|".join(re.escape(form) for form in _PAIRS))
_SKIPPED: Final = set("'\"`’”]}*_\\ ")
_DIGIT_FINAL: Final = {"0": "ㅇ", "1": "ㄹ", "2": "", "3": "ㅁ", "4": "", "5": "", "6": "ㄱ",
                       "7": "ㄹ", "8": "ㄹ", "9": ""}
_LETTER_FINAL: Final = {"L": "ㄹ", "M": "ㅁ", "N": "ㄴ", "R": "ㄹ"}
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # index of ㄹ among the final consonants


def final_consonant(word: str, end: int | None = None) -> str | None:
    """The final consonant the end of ``word`` (or of ``word[:end]``) is read with: ``""``
    for none, ``"ㄹ"``, another consonant, or None when the end is not a syllable, digit or
    Latin letter.

    Examples
    --------
    >>> final_consonant("경제"), final_consonant("사회적"), final_consonant("서울")
    ('', 'ㄱ', 'ㄹ')
    >>> final_consonant("contradiction"), final_consonant("positive"), final_consonant("PER")
    ('ㄴ', '', 'ㄹ')
    >>> final_consonant("10"), final_consonant("?") is None
    ('ㅇ', True)
    """
    end = len(word) if end is None else end
    while end and (word[end - 1] in _SKIPPED or word[end - 1] == ")"):
        if word[end - 1] == ")":  # a parenthesis adds to the word before it: read that word
            opening = word.rfind("(", 0, end - 1)
            if opening < 0:
                return None
            end = opening
        else:
            end -= 1
    if not end:
        return None
    last = word[end - 1]
    code = ord(last)
    if _HANGUL_FIRST <= code <= _HANGUL_LAST:
        final = (code - _HANGUL_FIRST) % 28
        return "" if final == 0 else ("ㄹ" if final == _RIEUL else "ㅇ" if final == 21 else "ㄱ")
    if last.isdigit() and last in _DIGIT_FINAL:
        return _DIGIT_FINAL[last]
    if not last.isascii() or not last.isalpha():
        return None
    start = end
    while start and word[start - 1].isascii() and word[start - 1].isalpha():
        start -= 1
    latin = word[start:end]
    if latin.isupper() and len(latin) <= 4:
        return _LETTER_FINAL.get(latin[-1], "")
    lower = latin.casefold()
    if lower.endswith("ng"):
        return "ㅇ"
    return {"m": "ㅁ", "n": "ㄴ", "l": "ㄹ"}.get(lower[-1], "")


def attach_particles(text: str) -> str:
    """``text`` with every paired particle replaced by the one its preceding word takes.

    A pair after something that cannot be read (a symbol, nothing) is left as it is.

    Examples
    --------
    >>> attach_particles("'contradiction'와(과) 'entailment'을(를) 가르는 규칙")
    "'contradiction'과 'entailment'를 가르는 규칙"
    >>> attach_particles("규칙 3이(가) 버전 2(으)로 승인되었습니다. 서울(으)로, 부산(으)로")
    '규칙 3이 버전 2로 승인되었습니다. 서울로, 부산으로'
    """
    if "(" not in text:
        return text
    pieces: list[str] = []
    done = 0
    for match in _PATTERN.finditer(text):
        final = final_consonant(text, match.start())
        if final is None:
            continue
        with_final, without = _PAIRS[match.group()]
        if match.group() == "(으)로" and final == "ㄹ":
            chosen = without
        else:
            chosen = with_final if final else without
        pieces += [text[done:match.start()], chosen]
        done = match.end()
    return "".join(pieces) + text[done:] if pieces else text
