"""What each item says, as the export has it: one text, a sentence pair, or a turn in context.

* **Sentence pairs.** A table with a ``text_b`` column (hypothesis, sentence2; see
  :data:`analysis.data.schema.TEXT_B`) has two texts per item. Both are embedded and the pair's
  vector is built from the two (:func:`pair_vectors`); terms are read from both; examples
  show both.
* **Conversations.** Some releases store the item as a JSON object of strings, e.g.
  ``{"prev_agent": ..., "prev_user": ..., "agent": ..., "user": ...}`` (ConvAbuse). When
  nearly every text is such an object with the same fields, the **last field** is the text
  that was judged and the others are its context, shown with the examples but not
  embedded (an agent's stock replies would otherwise decide the themes). The notes say so.

Nothing in the table is changed: this is how the texts are read for embedding and display.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.base.errors import AnnotationDataError
from analysis.base.params import Options, validate_params
from analysis.data.schema import ITEM, TEXT, TEXT_B
from analysis.messages import note

PAIR_SEPARATOR = "  ‖  "
"""Between the two texts of a pair when shown as one line."""
CONTEXT_OPEN, CONTEXT_CLOSE = "   [context: ", "]"
"""Around a turn's context, shown after the turn on one line."""
JSON_SHARE = 0.9
"""Share of texts that must be JSON objects with the same fields to be read as turns."""
_EMPTY_CONTEXT = frozenset({"", "_", "-", "none", "null", "nan"})


@dataclass(frozen=True, eq=False)
class ItemTexts:
    """The texts of the items that have one, indexed by item id (table order).

    Attributes
    ----------
    text : Series of str
        The judged text: the ``text`` column, or the last field of a JSON turn.
    text_b : Series of str or None
        The second text of a sentence pair ("" where an item has none); None without pairs.
    context : Series of str or None
        The other fields of a JSON turn as ``field: value`` lines; None otherwise.
    notes : tuple of str
        How the texts were read (pairs, which JSON field), in English.
    turn_fields : tuple of str
        The fields of JSON turns (the last one judged); empty otherwise.
    """

    text: pd.Series
    text_b: pd.Series | None = None
    context: pd.Series | None = None
    notes: tuple[str, ...] = ()
    turn_fields: tuple[str, ...] = ()

    @property
    def reading(self) -> dict[str, object]:
        """How the texts were read, as data for front ends: ``pairs`` (bool) and
        ``turn_fields`` (the JSON fields, the last one judged; empty without turns)."""
        return {"pairs": self.is_pair, "turn_fields": list(self.turn_fields)}

    @property
    def index(self) -> pd.Index:
        """The item ids."""
        return self.text.index

    @property
    def is_pair(self) -> bool:
        """Whether the items are sentence pairs."""
        return self.text_b is not None

    def subset(self, item_ids: Sequence[str]) -> ItemTexts:
        """The same texts for ``item_ids`` (all present), in that order."""
        ids = list(item_ids)
        return ItemTexts(
            self.text.loc[ids],
            None if self.text_b is None else self.text_b.loc[ids],
            None if self.context is None else self.context.loc[ids],
            self.notes,
            self.turn_fields,
        )

    def with_context(self) -> ItemTexts:
        """The judged turns paired with their context (as ``text_b``), for a classifier that
        must read what the annotators read: a reply "yes" is abusive or not by what it
        answers. Unchanged without conversation turns, or for sentence pairs."""
        if self.context is None or self.text_b is not None:
            return self
        return ItemTexts(self.text, self.context.str.replace("\n", " ", regex=False), None, self.notes,
                         self.turn_fields)

    def display(self) -> list[str]:
        """One line per item as a reader should see it: the pair, or the turn in context.

        Examples
        --------
        >>> pair = ItemTexts(pd.Series(["A man sleeps"], index=["1"]), pd.Series(["Nobody sleeps"], index=["1"]))
        >>> pair.display()
        ['A man sleeps  ‖  Nobody sleeps']
        """
        shown = self.text.astype(str).tolist()
        if self.text_b is not None:
            shown = [a + PAIR_SEPARATOR + b if b else a for a, b in zip(shown, self.text_b, strict=True)]
        if self.context is not None:
            shown = [a + CONTEXT_OPEN + c.replace("\n", " | ") + CONTEXT_CLOSE if c else a
                     for a, c in zip(shown, self.context, strict=True)]
        return shown

    def words(self) -> list[str]:
        """The texts whose words describe an item (the judged text and the pair's second)."""
        if self.text_b is None:
            return self.text.astype(str).tolist()
        return [a + "\n" + b for a, b in zip(self.text, self.text_b, strict=True)]

    def to_embed(self) -> list[str]:
        """Every text to embed: the judged texts, then the second texts of pairs."""
        first = self.text.astype(str).tolist()
        return first + (self.text_b.astype(str).tolist() if self.text_b is not None else [])


