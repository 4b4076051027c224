"""Shared fixtures. Small inline frames here; expensive ones session-scoped."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DATA = ROOT / "sample_data"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The bundled sample data folder."""
    return SAMPLE_DATA

# Streamlit scripts driven by AppTest are apps, not test modules (doctest collection
# would otherwise import and run them).
collect_ignore_glob = ["apps/*"]
