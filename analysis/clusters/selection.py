"""Which items annotators disagree on, who dissents, and which dissent is a lone slip.

Per item, the *plurality* label is the one with the most votes (the first in label order
on a tie) and the *dissenters* are the annotators who voted anything else.

**Slip-prone annotators.** An item whose only dissent comes from one annotator is a
``single_dissent`` item. An annotator is *slip-prone* (a lone-dissent outlier) with at
least ``min_slips`` lone dissents and a lone-dissent rate of at least ``slip_factor``
times the median annotator's rate (and at least 5%). A *slip vote* is a vote of a
slip-prone annotator for a label nobody else chose on that item. Slip votes are set
aside before an item is judged, so one careless annotator cannot manufacture
"ambiguity" out of random slips; an item whose every dissent is a slip vote is a *slip*.

**Disagreed.** Counting the remaining votes, an item is disagreed when it has at least
two votes and the share of its votes outside the plurality label
(:func:`analysis.data.votes.dissent_share`) is at least ``min_disagreement`` (default 0.2).
The share does not depend on the size of the label set, and reads the same for 3 or 20
votes: 2-1, 3-2, 4-3 and 5-2 splits are always disagreed, a 4-1 split is disagreed unless
its lone dissent is a slip vote, a 6-1 split (0.14) is not. ``min_entropy`` optionally
also requires a normalised vote entropy (:func:`analysis.data.votes.vote_entropy`).

**Scattered.** A disagreed item whose votes spread over three or more labels, the two
most voted of them holding less than 75% of the votes (1-1-1, 2-1-1-1, 3-2-2), is
*scattered*: no pair of labels explains it (a "no label fits" candidate).
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Real

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.base.params import Hidden, Interval, validate_params
from analysis.data.reliability import MISSING, ReliabilityData
from analysis.data.votes import vote_entropy

DEFAULT_MIN_DISAGREEMENT = 0.1
"""Share of an item's votes outside its plurality label needed to count as disagreed."""

DEFAULT_MIN_ENTROPY: float | None = None
"""Optional extra threshold on the normalised vote entropy (``None``: not applied)."""

SCATTER_TOP_TWO_SHARE = 0.75
"""A disagreed item whose two most voted labels hold less than this share is scattered."""


MIN_DISAGREEMENT = [Interval(Real, 0, 1, closed="left", wording="a number from 0 to below 1")]
"""What ``min_disagreement`` may be (declared parameter constraints)."""

MIN_ENTROPY = [Interval(Real, 0, 1, closed="both", wording="a number from 0 to 1"), Hidden(None)]
"""What ``min_entropy`` may be: None (not applied) or a number from 0 to 1."""


@dataclass(frozen=True, eq=False)
class Disagreements:
    """Vote summary of every item with at least two votes.

    Attributes
    ----------
    data : ReliabilityData
    items : DataFrame
        One row per item of ``data`` (same order): ``item_id``, ``n_votes``, ``entropy``
        (computed only with ``min_entropy``, else NaN until :meth:`describe`),
        ``disagreement`` (share of the votes, slip votes set aside, outside the
        plurality), ``plurality_code`` (index into ``data.labels``), ``single_dissent``,
        ``slip``, ``scattered``, ``disagreed`` (bool). :meth:`describe` adds the text
        columns for chosen rows.
    noisy_annotators : tuple of str
        Slip-prone annotators (see the module docstring).
    counts : indexable by rows, shape (n_items, n_labels)
        Votes per item and label with slip votes set aside (``counts[rows]`` gives an
        array; made on demand, so 1M items stay fast).
    raw_counts : ndarray of int, shape (n_items, n_labels)
        Every vote.
    dissent : ndarray of bool, shape (n_items, n_annotators)
        The annotator voted, and not the plurality label.
    """

    data: ReliabilityData
    items: pd.DataFrame
    noisy_annotators: tuple[str, ...]
    counts: _SlipFreeCounts
    raw_counts: npt.NDArray[np.int64]
    dissent: npt.NDArray[np.bool_]

    def describe(self, rows: npt.ArrayLike) -> pd.DataFrame:
        """``items`` at ``rows`` (positions) with the text columns ``plurality`` (label),
        ``votes`` (e.g. ``"billing×3, refund×2"``) and ``dissenters`` (tuple of
        annotators) added; made only for the rows asked for, so 1M items stay fast."""
        rows = np.asarray(rows, dtype=np.int64)
        labels = np.array(self.data.labels, dtype=object)
        out = self.items.iloc[rows].copy()
        missing = out["entropy"].isna().to_numpy()
        if missing.any():
            values = out["entropy"].to_numpy(dtype=float, copy=True)
            values[missing] = vote_entropy(self.raw_counts[rows[missing]])
            out["entropy"] = values
        out["plurality"] = labels[out["plurality_code"].to_numpy()] if len(labels) else ""
        out["votes"] = [format_votes(self.raw_counts[i], self.data.labels) for i in rows]
        out["dissenters"] = [tuple(self.data.annotators[np.nonzero(self.dissent[i])[0]]) for i in rows]
        return out


