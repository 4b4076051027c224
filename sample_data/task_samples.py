"""Span and multi-label samples: texts written for the project, seeded annotator habits.

* ``en_trial_spans``: 60 English trial-abstract sentences, spans PARTICIPANTS,
  INTERVENTION, OUTCOME; five annotators. Planted: ``mia_chen`` leaves the age range out of
  PARTICIPANTS spans (the gold and the others include it); ``omar_haddad`` leaves the
  article ("the"/"a") out of INTERVENTION spans that start with one; ``lena_fischer`` labels
  the comparator INTERVENTION as OUTCOME (the type confusion) on ~70% of sentences;
  ``raj_iyer`` misses ~40% of OUTCOME spans; ``sara_novak`` is careful.
* ``ko_trial_spans``: 60 Korean sentences, the same three types (대상자, 중재, 결과 in
  the texts; labels in English). Planted: ``choi_yuna`` leaves the age range
  ("만 20~65세") out of PARTICIPANTS spans; ``han_jisoo`` includes the object particle
  (을/를) at the end of INTERVENTION spans; ``oh_minjun`` labels the comparator
  INTERVENTION as OUTCOME on ~70%; ``yoon_seo`` misses ~40% of OUTCOME spans;
  ``kang_dohyun`` is careful.
* ``en_support_tags``: 60 support messages, a set of tags per message (billing, refund,
  delivery, technical_issue, account_access, complaint, urgent); four annotators:
  ``tess_ward`` careful, ``umar_ali`` adds ``complaint`` to ~40% of messages without it,
  ``vera_lind`` keeps only the first tag of ~50% of multi-tag messages, ``will_moss`` swaps
  billing and refund on ~30% of the messages that have one.

Files (under ``tasks/``): Label Studio JSON and CoNLL for the English spans, doccano JSONL
and Label Studio JSON for the Korean spans, Label Studio JSON (multiple choices) and a long
CSV with ``|``-joined tags for the tags; ``*_answer_key.csv`` holds the gold spans / tags.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pandas as pd

SEED = 20240915

EN_PARTICIPANTS = ["adults with moderate asthma", "children with type 1 diabetes",
                   "women with chronic migraine", "older adults with knee osteoarthritis",
                   "smokers with mild COPD", "patients with major depression",
                   "men with hypertension", "students with insomnia",
                   "nurses with lower back pain", "patients with atrial fibrillation"]
EN_AGES = ["aged 18-65 years", "aged 6-12 years", "aged 25-50 years", "aged 60-80 years",
           "aged 40-70 years"]
EN_DRUGS = ["inhaled budesonide", "metformin", "topiramate", "a home exercise programme",
            "nicotine patches", "sertraline", "low-dose aspirin", "cognitive behavioural therapy",
            "the acupuncture protocol", "apixaban"]
EN_COMPARATORS = ["placebo", "usual care", "a waiting list", "standard dressings", "warfarin"]
EN_OUTCOMES = ["symptom-free days", "HbA1c at six months", "monthly headache days",
               "pain on walking", "quit rates at one year", "depression scores",
               "systolic blood pressure", "sleep onset latency", "days off work", "stroke rates"]
EN_TEMPLATES = [
    "We randomised {n} {P} {A} to {I} or {C}; the primary outcome was {O}.",
    "In this trial, {n} {P} {A} received {I} or {C}, and we measured {O}.",
    "A total of {n} {P} {A} were assigned to {I} versus {C} to compare {O}.",
]

KO_PARTICIPANTS = ["중등도 천식 성인 환자", "제1형 당뇨병 아동", "만성 편두통 여성",
                   "무릎 골관절염 노인", "경증 만성폐쇄성폐질환 흡연자", "주요우울장애 환자",
                   "고혈압 남성", "불면증 대학생", "요통이 있는 간호사", "심방세동 환자"]
KO_AGES = ["만 20~65세", "만 6~12세", "만 25~50세", "만 60~80세", "만 40~70세"]
KO_DRUGS = ["흡입 부데소니드", "메트포르민", "토피라메이트", "가정 운동 프로그램", "니코틴 패치",
            "설트랄린", "저용량 아스피린", "인지행동치료", "침 치료", "아픽사반"]
KO_COMPARATORS = ["위약", "통상 치료", "대기 명단", "표준 드레싱", "와파린"]
KO_OUTCOMES = ["무증상 일수", "6개월 당화혈색소", "월간 두통 일수", "보행 시 통증",
               "1년 금연율", "우울 점수", "수축기 혈압", "수면 잠복기", "결근 일수", "뇌졸중 발생률"]
KO_TEMPLATES = [
    "{P} {n}명({A})을 {I}군과 {C}군으로 무작위 배정하고 {O}을 비교하였다.",
    "본 연구는 {P} {n}명({A})에게 {I}를 투여하고 {C}와 {O}을 비교하였다.",
]

TAG_PARTS = {
    "billing": ["I was charged twice for my order.", "The invoice shows the wrong amount."],
    "refund": ["I want my money back.", "Please refund the cancelled item."],
    "delivery": ["The parcel has not arrived after two weeks.", "The courier left it at the wrong address."],
    "technical_issue": ["The app crashes when I open the basket.", "The checkout page shows an error."],
    "account_access": ["I cannot log in to my account.", "The password reset email never comes."],
    "complaint": ["This is the third time this has happened.", "Your service has been terrible."],
    "urgent": ["I need this fixed today.", "Please answer as soon as possible."],
}
TAGS = tuple(TAG_PARTS)


def _fill(template: str, parts: dict[str, str]) -> tuple[str, dict[str, tuple[int, int]]]:
    """Fill a template and return the text with the offsets of each placeholder."""
    text, where = "", {}
    for piece in re.split(r"(\{[A-Za-z]\})", template):
        if re.fullmatch(r"\{[A-Za-z]\}", piece):
            value = parts[piece[1]]
            where[piece[1]] = (len(text), len(text) + len(value))
            text += value
        else:
            text += piece
    return text, where


def _span_docs(language: str, rng: random.Random) -> list[dict]:
    en = language == "en"
    lists = ((EN_PARTICIPANTS, EN_AGES, EN_DRUGS, EN_COMPARATORS, EN_OUTCOMES, EN_TEMPLATES)
             if en else (KO_PARTICIPANTS, KO_AGES, KO_DRUGS, KO_COMPARATORS, KO_OUTCOMES,
                         KO_TEMPLATES))
    participants, ages, drugs, comparators, outcomes, templates = lists
    docs = []
    for number in range(1, 61):
        parts = {"P": rng.choice(participants), "A": rng.choice(ages), "I": rng.choice(drugs),
                 "C": rng.choice(comparators), "O": rng.choice(outcomes),
                 "n": str(rng.randrange(40, 400, 2))}
        template = templates[number % len(templates)]
        text, where = _fill(template, parts)
        p_start, _ = where["P"]
        _, a_end = where["A"]
        # the gold PARTICIPANTS span runs to the end of the age range (Korean: its bracket)
        gold_p = (p_start, a_end + (0 if en else 1))
        docs.append({"item_id": f"{language}-span-{number:03d}", "text": text, "where": where,
                     "gold": [(gold_p[0], gold_p[1], "PARTICIPANTS"),
                              (*where["I"], "INTERVENTION"), (*where["C"], "INTERVENTION"),
                              (*where["O"], "OUTCOME")]})
    return docs


def _habit_spans(doc: dict, annotator: str, habit: str, language: str,
                 rng: random.Random) -> list[tuple[int, int, str]]:
    text, where = doc["text"], doc["where"]
    out = []
    for start, end, label in doc["gold"]:
        if habit == "excludes_age" and label == "PARTICIPANTS":
            end = where["P"][1]
        elif habit == "article" and label == "INTERVENTION" and language == "en":
            match = re.match(r"(?:the|a) ", text[start:end])
            if match:
                start += match.end()  # leaves the article out
        elif habit == "particle" and label == "INTERVENTION" and language == "ko":
            match = re.match(r"[을를군]", text[end:])
            if match:
                end += 1
        elif habit == "type_confusion" and (start, end) == where["C"] and rng.random() < 0.7:
            label = "OUTCOME"
        elif habit == "misses_outcome" and label == "OUTCOME" and rng.random() < 0.4:
            continue
        if habit != "careful" and rng.random() < 0.05:
            continue  # an occasional slip
        out.append((start, end, label))
    del annotator
    return out


SPAN_ANNOTATORS = {
    "en": (("sara_novak", "careful"), ("mia_chen", "excludes_age"),
           ("omar_haddad", "article"), ("lena_fischer", "type_confusion"),
           ("raj_iyer", "misses_outcome")),
    "ko": (("kang_dohyun", "careful"), ("choi_yuna", "excludes_age"),
           ("han_jisoo", "particle"), ("oh_minjun", "type_confusion"),
           ("yoon_seo", "misses_outcome")),
}


def span_sample(language: str) -> tuple[list[dict], pd.DataFrame, pd.DataFrame]:
    """Documents, judgements (one row per span, empty label rows for no span) and answer key."""
    rng = random.Random(SEED + (1 if language == "ko" else 0))
    docs = _span_docs(language, rng)
    rows, key = [], []
    for doc in docs:
        for start, end, label in doc["gold"]:
            key.append({"item_id": doc["item_id"], "start": start, "end": end, "label": label,
                        "text": doc["text"][start:end]})
        for annotator, habit in SPAN_ANNOTATORS[language]:
            for start, end, label in _habit_spans(doc, annotator, habit, language, rng):
                rows.append({"item_id": doc["item_id"], "annotator": annotator,
                             "start": start, "end": end, "label": label})
    return docs, pd.DataFrame(rows), pd.DataFrame(key)


def label_studio_spans(docs: list[dict], spans: pd.DataFrame, annotators: tuple) -> list[dict]:
    ids = {name: k + 1 for k, (name, _) in enumerate(annotators)}
    tasks = []
    for number, doc in enumerate(docs, start=1):
        annotations = []
        mine = spans[spans["item_id"] == doc["item_id"]]
        for name, _ in annotators:
            own = mine[mine["annotator"] == name]
            result = [{"value": {"start": int(r.start), "end": int(r.end),
                                 "text": doc["text"][r.start:r.end], "labels": [r.label]},
                       "id": f"{doc['item_id']}-{name}-{k}", "from_name": "label",
                       "to_name": "text", "type": "labels", "origin": "manual"}
                      for k, r in enumerate(own.itertuples())]
            annotations.append({"id": number * 10 + ids[name], "completed_by": ids[name],
                                "result": result[::-1], "was_cancelled": False})
        tasks.append({"id": number, "data": {"item_id": doc["item_id"], "text": doc["text"]},
                      "annotations": annotations})
    return tasks


def conll(docs: list[dict], spans: pd.DataFrame, annotators: tuple) -> str:
    """Tokens (whitespace and punctuation split) with one BIO column per annotator."""
    lines = ["token\t" + "\t".join(name for name, _ in annotators)]
    for doc in docs:
        text = doc["text"]
        tokens = [(m.start(), m.end()) for m in re.finditer(r"\w[\w-]*|[^\w\s]", text)]
        mine = spans[spans["item_id"] == doc["item_id"]]
        columns = []
        for name, _ in annotators:
            tags = ["O"] * len(tokens)
            for r in mine[mine["annotator"] == name].itertuples():
                inside = [k for k, (s, e) in enumerate(tokens) if s < r.end and r.start < e]
                for position, k in enumerate(inside):
                    tags[k] = ("B-" if position == 0 else "I-") + r.label
            columns.append(tags)
        for k, (s, e) in enumerate(tokens):
            lines.append(text[s:e] + "\t" + "\t".join(tags[k] for tags in columns))
        lines.append("")
    return "\n".join(lines) + "\n"


def tag_sample() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Long table (one row per message and annotator, tags joined by ``|``) and answer key."""
    rng = random.Random(SEED + 2)
    rows, key = [], []
    for number in range(1, 61):
        gold = rng.sample(TAGS, rng.choice([1, 1, 2, 2, 3]))
        text = " ".join(rng.choice(TAG_PARTS[tag]) for tag in gold)
        item = f"en-tags-{number:03d}"
        key.append({"item_id": item, "gold_tags": "|".join(sorted(gold)), "text": text})
        for annotator in ("tess_ward", "umar_ali", "vera_lind", "will_moss"):
            chosen = list(gold)
            if annotator == "umar_ali" and "complaint" not in chosen and rng.random() < 0.4:
                chosen.append("complaint")
            if annotator == "vera_lind" and len(chosen) > 1 and rng.random() < 0.5:
                chosen = chosen[:1]
            if annotator == "will_moss" and rng.random() < 0.3:
                swap = {"billing": "refund", "refund": "billing"}
                chosen = [swap.get(tag, tag) for tag in chosen]
            if annotator != "tess_ward" and rng.random() < 0.05:
                chosen.append(rng.choice(TAGS))
            chosen = sorted(set(chosen))
            rows.append({"item_id": item, "annotator": annotator, "tags": "|".join(chosen),
                         "text": text})
    return pd.DataFrame(rows), pd.DataFrame(key)


