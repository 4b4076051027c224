"""Which items annotators disagree on, who dissents, and which dissent is a lone slip.

Per item, the *plurality* label is the one with the most votes (the first in label order
on a tie) and the *dissenters* are the annotators who voted anything else. An item whose
only dissent comes from one annotator is a ``single_dissent`` item. It counts as a
*slip* (excluded from clustering, reported apart) when that annotator is a lone-dissent
outlier: at least ``min_slips`` lone dissents and a lone-dissent rate of at least
``slip_factor`` times the median annotator's rate (and at least 5%). One careless
annotator then cannot manufacture "ambiguity" clusters out of random slips.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.reliability import MISSING, ReliabilityData
from analysis.votes import vote_entropy

DEFAULT_MIN_ENTROPY = 0.3
"""Normalised vote entropy an item needs to count as disagreed (0 = unanimous, 1 = even)."""


@dataclass(frozen=True, eq=False)
class Disagreements:
    """Vote summary of every item with at least two votes.

    Attributes
    ----------
    data : ReliabilityData
    items : DataFrame
        One row per item of ``data`` (same order): ``item_id``, ``n_votes``, ``entropy``,
        ``plurality`` (label), ``votes`` (e.g. ``"billing×3, refund×2"``),
        ``dissenters`` (tuple of annotators), ``single_dissent`` (bool), ``slip`` (bool),
        ``disagreed`` (bool: entropy ≥ threshold, not a slip).
    noisy_annotators : tuple of str
        Lone-dissent outliers (see the module docstring).
    """

    data: ReliabilityData
    items: pd.DataFrame
    noisy_annotators: tuple[str, ...]


def format_votes(counts: np.ndarray, labels: tuple[str, ...]) -> str:
    """Votes as text, most voted first.

    Examples
    --------
    >>> format_votes(np.array([1, 3, 0]), ("a", "b", "c"))
    'b×3, a×1'
    """
    order = np.argsort(-counts, kind="stable")
    return ", ".join(f"{labels[i]}×{int(counts[i])}" for i in order if counts[i] > 0)


def find_disagreements(
    data: ReliabilityData,
    *,
    min_entropy: float = DEFAULT_MIN_ENTROPY,
    slip_factor: float = 3.0,
    min_slips: int = 3,
) -> Disagreements:
    """Summarise votes per item and flag disagreed items and lone slips.

    Parameters
    ----------
    data : ReliabilityData
    min_entropy : float, default 0.3
        Normalised vote entropy threshold (inclusive; unanimous items never count).
    slip_factor, min_slips
        The lone-dissent outlier rule of the module docstring.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aaabbb"), "annotator": list("xyzxyz"),
    ...                       "label": list("ppnppp")})
    >>> d = find_disagreements(ReliabilityData.from_table(table))
    >>> d.items[["item_id", "votes", "disagreed"]].values.tolist()
    [['a', 'p×2, n×1', True], ['b', 'p×3', False]]
    """
    counts = data.counts()
    n_votes = counts.sum(axis=1)
    entropy = vote_entropy(counts)
    plurality = np.argmax(counts, axis=1)
    codes = data.codes
    dissent = (codes != MISSING) & (codes != plurality[:, None])
    n_dissent = dissent.sum(axis=1)
    single = (n_dissent == 1) & (n_votes >= 3)

    lone_by = np.where(single[:, None], dissent, False).sum(axis=0)
    labelled = (codes != MISSING).sum(axis=0)
    rate = lone_by / np.maximum(labelled, 1)
    floor = max(slip_factor * float(np.median(rate)), 0.05)
    noisy = (lone_by >= min_slips) & (rate >= floor)
    if noisy.sum() * 2 > len(noisy):  # most annotators "outliers": nobody is
        noisy[:] = False
    slip = single & (dissent & noisy[None, :]).any(axis=1)

    dissenters = [tuple(data.annotators[np.nonzero(row)[0]]) for row in dissent]
    items = pd.DataFrame(
        {
            "item_id": pd.Series(data.items, dtype=object).astype(str),
            "n_votes": n_votes,
            "entropy": entropy,
            "plurality": [data.labels[i] for i in plurality],
            "votes": [format_votes(row, data.labels) for row in counts],
            "dissenters": dissenters,
            "single_dissent": single,
            "slip": slip,
            "disagreed": (n_votes >= 2) & (entropy > 0) & (entropy >= min_entropy) & ~slip,
        }
    )
    return Disagreements(
        data=data,
        items=items,
        noisy_annotators=tuple(str(a) for a in data.annotators[noisy]),
    )
