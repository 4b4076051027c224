"""Which annotators are models (an LLM, a classifier) and which are people.

Teams pre-label with models and keep those labels in the same export as the people's. The
loader tells them apart, in this order:

1. **Named by the user** (``mark_models(result, models=[...])``, ``--model-annotators``): always models;
   ``mark_models(result, humans=[...])`` names people the rules below would take for models.
2. **The data says so**: a kind column (``annotator_type``, ``annotator_kind``, ``source``
   ... by the synonym table, or the one named with ``--kind-col``) whose values say
   ``human`` or ``model`` (:data:`HUMAN_WORDS`, :data:`MODEL_WORDS`; case, spaces and
   hyphens ignored); Label Studio ``predictions`` are model judgements under their
   ``model_version``. A column found by its name only counts when every value in it is
   such a word (``source`` often names where a text came from); a column named
   explicitly must hold only such words.
3. **The name**: an annotator the data does not mark whose name starts with a model prefix
   (:data:`DEFAULT_MODEL_PREFIXES`, ``llm:`` and ``model:``; ``--model-prefix``), e.g. a
   Prodigy ``_annotator_id`` of ``model:gpt-4o``.

The load report lists every model and how it was recognised
(:attr:`analysis.io.LoadReport.model_annotators`); models never enter the human agreement
figures unless asked (:meth:`analysis.data.dataset.AnnotationDataset.from_load_result`,
``include_models``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Final

import pandas as pd

from analysis.base.errors import AnnotationDataError, UsageError
from analysis.data.kinds import (
    DEFAULT_MODEL_PREFIXES,
    AnnotatorKinds,
    IdentifiedBy,
    Kind,
)
from analysis.data.loaded import TaskLoad
from analysis.data.schema import ANNOTATOR
from analysis.io.columns import ANNOTATOR_KIND, normalise_name
from analysis.messages import note

if TYPE_CHECKING:
    from analysis.data.loaded import LoadResult

HUMAN_WORDS: Final[frozenset[str]] = frozenset({
    "human", "humans", "person", "people", "manual", "annotator", "human_annotator", "expert",
    "crowd", "crowdworker", "crowd_worker", "worker", "rater", "사람", "인간", "작업자",
})
MODEL_WORDS: Final[frozenset[str]] = frozenset({
    "model", "llm", "ai", "machine", "automatic", "auto", "prediction", "predicted",
    "pre_annotation", "preannotation", "classifier", "bot", "llm_judge", "모델", "기계",
    "인공지능",
})
"""Kind words, in matching form (:func:`analysis.io.columns.normalise_name`)."""

LABEL_STUDIO_PREDICTIONS: Final = "predictions[].model_version"
"""What the load report's mapping names as the kind of Label Studio predictions."""


def kind_of_word(value: object) -> Kind | None:
    """``"human"``, ``"model"`` or ``None`` for one cell of a kind column.

    Examples
    --------
    >>> kind_of_word(" LLM "), kind_of_word("Human"), kind_of_word("airbnb-rtt")
    ('model', 'human', None)
    """
    word = normalise_name(value)
    if word in MODEL_WORDS:
        return "model"
    if word in HUMAN_WORDS:
        return "human"
    return None


def _rows(positions: pd.Series, unit: str, limit: int = 3) -> str:
    shown = ", ".join(str(int(p)) for p in positions.iloc[:limit])
    more = f" and {len(positions) - limit} more" if len(positions) > limit else ""
    return f"{unit}{'s' if len(positions) > 1 else ''} {shown}{more}"


def read_kinds(
    frame: pd.DataFrame, annotators: pd.Series, positions: Sequence[int], *, unit: str,
    file: str, column: str | None, explicit: bool,
) -> AnnotatorKinds | None:
    """The kinds a kind column gives, or ``None`` when the column is not one.

    Parameters
    ----------
    frame : DataFrame
        The mapped judgements, with the kind in :data:`ANNOTATOR_KIND`.
    annotators : Series
        The annotator of each row, normalised as the canonical table spells it.
    positions : sequence of int
        Each row's place in the source, in ``unit`` (for messages).
    column : str or None
        The source column (``"predictions[].model_version"`` for Label Studio).
    explicit : bool
        Whether the user named the column (then every value must be a kind word).

    Raises
    ------
    AnnotationDataError
        A named column holds other values, or one annotator is marked both ways.
    """
    values = frame[ANNOTATOR_KIND]
    present = values.notna() & (values.astype("string").str.strip() != "")
    if not bool(present.any()):
        return None
    words = values[present].map(kind_of_word)
    where = pd.Series(list(positions), index=frame.index)
    if words.isna().any():
        if not explicit:
            return None
        bad = values[present][words.isna()]
        shown = ", ".join(repr(str(v)) for v in dict.fromkeys(bad.astype(str)))
        raise AnnotationDataError(
            f"the kind column {column!r} holds values that are neither human nor model "
            f"({shown[:200]}; {_rows(where[bad.index], unit)})", file=file,
            location=_rows(where[bad.index], unit, limit=1),
            fix="write human or model in it (also llm, ai, machine, classifier; person, expert, "
                "crowd), or leave {kind_col} out")
    kinds = pd.DataFrame({"annotator": annotators[present], "kind": words})
    kinds = kinds.dropna(subset=["annotator"])
    both = kinds.groupby("annotator", sort=False)["kind"].nunique()
    if (both > 1).any():
        name = str(both.index[both > 1][0])
        rows = where[kinds.index[kinds["annotator"] == name]]
        raise AnnotationDataError(
            f"the annotator {name!r} is marked both human and model in {column!r} "
            f"({_rows(rows, unit)})", file=file, location=_rows(rows, unit, limit=1),
            fix="give each annotator one kind (a model's judgements under their own name)")
    marked = dict(zip(kinds["annotator"].astype(str), kinds["kind"], strict=True))
    source: IdentifiedBy = ("label_studio_prediction" if column == LABEL_STUDIO_PREDICTIONS
                            else "kind_column")
    return AnnotatorKinds(marked=marked, marked_by=source, detail=column)


