"""The command line starts without the heavy scientific stack.

``build_parser()`` registers every command; command modules import their analyses inside
their handlers, so ``python -m analysis validate FILE`` loads only the loader's needs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("scipy", "sklearn", "statsmodels", "torch", "transformers", "cleanlab", "crowdkit",
         "plotly", "streamlit")


def test_building_the_parser_imports_no_heavy_package():
    code = (
        "import json, sys\n"
        "from analysis.cli import build_parser\n"
        "build_parser()\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=True)
    assert json.loads(result.stdout) == []


def test_clusters_default_threshold_matches_the_library():
    from analysis.cli.clusters import MIN_DISAGREEMENT_DEFAULT, MIN_ENTROPY_DEFAULT
    from analysis.clusters.selection import DEFAULT_MIN_DISAGREEMENT, DEFAULT_MIN_ENTROPY

    assert MIN_ENTROPY_DEFAULT == DEFAULT_MIN_ENTROPY
    assert MIN_DISAGREEMENT_DEFAULT == DEFAULT_MIN_DISAGREEMENT


def test_no_analysis_module_needs_the_ui_stack():
    # Every module of the library (not only the CLI's) imports without plotly or streamlit:
    # figures, colours and the access check live in dashboard/.
    code = (
        "import importlib, json, pkgutil, sys\n"
        "import analysis\n"
        "for info in pkgutil.walk_packages(analysis.__path__, 'analysis.'):\n"
        "    if not info.name.endswith('__main__'):\n"
        "        importlib.import_module(info.name)\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'plotly', 'streamlit'})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=300, check=True)
    assert json.loads(result.stdout) == []
