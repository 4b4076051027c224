"""The canonical annotation table: one row per (item, annotator) judgement.

Every loader returns this shape and every analysis starts from it. Column names live
here and nowhere else.

=================  ==========================  =========================================
column             dtype                       meaning
=================  ==========================  =========================================
``item_id``        string, NFC                 the thing being labelled
``annotator``      string, NFC                 who labelled it
``label``          string, NFC, non-empty      the judgement
``text``           string or missing           the item's text (same for every row of
                                               an item)
``text_b``         string or missing           the second text of a sentence pair
                                               (hypothesis, sentence2), when there is one
``timestamp``      datetime64[ns, UTC] or NaT  when the judgement was made
``batch``          string or missing           annotation round / guideline version
``annotator_group`` string or missing          e.g. "expert" or "crowd"
=================  ==========================  =========================================

Row order is meaningful: where there is no timestamp, an annotator's sequence (for
fatigue) is the order of their rows in the table, which loaders keep as in the file.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

ITEM: Final = "item_id"
ANNOTATOR: Final = "annotator"
LABEL: Final = "label"
TEXT: Final = "text"
TEXT_B: Final = "text_b"
TIMESTAMP: Final = "timestamp"
BATCH: Final = "batch"
GROUP: Final = "annotator_group"

REQUIRED_COLUMNS: Final[tuple[str, ...]] = (ITEM, ANNOTATOR, LABEL)
OPTIONAL_COLUMNS: Final[tuple[str, ...]] = (TEXT, TIMESTAMP, BATCH, GROUP, TEXT_B)
CANONICAL_COLUMNS: Final[tuple[str, ...]] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


def empty_table() -> pd.DataFrame:
    """Return an empty canonical table with every column and its dtype.

    Examples
    --------
    >>> list(empty_table().columns)
    ['item_id', 'annotator', 'label', 'text', 'timestamp', 'batch', 'annotator_group', 'text_b']
    """
    return pd.DataFrame(
        {
            ITEM: pd.Series([], dtype="string"),
            ANNOTATOR: pd.Series([], dtype="string"),
            LABEL: pd.Series([], dtype="string"),
            TEXT: pd.Series([], dtype="string"),
            TIMESTAMP: pd.Series([], dtype="datetime64[ns, UTC]"),
            BATCH: pd.Series([], dtype="string"),
            GROUP: pd.Series([], dtype="string"),
            TEXT_B: pd.Series([], dtype="string"),
        }
    )


def has_values(table: pd.DataFrame, column: str) -> bool:
    """Whether an optional column is present and holds at least one value.

    Examples
    --------
    >>> has_values(empty_table(), "batch")
    False
    """
    return column in table.columns and bool(table[column].notna().any())
