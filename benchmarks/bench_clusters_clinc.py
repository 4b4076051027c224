"""Ambiguity clusters and label errors on real texts: CLINC150 with simulated annotators.

Run: ``PYTHONPATH=. python benchmarks/bench_clusters_clinc.py [--data PATH] [--cache-dir DIR]``
(default data ``../shared/data/clinc150/data_full.json``). Prints Markdown tables.

Simulation (seeded, per run of 10, 40 or 150 intents in the label set):

* texts: CLINC150 training queries (Larson et al., EMNLP 2019; CC BY 3.0);
* **groups**: four to eight pairs of neighbouring intents (nearest intent centroids by
  the bundled MiniLM embedding, disjoint pairs). Each group has 20-60 queries of the two
  intents, those closest to the boundary between them; careful annotators choose the
  group's first intent with probability p ~ U(0.50, 0.65) (per item p ± 0.1) and the
  second otherwise;
* **clear items**: the other queries of every intent in the label set;
* **annotators**: nine careful ones (4% slips: 70% to one of the five nearest intents,
  30% anywhere) and one careless one (60% accuracy, errors half near, half anywhere).
  Each item gets 3, 5 or 7 votes from annotators drawn at random;
* **label errors**: 2.5% of the clear items; each careful annotator votes the intent's
  nearest neighbour in the label set (not its group partner) with probability 0.85,
  the careless one with 0.5; a strict majority for the wrong intent is required.

Scores: per group, the best F1 of any cluster against the group's items on which the
annotators voted both intents (the part of the group that votes can show; its share of
the group is shown in brackets), and against the whole group. Careless-annotator clusters: systematic clusters that match no
group (best F1 < 0.5) in which the careless annotator casts the most dissenting votes.
Label errors: precision among the top k (k = number planted) and the share of those hits
whose suggested label is the true intent, for the project's ``find_label_issues`` and for
cleanlab's ``find_label_issues`` (self-confidence ranking) on out-of-sample
probabilities of a logistic regression on the same embeddings, majority-vote labels.
A second precision counts every item whose strict-majority label is wrong, planted or made
by the annotators' own slips (k unchanged): a flagged slip is a real error, not a false
alarm. (A tie broken at random is no consensus, and an ambiguity group's item has no single
true intent: neither counts.)

``--model`` runs the project's methods and cleanlab's probabilities on another model's
vectors; the simulation still draws its groups and errors with the bundled MiniLM, so
every model sees the same data.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

_ROOT = Path(__file__).resolve().parents[1]
DATA = next(
    (p / "shared" / "data" / "clinc150" / "data_full.json" for p in (_ROOT.parent, _ROOT.parent.parent)
     if (p / "shared" / "data" / "clinc150" / "data_full.json").exists()),
    _ROOT.parent / "shared" / "data" / "clinc150" / "data_full.json",
)
CARELESS = "careless"
N_CAREFUL = 9


def load_clinc(path: Path) -> pd.DataFrame:
    """Training queries of CLINC150 as ``text, intent`` (distinct texts)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return pd.DataFrame(raw["train"], columns=["text", "intent"]).drop_duplicates("text").reset_index(drop=True)


def embed_all(texts: list[str], cache_dir: str | None, embedder=None) -> np.ndarray:
    """Vectors of every text (cached on disk by the project's cache); default the bundled MiniLM."""
    from analysis.embeddings import TransformerEmbedder, embed_with_cache, l2_normalize

    return l2_normalize(embed_with_cache(embedder or TransformerEmbedder(), texts, cache_dir=cache_dir))


