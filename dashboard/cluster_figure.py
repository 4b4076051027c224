"""The cluster map: one point per disagreed item, coloured by cluster."""

from __future__ import annotations

import html
from typing import Any

from analysis.clusters.result import ClusterResult


def cluster_map_figure(result: ClusterResult, *, title: str = "Ambiguity clusters") -> Any:
    """A plotly scatter of the 2-D map; hover shows the (escaped) text and the votes.

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
    figure = go.Figure()
    for cluster in sorted(set(table["cluster"].tolist())):
        part = table[table["cluster"] == cluster]
        hover = [
            f"{html.escape(str(i))}<br>{html.escape(str(t)[:200])}<br>{html.escape(str(v))}"
            for i, t, v in zip(part["item_id"], part["text"], part["votes"], strict=True)
        ]
        figure.add_trace(
            go.Scatter(
                x=part["x"],
                y=part["y"],
                mode="markers",
                name="no cluster" if cluster < 0 else f"cluster {cluster}",
                text=hover,
                hovertemplate="%{text}<extra></extra>",
                marker={"size": 7, "opacity": 0.5 if cluster < 0 else 0.85},
            )
        )
    figure.update_layout(title=title, xaxis_title="", yaxis_title="", legend_title="cluster")
    return figure
