"""Reliability data: the canonical table as an items x annotators matrix of label codes.

Every agreement, consensus and quality computation works on this one representation,
built once per dataset. Missing judgements are coded ``-1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import AnnotationDataError
from analysis.schema import ANNOTATOR, ITEM, LABEL
from analysis.validation import check_columns

MISSING: int = -1


def _numeric_labels(labels: Sequence[str]) -> np.ndarray | None:
    values = pd.to_numeric(pd.Series(list(labels), dtype="object"), errors="coerce")
    if values.isna().any():
        return None
    return values.to_numpy(dtype=float)


@dataclass(frozen=True, eq=False)
class ReliabilityData:
    """Label codes per item and annotator.

    Attributes
    ----------
    items : ndarray of str, shape (n_items,)
        Item ids in order of first appearance in the table.
    annotators : ndarray of str, shape (n_annotators,)
        Annotator names in order of first appearance.
    labels : tuple of str, length n_labels
        The label set. Numeric labels are sorted by value, others alphabetically,
        unless an explicit order was given; the order matters for ordinal levels.
    codes : ndarray of int32, shape (n_items, n_annotators)
        Index into ``labels``, or ``MISSING`` (-1) where the annotator did not label
        the item.
    values : ndarray of float, shape (n_labels,)
        The number each label stands for at interval/ratio level: the label itself when
        every label is numeric, otherwise its rank (0, 1, 2, ...).

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": ["a", "a", "b"], "annotator": ["x", "y", "x"],
    ...                       "label": ["pos", "neg", "pos"]})
    >>> data = ReliabilityData.from_table(table)
    >>> data.labels
    ('neg', 'pos')
    >>> data.codes.tolist()
    [[1, 0], [1, -1]]
    """

    items: npt.NDArray[np.object_]
    annotators: npt.NDArray[np.object_]
    labels: tuple[str, ...]
    codes: npt.NDArray[np.int32]
    values: npt.NDArray[np.float64]

    @classmethod
    def from_table(
        cls, table: pd.DataFrame, *, label_order: Sequence[str] | None = None
    ) -> ReliabilityData:
        """Build the matrix from a canonical table (one row per item x annotator).

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
        remap = np.array([position[label] for label in present], dtype=np.int32)
        if (raw_codes < 0).any():
            raise AnnotationDataError(
                "the table holds empty labels",
                fix="load the file with analysis.io.load_annotations, which drops them",
            )
        label_codes = remap[raw_codes] if len(raw_codes) else raw_codes.astype(np.int32)

        codes = np.full((len(items), len(annotators)), MISSING, dtype=np.int32)
        codes[item_codes, annotator_codes] = label_codes
        # A duplicate (item, annotator) pair overwrites a cell, leaving fewer filled cells
        # than rows: an O(n) check instead of sorting every pair.
        if int((codes != MISSING).sum()) != len(table):
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
            codes=codes,
            values=values,
        )

    @property
    def n_items(self) -> int:
        """Number of items (rows of ``codes``)."""
        return int(self.codes.shape[0])

    @property
    def n_annotators(self) -> int:
        """Number of annotators (columns of ``codes``)."""
        return int(self.codes.shape[1])

    @property
    def n_labels(self) -> int:
        """Number of distinct labels."""
        return len(self.labels)

    def counts(self) -> npt.NDArray[np.int64]:
        """Votes per item and label, shape (n_items, n_labels).

        Examples
        --------
        >>> table = pd.DataFrame({"item_id": ["a", "a", "b"], "annotator": ["x", "y", "x"],
        ...                       "label": ["pos", "neg", "pos"]})
        >>> ReliabilityData.from_table(table).counts().tolist()
        [[1, 1], [0, 1]]
        """
        n_items, n_labels = self.n_items, self.n_labels
        rows, cols = np.nonzero(self.codes != MISSING)
        flat = rows * n_labels + self.codes[rows, cols]
        return np.bincount(flat, minlength=n_items * n_labels).reshape(n_items, n_labels)
