"""Simulated annotation projects: items, assignments, sessions and labels from annotator profiles.

One call to :func:`simulate` turns a :class:`DatasetSpec` (texts, labels, annotator roster,
planted ambiguity groups, seed) into the canonical long table and its answer key. The
simulation works in this order, drawing everything from one seeded generator:

1. items: every base text once, planted label errors chosen among clear items, noisy variants
   of some texts as extra items; shuffled, numbered and split into three rounds;
2. assignment: each item gets 3, 4 or 5 of the five annotators, drawn by workload;
3. sessions: each annotator works through their items of a round over two days, in sittings
   of 30-60 items with breaks, which gives realistic timestamps and each annotator's sequence;
4. labels: each judgement starts from the intended label (gold; one side of the pair for an
   ambiguity group; the wrong label for a planted error) and then passes through the
   annotator's profile (accuracy, fatigue, bias, random clicking).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

Profile = Literal["expert", "generalist", "fatigue", "biased", "near_random"]
BATCHES: tuple[str, ...] = ("round-1", "round-2", "round-3")
# extra error rate of the crowd per round: the guideline was vaguer in the first rounds and
# the crowd learned it as they went (the expert wrote it; the fatigue profile's decline
# dominates their own learning)
ROUND_PENALTY = np.array([0.20, 0.07, 0.0])
EXPERT_PENALTY = np.array([0.03, 0.01, 0.0])
LEARNS: tuple[Profile, ...] = ("generalist", "biased", "near_random")
ACCURACY: dict[Profile, float] = {
    "expert": 0.975,
    "generalist": 0.95,
    "fatigue": 0.935,
    "biased": 0.95,
    "near_random": 0.95,
}
FATIGUE_DROP = 0.43  # accuracy lost from the first to the last judgement of the fatigue profile
BIAS_RATE = 0.25  # share of other-class items the biased profile labels with its favourite
# share of items the near-random profile clicks through at random, per round: they rushed
# the pilot round and slowed down somewhat after feedback (about 35% of their items overall)
RANDOM_SHARE = np.array([0.55, 0.30, 0.20])
ERROR_FOLLOW = 0.85  # chance an annotator gives the planted wrong label
# on an ambiguity group careful annotators pick the gold side a little more often than the
# other, each with their own lean: splits of roughly 50-70%
GROUP_GOLD_SHARE = 0.6
GROUP_LEAN = 0.08
GROUP_CAP_NOISY = 4  # noisy variants per ambiguity group at most
JUDGEMENTS_PER_ITEM = (3, 4, 5)
JUDGEMENT_WEIGHTS = (0.15, 0.40, 0.45)
ROUND_DAYS = ((0, 1), (3, 4), (7, 8))  # day offsets: Mon-Tue, Thu-Fri, Mon-Tue
NEIGHBOUR_WEIGHT = 4.0
# relative share of items per round: the fatigue profile starts as the most prolific
# annotator and, tiring, takes on fewer items in each later round
WORKLOAD: dict[Profile, tuple[float, float, float]] = {"fatigue": (3.0, 1.2, 0.4)}


@dataclass(frozen=True)
class Annotator:
    """One simulated annotator: a name, a profile and working habits."""

    name: str
    profile: Profile
    group: Literal["expert", "crowd"]
    utc_offset_minutes: int
    start_hour: int
    description: str


@dataclass(frozen=True)
class DatasetSpec:
    """Everything that defines one simulated dataset."""

    name: str
    prefix: str
    labels: tuple[str, ...]
    texts: dict[str, tuple[str, ...]]
    groups: dict[str, tuple[tuple[str, str], str, tuple[str, ...]]]
    annotators: tuple[Annotator, ...]
    favoured_label: str
    neighbours: dict[str, tuple[str, ...]]
    first_day: date
    make_noisy: Callable[[str, np.random.Generator], str]
    n_noisy: int
    n_errors: int
    seed: int


@dataclass(frozen=True)
class SimulatedDataset:
    """The canonical long table (timestamps as ISO 8601 text) and the answer key."""

    table: pd.DataFrame
    answer_key: pd.DataFrame


def _base_items(spec: DatasetSpec) -> pd.DataFrame:
    rows = [
        {"text": text, "gold": label, "group": "", "pair": ""}
        for label in spec.labels
        for text in spec.texts[label]
    ]
    for name, (pair, gold, texts) in spec.groups.items():
        ordered = "|".join(sorted(pair, key=spec.labels.index))
        rows += [{"text": text, "gold": gold, "group": name, "pair": ordered} for text in texts]
    items = pd.DataFrame(rows)
    repeated = items.loc[items["text"].duplicated(), "text"].tolist()
    if repeated:
        raise ValueError(f"{spec.name}: base texts must be distinct; repeated: {repeated[:3]}")
    unknown = set(items["gold"]) - set(spec.labels)
    if unknown:
        raise ValueError(f"{spec.name}: gold labels outside the label set: {sorted(unknown)}")
    return items


def _plant_items(spec: DatasetSpec, rng: np.random.Generator) -> pd.DataFrame:
    """Base items plus planted errors and noisy variants, shuffled into item order."""
    items = _base_items(spec)
    items["error_label"] = ""
    items["noisy"] = False
    items["source"] = -1
    clear = np.flatnonzero(items["group"].eq("").to_numpy())
    chosen = rng.choice(clear, size=spec.n_errors, replace=False)
    for index in chosen:
        others = [label for label in spec.labels if label != items.at[index, "gold"]]
        items.at[index, "error_label"] = others[int(rng.integers(len(others)))]

    seen = set(items["text"])
    per_group: dict[str, int] = {}
    variants = []
    for index in rng.permutation(np.flatnonzero(items["error_label"].eq("").to_numpy())):
        if len(variants) == spec.n_noisy:
            break
        source = items.loc[index]
        if source["group"] and per_group.get(source["group"], 0) >= GROUP_CAP_NOISY:
            continue
        text = spec.make_noisy(source["text"], rng)
        if text in seen:
            continue
        seen.add(text)
        per_group[source["group"]] = per_group.get(source["group"], 0) + 1
        variants.append({**source.to_dict(), "text": text, "noisy": True, "source": int(index)})
    items = pd.concat([items, pd.DataFrame(variants)], ignore_index=True)

    order = rng.permutation(len(items))
    width = max(4, len(str(len(items))))
    position = np.empty(len(items), dtype=int)
    position[order] = np.arange(len(items))
    items["item_id"] = [f"{spec.prefix}-{p + 1:0{width}d}" for p in position]
    items["variant_of"] = [
        items.at[s, "item_id"] if s >= 0 else "" for s in items["source"].to_numpy()
    ]
    items = items.iloc[order].reset_index(drop=True)
    items["round"] = np.arange(len(items)) * len(BATCHES) // len(items)
    return items


def _assign(
    workload: npt.NDArray[np.float64], rounds: npt.NDArray[np.int_], rng: np.random.Generator
) -> pd.DataFrame:
    """Which annotators judge which item: 3-5 distinct annotators per item.

    Annotators are drawn without replacement with probability proportional to their
    ``workload[annotator, round]`` (weighted sampling by sorting ``u ** (1 / weight)``).
    """
    n_items = len(rounds)
    k = rng.choice(JUDGEMENTS_PER_ITEM, size=n_items, p=JUDGEMENT_WEIGHTS)
    keys = rng.random((n_items, workload.shape[0])) ** (1.0 / workload[:, rounds].T)
    ranks = np.argsort(np.argsort(-keys, axis=1), axis=1)
    item, annotator = np.nonzero(ranks < k[:, None])
    return pd.DataFrame({"item": item, "annotator": annotator})


def _sessions(
    judgements: pd.DataFrame,
    rounds: npt.NDArray[np.int_],
    spec: DatasetSpec,
    rng: np.random.Generator,
) -> npt.NDArray[np.int64]:
    """Local wall-clock seconds since ``first_day`` midnight for every judgement."""
    seconds = np.zeros(len(judgements), dtype=np.int64)
    judgement_round = rounds[judgements["item"].to_numpy()]
    for a, annotator in enumerate(spec.annotators):
        for r, days in enumerate(ROUND_DAYS):
            rows = np.flatnonzero(
                (judgements["annotator"].to_numpy() == a) & (judgement_round == r)
            )
            rows = rng.permutation(rows)
            split = int(len(rows) * rng.uniform(0.42, 0.58))
            for day, part in zip(days, (rows[:split], rows[split:]), strict=True):
                clock = day * 86400 + annotator.start_hour * 3600 + int(rng.integers(-20, 50)) * 60
                sitting = int(rng.integers(30, 61))
                for done, row in enumerate(part):
                    if done and done % sitting == 0:
                        clock += int(rng.integers(15, 76)) * 60
                    clock += 12 + int(rng.gamma(2.0, 11.0))
                    seconds[row] = clock
    return seconds


def _confusion_cdf(spec: DatasetSpec) -> npt.NDArray[np.float64]:
    """Cumulative distribution of the wrong label given the intended one."""
    n = len(spec.labels)
    weights = np.ones((n, n))
    for label, near in spec.neighbours.items():
        weights[spec.labels.index(label), [spec.labels.index(x) for x in near]] = NEIGHBOUR_WEIGHT
    np.fill_diagonal(weights, 0.0)
    return np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)


def _labels(
    judgements: pd.DataFrame, items: pd.DataFrame, spec: DatasetSpec, rng: np.random.Generator
) -> npt.NDArray[np.int_]:
    """Label index of every judgement, following the annotators' profiles."""
    n_labels = len(spec.labels)
    index = {label: i for i, label in enumerate(spec.labels)}
    item = judgements["item"].to_numpy()
    annotator = judgements["annotator"].to_numpy()
    profile = np.array([spec.annotators[a].profile for a in annotator])
    rnd = items["round"].to_numpy()[item]
    gold = items["gold"].map(index).to_numpy()[item]
    group = items["group"].to_numpy()[item]
    error = items["error_label"].map(lambda x: index.get(x, -1)).to_numpy()[item]

    intended = gold.copy()
    lean = {
        (a, g): rng.uniform(-GROUP_LEAN, GROUP_LEAN)
        for a in range(len(spec.annotators))
        for g in spec.groups
    }
    u_pair = rng.random(len(judgements))
    for name, (pair, gold_label, _) in spec.groups.items():
        rows = group == name
        other = index[pair[1] if pair[0] == gold_label else pair[0]]
        share = GROUP_GOLD_SHARE + np.array([lean[(a, name)] for a in annotator[rows]])
        intended[rows] = np.where(u_pair[rows] < share, index[gold_label], other)
    planted = error >= 0
    intended[planted] = np.where(
        rng.random(planted.sum()) < ERROR_FOLLOW, error[planted], gold[planted]
    )

    accuracy = np.array([ACCURACY[p] for p in profile])
    accuracy -= np.isin(profile, LEARNS) * ROUND_PENALTY[rnd]
    accuracy -= (profile == "expert") * EXPERT_PENALTY[rnd]
    fatigue = profile == "fatigue"
    accuracy[fatigue] -= FATIGUE_DROP * judgements["position"].to_numpy()[fatigue]
    cdf = _confusion_cdf(spec)
    wrong = (cdf[intended] < rng.random(len(judgements))[:, None]).sum(axis=1)
    label = np.where(
        rng.random(len(judgements)) < accuracy, intended, np.minimum(wrong, n_labels - 1)
    )

    favoured = index[spec.favoured_label]
    biased = (profile == "biased") & (gold != favoured) & ~planted
    label[biased & (rng.random(len(judgements)) < BIAS_RATE)] = favoured
    clicked = (profile == "near_random") & (rng.random(len(judgements)) < RANDOM_SHARE[rnd])
    label[clicked] = rng.integers(n_labels, size=len(judgements))[clicked]
    return _keep_planted_majority(label, item, error)


