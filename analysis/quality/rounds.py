"""Rounds and guideline versions: is a change in agreement clear, and what did each
guideline version change?

A change between two rounds is *clear* when its 95% interval
(:func:`analysis.quality.round_agreement`) excludes 0: ``"increase"`` when the whole
interval is above 0, ``"decrease"`` when below; otherwise ``"unclear"``. The command line
and the dashboard both read the verdict from here.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

Verdict = Literal["increase", "decrease", "unclear"]


def change_verdict(change: float | None, low: float | None, high: float | None) -> Verdict | None:
    """Whether a change in alpha is clear from its interval; None when there is no change.

    Examples
    --------
    >>> change_verdict(0.2, 0.05, 0.35), change_verdict(-0.2, -0.3, -0.1), change_verdict(0.1, -0.1, 0.3)
    ('increase', 'decrease', 'unclear')
    >>> change_verdict(0.1, None, None), change_verdict(None, None, None)
    ('unclear', None)
    """
    if change is None or pd.isna(change):
        return None
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return "unclear"
    if low > 0:
        return "increase"
    if high < 0:
        return "decrease"
    return "unclear"


def with_verdicts(rounds: pd.DataFrame) -> pd.DataFrame:
    """:func:`~analysis.quality.round_agreement` output plus a ``change_verdict`` column.

    Examples
    --------
    >>> rounds = pd.DataFrame({"batch": ["r1", "r2"], "change": [np.nan, 0.3],
    ...                        "change_ci_low": [np.nan, 0.1], "change_ci_high": [np.nan, 0.5]})
    >>> with_verdicts(rounds)["change_verdict"].tolist()
    [None, 'increase']
    """
    verdicts = [
        change_verdict(change, low, high)
        for change, low, high in zip(rounds["change"], rounds["change_ci_low"], rounds["change_ci_high"],
                                     strict=True)
    ]
    return rounds.assign(change_verdict=pd.Series(verdicts, index=rounds.index, dtype=object))


BEFORE_AFTER_COLUMNS: tuple[str, ...] = (
    "rule_id", "version", "title", "decision", "batch", "previous_batch",
    "alpha_before", "before_ci_low", "before_ci_high", "alpha_after", "after_ci_low", "after_ci_high",
    "change", "change_ci_low", "change_ci_high", "change_verdict", "status",
)  # fmt: skip


def guideline_before_after(rounds: pd.DataFrame, guideline: pd.DataFrame) -> pd.DataFrame:
    """Agreement in the round before and the round after each guideline version took effect.

    A version accepted for batch ``B`` takes effect in round ``B``: *after* is that round's
    alpha, *before* the alpha of the round just before it, and *change* the per-round
    change (with its paired bootstrap interval) from
    :func:`analysis.quality.round_agreement`, and ``change_verdict`` says whether that
    change is clear (:func:`change_verdict`).

    Parameters
    ----------
    rounds : DataFrame
        :func:`analysis.quality.round_agreement` output, rounds in order.
    guideline : DataFrame
        :func:`analysis.workspace.guideline_rounds` output (``batch``, ``rule_id``,
        ``version``, ``title``, ``decision``).

    Returns
    -------
    DataFrame
        One row per guideline version, in acceptance order, with the columns of
        :data:`BEFORE_AFTER_COLUMNS`. ``status`` is ``"compared"``, ``"first_round"``
        (no earlier round: no *before*) or ``"not_in_data"`` (the batch is not a round of
        this dataset: every number missing).

    Examples
    --------
    >>> rounds = pd.DataFrame({"batch": ["r1", "r2"], "alpha": [0.5, 0.8], "ci_low": [0.4, 0.7],
    ...     "ci_high": [0.6, 0.9], "change": [np.nan, 0.3], "change_ci_low": [np.nan, 0.1],
    ...     "change_ci_high": [np.nan, 0.5]})
    >>> guideline = pd.DataFrame({"batch": ["r2", "r1", "r9"], "rule_id": [1, 2, 3], "version": [2, 1, 1],
    ...     "title": ["a", "b", "c"], "decision": ["x", "y", "z"]})
    >>> table = guideline_before_after(rounds, guideline)
    >>> table[["rule_id", "previous_batch", "alpha_before", "alpha_after", "change", "status"]].values.tolist()
    [[1, 'r1', 0.5, 0.8, 0.3, 'compared'], [2, nan, nan, 0.5, nan, 'first_round'], [3, nan, nan, nan, nan, 'not_in_data']]
    """
    order = [str(batch) for batch in rounds["batch"]]
    position = {batch: index for index, batch in enumerate(order)}
    records = []
    for rule in guideline.itertuples(index=False):
        batch = str(rule.batch)
        index = position.get(batch)
        record: dict[str, object] = {
            "rule_id": rule.rule_id, "version": rule.version, "title": rule.title, "decision": rule.decision,
            "batch": batch, "previous_batch": None, "status": "not_in_data",
        }  # fmt: skip
        record |= dict.fromkeys(BEFORE_AFTER_COLUMNS[6:15], np.nan) | {"change_verdict": None}
        if index is not None:
            after = rounds.iloc[index]
            record |= {"alpha_after": after["alpha"], "after_ci_low": after["ci_low"], "after_ci_high": after["ci_high"]}
            record["status"] = "first_round"
            if index > 0:
                before = rounds.iloc[index - 1]
                record |= {
                    "previous_batch": order[index - 1], "status": "compared",
                    "alpha_before": before["alpha"], "before_ci_low": before["ci_low"], "before_ci_high": before["ci_high"],
                    "change": after["change"], "change_ci_low": after["change_ci_low"], "change_ci_high": after["change_ci_high"],
                    "change_verdict": change_verdict(after["change"], after["change_ci_low"], after["change_ci_high"]),
                }  # fmt: skip
        records.append(record)
    return pd.DataFrame.from_records(records, columns=list(BEFORE_AFTER_COLUMNS))
