"""One colour per label, the same on every chart, safe for colour-blind readers.

Colours come from the Okabe-Ito palette (Okabe & Ito, 2008, "Color Universal Design")
followed by the extra hues of Tableau's *Color Blind 10*. They are assigned to labels in
sorted order, so a label keeps its colour whatever chart, page or subset shows it, and two
datasets with the same label set look the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

OKABE_ITO: Final[tuple[str, ...]] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
)
TABLEAU_COLORBLIND_EXTRA: Final[tuple[str, ...]] = (
    "#ABABAB",
    "#595959",
    "#5F9ED1",
    "#C85200",
    "#898989",
    "#A2C8EC",
    "#FFBC79",
    "#CFCFCF",
)
LABEL_PALETTE: Final[tuple[str, ...]] = OKABE_ITO + TABLEAU_COLORBLIND_EXTRA
NO_LABEL_COLOR: Final = "#BBBBBB"


def label_colors(labels: Iterable[str]) -> dict[str, str]:
    """Map every label to its colour, assigned in sorted label order.

    Beyond 16 labels the palette repeats; such charts should be read with their legend.

    Parameters
    ----------
    labels : iterable of str
        The labels to colour (duplicates and order do not matter).

    Returns
    -------
    dict of str to str
        Hex colour per label, in sorted label order.

    Examples
    --------
    >>> label_colors(["spam", "ham", "spam"])
    {'ham': '#E69F00', 'spam': '#56B4E9'}
    >>> label_colors(["b", "a"]) == label_colors(["a", "b"])
    True
    """
    ordered = sorted({str(label) for label in labels})
    return {label: LABEL_PALETTE[i % len(LABEL_PALETTE)] for i, label in enumerate(ordered)}
