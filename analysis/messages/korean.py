"""The Korean text of every engine note, by code, for the Korean dashboard.

The same placeholders as the English template of each code (:mod:`analysis.messages.english`);
particles after a value (``이(가)``, ``을(를)`` ...) are picked by
:func:`analysis.base.particles.attach_particles` when the note is rendered.
"""

from __future__ import annotations

from typing import Final

KOREAN: Final[dict[str, str]] = {
    "interval.percentile": "95% 부트스트랩 백분위 구간, 항목 재표집 {resamples}회(시드 {seed})",
    "interval.undefined_left_out": "값이 정의되지 않은 재표집 {count}회 제외",
    "interval.too_few_pairable": "구간 없음: 두 명 이상이 판정한 항목이 {minimum}개 미만",
    "interval.too_few": "구간 없음: {unit} {minimum}개 미만",
    "interval.disabled": "구간 없음: 부트스트랩을 끔",
    "interval.mostly_undefined": "구간 없음: 대부분의 재표집에서 값이 정의되지 않음",
    "interval.no_se": "구간 없음: 표준오차가 정의되지 않음",
    "interval.kappa_se": "95% 구간: 카파 ± 1.96 × 표준오차, statsmodels 점근 표준오차 {se:.4f}",
    "unit.items": "항목",
    "unit.documents": "문서",
    "unit.shared_items": "공유 항목",
    "values.none": "값이 없습니다",
    "level.nominal": "명목",
    "level.ordinal": "서열",
    "level.interval": "등간",
    "level.ratio": "비율",
    "metric.level": "{level} 수준",
    "weighting.nominal": "가중치 없음",
    "weighting.ordinal": "라벨 순위에 선형 가중치",
    "weighting.interval": "라벨 값에 제곱 가중치",
    "agreement.one_annotator": "작업자가 한 명뿐입니다: 일치도에는 두 명 이상이 필요합니다",
    "agreement.single_rated": "두 명 이상이 판정한 항목이 없습니다: 모든 항목이 한 번씩만 판정되었습니다",
    "agreement.no_pairable_item": "두 명 이상이 판정한 항목이 없습니다",
    "agreement.no_shared_item": "두 명 이상이 라벨링한 항목이 없습니다",
    "agreement.share_of_pairs": "두 명 이상이 판정한 항목마다 일치하는 판정 쌍의 비율을 구해 평균",
    "agreement.unequal_counts": "항목마다 판정 수가 다릅니다: 항목별 일치는 그 항목의 판정 수로 계산하고, 라벨 "
                                "비율은 두 명 이상이 판정한 항목의 판정을 모아 계산합니다",
    "agreement.one_label": "두 명 이상이 판정한 항목의 판정이 모두 {label!r}입니다: 우연 보정 일치도가 정의되지 않음",
    "agreement.expected_one": "기대 일치가 1입니다: 계수가 정의되지 않음",
    "agreement.fewer_than_two_labels": "라벨이 두 개 미만입니다",
    "alpha.no_variation": "짝지을 수 있는 값에 변동이 없습니다: 알파가 정의되지 않음",
    "alpha.same_label": "두 번 이상 판정된 항목의 판정이 모두 같은 라벨입니다: 알파가 정의되지 않음",
    "alpha.undefined": "알파가 정의되지 않습니다",
    "class.one_vs_rest": "명목, 이 라벨 대 나머지 모든 라벨",
    "class.label_absent": "두 명 이상이 판정한 항목 중 라벨 {label!r}이(가) 붙은 항목이 없습니다",
    "class.always_or_never": "라벨 {label!r}이(가) 짝지을 수 있는 판정 모두에 쓰였거나 하나에도 쓰이지 "
                             "않았습니다: 정의되지 않음",
    "cohen.needs_two": "코헨 카파는 작업자가 정확히 두 명이어야 합니다; 이 데이터에는 작업자가 {annotators}명입니다"
                       "(라이트 카파를 보세요)",
    "cohen.statsmodels_se": "statsmodels 점근 표준오차 {se:.4f}(Fleiss, Cohen & Everitt 1969)",
    "cohen.no_shared_item": "두 작업자가 함께 라벨링한 항목이 없습니다",
    "cohen.single_label": "양쪽 모두 한 라벨뿐입니다(기대 일치 1): 카파가 정의되지 않음",
    "cohen.no_items": "항목 없음: {reason}",
    "light.mean": "라이트 카파: 작업자 쌍 {pairs}개 중 {defined}개의 코헨 카파 평균({weighting})",
    "light.unshared_pairs": "공유 항목이 없는 쌍은 값이 없음",
    "light.few_left_out": "공유 항목이 {minimum}개 미만인 쌍 {count}개 제외",
    "light.crowd": "공유 항목이 {minimum}개 이상인 작업자 쌍이 없습니다(쌍 {count}개가 그보다 적게 공유, 크라우드 "
                   "데이터처럼): 항목 몇 개로 구한 코헨 카파는 잡음이라 평균을 내지 않습니다; 크리펜도르프 알파나 "
                   "플라이스 카파를 보세요",
    "light.none_defined": "코헨 카파가 정의된 작업자 쌍이 없습니다(겹치는 항목이 없거나 라벨이 하나뿐)",
    "annotator.no_other": "다른 작업자가 없습니다",
    "annotator.no_shared_label": "이 작업자와 다른 작업자가 함께 라벨링한 항목이 없습니다",
    "annotator.no_shared_rating": "이 작업자와 다른 작업자가 함께 평가한 항목이 없습니다",
    "annotator.no_shared_item": "다른 작업자와 함께 판정한 항목이 없습니다",
    "annotator.no_judgements": "이 작업자는 판정을 하지 않았습니다",
    "annotator.no_majority": "다른 작업자들이 과반으로 합의한 항목이 없습니다",
    "annotator.no_majority_label": "다른 작업자들 사이에 과반 라벨이 있는 항목이 없습니다",
    "annotator.others_alpha_undefined": "다른 작업자들의 알파가 정의되지 않습니다",
    "without.one_remains": "작업자가 한 명만 남습니다",
    "without.change_undefined": "이 작업자를 넣거나 빼면 알파가 정의되지 않습니다",
    "without.no_shared_item": "이 작업자를 빼면 알파가 정의되지 않습니다: 두 명 이상이 라벨링한 항목이 없습니다",
    "without.same_label": "이 작업자를 빼면 알파가 정의되지 않습니다: 두 번 이상 판정된 항목의 판정이 모두 같은 "
                          "라벨입니다",
    "without.removed": "{level} 수준, 이 작업자의 판정을 뺌",
    "without.change": "이 작업자를 뺀 알파에서 모두의 알파를 뺀 값",
    "without.paired_interval": "95% 짝지은 부트스트랩 구간, 항목 재표집 {resamples}회(시드 {seed})",
    "annotator.against_majority": "다른 작업자들의 과반과 비교; 다른 작업자들이 동률인 항목 {ties}개와 다른 판정이 "
                                  "없는 항목 {missing}개 제외",
    "annotator.label_bias": "같은 항목에서 이 작업자와 다른 작업자들의 라벨 비율 사이의 총변동거리(0 같음, 1 "
                            "완전히 다름); 기술 통계, 구간 없음",
    "group.one_label": "그룹 과반 라벨이 하나뿐입니다",
    "round.change_undefined": "이번 라운드나 이전 라운드의 알파가 정의되지 않습니다",
    "multilabel.same_set": "짝지을 수 있는 판정이 모두 같은 라벨 집합입니다: 알파가 정의되지 않음",
    "multilabel.label_constant": "짝지을 수 있는 항목의 판정이 모두 이 라벨에 대해 같습니다(항상 있거나 항상 "
                                 "없음): 우연 보정 일치도가 정의되지 않음",
    "pair_sample.sampled": "작업자 {annotators:,}명 중 무작위로 뽑은 {kept:,}명의 모든 쌍으로 추정: 공유 항목의 판정 쌍 "
                           "{pairs:,}개는 전부 계산하는 한도(판정 쌍 {limit:,}개, 작업자 쌍 {listed:,}개; {setting})를 "
                           "넘습니다; 구간은 작업자가 아니라 항목을 재표집합니다",
    "pair_sample.spans_sampled": "작업자 {annotators:,}명 중 무작위로 뽑은 {kept:,}명의 모든 쌍으로 추정: 겹치는 스팬 "
                                 "쌍과 한 문서의 판정 쌍 {pairs:,}개는 전부 계산하는 한도(쌍 {limit:,}개, 작업자 쌍 "
                                 "{listed:,}개; {setting})를 넘습니다; 구간은 작업자가 아니라 문서를 재표집합니다",
    "round.change": "이번 라운드의 알파에서 이전 라운드의 알파를 뺀 값; 라운드 안에서 항목을 재표집하는 설계상 짝지은 "
                    "부트스트랩",
    "round.change_no_interval": "구간 없음: 이번 라운드나 이전 라운드의 항목이 너무 적거나, 대부분의 재표집에서 알파가 "
                                "정의되지 않음",
    "group.between": "그룹 간: 두 그룹이 모두 라벨링한 항목에서 그룹별 과반 라벨 사이의 알파",
    "quality.ds_accuracy": "데이비드-스킨 모형이 추정한 이 작업자 라벨의 정답 비율; 판정에 대한 윌슨 점수 95% 구간",
    "quality.loo_agreement": "다른 작업자들의 과반과 일치하는 비율; 윌슨 점수 95% 구간",
    "quality.alpha_without": "다른 작업자들의 {level} 크리펜도르프 알파; 변화 {change:+.3f}",
    "bias.chi2": "같은 항목에서 다른 작업자들의 투표 비율에 대한 이 작업자 라벨의 카이제곱 적합도 검정(자유도 {df}); "
                 "홀름 보정 p={p:.3g}; 크라메르 V={v:.3f}",
    "bias.too_few_items": "다른 작업자와 공유한 항목이 {items}개뿐입니다(최소 {minimum}개 필요)",
    "bias.one_label": "데이터에 라벨이 하나뿐입니다",
    "bias.pair_too_few": "공유 항목이 {overlap}개뿐입니다(최소 {minimum}개 필요)",
    "bias.pair_single_label": "두 작업자가 공유 항목에서 각자 한 라벨만 썼습니다",
    "bias.pair_singular": "라벨 표가 특이 행렬이라 스튜어트-맥스웰 검정이 정의되지 않습니다",
    "fatigue.slope": "다른 작업자 과반과의 일치를 [0, 1]로 맞춘 순서 위치에 로지스틱 회귀(기울기는 로그 오즈, 첫 "
                     "판정에서 마지막 판정까지); {correction} 보정 p={p:.3g}",
    "fatigue.too_few": "비교한 판정이 {count}개뿐입니다(최소 {minimum}개 필요)",
    "fatigue.all_agree": "비교한 판정이 모두 다른 작업자들의 과반과 일치해 맞출 추세가 없습니다",
    "fatigue.all_disagree": "비교한 판정이 모두 다른 작업자들의 과반과 달라 맞출 추세가 없습니다",
    "fatigue.separated": "일치 여부가 위치로 완전히 갈려 기울기를 추정할 수 없습니다",
    "fatigue.not_finite": "로지스틱 적합에서 유한한 기울기가 나오지 않았습니다",
    "unit.rank_steps": "순위 단계",
    "unit.label_values": "라벨 값",
    "leniency.defined": "같은 항목에서 다른 작업자들의 평균과의 차이의 평균, 단위 {unit}(양수: 더 높게 평가)",
    "leniency.no_interval": "구간 없음: {reason}",
    "leniency.too_few": "다른 작업자도 평가한 항목의 판정이 {count}개뿐입니다(구간에는 최소 {minimum}개 필요)",
    "leniency.t_interval": "항목에 대한 95% t 구간; 홀름 보정 p={p:.3g}",
    "drift.trend": "[0, 1]로 맞춘 순서 위치에 대한 다른 작업자들의 중앙값까지 거리의 최소제곱 추세(기울기 단위 {unit}, "
                   "첫 판정에서 마지막 판정까지; 양수: 점점 멀어짐); 홀름 보정 p={p:.3g}",
    "drift.too_few": "다른 작업자도 평가한 항목의 판정이 {count}개뿐입니다(최소 {minimum}개 필요)",
    "drift.one_position": "모든 판정이 한 위치에 있어 맞출 추세가 없습니다",
    "drift.flat": "다른 작업자들까지의 거리가 모든 위치에서 같아 검정할 추세가 없습니다",
    "camps.method": "코헨 카파의 쌍별 평균({weighting}); 95% 부트스트랩 백분위 구간, 항목 재표집 {resamples}회(시드 "
                    "{seed})",
    "camps.within": "진영 안(쌍 {pairs}개): {method}",
    "camps.between": "이 진영에서 다른 진영들로(쌍 {pairs}개): {method}",
    "camps.found": "진영 {count}개: 1 - 쌍별 카파의 평균 연결 군집화, 각 진영의 진영 안 구간이 진영 간 구간보다 "
                   "{gap} 이상 높음",
    "prevalence.positive": "긍정",
    "prevalence.negative": "부정",
    "prevalence.specific": "'{label}'에 대한 {side} 특정 일치도(이 라벨 대 나머지)",
    "prevalence.no_positive": "두 명 이상이 판정한 항목 중 '{label}' 판정이 있는 항목이 없습니다",
    "prevalence.no_negative": "두 명 이상이 판정한 항목 중 '{label}' 외 라벨 판정이 있는 항목이 없습니다",
    "model.human_alpha": "사람들의 크리펜도르프 알파({level}), 모델과 사람 두 명 이상이 라벨링한 항목 {items}개에서",
    "model.alpha_with_model": "사람들과 모델의 크리펜도르프 알파({level}), 모델과 사람 두 명 이상이 라벨링한 항목 "
                              "{items}개에서",
    "model.alpha_change": "모델을 넣은 알파에서 사람들의 알파를 뺀 값(짝지은 부트스트랩); 0보다 크면 모델이 사람들끼리보다 "
                          "사람들과 더 잘 일치합니다",
    "model.human_alpha_undefined": "사람들의 알파가 정의되지 않습니다(라벨이 하나뿐)",
    "model.alpha_with_model_undefined": "모델을 넣은 알파가 정의되지 않습니다(라벨이 하나뿐)",
    "model.alpha_change_undefined": "모델을 넣거나 뺀 알파가 정의되지 않습니다",
    "model.human_mean_kappa": "라이트 카파: 사람 쌍들의 코헨 카파 평균({weighting}), 모델과 사람 두 명 이상이 라벨링한 "
                              "항목 {items}개에서",
    "model.model_mean_kappa": "모델과 각 사람의 코헨 카파 평균({weighting}), 모델과 사람 두 명 이상이 라벨링한 항목 "
                              "{items}개에서",
    "model.kappa_difference": "모델과 사람들의 카파 평균에서 사람 쌍들의 카파 평균을 뺀 값(짝지은 부트스트랩); 0보다 "
                              "크면 모델이 보통의 사람 쌍보다 사람과 더 잘 일치합니다",
    "model.human_mean_kappa_undefined": "여기서는 코헨 카파가 정의된 사람 쌍이 없습니다",
    "model.model_mean_kappa_undefined": "모델과 코헨 카파가 정의된 사람이 없습니다",
    "model.kappa_difference_undefined": "두 카파 평균 중 하나가 정의되지 않습니다",
    "model.no_shared_item": "모델과 이 사람이 함께 판정한 항목이 없습니다",
    "model.human_kappa_mean": "공유 항목에서 이 사람과 다른 사람 {humans}명의 코헨 카파 평균; 구간 없음",
    "model.human_kappa_undefined": "여기서는 이 사람과 다른 사람의 코헨 카파가 정의되지 않습니다",
    "model.label_unused": "여기서는 {label!r}을(를) 쓴 판정 쌍이 없습니다",
    "model.human_specific": "사람 쌍들의 특정 일치도",
    "model.model_specific": "모델-사람 쌍들의 특정 일치도",
    "model.specific_difference": "모델-사람 특정 일치도에서 사람-사람 특정 일치도를 뺀 값(짝지은 부트스트랩)",
    "model.specific_undefined": "이 라벨에서는 사람들이나 모델의 특정 일치도가 정의되지 않습니다",
    "model.epsilon": "엡실론: 모델에 허용하는 비용 대비 편익의 여유; 논문은 전문가 작업자에 0.2, 숙련 작업자에 0.15, "
                     "크라우드 작업자에 0.1을 제안하며, 사람들끼리 잘 일치하지 않으면 더 작게 잡습니다",
    "alt.not_tested": "검정하지 않음: 공유 항목이 {items}개로 {minimum}개 미만입니다(t 검정에는 30개 정도 필요)",
    "alt.too_few_humans": "모델과 다른 사람과 항목을 {minimum}개 이상 공유한 사람 작업자가 {tested}명뿐입니다; 검정에는 "
                          "{needed}명이 필요합니다(Calderon 외 2025는 세 명 이상을 권장)",
    "alt.no_shared_item": "모델이 사람 작업자 두 명 이상과 함께 판정한 항목이 없습니다",
    "alt.same_at_epsilon": "모든 항목의 차이가 같고({mean:+.0f}) 엡실론과 같습니다: 귀무가설을 기각할 수 없습니다",
    "alt.same_difference": "모든 항목의 차이가 같습니다({mean:+.0f}); 단측 t 검정(scipy)의 p = {p:g}",
    "multilabel.exact_set": "한 항목의 판정 쌍 중 라벨 집합이 같은 비율",
    "multilabel.set_distance": "라벨 집합을 {distance} 거리로 비교",
    "multilabel.label_undefined": "정의되지 않음: 두 번 이상 라벨링된 항목이 없거나, 모든 판정이 이 라벨에 대해 같습니다",
    "multilabel.prevalence": "이 라벨을 고른 판정의 비율",
    "multilabel.cohen_no_interval": "라벨별 코헨 카파에는 구간 없음",
    "multilabel.cohen_undefined": "공유 항목이 없거나, 두 작업자가 이 라벨에 대해 항상 같습니다",
    "multilabel.labels_per_item": "판정당 평균 라벨 수",
    "multilabel.label_rate_bias": "항목당 자기 라벨 수에서 같은 항목의 다른 작업자 평균을 뺀 값",
    "multilabel.mean_jaccard": "두 집합의 자카드 유사도 평균",
    "multilabel.ambiguity": "같은 항목의 두 판정 사이에 맞바뀐 라벨 쌍(한쪽은 y 대신 x, 다른 쪽은 x 대신 y); 빠진 "
                            "라벨: 한 판정이 다른 판정에 없는 라벨을 더함, 맞바꾼 것은 없음",
    "pair.no_interval": "쌍별 구간 없음",
    "spans.undefined": "정의되지 않음: 두 명 이상이 스팬을 단 문서가 없거나, 변하는 토큰이 없습니다",
    "spans.f1_strict": "쌍별 스팬 F1 합산, 경계와 유형이 정확히 같을 때",
    "spans.f1_overlap": "쌍별 스팬 F1 합산, 같은 유형으로 조금이라도 겹칠 때",
    "spans.token_alpha_tokens": "텍스트 토큰의 IOB 태그에 대한 명목 알파",
    "spans.token_alpha_segments": "스팬 경계 사이 문자 구간의 IOB 태그에 대한 명목 알파",
    "spans.pair_no_span": "두 작업자 모두 공유 문서에 스팬을 달지 않았습니다",
    "spans.f1_vs_dawid_skene": "데이비드-스킨 합의 스팬(보고서의 합의)에 대한 토큰 F1; 정답에 비춰 작업자 순위를 가장 잘 "
                               "매기는 척도(docs/tasks.md); 작업자별 구간 없음",
    "spans.no_token_dawid_skene": "이 작업자의 문서에서 이 작업자나 합의가 표시한 토큰이 없습니다",
    "spans.f1_vs_majority": "각 문서의 다른 작업자 과반에 대한 토큰 F1; 작업자별 구간 없음",
    "spans.no_token_majority": "이 작업자나 다른 작업자 과반이 표시한 토큰이 없습니다",
    "spans.quality": "작업자의 토큰 데이비드-스킨 혼동 행렬의 균형 정확도(모형 기반, 0-1); 구간 없음",
    "spans.disagreements": "각 스팬을 그 문서의 다른 작업자 각각과 비교: 일치(경계와 유형이 같음), 경계(유형은 같고 "
                           "경계가 다름), 유형(다른 유형의 스팬만 겹침), 누락(겹치는 것이 없음)",
    "spans.ambiguity": "불일치 스팬을 종류와 유형으로 묶은 뒤 맥락 속 불일치 텍스트로 군집화(문자 n-gram 임베딩); "
                       "{sample}건이 넘는 묶음은 시드를 고정한 표본 {sample}건으로 군집화(size는 표본, group_cases는 "
                       "묶음 전체의 수)",
    "spans.ambiguity_none": "불일치 스팬이 없습니다",
    "spans.ambiguity_no_texts": "내보낸 파일에 텍스트가 없습니다: 스팬 모호성 분석에는 텍스트가 필요합니다",
    "texts.sentence_pairs": "항목이 문장 쌍입니다: '{text}' 열과 '{text_b}' 열을 함께 임베딩하고 나란히 보여 줍니다",
    "texts.json_turns": "텍스트가 {fields} 필드를 가진 JSON 객체입니다: 마지막 필드 '{field}'를 판정한 텍스트로, "
                        "나머지를 그 맥락으로 읽습니다",
    "list.more": "{shown} 외 {more}개",
    "where.one": "{unit} 번호 {position}",
    "where.many": "{unit} 번호 {positions}",
    "where.unit.row": "행",
    "where.unit.line": "줄",
    "where.unit.record": "레코드",
    "where.unit.task": "태스크",
    "where.unit.document": "문서",
    "where.unit.sentence": "문장",
    "load.number_text_labels": "JSON 숫자와 텍스트로 함께 쓰인 라벨을 하나의 라벨로 읽었습니다: {merged} "
                               "(뜻이 다르면 서로 다른 텍스트로 내보내세요)",
    "load.number_text_labels_more": "JSON 숫자와 텍스트로 함께 쓰인 라벨을 하나의 라벨로 읽었습니다: {merged} 외 "
                                    "{more}개 (뜻이 다르면 서로 다른 텍스트로 내보내세요)",
    "load.invisible_labels": "라벨 {count}개가 보이지 않는 문자({found})로만 되어 있어 빈 라벨로 셌습니다",
    "load.timestamps_unparsable": "타임스탬프 {count}개를 해석하지 못해 비워 두었습니다({where}, 예: {example!r})",
    "load.timestamps_outside": "타임스탬프 {count}개가 1677-2262년 범위를 벗어나 비워 두었습니다({where}, 예: {example!r})",
    "load.unknown_merges": "라벨 병합에 파일에 없는 라벨이 있습니다: {unknown}",
    "load.item_texts_differ": "항목 {count}개가 행마다 텍스트가 다릅니다: 항목마다 첫 텍스트를 씁니다",
    "load.answers_respelled": "{spellings}(으)로 쓰인 답을 {answer!r}(으)로 읽었습니다",
    "load.answers_unknown": "답 {count}개가 accept, reject, ignore 중 어느 것도 아닙니다({shown}): 수락으로 읽지 않고 "
                            "unknown_answer로 제외했습니다",
    "load.binary_answers": "이진 답이 라벨 {labels}개를 묻습니다: (텍스트, 라벨) 질문마다 별도의 항목으로 다룹니다",
    "load.multi_accepted": "답 {count}개가 여러 선택지를 수락했습니다: {separator!r} 구분자로 이어 하나의 라벨로 만들었습니다",
    "load.multi_chosen": "주석 {count}개가 여러 라벨을 골랐습니다: {separator!r} 구분자로 이어 하나의 라벨로 만들었습니다",
    "load.several_controls": "주석 {count}개에 선택 컨트롤이 여럿 있습니다: 첫 컨트롤의 선택만 읽었습니다",
    "load.multi_checked": "과제 할당 {count}건에서 라벨을 여러 개 체크했습니다: {separator!r} 구분자로 이어 하나의 라벨로 만들었습니다",
    "load.records_without_id": "레코드 {count}개에 id 필드(docid, id 등)가 없습니다: 각각 파일과 위치로 이름을 붙였습니다",
    "load.documents_without_text_tokens": "문서 {documents}개 중 {missing}개에 텍스트가 없습니다: 오프셋을 확인하지 않고, "
                                          "토큰은 스팬 경계 사이의 조각이 되며(그래서 토큰 알파를 텍스트가 있는 실행과 "
                                          "비교할 수 없습니다) 모호성 군집에는 텍스트가 필요합니다. 문서마다 id와 "
                                          "텍스트를 담은 보조 파일로 텍스트를 주세요(--texts는 명령줄에서, 대시보드에서는 "
                                          "업로드 아래 '스팬 오프셋의 텍스트')",
    "load.documents_without_text": "문서 {documents}개 중 {missing}개에 텍스트가 없습니다: 오프셋을 확인하지 않으며 "
                                   "모호성 군집에는 텍스트가 필요합니다. 문서마다 id와 텍스트를 담은 보조 파일로 "
                                   "텍스트를 주세요(--texts는 명령줄에서, 대시보드에서는 업로드 아래 '스팬 오프셋의 "
                                   "텍스트')",
    "load.span_texts_differ": "스팬 {compared}개 중 {differ}개의 자체 텍스트가 오프셋 위치의 문서 텍스트와 다릅니다"
                              "(처음: 문서 {item!r}, {start}-{end}은(는) {found!r}, 행에는 {own!r}). 오프셋이 이 "
                              "텍스트의 문자 오프셋(끝 미포함)인지 확인하세요",
    "load.discontinuous_split": "끊어진 주석 {count}개를 조각으로 나누었습니다: 조각마다 같은 유형의 스팬입니다",
    "load.several_questions": "프로젝트에 질문이 {count}개 있습니다({names}): {question!r}을(를) 분석합니다"
                              "('question' 옵션으로 다른 질문을 고를 수 있습니다)",
    "load.links_outside": "링크 {count}개가 폴더 밖을 가리켜 따라가지 않았습니다: {shown}",
    "load.label_lists": "라벨 열에 라벨 목록이 있습니다: 다중 라벨로 읽었습니다. 거부하려면 'task' 옵션을 "
                        "single_label로 정하세요",
    "load.label_separated": "라벨 열에 {separator!r} 구분자로 이은 라벨이 여럿 있습니다: 다중 라벨로 읽었습니다. "
                            "칸마다 하나의 라벨로 읽으려면 'task' 옵션을 single_label로 정하세요",
    "load.label_rows": "행이 같은 항목과 작업자를 다른 라벨로 반복합니다: 다중 라벨 표(고른 라벨마다 한 행)로 "
                       "읽었습니다. 거부하려면 'task' 옵션을 single_label로 정하세요",
    "load.binary_not_utf8": "바이너리 열 {column!r}의 값 {count}개가 UTF-8 텍스트가 아닙니다: 해독할 수 없는 바이트를 "
                            "U+FFFD로 바꾸었습니다. 값을 구별하려면 열을 텍스트(UTF-8)로 쓰세요",
    "load.rows_repeat": "행 {count}개가 같은 항목과 작업자를 반복합니다: 행마다 고른 라벨 하나로 더 읽습니다",
    "load.only_separator": "칸 {count}개에 구분자 {separator!r}만 있습니다: 각각 아무 라벨도 고르지 않은 판정(빈 "
                           "집합)으로 읽습니다",
    "load.no_annotator_field": "작업자 필드가 없습니다: 모든 판정을 {annotator!r}(파일 이름)의 판정으로 봅니다",
    "load.header_twice": "헤더에 {source!r}이(가) 두 번 있습니다(두 번째는 {second!r}(으)로 읽음): 첫 {source!r} "
                         "열만 {canonical}(으)로 읽습니다. 다른 열에 판정이 있으면 이름을 바꾸세요",
    "load.header_times": "헤더에 {source!r}이(가) {times}번 있습니다(두 번째는 {second!r}(으)로 읽음): 첫 {source!r} "
                         "열만 {canonical}(으)로 읽습니다. 다른 열에 판정이 있으면 이름을 바꾸세요",
    "load.unknown_kinds": "모델이나 사람으로 지정한 작업자가 파일에 없습니다: {unknown}",
    "load.level_unused": "--level {level}은(는) 쓰이지 않았습니다: 단일 라벨 데이터에만 적용되며 {task} 데이터에는 "
                         "측정 수준이 없습니다",
    "summary.single_judgement": "항목 {count}개는 판정이 하나뿐이라 일치도에 들어가지 않습니다",
    "summary.one_annotator": "작업자가 한 명뿐입니다: 일치도를 측정할 수 없습니다",
    "summary.nothing_found": "라벨이나 스팬을 찾지 못했습니다: 측정할 것이 없습니다",
    "summary.pairs_sampled": "작업자 쌍의 측정값(mean_pairwise_cohen_kappa, pairwise, 편향 지수, 쌍별 동질성 "
                             "검정)은 다음과 같이 구했습니다: {sample}",
    "summary.span_pairs_sampled": "작업자 쌍의 측정값(span_f1_strict, span_f1_overlap, pairwise, 불일치, 모호성)은 "
                                  "다음과 같이 구했습니다: {sample}",
    "summary.pairwise_sampled": "쌍별 목록(pairwise)은 다음과 같이 구했습니다: {sample}",
    "summary.models_counted": "모델 작업자 {count}명({shown})을 사람과 함께 셌습니다(include_models). "
                              "models_vs_humans가 이들을 사람과 비교합니다",
    "summary.models_not_counted": "모델 작업자 {count}명({shown})은 이 수치에 들어가지 않습니다. models_vs_humans가 "
                                  "이들을 사람과 비교합니다(include_models로 셀 수 있습니다)",
    "coverage.poor": "{model}은(는) {language} 텍스트를 잘 다루지 못합니다(알 수 없는 토큰 {unknown_rate:.1%}, 문자당 "
                     "토큰 {per_char:.2f}개): 임베딩과 군집을 믿기 어렵습니다. {suggestion} 같은 다국어 모델이나 "
                     "내장 char-ngram 백엔드를 쓰세요.",
    "coverage.korean": "한국어",
    "coverage.these": "이",
    # per-annotator flags of the multi-label and span reports
    "multilabel.flag_more_labels": "다른 작업자보다 라벨을 더 많이 고름",
    "multilabel.flag_fewer_labels": "다른 작업자보다 라벨을 더 적게 고름",
    "spans.flag_low_vs_majority": "다른 작업자 다수와의 일치도가 대부분의 작업자보다 훨씬 낮음",
    "spans.flag_low_vs_dawid_skene": "데이비드-스킨 합의 스팬과의 일치도가 대부분의 작업자보다 훨씬 낮음",
    "spans.flag_low_quality": "모형 기반 품질이 낮음",
    "spans.flag_many_spans": "문서당 스팬을 대부분의 작업자보다 두 배 넘게 표시함",
    "spans.flag_few_spans": "문서당 스팬을 대부분의 작업자의 절반도 표시하지 않음",
    "spans.flag_little_overlap": "다른 작업자와 공유한 문서가 5개 미만",
    "spans.consensus_method": "토큰 데이비드-스킨(작업자별 혼동 행렬, EM); 합의 스팬은 토큰마다 가장 가능성 높은 유형이 이어진 구간이며, 작업자들이 직접 표시한 스팬으로 온전한 구로 다듬습니다(docs/tasks.md)",
}
