"""The dashboard's entry point: ``streamlit run dashboard/app.py``.

Sets up the page, the sidebar (language, dataset picker) and the navigation, then runs the
chosen page inside an error guard, so a visitor sees a sentence, never a traceback.

The language switch is drawn before the modules that bring in pandas and the analysis
engine are imported (they are imported in the functions that use them): on the first
element of a server process Streamlit walks the call stack and looks up the file of every
loaded module, which costs about 0.1 s more with pandas and the engine loaded. The
cold start is measured by ``benchmarks/bench_cold_start.py`` (docs/dashboard.md, "Speed").
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run` puts only dashboard/ on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard.components.access_gate import access_granted, render_sign_out  # noqa: E402
from dashboard.i18n import LANGUAGES, t  # noqa: E402
from dashboard.state.session import LANG_KEY  # noqa: E402

PAGES_DIR = Path(__file__).resolve().parent / "app_pages"
PAGES: tuple[tuple[str, str, str], ...] = (
    # (file, title key, icon)
    ("data.py", "nav.data", ":material/table_view:"),
    ("overview.py", "nav.overview", ":material/dashboard:"),
    ("classes.py", "nav.classes", ":material/category:"),
    ("annotators.py", "nav.annotators", ":material/group:"),
    ("models.py", "nav.models", ":material/smart_toy:"),
    ("rounds.py", "nav.rounds", ":material/timeline:"),
    ("clusters.py", "nav.clusters", ":material/bubble_chart:"),
    ("label_review.py", "nav.label_review", ":material/rule:"),
    ("guidelines.py", "nav.guidelines", ":material/menu_book:"),
    ("tasks.py", "nav.tasks", ":material/format_list_bulleted:"),
    ("report.py", "nav.report", ":material/download:"),
)
DEFAULT_PAGE = "overview.py"
# Widgets whose option captions are translated. The browser reports a choice by its
# caption, so after a language switch their values are re-asserted from the server side.
TRANSLATED_WIDGETS: tuple[str, ...] = ("dataset_choice", "level", "cluster_backend", "review_backend",
                                       "guidelines_pick")


def keep_choices_on_language_change() -> None:
    """Re-set translated widgets to their current values (see ``TRANSLATED_WIDGETS``)."""
    for key in TRANSLATED_WIDGETS:
        if st.session_state.get(key) is not None:
            st.session_state[key] = st.session_state[key]


def build_navigation() -> st.navigation:
    """One ``st.Page`` per page file, with translated titles."""
    pages = [
        st.Page(
            PAGES_DIR / file,
            title=t(title_key),
            icon=icon,
            url_path=file.removesuffix(".py").replace("_", "-"),
            default=file == DEFAULT_PAGE,
        )
        for file, title_key, icon in PAGES
    ]
    return st.navigation(pages, position="sidebar")


def render_language_switch() -> None:
    """The language switch (drawn before the sign-in screen, so that screen is translated too).

    A horizontal radio, not a segmented control: Streamlit looks for a leading emoji in
    every non-ASCII option of a segmented control ("한국어"), and its first such lookup
    loads the emoji catalogue and compiles its pattern, 0.1 s of the cold start.
    """
    with st.sidebar:
        st.radio(
            t("sidebar.language"),
            options=list(LANGUAGES),
            format_func=LANGUAGES.__getitem__,
            index=0,
            horizontal=True,
            key=LANG_KEY,
            on_change=keep_choices_on_language_change,
        )


def render_sidebar() -> None:
    """Dataset picker, and who is signed in when the dashboard is behind a gate."""
    from dashboard.components.dataset_picker import render_dataset_picker  # pandas: see above
    from dashboard.components.feedback import shown_errors

    with st.sidebar:
        with shown_errors():
            render_dataset_picker()
        render_sign_out()


def render_page(page: st.Page) -> None:
    """Run the chosen page; it adapts to the dataset's task (single-label, multi-label, spans)."""
    from dashboard.components.feedback import shown_errors
    from dashboard.components.task_guard import run_page

    with shown_errors():
        run_page(page)


# A local file: a Material icon or an emoji is fetched from a CDN, which an offline machine
# cannot reach (every page then logs an error in the browser console).
FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.svg"
st.set_page_config(page_title=t("app.title"), page_icon=str(FAVICON), layout="wide")
render_language_switch()  # the first element: before pandas and the engine are imported
if not access_granted():  # only when secrets.toml sets a password or [auth]; see docs/deployment.md
    st.stop()
render_sidebar()
render_page(build_navigation())