def format_votes(counts: np.ndarray, labels: tuple[str, ...]) -> str:
    """Votes as text, most voted first.

    Examples
    --------
    >>> format_votes(np.array([1, 3, 0]), ("a", "b", "c"))
    'b×3, a×1'
    """
    order = np.argsort(-counts, kind="stable")
    return ", ".join(f"{labels[i]}×{int(counts[i])}" for i in order if counts[i] > 0)


class _SlipFreeCounts:
    """Votes per item and label with the slip votes set aside, built per row on demand."""

    def __init__(self, counts: np.ndarray, slip_rows: np.ndarray, slip_labels: np.ndarray) -> None:
        self._counts = counts
        order = np.argsort(slip_rows, kind="stable")
        self._rows, self._labels = slip_rows[order], slip_labels[order]
        self.shape = counts.shape

    def __getitem__(self, rows: npt.ArrayLike) -> npt.NDArray[np.int64]:
        rows = np.asarray(rows, dtype=np.int64)
        out = self._counts[rows]  # fancy indexing: already a copy
        if rows.size == 0:
            return out
        order = np.argsort(rows, kind="stable")
        position = np.searchsorted(rows[order], self._rows)
        hit = (position < len(rows)) & (rows[order][np.minimum(position, len(rows) - 1)] == self._rows)
        if hit.any():
            np.subtract.at(out, (order[position[hit]], self._labels[hit]), 1)
        return out


def _slip_prone(
    codes: np.ndarray,
    dissent: np.ndarray,
    single: np.ndarray,
    labelled_by: np.ndarray,
    *,
    slip_factor: float,
    min_slips: int,
) -> np.ndarray:
    """Boolean per annotator: the lone-dissent outlier rule of the module docstring."""
    lone_by = np.count_nonzero(dissent[single], axis=0)
    rate = lone_by / np.maximum(labelled_by, 1)
    floor = max(slip_factor * float(np.median(rate)) if len(rate) else 0.0, 0.05)
    noisy = (lone_by >= min_slips) & (rate >= floor)
    if noisy.sum() * 2 > len(noisy):  # most annotators "outliers": nobody is
        noisy[:] = False
    return noisy


