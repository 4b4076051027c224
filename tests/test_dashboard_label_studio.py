"""The dashboard's *Connect to Label Studio* panel and gold write-back, against the real
Label Studio server of the session (conftest.py ``label_studio``), driven by AppTest.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.labelstudio import parse_address, pull_project
from analysis.labelstudio.token import Token
from analysis.labelstudio.write_back import GOLD_MODEL_VERSION
from dashboard.i18n import en

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
BOOTSTRAP = 50

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]  # the first test installs Label Studio


@pytest.fixture(autouse=True)
def _settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    workspace = tmp_path / "workspace"
    monkeypatch.setenv("DASHBOARD_BOOTSTRAP", str(BOOTSTRAP))
    monkeypatch.setenv("DASHBOARD_SEED", "0")
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(workspace))
    monkeypatch.setenv("LABEL_AGREEMENT_CACHE", str(tmp_path / "embeddings"))
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    return workspace


def _no_problems(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def connected(url: str, token: str):
    """A dashboard session connected to ``url`` with ``token``."""
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.radio(key="dataset_choice").set_value("label_studio").run()
    at.text_input(key="ls_url").set_value(url)
    at.text_input(key="ls_token").set_value(token)
    at.button(key="ls_connect").click().run()
    return at


def pulled(at, project: int):
    at.selectbox(key="ls_project").set_value(project).run()
    at.button(key="ls_pull").click().run()
    return at


def test_connect_pick_pull_shows_the_command_line_numbers(label_studio, capsys, monkeypatch,
                                                          _settings):
    token = label_studio.annotators[0].personal_token
    at = connected(label_studio.server.url + "/projects/" + str(label_studio.choices), token)
    _no_problems(at)
    assert at.session_state["ls_token"] == ""  # cleared as soon as it was used
    assert at.selectbox(key="ls_project").value == label_studio.choices  # from the pasted URL
    assert "annotator1@example.org" in at.sidebar.caption[0].value.replace("\\", "")
    at = pulled(at, label_studio.choices)
    _no_problems(at)
    assert at.session_state["dataset"].origin == "label_studio"
    assert any(caption.value.startswith("Last pull: ") and "27 tasks" in caption.value
               for caption in at.sidebar.caption)
    assert at.button(key="ls_pull").label == en.STRINGS["ls.refresh"]

    monkeypatch.setenv("LABEL_STUDIO_API_KEY", token)
    assert main(["report", label_studio.address(label_studio.choices), "--format", "json",
                 "--bootstrap", str(BOOTSTRAP), "--seed", "0"]) == 0
    report = json.loads(capsys.readouterr().out)
    cards = {metric.label: metric.value for metric in at.metric}
    alpha = report["overall"]["krippendorff_alpha"]["value"]
    assert cards[en.STRINGS["metric.krippendorff_alpha"]] == f"{alpha:.3f}"
    for page in ("data", "annotators", "report"):
        at.switch_page(f"app_pages/{page}.py").run()
        _no_problems(at)
    # the token is nowhere but in the connection: not in a widget, not in the workspace
    shown = json.dumps([str(element.value) for element in at.main.children.values()
                        if hasattr(element, "value")])
    assert token not in shown
    for path in _settings.rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes()


def test_wrong_token_is_one_line_and_never_shown(label_studio):
    at = connected(label_studio.server.url, "f" * 40)
    assert not at.exception
    assert len(at.sidebar.error) == 1
    message = at.sidebar.error[0].value
    assert "refused the token" in message and "f" * 40 not in message
    assert at.session_state["ls_token"] == ""
    assert at.session_state["dataset"] is None


def test_project_without_annotations_says_so(label_studio):
    at = pulled(connected(label_studio.server.url, label_studio.server.admin_token),
                label_studio.unannotated)
    assert not at.exception
    assert "has 3 tasks but no annotations yet" in at.sidebar.error[0].value


def test_write_back_predictions_only_after_confirmation(label_studio):
    project = label_studio.write_labels
    address = parse_address(label_studio.address(project))
    admin = Token(label_studio.server.admin_token)
    before = pull_project(address, token=admin)
    at = pulled(connected(label_studio.server.url, label_studio.server.admin_token), project)
    at.switch_page("app_pages/report.py").run()
    _no_problems(at)
    write = at.button(key="ls_write")
    assert write.disabled  # nothing without the confirmation
    at.radio(key="ls_write_kind").set_value("predictions").run()
    at.checkbox(key="ls_write_confirm_0").check().run()
    at.button(key="ls_write").click().run()
    _no_problems(at)
    assert at.success and "Added" in at.success[0].value
    assert at.checkbox(key="ls_write_confirm_1").value is False  # a second write needs a new tick
    assert at.button(key="ls_write").disabled  # so pressing it again writes nothing

    after = pull_project(address, token=admin)
    tasks = json.loads(after.data)
    predictions = [p for task in tasks for p in task["predictions"]]
    assert predictions and {p["model_version"] for p in predictions} == {GOLD_MODEL_VERSION}
    assert after.annotations == before.annotations  # judgements unchanged
    assert len(predictions) == int(at.success[0].value.split()[1])
    exported = [p for task in json.loads(label_studio.server.export(project))
                for p in task["predictions"]]  # the export's plain download: their ids only
    assert [p["id"] for p in predictions] == exported
