"""The two bundled datasets: annotator rosters, planted themes, dates and seeds."""

from __future__ import annotations

from datetime import date

import noise
import texts_en
import texts_ko
from simulate import Annotator, DatasetSpec

KST = 9 * 60

KO_ANNOTATORS = (
    Annotator("kim_seoyeon", "expert", "expert", KST, 9,
              "Careful expert (about 97% accurate on clear items); the newsroom's senior editor."),
    Annotator("lee_junho", "generalist", "crowd", KST, 10,
              "Reliable generalist (about 85% accurate on clear items; noisier in round 1)."),
    Annotator("park_jiwoo", "fatigue", "crowd", KST, 13,
              "Fatigue: accuracy falls along their own sequence from about 92% to about 50%."),
    Annotator("choi_minseo", "biased", "crowd", KST, 19,
              "Biased toward 사회: labels about a quarter of other-topic items 사회; otherwise decent."),
    Annotator("jung_hyunwoo", "near_random", "crowd", KST, 21,
              "Near-random: clicks a random topic on about 35% of items (most in round 1); otherwise fine. Worst overall."),
)  # fmt: skip

EN_ANNOTATORS = (
    Annotator("alice_morgan", "expert", "expert", -5 * 60, 9,
              "Careful expert (about 97% accurate on clear items); support team lead, US Eastern time."),
    Annotator("ben_okafor", "generalist", "crowd", 0, 10,
              "Reliable generalist (about 85% accurate on clear items; noisier in round 1), UK time."),
    Annotator("carla_reyes", "fatigue", "crowd", 8 * 60, 14,
              "Fatigue: accuracy falls along their own sequence from about 92% to about 50%; Manila time."),
    Annotator("dev_patel", "biased", "crowd", 5 * 60 + 30, 18,
              "Biased toward product_question: labels about a quarter of other-intent messages product_question (a catch-all); India time."),
    Annotator("erin_kowalski", "near_random", "crowd", -6 * 60, 20,
              "Near-random: clicks a random intent on about 35% of items (most in round 1); otherwise fine. Worst overall; US Central time."),
)  # fmt: skip

KO_NEWS = DatasetSpec(
    name="ko_news_topics",
    prefix="ko",
    labels=texts_ko.LABELS,
    texts=texts_ko.HEADLINES,
    groups=texts_ko.AMBIGUITY_GROUPS,
    annotators=KO_ANNOTATORS,
    favoured_label="사회",
    neighbours={
        "정치": ("사회", "세계"),
        "경제": ("사회", "IT과학"),
        "사회": ("정치", "경제", "생활문화"),
        "생활문화": ("사회", "스포츠"),
        "세계": ("정치", "경제"),
        "IT과학": ("경제", "생활문화"),
        "스포츠": ("생활문화", "사회"),
    },
    first_day=date(2024, 9, 2),
    make_noisy=noise.noisy_korean,
    n_noisy=150,
    n_errors=20,
    seed=20240902,
)

EN_SUPPORT = DatasetSpec(
    name="en_support_intents",
    prefix="en",
    labels=texts_en.LABELS,
    texts=texts_en.MESSAGES,
    groups=texts_en.AMBIGUITY_GROUPS,
    annotators=EN_ANNOTATORS,
    favoured_label="product_question",
    neighbours={
        "billing": ("refund", "technical_issue"),
        "refund": ("billing", "complaint"),
        "cancel_subscription": ("billing", "account_access"),
        "delivery": ("complaint", "product_question"),
        "technical_issue": ("account_access", "product_question"),
        "account_access": ("technical_issue", "cancel_subscription"),
        "product_question": ("technical_issue", "delivery"),
        "complaint": ("delivery", "refund"),
    },
    first_day=date(2024, 11, 11),
    make_noisy=noise.noisy_english,
    n_noisy=150,
    n_errors=20,
    seed=20241111,
)

DATASETS: tuple[DatasetSpec, ...] = (KO_NEWS, EN_SUPPORT)
