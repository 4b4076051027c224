"""Build the agreement report: every analysis run once on one dataset.

:func:`build_report` returns an :class:`~analysis.report.result.AgreementReport`;
its ``to_dict()`` is the public JSON contract of the CLI (keys ``dataset``,
``overall``, ``per_class``, ``per_annotator``, ``pairwise``, ``interpretation``, plus
``rounds``, ``groups`` and ``consensus`` from the quality analyses; extended, never
renamed), and the diagnostics (``diagnostics``, ``annotator_camps``;
:func:`analysis.diagnostics.diagnose`), and with model annotators ``models_vs_humans``
(:mod:`analysis.model_annotators`). At ordinal, interval and ratio levels each
annotator also gets ``leniency``, and the bias and fatigue flags follow the scale
(:mod:`analysis.diagnostics.rater_effects`). Every number there is a ``Metric.to_dict()``
object ``{"value", "ci_low", "ci_high", "n", "note"}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from analysis.base.blas import single_threaded_blas
from analysis.base.errors import UsageError
from analysis.data.dataset import AnnotationDataset
from analysis.data.levels import Level, check_level, check_level_values
from analysis.diagnostics import SuggestedLevel, diagnose, suggest_level
from analysis.diagnostics.rater_effects import rater_effects
from analysis.metrics.overall import AgreementSummary, agreement_summary
from analysis.metrics.pairwise import pairwise_table
from analysis.metrics.per_annotator import per_annotator_metrics
from analysis.metrics.tables import coincidence_matrix
from analysis.model_annotators.alt_test import DEFAULT_EPSILON
from analysis.model_annotators.section import compare_models
from analysis.quality.report_sections import compute_quality
from analysis.report.lanes import report_threads, side_lane
from analysis.report.result import REPORT_VERSION, AgreementReport, DatasetSummary
from analysis.report.task_result import TaskReport

__all__ = ["REPORT_VERSION", "build_report"]

LOAD_TASK_KEYS = ("task", "questions", "question")
"""Keys of the task reader's report that a single-label report adds to ``dataset.load``."""


def _dataset(
    source: AnnotationDataset | pd.DataFrame, level: Level | None, label_order: Sequence[str] | None
) -> AnnotationDataset:
    if isinstance(source, AnnotationDataset):
        if label_order is not None:
            raise UsageError(
                "The 'label_order' parameter of build_report applies to a table only; pass it "
                "to AnnotationDataset.from_table when building the dataset", option="label_order")
        return source if level is None else source.with_level(level)
    if not isinstance(source, pd.DataFrame):
        raise UsageError(
            "The 'dataset' parameter of build_report must be an AnnotationDataset or a canonical "
            f"table (DataFrame). Got {type(source).__name__} instead", option="dataset")
    return AnnotationDataset.from_table(
        source, level=check_level(level or "nominal", function="build_report"), label_order=label_order)


def _in_scale_order(dataset: AnnotationDataset, suggested: SuggestedLevel) -> AnnotationDataset:
    """At a non-nominal level, named scale points in the scale's order, not alphabetical.

    Only a dataset whose labels are in the default (alphabetical) order is reordered, so an
    explicit ``label_order`` is kept.
    """
    labels = tuple(dataset.labels)
    if (dataset.level == "nominal" or suggested.order is None
            or suggested.kind not in ("ordered_names", "numbered_names")
            or labels != tuple(sorted(labels)) or tuple(suggested.order) == labels):
        return dataset
    ordered = AnnotationDataset.from_table(dataset.table, level=dataset.level, label_order=list(suggested.order),
                                           task_type=dataset.task_type, load_report=dataset.load_report)
    return replace(ordered, task_load=dataset.task_load, model_table=dataset.model_table,
                   models_included=dataset.models_included)


