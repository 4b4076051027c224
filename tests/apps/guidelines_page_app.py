"""AppTest script: the Guidelines page on a tiny dataset, with the workspace in $LABEL_AGREEMENT_WORKSPACE."""

import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard.state import session  # noqa: E402
from dashboard.state.open_file import OpenFile  # noqa: E402

TINY_CSV = (
    "item_id,annotator,label,text\n"
    "n1,a,경제,금리 인상 발표\nn1,b,정치,금리 인상 발표\n"
    "n2,a,정치,<script>alert(1)</script> 국회\nn2,b,정치,<script>alert(1)</script> 국회\n"
)

if session.FILE_KEY not in st.session_state:
    session.open_file(OpenFile.from_bytes("tiny.csv", TINY_CSV.encode("utf-8"), origin="upload"))
runpy.run_path(str(ROOT / "dashboard" / "app_pages" / "guidelines.py"), run_name="__main__")