def simulate(
    corpus: pd.DataFrame, vectors: np.ndarray, n_intents: int, *, seed: int,
    lean: tuple[float, float] = (0.50, 0.65),
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, np.ndarray]]:
    """One simulated annotation run: (table, answer key, vectors by item id).

    ``lean`` is the range of the probability with which careful annotators choose a
    group's first intent: (0.50, 0.65) by default; (0.70, 0.85) gives *quiet* themes,
    whose items mostly show a single dissent (4-1, 6-1, 2-1) or none."""
    rng = np.random.default_rng(seed)
    intents = np.array(sorted(corpus["intent"].unique()))
    index = {name: corpus.index[corpus["intent"] == name].to_numpy() for name in intents}
    centroids = np.vstack([vectors[index[name]].mean(axis=0) for name in intents])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    similar = centroids @ centroids.T
    np.fill_diagonal(similar, -1)
    # Disjoint neighbouring pairs, drawn among the 40 most similar pairs.
    n_groups = {10: 4, 40: 6, 150: 8}.get(n_intents, 4)
    upper = np.triu_indices(len(intents), 1)
    order = np.argsort(-similar[upper])[:40]
    pairs, used = [], set()
    for k in rng.permutation(order):
        a, b = int(upper[0][k]), int(upper[1][k])
        if a not in used and b not in used:
            pairs.append((a, b))
            used |= {a, b}
        if len(pairs) == n_groups:
            break
    rest = rng.permutation([i for i in range(len(intents)) if i not in used])
    chosen = sorted(used | set(rest[: n_intents - len(used)].tolist()))
    in_set = np.array(chosen)
    local = similar[np.ix_(in_set, in_set)]
    near = {int(in_set[i]): in_set[np.argsort(-local[i])[:5]] for i in range(len(in_set))}
    partner = {a: b for a, b in pairs} | {b: a for a, b in pairs}
    per_intent = {10: 40, 40: 30, 150: 20}.get(n_intents, 25)

    items: list[tuple[str, int, str, float, tuple[int, int] | None, int]] = []  # id, text row, group, p, pair, true
    taken: set[int] = set()
    for g, (a, b) in enumerate(pairs):
        rows = np.r_[index[intents[a]], index[intents[b]]]
        margin = np.abs(vectors[rows] @ centroids[a] - vectors[rows] @ centroids[b])
        size = int(rng.integers(20, 61))
        picked = rows[np.argsort(margin)[:size]]
        p = float(rng.uniform(*lean))
        first, second = (a, b) if rng.random() < 0.5 else (b, a)
        for r in picked:
            taken.add(int(r))
            items.append((f"g{g}-{r}", int(r), f"group{g}:{intents[first]}|{intents[second]}",
                          float(np.clip(p + rng.normal(0, 0.1), 0.35, 0.9)), (first, second), -1))
    for i in chosen:
        free = [r for r in index[intents[i]] if r not in taken]
        for r in rng.choice(free, size=min(per_intent, len(free)), replace=False):
            items.append((f"c-{r}", int(r), "", 0.0, None, i))
    order_items = rng.permutation(len(items))
    items = [items[k] for k in order_items]
    clear_rows = [k for k, it in enumerate(items) if it[4] is None]
    n_errors = max(4, round(0.025 * len(clear_rows)))
    errors = set(rng.choice(clear_rows, size=n_errors, replace=False).tolist())

    annotators = [f"ann{j}" for j in range(1, N_CAREFUL + 1)] + [CARELESS]
    rows_out, key = [], []

    def slip(true: int, careless: bool) -> int:
        if rng.random() < 0.5 if careless else rng.random() < 0.7:
            return int(rng.choice(near[true]))
        return int(rng.choice(in_set))

    for k, (item, text_row, group, p, pair, true) in enumerate(items):
        n_votes = int(rng.choice([3, 5, 7]))
        who = rng.choice(len(annotators), size=n_votes, replace=False)
        wrong = None
        if k in errors:
            options = [int(x) for x in near[true] if x != true and x != partner.get(true)]
            wrong = options[0]
        while True:
            votes = []
            for j in who:
                careless = annotators[j] == CARELESS
                if pair is not None:
                    side = pair[0] if rng.random() < p else pair[1]
                    votes.append(side if not careless or rng.random() < 0.6 else slip(side, True))
                elif wrong is not None:
                    u = rng.random()
                    votes.append(wrong if u < (0.5 if careless else 0.85) else true if u < (0.6 if careless else 0.97) else slip(true, careless))
                else:
                    ok = rng.random() < (0.6 if careless else 0.96)
                    votes.append(true if ok else slip(true, careless))
            if wrong is None or votes.count(wrong) * 2 > len(votes):
                break
        rows_out += [(item, annotators[j], intents[v], corpus.at[text_row, "text"]) for j, v in zip(who, votes, strict=True)]
        key.append((item, group, intents[true] if true >= 0 else "", wrong is not None,
                    intents[wrong] if wrong is not None else "", text_row))
    table = pd.DataFrame(rows_out, columns=["item_id", "annotator", "label", "text"])
    answer = pd.DataFrame(key, columns=["item_id", "group", "gold", "planted_error", "error_label", "row"])
    by_item = {item: vectors[row] for item, row in zip(answer["item_id"], answer["row"], strict=True)}
    return table, answer, by_item


