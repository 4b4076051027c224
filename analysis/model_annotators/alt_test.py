"""The Alternative Annotator Test: may a model replace one of the human annotators?

Calderon, Reichart & Dror, "The Alternative Annotator Test for LLM-as-a-Judge: How to
Statistically Justify Replacing Human Annotators with LLMs", ACL 2025
(https://aclanthology.org/2025.acl-long.782/; reference code: github.com/nitaytech/AltTest).

Leave one human ``h_j`` out at a time. On each item ``i`` that ``h_j``, the model ``f`` and at
least one other human labelled, score how well ``f`` and ``h_j`` each align with the
remaining humans ``H_{-j}``:

* categorical labels (``scoring="accuracy"``): the share of the remaining humans who gave
  the same label;
* ratings (``scoring="neg_rmse"``): minus the root mean squared difference to their ratings.

``W^f_i = 1`` when the model aligns at least as well as ``h_j`` (ties count for both sides),
``W^h_i = 1`` when ``h_j`` aligns at least as well as the model. A one-sided one-sample
t-test (``scipy.stats.ttest_1samp``, ``alternative="less"``) of the differences
``d_i = W^h_i - W^f_i`` against ``epsilon`` tests ``H0: rho^h_j - rho^f_j >= epsilon``: the
model "wins" against ``h_j`` when ``H0`` is rejected. ``epsilon`` is the cost-benefit margin
that a cheaper annotator is granted. The p-values of all humans are adjusted with the
Benjamini-Yekutieli procedure (``statsmodels.stats.multitest.multipletests``,
``method="fdr_by"``) at ``fdr_q``; the winning rate ``omega`` is the share of humans against
whom the model wins, and the model passes when ``omega >= 0.5``. The advantage
probability ``rho`` is the mean over humans of ``rho^f_j``, the share of items where the
model aligns at least as well as the left-out human: it compares models with each other.

Defaults and their sources (all settable):

* ``epsilon = 0.2``: the paper's rule of thumb for expert annotators; 0.15 for skilled
  annotators, 0.1 for crowd workers (:data:`EPSILON_BY_ANNOTATORS`; paper, "How do I select
  epsilon?", and the reference code's default ``epsilon=0.2``). Lower it when the humans
  agree little.
* ``fdr_q = 0.05``: the false discovery rate of the Benjamini-Yekutieli step (reference
  code's ``q_fdr=0.05``).
* ``min_items_per_human = 30``: a human is tested only on 30 or more items, so that the
  t-test's normal approximation holds (paper, "How many instances should I annotate?";
  reference code's ``min_instances_per_human=30``).
* ``min_humans = 3``: the paper recommends at least three human annotators (with two the
  test only asks which of the two the model resembles more; "Why do you recommend at least
  three human annotators?"); with fewer humans tested the result is not defined here.
* An item enters when the model and at least two humans labelled it (reference code's
  ``min_humans_per_instance=2``).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.base.errors import UsageError
from analysis.base.params import Interval, Options, check_params
from analysis.base.warning_filters import filtered_warnings
from analysis.data.schema import ANNOTATOR, ITEM, LABEL
from analysis.messages import note as message

Scoring = Literal["accuracy", "neg_rmse"]
SCORINGS: Final[tuple[str, ...]] = ("accuracy", "neg_rmse")

DEFAULT_EPSILON: Final = 0.2
EPSILON_BY_ANNOTATORS: Final[Mapping[str, float]] = {"expert": 0.2, "skilled": 0.15, "crowd": 0.1}
"""The paper's rule of thumb for epsilon by who the human annotators are."""
DEFAULT_FDR_Q: Final = 0.05
MIN_ITEMS_PER_HUMAN: Final = 30
MIN_HUMANS: Final = 3
PASS_WINNING_RATE: Final = 0.5
SOURCE: Final = ("Calderon, Reichart & Dror (ACL 2025), The Alternative Annotator Test for "
                 "LLM-as-a-Judge")

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class HumanComparison:
    """The model against one left-out human.

    Attributes
    ----------
    annotator : str
        The human left out.
    items : int
        Items the human, the model and at least one other human labelled.
    model_advantage : float or None
        ``rho^f_j``: share of those items where the model aligns with the other humans at
        least as well as this human does.
    human_advantage : float or None
        ``rho^h_j``: share where this human aligns at least as well as the model.
    mean_difference : float or None
        ``rho^h_j - rho^f_j`` (the t-test's mean, tested against ``epsilon``).
    t_statistic, p_value : float or None
        One-sided one-sample t-test of ``H0: rho^h_j - rho^f_j >= epsilon``.
    p_adjusted : float or None
        Benjamini-Yekutieli adjusted p-value across the tested humans.
    model_wins : bool or None
        Whether ``H0`` is rejected at ``fdr_q`` after the adjustment.
    tested : bool
        False when the human has fewer than ``min_items_per_human`` items.
    note : str or None
        Why the human was not tested, or how a degenerate test was decided.
    """

    annotator: str
    items: int
    model_advantage: float | None
    human_advantage: float | None
    mean_difference: float | None
    t_statistic: float | None
    p_value: float | None
    p_adjusted: float | None
    model_wins: bool | None
    tested: bool
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (an entry of ``alt_test.per_human``)."""
        return {"annotator": self.annotator, "items": self.items,
                "model_advantage": self.model_advantage, "human_advantage": self.human_advantage,
                "mean_difference": self.mean_difference, "t_statistic": self.t_statistic,
                "p_value": self.p_value, "p_adjusted": self.p_adjusted,
                "model_wins": self.model_wins, "tested": self.tested, "note": self.note}


@dataclass(frozen=True)
class AltTestResult:
    """The Alternative Annotator Test of one model.

    Attributes
    ----------
    winning_rate : float or None
        ``omega``: share of the tested humans against whom the model wins.
    advantage_probability : float or None
        ``rho``: mean over the tested humans of the model's advantage.
    passed : bool or None
        ``omega >= 0.5``; None when the test is not defined.
    humans_tested, humans_won : int
    per_human : tuple of HumanComparison
        Every human who shares an item with the model, tested or not.
    note : str or None
        Why the test is not defined (fewer than ``min_humans`` humans with enough items).
    scoring, epsilon, fdr_q, min_items_per_human, min_humans
        The settings the test ran with.
    """

    winning_rate: float | None
    advantage_probability: float | None
    passed: bool | None
    humans_tested: int
    humans_won: int
    per_human: tuple[HumanComparison, ...]
    note: str | None
    scoring: Scoring
    epsilon: float
    fdr_q: float
    min_items_per_human: int
    min_humans: int

    @property
    def defined(self) -> bool:
        """Whether the test has a result (enough humans with enough shared items)."""
        return self.winning_rate is not None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the ``alt_test`` object of ``models_vs_humans.models[]``)."""
        return {
            "defined": self.defined, "note": self.note,
            "winning_rate": self.winning_rate, "advantage_probability": self.advantage_probability,
            "passed": self.passed, "humans_tested": self.humans_tested,
            "humans_won": self.humans_won, "scoring": self.scoring, "epsilon": self.epsilon,
            "fdr_q": self.fdr_q, "min_items_per_human": self.min_items_per_human,
            "min_humans": self.min_humans, "source": SOURCE,
            "per_human": [human.to_dict() for human in self.per_human],
        }


