"""Label-error candidates: items whose consensus label is likely wrong.

Annotator votes are combined with an out-of-sample classifier on the text embeddings:
a logistic regression is fitted on K-1 folds of the items (targets: the majority label)
and predicts the held-out fold, so no item's own label informs its prediction. cleanlab's
CROWDLAB (``get_label_quality_multiannotator``, Goh, Tkachenko & Mueller 2022) then
scores the quality of each item's majority label from the votes, each annotator's
estimated accuracy and the classifier's probabilities. The lowest scores are the
candidates, even where every annotator agreed: a label that all annotators gave but
that contradicts every similar item still scores low.

The suggested label is CROWDLAB's own best-quality consensus when it differs from the
majority label, else the classifier's most probable other label.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.clusters.selection import format_votes
from analysis.embeddings import (
    Embedder,
    PrecomputedEmbeddings,
    ProgressCallback,
    embed_items,
    item_texts,
)
from analysis.errors import AnnotationDataError
from analysis.reliability import MISSING, ReliabilityData
from analysis.votes import majority_vote

ISSUE_COLUMNS = (
    "item_id",
    "current_label",
    "suggested_label",
    "score",
    "votes",
    "annotator_agreement",
    "model_probability_current",
    "model_probability_suggested",
    "neighbour_labels",
    "text",
)


@dataclass(frozen=True, eq=False)
class LabelIssues:
    """Label quality of every item with a text, and the ranked candidates.

    Attributes
    ----------
    items : DataFrame
        One row per item, columns :data:`ISSUE_COLUMNS` plus ``is_label_issue``
        (the suggested label differs and the score is below ``max_score``).
    issues : DataFrame
        The ``top`` lowest-scoring items with ``is_label_issue``, worst first.
    model : str
    warnings : tuple of str
    """

    items: pd.DataFrame
    issues: pd.DataFrame
    model: str
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``python -m analysis label-issues``."""
        return {
            "model": self.model,
            "warnings": list(self.warnings),
            "n_items": len(self.items),
            "n_flagged": int(self.items["is_label_issue"].sum()),
            "issues": [
                {k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()}
                for row in self.issues.to_dict(orient="records")
            ],
        }


