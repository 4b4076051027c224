"""Hygiene of a mapped table: normalise, drop what is not a judgement, resolve duplicates.

Decisions, in the order they run:

1. Item ids, annotators and labels are NFC-normalised and stripped of surrounding
   whitespace; both are counted as changes (``nfc_normalised``, ``whitespace_stripped``),
   because ``"pos "`` and ``"pos"`` or NFD and NFC Hangul never mean different things.
   Item ids and annotators also lose byte-order marks, zero-width spaces and word joiners
   (``invisible_removed``): a BOM left inside a concatenated export must not split an item.
2. Rows with an empty label, item id or annotator are dropped and counted; a label of only
   invisible characters (zero-width, Hangul or Braille fillers) is empty, with a warning.
3. Requested label merges are applied (``labels_merged``).
4. Same item and annotator, different labels: the latest timestamp wins (the others are
   counted as ``conflicting_duplicate``); without timestamps this is an error, since
   which label counts cannot be guessed. Exact repeats are dropped (``exact_duplicate``).
5. Labels that still differ only by case, inner spaces, ``_``/``-``, invisible characters
   or compatibility form (full-width letters) are reported with an offered merge, never
   merged silently.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.base.errors import ConflictingLabelsError
from analysis.data.load_report import DROP_REASONS, LabelVariant
from analysis.data.schema import (
    ANNOTATOR,
    BATCH,
    CANONICAL_COLUMNS,
    GROUP,
    ITEM,
    LABEL,
    TEXT,
    TEXT_B,
    TIMESTAMP,
)
from analysis.io.values import as_text, parse_timestamps_in_range
from analysis.messages import note
from analysis.messages.english import ENGLISH

POSITION = "__position__"

INVISIBLE = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
             "\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0")
"""Characters that show nothing: soft hyphen, zero-width and joiner marks, direction marks,
variation selectors, the byte-order mark, Hangul and Braille fillers."""
_ONLY_INVISIBLE = rf"^[\s{INVISIBLE}]+$"
_ID_INVISIBLE = "[\ufeff\u200b\u2060]"
"""Removed from item ids and annotators: the byte-order mark, zero-width space and word
joiner, which no script needs (zero-width joiners are left: emoji and Indic text use them)."""


@dataclass
class Tally:
    """Counts and messages collected while loading one file."""

    dropped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DROP_REASONS, 0))
    changes: dict[str, int] = field(
        default_factory=lambda: {"nfc_normalised": 0, "whitespace_stripped": 0,
                                 "labels_merged": 0, "invisible_removed": 0}
    )
    warnings: list[str] = field(default_factory=list)


def _where(positions: pd.Series, unit: str, *, limit: int = 5) -> str:
    """Where in the file (``rows 3, 5 and 2 more``), as a note: the unit is written in the
    reader's language when the catalogue knows it."""
    values = [str(int(value)) for value in positions.iloc[:limit]]
    named = note(f"where.unit.{unit}") if f"where.unit.{unit}" in ENGLISH else unit
    if len(positions) == 1:
        return note("where.one", unit=named, position=values[0])
    shown = ", ".join(values)
    if len(positions) > limit:
        return note("where.many", unit=named, positions=note("list.more", shown=shown, more=len(positions) - limit))
    return note("where.many", unit=named, positions=shown)


