"""Label-error candidates: items whose consensus label is likely wrong.

The question asked here is "which labels did the annotators agree on, yet the text
contradicts?": a strict majority that is systematically wrong (a misread guideline, a
shared slip) is invisible to every agreement statistic. Each item's consensus (majority)
label is checked against out-of-sample text classifiers:

1. **Kind.** An item whose label holds a strict majority of its judgements (a lone
   judgement counts) is ``consensus``; one where the annotators split (no strict
   majority, ties broken at random with the seed) is ``split``. Split items are already
   visible as disagreement and belong to the ambiguity clusters; they are listed after
   every consensus candidate, so they never crowd the contradicted consensus out.
2. **Two classifiers, held out.** A logistic regression on the backend's embeddings and
   one on the full sparse TF-IDF of character 2-4-grams (``char_wb``; no model, any
   script) are trained on consensus items only, each weighted by its label's vote share,
   and predict each item from folds that do not contain it (stratified K-fold, repeated
   with reshuffled folds and averaged). The sparse n-grams keep the detail a reduced or
   English-only embedding loses; the embedding carries meaning the n-grams miss.
3. **Mixture.** The two are averaged with the weight that minimises their out-of-sample
   log-loss on the consensus labels (grid of 0.0-1.0 in steps of 0.1), so a strong
   embedding dominates and a weak one is corrected by the n-grams.
4. **Votes as evidence** (:mod:`analysis.label_issues.votes`). A consensus the annotators
   got wrong together usually still draws a minority vote for the right label, and those
   votes concentrate on one label; slips on a right consensus scatter. With ``s`` the
   text's most probable other label, the prior odds ``p(s) / p(c)`` of the mixture are
   multiplied by the likelihood ratio of the item's votes under "the true label is ``s``,
   most annotators misread it as ``c``" against "``c`` is right, the rest are slips". The
   slip rate and the share of slips landing on ``s`` (per label pair, from the other
   items, shrunk towards the overall share) are read off the data; the rates of the
   misreading side are fitted by EM. A vote for ``s`` is then strong evidence between
   labels rarely confused and weak evidence between labels the annotators often mix up.
   Agreement itself is *not* rewarded (cleanlab's CROWDLAB weighs it so heavily that it
   hid agreed-on errors: precision@20 of 0.10 English, 0.05 Korean on the bundled
   samples).
5. **Score** is the resulting posterior probability that the consensus label rather than
   ``s`` is right. Without votes off the consensus the ratio is about 1 and the score is
   ``p(c) / (p(c) + p(s))``: self-confidence against the strongest alternative.
6. **Flag** (``is_label_issue``): the score is below ``max_score`` (at 0.5: text and votes
   together make ``s`` more likely than the consensus). The suggested label is ``s``.
7. **Ambiguous, not wrong.** A contradicted consensus item is ``ambiguous`` when at least
   five of its ten nearest items (cosine) have votes for both its current and its
   suggested label, or when the annotators split between those two labels on at least 3
   other items and on at least 15% of the items of the two labels (an ambiguity group:
   its minority votes are the group's question, not a sign of error). Ambiguous items are
   listed after the consensus candidates and before the split ones, and are left out of
   the vote-model fit.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import asdict, dataclass, field, replace
from numbers import Integral, Real
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse

from analysis.base.errors import AnnotationDataError
from analysis.base.params import Hidden, Interval, validate_params
from analysis.clusters.selection import format_votes
from analysis.clusters.themes import nearest_neighbours
from analysis.data.dataset import AnnotationDataset, as_dataset
from analysis.data.votes import majority_vote
from analysis.embeddings import (
    Embedder,
    PrecomputedEmbeddings,
    ProgressCallback,
    embed_item_texts,
    read_item_texts,
)
from analysis.label_issues.trust import (
    PRIOR_ERROR_RATE,
    UNANIMOUS_VOTES,
    TextModelTrust,
    assess_text_model,
    may_flip_unanimous,
    temperature_scale,
)
from analysis.label_issues.votes import VoteModel, vote_posterior

IssueKind = Literal["consensus", "ambiguous", "split"]
KIND_ORDER: tuple[IssueKind, ...] = ("consensus", "ambiguous", "split")
AMBIGUOUS_NEIGHBOURS = 5
"""Of the 10 nearest items, how many must have votes for both labels for a
contradicted consensus to count as ``ambiguous`` rather than a likely error."""
AMBIGUOUS_PAIR_ITEMS = 3
"""Other items split on the same two labels (see :func:`split_pair_counts`) that make a
contradicted consensus ``ambiguous``: as many as an ambiguity cluster needs..."""
AMBIGUOUS_PAIR_SHARE = 0.15
"""... and at least this share of the consensus items of the two labels."""
PAIR_SPLIT_SHARE = 0.25
"""Share of an item's votes its second label needs for the item to be split on the pair."""
NGRAM_BUDGET = 1_000_000
"""Items × labels above which the character n-gram classifier is left out (its cost)."""
REPEAT_ITEMS = 5000
"""Up to this many items the held-out probabilities average three cross-validation runs
(counted in units of 384 dimensions, MiniLM's sentence vector: its pair features, 1,536
dimensions, count four times)."""
_UNIT_DIMENSIONS = 384
_WIDE = 512
EMBEDDING_C = 3.0
NGRAM_C = 10.0
_FLOOR = 1e-3
_MANY_CLASSES = 10
_NGRAM_MAX_ITER = 100
"""saga passes over the sparse n-grams: on long texts (POPQUORN's Reddit comments) 500
passes took 37 s for 1,500 items and 100 give the same top 20, flags and accuracy."""

