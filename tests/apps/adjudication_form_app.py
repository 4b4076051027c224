"""AppTest script: the adjudication form and progress bar for item n1 of a fixed dataset."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analysis.workspace import open_workspace  # noqa: E402
from dashboard.components.adjudication import (  # noqa: E402
    render_adjudication_form,
    render_review_progress,
)

workspace = open_workspace(os.environ["LABEL_AGREEMENT_WORKSPACE"])
render_review_progress(workspace, "fp-test", ["n1", "n2"])
render_adjudication_form("n1", ["경제", "정치", "=cmd"], workspace, "fp-test", "test")
