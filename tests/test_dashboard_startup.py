"""The dashboard's first page starts without the slow part of the scientific stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _loaded_after(code: str, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a fresh interpreter has loaded after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in {modules!r} if m in sys.modules)))\n"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=True)
    return json.loads(result.stdout.splitlines()[-1])


def test_the_first_page_modules_leave_the_slow_scientific_stack_for_later() -> None:
    # The Overview draws its cards from the loader and the agreement summary; SciPy's
    # special functions and statistics, scikit-learn and the model stack load only when a
    # later analysis needs them (each costs a fifth of a second or more at start-up). The
    # report builder, the workspace, the embedding backends and the task reader are
    # imported when the report, a workspace or a non-table dataset needs them.
    code = (
        "import dashboard.state.pipeline, dashboard.state.resources, dashboard.charts\n"
        "import dashboard.components.access_gate\n"
        "import dashboard.components.dataset_picker, dashboard.components.cards\n"
        "import dashboard.components.task_guard, analysis.metrics.overall, analysis.diagnostics\n"
    )
    slow = ("scipy.special", "scipy.stats", "sklearn", "statsmodels", "torch", "transformers",
            "analysis.report", "analysis.workspace", "analysis.embeddings", "analysis.io.load_task",
            "dashboard.components.task_views")
    assert _loaded_after(code, slow) == []


def test_the_cards_numbers_need_no_scipy() -> None:
    # The cards' summary leaves out the pairwise kappas, whose sparse products import
    # scipy.sparse (a tenth of a second of a cold start); the full summary does import it,
    # so this test would notice the probe missing it.
    load = (
        "from analysis.data.dataset import AnnotationDataset\n"
        "from analysis.io import load_annotations\n"
        "from analysis.metrics.overall import agreement_summary\n"
        "path = 'sample_data/ko_news_topics.csv'\n"
        "data = AnnotationDataset.from_load_result(load_annotations(open(path, 'rb').read(), name=path))\n"
    )
    cards = load + "agreement_summary(data, bootstrap_resamples=20, pairwise=False)\n"
    full = load + "agreement_summary(data, bootstrap_resamples=20)\n"
    assert _loaded_after(cards, ("scipy", "scipy.sparse")) == []
    assert _loaded_after(full, ("scipy.sparse",)) == ["scipy.sparse"]


def test_the_english_overview_loads_no_emoji_catalogue() -> None:
    # Streamlit loads its emoji catalogue and compiles its pattern (0.1 s of a cold start)
    # the first time a segmented control or pills widget shows a non-ASCII option; the
    # language switch ("한국어") is a radio so the default page never does.
    code = (
        "import sys\n"
        "sys.path.insert(0, '.')\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('dashboard/app.py', default_timeout=120)\n"
        "at.run()\n"
        "assert not at.exception and at.metric[0].value\n"
    )
    assert _loaded_after(code, ("streamlit.emojis", "pandas")) == ["pandas"]
