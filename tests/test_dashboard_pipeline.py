"""The dashboard reads an open file once, whatever the task and however many pages draw it:
one ``load_task`` per file and options, one decoding of its text."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import analysis.io.decode
import analysis.io.load_task

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")
PAGES = ("overview", "data", "classes", "tasks", "report")

AppTest = pytest.importorskip("streamlit.testing.v1").AppTest


@pytest.fixture()
def calls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[dict[str, int]]:
    """Counts of ``load_task`` and ``decode_text`` calls, with the dashboard's caches empty."""
    import streamlit as st

    monkeypatch.setenv("DASHBOARD_BOOTSTRAP", "20")
    monkeypatch.setenv("LABEL_AGREEMENT_WORKSPACE", str(tmp_path / "workspace"))
    counts = {"load_task": 0, "decode_text": 0}

    def counted(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(analysis.io.load_task, "load_task", counted("load_task", analysis.io.load_task.load_task))
    decode_text = analysis.io.decode.decode_text
    wrapped = counted("decode_text", decode_text)
    for module in list(sys.modules.values()):  # every module that imported it by name
        if getattr(module, "decode_text", None) is decode_text:
            monkeypatch.setattr(module, "decode_text", wrapped)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield counts
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("sample", ["sample_ko", "sample_tags_en"])
def test_a_sample_is_read_once_for_every_page(calls: dict[str, int], sample: str) -> None:
    at = AppTest.from_file(APP, default_timeout=180).run()
    if sample != "sample_ko":  # the default sample opened first: count the chosen one's reading
        calls.update(load_task=0, decode_text=0)
        at.radio(key="dataset_choice").set_value(sample).run()
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
    assert calls == {"load_task": 1, "decode_text": 1}
