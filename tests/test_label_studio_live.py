"""Reading live projects from a real Label Studio server (``ls://HOST/projects/ID``).

The server is the session's ``label_studio`` fixture (conftest.py): Label Studio 1.23
installed from PyPI into its own environment, on SQLite, with projects annotated by three
users through the API (tests/label_studio_projects.py). Each command's output read live
must equal its output for the same project's JSON export, downloaded through the API.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import main
from analysis.labelstudio import LabelStudioError, connect, parse_address, pull_project
from analysis.labelstudio.token import Token

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]  # the first test installs Label Studio


@pytest.fixture
def token(label_studio, monkeypatch: pytest.MonkeyPatch) -> str:
    """The first annotator's personal access token, in LABEL_STUDIO_API_KEY."""
    value = label_studio.annotators[0].personal_token
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", value)
    return value


@pytest.fixture(scope="module")
def exports(label_studio, tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Each read-only project's JSON export, as a file."""
    folder = tmp_path_factory.mktemp("exports")
    files = {}
    for project in (label_studio.choices, label_studio.spans, label_studio.multi,
                    label_studio.ratings):
        files[project] = folder / f"project-{project}.json"
        files[project].write_bytes(label_studio.server.export(project))
    return files


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``python -m analysis ARGV`` in this process: exit code, stdout, stderr."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def same_output(capsys, label_studio, exports, project: int, *argv: str) -> dict:
    """Run a command on the live project and on its export; assert the outputs are equal
    but for the source's name; return the live output (parsed JSON)."""
    address = label_studio.address(project)
    command, options = argv[0], list(argv[1:])
    code_live, live, err_live = run(capsys, command, address, *options)
    code_file, from_file, _ = run(capsys, command, str(exports[project]), *options)
    assert (code_live, code_file) == (0, 0), err_live
    assert err_live.startswith("note: pulled ")
    assert live.replace(address, "SOURCE") == from_file.replace(str(exports[project]), "SOURCE")
    return json.loads(live)


@pytest.mark.parametrize("kind, options, task", [
    ("choices", (), "single_label"),
    ("multi", (), "multi_label"),
    ("spans", ("--consensus",), "spans"),
    ("ratings", ("--level", "ordinal"), "single_label"),
    ("ratings", ("--level", "ordinal", "--question", "stars"), "single_label"),
])
def test_live_report_equals_the_export_report(capsys, label_studio, exports, token, kind,
                                              options, task):
    project = getattr(label_studio, kind)
    report = same_output(capsys, label_studio, exports, project, "report", "--format", "json",
                         "--bootstrap", "100", *options)
    assert report["dataset"]["task"] == task
    assert report["dataset"]["annotators"] == 3


def test_live_rating_question_reads_the_stars(capsys, label_studio, token):
    code, out, err = run(capsys, "report", label_studio.address(label_studio.ratings), "--question", "stars",
                         "--level", "ordinal", "--bootstrap", "0", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    load = report["dataset"]["load"]
    assert load["question"] == "stars"
    assert [q["type"] for q in load["questions"]] == ["choices", "rating"]
    assert set(report["dataset"]["label_order"]) <= {"1", "2", "3", "4", "5"}
    third = label_studio.annotators[2].id
    lenient = {name: entry["leniency"]["value"] for name, entry in report["per_annotator"].items()}
    assert max(lenient, key=lenient.get) == str(third)  # one star more generous than the others
    assert lenient[str(third)] > 0.5 > max(v for k, v in lenient.items() if k != str(third))


def test_live_report_holds_the_posted_judgements(capsys, label_studio, token):
    code, out, _ = run(capsys, "validate", label_studio.address(label_studio.choices),
                       "--format", "json")
    report = json.loads(out)
    # 27 tasks x 3 annotators, less 3 tasks the third left out; one annotation cancelled
    assert (code, report["judgements"], report["items"]) == (0, 27 * 3 - 3 - 1, 27)
    assert report["dropped"]["cancelled"] == 1
    assert report["annotators"] == 3
    assert report["file"] == label_studio.address(label_studio.choices)


def test_url_and_project_flags_read_the_same_project(capsys, label_studio, exports, token,
                                                     monkeypatch):
    _, by_address, _ = run(capsys, "validate", label_studio.address(label_studio.spans),
                           "--format", "json")
    _, by_flags, _ = run(capsys, "validate", "--label-studio-url", label_studio.server.url,
                           "--project", str(label_studio.spans), "--format", "json")
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.server.url + "/")
    _, by_env, _ = run(capsys, "validate", "--project", str(label_studio.spans), "--format", "json")
    assert json.loads(by_address) == json.loads(by_flags) == json.loads(by_env)
    assert json.loads(by_flags)["task"] == "spans"


@pytest.mark.parametrize("command", ["clusters", "label-issues"])
def test_live_clusters_and_label_issues_equal_the_export(capsys, label_studio, exports, token,
                                                         command):
    result = same_output(capsys, label_studio, exports, label_studio.choices, command,
                         "--backend", "char-ngram", "--format", "json")
    assert result["model"] and "warnings" in result


def test_live_gold_export_equals_the_export_gold(capsys, label_studio, exports, token, tmp_path):
    address = label_studio.address(label_studio.choices)
    live, from_file = tmp_path / "live.csv", tmp_path / "file.csv"
    assert run(capsys, "gold", "export", address, "--output", str(live))[0] == 0
    assert run(capsys, "gold", "export", str(exports[label_studio.choices]),
               "--output", str(from_file))[0] == 0
    gold = pd.read_csv(live)
    assert gold.equals(pd.read_csv(from_file))
    assert len(gold) > 20 and set(gold["source"]) == {"consensus"}


def test_legacy_and_personal_tokens_read_the_same_data(label_studio):
    address = parse_address(label_studio.address(label_studio.choices))
    user = label_studio.annotators[1]
    personal = pull_project(address, token=Token(user.personal_token))
    legacy = pull_project(address, token=Token(user.legacy_token))
    assert Token(user.personal_token).is_personal and not Token(user.legacy_token).is_personal
    assert personal.data == legacy.data
    assert (personal.tasks, personal.annotations) == (27, 27 * 3 - 3)


def test_an_expired_access_token_is_refreshed_and_the_request_retried(label_studio):
    address = parse_address(label_studio.address(label_studio.multi))
    client = connect(address, Token(label_studio.annotators[2].personal_token))
    first = client.request("GET", f"/api/projects/{address.project}")
    stale = client._access
    client._access = stale[:-4] + "AAAA"  # what the server says of a lapsed access token: 401
    again = client.request("GET", f"/api/projects/{address.project}")
    assert again["title"] == first["title"] == "Ticket tags"
    assert client._access not in (None, stale[:-4] + "AAAA")


def test_progress_is_reported_page_by_page(label_studio):
    address = parse_address(label_studio.address(label_studio.choices))
    seen: list[tuple[int, int]] = []
    pulled = pull_project(address, token=Token(label_studio.server.admin_token),
                          page_size=10, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(10, 27), (20, 27), (27, 27)]
    assert pulled.tasks == 27
    assert len(json.loads(pulled.data)) == 27


def test_pulled_tasks_keep_the_export_fields(label_studio, exports):
    address = parse_address(label_studio.address(label_studio.spans))
    pulled = json.loads(pull_project(address, token=Token(label_studio.server.admin_token)).data)
    exported = json.loads(exports[label_studio.spans].read_bytes())
    assert [task["id"] for task in pulled] == [task["id"] for task in exported]
    for live, export in zip(pulled, exported, strict=True):
        assert set(live) <= set(export)
        assert live["data"] == export["data"]
        for mine, theirs in zip(live["annotations"], export["annotations"], strict=True):
            assert set(mine) <= set(theirs)
            assert {key: mine[key] for key in ("result", "completed_by", "was_cancelled")} == \
                {key: theirs[key] for key in ("result", "completed_by", "was_cancelled")}


def test_gold_spans_written_as_annotations_read_back_as_the_gold(label_studio):
    from analysis.io.load_task import load_task
    from analysis.labelstudio import push_gold, span_results
    from analysis.labelstudio.write_back import choose_control
    from analysis.tasks.spans.gold import span_gold

    address = parse_address(label_studio.address(label_studio.write_spans))
    admin = Token(label_studio.server.admin_token)
    before = pull_project(address, token=admin)
    data = load_task(before.data, name=before.name).data
    gold = span_gold(data, {})
    control = choose_control(before.project, "Labels", file=before.name)
    written = push_gold(connect(address, admin), before, span_results(gold, data.texts, control),
                        kind="annotations")
    assert (written.written, written.missing, written.control) == (8, (), "label")
    after = pull_project(address, token=admin)
    assert after.annotations == before.annotations + 8
    for task in json.loads(after.data):
        truth = [a for a in task["annotations"] if a["ground_truth"]]
        assert len(truth) == 1
        spans = sorted((r["value"]["start"], r["value"]["end"], r["value"]["labels"][0])
                       for r in truth[0]["result"])
        assert spans == sorted(gold[task["data"]["item_id"]][1])
    # written in the token user's name: the next read counts a fourth annotator
    assert load_task(after.data, name=after.name).report["annotators"] == 4


def test_writing_to_a_project_without_such_a_control_is_refused(label_studio):
    from analysis.labelstudio.write_back import choose_control

    pulled = pull_project(parse_address(label_studio.address(label_studio.choices)),
                          token=Token(label_studio.server.admin_token))
    with pytest.raises(LabelStudioError, match="label config has no Labels control"):
        choose_control(pulled.project, "Labels", file=pulled.name)