def score_clusters(result, table: pd.DataFrame, answer: pd.DataFrame) -> dict[str, object]:
    """Per-group F1 (visible part), and careless-annotator clusters."""
    clusters = [set(c.item_ids) for c in result.clusters]
    votes = table.groupby("item_id")["label"].agg(set)  # any annotator's vote shows the split
    f1s, visible, whole = [], [], []
    for group, members in answer[answer["group"] != ""].groupby("group"):
        a, b = group.split(":", 1)[1].split("|")
        seen = {i for i in members["item_id"] if {a, b} <= votes.get(i, set())}
        visible.append(len(seen) / len(members))
        best = max((2 * len(c & seen) / (len(c) + len(seen)) for c in clusters), default=0.0)
        f1s.append(best)
        every = set(members["item_id"])  # items whose votes show no split count too
        whole.append(max((2 * len(c & every) / (len(c) + len(every)) for c in clusters), default=0.0))
    group_sets = [
        {i for i in m["item_id"]} for _, m in answer[answer["group"] != ""].groupby("group")
    ]
    careless_clusters = 0
    noise_systematic = 0
    for c in result.clusters:
        items = set(c.item_ids)
        best = max(2 * len(items & g) / (len(items) + len(g)) for g in group_sets)
        if best < 0.5 and c.kind != "annotator_noise":
            noise_systematic += 1
            if c.annotators and next(iter(c.annotators)) == CARELESS:
                careless_clusters += 1
    return {"f1": f1s, "visible": visible, "f1_whole": whole, "careless_clusters": careless_clusters,
            "other_clusters": noise_systematic, "n_clusters": len(result.clusters),
            "n_disagreed": len(result.item_table), "n_slips": len(result.slips)}


def cleanlab_baseline(table: pd.DataFrame, by_item: dict[str, np.ndarray], k: int, seed: int):
    """cleanlab.filter.find_label_issues on majority labels and held-out LR probabilities."""
    from cleanlab.filter import find_label_issues as cl_find
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    from analysis.data.reliability import ReliabilityData
    from analysis.data.votes import majority_vote

    data = ReliabilityData.from_table(table)
    labels = majority_vote(data.counts(), ties="random", seed=seed)
    x = np.vstack([by_item[str(i)] for i in data.items])
    probs = cross_val_predict(LogisticRegression(C=3.0, max_iter=1000), x, labels, cv=5, method="predict_proba")
    full = np.full((len(labels), data.n_labels), 1e-6)
    full[:, np.unique(labels)] = probs
    full /= full.sum(axis=1, keepdims=True)
    ranked = cl_find(labels=labels, pred_probs=full, return_indices_ranked_by="self_confidence")
    top = ranked[:k]
    other = full.copy()
    other[np.arange(len(labels)), labels] = -1
    suggested = np.array(data.labels)[other.argmax(axis=1)]
    return [str(data.items[i]) for i in top], {str(data.items[i]): suggested[i] for i in top}


def score_errors(top_ids: list[str], suggested: dict[str, str], answer: pd.DataFrame) -> tuple[float, float]:
    """Precision among the top k (k = planted errors) and the share of hits whose
    suggested label is the true intent."""
    planted = answer[answer["planted_error"]].set_index("item_id")
    hits = [i for i in top_ids if i in planted.index]
    right = sum(suggested[i] == planted.at[i, "gold"] for i in hits)
    return len(hits) / len(planted), (right / len(hits) if hits else float("nan"))


def wrong_consensus(items: pd.DataFrame, answer: pd.DataFrame) -> set[str]:
    """Items whose strict-majority label is not their true intent: the planted errors and
    the ones the annotators' slips made (``items``: the ``items`` table of
    ``find_label_issues``). Ties (``split``) have no consensus to be wrong, and items of an
    ambiguity group no single true intent."""
    merged = items.merge(answer[["item_id", "gold"]], on="item_id")
    wrong = (merged["gold"] != "") & (merged["kind"] != "split") & (merged["current_label"] != merged["gold"])
    return set(merged.loc[wrong, "item_id"])


def precision_any_error(top_ids: list[str], wrong: set[str], answer: pd.DataFrame) -> float:
    """Precision among the top k when every wrong consensus counts, planted or not."""
    planted = set(answer.loc[answer["planted_error"], "item_id"])
    return sum(i in planted or i in wrong for i in top_ids) / len(planted)


