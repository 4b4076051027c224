"""Quiet members: items of a theme that show only a single dissent.

An ambiguous theme does not make every item split. With annotators who lean 70-85% to one
side, many of the theme's items show one dissent (4-1, 6-1, 2-1 with a slip-prone
annotator's vote set aside) or a share of dissent below the selection threshold, and the
selection leaves them out. They belong to the theme when the texts around them are
disagreed on the same question:

* a *candidate* is an item with a text, not selected as disagreed, with exactly one vote
  off its plurality label, whose pair (plurality, the dissenting label) is the main pair
  of some cluster;
* it joins cluster ``c`` when at least :data:`MIN_AGREEING` of its :data:`N_NEIGHBOURS`
  nearest disagreed items (cosine) are in ``c``, ``c``'s pair is the candidate's pair, and
  the candidate is as close to ``c``'s centre as 90% of ``c``'s members.

A careless annotator's lone dissent on an unrelated label never joins (its pair is not the
cluster's), and neither does a lone dissent on a text unlike the theme.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from analysis.clusters.selection import Disagreements

N_NEIGHBOURS = 5
MIN_AGREEING = 3
CLOSE_QUANTILE = 0.1
_CHUNK = 2048


def _pair_code(first: np.ndarray, second: np.ndarray, n_labels: int) -> np.ndarray:
    return np.minimum(first, second) * n_labels + np.maximum(first, second)


@dataclass(frozen=True, eq=False)
class QuietCandidates:
    """Items that may be quiet members, and each cluster's main pair.

    Attributes
    ----------
    candidates : ndarray of int
        Rows in the dataset of the candidate items.
    pairs : ndarray of int
        Each candidate's pair code (``a * n_labels + b``, ``a < b``).
    cluster_pairs : ndarray of int
        The main pair code of every cluster (index = cluster id).
    """

    candidates: npt.NDArray[np.int64]
    pairs: npt.NDArray[np.int64]
    cluster_pairs: npt.NDArray[np.int64]

    def assign(
        self, vectors: npt.NDArray[np.floating], candidate_vectors: npt.NDArray[np.floating],
        labels: npt.NDArray[np.integer],
    ) -> npt.NDArray[np.int64]:
        """The cluster each candidate joins, or -1 (module docstring).

        Parameters
        ----------
        vectors : ndarray, shape (n_disagreed, dim)
            Unit vectors of the clustered (disagreed) items.
        candidate_vectors : ndarray, shape (n_candidates, dim)
        labels : ndarray of int, shape (n_disagreed,)
            Cluster of every disagreed item (-1: none).
        """
        labels = np.asarray(labels)
        out = np.full(len(self.candidates), -1, dtype=np.int64)
        n_clusters = len(self.cluster_pairs)
        if n_clusters == 0 or len(vectors) < N_NEIGHBOURS:
            return out
        unit = np.asarray(vectors, dtype=np.float32)
        centres = np.vstack([unit[labels == c].mean(axis=0) for c in range(n_clusters)])
        centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
        bars = np.array([np.quantile(unit[labels == c] @ centres[c], CLOSE_QUANTILE) for c in range(n_clusters)])
        others = np.asarray(candidate_vectors, dtype=np.float32)
        for start in range(0, len(others), _CHUNK):
            block = others[start : start + _CHUNK] @ unit.T
            near = np.argpartition(-block, N_NEIGHBOURS - 1, axis=1)[:, :N_NEIGHBOURS]
            near_labels = labels[near]
            for offset, row_labels in enumerate(near_labels):
                ids, votes = np.unique(row_labels[row_labels >= 0], return_counts=True)
                if votes.size == 0 or votes.max() < MIN_AGREEING:
                    continue
                c = int(ids[np.argmax(votes)])
                k = start + offset
                if self.cluster_pairs[c] == self.pairs[k] and float(others[k] @ centres[c]) >= bars[c]:
                    out[k] = c
        return out


def quiet_members(
    found: Disagreements, chosen_rows: npt.NDArray[np.integer], counts: npt.NDArray[np.integer],
    labels: npt.NDArray[np.integer], *, has_text: npt.NDArray[np.bool_],
) -> QuietCandidates:
    """The quiet-member candidates of a clustering (module docstring).

    Parameters
    ----------
    found : Disagreements
    chosen_rows : ndarray of int
        Dataset rows of the clustered (disagreed) items.
    counts : ndarray of int, shape (len(chosen_rows), n_labels)
        Their votes (slip votes set aside).
    labels : ndarray of int
        Their clusters (-1: none).
    has_text : ndarray of bool, shape (n_items,)
        Which items of the dataset have a text.
    """
    labels = np.asarray(labels)
    n_labels = found.raw_counts.shape[1]
    n_clusters = int(labels.max(initial=-1)) + 1
    empty = np.zeros(0, dtype=np.int64)
    if n_clusters == 0 or n_labels < 2:
        return QuietCandidates(empty, empty, empty)
    main = np.empty(n_clusters, dtype=np.int64)
    for c in range(n_clusters):
        totals = counts[labels == c].sum(axis=0)
        a, b = np.argsort(-totals, kind="stable")[:2]
        main[c] = _pair_code(np.array([a]), np.array([b]), n_labels)[0]
    raw = found.raw_counts
    votes = raw.sum(axis=1)
    top = raw.max(axis=1)
    maybe = ~found.items["disagreed"].to_numpy(dtype=bool) & has_text & (votes >= 2) & (votes - top == 1)
    maybe[np.asarray(chosen_rows, dtype=np.int64)] = False
    rows = np.nonzero(maybe)[0]
    if rows.size == 0:
        return QuietCandidates(empty, empty, main)
    sub = raw[rows]
    first = np.argmax(sub, axis=1)
    rest = sub.copy()
    rest[np.arange(len(rows)), first] = -1
    second = np.argmax(rest, axis=1)
    pairs = _pair_code(first, second, n_labels)
    on_pair = np.isin(pairs, main)
    return QuietCandidates(rows[on_pair].astype(np.int64), pairs[on_pair].astype(np.int64), main)
