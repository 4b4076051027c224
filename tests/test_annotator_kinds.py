"""Which annotators are models: a kind column, Label Studio predictions, Prodigy answers
and name prefixes; the load report says which and how; the human figures leave them out."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.base.errors import AnnotationDataError
from analysis.data.dataset import AnnotationDataset
from analysis.io import load_annotations, mark_models


def _csv(rows: list[tuple], header: str = "item,annotator,label") -> bytes:
    return ("\n".join([header, *(",".join(str(v) for v in row) for row in rows)]) + "\n").encode()


KIND_ROWS = [(i, who, "pos" if (i + k) % 3 else "neg", kind) for i in range(6)
             for k, (who, kind) in enumerate([("ann", "human"), ("bob", "Human"), ("gpt4", "LLM")])]


def test_a_kind_column_marks_models() -> None:
    result = load_annotations(_csv(KIND_ROWS, "item,annotator,label,annotator_type"), name="k.csv")
    report = result.report
    assert [m.to_dict() for m in report.model_annotators] == [
        {"annotator": "gpt4", "judgements": 6, "identified_by": "kind_column", "detail": "annotator_type"}]
    assert report.mapping["annotator_kind"] == "annotator_type"
    assert report.to_dict()["model_annotators"][0]["annotator"] == "gpt4"
    assert "Models:      1 of the 3 annotators is a model" in report.to_text()
    assert report.annotators == 3 and report.judgements == 18  # the file as read


def test_a_source_column_of_other_values_is_not_a_kind() -> None:
    rows = [(1, "ann", "a", "web"), (1, "bob", "a", "news"), (1, "llm:x", "b", "web")]
    result = load_annotations(_csv(rows, "item,annotator,label,source"), name="s.csv")
    assert "annotator_kind" not in result.report.mapping
    assert [m.identified_by for m in result.report.model_annotators] == ["prefix"]


def test_a_named_kind_column_must_hold_kinds() -> None:
    from analysis.io import ColumnMapping

    rows = [(1, "ann", "a", "web"), (1, "bob", "a", "human")]
    with pytest.raises(AnnotationDataError, match=r"kind column 'source' holds values that are "
                       r"neither human nor model \('web'; line 2\)"):
        load_annotations(_csv(rows, "item,annotator,label,source"), name="s.csv",
                         mapping=ColumnMapping(annotator_kind="source"))


def test_one_annotator_marked_both_ways_is_refused() -> None:
    rows = [(1, "gpt", "a", "model"), (2, "gpt", "a", "human"), (2, "ann", "a", "human")]
    with pytest.raises(AnnotationDataError, match="'gpt' is marked both human and model"):
        load_annotations(_csv(rows, "item,annotator,label,annotator_kind"), name="b.csv")


def test_the_data_outranks_the_prefix_and_the_user_outranks_the_data() -> None:
    rows = [(1, "llm:careful-person", "a", "human"), (1, "ann", "a", "human"), (1, "gpt", "b", "model")]
    result = load_annotations(_csv(rows, "item,annotator,label,annotator_kind"), name="p.csv")
    assert [m.annotator for m in result.report.model_annotators] == ["gpt"]
    named = mark_models(result, models=["ann"])
    assert {m.annotator: m.identified_by for m in named.report.model_annotators} == {
        "ann": "named", "gpt": "kind_column"}


def test_prefixes_are_configurable() -> None:
    rows = [(1, "ann", "a"), (1, "LLM:x", "a"), (1, "bot-7", "b"), (1, "model:y", "b")]
    result = load_annotations(_csv(rows), name="p.csv")
    assert [m.annotator for m in result.report.model_annotators] == ["LLM:x", "model:y"]
    assert [m.annotator for m in mark_models(result, prefixes=["bot-"]).report.model_annotators] == ["bot-7"]
    assert mark_models(result, prefixes=[]).report.model_annotators == ()
    unknown = mark_models(result, models=["nobody"], prefixes=[])
    assert unknown.report.warnings[-1] == ("annotators named as models or people are not in the "
                                           "file: ['nobody']")
    people = mark_models(result, humans=["LLM:x"])
    assert [m.annotator for m in people.report.model_annotators] == ["model:y"]


def _label_studio(predictions: list[dict]) -> bytes:
    tasks = []
    for i in range(4):
        tasks.append({"id": i + 1, "data": {"text": f"text {i}"},
                      "annotations": [{"completed_by": who, "result": [
                          {"from_name": "s", "to_name": "t", "type": "choices",
                           "value": {"choices": ["pos" if (i + k) % 2 else "neg"]}}]}
                                      for k, who in enumerate((1, 2))],
                      "predictions": predictions})
    return json.dumps(tasks).encode()


def test_label_studio_predictions_are_model_judgements() -> None:
    choice = [{"from_name": "s", "to_name": "t", "type": "choices", "value": {"choices": ["pos"]}}]
    data = _label_studio([{"model_version": "gpt-4o-2024", "result": choice},
                          {"result": choice}, {"model_version": "empty", "result": []}])
    result = load_annotations(data, name="ls.json")
    assert [(m.annotator, m.identified_by, m.judgements) for m in result.report.model_annotators] == [
        ("gpt-4o-2024", "label_studio_prediction", 4), ("prediction 2", "label_studio_prediction", 4)]
    assert result.report.mapping["annotator_kind"] == "predictions[].model_version"
    dataset = AnnotationDataset.from_load_result(result)
    assert set(dataset.table["annotator"]) == {"1", "2"}  # the humans, as before predictions were read
    assert len(dataset.model_table) == 8


def test_label_studio_without_predictions_reads_as_before() -> None:
    result = load_annotations(_label_studio([]), name="ls.json")
    assert result.report.model_annotators == () and "annotator_kind" not in result.report.mapping
    assert result.report.to_dict()["model_annotators"] == []


def test_prodigy_annotator_ids_of_models() -> None:
    lines = [json.dumps({"text": f"t{i}", "_input_hash": i, "options": [{"id": "a"}, {"id": "b"}],
                         "accept": ["a" if (i + k) % 2 else "b"], "answer": "accept",
                         "_annotator_id": f"intents-{who}", "_session_id": f"intents-{who}"})
             for i in range(5) for k, who in enumerate(["alice", "bob", "model:gpt-4o"])]
    result = load_annotations(("\n".join(lines) + "\n").encode(), name="answers.jsonl")
    assert [m.annotator for m in result.report.model_annotators] == ["model:gpt-4o"]


def test_models_stay_out_of_the_human_table_unless_asked() -> None:
    result = load_annotations(_csv(KIND_ROWS, "item,annotator,label,annotator_type"), name="k.csv")
    humans = AnnotationDataset.from_load_result(result)
    assert humans.reliability.n_annotators == 2 and humans.model_annotators == ("gpt4",)
    assert not humans.models_included and len(humans.human_table) == 12
    everyone = AnnotationDataset.from_load_result(result, include_models=True)
    assert everyone.reliability.n_annotators == 3 and len(everyone.human_table) == 12


def test_a_file_of_models_only_needs_include_models() -> None:
    result = load_annotations(_csv([(1, "llm:a", "x"), (1, "llm:b", "y")]), name="m.csv")
    with pytest.raises(AnnotationDataError, match="every annotator in the file is a model") as caught:
        AnnotationDataset.from_load_result(result)
    assert caught.value.options == ("include_models", "model_prefix", "kind_col")
    assert AnnotationDataset.from_load_result(result, include_models=True).reliability.n_annotators == 2


def test_a_table_without_models_is_unchanged(sample_dir) -> None:
    path = sample_dir / "en_support_intents.csv"
    result = load_annotations(path)
    assert result.report.model_annotators == ()
    dataset = AnnotationDataset.from_load_result(result)
    assert dataset.model_table is None and dataset.table is result.table
    pd.testing.assert_frame_equal(dataset.human_table, result.table)