_CONSTRAINTS: Final[dict[str, list[Any]]] = {
    "scoring": [Options(*SCORINGS)],
    "epsilon": [Interval(Real, 0, 1, closed="left")],
    "fdr_q": [Interval(Real, 0, 1, closed="neither")],
    "min_items_per_human": [Interval(Integral, 2, None, closed="left")],
    "min_humans": [Interval(Integral, 2, None, closed="left")],
}


def _check(epsilon: float, fdr_q: float, min_items_per_human: int, min_humans: int,
           scoring: str) -> None:
    check_params("alt_test", _CONSTRAINTS, {
        "scoring": scoring, "epsilon": epsilon, "fdr_q": fdr_q,
        "min_items_per_human": min_items_per_human, "min_humans": min_humans})


def _alignment_wins(item: IntArray, x: FloatArray, model_x: FloatArray, n_items: int,
                    scoring: Scoring) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """``W^f`` and ``W^h`` of every human judgement on an item with another human.

    ``item``/``x``: the humans' judgements (item index, label code or rating);
    ``model_x``: the model's label code or rating per item. Every item must have at least
    two human judgements and a model judgement.
    """
    per_item = np.bincount(item, minlength=n_items)
    others = per_item[item] - 1
    mine = model_x[item]
    if scoring == "accuracy":
        # counts of the other humans who agree: integers, so ties are exact
        keys = item * (int(max(x.max(initial=0), model_x.max(initial=0))) + 1) + x.astype(np.int64)
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        human_agree = counts[inverse.reshape(-1)] - 1
        same_as_model = x == mine
        model_agree = np.bincount(item, weights=same_as_model, minlength=n_items)[item] - same_as_model
        return model_agree >= human_agree, human_agree >= model_agree
    # ratings: squared distances to the other humans from per-item sums, on values centred
    # per item (no cancellation); ties within a tolerance of the scale
    centre = np.bincount(item, weights=x, minlength=n_items) / np.maximum(per_item, 1)
    u, v = x - centre[item], mine - centre[item]
    s1 = np.bincount(item, weights=u, minlength=n_items)[item] - u
    s2 = np.bincount(item, weights=u * u, minlength=n_items)[item] - u * u
    human_sq = s2 - 2 * u * s1 + others * u * u
    model_sq = s2 - 2 * v * s1 + others * v * v
    tolerance = 1e-9 * (1.0 + others * (np.abs(u) + np.abs(v) + np.abs(s1) / others) ** 2)
    return model_sq <= human_sq + tolerance, human_sq <= model_sq + tolerance


