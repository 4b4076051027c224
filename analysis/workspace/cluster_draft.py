"""Prefill a guideline rule from an ambiguity cluster, without importing the cluster code.

A cluster may be a dict (the JSON form of the ``clusters`` command) or any object with
attributes (``analysis.clusters``' dataclasses); the names read are listed in
:func:`draft_from_cluster`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis.workspace.rules import RuleDraft


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


_ALIASES: dict[str, tuple[str, ...]] = {
    "rule": ("draft_rule", "drafted_rule", "rule", "rule_text"),
    "preferred": ("preferred_label",),
    "other": ("other_label",),
    "pair": ("label_pair", "confused_pair", "label_pairs", "labels"),
    "examples": ("example_item_ids", "representative_item_ids", "examples", "item_ids"),
    "id": ("cluster_id", "id"),
    "title": ("title", "name"),
}


def _attribute(cluster: Mapping[str, Any] | object, key: str) -> Any:
    for name in _ALIASES[key]:
        value = cluster.get(name) if isinstance(cluster, Mapping) else getattr(cluster, name, None)
        if value is not None:
            return value
    return None


def _member(value: Any, name: str) -> Any:
    """``value[name]`` or ``value.name`` (dict or dataclass), else ``value`` itself."""
    if isinstance(value, Mapping):
        return value.get(name, value)
    return getattr(value, name, value)


def _label_pair(cluster: Mapping[str, Any] | object) -> tuple[str | None, str | None]:
    preferred, other = _attribute(cluster, "preferred"), _attribute(cluster, "other")
    if preferred is not None and other is not None:
        return str(preferred), str(other)
    pair = _attribute(cluster, "pair")
    if pair is None or isinstance(pair, str):
        return None, None
    pair = list(pair)
    if pair and not isinstance(pair[0], str):  # a list of pairs, most common first
        pair = list(_member(pair[0], "labels"))
    labels = [str(label) for label in pair[:2]]
    padded = [*labels, None, None]
    return padded[0], padded[1]


def draft_from_cluster(cluster: Mapping[str, Any] | object, *, max_examples: int = 5) -> RuleDraft:
    """Prefill a rule from an ambiguity cluster (a dict or any object with attributes).

    Reads the drafted rule (``draft_rule``/``drafted_rule``/``rule``), the label pair
    (``preferred_label`` and ``other_label``, or the first pair of ``label_pair``/
    ``confused_pair``/``label_pairs``, the first label preferred) and the examples
    (``example_item_ids``/``representative_item_ids``, or ``examples`` holding ids or
    objects with an ``item_id``, or ``item_ids``). The cluster module is not imported.

    Examples
    --------
    >>> draft = draft_from_cluster({"draft_rule": "When praise is sarcastic, label neg, not pos.",
    ...                             "label_pair": ("neg", "pos"), "example_item_ids": [4, 9]})
    >>> draft.title, draft.label_a, draft.label_b, draft.example_item_ids
    ('When praise is sarcastic, label neg, not pos.', 'neg', 'pos', ('4', '9'))
    """
    text = str(_attribute(cluster, "rule") or "").strip()
    label_a, label_b = _label_pair(cluster)
    title = str(_attribute(cluster, "title") or "").strip() or (text.splitlines()[0] if text else "")
    if not title:
        title = f"{label_a} or {label_b}?" if label_a and label_b else "Untitled rule"
    examples = _attribute(cluster, "examples")
    examples = [] if examples is None or isinstance(examples, str) else list(examples)
    return RuleDraft(
        title=title[:200],
        body=text,
        label_a=label_a,
        label_b=label_b,
        example_item_ids=tuple(str(_member(item, "item_id")) for item in examples[:max_examples]),
    )


def cluster_id_of(cluster: Mapping[str, Any] | object) -> str | None:
    """The cluster's id (``cluster_id``/``id``) as text, if it has one."""
    return _clean(_attribute(cluster, "id"))
