"""The single-label task: one label per item and annotator, the
:class:`~analysis.report.result.AgreementReport` (agreement, quality, diagnostics, models
versus humans) and its tables and verdict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import pandas as pd

from analysis.base.blas import single_threaded_blas
from analysis.base.errors import UsageError
from analysis.consensus.table import consensus_table
from analysis.data.dataset import AnnotationDataset
from analysis.data.levels import check_level_values
from analysis.diagnostics import SuggestedLevel, diagnose, suggested_level_of
from analysis.diagnostics.rater_effects import rater_effects
from analysis.messages import note
from analysis.metrics.overall import agreement_summary
from analysis.metrics.pairwise import pairwise_table
from analysis.metrics.per_annotator import per_annotator_metrics
from analysis.metrics.tables import coincidence_matrix
from analysis.model_annotators.section import compare_models
from analysis.quality.report_sections import compute_quality
from analysis.report.lanes import report_threads, side_lane
from analysis.report.protocol import GoldKind, Language, ReportOptions, Section
from analysis.report.render import single_label_tables, typed_sections
from analysis.report.result import AgreementReport, DatasetSummary
from analysis.report.verdict import single_label_sentences

LOAD_TASK_KEYS = ("task", "questions", "question")
"""Keys of the task reader's report that a single-label report adds to ``dataset.load``."""

TASK_NAME = "single_label"
"""The task type this module implements (found by :mod:`analysis.report.task_registry`)."""
TASK_RANK = 10
"""Its place among the built-in task types."""


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
    return dataset.with_label_order(suggested.order)


def _model_notes(dataset: AnnotationDataset) -> list[str]:
    """Say whether the figures count the model annotators (the load report names them)."""
    names = dataset.model_annotators
    if not names:
        return []
    shown = ", ".join(names[:5])
    listed = note("list.more", shown=shown, more=len(names) - 5) if len(names) > 5 else shown
    code = "summary.models_counted" if dataset.models_included else "summary.models_not_counted"
    return [note(code, count=len(names), shown=listed)]


def _summary(dataset: AnnotationDataset, notes: Sequence[str], load: dict[str, Any] | None,
             suggested: SuggestedLevel | None = None) -> DatasetSummary:
    data = dataset.reliability
    warnings = list((load or {}).get("warnings", []))
    per_item = data.judgements_per_item()
    single = int((per_item == 1).sum())
    if single:
        warnings.append(note("summary.single_judgement", count=single))
    if data.n_annotators < 2:
        warnings.append(note("summary.one_annotator"))
    if data.pair_sample.sampled:
        warnings.append(note("summary.pairs_sampled", sample=data.pair_sample.note()))
    warnings.extend(text for text in notes if text not in warnings)
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


def measure(dataset: AnnotationDataset, options: ReportOptions) -> AgreementReport:
    """Every single-label analysis run once on ``dataset`` (the body of
    :func:`analysis.report.build_report` for single-label data)."""
    if options.label_order is not None:
        raise UsageError(
            "The 'label_order' parameter of build_report applies to a table only; pass it "
            "to AnnotationDataset.from_table when building the dataset", option="label_order")
    if options.level is not None:
        dataset = dataset.with_level(options.level)  # type: ignore[arg-type]
    load = options.load_report
    check_level_values(dataset.level, dataset.labels)
    suggested = suggested_level_of(dataset)
    dataset = _in_scale_order(dataset, suggested)
    if load is None and dataset.load_report is not None:
        load = dataset.load_report.to_dict()
        if dataset.task_load is not None:  # the task reader's detection and questions
            load.update({key: dataset.task_load[key] for key in LOAD_TASK_KEYS
                        if key in dataset.task_load})
    def side_sections() -> tuple[Any, ...]:
        # sections that need nothing from the agreement ones: a second core's work
        return (compute_quality(dataset, seed=options.seed, bootstrap=options.bootstrap, include_consensus=options.consensus),
                pairwise_table(dataset, all_pairs=options.all_pairs), coincidence_matrix(dataset),
                rater_effects(dataset))

    # One BLAS thread for the whole report: each section limits BLAS on entry and puts
    # back what it found on exit, so with two lanes one section's exit would otherwise
    # hand the other's products BLAS's own threads (which spin-wait on a busy core).
    with single_threaded_blas(), side_lane(report_threads(dataset.reliability.n_judgements)) as start:
        side = start(side_sections)
        summary = options.agreement if options.agreement is not None else agreement_summary(
            dataset, bootstrap_resamples=options.bootstrap, seed=options.seed)
        annotator_metrics = per_annotator_metrics(
            dataset, bootstrap_resamples=options.bootstrap, seed=options.seed,
            alpha_all=summary.overall["krippendorff_alpha"].value,
        )
        diagnosis = diagnose(dataset, overall=summary.overall, per_class=summary.per_class,
                             suggested=suggested, bootstrap=options.bootstrap, seed=options.seed)
        quality, pairwise, coincidence, effects = side()
        models = compare_models(dataset, epsilon=options.alt_epsilon, bootstrap=options.bootstrap, seed=options.seed)
    return AgreementReport(
        dataset=dataset,
        summary=_summary(dataset, [*summary.notes, *_model_notes(dataset)], load, suggested),
        agreement=summary,
        annotator_metrics=annotator_metrics,
        pairwise=pairwise,
        quality=quality,
        coincidence=coincidence,
        diagnosis=diagnosis,
        rater_effects=effects,
        bootstrap=options.bootstrap,
        seed=options.seed,
        models=models,
    )


class SingleLabelTask:
    """The single-label task (:class:`~analysis.report.protocol.Task`)."""

    name = TASK_NAME
    typed_keys = frozenset({"most_confused_pair", "guideline_before_after"})
    title: ClassVar[Mapping[str, str]] = {"en": "one label per item", "ko": "항목당 라벨 하나"}
    one_label_per_item = True
    gold: GoldKind = "labels"

    def measure(self, dataset: AnnotationDataset, options: ReportOptions) -> AgreementReport:
        """See :func:`measure`."""
        return measure(dataset, options)

    def tables(self, report: Mapping[str, Any], language: Language) -> list[Section]:
        """Per label, per annotator, camps, models versus humans and pairwise kappa."""

        return single_label_tables(report, language)

    def typed_tables(self, report: Any, guideline: pd.DataFrame | None) -> list[Section]:
        """Round changes, the most confused labels and the guideline before/after."""

        return typed_sections(report, guideline)

    def verdict(self, report: Mapping[str, Any], ko: bool) -> list[str]:
        """Alpha and its band, where agreement breaks, what to do next."""

        return single_label_sentences(report, ko)

    def consensus(self, dataset: AnnotationDataset, *, seed: int = 0) -> pd.DataFrame:
        """Each item's majority and Dawid-Skene labels and how ambiguous it is
        (:func:`analysis.consensus.consensus_table`)."""
        return consensus_table(dataset, seed=seed)

    def ambiguity(self, dataset: AnnotationDataset, *, seed: int = 0, **options: Any) -> dict[str, Any]:
        """The ambiguity clusters of the item texts (the JSON of
        :func:`analysis.clusters.find_ambiguity_clusters`, which takes ``options``: the
        embedder or precomputed embeddings, thresholds)."""
        # start-up: the clustering (and its embedding back ends) loads only when asked for
        from analysis.clusters import find_ambiguity_clusters

        return find_ambiguity_clusters(dataset, seed=seed, **options).to_dict()


TASK = SingleLabelTask()