def _t_test(differences: FloatArray, epsilon: float) -> tuple[float, float, str | None]:
    """t and one-sided p of ``mean(differences) < epsilon`` (scipy), and a note when the
    differences do not vary (scipy's limits: p 0 below epsilon; at epsilon, p 1 here)."""
    from scipy.stats import ttest_1samp

    with filtered_warnings(), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # "catastrophic cancellation": no spread
        result = ttest_1samp(differences, epsilon, alternative="less")
    t, p = float(result.statistic), float(result.pvalue)
    if np.ptp(differences) > 0:
        return t, p, None
    mean = float(differences[0])
    if np.isnan(p):  # every difference equals epsilon: H0 holds with equality
        return float("nan"), 1.0, message("alt.same_at_epsilon", mean=mean)
    return t, p, message("alt.same_difference", mean=mean, p=p)


def alt_test_codes(
    item: npt.ArrayLike, human: npt.ArrayLike, x: npt.ArrayLike, model_x: npt.ArrayLike,
    human_names: list[str], *, scoring: Scoring = "accuracy", epsilon: float = DEFAULT_EPSILON,
    fdr_q: float = DEFAULT_FDR_Q, min_items_per_human: int = MIN_ITEMS_PER_HUMAN,
    min_humans: int = MIN_HUMANS,
) -> AltTestResult:
    """The test on coded judgements (see :func:`alt_test` for the tables' form).

    Parameters
    ----------
    item, human : array of int, shape (n_judgements,)
        Item index and human index (into ``human_names``) of each human judgement.
    x : array, shape (n_judgements,)
        Label code (accuracy) or rating (neg_rmse) of each human judgement.
    model_x : array of float, shape (n_items,)
        The model's label code or rating per item; NaN where the model gave none.
    human_names : list of str
    scoring, epsilon, fdr_q, min_items_per_human, min_humans
        As in :func:`alt_test`.
    """
    _check(epsilon, fdr_q, min_items_per_human, min_humans, scoring)
    from statsmodels.stats.multitest import multipletests

    item = np.asarray(item, dtype=np.int64)
    human = np.asarray(human, dtype=np.int64)
    x = np.asarray(x, dtype=float)
    model_x = np.asarray(model_x, dtype=float)
    n_items = model_x.size
    settings = {"scoring": scoring, "epsilon": float(epsilon), "fdr_q": float(fdr_q),
                "min_items_per_human": int(min_items_per_human), "min_humans": int(min_humans)}
    per_item = np.bincount(item, minlength=n_items)
    keep = (per_item[item] >= 2) & np.isfinite(model_x[item])
    item, human, x = item[keep], human[keep], x[keep]
    model_wins, human_wins = _alignment_wins(item, x, np.nan_to_num(model_x), n_items, scoring)
    differences = human_wins.astype(float) - model_wins.astype(float)
    order = np.argsort(human, kind="stable")
    bounds = np.searchsorted(human[order], np.arange(len(human_names) + 1))
    rows: list[dict[str, Any]] = []
    for j, name in enumerate(human_names):
        mine = order[bounds[j]:bounds[j + 1]]
        if mine.size == 0:
            continue
        entry: dict[str, Any] = {
            "annotator": name, "items": int(mine.size),
            "model_advantage": float(model_wins[mine].mean()),
            "human_advantage": float(human_wins[mine].mean()),
            "mean_difference": float(differences[mine].mean()),
            "t_statistic": None, "p_value": None, "p_adjusted": None, "model_wins": None,
            "tested": mine.size >= min_items_per_human, "note": None,
        }
        if entry["tested"]:
            t, p, note = _t_test(differences[mine], float(epsilon))
            entry.update(t_statistic=None if np.isnan(t) else t, p_value=p, note=note)
        else:
            entry["note"] = message("alt.not_tested", items=int(mine.size), minimum=min_items_per_human)
        rows.append(entry)
    tested = [row for row in rows if row["tested"]]
    if len(tested) < min_humans:
        why = message("alt.too_few_humans", tested=len(tested), minimum=min_items_per_human,
                      needed=min_humans)
        if not rows:
            why = message("alt.no_shared_item")

        return AltTestResult(None, None, None, len(tested), 0,
                             tuple(HumanComparison(**row) for row in rows), why, **settings)
    reject, adjusted, _, _ = multipletests([row["p_value"] for row in tested], alpha=fdr_q,
                                           method="fdr_by")
    for row, rejected, p_adjusted in zip(tested, reject, adjusted, strict=True):
        row.update(model_wins=bool(rejected), p_adjusted=float(p_adjusted))
    won = int(np.sum(reject))
    winning_rate = won / len(tested)
    return AltTestResult(
        winning_rate=winning_rate,
        advantage_probability=float(np.mean([row["model_advantage"] for row in tested])),
        passed=winning_rate >= PASS_WINNING_RATE, humans_tested=len(tested), humans_won=won,
        per_human=tuple(HumanComparison(**row) for row in rows), note=None, **settings)


