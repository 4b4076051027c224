"""Dawid-Skene consensus: a confusion matrix per annotator and a posterior per item.

The model (Dawid & Skene, 1979) assumes each item has one true class ``c`` drawn with
prior ``pi[c]``, and annotator ``j`` answers ``k`` with probability ``theta[j, c, k]``,
independently of the other annotators. Expectation-maximisation alternates between the
posterior of every item's class (E-step) and the priors and confusion matrices given
those posteriors (M-step), starting from the majority-vote shares.

Why not wrap ``crowdkit.aggregation.DawidSkene``: crowd-kit runs both steps as pandas
joins and group-bys on the long table, which takes several seconds per pass at 100,000
items, and it stops when the evidence lower bound per judgement rises by less than
``tol`` (often after two or three passes). Here each step is a few ``bincount`` sums over
the judgements (one entry per judgement, never items x annotators), and EM stops when no
posterior moves by more than ``tol`` in one pass. On crowd data (hundreds of annotators
with a few items each, so each confusion matrix rests on little evidence) plain EM creeps
towards that fixed point over hundreds of passes, and stopping on the evidence instead
(crowd-kit's rule) leaves labels that further passes would change. So the passes are
accelerated with SQUAREM (Varadhan & Roland 2008): the same fixed point and stopping rule
in about a third of the passes. The test suite checks that labels and accuracies match
crowd-kit's on simulated data, and that the accelerated fit reaches plain EM's fixed point.

The same EM serves every task: :meth:`DawidSkene.fit` takes the single-label reliability
data, :meth:`DawidSkene.fit_judgements` any ``(item, annotator, label)`` judgements with a
weight per item, so an item can stand for many identical ones (the span consensus fits it
on token patterns: every token with the same votes in a document is one weighted item).

References
----------
A. P. Dawid and A. M. Skene (1979). Maximum likelihood estimation of observer
error-rates using the EM algorithm. *Applied Statistics* 28(1), 20-28.
https://doi.org/10.2307/2346806

R. Varadhan and C. Roland (2008). Simple and globally convergent methods for accelerating
the convergence of any EM algorithm. *Scandinavian Journal of Statistics* 35(2), 335-353.
https://doi.org/10.1111/j.1467-9469.2007.00585.x
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from numbers import Integral, Real
from typing import Any, ClassVar, Literal

import numpy as np
import numpy.typing as npt

from analysis.base.blas import one_blas_thread
from analysis.base.errors import AnnotationDataError, ConvergenceWarning, NotFittedError, UsageError
from analysis.base.params import Interval, Options, check_params
from analysis.data.dataset import AnnotationDataset, reliability_of
from analysis.data.reliability import ReliabilityData
from analysis.data.votes import vote_shares

_FEW_LABELS = 16
_SQUAREM_BACKTRACKS = 3
"""Tries of an extrapolated SQUAREM step, each halfway back to plain EM, before EM."""
_SQUAREM_OBJECTIVE_SLACK = 1.0
"""How far (log-likelihood) a SQUAREM step may lower the objective and still be kept."""


def _row_max(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``x.max(axis=-1, keepdims=True)``, column by column for a few labels (numpy's
    reduction over a short last axis is several times slower)."""
    if x.shape[-1] > _FEW_LABELS:
        return x.max(axis=-1, keepdims=True)
    top = x[..., 0].copy()
    for c in range(1, x.shape[-1]):
        np.maximum(top, x[..., c], out=top)
    return top[..., None]