def read_item_texts(table: pd.DataFrame) -> ItemTexts:
    """The items' texts as the export has them (module docstring).

    Raises
    ------
    AnnotationDataError
        When the table has no ``text`` column or no text at all.

    Examples
    --------
    >>> table = pd.DataFrame({"item_id": ["1", "1", "2"], "text": ["a", "a", "b"],
    ...                       "text_b": ["x", "x", None]})
    >>> texts = read_item_texts(table)
    >>> texts.text.tolist(), texts.text_b.tolist()
    (['a', 'b'], ['x', ''])
    """
    if TEXT not in table.columns or not table[TEXT].notna().any():
        raise AnnotationDataError(
            "the table has no item texts, which clustering and label-error detection need",
            location=f"column '{TEXT}'",
            fix="map the text column when loading, or pass precomputed embeddings",
        )
    columns = [ITEM, TEXT] + ([TEXT_B] if TEXT_B in table.columns and table[TEXT_B].notna().any() else [])
    rows = table[columns].dropna(subset=[TEXT]).drop_duplicates(subset=[ITEM])
    index = rows[ITEM].astype(str).to_numpy()
    text = pd.Series(rows[TEXT].astype(str).to_numpy(), index=index, name=TEXT)
    notes: list[str] = []
    text_b = None
    if TEXT_B in columns:
        text_b = pd.Series(rows[TEXT_B].astype("string").fillna("").astype(str).to_numpy(), index=index,
                           name=TEXT_B)
        notes.append(note("texts.sentence_pairs", text=TEXT, text_b=TEXT_B))
    turns = _json_turns(text)
    context = None
    turn_fields: tuple[str, ...] = ()
    if turns is not None:
        text, context, field, fields = turns
        notes.append(note("texts.json_turns", fields=", ".join(fields), field=field))

        turn_fields = tuple(fields)
    return ItemTexts(text, text_b, context, tuple(notes), turn_fields)


def _json_turns(text: pd.Series) -> tuple[pd.Series, pd.Series, str, list[str]] | None:
    """(judged text, context, field, fields) when nearly every text is a JSON object of
    strings with the same fields; else None."""
    starts = text.str.lstrip().str.startswith("{")
    if starts.mean() < JSON_SHARE:
        return None
    parsed: list[dict[str, str] | None] = []
    for value in text.tolist():
        try:
            record = json.loads(value) if len(value) < 100_000 else None
        except (ValueError, RecursionError):
            record = None
        ok = isinstance(record, dict) and record and all(
            isinstance(v, str | int | float) or v is None for v in record.values()
        )
        parsed.append({str(k): "" if v is None else str(v) for k, v in record.items()} if ok else None)
    shapes = Counter(tuple(record) for record in parsed if record is not None)
    if not shapes:
        return None
    fields, count = shapes.most_common(1)[0]
    if count < JSON_SHARE * len(parsed) or len(fields) < 2:
        return None
    field = fields[-1]
    judged, context = [], []
    for raw, record in zip(text.tolist(), parsed, strict=True):
        if record is None or field not in record:
            judged.append(raw)
            context.append("")
            continue
        judged.append(record[field])
        context.append("\n".join(f"{k}: {v}" for k, v in record.items()
                                 if k != field and v.strip().lower() not in _EMPTY_CONTEXT))
    return (pd.Series(judged, index=text.index, name=TEXT), pd.Series(context, index=text.index),
            field, list(fields))


@validate_params({"kind": [Options("topic", "features")]})
def pair_vectors(
    first: npt.NDArray[np.floating], second: npt.NDArray[np.floating], *, kind: str = "topic"
) -> npt.NDArray[np.float32]:
    """One unit vector per pair from the unit vectors of its two texts.

    ``kind="topic"`` (clusters): the normalised sum, what the pair is about.
    ``kind="features"`` (classifiers): ``[u, v, |u - v|, u * v]`` (Reimers & Gurevych
    2019, the features sentence-pair classifiers are trained on), normalised, so the
    relation between the two texts (same, contradicting, unrelated) is visible too. A
    missing second text (a zero vector) leaves the first alone.

    Examples
    --------
    >>> u, v = np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])
    >>> pair_vectors(u, v).round(3).tolist(), pair_vectors(u, v, kind="features").shape
    ([[0.707, 0.707]], (1, 8))
    """
    u, v = np.asarray(first, dtype=np.float32), np.asarray(second, dtype=np.float32)
    out = u + v if kind == "topic" else np.hstack([u, v, np.abs(u - v), u * v])
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return (out / np.maximum(norms, 1e-12)).astype(np.float32)