def _model_notes(dataset: AnnotationDataset) -> list[str]:
    """Say whether the figures count the model annotators (the load report names them)."""
    names = dataset.model_annotators
    if not names:
        return []
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    if dataset.models_included:
        return [f"{len(names)} model annotator(s) ({shown}) are counted with the humans "
                "(include_models); models_vs_humans compares them with the humans"]
    return [f"{len(names)} model annotator(s) ({shown}) are not counted in these figures; "
            "models_vs_humans compares them with the humans (include_models counts them)"]


def _summary(dataset: AnnotationDataset, notes: Sequence[str], load: dict[str, Any] | None,
             suggested: SuggestedLevel | None = None) -> DatasetSummary:
    data = dataset.reliability
    warnings = list((load or {}).get("warnings", []))
    per_item = data.judgements_per_item()
    single = int((per_item == 1).sum())
    if single:
        warnings.append(f"{single} items have a single judgement and do not enter agreement")
    if data.n_annotators < 2:
        warnings.append("only one annotator: agreement cannot be measured")
    if data.pair_sample.sampled:
        warnings.append("the measures of annotator pairs (mean_pairwise_cohen_kappa, pairwise, "
                        "the bias index, the pairwise homogeneity tests) are "
                        + str(data.pair_sample.note()))
    warnings.extend(note for note in notes if note not in warnings)
    return DatasetSummary(
        items=data.n_items,
        annotators=data.n_annotators,
        annotations=int(per_item.sum()),
        labels=tuple(data.labels),
        level=dataset.level,
        items_with_two_or_more=int((per_item >= 2).sum()),
        single_judgement_items=single,
        warnings=tuple(warnings),
        load=load,
        suggested=suggested,
    )


