"""Ambiguity clusters and label review on real disagreement data nobody here wrote.

Run: ``HF_HUB_OFFLINE=1 PYTHONPATH=. python benchmarks/bench_clusters_real.py [--data DIR] [--speed]``
(default ``../shared/data``). Prints Markdown tables.

Data (read through the project's own loader, as a user's upload would be):

* ``disagreement/convabuse_long.csv``: ConvAbuse (Cercas Curry et al., EMNLP 2021; the
  SemEval-2023 "Learning with Disagreements" release): 4,050 user turns to conversational
  agents, the conversation as a JSON object per text, abuse severity -3..1 by 2-8 annotators;
  also read as a binary task (abusive: severity below 0), the shape of binary hate-speech data;
* ``disagreement/popquorn_offensiveness_long.csv``: POPQUORN (Pei & Jurgens, 2023): 1,500
  Reddit comments rated 1-5 by about 9 of 262 Prolific workers; also binary (offensive: 3+);
* ``klue_sts/klue_sts_dev_long.csv``: KLUE-STS dev (2021): 519 Korean sentence pairs
  (``text`` and ``text_b``) rated 0-5 by 5-7 of 17 annotators.

Per data set, at default settings with the bundled MiniLM (vectors cached): disagreed items,
clusters, the largest cluster's share of the clustered and of the disagreed items, the items
left as broad disagreement, terms that are placeholders or Korean particles/endings (must be
none), the draft bases, and label review: the share flagged, unanimous labels (3+ annotators)
among the top 20, and the seconds each step took. ``--speed`` adds 10,000-item runs.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

_ROOT = Path(__file__).resolve().parents[1]
DATA = next((p / "shared" / "data" for p in (_ROOT.parent, _ROOT.parent.parent) if (p / "shared" / "data").exists()),
            _ROOT.parent / "shared" / "data")
PLACEHOLDERS = {"user", "url", "http", "https", "www", "amp", "mention", "rt", "httpurl", "quot", "gt", "lt",
                "span", "class", "emoji", "bytes", "data", "prev_user", "prev_agent", "agent"}
KOREAN_ENDINGS = re.compile(r"(니다|습니다|했다|한다|으로|에서|에게|까지|부터|이다|였다)$|^[은는이가을를에의와과도로만]$")


def datasets(root: Path) -> dict[str, pd.DataFrame]:
    """The canonical tables of the real data sets, read by the project's loader."""
    from analysis.io import load_annotations

    convabuse = load_annotations(root / "disagreement" / "convabuse_long.csv").table
    popquorn = load_annotations(root / "disagreement" / "popquorn_offensiveness_long.csv").table
    klue = load_annotations(root / "klue_sts" / "klue_sts_dev_long.csv").table
    binary_abuse = convabuse.assign(label=np.where(convabuse["label"].astype(float) < 0, "abusive", "not_abusive"))
    binary_offence = popquorn.assign(label=np.where(popquorn["label"].astype(float) >= 3, "offensive", "not_offensive"))
    return {"ConvAbuse (severity, 5 labels)": convabuse, "ConvAbuse binary": binary_abuse,
            "POPQUORN (1-5)": popquorn, "POPQUORN binary": binary_offence, "KLUE-STS pairs (0-5)": klue}


def bad_terms(result) -> list[str]:
    """Placeholder or particle terms among every cluster's terms."""
    found = []
    for cluster in result.clusters:
        for term in {*cluster.keywords, *cluster.terms_vs_clear, *cluster.rule_terms}:
            if term in PLACEHOLDERS or "_" in term or KOREAN_ENDINGS.search(term):
                found.append(term)
    return found


def unanimous(votes: str) -> bool:
    counts = re.findall(r"×(\d+)", votes)
    return len(counts) == 1 and int(counts[0]) >= 3


