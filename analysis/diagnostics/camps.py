"""Annotator camps: groups who agree among themselves clearly more than with the others.

Two sub-teams reading a guideline differently (or two legitimate perspectives) show up
as blocks in the pairwise kappa matrix. :func:`find_camps` looks for them and keeps them
only when the data leave no doubt.

Method
------
1. Annotators with at least :data:`MIN_JUDGEMENTS` judgements on shared items take part
   (at most :data:`MAX_ANNOTATORS`; camps among thousands of crowd workers who share a
   handful of items each are not estimable and are not searched for).
2. Cohen's kappa for every pair sharing at least :data:`MIN_PAIR_ITEMS` items, weighted
   as at the report's level (:func:`analysis.data.levels.agreement_weights`).
3. Average-linkage hierarchical clustering on ``1 - kappa`` (pairs with too few shared
   items take the mean distance), cut into ``k = 2, 3, ...`` clusters. Clusters of one
   annotator are not camps: they stay unassigned (one careless annotator is an outlier,
   not a camp).
4. The first cut whose clusters of two or more form at least two camps that all pass the
   test is reported. For each camp, *within* is the mean kappa over pairs inside the camp
   and *between* the mean kappa over pairs with one annotator in the camp and one in
   another camp (unassigned annotators take part in neither); both get 95% percentile
   intervals from one item bootstrap (the same resamples for both). A camp passes when
   its within-camp interval lies entirely above its between-camp interval **and** the
   difference is at least :data:`MIN_GAP`. Requiring non-overlapping intervals (not only
   a significant difference) guards against the optimism of testing on the data that
   chose the clusters.

For each camp, the labels it splits on are those whose positive specific agreement among
the camp's own pairs of judgements exceeds that across camps (one judgement from the camp,
one from another camp, on the same item) by at least :data:`MIN_SPLIT_GAP`, largest gap
first: two camps may use a label equally often and still apply it to different items. The
split items are those where the camp's majority label differs from the other camps'
majority label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from analysis.base.params import RESAMPLES, SEED, validate_params
from analysis.data.dataset import AnnotationDataset, level_of, reliability_of
from analysis.data.levels import Level, agreement_weights, kappa_weighting
from analysis.data.reliability import MISSING, ReliabilityData
from analysis.data.votes import NO_CONSENSUS
from analysis.messages import note
from analysis.metrics.cohen import (
    annotator_pairs,
    kappa_from_tables,
    pair_table_matrix,
    pair_tables,
)
from analysis.metrics.intervals import percentile_interval
from analysis.metrics.patterns import resample_weights
from analysis.metrics.result import Metric

MIN_JUDGEMENTS: Final = 20
MIN_PAIR_ITEMS: Final = 10
MAX_ANNOTATORS: Final = 60
MIN_GAP: Final = 0.10
MIN_SPLIT_GAP: Final = 0.10
MAX_SPLIT_ITEMS: Final = 500
_CHUNK_CELLS: Final = 20_000_000


@dataclass(frozen=True)
class Camp:
    """One camp: who, how much they agree inside and across, and what they split on.

    Attributes
    ----------
    annotators : tuple of str
    within, between : Metric
        Mean pairwise kappa inside the camp, and from the camp to the other camps.
    split_labels : tuple of str
        Labels the camp applies differently from the others (largest gap first).
    label_shares : dict
        label -> ``(camp share, other camps' share)`` on items both labelled.
    label_agreement : dict
        label -> ``(specific agreement within the camp, across camps)``.
    split_items : tuple of str
        Items where the camp's majority label differs from the other camps' majority
        (at most :data:`MAX_SPLIT_ITEMS`); ``split_item_count`` counts them all.
    split_item_count : int
    """

    annotators: tuple[str, ...]
    within: Metric
    between: Metric
    split_labels: tuple[str, ...]
    label_shares: dict[str, tuple[float, float]] = field(default_factory=dict)
    label_agreement: dict[str, tuple[float, float]] = field(default_factory=dict)
    split_items: tuple[str, ...] = ()
    split_item_count: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON form (one entry of the report's ``annotator_camps``)."""
        return {
            "annotators": list(self.annotators),
            "within": self.within.to_dict(),
            "between": self.between.to_dict(),
            "split_labels": list(self.split_labels),
            "label_shares": {label: {"camp": camp, "others": others}
                             for label, (camp, others) in self.label_shares.items()},
            "label_agreement": {label: {"within": within, "between": between}
                                for label, (within, between) in self.label_agreement.items()},
            "split_items": list(self.split_items),
            "split_item_count": self.split_item_count,
        }


@dataclass(frozen=True)
class CampSearch:
    """The outcome of :func:`find_camps`.

    Attributes
    ----------
    camps : tuple of Camp
        Empty when there are no clear camps.
    unassigned : tuple of str
        Annotators in no camp (outliers, or too few shared judgements) when camps exist.
    note : str
        How the camps were found, or why there are none.
    """

    camps: tuple[Camp, ...]
    unassigned: tuple[str, ...]
    note: str


def _pair_kappas(codes: npt.NDArray[np.int32], weights: npt.NDArray[np.float64], *,
                 pairs: list[tuple[int, int]], n_labels: int,
                 agreement: npt.NDArray[np.float64]) -> tuple[np.ndarray, np.ndarray]:
    """Kappa and shared items per pair for weight rows (b, n_rows): (b, P), (b, P)."""
    matrix = pair_table_matrix(codes, n_labels, pairs)
    tables = pair_tables(weights, matrix, len(pairs), n_labels)
    shared = tables.sum(axis=(-2, -1))
    kappas = kappa_from_tables(tables, agreement)
    return np.where(shared >= 1, kappas, np.nan), shared


def _set_means(kappas: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """Mean of the defined kappas over each set of pairs: (b, P) x (P, S) -> (b, S)."""
    defined = np.isfinite(kappas)
    total = np.where(defined, kappas, 0.0) @ membership
    count = defined.astype(float) @ membership
    return np.divide(total, count, out=np.full(total.shape, np.nan), where=count > 0)


def _majority(counts: np.ndarray) -> np.ndarray:
    top = counts.max(axis=1)
    winners = (counts == top[:, None]).sum(axis=1)
    return np.where((top > 0) & (winners == 1), counts.argmax(axis=1), NO_CONSENSUS)


def _splits(data: ReliabilityData, columns: np.ndarray, camp: np.ndarray, others: np.ndarray,
            ) -> tuple[tuple[str, ...], dict[str, tuple[float, float]], dict[str, tuple[float, float]],
                       tuple[str, ...], int]:
    codes = data.dense_columns(columns)
    k = data.n_labels

    def counts(mask: np.ndarray) -> np.ndarray:
        sub = codes[:, mask]
        rows, cols = np.nonzero(sub != MISSING)
        return np.bincount(rows * k + sub[rows, cols], minlength=data.n_items * k).reshape(data.n_items, k)

    mine, theirs = counts(camp), counts(others)
    both = (mine.sum(axis=1) > 0) & (theirs.sum(axis=1) > 0)
    x, y = mine[both].astype(float), theirs[both].astype(float)
    mx, my = x.sum(axis=1, keepdims=True), y.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        # positive specific agreement on each label among the camp's pairs, and across camps
        within = (x * (x - 1)).sum(axis=0) / (x * (mx - 1)).sum(axis=0)
        across = (2 * x * y).sum(axis=0) / (x * my + y * mx).sum(axis=0)
    gap = np.where(np.isfinite(within) & np.isfinite(across), within - across, -np.inf)
    order = np.argsort(-gap, kind="stable")
    split = tuple(data.labels[c] for c in order if gap[c] >= MIN_SPLIT_GAP)
    mine_share = x.sum(axis=0) / max(x.sum(), 1)
    their_share = y.sum(axis=0) / max(y.sum(), 1)
    shares = {data.labels[c]: (float(mine_share[c]), float(their_share[c])) for c in range(k)}
    agreement = {data.labels[c]: (float(within[c]), float(across[c])) for c in order
                 if np.isfinite(within[c]) and np.isfinite(across[c])}
    mine_major, their_major = _majority(mine), _majority(theirs)
    differ = both & (mine_major != NO_CONSENSUS) & (their_major != NO_CONSENSUS) & (mine_major != their_major)
    items = tuple(str(i) for i in data.items[np.flatnonzero(differ)][:MAX_SPLIT_ITEMS])
    return split, shares, agreement, items, int(differ.sum())


@validate_params({"bootstrap": RESAMPLES, "seed": SEED})
def find_camps(data: AnnotationDataset | ReliabilityData, *, level: Level | None = None, bootstrap: int = 500,
               seed: int = 0) -> CampSearch:
    """Groups of annotators who agree among themselves more than with the rest.

    Parameters
    ----------
    data : AnnotationDataset or ReliabilityData
    level : {"nominal", "ordinal", "interval", "ratio"}, optional
        Kappa weights (unweighted at nominal); the dataset's level by default.
    bootstrap : int, default 500
        Item resamples for the within/between intervals (0: no camps can pass the
        test, since it needs intervals).
    seed : int, default 0

    Returns
    -------
    CampSearch

    Examples
    --------
    >>> import pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> truth = rng.integers(0, 2, 400)
    >>> camp_b = np.where(rng.random(400) < 0.5, 1 - truth, truth)  # half of the items read the other way
    >>> rows = [(i, a, (truth if a < 3 else camp_b)[i] if rng.random() < 0.9 else rng.integers(0, 2))
    ...         for i in range(400) for a in range(6)]
    >>> table = pd.DataFrame(rows, columns=["item_id", "annotator", "label"]).astype(str)
    >>> result = find_camps(ReliabilityData.from_table(table), bootstrap=200)
    >>> [camp.annotators for camp in result.camps]
    [('0', '1', '2'), ('3', '4', '5')]
    """
    level = level_of(data, level)
    data = reliability_of(data, function="find_camps")
    pairable_rows = data.judgements_per_item() >= 2
    judgements = np.bincount(data.annotator_index[pairable_rows[data.item_index]],
                             minlength=data.n_annotators)
    eligible = np.flatnonzero(judgements >= MIN_JUDGEMENTS)
    names = [str(a) for a in data.annotators]
    if eligible.size < 4:
        return CampSearch((), (), f"camps need at least 4 annotators with {MIN_JUDGEMENTS} or more "
                          f"judgements on shared items; {eligible.size} have that many")
    if eligible.size > MAX_ANNOTATORS:
        return CampSearch((), (), f"{eligible.size} annotators: camps are searched for among at most "
                          f"{MAX_ANNOTATORS} (crowd data share too few items per pair)")
    codes = data.dense_columns(eligible)
    rows = (codes != MISSING).sum(axis=1) >= 2
    codes = codes[rows]
    patterns, inverse = np.unique(codes, axis=0, return_inverse=True)
    frequency = np.bincount(inverse.ravel(), minlength=len(patterns)).astype(np.int64)
    pairs = annotator_pairs(eligible.size)
    agreement = agreement_weights(level, data.values)
    kappas, shared = _pair_kappas(patterns, frequency.astype(float)[None, :], pairs=pairs,
                                  n_labels=data.n_labels, agreement=agreement)
    kappas, shared = kappas[0], shared[0]
    kappas = np.where(shared >= MIN_PAIR_ITEMS, kappas, np.nan)
    if np.isfinite(kappas).sum() * 2 < len(pairs):
        return CampSearch((), (), f"fewer than half of the annotator pairs share {MIN_PAIR_ITEMS} "
                          "or more items, so camps cannot be told apart")

    from scipy.cluster.hierarchy import fcluster
    from scipy.cluster.hierarchy import linkage as build_linkage

    distance = 1.0 - kappas
    distance = np.where(np.isfinite(distance), distance, np.nanmean(distance))
    linkage = build_linkage(np.clip(distance, 0.0, None), method="average")
    pair_a = np.array([a for a, _ in pairs])
    pair_b = np.array([b for _, b in pairs])
    for k in range(2, eligible.size // 2 + 2):
        clusters = fcluster(linkage, t=k, criterion="maxclust")
        ids, sizes = np.unique(clusters, return_counts=True)
        camp_ids = [c for c, s in zip(ids, sizes, strict=True) if s >= 2]
        if len(camp_ids) < 2:
            continue
        member = np.stack([clusters == c for c in camp_ids])  # (S, A)
        in_camp = member.any(axis=0)
        within = (member[:, pair_a] & member[:, pair_b]).T.astype(float)  # (P, S)
        between = ((member[:, pair_a] & in_camp[pair_b] & ~member[:, pair_b])
                   | (member[:, pair_b] & in_camp[pair_a] & ~member[:, pair_a])).T.astype(float)
        membership = np.concatenate([within, between], axis=1)
        estimate = _set_means(kappas[None, :], membership)[0]
        s = len(camp_ids)
        if not np.all(estimate[:s] - estimate[s:] >= MIN_GAP):
            continue
        if bootstrap <= 0:
            break
        replicates = _replicates(patterns, frequency, pairs, data.n_labels, agreement, membership,
                                 bootstrap=bootstrap, seed=seed)
        low, high, _ = percentile_interval(replicates)
        if not np.all(low[:s] > high[s:]):
            continue
        return _result(data, eligible, names, member, estimate, low, high, codes_rows=rows,
                       level=level, bootstrap=bootstrap, seed=seed)
    return CampSearch((), (), (
        "no camps: no grouping of two or more annotators agrees among itself clearly more than "
        f"with the others (within-camp interval above between-camp interval and a gap of at least {MIN_GAP})"))


def _replicates(patterns: np.ndarray, frequency: np.ndarray, pairs: list[tuple[int, int]], n_labels: int,
                agreement: np.ndarray, membership: np.ndarray, *, bootstrap: int, seed: int) -> np.ndarray:
    chunks = []
    cells = max(len(pairs) * n_labels * n_labels, 1)
    matrix = pair_table_matrix(patterns, n_labels, pairs)
    for weights in resample_weights(frequency, bootstrap, seed=seed):
        step = max(1, _CHUNK_CELLS // cells)
        for start in range(0, len(weights), step):
            part = weights[start:start + step]
            tables = pair_tables(part, matrix, len(pairs), n_labels)
            kappas = kappa_from_tables(tables, agreement)
            kappas = np.where(tables.sum(axis=(-2, -1)) >= MIN_PAIR_ITEMS, kappas, np.nan)
            chunks.append(_set_means(kappas, membership))
    return np.concatenate(chunks, axis=0)


def _result(data: ReliabilityData, eligible: np.ndarray, names: list[str], member: np.ndarray,
            estimate: np.ndarray, low: np.ndarray, high: np.ndarray, *, codes_rows: np.ndarray,
            level: Level, bootstrap: int, seed: int) -> CampSearch:
    s = member.shape[0]
    in_camp = member.any(axis=0)
    method = note("camps.method", weighting=kappa_weighting(level), resamples=bootstrap, seed=seed)
    camps = []
    both = data.dense_columns(eligible)[codes_rows]
    for c in range(s):
        cols = np.flatnonzero(member[c])
        other_cols = np.flatnonzero(in_camp & ~member[c])
        within_items = int(((both[:, cols] != MISSING).sum(axis=1) >= 2).sum())
        between_items = int((((both[:, cols] != MISSING).any(axis=1))
                             & ((both[:, other_cols] != MISSING).any(axis=1))).sum())
        within = Metric(estimate[c], low[c], high[c], n=within_items,
                        note=note("camps.within", pairs=len(cols) * (len(cols) - 1) // 2, method=method))
        between = Metric(estimate[s + c], low[s + c], high[s + c], n=between_items,
                         note=note("camps.between", pairs=len(cols) * len(other_cols), method=method))
        split, shares, agreement, items, count = _splits(data, eligible, member[c], in_camp & ~member[c])
        camps.append(Camp(tuple(names[eligible[j]] for j in cols), within, between, split, shares, agreement,
                          items, count))
    camps.sort(key=lambda camp: -len(camp.annotators))
    members = set(eligible[in_camp].tolist())
    unassigned = tuple(name for j, name in enumerate(names) if j not in members)
    return CampSearch(tuple(camps), unassigned,
                      note("camps.found", count=len(camps), gap=MIN_GAP))

