"""Interpretation bands for agreement coefficients, with their published sources.

Bands are conventions, not laws: the report always shows the number and its interval,
and the band only as a reading aid with the source it comes from.

* Kappa-type coefficients (Cohen, Light, Fleiss, Gwet's AC1/AC2, kappa against the
  consensus): Landis, J. R. & Koch, G. G. (1977). The measurement of observer agreement
  for categorical data. *Biometrics* 33(1), 159-174.
* Krippendorff's alpha: Krippendorff, K. (2004). *Content Analysis: An Introduction to
  Its Methodology* (2nd ed.), p. 241: rely on variables with alpha >= .800, draw only
  tentative conclusions for .667 <= alpha < .800, discard data below .667.
* Percent agreement has no accepted band (it ignores agreement expected by chance).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

BandFamily = Literal["kappa", "alpha"]

LANDIS_KOCH_1977 = (
    "Landis & Koch (1977), The measurement of observer agreement for categorical data, "
    "Biometrics 33(1):159-174"
)
KRIPPENDORFF_2004 = (
    "Krippendorff (2004), Content Analysis: An Introduction to Its Methodology, 2nd ed., p. 241"
)


@dataclass(frozen=True)
class Band:
    """One interval of an interpretation scale.

    Attributes
    ----------
    label : str
        The reading, e.g. ``"moderate"``.
    lower, upper : float
        The band covers ``lower <= value < upper`` (the top band includes 1).
    source : str
        The publication the band comes from.
    """

    label: str
    lower: float
    upper: float
    source: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``{"label", "lower", "upper", "source"}``."""
        return {"label": self.label, "lower": self.lower, "upper": self.upper,
                "source": self.source}


KAPPA_BANDS: tuple[Band, ...] = (
    Band("poor", -1.0, 0.0, LANDIS_KOCH_1977),
    Band("slight", 0.0, 0.21, LANDIS_KOCH_1977),
    Band("fair", 0.21, 0.41, LANDIS_KOCH_1977),
    Band("moderate", 0.41, 0.61, LANDIS_KOCH_1977),
    Band("substantial", 0.61, 0.81, LANDIS_KOCH_1977),
    Band("almost perfect", 0.81, 1.0, LANDIS_KOCH_1977),
)
ALPHA_BANDS: tuple[Band, ...] = (
    Band("unreliable: discard", -1.0, 0.667, KRIPPENDORFF_2004),
    Band("tentative conclusions only", 0.667, 0.800, KRIPPENDORFF_2004),
    Band("reliable", 0.800, 1.0, KRIPPENDORFF_2004),
)
SCALES: dict[str, tuple[Band, ...]] = {"kappa": KAPPA_BANDS, "alpha": ALPHA_BANDS}

# Which scale reads which overall metric; metrics absent here get no band.
METRIC_FAMILY: dict[str, BandFamily] = {
    "cohen_kappa": "kappa",
    "mean_pairwise_cohen_kappa": "kappa",
    "fleiss_kappa": "kappa",
    "gwet_ac1": "kappa",
    "gwet_ac2": "kappa",
    "kappa_vs_consensus": "kappa",
    "krippendorff_alpha": "alpha",
    "alpha_without": "alpha",
}


def interpret(value: float | None, family: BandFamily) -> Band | None:
    """The band ``value`` falls in, or ``None`` for an undefined value.

    Values below -1 fall in the lowest band (alpha can go below -1 with systematic
    disagreement).

    Examples
    --------
    >>> interpret(0.43, "kappa").label
    'moderate'
    >>> interpret(0.743, "alpha").label
    'tentative conclusions only'
    >>> interpret(None, "alpha") is None
    True
    """
    if value is None:
        return None
    scale = SCALES[family]
    for band in scale:
        if value < band.upper:
            return band
    return scale[-1]


def interpret_metric(name: str, value: float | None) -> Band | None:
    """The band for a named metric (see ``METRIC_FAMILY``), or ``None``.

    Examples
    --------
    >>> interpret_metric("krippendorff_alpha", 0.85).label
    'reliable'
    >>> interpret_metric("percent_agreement", 0.9) is None
    True
    """
    family = METRIC_FAMILY.get(name)
    return None if family is None else interpret(value, family)
