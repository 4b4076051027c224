"""Dataset identity by content, so decisions reattach when the same export is loaded again."""

from __future__ import annotations

import hashlib
import unicodedata

import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.data.schema import ANNOTATOR, ITEM, LABEL, REQUIRED_COLUMNS


def _field(values: pd.Series) -> pd.Series:
    text = values.astype("string").fillna("").astype(object).map(
        lambda value: unicodedata.normalize("NFC", value)
    )
    # A length prefix makes the encoding unambiguous whatever characters a field holds.
    return text.str.len().astype(str) + ":" + text


def dataset_fingerprint(table: pd.DataFrame) -> str:
    """A content hash of the table's (item_id, annotator, label) judgements.

    The hash ignores row order, other columns and the file format, so a re-ordered or
    re-exported copy of the same annotations gets the same fingerprint; changing,
    adding or removing any judgement changes it.

    Parameters
    ----------
    table : DataFrame
        Canonical table.

    Returns
    -------
    str
        64 hexadecimal characters (SHA-256).

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": ["a", "b"], "annotator": ["x", "x"],
    ...                       "label": ["pos", "neg"]})
    >>> dataset_fingerprint(table) == dataset_fingerprint(table.iloc[::-1])
    True
    >>> len(dataset_fingerprint(table))
    64
    """
    missing = [column for column in REQUIRED_COLUMNS if column not in table.columns]
    if missing:
        raise AnnotationDataError(
            f"the table has no column {missing}, so it cannot be identified",
            fix="load the file with analysis.io.load_annotations",
        )
    rows = _field(table[ITEM]) + "|" + _field(table[ANNOTATOR]) + "|" + _field(table[LABEL])
    digest = hashlib.sha256()
    digest.update(b"label-agreement-dataset/1\n")
    digest.update("\n".join(sorted(rows.tolist())).encode("utf-8"))
    return digest.hexdigest()
