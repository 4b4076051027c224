"""Small files whose pairs grow with the square of the judgements per item: each report
finishes within 1 GB, with counts per item where the coefficient allows and a sample of
annotators (said in notes and warnings) where it needs pairs of annotators.

The shapes come from ``tests/hostile_files.py``; peak memory is measured in a child
process whose address space is capped at 4 GiB. Timings are in
``benchmarks/bench_hostile.py``, not here.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import hostile_files as hostile
import numpy as np
import pandas as pd
import pytest

from analysis.data.dataset import AnnotationDataset
from analysis.data.judgements import MultiLabelData
from analysis.data.pair_sample import pair_sample
from analysis.data.reliability import ReliabilityData
from analysis.io.load_task import load_task
from analysis.metrics import agreement_summary
from analysis.metrics.pairwise import pairwise_table
from analysis.report import build_report
from analysis.tasks.spans.sample import count_overlapping_pairs, overlapping_pairs, span_sample

CASES = {
    "crowd.csv": lambda: hostile.crowd_csv(10_000, 2),
    "label_studio.json": lambda: hostile.label_studio_crowd(40_000),
    "label_studio_spans.json": lambda: hostile.label_studio_crowd(40_000, spans=True),
    "doccano.jsonl": lambda: hostile.doccano_crowd(20_000),
    "workers.jsonl": lambda: hostile.annotator_spans_crowd(3_000),
    "workers.conll": lambda: hostile.conll_workers(2_000),
    "sentence.conll": lambda: hostile.conll_long_sentence(600_000),
}


@pytest.mark.parametrize("name", list(CASES))
def test_quadratic_shapes_report_within_1_gb(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    data = CASES[name]()
    assert len(data) < 10 * 2**20
    path.write_bytes(data)
    output = tmp_path / "report.json"
    peak_mb, code, err = hostile.command_in_subprocess(
        "report", str(path), "--bootstrap", "50", "--output", str(output))
    assert code == 0, err
    assert peak_mb < hostile.MEMORY_BUDGET_MB, peak_mb
    report = json.loads(output.read_text(encoding="utf-8"))
    sampled = [w for w in report["dataset"]["warnings"] if "random sample of" in w]
    if name in ("sentence.conll",):  # two annotators: nothing to sample, the overlaps are few
        assert not sampled
    else:
        assert sampled and "LABEL_AGREEMENT_MAX_PAIRS" in sampled[0], report["dataset"]["warnings"]


# --- single label: the annotator sample ---------------------------------------------


def _crowd(n_annotators: int, n_items: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"item_id": np.repeat([f"i{k}" for k in range(n_items)], n_annotators),
                         "annotator": np.tile([f"w{k}" for k in range(n_annotators)], n_items),
                         "label": rng.choice(["x", "y", "z"], size=n_items * n_annotators)})


def test_the_sample_is_the_largest_that_fits_and_the_same_every_time(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABEL_AGREEMENT_MAX_PAIRS", "1000")
    data = ReliabilityData.from_table(_crowd(200, 3))  # 3 x 19,900 pairs, 600 judgements
    sample = data.pair_sample
    # 10 pairs of judgements and 3 pairs of annotators a judgement: 6,000 and 1,800
    assert sample.sampled and sample.pairs == 3 * 19_900
    assert (sample.limit, sample.listed_limit) == (6_000, 1_800)
    k = sample.n_kept
    assert 3 * k * (k - 1) // 2 <= 6_000 and k * (k - 1) // 2 <= 1_800
    assert 3 * (k + 1) * k // 2 > 6_000 or (k + 1) * k // 2 > 1_800
    assert k == 60
    again = pair_sample(data.item_index, data.annotator_index, n_items=3, n_annotators=200)
    assert np.array_equal(again.keep, sample.keep)


def test_pair_measures_on_the_sample_equal_the_measures_of_the_sampled_annotators(
        monkeypatch: pytest.MonkeyPatch) -> None:
    table = _crowd(120, 12, seed=3)
    monkeypatch.setenv("LABEL_AGREEMENT_MAX_PAIRS", "2000")
    sampled = ReliabilityData.from_table(table)
    keep = sampled.pair_sample.keep
    assert sampled.pair_sample.sampled and 10 < keep.sum() < 120
    chosen = set(np.asarray(sampled.annotators)[keep])
    monkeypatch.delenv("LABEL_AGREEMENT_MAX_PAIRS")
    alone = ReliabilityData.from_table(table[table["annotator"].isin(chosen)])
    assert not alone.pair_sample.sampled
    monkeypatch.setenv("LABEL_AGREEMENT_MAX_PAIRS", "2000")
    pairs = pairwise_table(sampled)
    reference = pairwise_table(alone)
    assert [(p["annotator_a"], p["annotator_b"], p["cohen_kappa"]["value"]) for p in pairs.records()] \
        == [(p["annotator_a"], p["annotator_b"], p["cohen_kappa"]["value"]) for p in reference.records()]
    light = agreement_summary(sampled, bootstrap_resamples=0).overall["mean_pairwise_cohen_kappa"]
    same = agreement_summary(alone, bootstrap_resamples=0).overall["mean_pairwise_cohen_kappa"]
    assert light.value == pytest.approx(same.value, abs=1e-12)
    assert f"random sample of {len(chosen)} of 120 annotators" in light.note
    everyone = agreement_summary(sampled, bootstrap_resamples=0).overall["krippendorff_alpha"]
    monkeypatch.delenv("LABEL_AGREEMENT_MAX_PAIRS")
    full = agreement_summary(ReliabilityData.from_table(table), bootstrap_resamples=0)
    assert everyone.value == full.overall["krippendorff_alpha"].value  # counts: everyone, exact


def test_all_pairs_lists_the_sampled_annotators_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABEL_AGREEMENT_MAX_PAIRS", "100")
    table = _crowd(60, 2)
    table = pd.concat([table, pd.DataFrame({"item_id": ["alone"], "annotator": ["w0"], "label": ["x"]})])
    data = ReliabilityData.from_table(table)
    k = data.pair_sample.n_kept
    listed = pairwise_table(data, all_pairs=True)
    assert len(listed) == len(listed.records()) == k * (k - 1) // 2
    report = build_report(table, bootstrap=0)
    assert any("pairwise" in w and "random sample" in w for w in report.to_dict()["dataset"]["warnings"])


# --- spans: overlaps only, then a sample ---------------------------------------------


def test_overlapping_pairs_are_exactly_the_pairs_that_share_a_character() -> None:
    rng = np.random.default_rng(5)
    doc = rng.integers(0, 3, 400)
    start = rng.integers(0, 200, 400)
    end = start + rng.integers(1, 15, 400)
    left, right = overlapping_pairs(doc, start, end)
    expected = [(i, j) for i, j in itertools.permutations(range(400), 2)
                if doc[i] == doc[j] and start[i] < end[j] and start[j] < end[i]]
    assert list(zip(left.tolist(), right.tolist(), strict=True)) == expected  # sorted as a join
    assert count_overlapping_pairs(doc, start, end) == len(expected) // 2


def test_a_long_sentence_is_compared_without_sampling() -> None:
    loaded = load_task(hostile.conll_long_sentence(60_000), name="long.conll")
    assert not span_sample(loaded.data).sampled
    report = build_report(AnnotationDataset.from_task_load(loaded), bootstrap=0).to_dict()
    # 1,200 and 1,500 spans, the same on every 200th token: 300 in common
    assert report["overall"]["span_f1_strict"]["value"] == pytest.approx(2 * 300 / 2_700)


def test_span_f1_on_the_sample_equals_f1_of_the_sampled_annotators(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABEL_AGREEMENT_MAX_PAIRS", "500")
    data = load_task(hostile.annotator_spans_crowd(300), name="w.jsonl").data
    sample = span_sample(data)
    assert sample.sampled and sample.n_kept < 300
    sampled = build_report(AnnotationDataset.from_task_data(data), bootstrap=0).to_dict()
    monkeypatch.delenv("LABEL_AGREEMENT_MAX_PAIRS")
    alone = build_report(AnnotationDataset.from_task_data(sample.data), bootstrap=0).to_dict()
    assert not any("random sample" in w for w in alone["dataset"]["warnings"])
    for name in ("span_f1_strict", "span_f1_overlap"):
        assert sampled["overall"][name]["value"] == pytest.approx(alone["overall"][name]["value"])
        assert "random sample of" in sampled["overall"][name]["note"]
    assert sampled["pairwise"] == alone["pairwise"]
    assert sampled["overall"]["token_krippendorff_alpha"]["value"] != \
        alone["overall"]["token_krippendorff_alpha"]["value"]  # the token measures use everyone


# --- multi-label: counts of distinct sets ---------------------------------------------


def test_set_alpha_from_counts_matches_nltk() -> None:
    nltk_agreement = pytest.importorskip("nltk.metrics.agreement")

    def jaccard_distance(a: frozenset[str], b: frozenset[str]) -> float:
        # nltk's own divides by zero on two empty sets
        union = len(a | b)
        return 0.0 if union == 0 else 1.0 - len(a & b) / union

    rng = np.random.default_rng(9)
    records = [(str(i), f"a{a}", {x for x in "wxyz" if rng.random() < 0.4})
               for i in range(40) for a in rng.choice(6, size=3, replace=False)]
    data = MultiLabelData.from_records(records)
    report = build_report(AnnotationDataset.from_task_data(data), bootstrap=0).to_dict()
    task = nltk_agreement.AnnotationTask(
        data=[(who, item, frozenset(labels)) for item, who, labels in records], distance=jaccard_distance)
    assert report["overall"]["krippendorff_alpha_jaccard"]["value"] == pytest.approx(task.alpha(), abs=1e-12)


def test_a_crowd_of_label_sets_is_measured_from_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [(str(i), f"w{a}", ["x", "y"] if (a + i) % 3 == 0 else ["x"]) for i in range(2) for a in range(3_000)]
    data = MultiLabelData.from_records(rows)
    out = build_report(AnnotationDataset.from_task_data(data), bootstrap=0).to_dict()
    # per item: 1,000 chose {x, y}, 2,000 {x}: agreeing ordered pairs 1000*999 + 2000*1999
    exact = (1000 * 999 + 2000 * 1999) / (3000 * 2999)
    assert out["overall"]["exact_set_agreement"]["value"] == pytest.approx(exact)
    assert any(w.startswith("the pairwise list is estimated on every pair among a random sample")
               for w in out["dataset"]["warnings"])
    traded = out["ambiguity"]
    assert traded["traded_pairs"] == 0 and traded["omitted_labels"] == {"y": 2 * 1000 * 2000}