def measure(name: str, table: pd.DataFrame) -> dict[str, object]:
    """One data set: clusters and label review at default settings."""
    from analysis.clusters import find_ambiguity_clusters
    from analysis.data.dataset import AnnotationDataset
    from analysis.embeddings import TransformerEmbedder
    from analysis.label_issues.ranking import find_label_issues

    dataset = AnnotationDataset.from_table(table)
    embedder = TransformerEmbedder()
    find_ambiguity_clusters(dataset, embedder=embedder)  # embeds (cached), warms imports
    start = time.perf_counter()
    result = find_ambiguity_clusters(dataset, embedder=embedder)
    cluster_seconds = time.perf_counter() - start
    find_label_issues(dataset, embedder=embedder)
    start = time.perf_counter()
    review = find_label_issues(dataset, embedder=embedder)
    review_seconds = time.perf_counter() - start
    doc = result.to_dict()
    largest = max((c.size for c in result.clusters), default=0)
    return {
        "data": name,
        "items": table["item_id"].nunique(),
        "disagreed": doc["n_disagreed_items"],
        "clusters": len(result.clusters),
        "largest / clustered": f"{largest / max(doc['n_clustered_items'], 1):.0%}",
        "largest / disagreed": f"{largest / max(doc['n_disagreed_items'], 1):.0%}",
        "broad": sum(g.size for g in result.broad_disagreement),
        "quiet joined": doc["n_quiet_members"],
        "bad terms": ", ".join(bad_terms(result)) or "none",
        "drafts": ", ".join(f"{k} {v}" for k, v in Counter(c.draft_basis for c in result.clusters).most_common()),
        "flagged": f"{review.flagged_share:.1%}",
        "unanimous in top 20": int(review.issues.head(20)["votes"].map(unanimous).sum()),
        "clusters s": f"{cluster_seconds:.1f}",
        "review s": f"{review_seconds:.1f}",
    }


def speed(root: Path, repeats: int = 2) -> list[str]:
    """10,000 items with cached vectors: clusters and label review, best of ``repeats``.

    Texts: CLINC150 training queries; 800 crowd annotators, 5 votes per item, 150 intents
    (items of 40 neighbouring intent pairs split 3-2, the rest with 8% slips), and the same
    items read as a binary task (intent in the first half of the label set or not).
    """
    import json

    from analysis.clusters import find_ambiguity_clusters
    from analysis.embeddings import TransformerEmbedder
    from analysis.label_issues.ranking import find_label_issues

    corpus = json.loads((root / "clinc150" / "data_full.json").read_text(encoding="utf-8"))["train"]
    rng = np.random.default_rng(0)
    texts = [text for text, _ in corpus[:10_000]]
    intents = sorted({intent for _, intent in corpus})
    truth = np.array([intents.index(intent) for _, intent in corpus[:10_000]])
    rows = []
    for i, t in enumerate(truth):
        who = rng.choice(800, 5, replace=False)
        if i % 4 == 0:
            votes = [t, t, t, (t + 1) % 150, (t + 1) % 150]
        else:
            votes = [t if rng.random() > 0.08 else rng.integers(150) for _ in range(5)]
        rows += [(f"s{i}", f"w{w}", intents[int(v)], texts[i]) for w, v in zip(who, votes, strict=True)]
    table = pd.DataFrame(rows, columns=["item_id", "annotator", "label", "text"])
    binary = table.assign(label=np.where(table["label"].map(intents.index) < 75, "first", "second"))
    embedder = TransformerEmbedder()
    lines = [f"| step | data | best of {repeats} (s) | target (s) |", "|---|---|---|---|"]
    for name, frame in (("150 intents", table), ("binary", binary)):
        for label, run in (("clusters", lambda f=frame: find_ambiguity_clusters(f, embedder=embedder)),
                           ("label review", lambda f=frame: find_label_issues(f, embedder=embedder))):
            run()  # first run embeds (cached) and warms imports
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                run()
                times.append(time.perf_counter() - start)
            lines.append(f"| {label} | 10,000 items x 800 annotators, {name} | {min(times):.1f} | 20 |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--speed", action="store_true", help="add the 10,000-item timings")
    parser.add_argument("--only", help="measure only the data sets whose name contains this")
    args = parser.parse_args()
    rows = [measure(name, table) for name, table in datasets(args.data).items()
            if not args.only or args.only in name]
    frame = pd.DataFrame(rows)
    print("| " + " | ".join(frame.columns) + " |")
    print("|" + "---|" * len(frame.columns))
    for row in frame.itertuples(index=False):
        print("| " + " | ".join(str(v) for v in row) + " |")
    if args.speed:
        print()
        print("\n".join(speed(args.data)))


if __name__ == "__main__":
    main()
