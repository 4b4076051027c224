"""Measure the planted properties of the bundled samples (independent of the product's code).

Usage::

    python sample_data/self_check.py [--json]

Prints, per dataset: accuracy of each annotator and of the majority vote against the gold
label, the fatigue profile's accuracy in the first and last quarter of their own sequence and
the logistic-regression slope of "agrees with the others" on sequence position for everyone,
the biased profile's over-use of its favourite class, Krippendorff's alpha per batch, and how
well a TF-IDF character n-gram clustering of the disagreed items recovers the planted groups.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pandas as pd
import statsmodels.api as sm
from sklearn.cluster import AgglomerativeClustering
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

HERE = Path(__file__).resolve().parent
DATASETS = ("ko_news_topics", "en_support_intents")
ENTROPY_THRESHOLD = 0.3


def load(name: str, folder: Path = HERE) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The long table, answer key and annotator profiles of one dataset."""
    table = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
    key = pd.read_csv(folder / f"{name}_answer_key.csv", dtype=str, keep_default_na=False)
    people = pd.read_csv(folder / "annotators.csv", dtype=str, keep_default_na=False)
    table["utc"] = pd.to_datetime(table["timestamp"], utc=True, format="ISO8601")
    return table.merge(key, on="item_id", how="left"), key, people[people["dataset"] == name]


