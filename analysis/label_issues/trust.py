"""How far the text model may be trusted against the annotators, measured on held-out folds.

A label-error candidate is the text model's word against the annotators'. Three checks keep
that word in proportion:

* **Calibration.** The held-out probabilities are temperature-scaled (one temperature,
  fitted by log-loss on the consensus items, Guo et al. 2017) so that a probability of
  0.9 means nine in ten; the expected calibration error after scaling (15 equal-width
  bins) is reported.
* **Prior.** A consensus label is wrong only now and then: the posterior that it is wrong
  starts from :data:`PRIOR_ERROR_RATE` (30%) rather than even odds, so a text model that
  merely prefers another label does not flag an item; it must be surer, or the votes must
  point the same way.
* **Unanimous labels.** An item labelled the same by every one of three or more
  annotators is proposed for a flip only when the calibrated text model gives the
  suggested label at least :data:`CONFIDENT` (more than all other labels together) *and*
  it contradicts the consensus of that label this strongly rarely: among the held-out
  consensus items of the item's label, the share whose best other label is at least as
  probable (shrunk towards all labels with :data:`PRIOR_ITEMS` pseudo-items) is at most
  :data:`MAX_CONTRADICTION` (10%). A model that contradicts humans this strongly that
  often is reading the texts differently, not finding errors: unanimous labels then
  stand. On CLINC150 intents the model earns most flips of the planted errors; on the
  abusive side of ConvAbuse it does not (docs/clusters.md, "Label review").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

PRIOR_ERROR_RATE = 0.3
"""Prior probability that a consensus label is wrong."""
CONFIDENT = 0.5
"""Calibrated probability of the suggested label a unanimous flip needs: more likely than
every other label together."""
MAX_CONTRADICTION = 0.1
"""Largest share of a label's held-out consensus items the text model may contradict this
strongly for a unanimous flip to be proposed."""
UNANIMOUS_VOTES = 3
"""Annotators who must all agree for an item's label to count as unanimous."""
PRIOR_ITEMS = 10.0
_BINS = 15


