"""The agreement report: one JSON-ready dictionary, the public contract of the CLI.

Keys (extended, never renamed): ``dataset``, ``overall``, ``per_class``,
``per_annotator``, ``pairwise``, ``interpretation``, plus the sections the quality
analyses contribute (``rounds``, ``groups``, ``consensus``). Every number is a
``Metric.to_dict()`` object ``{"value", "ci_low", "ci_high", "n", "note"}``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from analysis.metric import Metric
from analysis.metrics.bands import interpret_metric
from analysis.metrics.levels import Level, check_level, check_level_values
from analysis.metrics.overall import agreement_summary
from analysis.metrics.per_annotator import pairwise_kappas, per_annotator_metrics
from analysis.quality.report_sections import quality_sections
from analysis.reliability import MISSING, ReliabilityData

REPORT_VERSION = 1


def _jsonable(value: Any) -> Any:
    """Metrics to dicts, numpy scalars to Python, NaN/inf to None (strict JSON)."""
    if isinstance(value, Metric):
        return value.to_dict()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _dataset_section(data: ReliabilityData, level: Level, warnings: list[str]) -> dict[str, Any]:
    per_item = (data.codes != MISSING).sum(axis=1)
    single = int((per_item == 1).sum())
    if single:
        warnings.append(f"{single} items have a single judgement and do not enter agreement")
    if data.n_annotators < 2:
        warnings.append("only one annotator: agreement cannot be measured")
    return {
        "items": data.n_items,
        "annotators": data.n_annotators,
        "annotations": int(per_item.sum()),
        "labels": list(data.labels),
        "level": level,
        "items_with_two_or_more": int((per_item >= 2).sum()),
        "single_judgement_items": single,
        "warnings": warnings,
    }


def build_report(
    table: pd.DataFrame,
    *,
    level: Level = "nominal",
    bootstrap: int = 1000,
    seed: int = 0,
    consensus: bool = False,
    load_report: dict[str, Any] | None = None,
    label_order: list[str] | None = None,
) -> dict[str, Any]:
    """Measure agreement on a canonical table and return the report dictionary.

    Parameters
    ----------
    table : DataFrame
        Canonical table (``analysis.schema``).
    level : {"nominal", "ordinal", "interval", "ratio"}
    bootstrap : int, default 1000
        Resamples of items for the intervals (0: no bootstrap intervals).
    seed : int, default 0
    consensus : bool, default False
        Ask the quality analyses for the consensus section.
    load_report : dict, optional
        ``LoadReport.to_dict()`` of the file, kept under ``dataset.load``; its warnings
        join ``dataset.warnings``.
    label_order : list of str, optional
        Label order for the ordinal level.

    Returns
    -------
    dict
        Strict-JSON-serialisable (no NaN).

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aabbcc"), "annotator": list("xyxyxy"),
    ...                       "label": list("ppnnpn")})
    >>> report = build_report(table, bootstrap=0)
    >>> report["overall"]["cohen_kappa"]["value"], report["pairwise"][0]["items"]
    (0.4, 3)
    """
    level = check_level(level)
    data = ReliabilityData.from_table(table, label_order=label_order)
    check_level_values(level, data.labels)
    warnings = list((load_report or {}).get("warnings", []))
    dataset = _dataset_section(data, level, warnings)
    if load_report is not None:
        dataset["load"] = load_report
    summary = agreement_summary(data, level=level, bootstrap_resamples=bootstrap, seed=seed)
    dataset["warnings"].extend(n for n in summary.notes if n not in dataset["warnings"])
    per_annotator = per_annotator_metrics(
        data, level=level, bootstrap_resamples=bootstrap, seed=seed,
        alpha_all=summary.overall["krippendorff_alpha"].value,
    )
    interpretation: dict[str, Any] = {"overall": {}, "per_annotator": {}}
    for name, metric in summary.overall.items():
        band = interpret_metric(name, metric.value)
        interpretation["overall"][name] = None if band is None else band.to_dict()
    for name, entry in per_annotator.items():
        interpretation["per_annotator"][name] = {
            key: (None if (band := interpret_metric(key, entry[key].value)) is None
                  else band.to_dict())
            for key in ("kappa_vs_consensus", "alpha_without")
        }
    report: dict[str, Any] = {
        "report_version": REPORT_VERSION,
        "dataset": dataset,
        "overall": summary.overall,
        "per_class": summary.per_class,
        "per_annotator": per_annotator,
        "pairwise": [pair.to_dict() for pair in pairwise_kappas(data, level=level)],
        "interpretation": interpretation,
    }
    extra = quality_sections(table, data, seed=seed, bootstrap=bootstrap,
                             include_consensus=consensus) or {}
    for key, value in extra.items():
        if key == "per_annotator" and isinstance(value, dict):
            for name, fields in value.items():
                report["per_annotator"].setdefault(str(name), {}).update(fields)
        else:
            report[key] = value
    return _jsonable(report)
