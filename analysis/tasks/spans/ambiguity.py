"""Span ambiguity: clusters of disagreed spans with their kind and a drafted rule.

Every disagreement between two annotators of a document is one *case*: a **boundary**
case (same type, overlapping, other boundaries) has the text one annotator included and
the other left out; a **type** case the two types; a **missed** case the span one marked
and the other did not. Cases are grouped by kind and type; within a group the case texts,
in their context, are embedded (character n-gram TF-IDF, offline, any script) and
clustered, so e.g. all "age range" boundary cases of Participants spans fall together.
Each cluster gets its distinctive words and a drafted rule, written in the direction most
annotators took ("include the age range ... in a Participants span"), for a guideline
author to edit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.base.particles import attach_particles
from analysis.data.judgements import SpanData
from analysis.messages import note
from analysis.tasks.spans.sample import overlapping_pairs

CASE_LIMIT = 5000
CLUSTER_SAMPLE = 300
CLUSTERS_PER_GROUP = 4
EXAMPLES = 3
CONTEXT = 40
WORD = re.compile(r"\w+")
STOP = frozenset(["a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by", "from", "as", "is", "are", "was", "were", "be", "this", "that", "these", "those"])


def _cases(data: SpanData) -> pd.DataFrame:
    """One row per disagreement between two annotators' spans (boundary and type), and
    per span that another annotator of the document did not overlap at all (missed)."""
    spans = data.spans.reset_index(drop=True)
    item_codes, item_names = pd.factorize(spans["item_id"])
    label_codes, label_names = pd.factorize(spans["label"])
    coded = pd.DataFrame({"doc": item_codes, "ann": pd.factorize(spans["annotator"])[0],
                          "start": spans["start"].to_numpy(), "end": spans["end"].to_numpy(),
                          "lab": label_codes, "sid": np.arange(len(spans))})
    # the spans that overlap, without comparing every two spans of a document
    first, second = overlapping_pairs(coded["doc"].to_numpy(np.int64), coded["start"].to_numpy(np.int64),
                                      coded["end"].to_numpy(np.int64))
    other = coded["ann"].to_numpy()[first] != coded["ann"].to_numpy()[second]
    first, second = first[other], second[other]
    everything = pd.concat([coded.iloc[first].reset_index(drop=True),
                            coded.iloc[second].drop(columns="doc").reset_index(drop=True)
                            .add_suffix("_b")], axis=1)
    items = np.asarray(item_names, dtype=object)
    names = np.asarray(label_names, dtype=object)
    joined = everything[everything["ann"] < everything["ann_b"]]
    exact = ((joined["start"] == joined["start_b"]) & (joined["end"] == joined["end_b"])
             & (joined["lab"] == joined["lab_b"]))
    joined = joined[~exact]
    joined = joined.assign(item_id=items[joined["doc"].to_numpy()],
                           label=names[joined["lab"].to_numpy()],
                           label_b=names[joined["lab_b"].to_numpy()])
    boundary = joined[joined["label"] == joined["label_b"]]
    rows: list[dict[str, Any]] = []
    for r in boundary.head(CASE_LIMIT).itertuples():
        outer = (min(r.start, r.start_b), max(r.end, r.end_b))
        inner = (max(r.start, r.start_b), min(r.end, r.end_b))
        side = "start" if outer[0] < inner[0] else "end"
        extra = (outer[0], inner[0]) if side == "start" else (inner[1], outer[1])
        rows.append({"kind": "boundary", "label": r.label, "item_id": r.item_id,
                     "start": outer[0], "end": outer[1], "extra_start": extra[0],
                     "extra_end": extra[1], "side": side, "other_label": r.label})
    typed = joined[joined["label"] != joined["label_b"]]
    for r in typed.head(CASE_LIMIT).itertuples():
        a, b = sorted((r.label, r.label_b))
        rows.append({"kind": "type", "label": a, "other_label": b, "item_id": r.item_id,
                     "start": min(r.start, r.start_b), "end": max(r.end, r.end_b),
                     "extra_start": max(r.start, r.start_b), "extra_end": min(r.end, r.end_b),
                     "side": ""})
    # missed: a span that some other annotator of the document overlapped with nothing
    seen_by = everything.groupby("sid")["ann_b"].nunique()
    others = spans["item_id"].map(data.judgements.groupby("item_id").size()) - 1
    lone = spans[seen_by.reindex(coded["sid"], fill_value=0).to_numpy() < others.to_numpy()]
    for r in lone.head(CASE_LIMIT).itertuples():
        rows.append({"kind": "missed", "label": r.label, "other_label": "", "item_id": r.item_id,
                     "start": r.start, "end": r.end, "extra_start": r.start,
                     "extra_end": r.end, "side": ""})
    return pd.DataFrame(rows)


def context_bounds(text: str, start: int, end: int, *, width: int = CONTEXT) -> tuple[int, int]:
    """``(low, high)`` around ``text[start:end]``: about ``width`` characters each side,
    cut at whitespace so that no word is cut in two (a word longer than the margin is
    kept whole or left out, never halved).

    Examples
    --------
    >>> text = "Adults aged 18-65 with moderate asthma and prostitutes and special groups"
    >>> low, high = context_bounds(text, 23, 38, width=12)
    >>> text[low:high]
    '18-65 with moderate asthma and'
    """
    low, high = max(0, start - width), min(len(text), end + width)
    if low > 0 and not text[low - 1].isspace():
        cut = next((k for k in range(low, start) if text[k].isspace()), start)
        low = cut + 1 if cut < start else start
    if high < len(text) and not text[high].isspace():
        cut = next((k for k in range(high - 1, end - 1, -1) if text[k].isspace()), end)
        high = cut
    return low, high


def _words(texts: list[str]) -> list[str]:
    counts: Counter[str] = Counter()
    for text in texts:  # sorted: ties keep one order whatever the hash seed
        counts.update(sorted({w for w in (x.casefold() for x in WORD.findall(text))
                              if w not in STOP and not w.isdigit()}))
    return [w for w, _ in counts.most_common(5)]


def _phrase(texts: list[str]) -> str:
    """The most common disputed text, digits shown as N (``aged N-N years``)."""
    shapes = Counter(re.sub(r"\d+", "N", " ".join(t.split())).strip(" ,.;") for t in texts)
    shapes.pop("", None)
    return shapes.most_common(1)[0][0] if shapes else "this text"


def rule_parts(kind: str, label: str, other: str, phrase: str, side: str,
               support: tuple[int, int]) -> dict[str, str]:
    """What a drafted span rule says, as data (the JSON's ``rule``; see :func:`rule_text`).

    ``action`` is ``include`` or ``leave_out`` (boundary: the side most annotators took,
    at the span's ``position``), ``label`` (type: ``label``, not ``instead_of``), or
    ``mark`` (a span the others missed).

    Examples
    --------
    >>> rule_parts("type", "DRUG", "DOSE", "5 mg", "", (1, 4))
    {'action': 'label', 'phrase': '5 mg', 'label': 'DOSE', 'instead_of': 'DRUG'}
    """
    if kind == "boundary":
        included, left_out = support
        return {"action": "include" if included >= left_out else "leave_out", "phrase": phrase,
                "position": "start" if side == "start" else "end", "label": label}
    if kind == "type":
        first, second = support
        chosen, rejected = (label, other) if first >= second else (other, label)
        return {"action": "label", "phrase": phrase, "label": chosen, "instead_of": rejected}
    return {"action": "mark", "phrase": phrase, "label": label}


def rule_text(rule: Mapping[str, str], language: str = "en") -> str:
    """A drafted span rule in ``language`` (``"en"`` or ``"ko"``).

    Examples
    --------
    >>> rule = {"action": "leave_out", "phrase": "group", "position": "end", "label": "ARM"}
    >>> rule_text(rule)
    "leave out text like 'group' at the end of a ARM span"
    >>> rule_text(rule, "ko")
    "ARM 스팬의 끝에서 'group' 같은 텍스트는 빼세요"
    """
    if language == "ko":
        return attach_particles(_rule_text_ko(rule))
    action, phrase, label = rule["action"], rule["phrase"], rule["label"]
    if action in ("include", "leave_out"):
        where = "at the start of" if rule.get("position") == "start" else "at the end of"
        return f"{action.replace('_', ' ')} text like '{phrase}' {where} a {label} span"
    if action == "label":
        return f"label text like '{phrase}' {label}, not {rule['instead_of']}"
    return f"mark text like '{phrase}' as a {label} span, or say in the guideline why not"


def _rule_text_ko(rule: Mapping[str, str]) -> str:
    action, phrase, label = rule["action"], rule["phrase"], rule["label"]
    if action in ("include", "leave_out"):
        where = "시작" if rule.get("position") == "start" else "끝"
        return (f"{label} 스팬의 {where}에 '{phrase}' 같은 텍스트를 포함하세요" if action == "include"
                else f"{label} 스팬의 {where}에서 '{phrase}' 같은 텍스트는 빼세요")
    if action == "label":
        return f"'{phrase}' 같은 텍스트는 {rule['instead_of']}이(가) 아니라 {label}(으)로 라벨링하세요"
    return f"'{phrase}' 같은 텍스트를 {label} 스팬으로 표시하거나, 표시하지 않는 이유를 가이드라인에 쓰세요"


def _type_support(data: SpanData, members: pd.DataFrame, label: str,
                  other: str) -> tuple[int, int]:
    """Spans over the disputed text typed ``label`` versus ``other``."""
    merged = members[["item_id", "extra_start", "extra_end"]].drop_duplicates().merge(
        data.spans, on="item_id")
    over = merged[(merged["start"] < merged["extra_end"]) & (merged["end"] > merged["extra_start"])]
    return int((over["label"] == label).sum()), int((over["label"] == other).sum())


def span_ambiguity(data: SpanData, *, seed: int = 0) -> dict[str, Any]:
    """Clusters of disagreed spans per kind and type, each with a drafted rule.

    Returns
    -------
    dict
        ``clusters``: list of ``{kind, label, other_label, size, terms, drafted_rule,
        rule, examples: [{item_id, start, end, text, context, context_start,
        disputed_start, disputed_end}]}``, largest first (``rule``: :func:`rule_parts`,
        which ``drafted_rule`` writes in English). ``text`` is the disputed text
        (``disputed_start:disputed_end`` in the document), ``context`` the words around the
        case, cut at whitespace, starting at ``context_start`` in the document.
    """
    cases = _cases(data)
    if cases.empty:
        return {"clusters": [], "note": note("spans.ambiguity_none")}
    texts = data.texts
    has_text = cases["item_id"].isin(list(texts))
    cases = cases[has_text].reset_index(drop=True)
    if cases.empty:
        return {"clusters": [], "note": note("spans.ambiguity_no_texts")}
    cases["text"] = [texts[i][s:e] for i, s, e in
                     zip(cases["item_id"], cases["extra_start"], cases["extra_end"], strict=True)]
    bounds = [context_bounds(texts[i], s, e) for i, s, e in
              zip(cases["item_id"], cases["start"], cases["end"], strict=True)]
    # the clustering reads a fixed window; the examples show it cut at word boundaries
    cases["window"] = [texts[i][max(0, s - CONTEXT):e + CONTEXT] for i, s, e in
                       zip(cases["item_id"], cases["start"], cases["end"], strict=True)]
    cases["context_start"] = [low for low, _ in bounds]
    cases["context"] = [texts[i][low:high] for i, (low, high) in zip(cases["item_id"], bounds, strict=True)]
    clusters: list[dict[str, Any]] = []
    for (kind, label, other), group in cases.groupby(["kind", "label", "other_label"]):
        total = len(group)
        if total > CLUSTER_SAMPLE:
            group = group.sample(CLUSTER_SAMPLE, random_state=seed)
        group = group.reset_index(drop=True)
        assignment = _cluster(group, seed=seed)
        merged: dict[str, dict[str, Any]] = {}
        for cluster_id in np.unique(assignment):
            members = group[assignment == cluster_id]
            words = _words(members["text"].tolist())
            phrase = _phrase(members["text"].tolist())
            side = members["side"].mode().iloc[0] if kind == "boundary" else ""
            if kind == "boundary":
                support = _boundary_support(data, members)
            elif kind == "type":
                support = _type_support(data, members, label, other)
            else:
                support = (0, 0)
            parts = rule_parts(kind, label, other, phrase, side, support)
            rule = rule_text(parts)
            examples = [{"item_id": r.item_id, "start": int(r.start), "end": int(r.end),
                         "text": r.text, "context": r.context,
                         "context_start": int(r.context_start),
                         "disputed_start": int(r.extra_start), "disputed_end": int(r.extra_end)}
                        for r in members.head(EXAMPLES).itertuples()]
            if rule in merged:  # clusters that draft the same rule are one cluster
                merged[rule]["size"] += len(members)
                continue
            merged[rule] = {"kind": kind, "label": label, "other_label": other or None,
                            "size": len(members), "group_cases": total, "terms": words,
                            "drafted_rule": rule, "rule": parts, "examples": examples}
        clusters.extend(merged.values())
    clusters.sort(key=lambda c: -c["size"])
    return {"note": note("spans.ambiguity", sample=CLUSTER_SAMPLE),

            "clusters": clusters[:30]}


def _boundary_support(data: SpanData, members: pd.DataFrame) -> tuple[int, int]:
    """How many annotators' spans include versus leave out the disputed text."""
    spans = data.spans
    merged = members[["item_id", "extra_start", "extra_end"]].drop_duplicates().merge(
        spans, on="item_id")
    overlapping = merged[(merged["start"] < merged["extra_end"] + 1)
                         & (merged["end"] > merged["extra_start"] - 1)]
    include = int(((overlapping["start"] <= overlapping["extra_start"])
                   & (overlapping["end"] >= overlapping["extra_end"])).sum())
    return include, len(overlapping) - include


def _cluster(group: pd.DataFrame, *, seed: int) -> np.ndarray:
    n = len(group)
    k = min(CLUSTERS_PER_GROUP, max(1, n // 10))
    if k == 1:
        return np.zeros(n, dtype=np.int64)
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    # start-up: scikit-learn loads only when span ambiguity is asked for
    from analysis.embeddings.char_ngram import CharNgramEmbedder

    texts = (group["text"] + " | " + group["window"]).tolist()
    # one thread: on small matrices, BLAS and OpenMP threads only wait for each other
    with threadpool_limits(limits=1):
        vectors = CharNgramEmbedder(dim=32, seed=seed).embed(texts)
        return KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(vectors)