def normalise_text(
    values: pd.Series, *, strip: bool
) -> tuple[pd.Series, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """NFC-normalise (and optionally strip) a text column.

    Pure-ASCII values are already in NFC, and NFC runs per value in Python, so only the
    other rows are normalised, each distinct value once (exports repeat the same ids and
    labels many times). Stripping is vectorised over the whole column.

    Returns
    -------
    normalised : Series of string dtype
        Same index; values that strip to ``""`` become missing when ``strip``.
    nfc_changed, strip_changed : ndarray of bool, shape (len(values),)
        Rows whose value NFC normalisation / stripping changed.

    Examples
    --------
    >>> text, nfc, stripped = normalise_text(pd.Series(["pos ", "pos", "\u1100\u1161", " "]),
    ...                                      strip=True)
    >>> text.tolist(), nfc.tolist(), stripped.tolist()
    (['pos', 'pos', '가', <NA>], [False, False, True, False], [True, False, False, True])
    """
    text = as_text(values)
    other = ~text.str.isascii().fillna(True).to_numpy(dtype=bool)
    nfc = text
    if other.any():
        codes, uniques = pd.factorize(text[other], use_na_sentinel=True)
        normalised = pd.Series(uniques, dtype="string").str.normalize("NFC")
        nfc = text.copy()
        nfc[other] = normalised.array.take(codes, allow_fill=True)
    nfc_changed = (nfc != text).fillna(False).to_numpy(dtype=bool)
    if not strip:
        return nfc, nfc_changed, np.zeros(len(text), dtype=bool)
    stripped = nfc.str.strip()
    strip_changed = (stripped != nfc).fillna(False).to_numpy(dtype=bool)
    return stripped.mask(stripped == ""), nfc_changed, strip_changed


def _number_text(value: object) -> tuple[str, str] | None:
    """``(text the loader makes of it, how the source spelled it)`` for a JSON-typed
    label value, or ``None`` for other values."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | np.integer):
        return str(int(value)), f"{int(value)} (number)"
    if isinstance(value, float | np.floating) and math.isfinite(value) and float(value).is_integer():
        return str(int(value)), f"{float(value)!r} (number)"
    if isinstance(value, str):
        return value.strip(), f"{value!r} (text)"
    return None


def _typed_labels(labels: pd.Series, tally: Tally) -> pd.Series:
    """Keep labels that JSON typed differently apart, or say that they were merged.

    ``1`` and ``1.0`` stay two labels (``"1"`` and ``"1.0"``), so the variant report
    offers their merge; ``1`` and ``"1"`` have the same spelling and are read as one
    label, with a warning naming both.
    """
    if labels.dtype != object:
        return labels
    try:  # (type, value) pairs: pd.unique would take 1 and 1.0 as one value
        uniques = [value for _, value in {(type(v), v) for v in labels.dropna()}]
    except TypeError:  # unhashable values (lists): left to as_text
        return labels
    ints = {int(v) for v in uniques
            if isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_)}
    apart = {float(v) for v in uniques
             if isinstance(v, float | np.floating) and math.isfinite(v)
             and float(v).is_integer() and int(v) in ints}
    if apart:
        is_apart = labels.map(
            lambda v: isinstance(v, float | np.floating) and float(v) in apart).astype(bool)
        labels = labels.copy()
        labels[is_apart] = labels[is_apart].map(lambda v: repr(float(v)))
        uniques = [value for _, value in {(type(v), v) for v in labels.dropna()}]
    spellings: dict[str, set[str]] = defaultdict(set)
    for value in uniques:
        typed = _number_text(value)
        if typed is not None:
            spellings[typed[0]].add(typed[1])
    merged = sorted(
        f"{', '.join(sorted(found))} -> {text!r}" for text, found in spellings.items()
        if len(found) > 1 and any(item.endswith("(text)") for item in found)
    )
    if merged:
        shown = "; ".join(merged[:5])
        tally.warnings.append(
            note("load.number_text_labels_more", merged=shown, more=len(merged) - 5) if len(merged) > 5
            else note("load.number_text_labels", merged=shown))
    return labels


def _normalise_ids(table: pd.DataFrame, tally: Tally) -> pd.DataFrame:
    table[LABEL] = _typed_labels(table[LABEL], tally)
    for column in (ITEM, ANNOTATOR, LABEL, TEXT, TEXT_B, BATCH, GROUP):
        is_key = column in (ITEM, ANNOTATOR, LABEL)
        normalised, nfc_changed, strip_changed = normalise_text(table[column], strip=is_key)
        if is_key:
            tally.changes["nfc_normalised"] += int(nfc_changed.sum())
            tally.changes["whitespace_stripped"] += int(strip_changed.sum())
        if column in (ITEM, ANNOTATOR):
            normalised = _without_invisible(normalised, tally)
        elif column == LABEL:
            normalised = _invisible_labels_empty(normalised, tally)
        table[column] = normalised
    return table


def _not_ascii(values: pd.Series) -> npt.NDArray[np.bool_]:
    return ~values.str.isascii().fillna(True).to_numpy(dtype=bool)


def _without_invisible(values: pd.Series, tally: Tally) -> pd.Series:
    """Ids without byte-order marks, zero-width spaces and word joiners (counted)."""
    other = _not_ascii(values)
    if not other.any():
        return values
    cleaned = values[other].str.replace(_ID_INVISIBLE, "", regex=True).str.strip()
    changed = (cleaned != values[other]).fillna(False)
    if not changed.any():
        return values
    tally.changes["invisible_removed"] += int(changed.sum())
    values = values.copy()
    values[other] = cleaned.mask(cleaned == "")
    return values


def _invisible_labels_empty(labels: pd.Series, tally: Tally) -> pd.Series:
    """Labels of only invisible characters (and whitespace) made empty, with a warning."""
    other = _not_ascii(labels)
    if not other.any():
        return labels
    blank = labels[other].str.fullmatch(_ONLY_INVISIBLE).fillna(False)
    if not blank.any():
        return labels
    found = sorted({repr(value) for value in labels[other][blank].unique()})
    tally.warnings.append(note("load.invisible_labels", count=int(blank.sum()), found=", ".join(found[:5])))
    labels = labels.copy()
    labels.loc[blank[blank].index] = pd.NA
    return labels


def _drop(table: pd.DataFrame, mask: pd.Series, reason: str, tally: Tally) -> pd.DataFrame:
    tally.dropped[reason] += int(mask.sum())
    return table.loc[~mask]


def merge_labels(table: pd.DataFrame, merges: Mapping[str, str]) -> pd.DataFrame:
    """Return a copy of ``table`` with labels renamed by ``merges`` (``{from: to}``).

    Keys and values are NFC-normalised and stripped like the labels themselves.
    Duplicates a merge creates are left for the loader (or the caller) to resolve.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": ["1", "1"], "annotator": ["a", "b"],
    ...                       "label": ["Sports", "sports"]})
    >>> merge_labels(table, {"Sports": "sports"})["label"].tolist()
    ['sports', 'sports']
    """
    lookup = {
        unicodedata.normalize("NFC", str(key)).strip():
            unicodedata.normalize("NFC", str(value)).strip()
        for key, value in merges.items()
    }
    merged = table.copy()
    labels = normalise_text(merged[LABEL], strip=False)[0].str.strip()
    merged[LABEL] = labels.replace(lookup).astype("string")
    return merged


def _pair_keys(table: pd.DataFrame) -> npt.NDArray[np.int64]:
    """One integer per row for its (item, annotator) pair: hashing two string columns
    once is far cheaper than grouping by them repeatedly."""
    items = pd.factorize(table[ITEM])[0].astype(np.int64)
    annotators = pd.factorize(table[ANNOTATOR])[0].astype(np.int64)
    return items * (int(annotators.max(initial=0)) + 1) + annotators


def _resolve_duplicates(table: pd.DataFrame, *, file: str, unit: str, tally: Tally) -> pd.DataFrame:
    pairs = pd.Series(_pair_keys(table), index=table.index)
    repeated = pairs.duplicated(keep=False)
    if not repeated.any():
        return table
    groups = table.loc[repeated]
    keys = pairs.loc[repeated]
    distinct = groups[LABEL].groupby(keys, sort=False).transform("nunique")
    conflicting = groups.loc[distinct > 1]
    drop_index: list[object] = []
    if len(conflicting):
        conflicting_keys = keys.loc[conflicting.index]
        group_ids = pd.Series(pd.factorize(conflicting_keys)[0], index=conflicting.index)
        times = conflicting[TIMESTAMP]
        untimed = times.isna().groupby(group_ids).transform("any")
        is_winner = (times == times.groupby(group_ids).transform("max")) & ~untimed
        tied = conflicting[LABEL].where(is_winner).groupby(group_ids).transform("nunique") > 1
        unresolved_ids = set(group_ids[untimed | tied].unique())
        if unresolved_ids:
            raise _conflict_error(conflicting, group_ids, unresolved_ids, file=file, unit=unit)
        winner_keys = conflicting_keys.loc[is_winner]
        keep = winner_keys.index[~winner_keys.duplicated(keep="last")]
        dropped = conflicting.index.difference(keep)
        tally.dropped["conflicting_duplicate"] += len(dropped)
        drop_index.extend(dropped)
    exact_keys = keys.loc[distinct == 1]
    exact_dropped = exact_keys.index[exact_keys.duplicated(keep="first")]
    tally.dropped["exact_duplicate"] += len(exact_dropped)
    drop_index.extend(exact_dropped)
    return table.drop(index=drop_index)


def _conflict_error(
    conflicting: pd.DataFrame, group_ids: pd.Series, unresolved: set[object], *, file: str,
    unit: str,
) -> ConflictingLabelsError:
    shown = []
    for group_id in sorted(unresolved)[:3]:
        rows = conflicting.loc[group_ids == group_id]
        labels = list(dict.fromkeys(rows[LABEL].tolist()))
        shown.append(
            f"item {rows[ITEM].iloc[0]!r} by {rows[ANNOTATOR].iloc[0]!r}: {labels} "
            f"({_where(rows[POSITION], unit)})"
        )
    more = f"; and {len(unresolved) - 3} more" if len(unresolved) > 3 else ""
    return ConflictingLabelsError(
        f"{len(unresolved)} item/annotator pair(s) have conflicting labels and no later "
        f"timestamp to choose between them: {'; '.join(shown)}{more}",
        file=file,
        fix="delete the outdated rows, or add a timestamp column ({timestamp_col}) so the "
        "latest judgement wins",
    )


def label_variants(labels: pd.Series) -> tuple[LabelVariant, ...]:
    """Groups of labels equal after NFKC, case-folding and removing spaces, ``_`` and ``-``.

    Examples
    --------
    >>> label_variants(pd.Series(["Sports", "sports", "sports", "politics"]))
    (LabelVariant(labels=('sports', 'Sports'), counts=(2, 1), suggested='sports'),)
    """
    counts = labels.value_counts(sort=False)
    if counts.empty:
        return ()
    spelled = pd.Series(counts.index.astype(str), index=counts.index)
    plain = (
        spelled.str.normalize("NFKC").str.casefold().str.replace(r"\s+", " ", regex=True)
        .str.strip()
    )
    keys = plain.str.replace(rf"[\s_\-{INVISIBLE}]+", "", regex=True)
    # Numbers spelled differently ("1", "1.0", "01") are variants of one value; their sign
    # is kept ("-inf" is not "inf", nor "-1" "1").
    numbers = pd.to_numeric(spelled, errors="coerce")
    numeric = numbers.notna()
    keys = keys.where(~numeric, "\0number:" + numbers.astype(float).map(repr))
    frame = pd.DataFrame({"label": spelled.to_numpy(), "count": counts.to_numpy(),
                          "key": keys.to_numpy()})
    # Ties go to the spelling that is already plain (lower case, NFKC, single spaces).
    frame["plain"] = frame["label"].to_numpy() == plain.to_numpy()
    frame = frame.sort_values(["count", "plain", "label"], ascending=[False, False, True],
                              kind="stable")
    variants = []
    for _, group in frame.groupby("key", sort=True):
        if len(group) > 1:
            variants.append(LabelVariant(
                labels=tuple(group["label"]), counts=tuple(int(c) for c in group["count"]),
                suggested=str(group["label"].iloc[0]),
            ))
    return tuple(variants)


def clean_table(
    frame: pd.DataFrame,
    *,
    positions: npt.NDArray[np.int64],
    unit: str,
    file: str,
    label_merges: Mapping[str, str] | None,
    tally: Tally,
) -> pd.DataFrame:
    """Apply the hygiene steps of this module to a mapped table.

    ``frame`` holds the canonical columns it has (missing optional ones are added);
    ``positions`` gives each row's place in the source for messages. Returns the
    canonical table with file row order kept and a fresh ``RangeIndex``.
    """
    table = frame.copy()
    for column in CANONICAL_COLUMNS:
        if column not in table.columns:
            table[column] = pd.Series(pd.NA, index=table.index, dtype="string")
    table = table.loc[:, list(CANONICAL_COLUMNS)].reset_index(drop=True)
    table[POSITION] = positions
    table = _normalise_ids(table, tally)
    table = _drop(table, table[LABEL].isna(), "empty_label", tally)
    table = _drop(table, table[ITEM].isna(), "missing_item_id", tally)
    table = _drop(table, table[ANNOTATOR].isna(), "missing_annotator", tally)
    parsed, unparsable, outside = parse_timestamps_in_range(table[TIMESTAMP])
    if unparsable.any():
        bad = table.loc[unparsable]
        tally.warnings.append(note("load.timestamps_unparsable", count=int(unparsable.sum()),
                                   where=_where(bad[POSITION], unit),
                                   example=str(frame[TIMESTAMP].iloc[bad.index[0]])))
    if outside.any():
        bad = table.loc[outside]
        tally.warnings.append(note("load.timestamps_outside", count=int(outside.sum()),
                                   where=_where(bad[POSITION], unit),
                                   example=str(frame[TIMESTAMP].iloc[bad.index[0]])))
    table[TIMESTAMP] = parsed
    if label_merges:
        before = table[LABEL].copy()
        table = merge_labels(table, label_merges)
        tally.changes["labels_merged"] = int((table[LABEL] != before).sum())
        requested = {unicodedata.normalize("NFC", str(key)).strip() for key in label_merges}
        unknown = sorted(requested - set(before.dropna().unique()))
        if unknown:
            tally.warnings.append(note("load.unknown_merges", unknown=unknown))
    table = _resolve_duplicates(table, file=file, unit=unit, tally=tally)
    if table[TEXT].notna().any():
        items = pd.factorize(table[ITEM])[0]
        texts = table[TEXT].groupby(items, sort=False).transform("nunique")
        if (texts > 1).any():
            tally.warnings.append(note("load.item_texts_differ", count=table.loc[texts > 1, ITEM].nunique()))
        table[TEXT] = table[TEXT].groupby(items, sort=False).transform("first").astype("string")
    if table[TEXT_B].notna().any():  # the second text of a pair: one per item as well
        items = pd.factorize(table[ITEM])[0]
        table[TEXT_B] = table[TEXT_B].groupby(items, sort=False).transform("first").astype("string")
    return table.drop(columns=POSITION).reset_index(drop=True)
