"""The report's JSON text: same keys and values as ``json.dumps``, only white space differs."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.report import build_report
from analysis.report.json_text import ROW_LIST, report_json


def test_report_json_reads_back_as_json_dumps_of_a_real_report():
    rows = [(f"i{i}", f"a{(i + j) % 7}", "xyz"[(i * j) % 3]) for i in range(80) for j in range(3)]
    report = build_report(pd.DataFrame(rows, columns=["item_id", "annotator", "label"]),
                          bootstrap=20, consensus=True).to_dict()
    text = report_json(report)
    assert json.loads(text) == json.loads(json.dumps(report, allow_nan=False))
    assert text.endswith("}\n") and text.startswith('{\n  "report_version": 1,')
    # a long list is written one compact entry per line
    consensus = report["consensus"]
    assert len(consensus) > ROW_LIST
    assert "\n    " + json.dumps(consensus[0], ensure_ascii=False) + ",\n" in text


@pytest.mark.parametrize("value", [
    {"k": [1, 2.5, None, True, "é"], "nested": {"a": {}, "b": [], "c": [{"x": [1]}]}},
    {1: "int key", None: "null key", 2.5: "float key", False: "bool key"},
    [list(range(ROW_LIST + 1)), {"deep": {"deeper": {"v": -0.0}}}],
    "plain",
], ids=["mixed", "keys", "long-list", "scalar"])
def test_report_json_has_the_keys_and_values_of_json_dumps(value):
    assert json.loads(report_json(value)) == json.loads(json.dumps(value))


def test_report_json_refuses_nan_like_strict_json():
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        report_json({"value": float("nan")})
