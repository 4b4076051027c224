"""Report sections contributed by the quality analyses (a public JSON contract).

Keys: ``per_annotator`` (name -> ``ds_accuracy``, ``fatigue_slope``, ``bias_chi2``,
``loo_agreement``, ``alpha_without`` as metric objects; ``flags`` with ``fatigue``,
``bias`` and ``low_quality``; ``rank``, ``rank_score``, ``items``, ``favoured_label``,
``cramers_v``),
``rounds`` (when the table has batch values), ``groups`` (when it has annotator-group
values) and ``consensus`` (when asked for).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analysis.consensus.dawid_skene import DawidSkene
from analysis.consensus.items import consensus_table
from analysis.metric import Metric
from analysis.metrics.levels import Level
from analysis.quality.annotators import annotator_quality_table
from analysis.quality.bias import bias_table
from analysis.quality.fatigue import fatigue_metric, fatigue_trends
from analysis.quality.groups import group_agreement, metric_from_row, round_agreement
from analysis.reliability import ReliabilityData
from analysis.schema import ANNOTATOR, BATCH, GROUP, ITEM, has_values


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _bias_metric(row: pd.Series | dict) -> Metric:
    if pd.isna(row["chi2"]):
        return Metric.undefined(str(row["note"]), n=int(row["items"]))
    return Metric(
        row["chi2"],
        n=int(row["items"]),
        note=(
            "chi-square goodness of fit of the annotator's labels against the other "
            f"annotators' vote shares on the same items (df={int(row['df'])}); "
            f"Holm-adjusted p={row['p_adjusted']:.3g}; Cramér's V={row['cramers_v']:.3f}"
        ),
    )


def _annotator_sections(
    table: pd.DataFrame, data: ReliabilityData, model: DawidSkene, *, seed: int, bootstrap: int,
    level: Level,
) -> dict[str, Any]:
    quality = annotator_quality_table(data, model=model, bootstrap=bootstrap, seed=seed, level=level)
    fatigue_frame = fatigue_trends(table, data)
    bias_frame = bias_table(data)
    fatigue = dict(zip(fatigue_frame[ANNOTATOR].astype(str),
                       fatigue_frame.to_dict("records"), strict=True))
    bias = dict(zip(bias_frame[ANNOTATOR].astype(str),
                    bias_frame.to_dict("records"), strict=True))
    sections: dict[str, Any] = {}
    for row in quality.itertuples(index=False):
        name = str(getattr(row, ANNOTATOR))
        fatigue_row, bias_row = fatigue[name], bias[name]
        ds = (
            Metric(row.ds_accuracy, _number(row.ds_ci_low), _number(row.ds_ci_high), n=int(row.items),
                   note="Dawid-Skene expected share of this annotator's labels that are correct; "
                   "Wilson score 95% interval over their judgements")
            if np.isfinite(row.ds_accuracy)
            else Metric.undefined("the annotator made no judgements", n=0)
        )
        loo = (
            Metric(row.loo_agreement, _number(row.loo_ci_low), _number(row.loo_ci_high),
                   n=int(row.loo_items),
                   note="agreement with the majority of the other annotators; Wilson score 95% interval")
            if np.isfinite(row.loo_agreement)
            else Metric.undefined("no item where the other annotators have a majority", n=0)
        )
        alpha_without = (
            Metric(row.alpha_without, n=int(row.items),
                   note=f"{level} Krippendorff alpha of the others; change {row.alpha_change:+.3f}")
            if np.isfinite(row.alpha_without)
            else Metric.undefined("alpha of the other annotators is undefined")
        )
        sections[name] = {
            "rank": int(row.rank),
            "rank_score": _number(row.rank_score),
            "items": int(row.items),
            "ds_accuracy": ds.to_dict(),
            "loo_agreement": loo.to_dict(),
            "alpha_without": alpha_without.to_dict(),
            "fatigue_slope": fatigue_metric(fatigue_row).to_dict(),
            "bias_chi2": _bias_metric(bias_row).to_dict(),
            "favoured_label": None if bias_row["note"] else str(bias_row["favoured_label"]),
            "cramers_v": _number(bias_row["cramers_v"]),
            "flags": {
                "fatigue": bool(fatigue_row["fatigue"]),
                "bias": bool(bias_row["bias"]),
                "low_quality": bool(row.low_quality),
            },
        }
    return sections


def _rounds(table: pd.DataFrame, data: ReliabilityData, *, seed: int, bootstrap: int,
            level: Level) -> list[dict[str, Any]]:
    rounds = round_agreement(table, data, bootstrap=bootstrap, seed=seed, level=level)
    result = []
    for index, row in rounds.iterrows():
        change = None
        if index > 0:
            change = (
                Metric(row["change"], _number(row["change_ci_low"]), _number(row["change_ci_high"]),
                       n=int(row["n"]), note=row["change_note"])
                if pd.notna(row["change"])
                else Metric.undefined(str(row["change_note"]), n=int(row["n"]))
            ).to_dict()
        result.append(
            {
                "batch": str(row["batch"]),
                "items": int(row["items"]),
                "krippendorff_alpha": metric_from_row(row).to_dict(),
                "change_from_previous": change,
            }
        )
    return result


def _groups(table: pd.DataFrame, data: ReliabilityData, *, seed: int, bootstrap: int,
            level: Level) -> dict[str, Any]:
    groups = group_agreement(table, data, bootstrap=bootstrap, seed=seed, level=level)
    return {
        "within": [
            {"group": str(row["group"]), "annotators": int(row["annotators"]), "items": int(row["items"]),
             "krippendorff_alpha": metric_from_row(row).to_dict()}
            for _, row in groups.within.iterrows()
        ],
        "between": [
            {"groups": [str(row["group_a"]), str(row["group_b"])], "items": int(row["items"]),
             "krippendorff_alpha": metric_from_row(row).to_dict()}
            for _, row in groups.between.iterrows()
        ],
        "note": "between: alpha between the groups' majority labels on items both groups labelled",
    }


def quality_sections(
    table: pd.DataFrame,
    data: ReliabilityData,
    *,
    seed: int,
    bootstrap: int,
    include_consensus: bool,
    level: Level = "nominal",
) -> dict[str, Any]:
    """Quality content for the report: per annotator, rounds, groups, consensus.

    Parameters
    ----------
    table : DataFrame
        The canonical table ``data`` was built from.
    data : ReliabilityData
        Label codes per item and annotator.
    seed : int
        Seed of every bootstrap.
    bootstrap : int
        Bootstrap replicates for every interval.
    include_consensus : bool
        Add the ``consensus`` list (one entry per item: Dawid-Skene label,
        its posterior, vote entropy).
    level : {"nominal", "ordinal", "interval", "ratio"}, default "nominal"
        The report's level of measurement: every alpha here (without each annotator,
        per round, per group) uses it.

    Returns
    -------
    dict
        JSON-ready; see the module docstring for the keys.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aabb"), "annotator": list("xyxy"),
    ...                       "label": list("ppnp"), "batch": ["1", "1", "2", "2"]})
    >>> sections = quality_sections(table, ReliabilityData.from_table(table), seed=0,
    ...                             bootstrap=0, include_consensus=True)
    >>> sorted(sections), sorted(sections["per_annotator"]["x"]["flags"])
    (['consensus', 'per_annotator', 'rounds'], ['bias', 'fatigue', 'low_quality'])
    """
    if data.n_items == 0:
        return {"per_annotator": {}}
    model = DawidSkene().fit(data)
    sections: dict[str, Any] = {
        "per_annotator": _annotator_sections(table, data, model, seed=seed, bootstrap=bootstrap,
                                             level=level)
    }
    if has_values(table, BATCH):
        sections["rounds"] = _rounds(table, data, seed=seed, bootstrap=bootstrap, level=level)
    if has_values(table, GROUP):
        sections["groups"] = _groups(table, data, seed=seed, bootstrap=bootstrap, level=level)
    if include_consensus:
        items = consensus_table(data, model=model)
        sections["consensus"] = [
            {ITEM: str(item), "label": str(label), "posterior": float(posterior), "entropy": float(entropy)}
            for item, label, posterior, entropy in zip(
                items[ITEM], items["ds_label"], items["ds_posterior"], items["vote_entropy"], strict=True
            )
        ]
    return sections