def out_of_sample_probabilities(
    vectors: npt.NDArray[np.floating],
    targets: npt.NDArray[np.integer],
    n_classes: int,
    *,
    folds: int = 5,
    seed: int = 0,
) -> npt.NDArray[np.float64]:
    """Cross-validated class probabilities, shape (n, n_classes), rows summing to 1.

    Classes absent from a training fold get a small floor probability instead of
    breaking the fold.

    Examples
    --------
    >>> x = np.array([[0.0], [0.1], [0.2], [1.0], [1.1], [1.2]])
    >>> p = out_of_sample_probabilities(x, np.array([0, 0, 0, 1, 1, 1]), 2, folds=3)
    >>> (p.argmax(axis=1) == [0, 0, 0, 1, 1, 1]).all()
    np.True_
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    n = len(targets)
    probs = np.full((n, n_classes), 1e-3)
    n_splits = max(2, min(folds, n))
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "least populated class has fewer members than n_splits"
        splits = list(splitter.split(vectors, targets))
    for train, test in splits:
        present = np.unique(targets[train])
        if present.size == 1:
            probs[np.ix_(test, present)] = 1.0
            continue
        model = LogisticRegression(C=10.0, max_iter=2000)
        model.fit(vectors[train], targets[train])
        probs[np.ix_(test, model.classes_)] = np.maximum(model.predict_proba(vectors[test]), 1e-3)
    return probs / probs.sum(axis=1, keepdims=True)


def find_label_issues(
    table: pd.DataFrame,
    *,
    embedder: Embedder | None = None,
    embeddings: PrecomputedEmbeddings | None = None,
    top: int = 20,
    max_score: float = 0.5,
    folds: int = 5,
    n_neighbours: int = 5,
    seed: int = 0,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    progress: ProgressCallback | None = None,
) -> LabelIssues:
    """Rank items whose majority label is likely wrong.

    Parameters
    ----------
    table : DataFrame
        Canonical table with a ``text`` column.
    embedder, embeddings
        Backend (default: bundled transformer) or precomputed vectors by item id.
    top : int, default 20
        How many candidates ``issues`` holds.
    max_score : float, default 0.5
        Items scoring at or above this are not flagged.
    folds : int, default 5
        Cross-validation folds of the classifier.
    n_neighbours : int, default 5
        Nearest items (cosine) whose majority labels are shown as evidence.

    Returns
    -------
    LabelIssues
    """
    from cleanlab.multiannotator import get_label_quality_multiannotator

    texts = item_texts(table)
    data = ReliabilityData.from_table(table)
    counts_all = data.counts()
    keep = np.isin(data.items.astype(str), texts.index.to_numpy()) & (counts_all.sum(axis=1) > 0)
    if keep.sum() < 10 or data.n_labels < 2:
        raise AnnotationDataError(
            f"label-error detection needs at least 10 items with text and two labels; "
            f"found {int(keep.sum())} items and {data.n_labels} label(s)",
            fix="analyse a larger export",
        )
    item_ids = data.items[keep].astype(str)
    counts = counts_all[keep]
    codes = data.codes[keep]
    current = majority_vote(counts, ties="random", seed=seed)

    embedded = embed_items(
        item_ids.tolist(),
        texts.loc[item_ids].tolist(),
        embedder=embedder,
        embeddings=embeddings,
        cache_dir=cache_dir,
        use_cache=use_cache,
        progress=progress,
    )
    vectors = embedded.vectors
    probs = out_of_sample_probabilities(vectors, current, data.n_labels, folds=folds, seed=seed)

    labelled_by = (codes != MISSING).any(axis=0)
    multi = pd.DataFrame(np.where(codes == MISSING, np.nan, codes)[:, labelled_by].astype(float))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quality = get_label_quality_multiannotator(
            multi,
            probs,
            consensus_method=["majority_vote", "best_quality"],
            verbose=False,
            return_detailed_quality=False,
            return_annotator_stats=False,
        )["label_quality"]
    current = quality["consensus_label"].to_numpy(dtype=int)  # cleanlab's tie-break
    score = quality["consensus_quality_score"].to_numpy(dtype=float)
    best = quality["consensus_label_best_quality"].to_numpy(dtype=int)
    others = probs.copy()
    others[np.arange(len(current)), current] = -1.0
    suggested = np.where(best != current, best, others.argmax(axis=1))

    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -np.inf)
    k = min(n_neighbours, len(vectors) - 1)
    neighbours = np.argsort(-similarity, axis=1, kind="stable")[:, :k]
    labels = np.array(data.labels, dtype=object)
    rows = np.arange(len(current))
    items = pd.DataFrame(
        {
            "item_id": item_ids,
            "current_label": labels[current],
            "suggested_label": labels[suggested],
            "score": score,
            "votes": [format_votes(row, data.labels) for row in counts],
            "annotator_agreement": quality["annotator_agreement"].to_numpy(dtype=float),
            "model_probability_current": probs[rows, current],
            "model_probability_suggested": probs[rows, suggested],
            "neighbour_labels": [
                format_votes(np.bincount(current[n], minlength=data.n_labels), data.labels)
                for n in neighbours
            ],
            "text": texts.loc[item_ids].to_numpy(),
        }
    )
    items["is_label_issue"] = (suggested != current) & (score < max_score)
    ranked = items[items["is_label_issue"]].sort_values(["score", "item_id"], kind="stable")
    return LabelIssues(
        items=items,
        issues=ranked.head(top).reset_index(drop=True),
        model=embedded.model,
        warnings=embedded.warnings,
    )