def temperature_scale(
    probs: npt.NDArray[np.floating], targets: npt.NDArray[np.integer], fit: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.float64], float]:
    """Probabilities rescaled by the temperature that minimises the log-loss on ``fit`` rows.

    Examples
    --------
    >>> overconfident = np.array([[0.99, 0.01]] * 12)  # right 8 times in 12
    >>> scaled, t = temperature_scale(overconfident, np.array([0] * 8 + [1] * 4), np.ones(12, bool))
    >>> t > 1, bool(scaled[0, 0] < 0.99)
    (True, True)
    """
    from scipy.optimize import minimize_scalar

    logp = np.log(np.clip(np.asarray(probs, dtype=np.float64), 1e-12, None))
    rows = np.nonzero(fit)[0]

    def scaled(t: float, at: np.ndarray | slice = slice(None)) -> np.ndarray:
        z = logp[at] / t
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    if rows.size < 10:
        return np.asarray(probs, dtype=np.float64), 1.0

    def loss(log_t: float) -> float:
        p = scaled(float(np.exp(log_t)), rows)
        return float(-np.log(np.clip(p[np.arange(len(rows)), targets[rows]], 1e-12, None)).mean())

    best = minimize_scalar(loss, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    t = float(np.exp(best.x))
    return scaled(t), t


def calibration_error(probs: npt.NDArray[np.floating], targets: npt.NDArray[np.integer]) -> float:
    """Expected calibration error of the top-label confidence (15 equal-width bins).

    Examples
    --------
    >>> round(calibration_error(np.array([[0.8, 0.2]] * 10), np.array([0] * 8 + [1] * 2)), 3)
    0.0
    """
    if len(targets) == 0:
        return float("nan")
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == targets
    bins = np.minimum((confidence * _BINS).astype(int), _BINS - 1)
    total = 0.0
    for b in np.unique(bins):
        inside = bins == b
        total += inside.sum() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(total / len(targets))


@dataclass(frozen=True)
class TextModelTrust:
    """What the held-out folds say of the text model.

    Attributes
    ----------
    temperature : float
        Fitted temperature (above 1: the raw probabilities were overconfident).
    calibration_error : float
        Expected calibration error after scaling, on the consensus items.
    accuracy : float
        Share of consensus items whose held-out prediction is their consensus label.
    confident_contradictions : dict of str to float
        Per label: share of its consensus items whose best other label the calibrated
        model gives at least :data:`CONFIDENT` (shrunk towards all labels).
    """

    temperature: float
    calibration_error: float
    accuracy: float
    confident_contradictions: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        def rounded(v: float) -> float | None:
            return None if not np.isfinite(v) else round(float(v), 4)

        return {
            "temperature": rounded(self.temperature),
            "calibration_error": rounded(self.calibration_error),
            "accuracy": rounded(self.accuracy),
            "confident_threshold": CONFIDENT,
            "confident_contradictions": {k: rounded(v) for k, v in self.confident_contradictions.items()},
            "unanimous_flip_needs_at_most": MAX_CONTRADICTION,
        }


def contradiction_rates(
    other: npt.NDArray[np.floating], targets: npt.NDArray[np.integer], fit: npt.NDArray[np.bool_],
    query: npt.NDArray[np.floating], query_labels: npt.NDArray[np.integer], n_labels: int,
) -> npt.NDArray[np.float64]:
    """For each query, the share of ``fit`` items of its label whose best other label's
    probability ``other`` is at least the query's (shrunk towards all labels).

    Examples
    --------
    >>> other = np.array([0.1, 0.2, 0.95, 0.3] * 5)
    >>> rates = contradiction_rates(other, np.zeros(20, int), np.ones(20, bool), np.array([0.95, 0.25]),
    ...                             np.array([0, 0]), 1)
    >>> rates.round(2).tolist()
    [0.25, 0.5]
    """
    rows = np.nonzero(fit)[0]
    values, labels = np.asarray(other)[rows], np.asarray(targets)[rows]
    overall = np.sort(values)
    out = np.empty(len(query))
    base = 1.0 - np.searchsorted(overall, query, side="left") / max(len(overall), 1)
    for code in range(n_labels):
        at = np.nonzero(query_labels == code)[0]
        if at.size == 0:
            continue
        mine = np.sort(values[labels == code])
        above = len(mine) - np.searchsorted(mine, query[at], side="left")
        out[at] = (above + PRIOR_ITEMS * base[at]) / (len(mine) + PRIOR_ITEMS)
    return out


def assess_text_model(
    probs: npt.NDArray[np.floating], targets: npt.NDArray[np.integer], fit: npt.NDArray[np.bool_],
    labels: tuple[str, ...],
) -> TextModelTrust:
    """Calibration, accuracy and confident contradictions of calibrated held-out ``probs``
    on the ``fit`` rows (the consensus items).

    Examples
    --------
    >>> probs = np.array([[0.95, 0.05]] * 20 + [[0.05, 0.95]] * 20)
    >>> trust = assess_text_model(probs, np.array([0] * 20 + [1] * 20), np.ones(40, bool), ("a", "b"))
    >>> round(trust.accuracy, 2), trust.confident_contradictions["a"]
    (1.0, 0.0)
    """
    rows = np.nonzero(fit)[0]
    p, y = probs[rows], targets[rows]
    other = best_other(probs, targets)
    threshold = np.full(len(labels), CONFIDENT)
    rates = contradiction_rates(other, targets, fit, threshold, np.arange(len(labels)), len(labels))
    return TextModelTrust(
        temperature=1.0, calibration_error=calibration_error(p, y),
        accuracy=float((p.argmax(axis=1) == y).mean()) if len(rows) else float("nan"),
        confident_contradictions={label: float(rates[k]) for k, label in enumerate(labels)},
    )


def best_other(probs: npt.NDArray[np.floating], targets: npt.NDArray[np.integer]) -> npt.NDArray[np.float64]:
    """Each row's largest probability among the labels other than its target."""
    masked = np.asarray(probs, dtype=np.float64).copy()
    masked[np.arange(len(targets)), targets] = -1.0
    return masked.max(axis=1)


def may_flip_unanimous(
    probs: npt.NDArray[np.floating], targets: npt.NDArray[np.integer], fit: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """Per item, whether the text model may propose flipping its label were it unanimous:
    confident for another label and rarely this contradicting (module docstring)."""
    other = best_other(probs, targets)
    rates = contradiction_rates(other, targets, fit, other, np.asarray(targets), probs.shape[1])
    return (other >= CONFIDENT) & (rates <= MAX_CONTRADICTION)
