"""The English support-intent sample with two model annotators beside the five people.

``models/en_support_intents_llm.csv`` is ``en_support_intents.csv`` (the same people, the
same judgements) plus every item labelled by two simulated models, with an
``annotator_type`` column saying who is a person (``human``) and who is not (``llm``,
``model``):

* ``assistant-large`` (``llm``): gives the gold label on about 94% of clear items, splits
  ambiguity groups like a careful person (the gold side 60% of the time), keeps the gold
  label on planted errors (it does not share the people's systematic slip), and has one
  planted weakness: about half of the ``account_access`` messages it calls
  ``technical_issue``;
* ``intent-classifier`` (``model``): about 68% accurate on every kind of item, its errors
  spread over the other intents.

So the Alternative Annotator Test should let the LLM replace an annotator (it beats most of
them), not the classifier, and the per-label comparison should show the LLM worse than a
typical annotator on ``account_access``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2029
LLM, CLASSIFIER = "assistant-large", "intent-classifier"
WEAK_LABEL, WEAK_AS, WEAK_SHARE = "account_access", "technical_issue", 0.5


def _other(rng: np.random.Generator, labels: list[str], label: str) -> str:
    others = [x for x in labels if x != label]
    return others[int(rng.integers(len(others)))]


def model_rows(table: pd.DataFrame, key: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """The two models' judgements on every item of ``table`` (answer key ``key``)."""
    rng = np.random.default_rng(SEED)
    first = table.drop_duplicates("item_id").set_index("item_id")
    rows = []
    for entry in key.itertuples(index=False):
        gold, pair = entry.gold_label, [p for p in str(entry.ambiguity_labels).split("|") if p]
        if pair and entry.ambiguity_group:
            llm = gold if rng.random() < 0.6 else next(p for p in pair if p != gold)
        elif gold == WEAK_LABEL and rng.random() < WEAK_SHARE:
            llm = WEAK_AS
        else:
            llm = gold if rng.random() < 0.94 else _other(rng, labels, gold)
        classifier = gold if rng.random() < 0.55 else _other(rng, labels, gold)
        for name, label, kind in ((LLM, llm, "llm"), (CLASSIFIER, classifier, "model")):
            rows.append({"item_id": entry.item_id, "annotator": name, "label": label,
                         "text": first.loc[entry.item_id, "text"], "timestamp": "",
                         "batch": first.loc[entry.item_id, "batch"], "annotator_group": "model",
                         "annotator_type": kind})
    return pd.DataFrame(rows)


def write_model_samples(out: Path, table: pd.DataFrame, key: pd.DataFrame,
                        labels: list[str]) -> Path:
    """Write ``models/en_support_intents_llm.csv`` under ``out``."""
    folder = out / "models"
    folder.mkdir(parents=True, exist_ok=True)
    people = table.assign(annotator_type="human")
    combined = pd.concat([people, model_rows(table, key, labels)], ignore_index=True)
    path = folder / "en_support_intents_llm.csv"
    path.write_bytes(combined.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    return path