def check_prefixes(prefixes: Iterable[str] | None) -> tuple[str, ...]:
    """Model name prefixes as given (``None``: the defaults); blank ones are dropped.

    Examples
    --------
    >>> check_prefixes(None), check_prefixes(["gpt-", " "])
    (('llm:', 'model:'), ('gpt-',))
    """
    if prefixes is None:
        return DEFAULT_MODEL_PREFIXES
    if isinstance(prefixes, str):
        raise UsageError("The 'model_prefixes' parameter must be a sequence of strings. Got a "
                         f"single string {prefixes!r} instead", option="model_prefix")
    return tuple(str(p) for p in prefixes if str(p).strip())


def _names(values: Iterable[str] | None) -> tuple[str, ...]:
    import unicodedata

    return tuple(dict.fromkeys(unicodedata.normalize("NFC", str(v)).strip()
                               for v in (values or ()) if str(v).strip()))


def mark_models(
    result: LoadResult, *, models: Iterable[str] | None = None,
    prefixes: Iterable[str] | None = None, humans: Iterable[str] | None = None,
) -> LoadResult:
    """The same load with other model names or prefixes (the load report says which).

    Parameters
    ----------
    result : LoadResult
        From :func:`analysis.io.load_annotations`.
    models : iterable of str, optional
        Annotators that are models whatever the data says (names as in the table).
    prefixes : iterable of str, optional
        Name prefixes that mark a model (``None`` keeps the current ones; empty: none).
    humans : iterable of str, optional
        Annotators that are people whatever a kind column or a prefix says.

    Returns
    -------
    LoadResult
        With ``report.model_annotators`` recomputed; a name not in the table is a warning.

    Examples
    --------
    >>> from analysis.io import load_annotations
    >>> csv = b"item,annotator,label\\n1,ann,a\\n1,gpt4,a\\n1,llm:x,b\\n"
    >>> result = load_annotations(csv, name="labels.csv")
    >>> [m.annotator for m in result.report.model_annotators]
    ['llm:x']
    >>> marked = mark_models(result, models=["gpt4"], prefixes=[])
    >>> [(m.annotator, m.identified_by) for m in marked.report.model_annotators]
    [('gpt4', 'named')]
    """
    named, people = _names(models), _names(humans)
    kinds = replace(result.kinds, named=result.kinds.named if models is None else named,
                    humans=result.kinds.humans if humans is None else people,
                    prefixes=result.kinds.prefixes if prefixes is None else check_prefixes(prefixes))
    counts = judgements_per_annotator(result.table)
    warnings = list(result.report.warnings)
    unknown = [name for name in (*named, *people) if name not in counts]
    if unknown:
        warnings.append(note("load.unknown_kinds", unknown=unknown[:10]))
    report = replace(result.report, model_annotators=kinds.classify(counts),
                     warnings=tuple(warnings))
    return replace(result, report=report, kinds=kinds)


def mark_task_models(
    loaded: TaskLoad, *, models: Iterable[str] | None = None,
    prefixes: Iterable[str] | None = None, humans: Iterable[str] | None = None,
) -> TaskLoad:
    """:func:`mark_models` on a load of any task type: its single-label part marked, the
    task report's ``model_annotators`` and ``warnings`` brought up to date; a load of
    another task type, or no marking asked for, is returned as it is.

    Examples
    --------
    >>> from analysis.io.load_task import load_task
    >>> loaded = load_task(b"item,annotator,label\\n1,ann,a\\n1,gpt4,a\\n", name="labels.csv")
    >>> marked = mark_task_models(loaded, models=["gpt4", "nobody"])
    >>> [m["annotator"] for m in marked.report["model_annotators"]], marked.report["warnings"][-1]
    (['gpt4'], "annotators named as models or people are not in the file: ['nobody']")
    """
    if loaded.single is None or (models is None and humans is None and prefixes is None):
        return loaded
    single = mark_models(loaded.single, models=models, prefixes=prefixes, humans=humans)
    added = [w for w in single.report.warnings if w not in loaded.single.report.warnings]
    report = {**loaded.report, "model_annotators": single.report.to_dict()["model_annotators"],
              "warnings": [*loaded.report.get("warnings", []), *added]}
    return TaskLoad(loaded.task, single, loaded.data, report)


def judgements_per_annotator(table: pd.DataFrame) -> dict[str, int]:
    """``{annotator: judgements}`` in order of first appearance."""
    counts = table[ANNOTATOR].value_counts(sort=False)
    order = pd.unique(table[ANNOTATOR])
    return {str(name): int(counts[name]) for name in order}
