"""The pairwise kappa view, readable from 3 annotators to 800.

A crowd export has hundreds of annotators and each pair shares a handful of items, so a
full annotators x annotators heatmap is a wall of blank cells and noise. The view shows:

* the N annotators (25 by default) with the most pairs that share at least
  :data:`MIN_PAIR_ITEMS` items, plus any picked by name, ordered by camp when there are
  camps, else by average-linkage clustering of ``1 - kappa``, so annotators who agree sit
  together;
* only cells of pairs with at least :data:`MIN_PAIR_ITEMS` shared items (a kappa over
  fewer items has no interval); the blank cells are counted under the map;
* the pairs with the lowest kappa among those with enough shared items, as a table.

With more than N annotators the map is drawn on request (a toggle, on from the start when
there are camps to order it by): at crowd scale the lowest pairs and the count of pairs
with enough shared items come first, and the map of the best-paired few, a chart the
browser spends a good part of a second on, waits until it is asked for.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd
import streamlit as st

from analysis.metrics.intervals import MIN_ITEMS_FOR_CI
from analysis.report import AgreementReport
from dashboard import charts, views
from dashboard.components.cards import column_labels
from dashboard.components.tables import data_table
from dashboard.i18n import t

MIN_PAIR_ITEMS: Final = MIN_ITEMS_FOR_CI
DEFAULT_SHOWN: Final = 25
LOWEST_PAIRS: Final = 10
BUSIEST_KEY: Final = "annotators_busiest"
ALSO_KEY: Final = "annotators_also"
ALL_PAIRS_KEY: Final = "annotators_all_pairs"
MAP_KEY: Final = "annotators_kappa_map"


def well_paired(result: AgreementReport) -> list[str]:
    """Annotators by the number of pairs sharing at least ``MIN_PAIR_ITEMS`` items, then by
    judgements (most first)."""
    pairwise = result.pairwise
    names = pairwise.names
    enough = pairwise.pairs[pairwise.n >= MIN_PAIR_ITEMS]
    pairs = np.bincount(enough.ravel(), minlength=len(names))
    judgements = result.dataset.reliability.judgements_per_annotator()
    order = np.lexsort((-judgements, -pairs))
    return [names[i] for i in order]


def _clustered(kappa: pd.DataFrame) -> list[str]:
    """Names in average-linkage order of ``1 - kappa`` (a blank cell counts as no agreement)."""
    if len(kappa) < 3:
        return list(kappa.index)
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    distance = (1.0 - kappa.fillna(0.0).clip(-1.0, 1.0)).to_numpy(copy=True)
    np.fill_diagonal(distance, 0.0)
    order = leaves_list(linkage(squareform((distance + distance.T) / 2, checks=False), method="average"))
    return [kappa.index[i] for i in order]


def shown_annotators(result: AgreementReport) -> list[str]:
    """The annotators the heatmap shows: the best-paired N, plus any picked by name."""
    ranked = well_paired(result)
    if len(ranked) <= DEFAULT_SHOWN:
        return ranked
    left, right = st.columns([1, 2])
    count = left.number_input(t("annotators.busiest"), min_value=2, max_value=len(ranked),
                              value=DEFAULT_SHOWN, step=5, key=BUSIEST_KEY)
    chosen = ranked[: int(count)]
    also = right.multiselect(t("annotators.also_show"), sorted(ranked), key=ALSO_KEY)
    return chosen + [name for name in also if name not in chosen]


def render_pairwise(result: AgreementReport, camps: list[dict]) -> None:
    """Pairwise Cohen's kappa heatmap (see the module notes) and the lowest pairs."""
    pairwise = result.pairwise
    if not len(pairwise.pairs) or result.dataset.reliability.n_annotators < 2:
        st.info(t("annotators.no_pairs"))
        return
    total = len(pairwise.names)
    enough = int((pairwise.n >= MIN_PAIR_ITEMS).sum())
    if total > DEFAULT_SHOWN and not st.toggle(  # drawn at once where camps order it
            t("annotators.show_kappa_map", shown=DEFAULT_SHOWN, total=f"{total:,}"), value=bool(camps), key=MAP_KEY):
        st.caption(t("annotators.pairs_enough", minimum=MIN_PAIR_ITEMS, enough=f"{enough:,}",
                     pairs=f"{len(pairwise.pairs):,}"))
        render_lowest_pairs(result)
        return
    shown = shown_annotators(result)
    kappa, overlap = pairwise.matrices(shown)
    thin = (overlap < MIN_PAIR_ITEMS).to_numpy() & (overlap > 0).to_numpy()
    kappa = kappa.mask(overlap < MIN_PAIR_ITEMS)
    blank = int(np.triu(thin, 1).sum())
    if camps:
        ordered, camp_of = views.camp_order(list(kappa.index), camps)
        names = {name: f"{name} · {t('annotators.camp_short', number=camp_of[name])}" for name in camp_of}
        kappa = kappa.loc[ordered, ordered].rename(index=names, columns=names)
        overlap = overlap.loc[ordered, ordered].rename(index=names, columns=names)
    else:
        ordered = _clustered(kappa)
        kappa, overlap = kappa.loc[ordered, ordered], overlap.loc[ordered, ordered]
    st.plotly_chart(
        charts.heatmap(kappa, title=t("annotators.pairwise"), x_title=t("annotators.annotator"),
                       y_title=t("annotators.annotator"), hover=overlap, hover_name=t("annotators.overlap"),
                       zmin=-1.0, zmax=1.0, colorscale=charts.DIVERGING),
        config=charts.CONFIG,
    )
    st.caption(t("annotators.pairwise_subset", shown=f"{len(shown):,}", total=f"{total:,}",
                 minimum=MIN_PAIR_ITEMS, blank=f"{blank:,}", enough=f"{enough:,}",
                 pairs=f"{len(pairwise.pairs):,}"))
    render_lowest_pairs(result)


def lowest_pairs(result: AgreementReport) -> pd.DataFrame:
    """Pairs sharing at least ``MIN_PAIR_ITEMS`` items, lowest kappa first."""
    pairwise = result.pairwise
    keep = (pairwise.n >= MIN_PAIR_ITEMS) & np.isfinite(pairwise.kappa)
    names = np.asarray(pairwise.names, dtype=object)
    frame = pd.DataFrame({
        "annotator_a": names[pairwise.pairs[keep, 0]],
        "annotator_b": names[pairwise.pairs[keep, 1]],
        "items": pairwise.n[keep].astype(np.int64),
        "cohen_kappa": pairwise.kappa[keep],
    })
    return frame.sort_values(["cohen_kappa", "items"], ascending=[True, False], kind="stable").reset_index(drop=True)


def render_lowest_pairs(result: AgreementReport) -> None:
    """The pairs that agree least (with enough shared items); all of them on request."""
    frame = lowest_pairs(result)
    if frame.empty:
        st.caption(t("annotators.no_enough_pairs", minimum=MIN_PAIR_ITEMS))
        return
    st.markdown(f"**{t('annotators.lowest_pairs', minimum=MIN_PAIR_ITEMS)}**")
    everything = len(frame) > LOWEST_PAIRS and st.toggle(
        t("annotators.all_pairs", total=f"{len(frame):,}"), key=ALL_PAIRS_KEY)
    shown = frame if everything else frame.head(LOWEST_PAIRS)
    data_table(shown, hide_index=True, column_config=column_labels(shown))