def _row_sums(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """``x.sum(axis=-1, keepdims=True)``, column by column for a few labels."""
    if x.shape[-1] > _FEW_LABELS:
        return x.sum(axis=-1, keepdims=True)
    total = x[..., 0].copy()
    for c in range(1, x.shape[-1]):
        total += x[..., c]
    return total[..., None]


_Fitted = tuple[npt.NDArray[np.float64], tuple[np.ndarray, np.ndarray], npt.NDArray[np.float64],
                int, bool, float]
"""What an EM run ends with: posteriors, confusion parts, priors, passes, converged, last change."""
_Pass = Callable[[np.ndarray], tuple[np.ndarray, float, tuple[np.ndarray, np.ndarray], np.ndarray]]
"""One EM pass: posteriors in; posteriors, objective, confusion parts and priors out."""


def _largest_magnitude(x: npt.NDArray[np.float64]) -> float:
    """``np.abs(x).max()`` without the array of magnitudes (NaN if ``x`` holds one)."""
    return float(max(x.max(), -x.min()))


class DawidSkene:
    """Dawid-Skene EM estimator in the scikit-learn style.

    Parameters
    ----------
    max_iter : int, default 500
        Upper bound on EM passes (SQUAREM steps count as passes; crowd data with
        hundreds of annotators needs about 100-150).
    tol : float, default 1e-6
        EM stops once no item's posterior changes by more than ``tol`` between passes.
    smoothing : float, default 0.01
        Pseudo-count added to every cell of every confusion matrix (and to the class
        counts for the priors) in the M-step, so an annotator who never saw a class
        does not get a probability of exactly 0 or 1 for it.
    stop : {"posteriors", "likelihood"}, default "posteriors"
        ``"posteriors"``: stop once no item's posterior changes by more than ``tol``;
        ``"likelihood"``: once the log-likelihood per unit of item weight changes by
        less than ``tol`` (plain EM only).
    accelerate : bool, default True
        Accelerate the passes with SQUAREM (with ``stop="posteriors"``); False runs plain
        EM, one M-step and one E-step per pass.

    Attributes
    ----------
    labels_ : ndarray of int, shape (n_items,)
        Most probable class per item (index into ``data.labels``).
    posteriors_ : ndarray of float, shape (n_items, n_labels)
        Posterior class probabilities per item; rows sum to 1.
    confusions_ : ndarray of float, shape (n_annotators, n_labels, n_labels)
        ``confusions_[j, c, k]``: probability that annotator ``j`` answers ``k`` when
        the true class is ``c``; rows sum to 1.
    priors_ : ndarray of float, shape (n_labels,)
        Estimated class prevalence.
    accuracies_ : ndarray of float, shape (n_annotators,)
        Expected share of each annotator's own judgements that match the true class,
        ``mean over their items of posteriors_[item, their label]`` (NaN for an
        annotator without judgements).
    n_iter_ : int
        EM passes run.
    converged_ : bool
        Whether the ``tol`` criterion was met within ``max_iter`` passes; when it was
        not, ``fit`` warns with :class:`~analysis.base.errors.ConvergenceWarning`.

    Raises
    ------
    NotFittedError
        When a result (``posterior_margin``) is asked for before ``fit``.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({
    ...     "item_id": ["1"] * 3 + ["2"] * 3 + ["3"] * 3,
    ...     "annotator": ["a", "b", "c"] * 3,
    ...     "label": ["x", "x", "y", "y", "y", "y", "x", "x", "x"]})
    >>> model = DawidSkene().fit(ReliabilityData.from_table(table))
    >>> model.labels_.tolist()
    [0, 1, 0]
    >>> model.posteriors_.shape, model.confusions_.shape
    ((3, 2), (3, 2, 2))
    """

    def __init__(self, *, max_iter: int = 500, tol: float = 1e-6, smoothing: float = 0.01,
                 stop: Literal["posteriors", "likelihood"] = "posteriors",
                 accelerate: bool = True) -> None:
        self.max_iter = max_iter
        self.tol = tol
        self.smoothing = smoothing
        self.stop = stop
        self.accelerate = accelerate

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="neither", wording="> 0")],
        "smoothing": [Interval(Real, 0, None, closed="left", wording=">= 0")],
        "stop": [Options("posteriors", "likelihood")],
        "accelerate": [bool],
    }

    def _check_params(self) -> None:
        check_params("DawidSkene", self._parameter_constraints, vars(self))
        if self.accelerate and self.stop != "posteriors":
            raise UsageError("The 'accelerate' parameter of DawidSkene needs stop='posteriors'; "
                             f"got stop={self.stop!r} instead.", option="accelerate")

    @one_blas_thread  # thin einsum products: threads only wait on each other (4-8x slower)
    def fit(self, data: AnnotationDataset | ReliabilityData) -> DawidSkene:
        """Estimate priors, confusion matrices and posteriors from the judgements.

        Parameters
        ----------
        data : AnnotationDataset or ReliabilityData
            The dataset, or its label codes per item and annotator.

        Returns
        -------
        DawidSkene
            The fitted estimator.

        Warns
        -----
        ConvergenceWarning
            EM stopped at ``max_iter`` passes before the posteriors settled within ``tol``.
        """
        self._check_params()
        data = reliability_of(data, function="DawidSkene.fit")
        if data.n_items == 0 or data.n_labels == 0:
            raise AnnotationDataError(
                "there are no judgements to build a Dawid-Skene consensus from",
                fix="load a file with at least one labelled item",
            )
        self._fit(data.item_index, data.annotator_index, data.label_code,
                  (data.n_items, data.n_annotators, data.n_labels), None)
        self._warn_unless_converged()
        return self

    @one_blas_thread
    def fit_judgements(
        self,
        item_index: npt.NDArray[np.integer],
        annotator_index: npt.NDArray[np.integer],
        label_code: npt.NDArray[np.integer],
        *,
        n_items: int,
        n_annotators: int,
        n_labels: int,
        weights: npt.NDArray[np.float64] | None = None,
        warn: bool = True,
    ) -> DawidSkene:
        """Fit on ``(item, annotator, label)`` judgements, each item with a weight.

        An item of weight ``w`` counts as ``w`` identical items in the M-step (the class
        priors and the confusion counts); its posterior is that of one of them. Weight 0
        leaves an item out of the priors (an item nobody judged).

        Parameters
        ----------
        item_index, annotator_index, label_code : ndarray of int, shape (n_judgements,)
            One entry per judgement.
        n_items, n_annotators, n_labels : int
            The sizes of the three codes.
        weights : ndarray of float, shape (n_items,), optional
            How many items each item stands for; 1 each when not given.
        warn : bool, default True
            Warn when EM stops at ``max_iter``; False where ``max_iter`` is the caller's
            budget of passes rather than a safeguard.

        Returns
        -------
        DawidSkene
            The fitted estimator (``accuracies_`` weighted by the items' weights).

        Examples
        --------
        >>> item, annotator, label = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([0, 0, 1, 0])
        >>> model = DawidSkene(stop="likelihood", accelerate=False).fit_judgements(
        ...     item, annotator, label, n_items=2, n_annotators=2, n_labels=2,
        ...     weights=np.array([9.0, 1.0]))
        >>> model.labels_.tolist(), model.priors_.round(2).tolist()
        ([0, 0], [0.95, 0.05])
        """
        self._check_params()
        self._fit(np.asarray(item_index), np.asarray(annotator_index), np.asarray(label_code),
                  (n_items, n_annotators, n_labels),
                  None if weights is None else np.asarray(weights, dtype=np.float64))
        if warn:
            self._warn_unless_converged()
        return self

    def _warn_unless_converged(self) -> None:
        if not self.converged_:
            what = "posteriors" if self.stop == "posteriors" else "log-likelihood"
            warnings.warn(
                f"Dawid-Skene EM stopped after max_iter={self.max_iter} passes before the "
                f"{what} changed by less than tol={self.tol:g} (last change {self._change:.2g}); "
                "the consensus may be imprecise. Raise max_iter or tol.",
                ConvergenceWarning, stacklevel=4,  # past fit and the one_blas_thread wrapper
            )

    def _fit(self, item_index: np.ndarray, annotator_index: np.ndarray, label_code: np.ndarray,
             sizes: tuple[int, int, int], weights: np.ndarray | None) -> None:
        """The EM itself: sets the fitted attributes (``_change``: the last pass's change)."""
        import scipy.sparse as sp  # imported here: the command line starts without scipy

        n_items, n_annotators, n_labels = sizes
        # The confusion matrices have n_annotators * n_labels**2 cells, but only the
        # (annotator, answer) rows an annotator actually gave enter the likelihood; the
        # other rows hold the smoothing alone. EM works on the observed rows, so time and
        # memory follow the judgements, not annotators x labels**2 (8,000 crowd workers
        # and 150 labels: 180M cells, against at most one row per judgement).
        observed, column = np.unique(annotator_index * n_labels + label_code,
                                     return_inverse=True)
        owner = observed // n_labels  # the annotator of each observed row
        unanswered = n_labels - np.bincount(owner, minlength=n_annotators)  # rows per annotator
        # judgements as a sparse (n_items, observed rows) indicator matrix
        one_hot = sp.csr_matrix((np.ones(column.size), (item_index, column)),
                                shape=(n_items, observed.size))
        # its transpose as a CSC view: the M-step's product scatters each item's
        # posterior into its judgements' rows, reading the posteriors in order
        one_hot_t = one_hot.T
        # each annotator's rows summed per class: the confusion rows' denominators
        by_annotator = sp.csr_matrix((np.ones(observed.size), (owner, np.arange(observed.size))),
                                     shape=(n_annotators, observed.size))
        # class totals as a product: the same sequential sum as ``current.sum(axis=0)``,
        # whose reduction over a short last axis is several times slower
        all_items = sp.csr_matrix(np.ones((1, n_items)) if weights is None else weights[None, :])
        votes = np.bincount(item_index * n_labels + label_code, minlength=n_items * n_labels)
        posteriors = vote_shares(votes.reshape(n_items, n_labels))  # majority-vote shares
        unvoted = posteriors.sum(axis=1) == 0
        posteriors[unvoted] = 1.0 / n_labels
        initial = posteriors
        floor = np.finfo(np.float64).tiny
        total_weight = max(float(weights.sum()), 1.0) if weights is not None else 1.0

        smoothing = self.smoothing
        by_likelihood = self.stop == "likelihood"

        def em_pass(current: np.ndarray) -> tuple[np.ndarray, float, tuple[np.ndarray, np.ndarray],
                                                  np.ndarray]:
            """One EM pass: M-step from ``current``, E-step; with the penalised
            log-likelihood of the M-step's parameters (what EM never lowers), or with
            ``stop="likelihood"`` the log-likelihood per unit of item weight.

            The confusion matrices are kept as their observed rows' log probabilities
            (observed row, class) and each annotator's per-class denominators; the full
            ``confusions_`` is built from them only when asked for."""
            counts = np.asarray(one_hot_t @ (current if weights is None else current * weights[:, None]))
            answered = np.asarray(by_annotator @ counts)
            answered += n_labels * smoothing  # every answer's row has the smoothing
            safe = np.maximum(answered, floor)
            counts += smoothing
            counts /= safe[owner]
            log_conf = np.log(np.maximum(counts, floor), out=counts)  # (observed row, class)
            class_mass = np.asarray(all_items @ current)[0] + smoothing
            priors = class_mass / class_mass.sum()
            # E-step: log prior plus each judgement's log probability under each class.
            log_prior = np.log(np.maximum(priors, floor))
            log_like = np.asarray(one_hot @ log_conf)
            log_like += log_prior
            top = _row_max(log_like)
            log_like -= top
            updated = np.exp(log_like, out=log_like)
            total = _row_sums(updated)
            updated /= total
            if by_likelihood:
                evidence = top[:, 0] + np.log(total[:, 0])
                per_weight = evidence.sum() if weights is None else evidence @ weights
                return updated, float(per_weight / total_weight), (log_conf, safe), priors
            # the penalty counts every cell: unobserved rows hold log(smoothing / answered)
            log_unseen = np.log(np.maximum(smoothing / safe, floor))
            penalty = log_conf.sum() + float(unanswered @ log_unseen.sum(axis=1)) + log_prior.sum()
            objective = float(top.sum() + np.log(total).sum() + smoothing * penalty)
            return updated, objective, (log_conf, safe), priors

        if self.accelerate:
            posteriors, confusions, priors, n_iter, converged, change = self._squarem(em_pass, initial)
        else:
            posteriors, confusions, priors, n_iter, converged, change = self._plain(em_pass, initial)
        self.posteriors_ = posteriors
        self.labels_ = np.argmax(posteriors, axis=1).astype(np.int64)
        log_conf, safe = confusions
        self._confusion_parts = (observed, np.exp(log_conf), safe)
        self.priors_ = priors
        self.n_iter_ = n_iter
        self.converged_ = converged
        self._change = change
        own_posterior = posteriors[item_index, label_code]
        done = np.bincount(annotator_index, minlength=n_annotators).astype(np.int64)
        if weights is not None:
            own_posterior = own_posterior * weights[item_index]
            done = np.bincount(annotator_index, weights=weights[item_index], minlength=n_annotators)
        correct = np.bincount(annotator_index, weights=own_posterior, minlength=n_annotators)
        with np.errstate(invalid="ignore", divide="ignore"):
            self.accuracies_ = np.where(done > 0, correct / done, np.nan)

    def _plain(self, em_pass: _Pass, posteriors: np.ndarray) -> _Fitted:
        """Plain EM until the posteriors or the likelihood (``stop``) settle within ``tol``."""
        previous, change = -np.inf, np.inf
        for n_iter in range(1, self.max_iter + 1):
            updated, measure, confusions, priors = em_pass(posteriors)
            if self.stop == "likelihood":
                change, previous = abs(measure - previous), measure
                converged = change < self.tol
            else:
                change = _largest_magnitude(updated - posteriors) if updated.size else 0.0
                converged = change <= self.tol
            posteriors = updated
            if converged:
                return posteriors, confusions, priors, n_iter, True, change
        return posteriors, confusions, priors, self.max_iter, False, change

    def _squarem(self, em_pass: _Pass, initial: np.ndarray) -> _Fitted:
        """SQUAREM-accelerated EM until no posterior moves by more than ``tol`` in a pass."""
        posteriors = initial
        posteriors, _, confusions, priors = em_pass(posteriors)
        change = float(np.abs(posteriors - initial).max())
        n_iter, converged = 1, change <= self.tol
        # SQUAREM (Varadhan & Roland 2008), with the defaults of its authors' package:
        # two EM passes give a direction; a step along it, at most ``step_max`` (which
        # grows 4-fold each time it is used), is kept unless the objective falls by more
        # than 1 (else halfway back to plain EM, three times at most); then one more
        # pass. EM alone creeps on crowd data (hundreds of passes); the fixed point and
        # the stopping rule (no posterior moves more than tol in one pass) are EM's.
        step_max = 1.0
        scratch = np.empty_like(posteriors)  # one working array for the SQUAREM steps
        while not converged and n_iter < self.max_iter:
            first, _, conf1, pri1 = em_pass(posteriors)
            n_iter += 1
            step = first - posteriors
            change = _largest_magnitude(step)
            if change <= self.tol or n_iter >= self.max_iter:
                posteriors, confusions, priors, converged = first, conf1, pri1, change <= self.tol
                break
            second, objective, conf2, pri2 = em_pass(first)
            n_iter += 1
            change = _largest_magnitude(np.subtract(second, first, out=scratch))
            if change <= self.tol or n_iter >= self.max_iter:
                posteriors, confusions, priors, converged = second, conf2, pri2, change <= self.tol
                break
            # curve = second - 2 first + posteriors, in place (the same operations)
            curve = np.multiply(first, 2.0)
            np.subtract(second, curve, out=curve)
            curve += posteriors
            norm = float(np.sqrt(np.square(curve, out=scratch).sum()))
            alpha = float(np.sqrt(np.square(step, out=scratch).sum())) / norm if norm > 0 else 1.0
            alpha = min(max(alpha, 1.0), step_max)
            start, posteriors, confusions, priors = posteriors, second, conf2, pri2
            for _ in range(_SQUAREM_BACKTRACKS):
                if n_iter >= self.max_iter:
                    break
                # max(start + 2 alpha step + alpha^2 curve, 0), in place (the same operations)
                trial = np.multiply(step, 2 * alpha)
                trial += start
                trial += np.multiply(curve, alpha * alpha, out=scratch)
                np.maximum(trial, 0.0, out=trial)
                trial /= _row_sums(trial)  # the same sums as trial.sum(axis=1, keepdims=True)
                third, trial_objective, conf3, pri3 = em_pass(trial)
                n_iter += 1
                if trial_objective >= objective - _SQUAREM_OBJECTIVE_SLACK:
                    if alpha == step_max:
                        step_max *= 4.0
                    change = _largest_magnitude(np.subtract(third, trial, out=scratch))
                    posteriors, confusions, priors = third, conf3, pri3
                    converged = change <= self.tol
                    break
                if alpha == step_max:
                    step_max = max(1.0, step_max / 4.0)
                alpha = 1.0 + (alpha - 1.0) / 2.0  # halfway back to the plain EM step
        return posteriors, confusions, priors, n_iter, converged, change

    @property
    def confusions_(self) -> npt.NDArray[np.float64]:
        """Confusion matrices, shape (n_annotators, n_labels, n_labels): ``[j, c, k]`` is
        the probability that annotator ``j`` answers ``k`` when the true class is ``c``.

        Built on each access from the observed rows that EM works on (it holds
        n_annotators x n_labels**2 floats: 1.4 GB for 8,000 annotators and 150 labels)."""
        self._check_fitted()
        observed, rows, safe = self._confusion_parts
        n_annotators, n_labels = safe.shape
        dense = np.empty((n_annotators, n_labels, n_labels))  # (j, k, c) while filled
        dense[...] = (self.smoothing / safe)[:, None, :]
        dense.reshape(n_annotators * n_labels, n_labels)[observed] = rows
        return np.ascontiguousarray(dense.transpose(0, 2, 1))

    def fit_predict(self, data: AnnotationDataset | ReliabilityData) -> npt.NDArray[np.int64]:
        """Fit and return the most probable class index per item, shape (n_items,)."""
        return self.fit(data).labels_

    def _check_fitted(self) -> None:
        if not hasattr(self, "posteriors_"):
            raise NotFittedError(
                "This DawidSkene instance is not fitted yet. Call 'fit' with the dataset "
                "before using this method"
            )

    def posterior_margin(self) -> npt.NDArray[np.float64]:
        """Top-1 minus top-2 posterior per item, shape (n_items,); 0 = a coin toss.

        Examples
        --------
        >>> model = DawidSkene()
        >>> model.posteriors_ = np.array([[0.7, 0.2, 0.1], [0.5, 0.5, 0.0]])
        >>> model.posterior_margin().round(2).tolist()
        [0.5, 0.0]
        >>> DawidSkene().posterior_margin()
        Traceback (most recent call last):
        ...
        analysis.base.errors.NotFittedError: This DawidSkene instance is not fitted yet. Call 'fit' with the dataset before using this method.
        """
        self._check_fitted()
        top_two = np.sort(self.posteriors_, axis=1)[:, -2:]
        if top_two.shape[1] < 2:
            return np.ones(top_two.shape[0])
        return top_two[:, 1] - top_two[:, 0]