def error_evidence(items: pd.DataFrame, answer: pd.DataFrame, k: int) -> str:
    """What the ranking has to work with: how many planted errors the text model reads as
    their true intent and how many carry a vote for it, against the correctly labelled
    consensus items the text model reads as another intent (``items``: the ``items``
    table of ``find_label_issues``)."""
    merged = items.merge(answer[["item_id", "planted_error", "gold"]], on="item_id")
    odds = merged["model_probability_suggested"] / merged["model_probability_current"]
    planted = merged["planted_error"]
    voted = merged["vote_evidence"] > 0  # at least one vote points away from the consensus
    grouped = merged["gold"] == ""  # an ambiguity group's item has no single true intent
    mislabelled = ~grouped & (merged["current_label"] != merged["gold"])
    consensus = merged["kind"] == "consensus"
    reads_true = planted & (odds > 1) & (merged["suggested_label"] == merged["gold"])
    right = consensus & ~planted & ~mislabelled & ~grouped
    in_top = merged.index.isin(merged[consensus].sort_values(["score", "item_id"]).head(k).index)
    missed = planted & ~in_top
    return (f"planted {int(planted.sum())}: text reads the true intent {int(reads_true.sum())}, "
            f"a vote for it {int((planted & voted).sum())}; missed {int(missed.sum())} "
            f"(median text odds {odds[missed].median():.2f}, a vote for the true intent "
            f"{int((missed & voted).sum())}); correctly labelled items read as another intent "
            f"{int((right & (odds > 1)).sum())}, with odds above 3 {int((right & (odds > 3)).sum())}; "
            f"top-k items mislabelled by slips (not planted) {int((in_top & ~planted & mislabelled).sum())}, "
            f"from ambiguity groups {int((in_top & grouped).sum())}")


