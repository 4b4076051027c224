"""The cluster map: one point per disagreed item, coloured by cluster.

Clusters take the colour-blind-safe palette's hues (the greys left out); items in no
cluster are small light-grey points and broad-disagreement items (on a pair, in no theme)
grey crosses, so neither can be mistaken for a cluster.
"""

from __future__ import annotations

import html
from typing import Any

from analysis.clusters.result import ClusterResult
from dashboard.palette import NO_LABEL_COLOR, OKABE_ITO, TABLEAU_COLORBLIND_EXTRA

CLUSTER_COLORS: tuple[str, ...] = tuple(
    c for c in OKABE_ITO + TABLEAU_COLORBLIND_EXTRA if c not in ("#ABABAB", "#595959", "#898989", "#CFCFCF")
)
"""Cluster hues: the palette without its greys (kept for "no cluster" and "broad")."""
BROAD_COLOR = "#7F7F7F"
NO_CLUSTER = "no cluster"
BROAD = "broad disagreement"


def cluster_map_figure(result: ClusterResult, *, title: str = "Ambiguity clusters") -> Any:
    """A plotly scatter of the 2-D map; hover shows the (escaped) text and the votes.

    Trace names are ``cluster N``, :data:`NO_CLUSTER` and :data:`BROAD` (the page
    translates them).

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> empty = ClusterResult((), pd.DataFrame(columns=["item_id", "cluster", "x", "y", "text",
    ...     "votes"]), pd.DataFrame(), "m", "transformer")
    >>> len(cluster_map_figure(empty).data)
    0
    """
    import plotly.graph_objects as go

    table = result.item_table
    broad = table["broad"].astype(bool) if "broad" in table else table["cluster"].map(lambda _: False)
    figure = go.Figure()
    groups = [(BROAD, table[broad]), (NO_CLUSTER, table[(table["cluster"] < 0) & ~broad])]
    groups += [(f"cluster {c}", table[table["cluster"] == c]) for c in sorted(set(table["cluster"].tolist())) if c >= 0]
    for name, part in groups:
        if part.empty:
            continue
        hover = [
            f"{html.escape(str(i))}<br>{html.escape(str(t)[:200])}<br>{html.escape(str(v))}"
            for i, t, v in zip(part["item_id"], part["text"], part["votes"], strict=True)
        ]
        if name == NO_CLUSTER:
            marker = {"size": 5, "opacity": 0.5, "color": NO_LABEL_COLOR}
        elif name == BROAD:
            marker = {"size": 6, "opacity": 0.6, "color": BROAD_COLOR, "symbol": "x"}
        else:
            number = int(name.split()[1])
            marker = {"size": 8, "opacity": 0.9, "color": CLUSTER_COLORS[number % len(CLUSTER_COLORS)]}
        figure.add_trace(
            go.Scatter(
                x=part["x"], y=part["y"], mode="markers", name=name, text=hover,
                hovertemplate="%{text}<extra></extra>", marker=marker,
            )
        )
    figure.update_layout(title=title, xaxis_title="", yaxis_title="", legend_title="cluster")
    return figure
