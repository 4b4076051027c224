"""Cohen's kappa of every pair of annotators that shares items: the report's ``pairwise`` list.

Pairwise rule: only pairs that labelled at least one item in common are listed. A pair
without a shared item has no kappa (nothing to compare); with ``all_pairs=True`` those
pairs are listed too, with an undefined kappa that says so.

Crowd data has tens of thousands of such pairs, so the list is computed column-wise
(kappa and statsmodels' standard error for every pair at once, from the pairs' cells)
and kept as arrays (:class:`PairwiseKappas`): its JSON records and the annotators x
annotators matrices are built from the arrays, and a :class:`PairKappa` object only
when one is asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.base.blas import one_blas_thread
from analysis.data.dataset import AnnotationDataset, level_of, reliability_of
from analysis.data.levels import Level, kappa_weighting
from analysis.data.reliability import ReliabilityData
from analysis.messages import join, note
from analysis.metrics.intervals import MIN_ITEMS_FOR_CI, too_few_note
from analysis.metrics.pairs import PairCells
from analysis.metrics.result import Metric

Z_95 = 1.959963984540054
NO_SHARED_ITEM = note("cohen.no_shared_item")


@dataclass(frozen=True)
class PairKappa:
    """Cohen's kappa of one pair of annotators over the items both labelled."""

    annotator_a: str
    annotator_b: str
    items: int
    cohen_kappa: Metric

    def to_dict(self) -> dict[str, Any]:
        """JSON form used by the report's ``pairwise`` list."""
        return {
            "annotator_a": self.annotator_a,
            "annotator_b": self.annotator_b,
            "items": self.items,
            "cohen_kappa": self.cohen_kappa.to_dict(),
        }


def kappa_records(n: np.ndarray, kappa: np.ndarray, se: np.ndarray, *, level: Level,
                  what: str) -> list[dict[str, Any]]:
    """``Metric.to_dict()`` dicts of many kappas with their statsmodels-SE intervals.

    ``n`` items, ``kappa`` (NaN where undefined) and ``se`` (NaN where none) per group,
    shape (n_groups,). The same values and notes as one :class:`Metric` per group.

    Examples
    --------
    >>> kappa_records(np.array([0.0, 3.0]), np.array([np.nan, 0.5]), np.array([np.nan, 0.2]),
    ...               level="nominal", what="none")[1]["note"]
    'unweighted; no interval: fewer than 10 items'
    """
    counts = np.rint(n).astype(np.int64).tolist()
    values = np.asarray(kappa, dtype=float)
    errors = np.asarray(se, dtype=float)
    defined = np.isfinite(values).tolist()
    with_ci = (np.isfinite(values) & (np.rint(n) >= MIN_ITEMS_FOR_CI) & np.isfinite(errors)).tolist()
    low = np.maximum(-1.0, values - Z_95 * errors).tolist()
    high = np.minimum(1.0, values + Z_95 * errors).tolist()
    values_list, errors_list = values.tolist(), errors.tolist()
    weighting = kappa_weighting(level)
    empty = note("cohen.no_items", reason=what)
    single = note("cohen.single_label")
    few = join([weighting, too_few_note("items")])
    no_se = join([weighting, note("interval.no_se")])
    out = []
    for i, c in enumerate(counts):
        if c == 0:
            out.append({"value": None, "ci_low": None, "ci_high": None, "n": 0, "note": empty})
        elif not defined[i]:
            out.append({"value": None, "ci_low": None, "ci_high": None, "n": c, "note": single})
        elif with_ci[i]:
            out.append({"value": values_list[i], "ci_low": low[i], "ci_high": high[i], "n": c,
                        "note": join([weighting, note("interval.kappa_se", se=errors_list[i])])})
        else:
            out.append({"value": values_list[i], "ci_low": None, "ci_high": None, "n": c,
                        "note": few if c < MIN_ITEMS_FOR_CI else no_se})
    return out


