"""Plotly figures for the pages: one look, one colour per label, Korean-capable fonts.

Plotly draws text with the browser's fonts, so the font family lists the common Korean
faces first; the label colours come from :func:`dashboard.palette.label_colors`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import pandas as pd
import plotly.graph_objects as go

from dashboard.palette import label_colors

FONT_FAMILY: Final = (
    '"Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", "Apple SD Gothic Neo", sans-serif'
)
SEQUENTIAL: Final = "Viridis"  # perceptually uniform and colour-blind safe
DIVERGING: Final = "RdBu"
CONFIG: Final[dict[str, object]] = {"displaylogo": False}
MAX_CURVE_POINTS: Final = 300
MAX_WRITTEN_ROWS: Final = 15


def styled(figure: go.Figure, *, height: int | None = None) -> go.Figure:
    """Apply the dashboard's font and margins to ``figure`` (in place) and return it."""
    figure.update_layout(
        font={"family": FONT_FAMILY},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"title": {"text": ""}},
    )
    if height is not None:
        figure.update_layout(height=height)
    return figure


def label_bars(counts: pd.Series, *, title: str, x_title: str, all_labels: Sequence[str],
               order: Sequence[str] | None = None) -> go.Figure:
    """Horizontal bars of a count per label, each bar in its label's colour.

    Labels are categories on the axis (``"0"`` ... ``"5"`` too, never a continuous range).

    Parameters
    ----------
    counts : Series
        Count per label (index = label).
    all_labels : sequence of str
        Every label of the dataset, so colours match the other charts.
    order : sequence of str, optional
        Scale order from low to high (ordinal and above), drawn from the top down;
        by default the bars are sorted by count.
    """
    colours = label_colors(all_labels)
    if order is not None:
        counts = counts.copy()
        counts.index = counts.index.astype(str)
        ordered = counts.reindex([str(label) for label in order][::-1]).dropna()
    else:
        ordered = counts.sort_values()
    figure = go.Figure(
        go.Bar(
            x=ordered.to_numpy(),
            y=[str(label) for label in ordered.index],
            orientation="h",
            marker_color=[colours.get(str(label), "#BBBBBB") for label in ordered.index],
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    figure.update_layout(title=title, xaxis_title=x_title)
    figure.update_yaxes(type="category", categoryorder="array",
                        categoryarray=[str(label) for label in ordered.index])
    return styled(figure, height=max(240, 28 * len(ordered) + 80))


def heatmap(
    matrix: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    y_title: str,
    hover: pd.DataFrame | None = None,
    hover_name: str = "",
    value_format: str = ".2f",
    zmin: float | None = None,
    zmax: float | None = None,
    colorscale: str = SEQUENTIAL,
) -> go.Figure:
    """A labelled heatmap of ``matrix`` with its values written in the cells.

    ``hover`` (same shape) adds a second number to each cell's hover text, e.g. the
    number of items two annotators share.
    """
    # values in the cells while they stay legible; beyond that the hover says them
    written = len(matrix.index) <= MAX_WRITTEN_ROWS
    text = matrix.map(lambda v: "" if pd.isna(v) or not written else format(float(v), value_format))
    custom = None
    template = f"{y_title}: %{{y}}<br>{x_title}: %{{x}}<br>%{{z:{value_format}}}"
    if hover is not None:
        custom = hover.reindex(index=matrix.index, columns=matrix.columns).to_numpy()
        template += f"<br>{hover_name}: %{{customdata}}"
    figure = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(dtype=float),
            x=[str(c) for c in matrix.columns],
            y=[str(r) for r in matrix.index],
            text=text.to_numpy(),
            texttemplate="%{text}",
            customdata=custom,
            hovertemplate=template + "<extra></extra>",
            colorscale=colorscale,
            zmin=zmin,
            zmax=zmax,
        )
    )
    figure.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title)
    # labels such as "0" ... "5" stay categories in the given order, never a numeric axis
    figure.update_xaxes(type="category", categoryorder="array", categoryarray=[str(c) for c in matrix.columns])
    figure.update_yaxes(type="category", categoryorder="array", categoryarray=[str(r) for r in matrix.index],
                        autorange="reversed")
    side = max(320, 34 * len(matrix.index) + 120)
    return styled(figure, height=min(side, 900))


SEPARATE_CURVES: Final = 12


def _joined(groups: list[tuple[str, pd.DataFrame]], x: str, y: str) -> tuple[list, list, list]:
    """Several lines as one trace: their points with a gap (None) between lines, and each
    point's line name (for the hover)."""
    xs: list = []
    ys: list = []
    names: list = []
    for name, frame in groups:
        xs += [*frame[x].tolist(), None]
        ys += [*frame[y].tolist(), None]
        names += [name] * len(frame) + [None]
    return xs, ys, names


