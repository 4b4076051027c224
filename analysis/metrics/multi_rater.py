"""Multi-rater coefficients from votes per item: percent agreement, Fleiss' kappa,
Krippendorff's alpha and Gwet's AC1/AC2, plus their per-label (category) versions.

Every function takes per-pattern features (:class:`VoteFeatures`) and a weight array of
shape ``(n_patterns,)`` (the point estimate: pattern frequencies) or ``(b, n_patterns)``
(bootstrap replicates) and returns one value per weight row. Undefined values are NaN;
:mod:`analysis.metrics.overall` turns them into explained ``Metric.undefined`` results.

Definitions (``x_uc`` votes for label ``c`` on item ``u``, ``m_u`` judgements on ``u``;
only items with ``m_u >= 2`` are *pairable*):

* per-item agreement ``a_u = sum_c x_uc (x_uc - 1) / (m_u (m_u - 1))``: the share of
  ordered pairs of judgements on ``u`` that agree;
* percent agreement: the mean of ``a_u`` over pairable items (each item weighs the same);
* Fleiss' kappa: ``(P - Pe) / (1 - Pe)`` with ``P`` the percent agreement and
  ``Pe = sum_c p_c**2``, ``p_c`` the share of label ``c`` among all judgements on
  pairable items. With the same number of judgements per item this is exactly Fleiss
  (1971); with unequal numbers each item's agreement uses its own ``m_u``;
* Krippendorff's alpha: ``1 - (n - 1) sum o_ck d_ck / sum n_c n_k d_ck`` over the
  coincidence matrix ``o_ck = sum_u (x_uc x_uk - [c = k] x_uc) / (m_u - 1)``;
* Gwet's AC1/AC2 (Gwet 2008; Handbook, 4th ed., 2014): ``pa`` the mean over pairable
  items of ``sum_k x_uk (x*_uk - 1) / (m_u (m_u - 1))`` with ``x* = x W`` (weights),
  ``pe = T_w / (q (q - 1)) sum_k pi_k (1 - pi_k)``, ``pi_k`` the mean over items with
  a judgement of ``x_uk / m_u``, ``q`` the number of labels, ``T_w`` the sum of weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
import numpy.typing as npt

from analysis.metrics.levels import Level, agreement_weights, alpha_distance

FloatArray = npt.NDArray[np.float64]
_EPS = 1e-12


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """Elementwise division that yields NaN (silently) where the denominator is ~0."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast_shapes(numerator.shape, denominator.shape), np.nan)
    ok = np.abs(denominator) > _EPS
    np.divide(numerator, denominator, out=out, where=ok)
    return out


@dataclass(frozen=True, eq=False)
class VoteFeatures:
    """Per-pattern quantities every multi-rater coefficient is a weighted sum of.

    Build with :meth:`from_counts`; all arrays have n_patterns rows.
    """

    level: Level
    distance: FloatArray | None  # (L, L) alpha distance; None at ordinal level
    values: FloatArray
    pairable: FloatArray  # (P,) 1.0 where m_u >= 2
    has_any: FloatArray  # (P,) 1.0 where m_u >= 1
    pair_agreement: FloatArray  # (P,) a_u (0 where not pairable)
    pairable_counts: FloatArray  # (P, L) x_uc on pairable items
    shares: FloatArray  # (P, L) x_uc / m_u (0 where m_u == 0)
    gwet_pa: FloatArray  # (P,) weighted pa term per item
    gwet_weight_total: float
    observed_disagreement: FloatArray | None  # (P,) sum_ck o_uck d_ck, fixed distance
    coincidences: FloatArray | None  # (P, L*L) per-item coincidences, ordinal level
    class_disagreement: FloatArray  # (P, L) x(m - x) / (m (m - 1))
    specific_numerator: FloatArray  # (P, L) x (x - 1)
    specific_denominator: FloatArray  # (P, L) x (m - 1)
    binary_disagreement: FloatArray  # (P, L) 2 x (m - x) / (m - 1): one-vs-rest D_o

    @classmethod
    def from_counts(
        cls,
        counts: npt.NDArray[np.integer],
        *,
        level: Level = "nominal",
        values: FloatArray | None = None,
        gwet_level: Level = "nominal",
    ) -> VoteFeatures:
        """Features from votes per pattern and label, shape (n_patterns, n_labels)."""
        x = np.asarray(counts, dtype=float)
        n_labels = x.shape[1]
        values = np.arange(n_labels, dtype=float) if values is None else np.asarray(values, float)
        m = x.sum(axis=1)
        pairable = (m >= 2).astype(float)
        pair_pairs = np.where(pairable > 0, m * (m - 1), 1.0)
        pair_minus_one = np.where(pairable > 0, m - 1, 1.0)
        mask = pairable[:, None]
        pair_agreement = (x * (x - 1)).sum(axis=1) / pair_pairs * pairable
        shares = x / np.where(m > 0, m, 1.0)[:, None]
        weights = agreement_weights(gwet_level, values)
        weighted = x @ weights.T
        gwet_pa = (x * (weighted - 1)).sum(axis=1) / pair_pairs * pairable
        distance: FloatArray | None = None
        observed: FloatArray | None = None
        coincidences: FloatArray | None = None
        if level == "ordinal":
            outer = x[:, :, None] * x[:, None, :]
            outer[:, np.arange(n_labels), np.arange(n_labels)] -= x
            coincidences = (outer / pair_minus_one[:, None, None] * mask[:, :, None]).reshape(
                len(x), n_labels * n_labels
            )
        else:
            distance = alpha_distance(level, values)
            # the diagonal of the distance is 0, so the -[c = k] x_uc term drops out
            observed = np.einsum("uc,ck,uk->u", x, distance, x) / pair_minus_one * pairable
        rest = m[:, None] - x
        return cls(
            level=level,
            distance=distance,
            values=values,
            pairable=pairable,
            has_any=(m >= 1).astype(float),
            pair_agreement=pair_agreement,
            pairable_counts=x * mask,
            shares=shares,
            gwet_pa=gwet_pa,
            gwet_weight_total=float(weights.sum()),
            observed_disagreement=observed,
            coincidences=coincidences,
            class_disagreement=x * rest / pair_pairs[:, None] * mask,
            specific_numerator=x * (x - 1) * mask,
            specific_denominator=x * (m[:, None] - 1) * mask,
            binary_disagreement=2 * x * rest / pair_minus_one[:, None] * mask,
        )

    @property
    def n_labels(self) -> int:
        """Number of labels."""
        return self.pairable_counts.shape[1]


