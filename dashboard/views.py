"""Reshaping analysis results into the tables the pages show (display only, no statistics)."""

from __future__ import annotations

import pandas as pd

from analysis.data.schema import ANNOTATOR, ITEM, LABEL, TEXT


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


def filter_annotators(frame: pd.DataFrame, query: str, *, column: str = "annotator") -> pd.DataFrame:
    """Rows whose ``column`` contains ``query`` (case-insensitive, plain text; empty: all).

    Examples
    --------
    >>> frame = pd.DataFrame({"annotator": ["Kim", "lee", "Park"]})
    >>> filter_annotators(frame, "E")["annotator"].tolist()
    ['lee']
    """
    query = query.strip().casefold()
    if not query:
        return frame
    names = frame[column].astype(str).str.casefold()
    return frame[names.str.contains(query, regex=False)]


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


def camp_order(annotators: list[str], camps: list[dict]) -> tuple[list[str], dict[str, int]]:
    """Annotators ordered camp by camp (the rest last), and each camp member's camp number.

    Examples
    --------
    >>> camp_order(["a", "b", "c", "d", "e"], [{"annotators": ["b", "d"]}, {"annotators": ["a", "e"]}])
    (['b', 'd', 'a', 'e', 'c'], {'b': 1, 'd': 1, 'a': 2, 'e': 2})
    """
    camp_of: dict[str, int] = {}
    for number, camp in enumerate(camps, start=1):
        for name in camp.get("annotators", []):
            camp_of.setdefault(str(name), number)
    ordered = [name for name in sorted(camp_of, key=lambda name: camp_of[name]) if name in annotators]
    return ordered + [name for name in annotators if name not in camp_of], camp_of


def split_items_by_cluster(split_items: list[str], clusters: object) -> list[tuple[int, int, int]]:
    """``(cluster id, split items in it, cluster size)`` for clusters holding camp split items.

    ``clusters`` is an :class:`analysis.clusters.ClusterResult` (or anything with a
    ``clusters`` attribute of objects with ``id`` and ``item_ids``); largest overlap first.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> result = NS(clusters=[NS(id=0, item_ids=("a", "b", "c")), NS(id=1, item_ids=("d",))])
    >>> split_items_by_cluster(["a", "c", "x"], result)
    [(0, 2, 3)]
    """
    wanted = set(map(str, split_items))
    rows = []
    for cluster in getattr(clusters, "clusters", ()):
        ids = [str(i) for i in getattr(cluster, "item_ids", ())]
        hits = sum(1 for i in ids if i in wanted)
        if hits:
            rows.append((int(cluster.id), hits, len(ids)))
    return sorted(rows, key=lambda row: -row[1])


def in_label_order(matrix: pd.DataFrame, order: list[str] | None) -> pd.DataFrame:
    """A label x label table with rows and columns in the scale order (when one is given).

    Examples
    --------
    >>> m = pd.DataFrame([[1, 2], [3, 4]], index=["high", "low"], columns=["high", "low"])
    >>> in_label_order(m, ["low", "high"]).to_numpy().tolist()
    [[4, 3], [2, 1]]
    """
    if not order or set(map(str, matrix.index)) != set(map(str, order)):
        return matrix
    return matrix.loc[list(order), [c for c in order if c in matrix.columns]]


ROUND_WORDS = ("split", "batch", "round", "phase", "wave", "stage", "iteration", "version", "fold",
               "subset", "partition", "period", "week", "month", "차수", "회차", "단계", "배치")


def round_like_columns(columns: list[str], mapped: list[str]) -> list[str]:
    """Source columns whose name suggests an annotation round (``split``, ``batch``,
    ``phase``...), other than those already read as a field.

    Examples
    --------
    >>> round_like_columns(["item_id", "data_split", "text", "Phase 2?"], ["item_id", "text"])
    ['data_split', 'Phase 2?']
    """
    from analysis.io.columns import normalise_name

    taken = {normalise_name(name) for name in mapped}
    found = []
    for column in columns:
        name = normalise_name(column)
        parts = set(name.replace("?", "").split("_"))
        if name not in taken and (parts & set(ROUND_WORDS) or any(word in name for word in ROUND_WORDS[-4:])):
            found.append(str(column))
    return found
