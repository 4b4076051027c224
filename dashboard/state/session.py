"""The visitor's choices, kept per session (``st.session_state``).

Every session key that more than one page or component reads is declared here, with a
typed accessor: the language, the open file, how it is read, the level, the clusters
last computed and the guideline draft made from one. One visitor's file and choices are
never visible to another session. A page's own widget keys stay with the page.

Settings read from the environment (documented in the README):

* ``DASHBOARD_BOOTSTRAP`` - bootstrap resamples for confidence intervals (default 1000;
  the tests use fewer).
* ``DASHBOARD_SEED`` - seed of every resampling (default 0), so the dashboard shows the
  numbers ``python -m analysis report --seed`` prints.

This module imports neither pandas nor the analysis engine: the language switch, drawn
first, reads it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any, Final

import streamlit as st

from analysis.base.limits import MAX_BOOTSTRAP
from dashboard.state.open_file import OpenFile
from dashboard.state.samples import default_file

LANG_KEY: Final = "lang"
"""The sidebar's language (``en`` or ``ko``; read by :func:`dashboard.i18n.current_language`)."""
FILE_KEY: Final = "dataset"
"""The open :class:`OpenFile`; None while a picker choice waits for its file."""
OPTIONS_KEY: Final = "load_options"
"""The :class:`LoadOptions` of the open file."""
LEVEL_KEY: Final = "level"
"""The level of measurement picked on the Overview (the widget's own key)."""
CLUSTERS_KEY: Final = "clusters_result"
CLUSTER_SETTINGS_KEY: Final = "clusters_params"
"""The clusters last computed on the Clusters page, and the file, options and settings they are of."""
GUIDELINE_DRAFT_KEY: Final = "guideline_draft"
"""A cluster handed to the Guidelines page as a rule draft."""


@dataclass(frozen=True)
class LoadOptions:
    """How the visitor reads the open file (Data, Models and task options); hashable, so
    it keys the caches.

    ``mapping`` holds ``(canonical column, file column)`` pairs and ``label_merges``
    ``(variant, kept label)`` pairs. ``models`` names annotators that are models,
    ``humans`` annotators that are people whatever the file says, ``model_prefixes`` the
    name prefixes that mark one (None: the loader's defaults), and ``include_models``
    counts them with the humans (:mod:`analysis.io.annotator_kinds`). ``task``,
    ``question`` and ``label_sep`` are the task options (``--task``, ``--question``,
    ``--label-sep`` of the command line; None: detected).
    """

    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    mapping: tuple[tuple[str, str], ...] = ()
    label_merges: tuple[tuple[str, str], ...] = ()
    models: tuple[str, ...] = ()
    humans: tuple[str, ...] = ()
    model_prefixes: tuple[str, ...] | None = None
    include_models: bool = False
    task: str | None = None
    question: str | None = None
    label_sep: str | None = None

    def with_merges(self, merges: dict[str, str]) -> LoadOptions:
        """These options plus more label merges."""
        combined = dict(self.label_merges) | merges
        return replace(self, label_merges=tuple(sorted(combined.items())))

    def for_another_file(self) -> LoadOptions:
        """The options another file opens with: fresh reading options, the same task choice."""
        return LoadOptions(task=self.task, question=self.question, label_sep=self.label_sep)


def current_file() -> OpenFile | None:
    """The visitor's open file (the default sample until they choose another), or None
    while the chosen source has no file yet."""
    if FILE_KEY not in st.session_state:
        first = default_file()
        if first is None:
            return None
        st.session_state[FILE_KEY] = first
    return st.session_state[FILE_KEY]


def open_file(file: OpenFile) -> None:
    """Make ``file`` the visitor's open file; another file starts with fresh load options
    and its own suggested level."""
    previous = st.session_state.get(FILE_KEY)
    st.session_state[FILE_KEY] = file
    if previous is None or previous.digest != file.digest:
        st.session_state[OPTIONS_KEY] = load_options().for_another_file()
        st.session_state.pop(LEVEL_KEY, None)


def close_file() -> None:
    """No file open: the chosen source (an upload, a Label Studio project) has none yet."""
    st.session_state[FILE_KEY] = None


def load_options() -> LoadOptions:
    """The visitor's load options for the open file."""
    return st.session_state.get(OPTIONS_KEY) or LoadOptions()


def set_load_options(options: LoadOptions) -> None:
    """Replace the load options (the next load uses them)."""
    st.session_state[OPTIONS_KEY] = options


def chosen_level() -> str | None:
    """The level picked on the Overview, or None until one is picked (the pipeline then
    takes the level the labels suggest)."""
    return st.session_state.get(LEVEL_KEY)


def bootstrap_resamples() -> int:
    """Bootstrap resamples for every interval (``DASHBOARD_BOOTSTRAP``, default 1000).

    Held to ``LABEL_AGREEMENT_MAX_BOOTSTRAP`` (docs/limits.md), like ``--bootstrap``; a
    value that is not a whole number falls back to the default.
    """
    try:
        wanted = int(os.environ.get("DASHBOARD_BOOTSTRAP", "1000"))
    except ValueError:
        wanted = 1000
    return min(max(0, wanted), MAX_BOOTSTRAP.value())


def seed() -> int:
    """Seed of every resampling (``DASHBOARD_SEED``, default 0)."""
    return int(os.environ.get("DASHBOARD_SEED", "0"))


def _file_and_options() -> tuple[str, LoadOptions]:
    file = current_file()
    return (file.digest if file else ""), load_options()


def save_clusters(result: Any, settings: tuple[Any, ...]) -> None:
    """Keep the clusters computed for the open file with ``settings`` (backend, model,
    threshold), for the Clusters page and the hints of other pages."""
    st.session_state[CLUSTERS_KEY] = result
    st.session_state[CLUSTER_SETTINGS_KEY] = (*_file_and_options(), *settings)


def saved_clusters() -> tuple[Any, tuple[Any, ...]] | None:
    """The clusters last computed for the open file and its load options, with the
    settings they were computed with; None when there are none for this file."""
    stored = st.session_state.get(CLUSTER_SETTINGS_KEY)
    if stored is None or tuple(stored[:2]) != _file_and_options():
        return None
    result = st.session_state.get(CLUSTERS_KEY)
    return None if result is None else (result, tuple(stored[2:]))


def guideline_draft() -> dict[str, Any] | None:
    """The cluster handed to the Guidelines page as a rule draft, if any."""
    return st.session_state.get(GUIDELINE_DRAFT_KEY)


def set_guideline_draft(cluster: dict[str, Any]) -> None:
    """Hand a cluster (``AmbiguityCluster.to_dict()`` with its ``draft_rule``) to the
    Guidelines page."""
    st.session_state[GUIDELINE_DRAFT_KEY] = cluster


def discard_guideline_draft() -> None:
    """Forget the cluster's draft (saved as a rule, or discarded)."""
    st.session_state.pop(GUIDELINE_DRAFT_KEY, None)