def percent_agreement(f: VoteFeatures, w: FloatArray) -> FloatArray:
    """Mean share of agreeing judgement pairs per pairable item."""
    return _ratio(w @ f.pair_agreement, w @ f.pairable)


def fleiss_kappa(f: VoteFeatures, w: FloatArray) -> FloatArray:
    """Fleiss' kappa (see the module notes for unequal numbers of judgements)."""
    observed = percent_agreement(f, w)
    totals = w @ f.pairable_counts
    proportions = _ratio(totals, totals.sum(axis=-1, keepdims=True))
    expected = (proportions**2).sum(axis=-1)
    return _ratio(observed - expected, 1.0 - expected)


def label_proportions(f: VoteFeatures, w: FloatArray) -> FloatArray:
    """``p_c``: share of each label among judgements on pairable items, shape (..., L)."""
    totals = w @ f.pairable_counts
    return _ratio(totals, totals.sum(axis=-1, keepdims=True))


def krippendorff_alpha(f: VoteFeatures, w: FloatArray) -> FloatArray:
    """Krippendorff's alpha at the features' level of measurement."""
    marginals = w @ f.pairable_counts  # n_c, shape (..., L)
    n = marginals.sum(axis=-1)
    if f.coincidences is not None:  # ordinal: the distance depends on the marginals
        shape = (*marginals.shape, f.n_labels)
        distance = alpha_distance("ordinal", f.values, marginals)
        observed = ((w @ f.coincidences).reshape(shape) * distance).sum(axis=(-2, -1))
        expected = np.einsum("...c,...ck,...k->...", marginals, distance, marginals)
    else:
        observed = w @ cast("FloatArray", f.observed_disagreement)
        expected = np.einsum("...c,ck,...k->...", marginals, f.distance, marginals)
    return 1.0 - _ratio((n - 1.0) * observed, expected)


def gwet_ac(f: VoteFeatures, w: FloatArray) -> FloatArray:
    """Gwet's AC1 (identity weights) or AC2 (the weights the features were built with)."""
    q = f.n_labels
    if q < 2:
        return np.full(np.shape(w)[:-1], np.nan)
    pa = _ratio(w @ f.gwet_pa, w @ f.pairable)
    pi = _ratio(w @ f.shares, (w @ f.has_any)[..., None])
    pe = f.gwet_weight_total / (q * (q - 1)) * (pi * (1 - pi)).sum(axis=-1)
    return _ratio(pa - pe, 1.0 - pe)


def fleiss_category_kappa(f: VoteFeatures, w: FloatArray) -> FloatArray:
    """Fleiss's (1971) category-specific kappa for every label, shape (..., L).

    ``kappa_c = 1 - mean_u[x_uc (m_u - x_uc) / (m_u (m_u - 1))] / (p_c (1 - p_c))``; the
    overall kappa is the ``p_c (1 - p_c)``-weighted mean of these.
    """
    disagreement = _ratio(w @ f.class_disagreement, (w @ f.pairable)[..., None])
    p = label_proportions(f, w)
    return 1.0 - _ratio(disagreement, p * (1.0 - p))


def specific_agreement(f: VoteFeatures, w: FloatArray) -> FloatArray:
    """Specific agreement per label, shape (..., L).

    Of all pairs of judgements on the same item in which at least the first says ``c``,
    the share where the second says ``c`` too: ``sum x(x-1) / sum x(m-1)``. With two
    annotators and two labels this is the positive agreement ``2a / (2a + b + c)``.
    """
    return _ratio(w @ f.specific_numerator, w @ f.specific_denominator)


def one_vs_rest_alpha(f: VoteFeatures, w: FloatArray) -> FloatArray:
    """Nominal Krippendorff's alpha for each label against all others, shape (..., L)."""
    positive = w @ f.pairable_counts
    n = positive.sum(axis=-1, keepdims=True)
    negative = n - positive
    observed = w @ f.binary_disagreement
    return 1.0 - _ratio((n - 1.0) * observed, 2.0 * positive * negative)


def coincidence_counts(counts: npt.NDArray[np.integer]) -> FloatArray:
    """Krippendorff's coincidence matrix ``o_ck`` from votes per item, shape (L, L).

    Examples
    --------
    >>> coincidence_counts(np.array([[2, 0], [1, 1], [1, 0]])).tolist()
    [[2.0, 1.0], [1.0, 0.0]]
    """
    x = np.asarray(counts, dtype=float)
    m = x.sum(axis=1)
    keep = m >= 2
    x, m = x[keep], m[keep]
    scaled = x / (m - 1)[:, None]
    return scaled.T @ x - np.diag(scaled.sum(axis=0))
