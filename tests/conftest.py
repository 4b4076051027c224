"""Shared fixtures. Small inline frames here; expensive ones session-scoped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# A UI string key missing from a language table raises (dashboard.i18n) in every test,
# including the dashboards the tests start in a subprocess.
os.environ["DASHBOARD_STRICT_STRINGS"] = "1"

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DATA = ROOT / "sample_data"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The bundled sample data folder."""
    return SAMPLE_DATA


@pytest.fixture(scope="session")
def bundled():
    """The bundled all-MiniLM-L6-v2 embedder, loaded once for every test that needs it."""
    from analysis.embeddings import TransformerEmbedder

    return TransformerEmbedder()


@pytest.fixture(scope="session")
def embedding_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One embedding cache for the session, so each text is embedded once."""
    return tmp_path_factory.mktemp("embedding-cache")

# Streamlit scripts driven by AppTest are apps, not test modules (doctest collection
# would otherwise import and run them).
collect_ignore_glob = ["apps/*"]


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory: pytest.TempPathFactory):
    """One real Label Studio server (127.0.0.1, SQLite, fresh data folder) for the session,
    with its projects built (tests/label_studio_projects.py).

    Installed into ``.ls-venv`` by ``scripts/label_studio_server.sh`` on first use. Skipped
    only when it cannot be installed (no network), and then only outside CI:
    ``LABEL_STUDIO_TESTS=required`` (set by ``.ci/run``) turns that into a failure.
    """
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from label_studio_projects import build_projects
    from label_studio_server import InstallFailed, install, start

    try:
        install()
    except InstallFailed as error:
        if os.environ.get("LABEL_STUDIO_TESTS") == "required":
            pytest.fail(f"Label Studio is required here: {error}")
        pytest.skip(f"Label Studio cannot be installed here ({error})")
    server = start(tmp_path_factory.mktemp("label-studio"))
    try:
        yield build_projects(server)
    finally:
        server.stop()
