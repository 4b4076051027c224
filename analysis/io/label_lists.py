"""A judgement's labels when a cell or field gives them as a list (JSON, Parquet)."""

from __future__ import annotations

from collections.abc import Mapping


def label_list(value: object) -> list[str] | None:
    """A judgement's labels when ``value`` is a list of them, Label Studio JSON-MIN's
    ``{"choices": [...]}`` or one label; None for anything else.

    Examples
    --------
    >>> label_list(["pos"]), label_list({"choices": ["a", "b"]}), label_list("pos"), label_list({"x": 1})
    (['pos'], ['a', 'b'], ['pos'], None)
    """
    if isinstance(value, Mapping) and set(value) == {"choices"}:
        value = value["choices"]
    if isinstance(value, str | int) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(x, str | int) and not isinstance(x, bool)
                                       for x in value):
        return [str(x) for x in value]
    return None
