"""The agreement report of a multi-label or span dataset: the same top-level keys as the
single-label report (``dataset``, ``overall``, ``per_class``, ``per_annotator``,
``pairwise``, ``interpretation``), with ``dataset.task`` saying which task it measures.

Multi-label adds ``ambiguity`` (label pairs that co-occur in disagreement); spans add
``disagreements`` (boundary / type / missed), ``ambiguity`` (clusters of disagreed spans
with a drafted rule) and, when asked, ``consensus`` and ``consensus_check``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from analysis.metric import Metric
from analysis.metrics.bands import interpret_metric
from analysis.tasks.types import MultiLabelData, SpanData

REPORT_VERSION = 1
BAND_OF = {"krippendorff_alpha_masi": "krippendorff_alpha",
           "krippendorff_alpha_jaccard": "krippendorff_alpha",
           "token_krippendorff_alpha": "krippendorff_alpha",
           "mean_per_label_kappa": "fleiss_kappa"}


def jsonable(value: Any) -> Any:
    """Metrics to dicts, numpy scalars to Python, NaN/inf to None (strict JSON)."""
    if isinstance(value, Metric):
        return value.to_dict()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _interpretation(overall: dict[str, Metric]) -> dict[str, Any]:
    out = {}
    for name, metric in overall.items():
        band = interpret_metric(BAND_OF[name], metric.value) if name in BAND_OF else None
        out[name] = None if band is None else band.to_dict()
    return {"overall": out, "per_annotator": {}}


def build_task_report(data: MultiLabelData | SpanData, *, bootstrap: int = 1000, seed: int = 0,
                      consensus: bool = False, load_report: dict[str, Any] | None = None,
                      ambiguity: bool = True) -> dict[str, Any]:
    """Measure a multi-label or span dataset and return the report dictionary.

    Parameters
    ----------
    data : MultiLabelData or SpanData
    bootstrap : int, default 1000
        Resamples of items (documents for spans) for the intervals; 0 disables.
    seed : int, default 0
    consensus : bool, default False
        Spans: add the consensus spans and the held-out check of the consensus.
    load_report : dict, optional
        The load report, kept under ``dataset.load``.
    ambiguity : bool, default True
        Add the ``ambiguity`` section.

    Returns
    -------
    dict
        Strict-JSON-serialisable.

    Examples
    --------
    >>> data = MultiLabelData.from_records([("1", "a", "xy"), ("1", "b", "x")])
    >>> report = build_task_report(data, bootstrap=0)
    >>> report["dataset"]["task"], report["overall"]["exact_set_agreement"]["value"]
    ('multi_label', 0.0)
    """
    warnings = list((load_report or {}).get("warnings", []))
    if isinstance(data, SpanData):
        from analysis.tasks.spans.agreement import span_agreement

        sections = span_agreement(data, n_replicates=bootstrap, seed=seed, consensus=consensus)
        per_item = data.judgements.groupby("item_id").size()
        dataset: dict[str, Any] = {"task": "spans", "items": len(per_item),
                                   "annotators": len(data.annotators),
                                   "annotations": len(data.judgements),
                                   "spans": len(data.spans), "labels": list(data.labels)}
        if ambiguity:
            from analysis.tasks.spans.ambiguity import span_ambiguity

            sections["ambiguity"] = span_ambiguity(data)
    else:
        from analysis.tasks.multilabel import multilabel_agreement

        sections = multilabel_agreement(data, n_replicates=bootstrap, seed=seed)
        counts = np.bincount(data.item, minlength=data.n_items)
        per_item = counts
        dataset = {"task": "multi_label", "items": data.n_items,
                   "annotators": len(data.annotators), "annotations": len(data.item),
                   "labels": list(data.labels)}
        if ambiguity:
            from analysis.tasks.multilabel_ambiguity import label_pair_confusions

            sections["ambiguity"] = label_pair_confusions(data)
    per_item = np.asarray(per_item)
    single = int((per_item == 1).sum())
    if single:
        warnings.append(f"{single} items have a single judgement and do not enter agreement")
    if len(dataset["labels"]) == 0:
        warnings.append("no label or span was found: nothing to measure")
    dataset.update(items_with_two_or_more=int((per_item >= 2).sum()),
                   single_judgement_items=single, warnings=warnings)
    if load_report is not None:
        dataset["load"] = load_report
    report = {"report_version": REPORT_VERSION, "dataset": dataset,
              "overall": sections.pop("overall"), "per_class": sections.pop("per_class"),
              "per_annotator": sections.pop("per_annotator"),
              "pairwise": sections.pop("pairwise")}
    report["interpretation"] = _interpretation(report["overall"])
    report.update(sections)
    return jsonable(report)
