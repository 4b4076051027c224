"""The dashboard's first page starts without the slow part of the scientific stack."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_first_page_modules_leave_the_slow_scientific_stack_for_later() -> None:
    # The Overview draws its cards from the loader and the agreement summary; SciPy's
    # special functions and statistics, scikit-learn and the model stack load only when a
    # later analysis needs them (each costs a fifth of a second or more at start-up).
    code = (
        "import json, sys\n"
        "import dashboard.state, dashboard.charts, dashboard.components.access_gate\n"
        "import dashboard.components.dataset_picker, dashboard.components.cards\n"
        "import dashboard.components.task_guard, analysis.metrics.overall, analysis.diagnostics\n"
        "print(json.dumps(sorted(m for m in ('scipy.special', 'scipy.stats', 'sklearn', 'statsmodels',"
        " 'torch', 'transformers') if m in sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=True)
    assert json.loads(result.stdout) == []