def _keep_planted_majority(
    label: npt.NDArray[np.int_], item: npt.NDArray[np.int_], error: npt.NDArray[np.int_]
) -> npt.NDArray[np.int_]:
    """Make the planted wrong label a strict majority on every planted-error item."""
    label = label.copy()
    for it in np.unique(item[error >= 0]):
        rows = np.flatnonzero(item == it)
        target = error[rows[0]]
        short = len(rows) // 2 + 1 - int((label[rows] == target).sum())
        if short > 0:
            label[rows[label[rows] != target][:short]] = target
    return label


def _iso(day0: date, seconds: int, offset_minutes: int) -> str:
    tz = timezone(timedelta(minutes=offset_minutes))
    start = datetime(day0.year, day0.month, day0.day, tzinfo=tz)
    return (start + timedelta(seconds=int(seconds))).isoformat(timespec="seconds")


def simulate(spec: DatasetSpec) -> SimulatedDataset:
    """Simulate one dataset from its spec (deterministic for a given ``spec.seed``)."""
    rng = np.random.default_rng(spec.seed)
    items = _plant_items(spec, rng)
    rounds = items["round"].to_numpy()
    workload = np.array([WORKLOAD.get(a.profile, (1.0, 1.0, 1.0)) for a in spec.annotators])
    judgements = _assign(workload, rounds, rng)
    local = _sessions(judgements, rounds, spec, rng)
    offsets = np.array([a.utc_offset_minutes for a in spec.annotators])
    judgements["utc"] = local - offsets[judgements["annotator"].to_numpy()] * 60
    rank = judgements.groupby("annotator")["utc"].rank(method="first") - 1
    size = judgements.groupby("annotator")["utc"].transform("size")
    judgements["position"] = rank / (size - 1)
    judgements["label"] = _labels(judgements, items, spec, rng)
    judgements = judgements.sort_values(["item", "utc"], kind="stable")

    roster = spec.annotators
    row_item = items.iloc[judgements["item"].to_numpy()]
    table = pd.DataFrame(
        {
            "item_id": row_item["item_id"].to_numpy(),
            "annotator": [roster[a].name for a in judgements["annotator"]],
            "label": [spec.labels[x] for x in judgements["label"]],
            "text": row_item["text"].to_numpy(),
            "timestamp": [
                _iso(spec.first_day, s, roster[a].utc_offset_minutes)
                for s, a in zip(local[judgements.index], judgements["annotator"], strict=True)
            ],
            "batch": [BATCHES[r] for r in row_item["round"]],
            "annotator_group": [roster[a].group for a in judgements["annotator"]],
        }
    )
    key = pd.DataFrame(
        {
            "item_id": items["item_id"],
            "gold_label": items["gold"],
            "ambiguity_group": items["group"],
            "ambiguity_labels": items["pair"],
            "planted_error": items["error_label"].ne("").map({True: "true", False: "false"}),
            "error_label": items["error_label"],
            "is_noisy_variant": items["noisy"].map({True: "true", False: "false"}),
            "variant_of": items["variant_of"],
        }
    )
    return SimulatedDataset(table=table.reset_index(drop=True), answer_key=key)
