"""How far the text model may be trusted against the annotators, measured on held-out folds.

A label-error candidate is the text model's word against the annotators'. Three checks keep
that word in proportion:

* **Calibration.** The held-out probabilities are temperature-scaled (one temperature,
  fitted by log-loss on the consensus items, Guo et al. 2017) so that a probability of
  0.9 means nine in ten; the expected calibration error after scaling (15 equal-width
  bins) is reported.
* **Prior.** A consensus label is wrong only now and then: the posterior that it is wrong
  starts from :data:`PRIOR_ERROR_RATE` (5%) rather than even odds, so a text model that
  merely prefers another label does not flag an item; it must be several times surer,
  or the votes must point the same way.
* **Unanimous labels.** An item labelled the same by every one of three or more
  annotators is proposed for a flip only when the calibrated text model is confident
  (at least :data:`CONFIDENT` for the suggested label) *and* its confident held-out
  predictions on items of the current label agree with the annotators' consensus at
  least :data:`CONFIDENT_AGREEMENT` of the time (shrunk towards all labels with
  :data:`PRIOR_ITEMS` pseudo-items). On CLINC150 intents the model earns this; on
  hate-speech or offensiveness labels it does not, and unanimous labels stand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

PRIOR_ERROR_RATE = 0.05
"""Prior probability that a consensus label is wrong."""
CONFIDENT = 0.9
"""Calibrated probability of the suggested label a unanimous flip needs."""
CONFIDENT_AGREEMENT = 0.95
"""How often the model's confident held-out predictions must match the consensus."""
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
    confident_agreement : dict of str to float
        Per label: how often the model's confident (at least :data:`CONFIDENT`) held-out
        predictions on items of that consensus label agree with it (shrunk towards all
        labels); NaN where the model is never confident.
    confident_items : int
        Consensus items with a confident held-out prediction.
    """

    temperature: float
    calibration_error: float
    accuracy: float
    confident_agreement: dict[str, float] = field(default_factory=dict)
    confident_items: int = 0

    def may_overrule(self, label: str) -> bool:
        """Whether the model may propose flipping a unanimous ``label``."""
        value = self.confident_agreement.get(label, float("nan"))
        return bool(np.isfinite(value) and value >= CONFIDENT_AGREEMENT)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        def rounded(v: float) -> float | None:
            return None if not np.isfinite(v) else round(float(v), 4)

        return {
            "temperature": rounded(self.temperature),
            "calibration_error": rounded(self.calibration_error),
            "accuracy": rounded(self.accuracy),
            "confident_threshold": CONFIDENT,
            "confident_items": self.confident_items,
            "confident_agreement": {k: rounded(v) for k, v in self.confident_agreement.items()},
            "unanimous_flip_needs": CONFIDENT_AGREEMENT,
        }


def assess_text_model(
    probs: npt.NDArray[np.floating], targets: npt.NDArray[np.integer], fit: npt.NDArray[np.bool_],
    labels: tuple[str, ...],
) -> TextModelTrust:
    """Calibration and confident agreement of calibrated held-out ``probs`` on ``fit`` rows.

    Examples
    --------
    >>> probs = np.array([[0.95, 0.05]] * 20 + [[0.05, 0.95]] * 20)
    >>> trust = assess_text_model(probs, np.array([0] * 20 + [1] * 20), np.ones(40, bool), ("a", "b"))
    >>> trust.may_overrule("a"), round(trust.accuracy, 2)
    (True, 1.0)
    """
    rows = np.nonzero(fit)[0]
    p, y = probs[rows], targets[rows]
    predicted, confidence = p.argmax(axis=1), p.max(axis=1)
    sure = confidence >= CONFIDENT
    agree = predicted == y
    overall = float(agree[sure].mean()) if sure.any() else float("nan")
    per: dict[str, float] = {}
    for code, label in enumerate(labels):
        mine = sure & (y == code)
        if not np.isfinite(overall):
            per[label] = float("nan")
            continue
        per[label] = float((agree[mine].sum() + PRIOR_ITEMS * overall) / (mine.sum() + PRIOR_ITEMS))
    return TextModelTrust(
        temperature=1.0, calibration_error=calibration_error(p, y),
        accuracy=float(agree.mean()) if len(rows) else float("nan"),
        confident_agreement=per, confident_items=int(sure.sum()),
    )
