"""Report sections contributed by the quality analyses (a public JSON contract).

:func:`compute_quality` runs the analyses once and keeps their tables in a
:class:`QualitySections`; its ``to_dict()`` is the JSON the report holds.

Keys: ``per_annotator`` (name -> ``ds_accuracy``, ``fatigue_slope``, ``bias_chi2``,
``loo_agreement``, ``alpha_without`` as metric objects; ``flags`` with ``fatigue``,
``bias`` and ``low_quality``; ``rank``, ``rank_score``, ``items``, ``favoured_label``,
``cramers_v``),
``rounds`` (when the table has batch values), ``groups`` (when it has annotator-group
values) and ``consensus`` (when asked for).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.consensus.dawid_skene import DawidSkene
from analysis.consensus.table import consensus_table
from analysis.data.dataset import AnnotationDataset, as_dataset
from analysis.data.schema import ANNOTATOR, ITEM
from analysis.messages import note
from analysis.metrics.result import Metric
from analysis.quality.annotators import annotator_quality_table
from analysis.quality.bias import bias_table
from analysis.quality.fatigue import fatigue_metric, fatigue_trends
from analysis.quality.groups import (
    GroupAgreement,
    group_agreement,
    metric_from_row,
    round_agreement,
)
from analysis.quality.rounds import with_verdicts


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _bias_metric(row: pd.Series | dict) -> Metric:
    if pd.isna(row["chi2"]):
        return Metric.undefined(row["note"], n=int(row["items"]))
    return Metric(
        row["chi2"],
        n=int(row["items"]),
        note=note("bias.chi2", df=int(row["df"]), p=row["p_adjusted"], v=row["cramers_v"]),
    )


def _annotator_sections(quality: pd.DataFrame, fatigue_frame: pd.DataFrame, bias_frame: pd.DataFrame,
                        level: str = "nominal") -> dict[str, Any]:
    # plain dicts per annotator: a .loc lookup per row costs seconds with thousands of annotators
    fatigue = dict(zip(fatigue_frame[ANNOTATOR].astype(str), fatigue_frame.to_dict("records"), strict=True))
    bias = dict(zip(bias_frame[ANNOTATOR].astype(str), bias_frame.to_dict("records"), strict=True))
    sections: dict[str, Any] = {}
    for row in quality.itertuples(index=False):
        name = str(getattr(row, ANNOTATOR))
        fatigue_row, bias_row = fatigue[name], bias[name]
        ds = (
            Metric(row.ds_accuracy, _number(getattr(row, "ds_ci_low", None)),
                   _number(getattr(row, "ds_ci_high", None)), n=int(row.items),
                   note=note("quality.ds_accuracy"))
            if np.isfinite(row.ds_accuracy)
            else Metric.undefined(note("annotator.no_judgements"), n=0)
        )
        loo = (
            Metric(row.loo_agreement, _number(row.loo_ci_low), _number(row.loo_ci_high),
                   n=int(row.loo_items),
                   note=note("quality.loo_agreement"))
            if np.isfinite(row.loo_agreement)
            else Metric.undefined(note("annotator.no_majority"), n=0)
        )
        alpha_without = (
            Metric(row.alpha_without, n=int(row.items),
                   note=note("quality.alpha_without", level=note(f"level.{level}"),
                             change=float(row.alpha_change)))
            if np.isfinite(row.alpha_without)
            else Metric.undefined(note("annotator.others_alpha_undefined"))
        )
        sections[name] = {
            "rank": int(row.rank),
            "rank_score": _number(getattr(row, "rank_score", None)),
            "items": int(row.items),
            "ds_accuracy": ds.to_dict(),
            "loo_agreement": loo.to_dict(),
            "alpha_without": alpha_without.to_dict(),
            "fatigue_slope": fatigue_metric(fatigue_row).to_dict(),
            "bias_chi2": _bias_metric(bias_row).to_dict(),
            # tested rows have no note; pandas reads a missing note as NaN, which is truthy
            "favoured_label": None if pd.isna(bias_row["favoured_label"]) else str(bias_row["favoured_label"]),
            "cramers_v": _number(bias_row["cramers_v"]),
            "flags": {
                "fatigue": bool(fatigue_row["fatigue"]),
                "bias": bool(bias_row["bias"]),
                "low_quality": bool(row.low_quality),
            },
        }
    return sections


def _rounds(rounds: pd.DataFrame) -> list[dict[str, Any]]:
    result = []
    for index, row in rounds.iterrows():
        change = None
        if index > 0:
            change = (
                Metric(row["change"], _number(row["change_ci_low"]), _number(row["change_ci_high"]),
                       n=int(row["n"]), note=row["change_note"])
                if pd.notna(row["change"])
                else Metric.undefined(row["change_note"], n=int(row["n"]))
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


def _groups(groups: GroupAgreement) -> dict[str, Any]:
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
        "note": note("group.between"),

    }


@dataclass(frozen=True, eq=False)
class QualitySections:
    """The quality analyses of one dataset, run once: the tables and the fitted model.

    Attributes
    ----------
    model : DawidSkene or None
        The fitted consensus model (None when the dataset has no items).
    annotators : DataFrame or None
        :func:`~analysis.quality.annotator_quality_table` (one row per annotator).
    fatigue : DataFrame or None
        :func:`~analysis.quality.fatigue_trends`.
    bias : DataFrame or None
        :func:`~analysis.quality.bias_table`.
    rounds : DataFrame or None
        :func:`~analysis.quality.round_agreement` plus ``change_verdict``
        (:func:`~analysis.quality.rounds.with_verdicts`); None without batch values.
    groups : GroupAgreement or None
        :func:`~analysis.quality.group_agreement`; None without annotator groups.
    consensus : DataFrame or None
        :func:`~analysis.consensus.consensus_table`, when it was asked for.
    level : str
        The level of measurement every alpha here was computed at.
    """

    model: DawidSkene | None = None
    annotators: pd.DataFrame | None = None
    fatigue: pd.DataFrame | None = None
    bias: pd.DataFrame | None = None
    rounds: pd.DataFrame | None = None
    groups: GroupAgreement | None = None
    consensus: pd.DataFrame | None = None
    level: str = "nominal"

    def to_dict(self) -> dict[str, Any]:
        """The report sections: ``per_annotator`` and, when present, ``rounds``,
        ``groups`` and ``consensus`` (see the module docstring)."""
        return {"per_annotator": self.annotator_sections(), **self.table_sections()}

    def annotator_sections(self) -> dict[str, Any]:
        """The ``per_annotator`` section: annotator -> its fields (empty without the
        annotator tables)."""
        if self.annotators is None or self.fatigue is None or self.bias is None:
            return {}
        return _annotator_sections(self.annotators, self.fatigue, self.bias, self.level)

    def table_sections(self) -> dict[str, Any]:
        """``rounds``, ``groups`` and ``consensus``, those present (none without the
        annotator tables)."""
        if self.annotators is None or self.fatigue is None or self.bias is None:
            return {}
        sections: dict[str, Any] = {}
        if self.rounds is not None:
            sections["rounds"] = _rounds(self.rounds)
        if self.groups is not None:
            sections["groups"] = _groups(self.groups)
        if self.consensus is not None:
            items = self.consensus
            sections["consensus"] = [
                {ITEM: str(item), "label": str(label), "posterior": float(posterior), "entropy": float(entropy)}
                for item, label, posterior, entropy in zip(
                    items[ITEM], items["ds_label"], items["ds_posterior"], items["vote_entropy"], strict=True
                )
            ]
        return sections


def compute_quality(
    dataset: AnnotationDataset | pd.DataFrame,
    *,
    seed: int = 0,
    bootstrap: int = 1000,
    include_consensus: bool = False,
) -> QualitySections:
    """Run the quality analyses once: Dawid-Skene, annotator table, fatigue, bias,
    rounds, groups and (when asked) the consensus per item.

    Parameters
    ----------
    dataset : AnnotationDataset or DataFrame
        The dataset (a canonical table is converted once).
    seed : int, default 0
        Seed of every bootstrap.
    bootstrap : int, default 1000
        Bootstrap replicates for every interval.
    include_consensus : bool, default False
        Also build the consensus table (one row per item).

    Returns
    -------
    QualitySections
    """
    dataset = as_dataset(dataset, function="compute_quality")
    data = dataset.reliability
    if data.n_items == 0:
        return QualitySections()
    model = DawidSkene().fit(data)
    return QualitySections(
        model=model,
        annotators=annotator_quality_table(dataset, model=model, bootstrap=bootstrap, seed=seed,
                                           level=dataset.level),
        fatigue=fatigue_trends(dataset),
        bias=bias_table(data),
        rounds=with_verdicts(round_agreement(dataset, bootstrap=bootstrap, seed=seed))
        if dataset.has_batches else None,
        groups=group_agreement(dataset, bootstrap=bootstrap, seed=seed) if dataset.has_groups else None,
        consensus=consensus_table(data, model=model) if include_consensus else None,
        level=dataset.level,
    )