def build_report(
    dataset: AnnotationDataset | pd.DataFrame,
    *,
    level: Level | None = None,
    bootstrap: int = 1000,
    seed: int = 0,
    consensus: bool = False,
    load_report: dict[str, Any] | None = None,
    label_order: Sequence[str] | None = None,
    agreement: AgreementSummary | None = None,
    all_pairs: bool = False,
    alt_epsilon: float = DEFAULT_EPSILON,
) -> AgreementReport | TaskReport:
    """Measure agreement on a dataset and return the typed report.

    One path for every task type: a ``single_label`` dataset gives an
    :class:`AgreementReport`; a ``multi_label`` or ``spans`` dataset
    (:meth:`AnnotationDataset.from_task_data`) a
    :class:`~analysis.report.task_result.TaskReport`. Both carry ``task`` and a
    ``to_dict()`` that is the JSON contract.

    Parameters
    ----------
    dataset : AnnotationDataset or DataFrame
        The dataset, or a canonical table (``analysis.data.schema``) turned into one.
    level : {"nominal", "ordinal", "interval", "ratio"}, optional
        Level of measurement; the dataset's own by default (nominal for a table).
    bootstrap : int, default 1000
        Resamples of items for the intervals (0: no bootstrap intervals).
    seed : int, default 0
    consensus : bool, default False
        Also build the consensus per item (the ``consensus`` section).
    load_report : dict, optional
        ``LoadReport.to_dict()`` to keep under ``dataset.load`` (its warnings join
        ``dataset.warnings``); by default the dataset's own load report, if any.
    label_order : sequence of str, optional
        Label order for the ordinal level, when ``dataset`` is a table.
    agreement : AgreementSummary, optional
        The dataset's :func:`~analysis.metrics.agreement_summary` at this level with the
        same ``bootstrap`` and ``seed``, when it was computed already (the dashboard shows
        the headline numbers first); computed here when omitted.
    all_pairs : bool, default False
        List every pair of annotators under ``pairwise``, also those without a shared
        item (kappa undefined); by default only pairs that share items are listed.
    alt_epsilon : float, default 0.2
        The Alternative Annotator Test's cost-benefit margin for the ``models_vs_humans``
        section (datasets with model annotators; :mod:`analysis.model_annotators`).

    Returns
    -------
    AgreementReport or TaskReport
        By ``dataset.task``; ``.to_dict()`` is strict-JSON-serialisable (no NaN).
        ``level``, ``agreement`` and ``all_pairs`` apply to single-label data only.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aabbcc"), "annotator": list("xyxyxy"),
    ...                       "label": list("ppnnpn")})
    >>> report = build_report(table, bootstrap=0)
    >>> report.overall["cohen_kappa"].value, report.pairwise[0].items
    (0.4, 3)
    >>> report.to_dict()["pairwise"][0]["cohen_kappa"]["value"]
    0.4
    >>> from analysis.data.judgements import SpanData
    >>> spans = SpanData.build([("d", "a", 0, 3, "PER"), ("d", "b", 0, 3, "PER")],
    ...                        texts={"d": "Kim ran"})
    >>> report = build_report(AnnotationDataset.from_task_data(spans), bootstrap=0)
    >>> report.task, report.overall["span_f1_strict"].value
    ('spans', 1.0)
    """
    if not isinstance(bootstrap, int) or bootstrap < 0:
        raise UsageError(f"The 'bootstrap' parameter of build_report must be an int >= 0. "
                         f"Got {bootstrap!r} instead", option="bootstrap")
    if isinstance(dataset, AnnotationDataset) and dataset.task_type != "single_label":
        from analysis.tasks.report import task_report

        if dataset.task_data is None:
            raise UsageError(
                f"The {dataset.task_type} dataset holds no task data; build it with "
                "AnnotationDataset.from_task_data", option="dataset")
        return task_report(dataset, bootstrap=bootstrap, seed=seed, consensus=consensus,
                           load_report=load_report)
    dataset = _dataset(dataset, level, label_order)
    check_level_values(dataset.level, dataset.labels)
    suggested = suggest_level(dataset.labels)
    dataset = _in_scale_order(dataset, suggested)
    if load_report is None and dataset.load_report is not None:
        load_report = dataset.load_report.to_dict()
        if dataset.task_load is not None:  # the task reader's detection and questions
            load_report.update({key: dataset.task_load[key] for key in LOAD_TASK_KEYS
                                if key in dataset.task_load})
    def side_sections() -> tuple[Any, ...]:
        # sections that need nothing from the agreement ones: a second core's work
        return (compute_quality(dataset, seed=seed, bootstrap=bootstrap, include_consensus=consensus),
                pairwise_table(dataset, all_pairs=all_pairs), coincidence_matrix(dataset),
                rater_effects(dataset))

    # One BLAS thread for the whole report: each section limits BLAS on entry and puts
    # back what it found on exit, so with two lanes one section's exit would otherwise
    # hand the other's products BLAS's own threads (which spin-wait on a busy core).
    with single_threaded_blas(), side_lane(report_threads(dataset.reliability.n_judgements)) as start:
        side = start(side_sections)
        summary = agreement if agreement is not None else agreement_summary(
            dataset, bootstrap_resamples=bootstrap, seed=seed)
        annotator_metrics = per_annotator_metrics(
            dataset, bootstrap_resamples=bootstrap, seed=seed,
            alpha_all=summary.overall["krippendorff_alpha"].value,
        )
        diagnosis = diagnose(dataset, overall=summary.overall, per_class=summary.per_class,
                             suggested=suggested, bootstrap=bootstrap, seed=seed)
        quality, pairwise, coincidence, effects = side()
        models = compare_models(dataset, epsilon=alt_epsilon, bootstrap=bootstrap, seed=seed)
    return AgreementReport(
        dataset=dataset,
        summary=_summary(dataset, [*summary.notes, *_model_notes(dataset)], load_report, suggested),
        agreement=summary,
        annotator_metrics=annotator_metrics,
        pairwise=pairwise,
        quality=quality,
        coincidence=coincidence,
        diagnosis=diagnosis,
        rater_effects=effects,
        bootstrap=bootstrap,
        seed=seed,
        models=models,
    )
