"""Vote evidence for label-error candidates: does the minority back the text's suggestion?

A consensus label that the annotators got wrong together usually still draws a few votes
for the right label from the annotators who read the item correctly, and those votes
concentrate on *one* label. Slips on a correct consensus scatter: a slip lands on exactly
the label the text classifier suggests far less often. Agreement statistics cannot see
this, and a symmetric annotator model (one-coin Dawid–Skene) buries it: with annotators
right 95% of the time, four votes for the consensus outweigh any minority, because that
model has no place for a label that most annotators choose *together* by mistake.

**Model.** For an item with consensus label ``c`` (a strict majority) and the text's most
probable other label ``s``, two hypotheses about its true label:

* ``c`` (the consensus is right): every vote is ``c`` except slips, with rate ``ε``; a
  slip lands on ``s`` with probability ``σ``;
* ``s`` (a shared misreading): a vote leaves ``c`` with rate ``δ``, and such a vote is for
  ``s`` with probability ``ρ``.

The text classifier's held-out probabilities ``p(c)`` and ``p(s)`` give the prior odds,
and the votes (independent given the hypothesis) the likelihood ratio. Without any vote
off ``c`` the ratio is about 1 and the posterior orders items as ``p(c) / (p(c) + p(s))``
(self-confidence against the strongest alternative). A third hypothesis, "some other
label", was tried and left out: it made every scattered slip evidence against the
consensus and doubled the flagged items on CLINC150. The four rates are estimated from the
data itself by expectation-maximisation over the consensus items the caller marks (not
over split or ambiguous ones), starting from the text prior; nothing is tuned to a
benchmark. The result is each item's posterior probability that its consensus label
rather than ``s`` is right, and the log-likelihood ratio of its votes for ``s`` against
``c``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

_CLIP = 1e-4
PAIR_PRIOR_VOTES = 10.0
"""Pseudo-votes that shrink a label pair's slip share towards the overall one."""
_PROB_FLOOR = 1e-12


@dataclass(frozen=True)
class VoteModel:
    """Rates of the three-hypothesis vote model (see the module docstring).

    Attributes
    ----------
    slip_rate : float
        ``ε``: share of votes off a correct consensus.
    slip_to_suggested : float
        ``σ`` over all items: share of those slips that land on the text's suggested
        label (each item uses its label pair's own share, shrunk towards this one).
    dissent_rate : float
        ``δ``: share of votes off a wrong consensus.
    dissent_to_true : float
        ``ρ``: share of those votes that are for the true label.
    """

    slip_rate: float
    slip_to_suggested: float
    dissent_rate: float
    dissent_to_true: float


def pair_slip_share(
    counts: npt.NDArray[np.floating],
    current: npt.NDArray[np.integer],
    suggested: npt.NDArray[np.integer],
    weight: npt.NDArray[np.floating],
    overall: float,
    *,
    prior_votes: float = PAIR_PRIOR_VOTES,
) -> npt.NDArray[np.float64]:
    """``σ`` per item: of the off-consensus votes on the *other* fitted items whose
    consensus is ``current`` or ``suggested``, the share cast for the pair's other label,
    shrunk towards ``overall`` with ``prior_votes`` pseudo-votes.

    Two labels the annotators often mix up (an ambiguity group, or a habitual confusion)
    get a high share, so a minority vote between them is weak evidence of a wrong
    consensus; between two labels rarely confused it is strong evidence.

    Examples
    --------
    >>> counts = np.array([[4.0, 1.0, 0.0]] * 10 + [[4.0, 0.0, 1.0]] * 10)
    >>> share = pair_slip_share(counts, np.zeros(20, int), np.array([1] * 10 + [2] * 10), np.ones(20), 0.1)
    >>> bool(share[0] > 0.3), bool(share[10] > 0.3)
    (True, True)
    """
    n_labels = counts.shape[1]
    rows = np.arange(len(current))
    # votes[a, b]: votes for b on fitted items whose consensus is a (b != a)
    votes = sparse.csr_matrix((weight, (current, rows)), shape=(n_labels, len(rows))) @ counts
    votes = np.asarray(votes)
    votes[np.diag_indices(n_labels)] = 0.0
    off = votes.sum(axis=1)
    own_pair = weight * np.where(suggested != current, counts[rows, suggested], 0.0)
    own_off = weight * (counts.sum(axis=1) - counts[rows, current])
    pair = votes[current, suggested] + votes[suggested, current] - own_pair
    total = off[current] + off[suggested] - own_off
    return np.clip((pair + prior_votes * overall) / (total + prior_votes), _CLIP, 1.0 - _CLIP)


