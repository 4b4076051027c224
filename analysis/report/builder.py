"""Build the agreement report: every analysis run once on one dataset.

:func:`build_report` asks the dataset's task type (:mod:`analysis.report.task_registry`) to
measure it. For single-label data it returns an :class:`~analysis.report.result.AgreementReport`;
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
from typing import Any

import pandas as pd

from analysis.base.params import RESAMPLES, SEED, validate_params
from analysis.data.dataset import AnnotationDataset, as_dataset
from analysis.data.levels import Level
from analysis.metrics.overall import AgreementSummary
from analysis.model_annotators.alt_test import DEFAULT_EPSILON
from analysis.report.protocol import Report, ReportOptions
from analysis.report.result import REPORT_VERSION
from analysis.report.task_registry import get_task

__all__ = ["REPORT_VERSION", "build_report"]


@validate_params({"bootstrap": RESAMPLES, "seed": SEED})
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
) -> Report:
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
        Level of measurement; the dataset's own by default (nominal for a table). Checked
        here, once; single-label data only (a level for multi-label or span data is a
        :class:`~analysis.base.errors.UsageError`, not ignored).
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
        ``agreement`` and ``all_pairs`` apply to single-label data only.

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
    # The one coercion and the one level check: the task gets a typed dataset at its level.
    dataset = as_dataset(dataset, level=level, label_order=label_order, function="build_report")
    options = ReportOptions(bootstrap=bootstrap, seed=seed, consensus=consensus,
                            load_report=load_report, agreement=agreement, all_pairs=all_pairs,
                            alt_epsilon=alt_epsilon)
    return get_task(dataset.task).measure(dataset, options)
