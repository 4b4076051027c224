"""Task detection and the multi-label and span readers (data written by the tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.base.errors import AnnotationDataError
from analysis.io import load_annotations
from analysis.io.load_task import load_task


def ls_task(task_id: object, text: str | None, annotations: list[tuple[object, list[dict]]]) -> dict:
    data = {"text": text} if text is not None else {"note": 1}
    return {"id": task_id, "data": data,
            "annotations": [{"completed_by": who, "result": result} for who, result in annotations]}


def ner(start: int, end: int, label: str, *, name: str = "ner", text: bool = False) -> dict:
    value: dict = {"start": start, "end": end, "labels": [label]}
    if text:
        value["text"] = "x"
    return {"from_name": name, "to_name": "text", "type": "labels", "value": value}


def choices(*values: str, name: str = "sentiment") -> dict:
    return {"from_name": name, "to_name": "text", "type": "choices",
            "value": {"choices": list(values)}}


def write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False),
                    encoding="utf-8")
    return path


NER_EXPORT = [
    ls_task(1, "Kim Lee visited Seoul.", [
        (1, [ner(16, 21, "LOC"), ner(0, 7, "PER", text=True), ner(0, 3, "PER")]),  # nested
        (2, [ner(0, 3, "PER")])]),
    ls_task(2, "환자 120명을 모집했다.", [(1, [ner(0, 7, "PAR")]), (2, [])]),
]


def test_label_studio_ner_export_loads_as_spans(tmp_path: Path) -> None:
    loaded = load_task(write(tmp_path, "ner.json", NER_EXPORT))
    assert loaded.task == "spans"
    spans = loaded.data.spans
    assert sorted(map(tuple, spans[["item_id", "annotator", "start", "end", "label"]]
                      .values.tolist())) == [
        ("1", "1", 0, 3, "PER"), ("1", "1", 0, 7, "PER"), ("1", "1", 16, 21, "LOC"),
        ("1", "2", 0, 3, "PER"), ("2", "1", 0, 7, "PAR")]
    # annotator 2 judged document 2 and marked nothing: still a judgement
    assert len(loaded.data.judgements) == 4
    assert loaded.report["questions"][0]["name"] == "ner"


def test_ner_export_through_single_label_loader_names_the_right_fix(tmp_path: Path) -> None:
    with pytest.raises(AnnotationDataError, match="'task' option to spans"):
        load_annotations(write(tmp_path, "ner.json", NER_EXPORT))


def test_span_outside_text_is_one_clear_error(tmp_path: Path) -> None:
    export = [ls_task(7, "짧은 글", [(1, [ner(0, 2, "X"), ner(2, 9, "X")])])]
    with pytest.raises(AnnotationDataError) as error:
        load_task(write(tmp_path, "bad.json", export))
    message = str(error.value)
    assert "task '7', span 2-9 'X' by '1'" in message
    assert "ends after the text (4 characters)" in message
    assert "\n" not in message


def test_spans_without_text_are_matched_by_offsets(tmp_path: Path) -> None:
    export = [ls_task(1, None, [(1, [ner(5, 9, "A"), ner(0, 3, "A")]), (2, [ner(0, 3, "A")])])]
    loaded = load_task(write(tmp_path, "notext.json", export), task="spans")
    assert loaded.task == "spans" and loaded.data.texts == {}
    assert len(loaded.data.spans) == 3


def test_multi_choice_is_multi_label_not_joined(tmp_path: Path) -> None:
    export = [ls_task(1, "t", [(1, [choices("Positive", "Sarcasm")]), (2, [choices("Positive")])]),
              ls_task(2, "u", [(1, [choices("Negative")]), (2, [choices("Negative")])])]
    loaded = load_task(write(tmp_path, "multi.json", export))
    assert loaded.task == "multi_label"
    assert loaded.data.labels == ("Negative", "Positive", "Sarcasm")
    assert [sorted(s) for s in loaded.data.label_sets()] == [
        ["Positive", "Sarcasm"], ["Positive"], ["Negative"], ["Negative"]]


def test_single_choice_label_studio_stays_single_label(tmp_path: Path) -> None:
    export = [ls_task(1, "t", [(1, [choices("Positive")]), (2, [choices("Negative")])])]
    loaded = load_task(write(tmp_path, "single.json", export))
    assert loaded.task == "single_label"
    assert loaded.single.table["label"].tolist() == ["Positive", "Negative"]


def test_questions_are_listed_and_chosen(tmp_path: Path) -> None:
    export = [ls_task(1, "Kim ran", [(1, [ner(0, 3, "PER"), choices("A", "B")]),
                                     (2, [ner(0, 3, "PER"), choices("A")])])]
    path = write(tmp_path, "two.json", export)
    first = load_task(path)
    assert first.task == "spans" and first.report["question"] == "ner"
    assert [q["name"] for q in first.report["questions"]] == ["ner", "sentiment"]
    assert "the 'question' option picks another" in first.report["warnings"][0]
    second = load_task(path, question="sentiment")
    assert second.task == "multi_label" and second.data.labels == ("A", "B")
    with pytest.raises(AnnotationDataError, match="no question 'topic'"):
        load_task(path, question="topic")
    with pytest.raises(AnnotationDataError, match="holds spans annotations"):
        load_task(path, task="multi_label", question="ner")


def test_prodigy_spans_and_accept_lists(tmp_path: Path) -> None:
    spans = [{"text": "Kim ran", "_input_hash": 1, "_annotator_id": "a", "answer": "accept",
              "spans": [{"start": 0, "end": 3, "label": "PER"}]},
             {"text": "Kim ran", "_input_hash": 1, "_annotator_id": "b", "answer": "accept",
              "spans": []},
             {"text": "Kim ran", "_input_hash": 1, "_annotator_id": "c", "answer": "ignore"}]
    loaded = load_task(write(tmp_path, "p.jsonl", "\n".join(json.dumps(r) for r in spans)))
    assert loaded.task == "spans"
    assert loaded.data.spans[["annotator", "start", "end"]].values.tolist() == [["a", 0, 3]]
    assert len(loaded.data.judgements) == 2 and loaded.report["dropped"] == {"ignored": 1}
    accept = [{"text": "t", "_input_hash": 5, "_annotator_id": "a", "answer": "accept",
               "options": [{"id": "X"}, {"id": "Y"}], "accept": ["X", "Y"]},
              {"text": "t", "_input_hash": 5, "_annotator_id": "b", "answer": "accept",
               "options": [{"id": "X"}, {"id": "Y"}], "accept": ["Y"]}]
    loaded = load_task(write(tmp_path, "c.jsonl", "\n".join(json.dumps(r) for r in accept)))
    assert loaded.task == "multi_label"
    assert [sorted(s) for s in loaded.data.label_sets()] == [["X", "Y"], ["Y"]]


def test_doccano_jsonl(tmp_path: Path) -> None:
    lines = [{"id": 1, "text": "서울에 간 김철수", "label": [[0, 2, "LOC"], [6, 9, "PER"]], "annotator": "kim"},
             {"id": 1, "text": "서울에 간 김철수", "label": [[6, 9, "PER"]], "annotator": "lee"}]
    loaded = load_task(write(tmp_path, "d.jsonl", "\n".join(json.dumps(r, ensure_ascii=False)
                                                            for r in lines)))
    assert loaded.task == "spans" and loaded.report["format"] == "doccano"
    assert loaded.data.spans[["annotator", "start", "end", "label"]].values.tolist() == [
        ["kim", 0, 2, "LOC"], ["kim", 6, 9, "PER"], ["lee", 6, 9, "PER"]]


def test_brat_folder_with_discontinuous_span(tmp_path: Path) -> None:
    for who, ann in (("ann1", "T1\tPER 0 3\tKim\n"), ("ann2", "T1\tPER 0 3;8 11\tKim far\nR1\tx Arg1:T1 Arg2:T1\n")):
        (tmp_path / "corpus" / who).mkdir(parents=True)
        (tmp_path / "corpus" / who / "doc1.txt").write_text("Kim ran far", encoding="utf-8")
        (tmp_path / "corpus" / who / "doc1.ann").write_text(ann, encoding="utf-8")
    loaded = load_task(tmp_path / "corpus")
    assert loaded.task == "spans" and loaded.report["format"] == "brat"
    assert loaded.data.spans[["annotator", "start", "end"]].values.tolist() == [
        ["ann1", 0, 3], ["ann2", 0, 3], ["ann2", 8, 11]]
    assert "discontinuous" in loaded.report["warnings"][0]


def test_conll_with_one_tag_column_per_annotator(tmp_path: Path) -> None:
    text = ("token\tann1\tann2\n"
            "Patients\tB-P\tO\nwith\tI-P\tO\nasthma\tI-P\tB-P\n.\tO\tO\n\n"
            "Kim\tB-PER\tS-PER\nran\tO\tO\n")
    loaded = load_task(write(tmp_path, "x.conll", text))
    assert loaded.data.texts == {"1": "Patients with asthma .", "2": "Kim ran"}
    assert loaded.data.spans[["item_id", "annotator", "start", "end", "label"]].values.tolist() == [
        ["1", "ann1", 0, 20, "P"], ["1", "ann2", 14, 20, "P"],
        ["2", "ann1", 0, 3, "PER"], ["2", "ann2", 0, 3, "PER"]]
    with pytest.raises(AnnotationDataError, match="line 2"):
        load_task(write(tmp_path, "bad.conll", "Kim B-PER\nran XX\n"))


def test_multi_label_tables(tmp_path: Path) -> None:
    rows = ("item,annotator,label\n1,a,x\n1,a,y\n1,b,x\n2,a,y\n2,b,y\n2,b,x\n3,a,x\n3,a,z\n"
            "3,b,z\n")
    loaded = load_task(write(tmp_path, "rows.csv", rows))
    assert loaded.task == "multi_label"
    assert "one row per chosen label" in loaded.report["warnings"][0]
    assert [sorted(s) for s in loaded.data.label_sets()] == [["x", "y"], ["x"], ["y"], ["x", "y"],
                                                            ["x", "z"], ["z"]]
    sep = "item,annotator,labels\n1,a,x; y\n1,b,x\n"
    loaded = load_task(write(tmp_path, "sep.csv", sep), label_sep=";")
    assert [sorted(s) for s in loaded.data.label_sets()] == [["x", "y"], ["x"]]
    wide = "item,ann1,ann2\n1,x|y,x\n2,y,\n"
    loaded = load_task(write(tmp_path, "wide.csv", wide), label_sep="|")
    assert loaded.report["format"] == "wide"
    assert loaded.data.to_table().values.tolist() == [["1", "ann1", "x|y"], ["1", "ann2", "x"],
                                                      ["2", "ann1", "y"]]


def test_single_label_tables_still_go_through_the_single_label_loader(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "item,annotator,label\n1,a,x\n1,b,y\n")
    loaded = load_task(path)
    assert loaded.task == "single_label"
    assert loaded.single.table.equals(load_annotations(path).table)


def test_task_override_conflict_is_one_clear_error(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "item,annotator,label\n1,a,x\n1,b,y\n")
    with pytest.raises(AnnotationDataError, match="spans are read from"):
        load_task(path, task="spans")
    with pytest.raises(AnnotationDataError, match="unknown"):
        load_task(path, task="ner")


def test_a_plural_label_column_with_joined_labels_is_read_as_multi_label_with_a_warning():
    from analysis.io.load_task import load_task

    csv = (b"item,annotator,tags\n1,a,x|y\n1,b,x\n2,a,y\n2,b,y|z\n")
    detected = load_task(csv, name="tags.csv")
    explicit = load_task(csv, name="tags.csv", label_sep="|")
    assert detected.task == explicit.task == "multi_label"
    assert detected.data.labels == explicit.data.labels == ("x", "y", "z")
    assert detected.data.present.tolist() == explicit.data.present.tolist()
    assert any("joined by '|'" in w for w in detected.report["warnings"])
    # one label per cell under a plural name is not guessed at: the message names the option
    with pytest.raises(AnnotationDataError, match=r"no column for label.*'label_col' option"):
        load_task(b"item,annotator,tags\n1,a,x\n1,b,y\n", name="one.csv")


def test_prodigy_answers_keep_their_item_and_annotator_and_count_what_is_left_out() -> None:
    from analysis.io.prodigy import kept_answers

    records = [{"meta": {"item_id": "doc-1"}, "_input_hash": 9, "_session_id": "s1"},
               {"_input_hash": 7, "_annotator_id": "a", "answer": "reject"},
               {"text": "no id", "answer": "ignore"},
               {"text": "no id"},
               "not an object",
               {"text": "t", "answer": " Reject"}, {"text": "t", "answer": "maybe"},
               {"text": "t", "answer": None}]
    answers, dropped, warnings = kept_answers(records, [1, 2, 3, 4, 5, 6, 7, 8])
    assert [(position, item, who) for _, position, item, who in answers] == [
        (1, "doc-1", "s1"), (4, "record 4", "annotator")]
    assert dropped == {"rejected": 2, "ignored": 1, "unknown_answer": 2}
    assert warnings == ["answers written ' Reject' were read as 'reject'",
                        "2 answer(s) are neither accept, reject nor ignore ('maybe' (1), None (1)): "
                        "dropped as unknown_answer, not read as accepts"]


def test_conll_question_mark_is_a_sentence_the_worker_did_not_see(tmp_path: Path) -> None:
    """Crowd CoNLL corpora (one column per worker) write '?' on every token of the sentences
    a worker was not given: no judgement there, not a tag error."""
    text = ("EU B-ORG ? B-ORG\nrejects O ? O\nGerman B-MISC ? B-MISC\n\n"
            "Peter B-PER B-PER ?\nBlackburn I-PER I-PER ?\n")
    loaded = load_task(write(tmp_path, "answers.conll", text))
    judged = sorted(map(tuple, loaded.data.judgements.values.tolist()))
    assert judged == [("1", "annotator_1"), ("1", "annotator_3"), ("2", "annotator_1"),
                      ("2", "annotator_2")]
    assert loaded.data.spans.values.tolist() == [
        ["1", "annotator_1", 0, 2, "ORG"], ["1", "annotator_1", 11, 17, "MISC"],
        ["1", "annotator_3", 0, 2, "ORG"], ["1", "annotator_3", 11, 17, "MISC"],
        ["2", "annotator_1", 0, 15, "PER"], ["2", "annotator_2", 0, 15, "PER"]]
    with pytest.raises(AnnotationDataError) as error:
        load_task(write(tmp_path, "mixed.conll", "EU B-ORG ?\nrejects O O\n"))
    assert "line 1" in str(error.value) and "annotator 'annotator_2' tagged some tokens" in str(error.value)


def test_conll_with_only_a_header_line_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(AnnotationDataError) as error:
        load_task(write(tmp_path, "one.conll", "token ann1 ann2\n"))
    assert "no token line follows line 1, read as a header because 'ann1' is no BIO tag" in str(error.value)


def test_a_first_token_line_with_an_odd_tag_is_no_header(tmp_path: Path) -> None:
    # tags among the cells: a token line (its odd tag named), never a header that would
    # lose the token and name annotators after tags
    with pytest.raises(AnnotationDataError, match=r"line 1: 'X-1' is not a BIO tag"):
        load_task(write(tmp_path, "one.conll", "EU B-ORG X-1 B-ORG\nrejects O O O\n"))
    loaded = load_task(write(tmp_path, "doc.conll", "-DOCSTART- O O\n\nEU B-ORG B-ORG\n"))
    assert loaded.data.annotators == ("annotator_1", "annotator_2")
    assert loaded.data.texts == {"1": "EU"}


def test_doccano_classification_label_lists(tmp_path: Path) -> None:
    """doccano's text-classification export gives each judgement's labels as a JSON list:
    sets when any list holds several, else the one label (an empty list is an empty label)."""
    def record(item: int, who: str, labels: list[str]) -> str:
        return json.dumps({"id": item, "text": f"text {item}", "label": labels, "user": who})

    several = "\n".join([record(1, "kim", ["positive"]), record(1, "lee", ["positive"]),
                         record(2, "kim", ["negative"]), record(2, "lee", ["positive", "negative"])])
    loaded = load_task(write(tmp_path, "sets.jsonl", several))
    assert loaded.task == "multi_label" and loaded.data.labels == ("negative", "positive")
    assert [sorted(s) for s in loaded.data.label_sets()] == [
        ["positive"], ["positive"], ["negative"], ["negative", "positive"]]
    assert loaded.data.texts["2"] == "text 2"

    single = "\n".join([record(1, "kim", ["positive"]), record(1, "lee", ["positive"]),
                        record(2, "kim", []), record(2, "lee", ["negative"])])
    loaded = load_task(write(tmp_path, "single.jsonl", single))
    assert loaded.task == "single_label"
    table = loaded.single.table
    assert sorted(table["label"]) == ["negative", "positive", "positive"]  # not '["positive"]'
    assert loaded.single.report.dropped["empty_label"] == 1


def test_label_studio_json_min_choices_and_a_forced_single_label(tmp_path: Path) -> None:
    """Label Studio's JSON-MIN export writes one choice as a string and several as
    {"choices": [...]}, in a field named after the question."""
    export = [{"id": 1, "text": "t", "topic": {"choices": ["billing", "refund"]}, "annotator": "a"},
              {"id": 1, "text": "t", "topic": "billing", "annotator": "b"}]
    path = write(tmp_path, "min.json", export)
    loaded = load_task(path)
    assert loaded.task == "multi_label" and loaded.report["format"] == "json-label-lists"
    assert [sorted(s) for s in loaded.data.label_sets()] == [["billing", "refund"], ["billing"]]
    with pytest.raises(AnnotationDataError) as error:
        load_task(path, task="single_label")
    assert "record 1" in str(error.value) and "several labels in 'topic' (billing, refund)" in str(error.value)
    loaded = load_annotations(write(tmp_path, "one.json", export[1:]))  # the single-label loader too
    assert loaded.table["label"].tolist() == ["billing"]