def speed(corpus: pd.DataFrame, cache_dir: str | None, repeats: int = 3) -> list[str]:
    """Best-of-``repeats`` seconds: clusters of 10,000 disagreed items (cached vectors) and
    the selection over 1,000,000 items (5 votes each, 20 labels, one careless annotator)."""
    from analysis.clusters import find_ambiguity_clusters, find_disagreements
    from analysis.data.reliability import ReliabilityData
    from analysis.embeddings import TransformerEmbedder

    rng = np.random.default_rng(0)
    intents = np.array(sorted(corpus["intent"].unique()))
    rows = []
    for i in range(10_000):
        a, b = rng.choice(len(intents), 2, replace=False) if i % 3 else (i % 150, (i + 1) % 150)
        votes = [intents[a]] * 3 + [intents[b]] * 2
        rows += [(f"s{i}", f"ann{j}", v, corpus.at[i, "text"]) for j, v in enumerate(rng.permutation(votes))]
    table = pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])
    embedder = TransformerEmbedder()
    find_ambiguity_clusters(table, embedder=embedder, cache_dir=cache_dir)  # warm: imports, coverage cache
    cluster_times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = find_ambiguity_clusters(table, embedder=embedder, cache_dir=cache_dir)
        cluster_times.append(time.perf_counter() - start)

    n_items, n_annotators, n_labels = 1_000_000, 10, 20
    codes = np.full((n_items, n_annotators), -1, dtype=np.int32)
    truth = rng.integers(0, n_labels, n_items)
    for k in range(5):
        who = (np.arange(n_items) + 2 * k) % n_annotators
        wrong = rng.random(n_items) < np.where(who == 0, 0.4, 0.05)
        codes[np.arange(n_items), who] = np.where(wrong, rng.integers(0, n_labels, n_items), truth)
    data = ReliabilityData(
        items=np.array([f"i{i}" for i in range(n_items)], dtype=object),
        annotators=np.array([f"ann{j}" for j in range(n_annotators)], dtype=object),
        labels=tuple(f"label{k:02d}" for k in range(n_labels)),
        codes=codes,
        values=np.arange(n_labels, dtype=float),
    )
    select_times = []
    for _ in range(repeats):
        start = time.perf_counter()
        found = find_disagreements(data)
        select_times.append(time.perf_counter() - start)
    return [
        f"| step | size | best of {repeats} (s) | target (s) |",
        "|---|---|---|---|",
        f"| clusters, cached MiniLM vectors | {len(result.item_table):,} disagreed items, "
        f"{len(result.clusters)} clusters | {min(cluster_times):.2f} | 5 |",
        f"| selection (`find_disagreements`) | {n_items:,} items x 5 votes, "
        f"{int(found.items['disagreed'].sum()):,} disagreed | {min(select_times):.2f} | 1 |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--cache-dir")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", default="10,40,150", help="label-set sizes, comma-separated ('' for none)")
    parser.add_argument("--no-speed", action="store_true", help="skip the timing rows")
    parser.add_argument("--lean", default="0.50,0.65", help="range of the careful annotators' lean to a "
                        "group's first intent (default 0.50,0.65; 0.70,0.85 gives quiet themes)")
    parser.add_argument("--model", help="model folder or Hugging Face name for the clusters, the label "
                        "issues and cleanlab's probabilities (default: bundled MiniLM); the simulation "
                        "always draws its groups and errors with the bundled MiniLM, so the data stay the same")
    args = parser.parse_args()
    from analysis.clusters import find_ambiguity_clusters
    from analysis.embeddings import TransformerEmbedder
    from analysis.label_issues.ranking import find_label_issues

    corpus = load_clinc(args.data)
    start = time.perf_counter()
    vectors = embed_all(corpus["text"].tolist(), args.cache_dir)
    print(f"embedded {len(corpus)} CLINC150 training texts in {time.perf_counter() - start:.1f} s (cache)\n")
    embedder = TransformerEmbedder(args.model)
    model_vectors = vectors
    if args.model:
        start = time.perf_counter()
        model_vectors = embed_all(corpus["text"].tolist(), args.cache_dir, embedder)
        print(f"embedded them with {embedder.name} in {time.perf_counter() - start:.1f} s (cache)\n")
    lean = tuple(float(x) for x in args.lean.split(","))
    lines = ["| intents | items | groups (size) | per-group F1 (visible share) | min F1 | min F1, whole group | careless / other noise clusters "
             "| errors k | ours P@k / right label | cleanlab P@k / right label | P@k, any wrong consensus: ours / cleanlab "
             "| clusters s | label-issues s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for n_intents in (int(x) for x in args.runs.split(",") if x):
        table, answer, by_item = simulate(corpus, vectors, n_intents, seed=args.seed + n_intents, lean=lean)
        if model_vectors is not vectors:
            by_item = {item: model_vectors[row] for item, row in zip(answer["item_id"], answer["row"], strict=True)}
        start = time.perf_counter()
        result = find_ambiguity_clusters(table, embedder=embedder, cache_dir=args.cache_dir)
        t_clusters = time.perf_counter() - start
        s = score_clusters(result, table, answer)
        k = int(answer["planted_error"].sum())
        start = time.perf_counter()
        ours = find_label_issues(table, embedder=embedder, top=k, cache_dir=args.cache_dir)
        t_issues = time.perf_counter() - start
        ours_p, ours_right = score_errors(
            ours.issues["item_id"].tolist(), dict(zip(ours.issues["item_id"], ours.issues["suggested_label"], strict=True)), answer)
        cl_top, cl_suggested = cleanlab_baseline(table, by_item, k, args.seed)
        cl_p, cl_right = score_errors(cl_top, cl_suggested, answer)
        wrong = wrong_consensus(ours.items, answer)
        any_ours = precision_any_error(ours.issues["item_id"].tolist(), wrong, answer)
        any_cl = precision_any_error(cl_top, wrong, answer)
        sizes = answer[answer["group"] != ""].groupby("group").size().tolist()
        per_group = ", ".join(f"{f:.2f} ({v:.0%})" for f, v in zip(s["f1"], s["visible"], strict=True))
        lines.append(
            f"| {n_intents} | {answer.shape[0]} | {len(sizes)} ({min(sizes)}-{max(sizes)}) | {per_group} | "
            f"**{min(s['f1']):.2f}** | {min(s['f1_whole']):.2f} | {s['careless_clusters']} / {s['other_clusters']} | {k} | "
            f"{ours_p:.2f} / {ours_right:.0%} | {cl_p:.2f} / {cl_right:.0%} | {any_ours:.2f} / {any_cl:.2f} | "
            f"{t_clusters:.1f} | {t_issues:.1f} |"
        )
        print(lines[-1], flush=True)
        print("    label-error evidence:", error_evidence(ours.items, answer, k))
        for c in result.clusters[:3]:
            print("   ", c.kind, c.size, c.label_pairs[0].labels if c.label_pairs else "", "|", c.draft_rule,
                  "| vs clear:", ", ".join(c.terms_vs_clear[:5]), "| vs disagreed:", ", ".join(c.terms_vs_disagreed[:5]))
    print("\n" + "\n".join(lines))
    if not args.no_speed:
        print("\n" + "\n".join(speed(corpus, args.cache_dir)))


if __name__ == "__main__":
    main()
