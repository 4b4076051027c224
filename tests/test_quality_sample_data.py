"""The planted annotator profiles in the bundled sample data are found, and only they.

``sample_data/annotators.csv`` documents each dataset's annotators (``profile`` names
the fatigue, biased and near-random ones; the biased one's favoured class is in a column
whose name contains "favo", or in the profile text). Skipped until the files exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.consensus import DawidSkene
from analysis.data.dataset import AnnotationDataset
from analysis.data.reliability import ReliabilityData
from analysis.data.votes import majority_vote
from analysis.quality import annotator_quality_table, bias_table, fatigue_trends

DATASETS = ("ko_news_topics", "en_support_intents")


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module", params=DATASETS, ids=DATASETS)
def sample(request, sample_dir: Path):
    name = request.param
    table = _read(sample_dir / f"{name}.csv")
    key = _read(sample_dir / f"{name}_answer_key.csv")
    people = _read(sample_dir / "annotators.csv")
    people = people[people["dataset"].str.replace(".csv", "", regex=False) == name]
    if "timestamp" in table:
        table["timestamp"] = pd.to_datetime(table["timestamp"], utc=True, errors="coerce")
    return name, table, ReliabilityData.from_table(table), key, people


def _who(people: pd.DataFrame, pattern: str) -> set[str]:
    hit = people["profile"].str.contains(pattern, case=False, regex=True, na=False)
    return set(people.loc[hit, "annotator"])


def _favoured(people: pd.DataFrame, annotator: str, labels: tuple[str, ...]) -> str:
    row = people[people["annotator"] == annotator].iloc[0]
    for column in people.columns:
        if "favo" in column.lower() and isinstance(row[column], str) and row[column] in labels:
            return row[column]
    mentioned = [label for label in labels if re.search(re.escape(label), " ".join(map(str, row.values)))]
    assert mentioned, f"annotators.csv does not name the class {annotator} favours"
    return max(mentioned, key=len)


def test_fatigue_annotator_flagged_and_no_other(sample):
    _, table, _data, _, people = sample
    expected = _who(people, "fatig")
    assert expected, "annotators.csv names no fatigue profile"
    trends = fatigue_trends(AnnotationDataset.from_table(table))
    assert set(trends.loc[trends["fatigue"], "annotator"].astype(str)) == expected


def test_biased_annotator_flagged_for_its_class_and_no_other(sample):
    _, _, data, _, people = sample
    expected = _who(people, "bias")
    assert len(expected) == 1, "annotators.csv should name exactly one biased annotator"
    biased = next(iter(expected))
    bias = bias_table(data).set_index("annotator")
    assert set(bias.index[bias["bias"]].astype(str)) == expected
    assert bias.loc[biased, "favoured_label"] == _favoured(people, biased, data.labels)


def test_near_random_annotator_ranks_last(sample):
    _, _, data, _, people = sample
    expected = _who(people, "random")
    assert len(expected) == 1, "annotators.csv should name exactly one near-random annotator"
    quality = annotator_quality_table(data, bootstrap=200)
    assert quality["annotator"].iloc[-1] == next(iter(expected))


def test_dawid_skene_at_least_as_accurate_as_majority_vote(sample):
    _, _, data, key, _ = sample
    gold = key.set_index("item_id")["gold_label"].reindex(data.items.astype(str))
    known = gold.notna().to_numpy()
    truth = np.asarray(gold.to_numpy(dtype=object)[known])
    labels = np.asarray((*data.labels, ""), dtype=object)
    ds = labels[DawidSkene().fit(data).labels_][known]
    majority = labels[majority_vote(data.counts(), ties="random", seed=0)][known]
    assert (ds == truth).mean() >= (majority == truth).mean()
