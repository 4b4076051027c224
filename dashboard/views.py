"""Reshaping analysis results into the tables the pages show (display only, no statistics)."""

from __future__ import annotations

import pandas as pd

from analysis.schema import ANNOTATOR, ITEM, LABEL, TEXT


def votes_by_item(table: pd.DataFrame) -> pd.Series:
    """Each item's judgements as one readable string, ``"ann_a: 경제 · ann_b: 사회"``.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": ["a", "a"], "annotator": ["x", "y"],
    ...                       "label": ["pos", "neg"]})
    >>> votes_by_item(table).to_dict()
    {'a': 'x: pos · y: neg'}
    """
    pairs = table[ANNOTATOR].astype(str) + ": " + table[LABEL].astype(str)
    return pairs.groupby(table[ITEM].astype(str), sort=False).agg(" · ".join)


def disagreed_items_for_label(table: pd.DataFrame, consensus: pd.DataFrame, label: str) -> pd.DataFrame:
    """Items that someone labelled ``label`` but on which the annotators disagree.

    Parameters
    ----------
    table : DataFrame
        The canonical table.
    consensus : DataFrame
        :func:`analysis.consensus.consensus_table` output (``item_id``,
        ``majority_label``, ``vote_entropy``, ...).
    label : str
        The class to list.

    Returns
    -------
    DataFrame
        ``item_id``, ``text`` (when present), ``votes``, ``majority_label`` and
        ``vote_entropy``, most ambiguous first.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": list("aabb"), "annotator": list("xyxy"),
    ...                       "label": ["p", "n", "p", "p"]})
    >>> consensus = pd.DataFrame({"item_id": ["a", "b"], "majority_label": [None, "p"],
    ...                           "vote_entropy": [1.0, 0.0]})
    >>> disagreed_items_for_label(table, consensus, "p")["item_id"].tolist()
    ['a']
    """
    used = set(table.loc[table[LABEL].astype(str) == label, ITEM].astype(str))
    frame = consensus[consensus[ITEM].astype(str).isin(used) & (consensus["vote_entropy"] > 0)]
    frame = frame[[ITEM, "majority_label", "vote_entropy"]].copy()
    frame[ITEM] = frame[ITEM].astype(str)
    frame["votes"] = frame[ITEM].map(votes_by_item(table))
    if TEXT in table.columns and table[TEXT].notna().any():
        texts = table.drop_duplicates(ITEM).set_index(table.drop_duplicates(ITEM)[ITEM].astype(str))[TEXT]
        frame.insert(1, TEXT, frame[ITEM].map(texts))
    return frame.sort_values("vote_entropy", ascending=False, kind="stable").reset_index(drop=True)


def mostly_hangul(texts: pd.Series) -> bool:
    """Whether most non-empty texts contain Hangul (to suggest the char n-gram backend).

    Examples
    --------
    >>> mostly_hangul(pd.Series(["경제 뉴스", "hello", "사회"]))
    True
    """
    texts = texts.dropna().astype(str)
    if texts.empty:
        return False
    return bool(texts.str.contains(r"[\uac00-\ud7a3]", regex=True).mean() > 0.5)


def arrow_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy where list, tuple and dict cells become text, so every column has one type.

    Examples
    --------
    >>> arrow_safe(pd.DataFrame({"a": [[1, 2], 3]}))["a"].tolist()
    ['1, 2', '3']
    """
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object and safe[column].map(lambda v: isinstance(v, list | tuple | dict)).any():
            safe[column] = safe[column].map(
                lambda v: ", ".join(map(str, v)) if isinstance(v, list | tuple) else ("" if v is None else str(v))
            )
    return safe
