"""Ambiguity clusters: groups of similar items annotators split on, each a rule to write."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis.clusters import (
    DEFAULT_MIN_DISAGREEMENT,
    AmbiguityCluster,
    ClusterResult,
    LabelPair,
    find_ambiguity_clusters,
)
from analysis.clusters.result import CampSide
from analysis.data.dataset import AnnotationDataset
from analysis.data.schema import TEXT
from analysis.embeddings import DEFAULT_MODEL
from dashboard import charts
from dashboard.cluster_figure import BROAD, NO_CLUSTER, cluster_map_figure
from dashboard.components.feedback import render_text_reading, table_with_texts
from dashboard.components.notes import warning_text
from dashboard.components.tables import data_table
from dashboard.components.text import md
from dashboard.i18n import current_language, t
from dashboard.state import pipeline, resources, session

MAX_CARDS = 5  # the largest clusters as cards; the rest through a picker, so the page stays short
MAX_LEGEND = 13
MAX_PAIRS = 4
MAX_BROAD_EXAMPLES = 8
GUIDELINES_PAGE = Path(__file__).resolve().parent / "guidelines.py"


def _settings(table: pd.DataFrame) -> tuple[str, str, float]:
    backends, default_backend = resources.embedding_backends(), resources.default_backend(table[TEXT])
    left, middle, right = st.columns([2, 2, 2])
    backend = left.selectbox(
        t("clusters.backend"), backends, index=backends.index(default_backend),
        format_func=lambda name: t(f"clusters.backend.{name}"), key="cluster_backend",
    )
    with left:
        resources.render_backend_note()  # only where torch is not installed (the demo deploy set)
    model = middle.text_input(
        t("clusters.model"), value="", placeholder=DEFAULT_MODEL, key="cluster_model",
        disabled=backend != "transformer", help=t("clusters.model_help"),
    )
    threshold = right.slider(
        t("clusters.min_disagreement"), 0.0, 0.9, value=float(DEFAULT_MIN_DISAGREEMENT), step=0.05,
        key="cluster_min_disagreement", help=t("clusters.min_disagreement_help"),
    )
    return backend, model.strip() if backend == "transformer" else "", float(threshold)


def _run(dataset: AnnotationDataset, backend: str, model: str, threshold: float) -> ClusterResult:
    bar = st.progress(0.0, text=t("clusters.loading_model"))
    embedder = resources.embedder(backend, model or None)

    def progress(done: int, total: int) -> None:
        bar.progress(min(1.0, done / total) if total else 1.0, text=t("clusters.embedding", done=done, total=total))

    result = find_ambiguity_clusters(
        dataset, embedder=embedder, min_disagreement=threshold, seed=session.seed(), progress=progress
    )
    bar.empty()
    return result


def render_card(cluster: AmbiguityCluster, *, language: str) -> None:
    """One cluster: label pairs, terms, examples, drafted rule, and the way to a rule."""
    with st.container(border=True):
        st.markdown(
            t("clusters.card_title", id=cluster.id, size=len(cluster.item_ids), kind=t(f"clusters.kind.{cluster.kind}"))
        )
        pairs = " · ".join(f"{md(p.labels[0])} ↔ {md(p.labels[1])} ({p.share:.0%})" for p in cluster.label_pairs[:MAX_PAIRS])
        if len(cluster.label_pairs) > MAX_PAIRS:
            pairs += " · " + t("clusters.more_pairs", count=len(cluster.label_pairs) - MAX_PAIRS)
        st.markdown(f"**{t('clusters.pairs')}**: {pairs}")
        if cluster.label_shares:
            shares = " · ".join(f"{md(s.label)} {s.share:.0%} ({s.votes})" for s in cluster.label_shares)
            st.markdown(f"**{t('clusters.label_shares')}**: {shares}")
        if cluster.reliable is not None:
            reliable = cluster.reliable
            text = t("clusters.reliable_none") if not reliable.votes else t(
                "clusters.reliable_text", label=md(reliable.label), share=reliable.share, votes=reliable.votes,
                clarity=t(f"clusters.clarity.{reliable.clarity}"),
            )
            st.markdown(f"**{t('clusters.reliable')}**: {text}")
        if cluster.decision_needed and cluster.kind != "no_label_fits":
            st.warning(t("clusters.decision_needed") if cluster.draft_basis == "reliable_split"
                       else t(f"clusters.basis.{cluster.draft_basis}"))
        st.caption(t(f"clusters.basis.{cluster.draft_basis}") + " · "
                   + t("clusters.coherence", value=cluster.coherence, quiet=cluster.n_quiet))
        if cluster.camp_sides:
            sides = " · ".join(
                t("clusters.camp_side", annotators=md(", ".join(side.annotators[:4])), label=md(side.label),
                  share=side.share, votes=side.votes)
                for side in cluster.camp_sides
            )
            st.markdown(f"**{t('clusters.camps')}**: {sides}")
        st.markdown(f"**{t('clusters.terms')}**: {md(', '.join(cluster.keywords))}")
        if cluster.terms_vs_clear:
            st.markdown(f"**{t('clusters.terms_vs_clear')}**: {md(', '.join(cluster.terms_vs_clear))}")
        if cluster.terms_vs_disagreed:
            st.markdown(f"**{t('clusters.terms_vs_disagreed')}**: {md(', '.join(cluster.terms_vs_disagreed))}")
        if cluster.side_examples:
            st.markdown(f"**{t('clusters.side_examples')}**")
            sides = st.columns(len(cluster.side_examples))
            for column, (label, examples) in zip(sides, cluster.side_examples.items(), strict=True):
                column.markdown(f"**{md(label)}**")
                for example in examples:
                    column.text(f"{example.item_id}: {example.text}\n    {example.votes}")
        if cluster.contradicting:
            with st.expander(t("clusters.contradicting", other=cluster.other_label, count=cluster.n_contradicting)):
                for example in cluster.contradicting:
                    st.text(f"{example.item_id}: {example.text}\n    {example.votes}")
        st.markdown(f"**{t('clusters.examples')}**")
        for example in cluster.examples:
            st.text(f"{example.item_id}: {example.text}\n    {example.votes}")
        if cluster.boundary_examples:
            with st.expander(t("clusters.boundary")):
                for example in cluster.boundary_examples:
                    st.text(f"{example.item_id}: {example.text}\n    {example.votes}")
        rule = cluster.draft_rule if language == "en" else _translated_rule(cluster)
        st.markdown(f"**{t('clusters.draft_rule')}**")
        st.text(rule)
        if st.button(t("clusters.create_rule"), key=f"create_rule_{cluster.id}"):
            session.set_guideline_draft(cluster.to_dict() | {"draft_rule": rule})
            st.switch_page(GUIDELINES_PAGE)


def _translated_rule(cluster: AmbiguityCluster) -> str:
    """The drafted rule in the interface language (the same evidence as the English one)."""
    terms = ", ".join(cluster.rule_terms or (cluster.terms_vs_clear or cluster.keywords)[:3])
    if cluster.kind == "no_label_fits":
        labels = ", ".join(s.label for s in cluster.label_shares[:4])
        return t("clusters.no_label_template", terms=terms, labels=labels)
    if cluster.draft_basis == "camps_split" and len(cluster.camp_sides) >= 2:
        a, b = _opposed_sides(cluster)
        return t("clusters.camps_template", terms=terms, camp_a=", ".join(a.annotators[:4]), label_a=a.label,
                 camp_b=", ".join(b.annotators[:4]), label_b=b.label)
    if cluster.draft_basis == "contradicted" and cluster.contradicting:
        example = cluster.contradicting[0].text
        return t("clusters.contradicted_template", terms=terms, preferred=cluster.preferred_label,
                 other=cluster.other_label, count=cluster.n_contradicting,
                 example=example if len(example) <= 80 else example[:80].rsplit(" ", 1)[0] + "…")
    if cluster.decision_needed:
        return t("clusters.decision_template", terms=terms, preferred=cluster.preferred_label,
                 other=cluster.other_label)
    return t("clusters.rule_template", terms=terms, preferred=cluster.preferred_label,
             other=cluster.other_label)


def _opposed_sides(cluster: AmbiguityCluster) -> tuple[CampSide, CampSide]:
    """The two camps whose sides the draft names (the first two with different labels)."""
    sides = list(cluster.camp_sides)
    first = sides[0]
    second = next((s for s in sides[1:] if s.label != first.label), sides[1])
    return first, second


def render_broad(result: ClusterResult) -> None:
    """Broad disagreement: items on a pair that form no theme, with no rule."""
    if not result.broad_disagreement:
        return
    texts = dict(zip(result.item_table["item_id"], result.item_table["text"], strict=True))
    with st.container(border=True):
        st.markdown(f"**{t('clusters.broad_title')}**")
        for group in result.broad_disagreement:
            a, b = (md(label) for label in group.labels)
            st.markdown(t("clusters.broad_text", size=group.size, a=a, b=b))
            with st.expander(t("clusters.broad_examples")):
                for item in group.item_ids[:MAX_BROAD_EXAMPLES]:
                    st.text(f"{item}: {texts.get(item, '')}")


def render_result(result: ClusterResult) -> None:
    """The 2-D map, the cluster cards and the broad disagreement."""
    for warning in result.warnings:
        st.warning(warning_text(warning, current_language()))
    render_text_reading(result.text_reading)
    table = result.item_table
    clustered = int((table["cluster"] >= 0).sum()) if len(table) else 0
    st.caption(t("clusters.summary", clusters=len(result.clusters), items=len(table) - result.n_quiet_members,
                 clustered=clustered, quiet=result.n_quiet_members, model=md(result.model)))
    figure = cluster_map_figure(result, title=t("clusters.map"))
    names = {NO_CLUSTER: t("clusters.no_cluster"), BROAD: t("clusters.broad")}
    for trace in figure.data:
        name = str(trace.name)
        trace.name = names.get(name, name.replace("cluster", t("clusters.cluster")))
    figure.update_layout(showlegend=len(figure.data) <= MAX_LEGEND)  # hover still names each cluster
    if len(table):
        st.plotly_chart(charts.styled(figure, height=480), config=charts.CONFIG)
    if not result.clusters:
        if result.note_code:
            st.info(t(f"clusters.note.{result.note_code}", items=len(table) - result.n_quiet_members))
        else:
            st.info(t("clusters.none"))
        render_broad(result)
        return
    render_summary(result.clusters)
    language = current_language()
    for cluster in result.clusters[:MAX_CARDS]:
        render_card(cluster, language=language)
    render_broad(result)
    rest = {cluster.id: cluster for cluster in result.clusters[MAX_CARDS:]}
    if rest:
        picked = st.selectbox(
            t("clusters.more", count=len(rest)), list(rest), index=None, key="cluster_more",
            format_func=lambda cid: t(
                "clusters.option", id=cid, size=len(rest[cid].item_ids), kind=t(f"clusters.kind.{rest[cid].kind}")
            ),
        )  # fmt: skip
        if picked is not None:
            render_card(rest[picked], language=language)


def _pair_text(pair: LabelPair) -> str:
    return f"{pair.labels[0]} ↔ {pair.labels[1]} ({pair.share:.0%})"


def render_summary(clusters: Sequence[AmbiguityCluster]) -> None:
    """Every cluster in one table: size, kind, the most confused pair and its terms."""
    rows = [
        {
            "cluster": cluster.id,
            "size": len(cluster.item_ids),
            "kind": t(f"clusters.kind.{cluster.kind}"),
            "pair": _pair_text(cluster.label_pairs[0]) if cluster.label_pairs else "",
            "terms": ", ".join(cluster.keywords[:5]),
        }
        for cluster in clusters
    ]
    frame = pd.DataFrame(rows)
    config = {column: st.column_config.Column(t(f"clusters.col.{column}")) for column in frame.columns}
    config["terms"] = st.column_config.TextColumn(t("clusters.col.terms"), width="large")
    data_table(frame, hide_index=True, column_config=config, height=min(400, 36 * (len(frame) + 1) + 2))
    st.caption(t("clusters.cards_note", shown=min(MAX_CARDS, len(rows)), total=len(rows)))


def render() -> None:
    """Draw the page."""
    st.title(t("clusters.title"))
    st.caption(t("clusters.intro"))
    table = table_with_texts(pipeline.current_table())
    if table is None:
        return
    backend, model, threshold = _settings(table)
    settings = (backend, model, threshold)
    if st.button(t("clusters.run"), type="primary", key="cluster_run"):
        session.save_clusters(_run(pipeline.current_dataset(), backend, model, threshold), settings)
    saved = session.saved_clusters()
    if saved is None:
        st.info(t("clusters.press_run"))
        return
    result, computed_with = saved
    if computed_with != settings:
        st.caption(t("clusters.stale"))
    render_result(result)


render()