def label_studio_tags(table: pd.DataFrame) -> list[dict]:
    ids = {name: k + 1 for k, name in enumerate(pd.unique(table["annotator"]))}
    tasks = []
    for number, (item, group) in enumerate(table.groupby("item_id", sort=False), start=1):
        annotations = [{"id": number * 10 + ids[r.annotator], "completed_by": ids[r.annotator],
                        "result": [{"value": {"choices": r.tags.split("|")}, "id": f"{item}-{k}",
                                    "from_name": "tags", "to_name": "text", "type": "choices",
                                    "origin": "manual"}], "was_cancelled": False}
                       for k, r in enumerate(group.itertuples())]
        tasks.append({"id": number, "data": {"item_id": item, "text": group["text"].iloc[0]},
                      "annotations": annotations})
    return tasks


def _json(value: list) -> bytes:
    """A JSON list with one element per line."""
    lines = ",\n".join(json.dumps(element, ensure_ascii=False) for element in value)
    return f"[\n{lines}\n]\n".encode()


def write_task_samples(out: Path) -> list[Path]:
    """Write every span and multi-label sample under ``out / "tasks"``."""
    folder = out / "tasks"
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, bytes] = {}
    for language in ("en", "ko"):
        docs, spans, key = span_sample(language)
        annotators = SPAN_ANNOTATORS[language]
        name = f"{language}_trial_spans"
        written[f"{name}_labelstudio.json"] = _json(label_studio_spans(docs, spans, annotators))
        written[f"{name}_answer_key.csv"] = key.to_csv(index=False, lineterminator="\n").encode()
        if language == "en":
            written[f"{name}.conll"] = conll(docs, spans, annotators).encode("utf-8")
        else:
            lines = []
            for doc in docs:
                mine = spans[spans["item_id"] == doc["item_id"]]
                for annotator, _ in annotators:
                    own = mine[mine["annotator"] == annotator]
                    lines.append(json.dumps({"id": doc["item_id"], "text": doc["text"],
                                             "label": [[int(r.start), int(r.end), r.label]
                                                       for r in own.itertuples()],
                                             "annotator": annotator}, ensure_ascii=False))
            written[f"{name}_doccano.jsonl"] = ("\n".join(lines) + "\n").encode("utf-8")
    table, key = tag_sample()
    written["en_support_tags.csv"] = table.to_csv(index=False, lineterminator="\n").encode()
    written["en_support_tags_answer_key.csv"] = key.to_csv(index=False,
                                                           lineterminator="\n").encode()
    written["en_support_tags_labelstudio.json"] = _json(label_studio_tags(table))
    paths = []
    for name, data in written.items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    return paths
