"""``python -m dashboard``: ``streamlit run dashboard/app.py`` with the first page's modules
imported in the background."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import dashboard.__main__ as launcher


def test_every_preloaded_module_exists() -> None:
    # A renamed module would otherwise be skipped silently and the start-up slow again.
    assert launcher.preload() == []
    assert all(name in sys.modules for name in launcher.PRELOAD)


def test_preload_reports_a_module_that_fails() -> None:
    assert launcher.preload(("json", "dashboard.no_such_module")) == ["dashboard.no_such_module"]


def test_main_runs_streamlit_on_the_app_with_the_given_options(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}

    def fake_main(prog_name: str) -> None:
        seen["argv"] = list(sys.argv)
        seen["prog_name"] = prog_name

    monkeypatch.setattr("streamlit.web.cli.main", fake_main)
    monkeypatch.setattr(launcher, "preload", lambda: [])
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    launcher.main(["--server.port", "8999"])
    assert seen == {
        "argv": ["streamlit", "run", str(launcher.APP), "--server.port", "8999"],
        "prog_name": "streamlit",
    }
    assert launcher.APP.name == "app.py" and launcher.APP.parent.name == "dashboard"


def test_the_first_page_modules_leave_the_slow_scientific_stack_for_later() -> None:
    # The Overview draws its cards from the loader and the agreement summary; SciPy's
    # special functions and statistics, scikit-learn and the model stack load only when a
    # later analysis needs them (each costs a fifth of a second or more at start-up).
    code = (
        "import json, sys\n"
        "import dashboard.__main__ as launcher\n"
        "launcher.preload()\n"
        "print(json.dumps(sorted(m for m in ('scipy.special', 'scipy.stats', 'sklearn', 'statsmodels',"
        " 'torch', 'transformers') if m in sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=launcher.ROOT, capture_output=True, text=True,
                            timeout=120, check=True)
    assert json.loads(result.stdout) == []
