"""Multi-label ambiguity: label pairs that co-occur in disagreement.

Two judgements of the same item *trade* labels ``x`` and ``y`` when one chose ``x`` but
not ``y`` and the other chose ``y`` but not ``x``: the annotators saw the same thing and
named it differently. Counted once per judgement pair; the most frequent pairs point at
labels whose guideline boundary is unclear.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import numpy as np

from analysis.data.judgements import MultiLabelData
from analysis.messages import note

PAIR_LIMIT = 20
EXAMPLES = 5


def label_pair_confusions(data: MultiLabelData) -> dict[str, Any]:
    """The label pairs traded most often between judgements of the same item.

    Examples
    --------
    >>> data = MultiLabelData.from_records([("1", "a", "xz"), ("1", "b", "yz"),
    ...                                     ("2", "a", "x"), ("2", "b", "y")])
    >>> label_pair_confusions(data)["label_pairs"][0]
    {'label_a': 'x', 'label_b': 'y', 'count': 2, 'items': 2, 'example_items': ['1', '2']}
    """
    sets = data.label_sets()
    # each distinct set once per item with its judgements: a pair of sets (s, t) stands for
    # x_s * x_t judgement pairs, so 10,000 judgements of one item are not 50 million pairs
    set_code: dict[frozenset[str], int] = {}
    codes = np.array([set_code.setdefault(chosen, len(set_code)) for chosen in sets], dtype=np.int64)
    distinct = list(set_code)
    by_item: dict[int, Counter[int]] = defaultdict(Counter)
    for item, code in zip(data.item.tolist(), codes.tolist(), strict=True):
        by_item[item][code] += 1
    counts: Counter[tuple[str, str]] = Counter()
    items: dict[tuple[str, str], list[str]] = defaultdict(list)
    one_sided: Counter[str] = Counter()
    for item, seen in by_item.items():
        entries = list(seen.items())
        for i, (first, n_first) in enumerate(entries):
            for second, n_second in entries[i + 1:]:
                weight = n_first * n_second
                a, b = distinct[first], distinct[second]
                only_a, only_b = a - b, b - a
                for label in (only_a if not only_b else ()):
                    one_sided[label] += weight
                for label in (only_b if not only_a else ()):
                    one_sided[label] += weight
                for x in only_a:
                    for y in only_b:
                        pair = (min(x, y), max(x, y))
                        counts[pair] += weight
                        name = data.item_ids[item]
                        if not items[pair] or items[pair][-1] != name:
                            items[pair].append(name)
    pairs = [{"label_a": a, "label_b": b, "count": n, "items": len(items[(a, b)]),
              "example_items": items[(a, b)][:EXAMPLES]}
             for (a, b), n in counts.most_common(PAIR_LIMIT)]
    disagreements = int(np.sum(list(counts.values()))) if counts else 0
    return {
        "note": note("multilabel.ambiguity"),

        "label_pairs": pairs,
        "traded_pairs": disagreements,
        "omitted_labels": dict(one_sided.most_common()),
    }
