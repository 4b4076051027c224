"""Reliability data: the canonical table as label codes per item and annotator.

Every agreement, consensus and quality computation works on this one representation,
built once per dataset. It is stored *sparse*, one entry per judgement (sorted by item,
then annotator), so memory and time grow with the judgements, not with items times
annotators: a crowd export of 10,000 items judged 5 times each by 800 workers holds
50,000 judgements, not 8,000,000 cells. The dense items x annotators matrix
(:attr:`ReliabilityData.codes`, missing judgements coded ``-1``) is built on first use,
for analyses of small data that want it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.base.errors import AnnotationDataError, UsageError
from analysis.base.validation import check_columns
from analysis.data.pair_sample import pair_sample
from analysis.data.schema import ANNOTATOR, ITEM, LABEL

if TYPE_CHECKING:
    from analysis.data.pair_sample import PairSample

MISSING: int = -1

IntArray = npt.NDArray[np.int64]


def _numeric_labels(labels: Sequence[str]) -> np.ndarray | None:
    values = pd.to_numeric(pd.Series(list(labels), dtype="object"), errors="coerce")
    if values.isna().any():
        return None
    return values.to_numpy(dtype=float)


class ReliabilityData:
    """Label codes per item and annotator.

    Build with :meth:`from_table` (or from a dense matrix of codes, as below).

    Attributes
    ----------
    items : ndarray of str, shape (n_items,)
        Item ids in order of first appearance in the table.
    annotators : ndarray of str, shape (n_annotators,)
        Annotator names in order of first appearance.
    labels : tuple of str, length n_labels
        The label set. Numeric labels are sorted by value, others alphabetically,
        unless an explicit order was given; the order matters for ordinal levels.
    values : ndarray of float, shape (n_labels,)
        The number each label stands for at interval/ratio level: the label itself when
        every label is numeric, otherwise its rank (0, 1, 2, ...).
    item_index, annotator_index, label_code : ndarray of int64, shape (n_judgements,)
        One entry per judgement, sorted by item and then annotator.
    codes : ndarray of int32, shape (n_items, n_annotators)
        The dense matrix: index into ``labels``, or ``MISSING`` (-1) where the annotator
        did not label the item. Built on first access (items x annotators cells).

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": ["a", "a", "b"], "annotator": ["x", "y", "x"],
    ...                       "label": ["pos", "neg", "pos"]})
    >>> data = ReliabilityData.from_table(table)
    >>> data.labels
    ('neg', 'pos')
    >>> data.codes.tolist()
    [[1, 0], [1, -1]]
    >>> data.label_code.tolist(), data.annotator_index.tolist()
    ([1, 0, 1], [0, 1, 0])
    """

    def __init__(
        self,
        items: npt.ArrayLike,
        annotators: npt.ArrayLike,
        labels: Sequence[str],
        codes: npt.ArrayLike | None = None,
        values: npt.ArrayLike | None = None,
        *,
        judgements: tuple[npt.ArrayLike, npt.ArrayLike, npt.ArrayLike] | None = None,
    ) -> None:
        self.items = np.asarray(items, dtype=object)
        self.annotators = np.asarray(annotators, dtype=object)
        self.labels = tuple(labels)
        self.values = (np.arange(len(self.labels), dtype=float) if values is None
                       else np.asarray(values, dtype=float))
        if (codes is None) == (judgements is None):
            raise UsageError("ReliabilityData needs either the 'codes' or the 'judgements' "
                             "parameter, not both and not neither", option="codes")
        if codes is not None:
            dense = np.asarray(codes, dtype=np.int32)
            rows, cols = np.nonzero(dense != MISSING)  # row-major: sorted by item, annotator
            item_index, annotator_index = rows.astype(np.int64), cols.astype(np.int64)
            label_code = dense[rows, cols].astype(np.int64)
            self.__dict__["codes"] = dense
        else:
            item_index, annotator_index, label_code = (
                np.asarray(x, dtype=np.int64) for x in judgements)  # type: ignore[union-attr]
            key = item_index * max(len(self.annotators), 1) + annotator_index
            if key.size > 1 and (np.diff(key) <= 0).any():
                order = np.argsort(key, kind="stable")
                item_index, annotator_index, label_code = (
                    item_index[order], annotator_index[order], label_code[order])
        self.item_index = item_index
        self.annotator_index = annotator_index
        self.label_code = label_code

    @classmethod
    def from_table(
        cls, table: pd.DataFrame, *, label_order: Sequence[str] | None = None
    ) -> ReliabilityData:
        """Build the data from a canonical table (one row per item x annotator).

        Parameters
        ----------
        table : DataFrame
            Canonical table; must not hold two rows for the same item and annotator
            (loaders resolve those).
        label_order : sequence of str, optional
            Explicit label order (e.g. ``["low", "mid", "high"]``) for ordinal analysis.
            Must contain every label in the table.

        Raises
        ------
        AnnotationDataError
            A required column is missing (named in the message), a label is empty, or
            one annotator labelled an item twice.
        """
        check_columns(table, (ITEM, ANNOTATOR, LABEL))
        item_codes, items = pd.factorize(table[ITEM], sort=False)
        annotator_codes, annotators = pd.factorize(table[ANNOTATOR], sort=False)
        # Factorize labels once, then order the (few) distinct labels; mapping codes
        # through a small array is far cheaper than mapping millions of strings.
        raw_codes, present_index = pd.factorize(table[LABEL], sort=False)
        present = [str(x) for x in present_index]
        if label_order is not None:
            unknown = sorted(set(present) - set(label_order))
            if unknown:
                raise AnnotationDataError(
                    f"labels {unknown} are not in the given label order",
                    fix="add them to the label order or correct the labels",
                )
            labels = tuple(dict.fromkeys(label_order))
        else:
            numeric = _numeric_labels(present)
            if numeric is not None and present:
                labels = tuple(x for _, x in sorted(zip(numeric, present, strict=True)))
            else:
                labels = tuple(sorted(present))
        position = {label: i for i, label in enumerate(labels)}
        remap = np.array([position[label] for label in present], dtype=np.int64)
        if (raw_codes < 0).any():
            raise AnnotationDataError(
                "the table holds empty labels",
                fix="load the file with analysis.io.load_annotations, which drops them",
            )
        label_codes = remap[raw_codes] if len(raw_codes) else raw_codes.astype(np.int64)
        item_codes = item_codes.astype(np.int64)
        annotator_codes = annotator_codes.astype(np.int64)
        key = item_codes * max(len(annotators), 1) + annotator_codes
        order = np.argsort(key, kind="stable")
        key = key[order]
        if key.size > 1 and (key[1:] == key[:-1]).any():
            raise AnnotationDataError(
                "the table holds more than one label for the same item and annotator",
                fix="load the file with analysis.io.load_annotations, which resolves duplicates",
            )
        numeric_values = _numeric_labels(labels)
        values = numeric_values if numeric_values is not None else np.arange(len(labels), dtype=float)
        return cls(
            items=np.asarray(items, dtype=object),
            annotators=np.asarray(annotators, dtype=object),
            labels=labels,
            values=values,
            judgements=(item_codes[order], annotator_codes[order], label_codes[order]),
        )

    @cached_property
    def codes(self) -> npt.NDArray[np.int32]:
        """The dense items x annotators matrix of label codes (``MISSING`` = -1)."""
        dense = np.full((self.n_items, self.n_annotators), MISSING, dtype=np.int32)
        dense[self.item_index, self.annotator_index] = self.label_code
        return dense

    @cached_property
    def pair_sample(self) -> PairSample:
        """The annotators the measures of pairs use (all of them unless their pairs on
        shared items are past :data:`analysis.base.limits.MAX_PAIRS`; see
        :mod:`analysis.data.pair_sample`). Drawn once per dataset."""

        return pair_sample(self.item_index, self.annotator_index, n_items=self.n_items,
                           n_annotators=self.n_annotators)

    def pair_judgements(self) -> tuple[IntArray, IntArray, IntArray]:
        """``item_index, annotator_index, label_code`` of the judgements the measures of
        pairs use (those of :attr:`pair_sample`'s annotators)."""
        keep = self.pair_sample.judgements(self.annotator_index)
        if keep is None:
            return self.item_index, self.annotator_index, self.label_code
        return self.item_index[keep], self.annotator_index[keep], self.label_code[keep]

    def dense_columns(self, columns: npt.NDArray[np.integer]) -> npt.NDArray[np.int32]:
        """``codes[:, columns]`` built from the judgements of those annotators only.

        Examples
        --------
        >>> table = pd.DataFrame({"item_id": ["a", "a", "b"], "annotator": ["x", "y", "x"],
        ...                       "label": ["pos", "neg", "pos"]})
        >>> ReliabilityData.from_table(table).dense_columns(np.array([1])).tolist()
        [[0], [-1]]
        """
        columns = np.asarray(columns, dtype=np.int64)
        if "codes" in self.__dict__:  # the full matrix exists already
            return self.codes[:, columns]
        position = np.full(self.n_annotators, -1, dtype=np.int64)
        position[columns] = np.arange(columns.size)
        keep = position[self.annotator_index] >= 0
        dense = np.full((self.n_items, columns.size), MISSING, dtype=np.int32)
        dense[self.item_index[keep], position[self.annotator_index[keep]]] = self.label_code[keep]
        return dense

    @property
    def n_items(self) -> int:
        """Number of items."""
        return len(self.items)

    @property
    def n_annotators(self) -> int:
        """Number of annotators."""
        return len(self.annotators)

    @property
    def n_labels(self) -> int:
        """Number of distinct labels."""
        return len(self.labels)

    @property
    def n_judgements(self) -> int:
        """Number of judgements (filled cells)."""
        return int(self.label_code.size)

    def judgements_per_item(self) -> IntArray:
        """Judgements on each item, shape (n_items,)."""
        return np.bincount(self.item_index, minlength=self.n_items).astype(np.int64)

    def judgements_per_annotator(self) -> IntArray:
        """Judgements by each annotator, shape (n_annotators,)."""
        return np.bincount(self.annotator_index, minlength=self.n_annotators).astype(np.int64)

    def counts(self) -> IntArray:
        """Votes per item and label, shape (n_items, n_labels).

        Examples
        --------
        >>> table = pd.DataFrame({"item_id": ["a", "a", "b"], "annotator": ["x", "y", "x"],
        ...                       "label": ["pos", "neg", "pos"]})
        >>> ReliabilityData.from_table(table).counts().tolist()
        [[1, 1], [0, 1]]
        """
        n_items, n_labels = self.n_items, self.n_labels
        flat = self.item_index * n_labels + self.label_code
        return np.bincount(flat, minlength=n_items * n_labels).reshape(n_items, n_labels)

    def subset(self, keep: npt.NDArray[np.bool_]) -> ReliabilityData:
        """The same items, annotators and labels with only the judgements ``keep`` marks."""
        return ReliabilityData(self.items, self.annotators, self.labels, values=self.values,
                               judgements=(self.item_index[keep], self.annotator_index[keep],
                                           self.label_code[keep]))

    def with_label_order(self, label_order: Sequence[str]) -> ReliabilityData:
        """The same judgements with the labels in ``label_order`` (codes remapped, no table read).

        Equal to ``ReliabilityData.from_table(table, label_order=label_order)`` on the table
        this matrix came from, at the cost of one pass over the label codes.

        Raises
        ------
        AnnotationDataError
            A label of the data is not in ``label_order``.

        Examples
        --------
        >>> table = pd.DataFrame({"item_id": ["a", "a", "b"], "annotator": ["x", "y", "x"],
        ...                       "label": ["low", "high", "mid"]})
        >>> data = ReliabilityData.from_table(table).with_label_order(["low", "mid", "high"])
        >>> data.labels, data.label_code.tolist()
        (('low', 'mid', 'high'), [0, 2, 1])
        """
        labels = tuple(dict.fromkeys(label_order))
        unknown = sorted(set(self.labels) - set(labels))
        if unknown:
            raise AnnotationDataError(
                f"labels {unknown} are not in the given label order",
                fix="add them to the label order or correct the labels",
            )
        position = {label: i for i, label in enumerate(labels)}
        remap = np.array([position[label] for label in self.labels], dtype=np.int64)
        numeric = _numeric_labels(labels)
        values = numeric if numeric is not None else np.arange(len(labels), dtype=float)
        return ReliabilityData(self.items, self.annotators, labels, values=values,
                               judgements=(self.item_index, self.annotator_index,
                                           remap[self.label_code] if len(self.label_code)
                                           else self.label_code))