@validate_params({"min_disagreement": MIN_DISAGREEMENT, "min_entropy": MIN_ENTROPY})
def find_disagreements(
    data: ReliabilityData,
    *,
    min_disagreement: float = DEFAULT_MIN_DISAGREEMENT,
    min_entropy: float | None = DEFAULT_MIN_ENTROPY,
    slip_factor: float = 3.0,
    min_slips: int = 3,
) -> Disagreements:
    """Summarise votes per item and flag disagreed, scattered and slip items.

    Parameters
    ----------
    data : ReliabilityData
    min_disagreement : float, default 0.2
        Share of votes outside the plurality (inclusive; from 0 to below 1). Unanimous
        items never count.
    min_entropy : float, optional
        Also require this normalised vote entropy (0-1; default: not applied).
    slip_factor, min_slips
        The slip-prone annotator rule of the module docstring.

    Raises
    ------
    UsageError
        For a threshold outside its range.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aaabbb"), "annotator": list("xyzxyz"),
    ...                       "label": list("ppnppp")})
    >>> d = find_disagreements(ReliabilityData.from_table(table))
    >>> d.describe([0, 1])[["item_id", "votes", "disagreement", "disagreed"]].round(3).values.tolist()
    [['a', 'p×2, n×1', 0.333, True], ['b', 'p×3', 0.0, False]]
    >>> find_disagreements(ReliabilityData.from_table(table), min_disagreement=2.0)
    Traceback (most recent call last):
    ...
    analysis.base.errors.UsageError: The 'min_disagreement' parameter of find_disagreements must be a number from 0 to below 1. Got 2.0 instead.
    """
    # Every step is one vectorised pass over the items x annotators codes or the
    # items x labels counts (1M items x 5 votes: about 0.4 s); no per-item Python.
    counts = data.counts()
    n_items = len(counts)
    every = np.arange(n_items)
    n_votes = data.judgements_per_item()
    plurality = np.argmax(counts, axis=1) if counts.shape[1] else np.zeros(n_items, np.int64)
    top = counts[every, plurality] if counts.shape[1] else np.zeros(n_items, np.int64)
    codes = data.codes
    labelled = codes != MISSING
    dissent = labelled & (codes != plurality[:, None])
    n_dissent = n_votes - top
    single = (n_dissent == 1) & (n_votes >= 3)
    noisy = _slip_prone(codes, dissent, single, data.judgements_per_annotator(),
                        slip_factor=slip_factor, min_slips=min_slips)

    # Slip votes: a slip-prone annotator's vote for a label nobody else chose on the item
    # (only the slip-prone annotators' columns are scanned).
    noisy_cols = np.nonzero(noisy)[0]
    rows, sub_cols = np.nonzero(labelled[:, noisy_cols])
    cols = noisy_cols[sub_cols]
    voted = codes[rows, cols]
    lonely = counts[rows, voted] == 1
    slip_rows, slip_cols, slip_labels = rows[lonely], cols[lonely], voted[lonely]
    if slip_rows.size > 1 and (np.diff(slip_rows) < 0).any():
        order = np.argsort(slip_rows, kind="stable")
        slip_rows, slip_cols, slip_labels = slip_rows[order], slip_cols[order], slip_labels[order]
    # The plurality's votes with slip votes set aside: only rows holding a slip vote change.
    touched = slip_rows[np.r_[True, slip_rows[1:] != slip_rows[:-1]]] if slip_rows.size else slip_rows
    if touched.size:
        fixed = counts[touched]
        fixed[np.searchsorted(touched, slip_rows), slip_labels] -= 1  # one vote per (row, label)
        top = top.copy()
        top[touched] = fixed.max(axis=1)

    kept = n_votes - np.bincount(slip_rows, minlength=n_items)
    share = np.divide(kept - top, kept, out=np.zeros(n_items), where=kept > 0)
    has_slip_dissent = np.zeros(n_items, dtype=bool)
    has_slip_dissent[slip_rows[dissent[slip_rows, slip_cols]]] = True
    slip = (n_dissent > 0) & (share == 0) & has_slip_dissent
    disagreed = (kept >= 2) & (share > 0) & (share >= min_disagreement) & ~slip
    entropy = np.full(n_items, np.nan)
    if min_entropy is not None:
        entropy = vote_entropy(counts)
        disagreed &= entropy >= min_entropy
    scattered = np.zeros(n_items, dtype=bool)
    chosen = np.nonzero(disagreed)[0]
    effective = _SlipFreeCounts(counts, slip_rows, slip_labels)
    if counts.shape[1] > 2 and chosen.size:  # only disagreed items can scatter
        sub = effective[chosen]
        top_two = -np.partition(-sub, 1, axis=1)[:, :2].sum(axis=1)
        spread = ((sub > 0).sum(axis=1) >= 3) & (top_two < SCATTER_TOP_TWO_SHARE * kept[chosen])
        scattered[chosen] = spread

    items = pd.DataFrame(
        {
            # object dtype kept as is: converting 1M ids to pandas' string dtype costs 0.1 s
            "item_id": pd.Series(
                data.items.astype(str) if data.items.dtype != object else data.items, dtype=object, copy=False
            ),
            "n_votes": n_votes,
            "entropy": entropy,
            "disagreement": share,
            "plurality_code": plurality,
            "single_dissent": single,
            "slip": slip,
            "scattered": scattered,
            "disagreed": disagreed,
        }
    )
    return Disagreements(
        data=data,
        items=items,
        noisy_annotators=tuple(str(a) for a in data.annotators[noisy]),
        counts=effective,
        raw_counts=counts,
        dissent=dissent,
    )
