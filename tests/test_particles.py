"""Korean particles after labels and names the strings do not know in advance."""

from __future__ import annotations

import pytest

from analysis.base.particles import attach_particles
from analysis.report.verdict import verdict
from analysis.tasks.spans.ambiguity import rule_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'contradiction'와(과) 'neutral'", "'contradiction'과 'neutral'"),
        ("'entailment'와(과) 'neutral'", "'entailment'와 'neutral'"),
        ("'positive'을(를) 고르세요", "'positive'를 고르세요"),
        ("PER와(과) ORG", "PER과 ORG"),
        ("ORG와(과) PER", "ORG와 PER"),
        ("경제와(과) 사회", "경제와 사회"),
        ("사회적이(가) 아니라", "사회적이 아니라"),
        ("**서울**(으)로", "**서울**로"),
        ("부산(으)로", "부산으로"),
        ("버전 2(으)로", "버전 2로"),
        ("레이블 '1'이(가) 붙은", "레이블 '1'이 붙은"),
        ("레이블 '2'이(가) 붙은", "레이블 '2'가 붙은"),
        ("규칙 10을(를) 저장", "규칙 10을 저장"),
        ("`hate_speech`은(는) 드뭅니다", "`hate_speech`는 드뭅니다"),
        ("플라이스 카파(0.427, 보통)와(과) 알파", "플라이스 카파(0.427, 보통)와 알파"),
        ("알파 0.435(등간)을(를) 보세요", "알파 0.435(등간)를 보세요"),
        ("?와(과) 그 밖", "?와(과) 그 밖"),  # nothing to read: left for the reader
    ],
    ids=lambda value: value[:16],
)
def test_particles_follow_the_word_before_them(text: str, expected: str) -> None:
    assert attach_particles(text) == expected


def test_korean_texts_carry_no_paired_particle() -> None:
    rule = {"action": "label", "phrase": "aged N", "label": "contradiction", "instead_of": "neutral"}
    assert rule_text(rule, "ko") == "'aged N' 같은 텍스트는 neutral이 아니라 contradiction으로 라벨링하세요"
    report = {"dataset": {"task": "spans", "items": 3, "annotators": 2},
              "overall": {"span_f1_strict": {"value": 0.4}, "span_f1_overlap": {"value": 0.6},
                          "token_krippendorff_alpha": {"value": 0.5}},
              "disagreements": {"overall": {"agreed": 2, "boundary": 1, "type": 4, "missed": 0,
                                            "type_share": 0.8, "boundary_share": 0.2,
                                            "missed_share": 0.0},
                                "type_confusions": [{"label_a": "contradiction", "label_b": "PER",
                                                     "count": 4}]},
              "per_annotator": {}, "per_class": {}, "interpretation": {"overall": {}}}
    assert verdict(report, "ko")[2] == "다음 단계: 'contradiction'과 'PER'을 가르는 규칙을 예시와 함께 쓰고 다시 측정하세요."