def vote_counts(table: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Items x labels vote counts."""
    return pd.crosstab(table["item_id"], table["label"]).reindex(columns=labels, fill_value=0)


def normalised_entropy(counts: pd.DataFrame) -> pd.Series:
    shares = counts.to_numpy() / counts.to_numpy().sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(shares > 0, -shares * np.log(shares), 0.0)
    return pd.Series(terms.sum(axis=1) / np.log(counts.shape[1]), index=counts.index)


def majority(counts: pd.DataFrame) -> pd.Series:
    """Strict majority label per item; ties give an empty string."""
    values = counts.to_numpy()
    best = values.max(axis=1, keepdims=True)
    unique = (values == best).sum(axis=1) == 1
    return pd.Series(
        np.where(unique, counts.columns.to_numpy()[values.argmax(axis=1)], ""), index=counts.index
    )


def agreement_with_others(table: pd.DataFrame) -> pd.Series:
    """Per judgement: 1.0 if the label matches the strict majority of the other annotators,
    0.0 if another label has that majority, NaN where the others tie."""
    counts = pd.crosstab(table["item_id"], table["label"])
    per_item = counts.loc[table["item_id"]].to_numpy()
    column = {label: i for i, label in enumerate(counts.columns)}
    mine = np.array([column[x] for x in table["label"]])
    others = per_item.copy()
    others[np.arange(len(table)), mine] -= 1
    best = others.max(axis=1)
    clear = (others == best[:, None]).sum(axis=1) == 1
    agrees = (others.argmax(axis=1) == mine).astype(float)
    return pd.Series(np.where(clear, agrees, np.nan), index=table.index)


def fatigue_slopes(table: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Logit slope (per whole sequence) and p-value of agreement on sequence position."""
    table = table.assign(agrees=agreement_with_others(table))
    out = {}
    for name, rows in table.sort_values("utc").groupby("annotator"):
        position = np.linspace(0.0, 1.0, len(rows))
        known = rows["agrees"].notna().to_numpy()
        fit = sm.Logit(rows["agrees"].to_numpy()[known], sm.add_constant(position[known])).fit(
            disp=0
        )
        out[name] = {"slope": float(fit.params[1]), "p_value": float(fit.pvalues[1])}
    return out


def alpha_per_batch(table: pd.DataFrame, labels: list[str]) -> dict[str, float]:
    code = {label: i for i, label in enumerate(labels)}
    out = {}
    for batch, rows in table.groupby("batch"):
        matrix = rows.pivot(index="annotator", columns="item_id", values="label")
        values = matrix.apply(lambda col: col.map(code)).to_numpy(dtype=float)
        out[batch] = float(
            krippendorff.alpha(reliability_data=values, level_of_measurement="nominal")
        )
    return out


def cluster_recovery(
    table: pd.DataFrame, key: pd.DataFrame, labels: list[str], *, items_per_cluster: int = 10
) -> dict[str, Any]:
    """F1 of the best-matching cluster per planted group, on the disagreed items.

    The number of clusters is one per ``items_per_cluster`` disagreed items.
    """
    counts = vote_counts(table, labels)
    disagreed = normalised_entropy(counts)
    chosen = disagreed.index[disagreed > ENTROPY_THRESHOLD]
    n_clusters = max(2, len(chosen) // items_per_cluster)
    texts = key.set_index("item_id").loc[chosen]
    text = table.drop_duplicates("item_id").set_index("item_id").loc[chosen, "text"]
    tfidf = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2
    ).fit_transform(text)
    reduced = normalize(
        TruncatedSVD(n_components=min(100, tfidf.shape[1] - 1), random_state=0).fit_transform(tfidf)
    )
    assignment = AgglomerativeClustering(
        n_clusters=n_clusters, metric="cosine", linkage="average"
    ).fit_predict(reduced)
    groups = texts["ambiguity_group"].to_numpy()
    scores = {}
    for group in sorted(set(groups) - {""}):
        truth = groups == group
        best = 0.0
        for cluster in np.unique(assignment):
            found = assignment == cluster
            hit = (truth & found).sum()
            if hit:
                best = max(best, 2 * hit / (truth.sum() + found.sum()))
        total = int((key["ambiguity_group"] == group).sum())
        scores[group] = {"f1": round(best, 3), "disagreed": int(truth.sum()), "size": total}
    return {"n_disagreed": len(chosen), "n_clusters": n_clusters, "groups": scores}


def check(name: str, folder: Path = HERE) -> dict[str, Any]:
    table, key, people = load(name, folder)
    labels = sorted(key["gold_label"].unique())
    profile = dict(zip(people["annotator"], people["profile"], strict=True))
    by_profile = {p: a for a, p in profile.items()}
    correct = table["label"] == table["gold_label"]
    counts = vote_counts(table, labels)
    mv = majority(counts)
    gold = key.set_index("item_id")["gold_label"].loc[counts.index]
    plain = key.set_index("item_id").loc[counts.index]
    plain_mask = (plain["ambiguity_group"] == "") & (plain["planted_error"] == "false")

    fatigue = table[table["annotator"] == by_profile["fatigue"]].sort_values("utc")
    quarter = len(fatigue) // 4
    fatigue_correct = (fatigue["label"] == fatigue["gold_label"]).to_numpy()

    biased = table[table["annotator"] == by_profile["biased"]]
    favourite = biased["label"].value_counts().idxmax()
    other = biased[(biased["gold_label"] != favourite) & (biased["planted_error"] == "false")]
    others = table[
        (table["annotator"] != by_profile["biased"])
        & (table["gold_label"] != favourite)
        & (table["planted_error"] == "false")
    ]

    errors = key[key["planted_error"] == "true"].set_index("item_id")
    return {
        "items": int(key.shape[0]),
        "judgements": int(table.shape[0]),
        "accuracy": {
            f"{a} ({profile[a]})": round(float(v), 3)
            for a, v in correct.groupby(table["annotator"]).mean().items()
        },
        "accuracy_clear_items": {
            f"{a} ({profile[a]})": round(float(v), 3)
            for a, v in correct[
                table["ambiguity_group"].eq("") & table["planted_error"].eq("false")
            ]
            .groupby(table["annotator"])
            .mean()
            .items()
        },
        "majority_accuracy": round(float((mv == gold).mean()), 3),
        "majority_accuracy_plain_items": round(
            float((mv[plain_mask] == gold[plain_mask]).mean()), 3
        ),
        "planted_errors_majority_wrong": int((mv.loc[errors.index] == errors["error_label"]).sum()),
        "fatigue_first_last_quarter": [
            round(float(fatigue_correct[:quarter].mean()), 3),
            round(float(fatigue_correct[-quarter:].mean()), 3),
        ],
        "fatigue_logit": fatigue_slopes(table),
        "biased_overuse": {
            "favourite": favourite,
            "rate": round(float((other["label"] == favourite).mean()), 3),
            "others_rate": round(float((others["label"] == favourite).mean()), 3),
        },
        "alpha_per_batch": {b: round(v, 3) for b, v in alpha_per_batch(table, labels).items()},
        "clusters": cluster_recovery(table, key, labels),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="Measure the planted properties of the samples.")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args()
    report = {name: check(name) for name in DATASETS}
    print(json.dumps(report, ensure_ascii=False, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