def fatigue_chart(
    curves: pd.DataFrame,
    lines: pd.DataFrame,
    *,
    flagged: Sequence[str],
    title: str,
    x_title: str,
    y_title: str,
    trend_name: str,
    flagged_suffix: str,
    others_name: str = "others",
    y: str = "rolling_agreement",
    fitted: str = "fitted_agreement",
    share: bool = True,
) -> go.Figure:
    """Rolling agreement per annotator with the fitted logistic trend drawn over it.

    Flagged annotators are drawn bold and named with ``flagged_suffix``; the others
    stay thin and faded, so the eye goes to whoever the test flagged. With more than
    ``SEPARATE_CURVES`` faded annotators they are drawn as one grey trace (named
    ``others_name``, each point's annotator in its hover): one trace per annotator costs
    the page a second at crowd scale and a legend nobody can read.

    Parameters
    ----------
    curves : DataFrame
        ``annotator``, ``position``, ``rolling_agreement``.
    lines : DataFrame
        ``annotator``, ``position``, ``fitted_agreement``
        (:func:`analysis.quality.fatigue_lines.fatigue_trend_lines`).
    y, fitted : str
        The curve and fitted-line columns (``rolling_distance`` / ``fitted_distance`` for
        the distance to the others at scale levels).
    share : bool
        Whether the y axis is a share in [0, 1] (agreement) or a free scale (distance).
    flagged : sequence of str
        Annotators flagged for fatigue.
    """
    curve_of = {str(name): frame for name, frame in curves.groupby(curves["annotator"].astype(str), sort=False)}
    line_of = {str(name): frame for name, frame in lines.groupby(lines["annotator"].astype(str), sort=False)}
    names = sorted(set(curve_of) | set(line_of))
    colours = label_colors(names)
    figure = go.Figure()
    any_flagged = bool(set(flagged) & set(names))
    faded = [name for name in names if any_flagged and name not in flagged]
    joined = len(faded) > SEPARATE_CURVES
    empty = pd.DataFrame({"position": [], y: [], fitted: []})

    def thinned(name: str) -> pd.DataFrame:
        curve = curve_of.get(name, empty)
        return curve.iloc[:: max(1, len(curve) // MAX_CURVE_POINTS)]  # a rolling mean is smooth: fewer points

    if joined:
        xs, ys, who = _joined([(name, thinned(name)) for name in faded], "position", y)
        figure.add_trace(go.Scatter(
            x=xs, y=ys, customdata=who, mode="lines", name=others_name, connectgaps=False,
            line={"color": "#9A9A9A", "width": 1.0}, opacity=0.45,
            hovertemplate="%{customdata}<br>%{x}: %{y:.2f}<extra></extra>"))
        xs, ys, who = _joined([(name, line_of[name]) for name in faded if name in line_of], "position", fitted)
        figure.add_trace(go.Scatter(
            x=xs, y=ys, customdata=who, mode="lines", name=f"{others_name} · {trend_name}", showlegend=False,
            connectgaps=False, line={"color": "#9A9A9A", "width": 1.2, "dash": "dash"}, opacity=0.6,
            hovertemplate=f"%{{customdata}} · {trend_name}<br>%{{x:.0f}}: %{{y:.2f}}<extra></extra>"))
    for name in names:
        if joined and name in faded:
            continue
        bold = name in flagged or not any_flagged  # nobody flagged: nobody faded
        colour = colours[name]
        shown = name + (f" {flagged_suffix}" if name in flagged else "")
        curve = thinned(name)
        figure.add_trace(
            go.Scatter(
                x=curve["position"], y=curve[y], mode="lines", name=shown,
                legendgroup=name, line={"color": colour, "width": 2.6 if bold else 1.2},
                opacity=1.0 if bold else 0.45,
                hovertemplate=f"{name}<br>%{{x}}: %{{y:.2f}}<extra></extra>",
            )
        )
        line = line_of.get(name)
        if line is not None and not line.empty:
            figure.add_trace(
                go.Scatter(
                    x=line["position"], y=line[fitted], mode="lines", name=f"{name} · {trend_name}",
                    legendgroup=name, showlegend=False,
                    line={"color": colour, "width": 3.0 if bold else 1.5, "dash": "dash"},
                    opacity=1.0 if bold else 0.6,
                    hovertemplate=f"{name} · {trend_name}<br>%{{x:.0f}}: %{{y:.2f}}<extra></extra>",
                )
            )
    figure.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title)
    if share:
        figure.update_yaxes(range=[0, 1.02], tickformat=".0%")
    else:
        figure.update_yaxes(rangemode="tozero")
    return styled(figure, height=420)
