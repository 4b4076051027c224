"""The dashboard's cache and per-visitor state.

Two kinds of state, kept apart on purpose:

* **Per visitor** (``st.session_state``): which dataset is open (its bytes, name and
  digest), the load options, the language. One visitor's upload is never visible to
  another session.
* **Shared caches** (``st.cache_data``): pure functions of the file's bytes (keyed by
  their SHA-256 digest) and the options. Two visitors opening the same bytes share the
  computed result, which is the same for both. Cached functions take hashable arguments
  only (bytes and tables ride along as ``_``-prefixed, unhashed arguments) and never draw
  a widget. Models live in ``st.cache_resource``, and so do the immutable
  :class:`~analysis.data.dataset.AnnotationDataset` of each file and options and its
  :class:`~analysis.report.AgreementReport` (built once, shared without copying; the
  report keeps the tables it computes on first use).

Settings read from the environment (documented in the README):

* ``DASHBOARD_BOOTSTRAP`` - bootstrap resamples for confidence intervals (default 1000;
  the tests use fewer).
* ``DASHBOARD_SEED`` - seed of every resampling (default 0), so the dashboard shows the
  numbers ``python -m analysis report --seed`` prints.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

import pandas as pd
import streamlit as st

from analysis.base.errors import AnalysisError, AnnotationDataError
from analysis.base.limits import MAX_BOOTSTRAP
from analysis.data.dataset import AnnotationDataset
from analysis.data.levels import LEVELS, Level
from analysis.diagnostics import SuggestedLevel, suggest_level
from analysis.io import ColumnMapping, LoadResult, load_annotations, mark_models
from analysis.io.json_export import ParsedJson, read_json_export
from analysis.metrics.bands import interpret_metric
from analysis.metrics.overall import AgreementSummary, agreement_summary
from analysis.metrics.result import jsonable
from dashboard import views
from dashboard.components.access_gate import editing_allowed
from dashboard.i18n import t

if TYPE_CHECKING:
    from analysis.embeddings import Embedder
    from analysis.model_annotators.section import ModelsSection
    from analysis.report import AgreementReport
    from analysis.workspace import Workspace

# The report builder, the workspace and the embedding backends are imported where they are
# used: the Overview draws its cards without them, so a cold start does not wait for them.

ROOT: Final = Path(__file__).resolve().parents[1]
SAMPLE_DIR: Final = ROOT / "sample_data"
SAMPLES: Final[dict[str, str]] = {
    "sample_ko": "ko_news_topics.csv",
    "sample_en": "en_support_intents.csv",
    # The other task types, so a demo shows the span and multi-label views without a file.
    "sample_spans_ko": "tasks/ko_trial_spans_labelstudio.json",
    "sample_spans_en": "tasks/en_trial_spans_labelstudio.json",
    "sample_tags_en": "tasks/en_support_tags_labelstudio.json",
    # people and two model annotators (an LLM, a classifier), for the Models vs humans page
    "sample_llm_en": "models/en_support_intents_llm.csv",
}
DATASET_KEY: Final = "dataset"
OPTIONS_KEY: Final = "load_options"
LEVEL_KEY: Final = "level"


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


@dataclass(frozen=True)
class Dataset:
    """An open dataset: the file's bytes, its name, and where it came from."""

    name: str
    data: bytes = field(repr=False)
    origin: Literal["sample", "upload", "label_studio"]
    digest: str

    @classmethod
    def from_bytes(cls, name: str, data: bytes, *, origin: Literal["sample", "upload", "label_studio"]) -> Dataset:
        """Wrap bytes, refusing an empty file with a message the user can act on."""
        if not data:
            raise AnnotationDataError(
                "the file is empty", file=name, fix="export the annotations again and upload that file"
            )
        return cls(name=name, data=data, origin=origin, digest=hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class LoadOptions:
    """What the visitor chose on the Data page; hashable, so it can key the caches.

    ``mapping`` holds ``(canonical column, file column)`` pairs and ``label_merges``
    ``(variant, kept label)`` pairs. ``models`` names annotators that are models, ``humans``
    annotators that are people whatever the file says, ``model_prefixes`` the name prefixes that mark one (None: the loader's defaults), and
    ``include_models`` counts them with the humans (:mod:`analysis.io.annotator_kinds`).
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

    def with_merges(self, merges: dict[str, str]) -> LoadOptions:
        """These options plus more label merges."""
        combined = dict(self.label_merges) | merges
        return replace(self, label_merges=tuple(sorted(combined.items())))


def sample_name(key: str) -> str:
    """The file name a bundled sample opens under (its name without the folder)."""
    return Path(SAMPLES[key]).name


def sample_dataset(key: str) -> Dataset:
    """A bundled sample by its key in :data:`SAMPLES`."""
    path = SAMPLE_DIR / SAMPLES[key]
    if not path.is_file():
        raise AnnotationDataError(
            "the bundled sample is missing", file=path.name, fix="restore sample_data/ from the repository"
        )
    return Dataset.from_bytes(path.name, path.read_bytes(), origin="sample")


def current_dataset() -> Dataset | None:
    """The visitor's open dataset (the Korean sample until they choose another)."""
    if DATASET_KEY not in st.session_state:
        path = SAMPLE_DIR / SAMPLES["sample_ko"]
        if not path.is_file():
            return None
        st.session_state[DATASET_KEY] = sample_dataset("sample_ko")
    return st.session_state[DATASET_KEY]


def open_dataset(dataset: Dataset) -> None:
    """Make ``dataset`` the visitor's open dataset, with fresh load options."""
    previous = st.session_state.get(DATASET_KEY)
    st.session_state[DATASET_KEY] = dataset
    if previous is None or previous.digest != dataset.digest:
        st.session_state[OPTIONS_KEY] = LoadOptions()
        st.session_state.pop(LEVEL_KEY, None)  # the next dataset starts at its own suggested level


def current_options() -> LoadOptions:
    """The visitor's load options for the open dataset."""
    return st.session_state.get(OPTIONS_KEY) or LoadOptions()


def set_options(options: LoadOptions) -> None:
    """Replace the load options (the next load uses them)."""
    st.session_state[OPTIONS_KEY] = options


def suggested_level() -> SuggestedLevel | None:
    """The level the open dataset's labels suggest (:func:`analysis.diagnostics.suggest_level`)."""
    result = load_current()
    if result is None:
        return None
    digest, options = _key()
    return suggest_level(_annotation_dataset(digest, options, result).labels)


def default_level() -> Level:
    """The suggested level when the labels leave little doubt, else ``nominal``."""
    suggestion = suggested_level()
    return suggestion.level if suggestion is not None and suggestion.clear else "nominal"


def current_level() -> Level:
    """The level chosen on the Overview; until one is chosen, :func:`default_level`."""
    level = st.session_state.get(LEVEL_KEY)
    if level is None:
        level = default_level()
    return level if level in LEVELS else "nominal"  # type: ignore[return-value]


JSON_FORMATS: Final = (None, "auto", "json", "jsonl", "label-studio", "prodigy", "wide")


@st.cache_resource(show_spinner=False, max_entries=8)
def _parsed(digest: str, name: str, encoding: str | None, jsonl: bool, _data: bytes) -> ParsedJson | None:
    # A resource: the records are shared read-only (never copied) by the task detection and
    # the single-label loader, so a JSON upload is parsed once.
    return read_json_export(_data, file=name, encoding=encoding, format="jsonl" if jsonl else None)


def parsed_json() -> ParsedJson | None:
    """The open dataset's JSON records, parsed once per file (None when it is not JSON, or
    the load options read it as another format)."""
    dataset = current_dataset()
    options = current_options()
    if dataset is None or options.format not in JSON_FORMATS:
        return None
    return _parsed(dataset.digest, dataset.name, options.encoding, options.format == "jsonl", dataset.data)


@st.cache_data(show_spinner=False, max_entries=16)
def _load(digest: str, name: str, options: LoadOptions, _data: bytes, _parsed: ParsedJson | None) -> LoadResult:
    mapping = ColumnMapping(**dict(options.mapping)) if options.mapping else None
    result = load_annotations(
        _data,
        name=name,
        format=options.format,
        mapping=mapping,
        encoding=options.encoding,
        delimiter=options.delimiter,
        sheet=options.sheet,
        label_merges=dict(options.label_merges) or None,
        parsed=_parsed,
    )
    if options.models or options.humans or options.model_prefixes is not None:
        result = mark_models(result, models=options.models, humans=options.humans,
                             prefixes=options.model_prefixes)
    return result


def load_current() -> LoadResult | None:
    """The ``LoadResult`` of the open dataset with the current options, or None.

    Raises
    ------
    AnnotationDataError
        When the file cannot be read; pages show it with :func:`dashboard.components.errors`.
    """
    dataset = current_dataset()
    if dataset is None:
        return None
    return _load(dataset.digest, dataset.name, current_options(), dataset.data, parsed_json())


def current_table() -> pd.DataFrame | None:
    """The canonical table the pages analyse, or None when none is open: the humans'
    judgements (with the models' only when the load options include them)."""
    result = load_current()
    if result is None:
        return None
    digest, options = _key()
    return _annotation_dataset(digest, options, result).table


def _key() -> tuple[str, LoadOptions]:
    dataset = current_dataset()
    return (dataset.digest if dataset else ""), current_options()


@st.cache_resource(show_spinner=False, max_entries=8)
def _annotation_dataset(digest: str, options: LoadOptions, _result: LoadResult) -> AnnotationDataset:
    # A resource, not data: one immutable object per file and options, handed to every
    # analysis without the copy st.cache_data makes on each access.
    return AnnotationDataset.from_load_result(_result, include_models=options.include_models)


def dataset() -> AnnotationDataset | None:
    """The open dataset as the analyses take it (table, matrix built once, the level
    chosen on the Overview, load report), or None when none is open."""
    result = load_current()
    if result is None:
        return None
    digest, options = _key()
    return _annotation_dataset(digest, options, result).with_level(current_level())


@st.cache_resource(show_spinner=False, max_entries=32)
def _headline(
    digest: str, options: LoadOptions, level: str, bootstrap: int, seed: int, _dataset: AnnotationDataset
) -> AgreementSummary:
    # Without the pairwise kappas (Cohen's, Light's): they need the annotator pairs' tables
    # and SciPy's sparse matrices, and no card shows them. The same resamples give the
    # cards' intervals; the full report computes its own summary, with the same numbers.
    return agreement_summary(_dataset, bootstrap_resamples=bootstrap, seed=seed, pairwise=False)


def _current_headline(current: AnnotationDataset) -> AgreementSummary:
    digest, options = _key()
    return _headline(digest, options, current.level, bootstrap_resamples(), seed(), current)


def headline() -> dict[str, Any] | None:
    """The Overview's cards before the rest of the report: ``{"overall": name -> metric
    dict, "interpretation": name -> band dict or None}``, exactly as in the report's JSON
    but without the pairwise kappas (``cohen_kappa``, ``mean_pairwise_cohen_kappa``).

    These need neither the quality analyses, nor SciPy, nor the annotator pairs, so they
    are drawn first (the cold start's first paint); the report's numbers are the same.
    """
    current = dataset()
    if current is None:
        return None
    summary = _current_headline(current)
    bands = {name: interpret_metric(name, metric.value) for name, metric in summary.overall.items()}
    return jsonable({
        "overall": summary.overall,
        "interpretation": {name: None if band is None else band.to_dict() for name, band in bands.items()},
    })


@st.cache_resource(show_spinner=False, max_entries=32)
def _report(
    digest: str,
    options: LoadOptions,
    level: str,
    bootstrap: int,
    seed: int,
    consensus: bool,
    _dataset: AnnotationDataset,
) -> AgreementReport:
    # A resource: the frozen report is shared without a copy, so the tables it computes on
    # first use (consensus per item, fatigue curves, confusions) are computed once.
    from analysis.report import build_report

    # The cards' summary (drawn first) plus the pairwise kappas: the full summary without
    # its bootstrap running twice (seconds on a crowd file).
    agreement = agreement_summary(
        _dataset, bootstrap_resamples=bootstrap, seed=seed,
        without_pairwise=_headline(digest, options, level, bootstrap, seed, _dataset))
    return build_report(_dataset, bootstrap=bootstrap, seed=seed, consensus=consensus,
                        agreement=agreement)


def analysis_report(*, consensus: bool = False) -> AgreementReport | None:
    """The typed report of the open dataset (every analysis the pages show), or None.

    Pages render its tables (``quality``, ``rounds``, ``pairwise_matrix()``,
    ``most_confused_pair``, ``consensus_table()``, ``fatigue_curves()``,
    ``annotator_confusion()``) instead of computing them again.
    """
    current = dataset()
    if current is None:
        return None
    digest, options = _key()
    with st.spinner(t("overview.computing")):  # shown only when the cache misses and it takes a while
        return _report(digest, options, current.level, bootstrap_resamples(), seed(), consensus, current)


@st.cache_resource(show_spinner=False, max_entries=32)
def _report_dict(
    digest: str, options: LoadOptions, level: str, bootstrap: int, seed: int, consensus: bool,
    _report: AgreementReport,
) -> dict[str, Any]:
    # A resource, shared without a copy: unpickling a copy on every page run costs 0.2 s
    # with 800 annotators. Pages read it and never change it.
    return _report.to_dict()


def report(*, consensus: bool = False) -> dict[str, Any] | None:
    """The full report as the CLI's JSON contract (``AgreementReport.to_dict()``), or None.

    Shared by every page and visitor of the file: read it, never change it.
    """
    result = analysis_report(consensus=consensus)
    if result is None:
        return None
    digest, options = _key()
    return _report_dict(digest, options, result.level, bootstrap_resamples(), seed(), consensus, result)


def consensus_table() -> pd.DataFrame | None:
    """One row per item (majority and Dawid-Skene labels, ambiguity) of the open dataset:
    :meth:`AgreementReport.consensus_table`, from the report's fitted model."""
    result = analysis_report()
    return None if result is None else result.consensus_table()


@st.cache_resource(show_spinner=False, max_entries=16)
def _models(
    digest: str, options: LoadOptions, level: str, bootstrap: int, seed: int, epsilon: float,
    _dataset: AnnotationDataset,
) -> ModelsSection | None:
    from analysis.model_annotators.section import compare_models

    return compare_models(_dataset, epsilon=epsilon, bootstrap=bootstrap, seed=seed)


def models_section(epsilon: float) -> ModelsSection | None:
    """Every model annotator against the humans at ``epsilon`` (None without models).

    At the report's epsilon this is the report's own section (computed once with it);
    another epsilon computes the section alone, once per file, options and level.
    """
    current = dataset()
    if current is None or not current.model_annotators:
        return None
    from analysis.model_annotators import DEFAULT_EPSILON

    if epsilon == DEFAULT_EPSILON:
        result = analysis_report()
        return None if result is None else result.models
    digest, options = _key()
    with st.spinner(t("overview.computing")):
        return _models(digest, options, current.level, bootstrap_resamples(), seed(), epsilon, current)


def embedding_backends() -> tuple[str, ...]:
    """The text backends this installation runs: char-ngram always, transformer where torch is installed.

    The demo deploy set (``dashboard/requirements.txt``) has no torch, so a demo offers
    char-ngram only and the pages say why (``docs/deployment.md``).
    """
    from analysis.embeddings import transformer_available

    return ("char-ngram", "transformer") if transformer_available() else ("char-ngram",)


def default_backend(texts: pd.Series) -> str:
    """The backend a text page starts with: char-ngram for mostly Korean text or without torch."""
    if "transformer" not in embedding_backends() or views.mostly_hangul(texts):
        return "char-ngram"
    return "transformer"


def render_backend_note() -> None:
    """Say so when the transformer backend is not installed (a caption under the backend choice)."""
    if "transformer" not in embedding_backends():
        st.caption(t("clusters.no_transformer"))


@st.cache_resource(show_spinner=False, max_entries=4)
def embedder(backend: str, model: str | None) -> Embedder:
    """The embedding backend (loaded once per process and shared: it holds no user data)."""
    from analysis.embeddings import make_embedder

    return make_embedder(backend, model=model or None, seed=seed())


@st.cache_resource(show_spinner=False)
def _workspace(folder: str | None) -> Workspace:
    from analysis.workspace import open_workspace

    return open_workspace(folder)


@st.cache_resource(show_spinner=False)
def _read_only_workspace(folder: str | None) -> Workspace:
    from analysis.workspace import open_workspace

    return open_workspace(folder, read_only=True)


def workspace() -> Workspace | None:
    """The shared workspace (rules, adjudications), or None when it cannot be opened.

    The folder is ``LABEL_AGREEMENT_WORKSPACE`` or the library's default. The object
    holds only paths, so one per process is shared by every session; decisions are
    attached to datasets by their content fingerprint.

    A session that may not edit (a viewer of a shared demo, see
    :func:`dashboard.components.access_gate.editing_allowed`) gets a read-only handle
    on the same database: SQLite opened with ``mode=ro`` and every write refused by
    :meth:`analysis.workspace.Workspace.transaction`, whatever the page draws.
    """
    from analysis.workspace import Workspace

    folder = os.environ.get("LABEL_AGREEMENT_WORKSPACE")
    try:
        if editing_allowed():
            return _workspace(folder)
        try:
            shared = _workspace(folder)  # the server creates and migrates it once
        except AnalysisError:
            return _read_only_workspace(folder)  # a read-only disk still serves viewers
        return Workspace(shared.folder, read_only=True, timeout_s=shared.timeout_s)
    except AnalysisError as error:
        st.warning(error.render(lambda option: t(f"option.{option}")))  # as feedback.error_message
        return None


@st.cache_data(show_spinner=False, max_entries=16)
def _fingerprint(digest: str, options: LoadOptions, _table: pd.DataFrame) -> str:
    from analysis.workspace import dataset_fingerprint

    return dataset_fingerprint(_table)


def fingerprint() -> str | None:
    """The open dataset's content fingerprint (how the workspace recognises it)."""
    table = current_table()
    if table is None:
        return None
    digest, options = _key()
    return _fingerprint(digest, options, table)