def vote_posterior(
    probs: npt.NDArray[np.floating],
    counts: npt.NDArray[np.integer],
    current: npt.NDArray[np.integer],
    suggested: npt.NDArray[np.integer],
    fit: npt.NDArray[np.bool_],
    *,
    iterations: int = 30,
    prior_error_rate: float = 0.5,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], VoteModel]:
    """Posterior probability that each consensus label is right, from text and votes.

    Parameters
    ----------
    probs : ndarray, shape (n, n_labels)
        Held-out text probabilities (rows sum to 1).
    counts : ndarray of int, shape (n, n_labels)
        Votes per item and label.
    current, suggested : ndarray of int, shape (n,)
        Consensus label and the text's most probable other label.
    fit : ndarray of bool, shape (n,)
        Items the rates are estimated on (consensus items, not ambiguous ones).
    iterations : int, default 30
        EM iterations.
    prior_error_rate : float, default 0.5
        Prior probability that a consensus label is wrong, before text and votes (0.5:
        the text's odds alone; :data:`analysis.label_issues.trust.PRIOR_ERROR_RATE` in
        :func:`analysis.label_issues.ranking.find_label_issues`).

    Returns
    -------
    correct : ndarray, shape (n,)
        Posterior probability that ``current`` rather than ``suggested`` is the true label.
    log_ratio : ndarray, shape (n,)
        Log-likelihood ratio of the votes under "true label ``suggested``" against
        "true label ``current``" (positive: the votes point away from the consensus).
    model : VoteModel
        The fitted rates.

    Examples
    --------
    >>> probs = np.array([[0.4, 0.6]] * 2 + [[0.9, 0.1]] * 20)
    >>> counts = np.array([[4, 1], [5, 0]] + [[5, 0]] * 19 + [[4, 1]])
    >>> current, suggested = np.zeros(22, int), np.ones(22, int)
    >>> correct, ratio, _ = vote_posterior(probs, counts, current, suggested, np.ones(22, bool))
    >>> bool(correct[0] < correct[1] < correct[2]), bool(ratio[0] > 0 > ratio[1])
    (True, True)
    """
    rows = np.arange(len(current))
    counts = counts.astype(float)
    n_votes = counts.sum(axis=1)
    on_current = counts[rows, current]
    on_suggested = np.where(suggested != current, counts[rows, suggested], 0.0)
    off = n_votes - on_current
    elsewhere = off - on_suggested
    p_current = np.clip(probs[rows, current], _PROB_FLOOR, None)
    p_suggested = np.clip(np.where(suggested != current, probs[rows, suggested], 0.0), _PROB_FLOOR, None)
    weight = np.asarray(fit, dtype=float)

    def rate(numerator: npt.NDArray[np.float64], denominator: npt.NDArray[np.float64],
             given: npt.NDArray[np.float64]) -> float:
        total = float((given * denominator).sum())
        value = float((given * numerator).sum()) / total if total > 0 else 0.5
        return float(np.clip(value, _CLIP, 1.0 - _CLIP))

    # Start from the text alone: responsibilities of "consensus right" and "suggested true".
    prior = np.log(p_suggested) - np.log(p_current) + np.log(prior_error_rate / (1.0 - prior_error_rate))
    resp_suggested = 1.0 / (1.0 + np.exp(-prior))
    log_ratio = np.zeros(len(rows))
    # Slips are read off every fitted item alike: the few wrong consensus labels among
    # them barely move these rates, whereas weighting by the posterior lets the "shared
    # misreading" side swallow every item with a vote for ``s`` (σ then collapses and a
    # single stray vote outweighs the text).
    slip_rate = rate(off, n_votes, weight)
    slip_to_suggested = rate(on_suggested, off, weight)
    sig = pair_slip_share(counts, current, suggested, weight, slip_to_suggested)
    for _ in range(max(1, iterations)):
        w_suggested = weight * resp_suggested
        model = VoteModel(
            slip_rate=slip_rate,
            slip_to_suggested=slip_to_suggested,
            dissent_rate=rate(off, n_votes, w_suggested),
            dissent_to_true=rate(on_suggested, off, w_suggested),
        )
        eps = model.slip_rate
        delta, rho = model.dissent_rate, model.dissent_to_true
        log_ratio = (on_current * np.log((1.0 - delta) / (1.0 - eps))
                     + on_suggested * np.log(delta * rho / (eps * sig))
                     + elsewhere * np.log(delta * (1.0 - rho) / (eps * (1.0 - sig))))
        resp_suggested = 1.0 / (1.0 + np.exp(-np.clip(prior + log_ratio, -500, 500)))
    return 1.0 - resp_suggested, log_ratio, model
