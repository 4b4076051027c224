"""The measuring step of :func:`analysis.report.build_report` for multi-label and span
datasets: every task analysis run once, returned as a typed
:class:`~analysis.report.task_result.TaskReport`.

Call :func:`analysis.report.build_report` (which dispatches on ``dataset.task``) rather than
this module.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from analysis.data.dataset import AnnotationDataset
from analysis.data.judgements import SpanData
from analysis.report.task_result import TaskReport, TaskSummary


def task_report(dataset: AnnotationDataset, *, bootstrap: int = 1000, seed: int = 0,
                consensus: bool = False, load_report: dict[str, Any] | None = None,
                ambiguity: bool = True) -> TaskReport:
    """Measure a multi-label or span dataset.

    Parameters
    ----------
    dataset : AnnotationDataset
        With ``task_data`` (:meth:`AnnotationDataset.from_task_data`).
    bootstrap : int, default 1000
        Resamples of items (documents for spans) for the intervals; 0 disables.
    seed : int, default 0
    consensus : bool, default False
        Spans: add the consensus spans and the held-out check of the consensus.
    load_report : dict, optional
        The load report, kept under ``dataset.load``; by default the dataset's
        ``task_load``.
    ambiguity : bool, default True
        Add the ``ambiguity`` section.

    Returns
    -------
    TaskReport

    Examples
    --------
    >>> from analysis.data.judgements import MultiLabelData
    >>> data = MultiLabelData.from_records([("1", "a", "xy"), ("1", "b", "x")])
    >>> report = task_report(AnnotationDataset.from_task_data(data), bootstrap=0)
    >>> report.task, report.overall["exact_set_agreement"].value
    ('multi_label', 0.0)
    """
    data = dataset.task_data
    if load_report is None:
        load_report = dataset.task_load
    warnings = list((load_report or {}).get("warnings", []))
    extra: dict[str, Any] = {}
    if isinstance(data, SpanData):
        from analysis.tasks.spans.agreement import span_agreement

        sections = span_agreement(data, n_replicates=bootstrap, seed=seed, consensus=consensus)
        per_item = data.judgements.groupby("item_id").size().to_numpy()
        counts = {"items": len(data.item_ids), "annotators": len(data.annotators),
                  "annotations": len(data.judgements), "spans": len(data.spans)}
        extra["disagreements"] = sections["disagreements"]
        if consensus:
            extra["consensus"] = tuple(sections["consensus"])
            extra["consensus_check"] = sections["consensus_check"]
        sample = sections["sample"]
        if sample.sampled:
            warnings.append("the measures of annotator pairs (span_f1_strict, span_f1_overlap, "
                            "pairwise, disagreements, ambiguity) are " + str(sample.note()))
        if ambiguity:
            from analysis.tasks.spans.ambiguity import span_ambiguity

            extra["ambiguity"] = span_ambiguity(sample.data)
    elif data is not None:
        from analysis.tasks.multilabel import multilabel_agreement

        sections = multilabel_agreement(data, n_replicates=bootstrap, seed=seed)
        if sections["sample"].sampled:
            warnings.append("the pairwise list is " + str(sections["sample"].note()))
        per_item = np.bincount(data.item, minlength=data.n_items)
        counts = {"items": data.n_items, "annotators": len(data.annotators),
                  "annotations": len(data.item), "spans": None}
        if ambiguity:
            from analysis.tasks.multilabel_ambiguity import label_pair_confusions

            extra["ambiguity"] = label_pair_confusions(data)
    else:
        from analysis.base.errors import UsageError

        raise UsageError("The 'dataset' parameter of task_report must hold multi-label or "
                         "span data (AnnotationDataset.from_task_data)", option="dataset")
    single = int((per_item == 1).sum())
    if single:
        warnings.append(f"{single} items have a single judgement and do not enter agreement")
    if len(data.labels) == 0:
        warnings.append("no label or span was found: nothing to measure")
    summary = TaskSummary(task=dataset.task_type, labels=tuple(data.labels),
                          items_with_two_or_more=int((per_item >= 2).sum()),
                          single_judgement_items=single, warnings=tuple(warnings),
                          load=load_report, **counts)
    return TaskReport(dataset=dataset, summary=summary, overall=sections["overall"],
                      per_class=sections["per_class"], per_annotator=sections["per_annotator"],
                      pairwise=tuple(sections["pairwise"]), bootstrap=bootstrap, seed=seed,
                      **extra)
