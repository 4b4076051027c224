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
    "weighting.ordinal": "레이블 순위에 선형 가중치",
    "weighting.interval": "레이블 값에 제곱 가중치",
    "agreement.one_annotator": "작업자가 한 명뿐입니다: 일치도에는 두 명 이상이 필요합니다",
    "agreement.single_rated": "두 명 이상이 판정한 항목이 없습니다: 모든 항목이 한 번씩만 판정되었습니다",
    "agreement.no_pairable_item": "두 명 이상이 판정한 항목이 없습니다",
    "agreement.no_shared_item": "두 명 이상이 라벨링한 항목이 없습니다",
    "agreement.share_of_pairs": "두 명 이상이 판정한 항목마다 일치하는 판정 쌍의 비율을 구해 평균",
    "agreement.unequal_counts": "항목마다 판정 수가 다릅니다: 항목별 일치는 그 항목의 판정 수로 계산하고, 레이블 "
                                "비율은 두 명 이상이 판정한 항목의 판정을 모아 계산합니다",
    "agreement.one_label": "두 명 이상이 판정한 항목의 판정이 모두 {label!r}입니다: 우연 보정 일치도가 정의되지 않음",
    "agreement.expected_one": "기대 일치가 1입니다: 계수가 정의되지 않음",
    "agreement.fewer_than_two_labels": "레이블이 두 개 미만입니다",
    "alpha.no_variation": "짝지을 수 있는 값에 변동이 없습니다: 알파가 정의되지 않음",
    "alpha.same_label": "두 번 이상 판정된 항목의 판정이 모두 같은 레이블입니다: 알파가 정의되지 않음",
    "alpha.undefined": "알파가 정의되지 않습니다",
    "class.one_vs_rest": "명목, 이 레이블 대 나머지 모든 레이블",
    "class.label_absent": "두 명 이상이 판정한 항목 중 레이블 {label!r}이(가) 붙은 항목이 없습니다",
    "class.always_or_never": "레이블 {label!r}이(가) 짝지을 수 있는 판정 모두에 쓰였거나 하나에도 쓰이지 "
                             "않았습니다: 정의되지 않음",
    "cohen.needs_two": "코헨 카파는 작업자가 정확히 두 명이어야 합니다; 이 데이터에는 작업자가 {annotators}명입니다"
                       "(라이트 카파를 보세요)",
    "cohen.statsmodels_se": "statsmodels 점근 표준오차 {se:.4f}(Fleiss, Cohen & Everitt 1969)",
    "cohen.no_shared_item": "두 작업자가 함께 라벨링한 항목이 없습니다",
    "cohen.single_label": "양쪽 모두 한 레이블뿐입니다(기대 일치 1): 카파가 정의되지 않음",
    "cohen.no_items": "항목 없음: {reason}",
    "light.mean": "라이트 카파: 작업자 쌍 {pairs}개 중 {defined}개의 코헨 카파 평균({weighting})",
    "light.unshared_pairs": "공유 항목이 없는 쌍은 값이 없음",
    "light.few_left_out": "공유 항목이 {minimum}개 미만인 쌍 {count}개 제외",
    "light.crowd": "공유 항목이 {minimum}개 이상인 작업자 쌍이 없습니다(쌍 {count}개가 그보다 적게 공유, 크라우드 "
                   "데이터처럼): 항목 몇 개로 구한 코헨 카파는 잡음이라 평균을 내지 않습니다; 크리펜도르프 알파나 "
                   "플라이스 카파를 보세요",
    "light.none_defined": "코헨 카파가 정의된 작업자 쌍이 없습니다(겹치는 항목이 없거나 레이블이 하나뿐)",
    "annotator.no_other": "다른 작업자가 없습니다",
    "annotator.no_shared_label": "이 작업자와 다른 작업자가 함께 라벨링한 항목이 없습니다",
    "annotator.no_shared_rating": "이 작업자와 다른 작업자가 함께 평가한 항목이 없습니다",
    "annotator.no_shared_item": "다른 작업자와 함께 판정한 항목이 없습니다",
    "annotator.no_judgements": "이 작업자는 판정을 하지 않았습니다",
    "annotator.no_majority": "다른 작업자들이 과반으로 합의한 항목이 없습니다",
    "annotator.no_majority_label": "다른 작업자들 사이에 과반 레이블이 있는 항목이 없습니다",
    "annotator.others_alpha_undefined": "다른 작업자들의 알파가 정의되지 않습니다",
    "without.one_remains": "작업자가 한 명만 남습니다",
    "without.change_undefined": "이 작업자를 넣거나 빼면 알파가 정의되지 않습니다",
    "without.no_shared_item": "이 작업자를 빼면 알파가 정의되지 않습니다: 두 명 이상이 라벨링한 항목이 없습니다",
    "without.same_label": "이 작업자를 빼면 알파가 정의되지 않습니다: 두 번 이상 판정된 항목의 판정이 모두 같은 "
                          "레이블입니다",
    "without.removed": "{level} 수준, 이 작업자의 판정을 뺌",
    "without.change": "이 작업자를 뺀 알파에서 모두의 알파를 뺀 값",
    "without.paired_interval": "95% 짝지은 부트스트랩 구간, 항목 재표집 {resamples}회(시드 {seed})",
    "annotator.against_majority": "다른 작업자들의 과반과 비교; 다른 작업자들이 동률인 항목 {ties}개와 다른 판정이 "
                                  "없는 항목 {missing}개 제외",
    "annotator.label_bias": "같은 항목에서 이 작업자와 다른 작업자들의 레이블 비율 사이의 총변동거리(0 같음, 1 "
                            "완전히 다름); 기술 통계, 구간 없음",
    "group.one_label": "그룹 과반 레이블이 하나뿐입니다",
    "round.change_undefined": "이번 라운드나 이전 라운드의 알파가 정의되지 않습니다",
    "multilabel.same_set": "짝지을 수 있는 판정이 모두 같은 레이블 집합입니다: 알파가 정의되지 않음",
    "multilabel.label_constant": "짝지을 수 있는 항목의 판정이 모두 이 레이블에 대해 같습니다(항상 있거나 항상 "
                                 "없음): 우연 보정 일치도가 정의되지 않음",
}
