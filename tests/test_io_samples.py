"""Every bundled sample export loads, and each format slice holds the same judgements as
the full long CSV it was cut from."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from analysis.data.schema import CANONICAL_COLUMNS
from analysis.io import load_annotations

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
FULL = ("ko_news_topics", "en_support_intents")
SAMPLE_FILES = sorted(
    [SAMPLE_DATA / f"{name}.csv" for name in FULL]  # committed: a missing one fails to load
    + [path for path in SAMPLE_DATA.glob("formats/*") if path.is_file()]
)
# Name fragment -> the format detection must find on its own.
EXPECTED_FORMAT = {
    "labelstudio": "label-studio", "label_studio": "label-studio", "prodigy": "prodigy",
    "mturk": "mturk", "wide": "wide", ".xlsx": "excel", ".parquet": "parquet",
    ".jsonl": "jsonl", ".csv": "csv",
}


def _expected(path: Path) -> str:
    name = path.name.casefold()
    return next(fmt for fragment, fmt in EXPECTED_FORMAT.items() if fragment in name)


@cache
def _full(name: str) -> pd.DataFrame:
    return load_annotations(SAMPLE_DATA / f"{name}.csv").table


def _labels_per_item(table: pd.DataFrame) -> dict[str, list[str]]:
    return {str(item): sorted(labels) for item, labels in
            table.groupby("item_id", sort=False)["label"].agg(list).items()}


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=[p.name for p in SAMPLE_FILES])
def test_sample_file_loads_and_matches_its_source(path: Path) -> None:
    result = load_annotations(path)
    assert result.format == _expected(path)
    assert list(result.table.columns) == list(CANONICAL_COLUMNS)
    assert result.report.judgements == len(result.table) > 0
    assert result.report.annotators >= 2
    assert not result.table.duplicated(["item_id", "annotator"]).any()
    if "cp949" in path.name:
        assert result.report.encoding == "cp949"
    if path.parent.name != "formats":
        return
    source = next(name for name in FULL if path.name.startswith(name.split("_")[0]))
    table = result.table
    if result.report.label_variants:  # the NFD slice: accept every offered merge
        merges = {k: v for variant in result.report.label_variants
                  for k, v in variant.merges().items()}
        table = load_annotations(path, label_merges=merges).table
    full = _full(source)
    expected = _labels_per_item(full.loc[full["item_id"].isin(table["item_id"])])
    assert _labels_per_item(table) == expected


def test_every_export_format_has_a_committed_sample():
    formats = [path for path in SAMPLE_FILES if path.parent.name == "formats"]
    assert {_expected(path) for path in formats} >= set(EXPECTED_FORMAT.values())
