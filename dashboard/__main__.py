"""Start the dashboard: ``python -m dashboard [streamlit options]``.

The same as ``streamlit run dashboard/app.py [options]`` (every ``streamlit run`` option
and ``.streamlit/config.toml`` apply), with one difference: the modules the first page
needs are imported in a background thread while the server starts and the browser
downloads the front end. Streamlit runs the app only once a browser connects, so with a
plain ``streamlit run`` those imports (pandas, plotly, the analysis library; about a
second) begin only then and the visitor waits for them.
"""

from __future__ import annotations

import importlib
import sys
import threading
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"
ROOT = APP.parents[1]

PRELOAD: tuple[str, ...] = (
    "pandas",
    "plotly.graph_objects",
    "scipy.sparse",
    "analysis.metrics.overall",
    "analysis.report",
    "analysis.diagnostics",
    "dashboard.state",
    "dashboard.charts",
    "dashboard.components.access_gate",
    "dashboard.components.dataset_picker",
    "dashboard.components.cards",
    "dashboard.components.feedback",
    "dashboard.components.task_guard",
)
"""Imported ahead of the first visit, in the order the Overview needs them."""


def preload(modules: tuple[str, ...] = PRELOAD) -> list[str]:
    """Import ``modules``; return the names that failed.

    A failure is not reported here: the app imports the same module when a visitor
    arrives and shows the problem on the page, where the visitor can see it.
    """
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # shown by the app itself on the first visit
            failed.append(name)
    return failed


def main(argv: list[str] | None = None) -> None:
    """Run ``streamlit run dashboard/app.py`` with ``argv`` as its options, preloading
    the first page's modules in the background."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    threading.Thread(target=preload, name="dashboard-preload", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