class PairwiseKappas(Sequence[PairKappa]):
    """The pairs of annotators that share items, with their kappas, kept as arrays.

    A sequence of :class:`PairKappa` (made on access); :meth:`records` gives the JSON
    list and :meth:`matrices` the annotators x annotators tables without making one
    object per pair.

    Parameters
    ----------
    names : sequence of str
        Every annotator, in the data's order.
    pairs : ndarray of int64, shape (n_pairs, 2)
        Annotator indices ``(a, b)``, ``a < b``, sorted, of the pairs that share items.
    n, kappa, se : ndarray, shape (n_pairs,)
        Shared items, kappa (NaN where undefined), statsmodels' SE (NaN where none).
    level : {"nominal", "ordinal", "interval", "ratio"}
    all_pairs : bool, default False
        List every pair of annotators (``itertools.combinations`` order), those without
        a shared item with an undefined kappa.
    among : ndarray of int, optional
        With ``all_pairs``: only the pairs of these annotators (the sample the pairs were
        computed on, :mod:`analysis.data.pair_sample`).
    note : str, optional
        How the pairs were chosen, when not every annotator's pairs are listed.
    """

    def __init__(self, names: Sequence[str], pairs: npt.NDArray[np.int64], n: np.ndarray,
                 kappa: np.ndarray, se: np.ndarray, *, level: Level, all_pairs: bool = False,
                 among: npt.NDArray[np.int64] | None = None, note: str | None = None) -> None:
        self.among = None if among is None else [int(a) for a in among]
        self.note = note
        self.names = [str(name) for name in names]
        self.pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        self.n, self.kappa, self.se = (np.asarray(x, dtype=float) for x in (n, kappa, se))
        self.level = level
        self.all_pairs = all_pairs
        self._cache: list[dict[str, Any]] | None = None

    def _build(self) -> list[dict[str, Any]]:
        metrics = kappa_records(self.n, self.kappa, self.se, level=self.level, what=NO_SHARED_ITEM)
        names = self.names
        records = [{"annotator_a": names[a], "annotator_b": names[b], "items": metric["n"],
                    "cohen_kappa": metric}
                   for a, b, metric in zip(self.pairs[:, 0].tolist(), self.pairs[:, 1].tolist(), metrics,
                                           strict=True)]
        if not self.all_pairs:
            return records
        shared = {(r["annotator_a"], r["annotator_b"]): r for r in records}
        empty = {"value": None, "ci_low": None, "ci_high": None, "n": 0, "note": note("cohen.no_items", reason=NO_SHARED_ITEM)}
        return [shared.get((names[a], names[b])) or {
            "annotator_a": names[a], "annotator_b": names[b], "items": 0, "cohen_kappa": dict(empty)}
            for a, b in combinations(range(len(names)) if self.among is None else self.among, 2)]

    def _records(self) -> list[dict[str, Any]]:
        if self._cache is None:
            self._cache = self._build()
        return self._cache

    def records(self) -> list[dict[str, Any]]:
        """The JSON list (``PairKappa.to_dict()`` of every pair), new dicts each call."""
        return self._build()

    def __len__(self) -> int:
        if self.all_pairs:
            n = len(self.names) if self.among is None else len(self.among)
            return n * (n - 1) // 2
        return len(self.pairs)

    @overload
    def __getitem__(self, index: int) -> PairKappa: ...

    @overload
    def __getitem__(self, index: slice) -> list[PairKappa]: ...

    def __getitem__(self, index: int | slice) -> PairKappa | list[PairKappa]:
        records = self._records()
        if isinstance(index, slice):
            return [_pair(r) for r in records[index]]
        return _pair(records[index])

    def __iter__(self) -> Iterator[PairKappa]:
        return (_pair(r) for r in self._records())

    def matrices(self, names: Sequence[str] | None = None,
                 overlap_diagonal: np.ndarray | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Kappa and shared items as annotators x annotators tables.

        Parameters
        ----------
        names : sequence of str, optional
            The annotators to show (default: all); pairs with another annotator are left out.
        overlap_diagonal : ndarray, optional
            Each shown annotator's own item count for the overlap diagonal (default 0).

        Returns
        -------
        kappa : DataFrame
            Symmetric; NaN on the diagonal and where a pair's kappa is undefined.
        overlap : DataFrame of int
        """
        shown = self.names if names is None else [str(name) for name in names]
        position = np.full(len(self.names), -1, dtype=np.int64)
        index = {name: i for i, name in enumerate(self.names)}
        for j, name in enumerate(shown):
            if name in index:
                position[index[name]] = j
        a, b = position[self.pairs[:, 0]], position[self.pairs[:, 1]]
        keep = (a >= 0) & (b >= 0)
        a, b = a[keep], b[keep]
        size = len(shown)
        kappa = np.full((size, size), np.nan)
        overlap = np.zeros((size, size), dtype=np.int64)
        if overlap_diagonal is not None:
            np.fill_diagonal(overlap, overlap_diagonal)
        kappa[a, b] = kappa[b, a] = self.kappa[keep]
        overlap[a, b] = overlap[b, a] = np.rint(self.n[keep]).astype(np.int64)
        return (pd.DataFrame(kappa, index=shown, columns=shown),
                pd.DataFrame(overlap, index=shown, columns=shown))


def _pair(record: dict[str, Any]) -> PairKappa:
    return PairKappa(record["annotator_a"], record["annotator_b"], record["items"],
                     Metric(**record["cohen_kappa"]))


@one_blas_thread
def pairwise_table(
    data: AnnotationDataset | ReliabilityData, *, level: Level | None = None,
    all_pairs: bool = False,
) -> PairwiseKappas:
    """Cohen's kappa of every pair of annotators that shares items, as :class:`PairwiseKappas`.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aabbcc"), "annotator": list("xyxyxy"),
    ...                       "label": list("ppnnpn")})
    >>> pairs = pairwise_table(ReliabilityData.from_table(table))
    >>> len(pairs), pairs[0].cohen_kappa.value, pairs.records()[0]["items"]
    (1, 0.4, 3)
    """
    level = level_of(data, level)
    data = reliability_of(data, function="pairwise_table")
    names = [str(a) for a in data.annotators]
    if data.n_annotators < 2:
        empty = np.empty(0)
        return PairwiseKappas(names, np.empty((0, 2), dtype=np.int64), empty, empty, empty, level=level)
    item, annotator, label = data.pair_judgements()
    cells = PairCells.from_judgements(
        item, annotator, label, n_units=data.n_items,
        n_annotators=data.n_annotators, n_labels=data.n_labels)
    n, kappa, se = cells.cells.kappa_and_se(np.ones(cells.unit.size), level, data.values)
    sample = data.pair_sample
    return PairwiseKappas(names, cells.pairs, n, kappa, se, level=level, all_pairs=all_pairs,
                          among=np.flatnonzero(sample.keep) if sample.sampled else None,
                          note=sample.note())


def pairwise_records(
    data: AnnotationDataset | ReliabilityData, *, level: Level | None = None,
    all_pairs: bool = False,
) -> list[dict[str, Any]]:
    """The report's ``pairwise`` list: :func:`pairwise_kappas` as ``to_dict()`` records."""
    return pairwise_table(data, level=level, all_pairs=all_pairs).records()


def pairwise_kappas(
    data: AnnotationDataset | ReliabilityData, *, level: Level | None = None,
    all_pairs: bool = False,
) -> list[PairKappa]:
    """Cohen's kappa for every pair of annotators that labelled an item in common.

    Parameters
    ----------
    data : AnnotationDataset or ReliabilityData
    level : {"nominal", "ordinal", "interval", "ratio"}, optional
        Default: the dataset's level (nominal for a bare ``ReliabilityData``).
    all_pairs : bool, default False
        Also list the pairs without a shared item (kappa undefined, ``items`` 0), in
        the order of ``itertools.combinations``; with hundreds of annotators that is
        most pairs.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aabbcc"), "annotator": list("xyxyxy"),
    ...                       "label": list("ppnnpn")})
    >>> pair = pairwise_kappas(ReliabilityData.from_table(table))[0]
    >>> pair.annotator_a, pair.annotator_b, pair.items, pair.cohen_kappa.value
    ('x', 'y', 3, 0.4)
    """
    return list(pairwise_table(data, level=level, all_pairs=all_pairs))