def alt_test(
    humans: pd.DataFrame,
    model: Mapping[str, Any] | pd.Series,
    *,
    scoring: Scoring = "accuracy",
    epsilon: float = DEFAULT_EPSILON,
    fdr_q: float = DEFAULT_FDR_Q,
    min_items_per_human: int = MIN_ITEMS_PER_HUMAN,
    min_humans: int = MIN_HUMANS,
) -> AltTestResult:
    """Whether a model may replace a human annotator (the Alternative Annotator Test).

    Parameters
    ----------
    humans : DataFrame
        The humans' judgements: canonical columns ``item_id``, ``annotator``, ``label``.
    model : mapping or Series
        The model's label (or rating) per item id.
    scoring : {"accuracy", "neg_rmse"}, default "accuracy"
        Categorical labels: share of the other humans who agree; ratings (numbers):
        minus the root mean squared difference to the other humans.
    epsilon : float, default 0.2
        The cost-benefit margin (0.2 expert, 0.15 skilled, 0.1 crowd annotators).
    fdr_q : float, default 0.05
        False discovery rate of the Benjamini-Yekutieli adjustment.
    min_items_per_human : int, default 30
    min_humans : int, default 3
        Humans who must be tested for the result to be defined.

    Returns
    -------
    AltTestResult

    Examples
    --------
    Three humans and a model on 40 items; the model always gives the label most humans
    gave, so it aligns with the others at least as well as any left-out human (the paper's
    optimal-jury result: the majority vote has advantage probability 1):

    >>> rng = np.random.default_rng(0)
    >>> truth = rng.integers(0, 3, 40)
    >>> rows = [(i, h, int(truth[i]) if rng.random() < 0.7 else int(rng.integers(3)))
    ...         for i in range(40) for h in ("ann", "bob", "cho")]
    >>> humans = pd.DataFrame(rows, columns=["item_id", "annotator", "label"])
    >>> majority = humans.groupby("item_id")["label"].agg(lambda s: s.mode().iloc[0])
    >>> result = alt_test(humans, majority)
    >>> result.winning_rate, result.passed, round(result.advantage_probability, 2)
    (1.0, True, 1.0)
    >>> alt_test(humans[humans.annotator != "cho"], majority).note[:30]
    'only 2 human annotator(s) shar'
    """
    _check(epsilon, fdr_q, min_items_per_human, min_humans, scoring)
    frame = humans.loc[:, [ITEM, ANNOTATOR, LABEL]].dropna()
    predicted = pd.Series(model, dtype=object) if not isinstance(model, pd.Series) else model
    predicted = predicted.dropna()
    predicted.index = predicted.index.map(str)
    item_codes, items = pd.factorize(frame[ITEM].astype(str))
    human_codes, names = pd.factorize(frame[ANNOTATOR].astype(str))
    model_of_item = predicted.reindex(items)
    if scoring == "accuracy":
        labels = pd.Index(pd.unique(pd.concat([frame[LABEL].astype(str),
                                               model_of_item.dropna().astype(str)])))
        x = labels.get_indexer(frame[LABEL].astype(str)).astype(float)
        model_x = np.where(model_of_item.notna(), labels.get_indexer(model_of_item.astype(str)),
                           np.nan).astype(float)
    else:
        x = pd.to_numeric(frame[LABEL], errors="coerce").to_numpy(dtype=float)
        model_x = pd.to_numeric(model_of_item, errors="coerce").to_numpy(dtype=float)
        if np.isnan(x).any() or np.isnan(model_x[model_of_item.notna().to_numpy()]).any():
            raise UsageError("The 'humans' and 'model' parameters of alt_test must hold numeric "
                             "ratings with scoring='neg_rmse'. Got labels that are not numbers "
                             "instead", option="scoring")
    return alt_test_codes(item_codes, human_codes, x, model_x, [str(n) for n in names],
                          scoring=scoring, epsilon=epsilon, fdr_q=fdr_q,
                          min_items_per_human=min_items_per_human, min_humans=min_humans)
