"""Noisy variants of clean texts: how the same headline or message looks when typed in a hurry.

Korean: spacing errors, dropped final consonants and vowel mix-ups (worked out on the Hangul
syllable code points, so every result is a real syllable), community-board prefixes and
suffixes ("[속보]", "ㄷㄷ"), ellipses typed as dots. English: lowercase, dropped punctuation,
txt-speak, adjacent-letter typos, greetings and sign-offs.

Every function draws from the ``numpy.random.Generator`` it is given, so a fixed seed gives
the same variants on every machine.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

HANGUL_FIRST = 0xAC00
HANGUL_LAST = 0xD7A3
N_FINALS = 28
N_VOWELS = 21
# final-consonant index swaps that people make when typing fast: ㅆ->ㅅ, ㄶ->ㄴ, ㄺ->ㄱ, ㅄ->ㅂ
FINAL_SLIPS = {20: 19, 6: 4, 9: 1, 18: 17}
# vowel index swaps that sound alike: ㅐ<->ㅔ, ㅒ<->ㅖ, ㅙ<->ㅞ
VOWEL_SLIPS = {1: 5, 5: 1, 3: 7, 7: 3, 10: 15, 15: 10}

KO_PREFIXES = ("[속보] ", "[단독] ", "(종합) ", "펌) ", "[이슈] ")
KO_SUFFIXES = (" ㄷㄷ", " ㅋㅋ", " ㄹㅇ?", " 실화냐", "..", " 헐", " ㅠㅠ", "...jpg")

EN_TXT = {
    "you": "u",
    "your": "ur",
    "please": "pls",
    "thanks": "thx",
    "because": "bc",
    "are": "r",
    "i'm": "im",
    "don't": "dont",
    "can't": "cant",
    "didn't": "didnt",
    "it's": "its",
    "with": "w/",
    "tomorrow": "tmrw",
    "message": "msg",
    "before": "b4",
    "to": "2",
    "really": "rly",
    "what": "wat",
}
EN_GREETINGS = ("hi, ", "hello ", "hey, ", "hi there, ", "urgent: ")
EN_SIGNOFFS = (" thanks", " asap", " thx", " ??", "!!!", " please help", " ty")
KEYBOARD_NEIGHBOURS = {
    "a": "sq", "s": "ad", "d": "sf", "e": "wr", "r": "et", "t": "ry", "o": "ip", "i": "uo",
    "n": "bm", "m": "n", "l": "k", "c": "xv", "h": "gj", "u": "yi", "y": "tu", "p": "o",
}  # fmt: skip


def _split_syllable(char: str) -> tuple[int, int, int] | None:
    code = ord(char)
    if not HANGUL_FIRST <= code <= HANGUL_LAST:
        return None
    offset = code - HANGUL_FIRST
    return offset // (N_VOWELS * N_FINALS), (offset // N_FINALS) % N_VOWELS, offset % N_FINALS


def _join_syllable(initial: int, vowel: int, final: int) -> str:
    return chr(HANGUL_FIRST + (initial * N_VOWELS + vowel) * N_FINALS + final)


def _hangul_slip(text: str, rng: np.random.Generator) -> str:
    """Change one syllable's final consonant or vowel to a common mistyping."""
    spots = []
    for position, char in enumerate(text):
        parts = _split_syllable(char)
        if parts and (parts[2] in FINAL_SLIPS or parts[1] in VOWEL_SLIPS):
            spots.append(position)
    if not spots:
        return text
    position = spots[int(rng.integers(len(spots)))]
    initial, vowel, final = _split_syllable(text[position])  # type: ignore[misc]
    if final in FINAL_SLIPS and (vowel not in VOWEL_SLIPS or rng.random() < 0.6):
        final = FINAL_SLIPS[final]
    else:
        vowel = VOWEL_SLIPS[vowel]
    return text[:position] + _join_syllable(initial, vowel, final) + text[position + 1 :]


