"""The report's ``models_vs_humans`` section: every model annotator against the humans.

For each model (:attr:`analysis.data.dataset.AnnotationDataset.model_annotators`) on the items it
and two or more humans labelled: the Alternative Annotator Test
(:mod:`~analysis.model_annotators.alt_test`; accuracy alignment at the nominal level,
negative RMSE on the label values at ordinal, interval and ratio levels), the agreement with
and without it and per label (:mod:`~analysis.model_annotators.agreement`), and one sentence
saying what it means (:mod:`~analysis.model_annotators.texts`, English and Korean). The
humans are always the annotators that are not models, whether or not the report counts the
models with them (``include_models``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.data.dataset import AnnotationDataset
from analysis.data.reliability import ReliabilityData
from analysis.data.schema import ANNOTATOR, ITEM, LABEL
from analysis.messages import note
from analysis.model_annotators.agreement import ModelAgreement, model_agreement
from analysis.model_annotators.alt_test import (
    DEFAULT_EPSILON,
    DEFAULT_FDR_Q,
    MIN_HUMANS,
    MIN_ITEMS_PER_HUMAN,
    SOURCE,
    AltTestResult,
    Scoring,
    alt_test_codes,
)
from analysis.model_annotators.texts import class_summary, meaning

EPSILON_NOTE = note("model.epsilon")



@dataclass(frozen=True)
class ModelComparison:
    """One model against the humans.

    Attributes
    ----------
    annotator : str
    identified_by, detail : str or None
        How the load recognised it as a model (``LoadReport.model_annotators``).
    judgements : int
        All its judgements.
    shared_items : int
        Items it and two or more humans labelled (what everything below rests on).
    alt_test : AltTestResult
    agreement : ModelAgreement or None
        None when it shares no item with two humans.
    """

    annotator: str
    identified_by: str | None
    detail: str | None
    judgements: int
    shared_items: int
    alt_test: AltTestResult
    agreement: ModelAgreement | None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (an entry of ``models_vs_humans.models``)."""
        entry: dict[str, Any] = {
            "annotator": self.annotator, "identified_by": self.identified_by,
            "detail": self.detail, "judgements": self.judgements,
            "shared_items": self.shared_items, "alt_test": self.alt_test.to_dict(),
            "agreement": None if self.agreement is None else self.agreement.to_dict(),
            "per_class": {} if self.agreement is None else {
                label: c.to_dict() for label, c in self.agreement.per_class.items()},
        }
        entry["meaning"] = meaning(entry, "en")
        entry["per_class_summary"] = class_summary(entry, "en")
        return entry


@dataclass(frozen=True)
class ModelsSection:
    """Every model against the humans (the report's ``models_vs_humans``).

    Attributes
    ----------
    humans : tuple of str
        The human annotators.
    models : tuple of ModelComparison
    models_included : bool
        Whether the report's other figures count the models with the humans.
    epsilon : float
    level : str
    """

    humans: tuple[str, ...]
    models: tuple[ModelComparison, ...]
    models_included: bool
    epsilon: float
    level: str

    def to_dict(self) -> dict[str, Any]:
        """The ``models_vs_humans`` section of the JSON contract."""
        return {
            "humans": len(self.humans), "human_annotators": list(self.humans),
            "models_counted_with_humans": self.models_included, "level": self.level,
            "epsilon": self.epsilon, "epsilon_note": EPSILON_NOTE, "source": SOURCE,
            "models": [model.to_dict() for model in self.models],
        }


def _label_order(dataset: AnnotationDataset, labels: pd.Series) -> list[str] | None:
    """The dataset's label order, with labels only a model used after it (None: default)."""
    extra = sorted(set(labels.astype(str)) - set(dataset.labels))
    if not extra:
        return list(dataset.labels)
    if pd.to_numeric(pd.Series([*dataset.labels, *extra]), errors="coerce").notna().all():
        return None  # numbers: sorted by value, as the dataset's own labels are
    return [*dataset.labels, *extra]


