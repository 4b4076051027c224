"""The loader's fast paths give what the plain paths gave.

Long delimited text is parsed by pyarrow when it can and by the pandas C parser otherwise;
NFC normalisation skips pure-ASCII values. Each case here is checked against the plain
computation.
"""

from __future__ import annotations

import io
import unicodedata

import pandas as pd
import pytest

from analysis.io import tabular
from analysis.io.hygiene import normalise_text
from analysis.io.tabular import read_delimited

CASES = {
    "plain": "item,annotator,label\n1,a,x\n1,b,y\n",
    "quoted comma": 'item,annotator,label,text\n1,a,x,"hello, world"\n',
    "quoted line break": 'item,annotator,label,text\n1,a,x,"two\nlines"\n2,a,y,z\n',
    "escaped quote": 'item,annotator,label,text\n1,a,x,"say ""hi"""\n',
    "empty cells": "item,annotator,label\n1,,x\n,b,\n",
    "blank lines": "item,annotator,label\n\n1,a,x\n\n",
    "crlf": "item,annotator,label\r\n1,a,x\r\n",
    "na words stay text": "item,annotator,label\nNA,null,NaN\n",
    "semicolons": "item;annotator;label\n1;a;x,y\n",
}


@pytest.mark.parametrize("pyarrow_first", [True, False], ids=["pyarrow first", "short text"])
@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_delimited_text_parses_as_the_c_parser_does(text, pyarrow_first, monkeypatch):
    if pyarrow_first:  # the path of long text, for these short cases too
        monkeypatch.setattr(tabular, "PYARROW_MIN_CHARS", 0)
    delimiter = ";" if "item;" in text else ","
    expected = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                           na_values=[""], skip_blank_lines=True)
    raw = read_delimited(text, file="x.csv", delimiter=delimiter, encoding="utf-8")
    pd.testing.assert_frame_equal(raw.frame, expected)


def test_normalise_text_matches_per_value_normalisation():
    values = pd.Series(["pos", " pos ", "\u1100\u1161", "\uac00", "caf\u0065\u0301", None, "  ",
                        "\uff30\uff2f\uff33"] * 3)
    text, nfc_changed, strip_changed = normalise_text(values, strip=True)
    for i, value in enumerate(values):
        if pd.isna(value):
            assert text.iloc[i] is pd.NA and not nfc_changed[i] and not strip_changed[i]
            continue
        nfc = unicodedata.normalize("NFC", value)
        stripped = nfc.strip()
        assert (text.iloc[i] if text.iloc[i] is not pd.NA else "") == stripped
        assert nfc_changed[i] == (nfc != value)
        assert strip_changed[i] == (stripped != nfc)