def _ko_spacing(text: str, rng: np.random.Generator) -> str:
    """Drop one or two word spaces (the most common Korean typing slip)."""
    for _ in range(int(rng.integers(1, 3))):
        spaces = [m.start() for m in re.finditer(" ", text)]
        if not spaces:
            break
        cut = spaces[int(rng.integers(len(spaces)))]
        text = text[:cut] + text[cut + 1 :]
    return text


def _ko_punctuation(text: str, rng: np.random.Generator) -> str:
    """Type the ellipsis and middle dot the way a phone keyboard does."""
    dots = (".. ", ", ", " ")[int(rng.integers(3))]
    return text.replace("…", dots).replace("·", ",").replace("'", "").strip()


def _ko_affix(text: str, rng: np.random.Generator) -> str:
    if rng.random() < 0.45:
        return KO_PREFIXES[int(rng.integers(len(KO_PREFIXES)))] + text
    return text + KO_SUFFIXES[int(rng.integers(len(KO_SUFFIXES)))]


def noisy_korean(text: str, rng: np.random.Generator) -> str:
    """A hastily typed version of a Korean headline (two or three slips).

    Examples
    --------
    >>> variant = noisy_korean("정부, 예산안 국회에 제출했다", np.random.default_rng(3))
    >>> variant != "정부, 예산안 국회에 제출했다"
    True
    """
    steps: list[Callable[[str, np.random.Generator], str]] = [
        _ko_spacing, _hangul_slip, _ko_punctuation, _ko_affix, _hangul_slip,
    ]  # fmt: skip
    order = rng.permutation(len(steps))[: int(rng.integers(2, 4))]
    for index in sorted(order):
        text = steps[index](text, rng)
    return re.sub(r"\s+", " ", text).strip()


def _en_txt_speak(text: str, rng: np.random.Generator) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        short = EN_TXT.get(word.lower())
        return short if short is not None and rng.random() < 0.8 else word

    return re.sub(r"[A-Za-z']+", swap, text)


def _en_typo(text: str, rng: np.random.Generator) -> str:
    """One typo in a word of four or more letters: swap, drop, double or hit a neighbour key."""
    words = [m for m in re.finditer(r"[A-Za-z]{4,}", text)]
    if not words:
        return text
    word = words[int(rng.integers(len(words)))]
    start, end = word.span()
    letters = list(text[start:end])
    spot = int(rng.integers(1, len(letters) - 1))
    kind = int(rng.integers(4))
    if kind == 0:
        letters[spot], letters[spot + 1] = letters[spot + 1], letters[spot]
    elif kind == 1:
        del letters[spot]
    elif kind == 2:
        letters.insert(spot, letters[spot])
    else:
        near = KEYBOARD_NEIGHBOURS.get(letters[spot].lower(), "e")
        letters[spot] = near[int(rng.integers(len(near)))]
    return text[:start] + "".join(letters) + text[end:]


def _en_casual(text: str, rng: np.random.Generator) -> str:
    """Lowercase everything and drop the final full stop."""
    return text.lower().rstrip(".")


def _en_affix(text: str, rng: np.random.Generator) -> str:
    if rng.random() < 0.5:
        greeting = EN_GREETINGS[int(rng.integers(len(EN_GREETINGS)))]
        return greeting + text[0].lower() + text[1:]
    return text.rstrip(".") + EN_SIGNOFFS[int(rng.integers(len(EN_SIGNOFFS)))]


def noisy_english(text: str, rng: np.random.Generator) -> str:
    """A hastily typed version of a support message (two or three slips).

    Examples
    --------
    >>> noisy_english("Please cancel my plan.", np.random.default_rng(0)) != "Please cancel my plan."
    True
    """
    steps: list[Callable[[str, np.random.Generator], str]] = [
        _en_casual, _en_txt_speak, _en_typo, _en_affix, _en_typo,
    ]  # fmt: skip
    order = rng.permutation(len(steps))[: int(rng.integers(2, 4))]
    for index in sorted(order):
        text = steps[index](text, rng)
    return re.sub(r"\s+", " ", text).strip()