def _compare(dataset: AnnotationDataset, humans: pd.DataFrame, name: str, rows: pd.DataFrame, *,
             scoring: Scoring, epsilon: float, fdr_q: float, min_items_per_human: int,
             min_humans: int, bootstrap: int, seed: int,
             found: dict[str, Any]) -> ModelComparison:
    per_item = humans[ITEM].value_counts()
    shared = set(rows[ITEM]) & set(per_item.index[per_item >= 2])
    combined = pd.concat([humans.loc[humans[ITEM].isin(shared)],
                          rows.loc[rows[ITEM].isin(shared)]], ignore_index=True)
    base = dict(annotator=name, identified_by=found.get("identified_by"),
                detail=found.get("detail"), judgements=len(rows), shared_items=len(shared))
    human_names = list(pd.unique(humans[ANNOTATOR]))
    if not shared:
        empty = alt_test_codes([], [], [], np.full(0, np.nan), [], scoring=scoring,
                               epsilon=epsilon, fdr_q=fdr_q,
                               min_items_per_human=min_items_per_human, min_humans=min_humans)
        return ModelComparison(**base, alt_test=empty, agreement=None)
    data = ReliabilityData.from_table(combined, label_order=_label_order(dataset, combined[LABEL]))
    model = int(np.flatnonzero(data.annotators == name)[0])
    is_model = data.annotator_index == model
    x = data.label_code.astype(float) if scoring == "accuracy" else data.values[data.label_code]
    model_x = np.full(data.n_items, np.nan)
    model_x[data.item_index[is_model]] = x[is_model]
    position = {str(a): i for i, a in enumerate(human_names)}
    human_index = np.array([position.get(str(a), -1) for a in data.annotators])[data.annotator_index[~is_model]]
    result = alt_test_codes(data.item_index[~is_model], human_index, x[~is_model], model_x,
                            [str(a) for a in human_names], scoring=scoring, epsilon=epsilon,
                            fdr_q=fdr_q, min_items_per_human=min_items_per_human,
                            min_humans=min_humans)
    agreement = model_agreement(data, model, level=dataset.level, n_replicates=bootstrap, seed=seed)
    return ModelComparison(**base, alt_test=result, agreement=agreement)


def compare_models(
    dataset: AnnotationDataset,
    *,
    epsilon: float = DEFAULT_EPSILON,
    fdr_q: float = DEFAULT_FDR_Q,
    min_items_per_human: int = MIN_ITEMS_PER_HUMAN,
    min_humans: int = MIN_HUMANS,
    bootstrap: int = 1000,
    seed: int = 0,
) -> ModelsSection | None:
    """Every model annotator of ``dataset`` against its humans, or None without models.

    Parameters
    ----------
    dataset : AnnotationDataset
        With ``model_table`` (from :meth:`AnnotationDataset.from_load_result`).
    epsilon, fdr_q, min_items_per_human, min_humans
        The Alternative Annotator Test's settings (:func:`~analysis.model_annotators.alt_test`).
    bootstrap, seed : int
        The item bootstrap of the agreement intervals.

    Examples
    --------
    >>> from analysis.io import load_annotations
    >>> rows = ["item,annotator,label"] + [f"{i},{a},{'pos' if (i + k) % 4 else 'neg'}"
    ...     for i in range(40) for k, a in enumerate(["ann", "bob", "cho", "llm:gpt"])]
    >>> result = load_annotations("\\n".join(rows).encode(), name="x.csv")
    >>> section = compare_models(AnnotationDataset.from_load_result(result), bootstrap=0)
    >>> model = section.models[0]
    >>> model.annotator, model.shared_items, model.alt_test.humans_tested
    ('llm:gpt', 40, 3)
    """
    if dataset.model_table is None or dataset.model_table.empty:
        return None
    scoring: Scoring = "accuracy" if dataset.level == "nominal" else "neg_rmse"
    humans = dataset.human_table.loc[:, [ITEM, ANNOTATOR, LABEL]]
    models = dataset.model_table.loc[:, [ITEM, ANNOTATOR, LABEL]]
    found = {m.annotator: m.to_dict() for m in
             getattr(dataset.load_report, "model_annotators", ())}
    comparisons = tuple(
        _compare(dataset, humans, name, models.loc[models[ANNOTATOR] == name], scoring=scoring,
                 epsilon=epsilon, fdr_q=fdr_q, min_items_per_human=min_items_per_human,
                 min_humans=min_humans, bootstrap=bootstrap, seed=seed, found=found.get(name, {}))
        for name in dataset.model_annotators)
    return ModelsSection(humans=tuple(str(h) for h in pd.unique(humans[ANNOTATOR])),
                         models=comparisons, models_included=dataset.models_included,
                         epsilon=float(epsilon), level=dataset.level)