ISSUE_COLUMNS = (
    "item_id",
    "kind",
    "current_label",
    "suggested_label",
    "score",
    "votes",
    "annotator_agreement",
    "vote_evidence",
    "model_probability_current",
    "model_probability_suggested",
    "neighbour_labels",
    "text",
    "unanimous",
    "unanimous_protected",
)


@dataclass(frozen=True, eq=False)
class LabelIssues:
    """Label quality of every item with a text, and the ranked candidates.

    Attributes
    ----------
    items : DataFrame
        One row per item, columns :data:`ISSUE_COLUMNS` plus ``is_label_issue``
        (the score, text and votes together, is below ``max_score``). ``score`` is the
        posterior probability that the consensus label rather than the suggested one is
        right; ``vote_evidence`` the log-likelihood ratio of the item's votes (positive:
        they point to the suggested label); ``model_probability_current`` the text
        classifiers' probability alone.
    issues : DataFrame
        The ``top`` flagged items: ``consensus`` kind first, then ``ambiguous``, then
        ``split``; each kind lowest score first.
    model : str
    warnings : tuple of str
    embedding_weight : float
        Weight of the embedding classifier in the mixture (the rest: character n-grams).
    vote_model : VoteModel, optional
        The fitted rates of the vote evidence.
    text_model : TextModelTrust, optional
        Calibration and confident contradictions of the text model on held-out folds
        (:mod:`analysis.label_issues.trust`).
    notes, text_reading
        How the texts were read (sentence pairs, conversation turns): English sentences,
        and the same as data (``pairs``, ``turn_fields``).
    """

    items: pd.DataFrame
    issues: pd.DataFrame
    model: str
    warnings: tuple[str, ...] = ()
    embedding_weight: float = 1.0
    vote_model: VoteModel | None = None
    text_model: TextModelTrust | None = None
    notes: tuple[str, ...] = ()
    text_reading: dict[str, Any] = field(default_factory=dict)

    @property
    def flagged_share(self) -> float:
        """Share of the items flagged as likely label errors."""
        return float(self.items["is_label_issue"].mean()) if len(self.items) else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``python -m analysis label-issues``."""
        flagged = self.items["is_label_issue"]
        return {
            "model": self.model,
            "warnings": list(self.warnings),
            "n_items": len(self.items),
            "n_flagged": int(flagged.sum()),
            "n_flagged_consensus": int((flagged & (self.items["kind"] == "consensus")).sum()),
            "n_flagged_ambiguous": int((flagged & (self.items["kind"] == "ambiguous")).sum()),
            "flagged_share": round(self.flagged_share, 4),
            "n_split": int((self.items["kind"] == "split").sum()),
            "n_unanimous_protected": int(self.items["unanimous_protected"].sum())
            if "unanimous_protected" in self.items else 0,
            "prior_error_rate": PRIOR_ERROR_RATE,
            "text_model": None if self.text_model is None else self.text_model.to_dict(),
            "notes": list(self.notes),
            "text_reading": dict(self.text_reading),
            "embedding_weight": round(self.embedding_weight, 4),
            "vote_model": None if self.vote_model is None else {
                key: round(value, 4) for key, value in asdict(self.vote_model).items()
            },
            "issues": [
                {k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()}
                for row in self.issues.to_dict(orient="records")
            ],
        }


def out_of_sample_probabilities(
    vectors: npt.NDArray[np.floating] | sparse.spmatrix,
    targets: npt.NDArray[np.integer],
    n_classes: int,
    *,
    folds: int = 5,
    seed: int = 0,
    regularization: float = 10.0,
    train: npt.NDArray[np.bool_] | None = None,
    sample_weight: npt.NDArray[np.floating] | None = None,
    repeats: int = 1,
) -> npt.NDArray[np.float64]:
    """Cross-validated class probabilities, shape (n, n_classes), rows summing to 1.

    Every item is predicted by a logistic regression fitted without it. Classes absent
    from a training fold get a small floor probability instead of breaking the fold.

    Parameters
    ----------
    vectors : array or sparse matrix, shape (n, dim)
    targets : array of int, shape (n,)
    n_classes : int
    folds : int, default 5
        Stratified folds (fewer when there are fewer items).
    seed : int, default 0
        Seed of the fold shuffles.
    regularization : float, default 10.0
        Inverse regularisation strength ``C`` of the logistic regression.
    train : array of bool, shape (n,), optional
        Items that may be used for fitting (default: all); the others are only predicted.
    sample_weight : array of float, shape (n,), optional
        Weight of each training item.
    repeats : int, default 1
        Cross-validation runs with reshuffled folds; their probabilities are averaged.

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
    usable = np.ones(n, dtype=bool) if train is None else np.asarray(train, dtype=bool)
    weights = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    n_splits = max(2, min(folds, n))
    total = np.zeros((n, n_classes))
    for repeat in range(max(1, repeats)):
        probs = np.full((n, n_classes), _FLOOR)
        splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed + 7919 * repeat)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "least populated class has fewer members than n_splits"
            splits = list(splitter.split(np.zeros(n), targets))
        for fit_rows, test in splits:
            fit_rows = fit_rows[usable[fit_rows]]
            present = np.unique(targets[fit_rows])
            if present.size == 0:
                continue
            if present.size == 1:
                probs[np.ix_(test, present)] = 1.0
                continue
            # saga: an order of magnitude faster than lbfgs on few classes of sentence vectors,
            # and on sparse n-grams, at the same probabilities (rows are L2-normalised); on
            # dense vectors with many classes lbfgs is 3x faster (150 intents: 1.9 s against
            # 5.6 s a fit), and on wide pair features 2x (ConvAbuse turns with context, 1,536
            # dimensions: 34 s against 73 s, same accuracy and top 20 within one item)
            dense = not sparse.issparse(vectors)
            solver = "lbfgs" if dense and (n_classes > _MANY_CLASSES or vectors.shape[1] > _WIDE) else "saga"
            model = LogisticRegression(
                C=regularization, solver=solver, tol=1e-3, max_iter=500 if dense else _NGRAM_MAX_ITER, random_state=seed
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # ConvergenceWarning on unscaled features
                model.fit(vectors[fit_rows], targets[fit_rows], sample_weight=weights[fit_rows])
            predicted = model.predict_proba(vectors[test])
            probs[np.ix_(test, model.classes_)] = np.maximum(predicted, _FLOOR)
        total += probs / probs.sum(axis=1, keepdims=True)
    return total / max(1, repeats)


def char_ngram_features(texts: list[str]) -> sparse.csr_matrix:
    """Sparse TF-IDF of ``char_wb`` 2-4-grams (sublinear tf, rows L2-normalised).

    Examples
    --------
    >>> x = char_ngram_features(["refund my order", "refund the order", "hello"])
    >>> x.shape[0], bool((x[0] @ x[1].T).toarray()[0, 0] > (x[0] @ x[2].T).toarray()[0, 0])
    (3, True)
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    return vectorizer.fit_transform(texts).tocsr()


def mixture_weight(
    first: npt.NDArray[np.floating],
    second: npt.NDArray[np.floating],
    targets: npt.NDArray[np.integer],
    *,
    steps: int = 10,
) -> float:
    """The weight ``w`` of ``first`` minimising the log-loss of ``w·first + (1-w)·second``.

    Ties go to the larger weight (the first classifier).

    Examples
    --------
    >>> good = np.array([[0.9, 0.1], [0.2, 0.8]])
    >>> bad = np.array([[0.5, 0.5], [0.6, 0.4]])
    >>> mixture_weight(good, bad, np.array([0, 1]))
    1.0
    """
    grid = np.linspace(1.0, 0.0, steps + 1)
    rows = np.arange(len(targets))
    mixed = grid[:, None] * first[rows, targets] + (1.0 - grid[:, None]) * second[rows, targets]
    losses = -np.log(np.clip(mixed, 1e-12, None)).mean(axis=1)
    return float(grid[int(np.argmin(losses))])


def text_probabilities(
    vectors: npt.NDArray[np.floating],
    texts: list[str],
    targets: npt.NDArray[np.integer],
    n_classes: int,
    *,
    train: npt.NDArray[np.bool_],
    sample_weight: npt.NDArray[np.floating],
    folds: int = 5,
    seed: int = 0,
    repeats: int = 3,
) -> tuple[npt.NDArray[np.float64], float]:
    """What the text alone says of each item's label: the held-out mixture of steps 2-3.

    The character n-gram classifier costs items × labels × n-grams per fit (10,000 items of
    150 labels: about 10 s a fit on 2 cores, against 2.5 s for the embedding's); above
    :data:`NGRAM_BUDGET` items × labels it is left out and the embedding's probabilities
    stand alone (weight 1).

    Parameters
    ----------
    vectors : array, shape (n, dim)
        The backend's embeddings of the items.
    texts : list of str
        The items' texts (for the character n-grams).
    targets : array of int, shape (n,)
        The consensus (majority) label codes.
    n_classes : int
    train, sample_weight, folds, seed, repeats
        As in :func:`out_of_sample_probabilities`.

    Returns
    -------
    probabilities : array, shape (n, n_classes)
        Rows sum to 1; no item's own label informs its row.
    embedding_weight : float
        The mixture's weight of the embedding classifier.
    """
    options = {"folds": folds, "seed": seed, "train": train, "sample_weight": sample_weight,
               "repeats": repeats}
    by_embedding = out_of_sample_probabilities(
        vectors, targets, n_classes, regularization=EMBEDDING_C, **options
    )
    if len(targets) * n_classes > NGRAM_BUDGET:
        return by_embedding, 1.0
    by_ngrams = out_of_sample_probabilities(
        char_ngram_features(texts), targets, n_classes, regularization=NGRAM_C, **options
    )
    weight = mixture_weight(by_embedding[train], by_ngrams[train], targets[train])
    return weight * by_embedding + (1.0 - weight) * by_ngrams, weight


def split_pair_counts(
    counts: npt.NDArray[np.integer],
    current: npt.NDArray[np.integer],
    suggested: npt.NDArray[np.integer],
) -> npt.NDArray[np.int64]:
    """For each item, how many *other* items are split between its current and suggested
    label: their two most voted labels are that pair and the second holds at least
    :data:`PAIR_SPLIT_SHARE` of their votes (2-1, 3-1, 3-2, 5-2; not a lone slip in 4-1).

    Examples
    --------
    >>> counts = np.array([[2, 1, 0], [3, 2, 0], [4, 1, 0], [5, 0, 0]])
    >>> split_pair_counts(counts, np.zeros(4, int), np.ones(4, int)).tolist()
    [1, 1, 2, 2]
    """
    n, n_labels = counts.shape
    rows = np.arange(n)
    if n_labels < 2:
        return np.zeros(n, dtype=np.int64)
    top_two = np.argsort(-counts, axis=1, kind="stable")[:, :2]
    first, second = top_two[:, 0], top_two[:, 1]
    split = counts[rows, second] >= PAIR_SPLIT_SHARE * counts.sum(axis=1)
    split &= counts[rows, second] > 0
    low, high = np.minimum(first, second)[split], np.maximum(first, second)[split]
    pair_key = low * n_labels + high
    per_pair = np.bincount(pair_key, minlength=n_labels * n_labels)
    mine_low, mine_high = np.minimum(current, suggested), np.maximum(current, suggested)
    total = per_pair[mine_low * n_labels + mine_high]
    own = split & (np.minimum(first, second) == mine_low) & (np.maximum(first, second) == mine_high)
    return (total - own).astype(np.int64)


_INT_FROM_1 = Interval(Integral, 1, None, closed="left")


@validate_params({
    "top": [_INT_FROM_1],
    "max_score": [Interval(Real, 0, 1, closed="right", wording="above 0 and at most 1")],
    "folds": [Interval(Integral, 2, None, closed="left")],
    "repeats": [_INT_FROM_1, Hidden(None)],
    "n_neighbours": [_INT_FROM_1],
    "seed": [Interval(Integral, 0, None, closed="left")],
})
def find_label_issues(
    dataset: AnnotationDataset | pd.DataFrame,
    *,
    embedder: Embedder | None = None,
    embeddings: PrecomputedEmbeddings | None = None,
    top: int = 20,
    max_score: float = 0.5,
    folds: int = 5,
    repeats: int | None = None,
    n_neighbours: int = 5,
    seed: int = 0,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    progress: ProgressCallback | None = None,
) -> LabelIssues:
    """Rank items whose consensus label is likely wrong; see the module docstring.

    Parameters
    ----------
    dataset : AnnotationDataset or DataFrame
        The dataset (its table needs a ``text`` column); a canonical table is converted
        once.
    embedder, embeddings
        Backend (default: bundled transformer) or precomputed vectors by item id.
    top : int, default 20
        How many candidates ``issues`` holds.
    max_score : float, default 0.5
        Items scoring at or above this are not flagged.
    folds : int, default 5
        Cross-validation folds of the classifiers.
    repeats : int, optional
        Cross-validation runs with reshuffled folds, averaged (steadier rankings); default
        3 up to :data:`REPEAT_ITEMS` items (wider vectors count more), else 1 (more
        items give steady folds already, and 10,000 items then take seconds, not a minute).
    n_neighbours : int, default 5
        Nearest items (cosine) whose majority labels are shown as evidence.
    seed : int, default 0
        Seed of the tie-breaks and the fold shuffles.

    Returns
    -------
    LabelIssues

    Raises
    ------
    UsageError
        For an option outside its range (e.g. ``top`` below 1).
    AnnotationDataError
        With fewer than 10 items that have a text, or fewer than two labels.
    """
    dataset = as_dataset(dataset, function="find_label_issues")
    table, data = dataset.table, dataset.reliability
    texts = read_item_texts(table)
    counts_all = data.counts()
    keep = pd.Index(data.items.astype(str)).isin(texts.index) & (counts_all.sum(axis=1) > 0)
    if keep.sum() < 10 or data.n_labels < 2:
        raise AnnotationDataError(
            f"label-error detection needs at least 10 items with text and two labels; "
            f"found {int(keep.sum())} items and {data.n_labels} label(s)",
            fix="analyse a larger export",
        )
    item_ids = data.items[keep].astype(str)
    chosen = texts.subset(item_ids.tolist())
    read = chosen.with_context()  # a conversation turn is judged in its context
    item_text = read.words()  # the character n-grams read both texts of a pair
    counts = counts_all[keep]
    rows = np.arange(len(counts))
    current = majority_vote(counts, ties="random", seed=seed)
    n_votes = counts.sum(axis=1)
    share = counts[rows, current] / n_votes
    consensus = share > 0.5
    train = consensus if np.unique(current[consensus]).size >= 2 else np.ones_like(consensus)

    embedded = embed_item_texts(
        read, kind="features", embedder=embedder, embeddings=embeddings,
        cache_dir=cache_dir, use_cache=use_cache, progress=progress,
    )
    vectors = embedded.vectors
    raw_probs, weight = text_probabilities(
        vectors, item_text, current, data.n_labels,
        folds=folds, seed=seed, train=train, sample_weight=share,
        repeats=(3 if len(counts) * max(1.0, vectors.shape[1] / _UNIT_DIMENSIONS) <= REPEAT_ITEMS else 1)
        if repeats is None else repeats,
    )
    probs, temperature = temperature_scale(raw_probs, current, train)
    trust = replace(assess_text_model(probs, current, train, data.labels), temperature=temperature)

    text_score = probs[rows, current]
    others = probs.copy()
    others[rows, current] = -1.0
    suggested = others.argmax(axis=1)
    ranked_neighbours = nearest_neighbours(vectors, min(10, len(vectors) - 1))[0]
    k = min(n_neighbours, ranked_neighbours.shape[1])
    neighbours = ranked_neighbours[:, :k]
    near_counts = counts[ranked_neighbours]  # (n, 10, n_labels)
    both = (np.take_along_axis(near_counts, current[:, None, None], axis=2)[..., 0] > 0) & (
        np.take_along_axis(near_counts, suggested[:, None, None], axis=2)[..., 0] > 0
    )
    split_pairs = split_pair_counts(counts, current, suggested)
    per_label = np.bincount(current[consensus], minlength=data.n_labels)
    pair_items = np.maximum(per_label[current] + per_label[suggested], 1)
    split_pair = (split_pairs >= AMBIGUOUS_PAIR_ITEMS) & (split_pairs >= AMBIGUOUS_PAIR_SHARE * pair_items)
    ambiguous = consensus & ((both.sum(axis=1) >= AMBIGUOUS_NEIGHBOURS) | split_pair)
    score, vote_ratio, vote_model = vote_posterior(
        probs, counts, current, suggested, consensus & ~ambiguous, prior_error_rate=PRIOR_ERROR_RATE,
    )
    kind = np.where(ambiguous, KIND_ORDER[1], np.where(consensus, KIND_ORDER[0], KIND_ORDER[2]))
    labels = np.array(data.labels, dtype=object)
    unanimous = (n_votes >= UNANIMOUS_VOTES) & (share == 1.0)
    protected = unanimous & (score < max_score) & ~may_flip_unanimous(probs, current, consensus)
    items = pd.DataFrame(
        {
            "item_id": item_ids,
            "kind": kind,
            "current_label": labels[current],
            "suggested_label": labels[suggested],
            "score": score,
            "votes": [format_votes(row, data.labels) for row in counts],
            "annotator_agreement": share,
            "vote_evidence": vote_ratio,
            "model_probability_current": text_score,
            "model_probability_suggested": probs[rows, suggested],
            "neighbour_labels": [
                format_votes(np.bincount(current[n], minlength=data.n_labels), data.labels)
                for n in neighbours
            ],
            "text": chosen.display(),
            "unanimous": unanimous,
            "unanimous_protected": protected,
        }
    )
    # A split item (no strict majority) is disagreement, not a label error: the clusters
    # and adjudication take it. A protected unanimous label stands.
    items["is_label_issue"] = (score < max_score) & (kind != KIND_ORDER[2]) & ~protected
    ranked = (
        items[items["is_label_issue"]]
        .assign(_kind=lambda f: f["kind"].map(KIND_ORDER.index))
        .sort_values(["_kind", "score", "item_id"], kind="stable")
        .drop(columns="_kind")
    )
    notes = embedded.warnings
    if len(counts) * data.n_labels > NGRAM_BUDGET:
        notes += (f"character n-grams left out ({len(counts):,} items x {data.n_labels} labels is above "
                  f"{NGRAM_BUDGET:,}): the embedding alone reads the texts",)
    return LabelIssues(
        items=items,
        issues=ranked.head(top).reset_index(drop=True),
        model=embedded.model,
        warnings=notes,
        embedding_weight=weight,
        vote_model=vote_model,
        text_model=trust,
        notes=chosen.notes,
        text_reading=chosen.reading,
    )
