"""The English text of every engine note, by code: the words the report's JSON carries.

Each template is filled with ``str.format`` from the note's params. Rewording one changes
the English report only; the Korean catalogue (:mod:`analysis.messages.korean`) does not
read it. Add a message here and in the Korean catalogue, with the same placeholders.
"""

from __future__ import annotations

from typing import Final

ENGLISH: Final[dict[str, str]] = {
    # intervals (analysis.metrics.intervals)
    "interval.percentile": "95% bootstrap percentile interval, {resamples} resamples of items (seed {seed})",
    "interval.undefined_left_out": "{count} resamples where the value is undefined left out",
    "interval.too_few_pairable": "no interval: fewer than {minimum} items with two or more judgements",
    "interval.too_few": "no interval: fewer than {minimum} {unit}",
    "interval.disabled": "no interval: bootstrap disabled",
    "interval.mostly_undefined": "no interval: the value is undefined in most resamples",
    "interval.no_se": "no interval: standard error undefined",
    "interval.kappa_se": "95% interval kappa +/- 1.96 SE, statsmodels asymptotic SE {se:.4f}",
    "unit.items": "items",
    "unit.documents": "documents",
    "unit.shared_items": "shared items",
    "values.none": "no values",
    # levels of measurement and kappa weights (analysis.data.levels)
    "level.nominal": "nominal",
    "level.ordinal": "ordinal",
    "level.interval": "interval",
    "level.ratio": "ratio",
    "metric.level": "{level} level",
    "weighting.nominal": "unweighted",
    "weighting.ordinal": "linear weights on label ranks",
    "weighting.interval": "quadratic weights on label values",
    # overall agreement (analysis.metrics.overall, analysis.metrics.alpha)
    "agreement.one_annotator": "only one annotator: agreement needs at least two",
    "agreement.single_rated": "no item has two or more judgements: every item is single-rated",
    "agreement.no_pairable_item": "no item has two or more judgements",
    "agreement.no_shared_item": "no item was labelled by two or more annotators",
    "agreement.share_of_pairs": "mean over items with two or more judgements of the share of agreeing pairs",
    "agreement.unequal_counts": "items have unequal numbers of judgements: each item's agreement uses its own "
                                "count, label shares pool judgements on items with two or more",
    "agreement.one_label": "every judgement on items with two or more judgements is {label!r}: "
                           "chance-corrected agreement is undefined",
    "agreement.expected_one": "expected agreement is 1: the coefficient is undefined",
    "agreement.fewer_than_two_labels": "fewer than two labels",
    "alpha.no_variation": "no variation among pairable values: alpha is undefined",
    "alpha.same_label": "every judgement on items labelled twice or more has the same label: alpha is undefined",
    "alpha.undefined": "alpha is undefined",
    "class.one_vs_rest": "nominal, this label against all others",
    "class.label_absent": "no pairable item has the label {label!r}",
    "class.always_or_never": "the label {label!r} is used in every or in no pairable judgement: undefined",
    # Cohen's and Light's kappa (analysis.metrics.overall, analysis.metrics.pairwise)
    "cohen.needs_two": "Cohen's kappa needs exactly two annotators; this data has {annotators} "
                       "(see mean_pairwise_cohen_kappa)",
    "cohen.statsmodels_se": "statsmodels asymptotic SE {se:.4f} (Fleiss, Cohen & Everitt 1969)",
    "cohen.no_shared_item": "the two annotators labelled no item in common",
    "cohen.single_label": "a single label on both sides (expected agreement is 1): kappa is undefined",
    "cohen.no_items": "no items: {reason}",
    "light.mean": "Light's kappa: mean of {defined} of {pairs} annotator pairs' Cohen's kappa ({weighting})",
    "light.unshared_pairs": "pairs without a shared item have none",
    "light.few_left_out": "{count} pairs sharing fewer than {minimum} items left out",
    "light.crowd": "no pair of annotators shares {minimum} or more items ({count} pairs share fewer, as on "
                   "crowd data): a Cohen's kappa on a handful of items is noise, so their mean is not given; "
                   "read Krippendorff's alpha or Fleiss' kappa",
    "light.none_defined": "no pair of annotators has a defined Cohen's kappa (no overlap, or one label)",
    # one annotator (analysis.metrics.per_annotator, analysis.quality, analysis.diagnostics)
    "annotator.no_other": "no other annotator",
    "annotator.no_shared_label": "no item labelled by this annotator and another",
    "annotator.no_shared_rating": "no item rated by this annotator and another",
    "annotator.no_shared_item": "no item shared with another annotator",
    "annotator.no_judgements": "the annotator made no judgements",
    "annotator.no_majority": "no item where the other annotators have a majority",
    "annotator.no_majority_label": "no item has a majority label among the other annotators",
    "annotator.others_alpha_undefined": "alpha of the other annotators is undefined",
    "without.one_remains": "only one annotator would remain",
    "without.change_undefined": "alpha with or without this annotator is undefined",
    "without.no_shared_item": "alpha is undefined without this annotator: no item was labelled by two or "
                              "more annotators",
    "without.same_label": "alpha is undefined without this annotator: every judgement on items labelled "
                          "twice or more has the same label: alpha is undefined",
    "without.removed": "{level} level, this annotator's judgements removed",
    "without.change": "alpha without this annotator minus alpha with everyone",
    "without.paired_interval": "95% paired bootstrap interval, {resamples} resamples of items (seed {seed})",
    "annotator.against_majority": "against the majority of the other annotators; {ties} items left out because "
                                  "the others tied, {missing} with no other judgement",
    "annotator.label_bias": "total variation distance between this annotator's label shares and the other "
                            "annotators' on the same items (0 same, 1 disjoint); descriptive, no interval",
    # groups and rounds (analysis.quality.groups)
    "group.one_label": "one label only in the group majorities",
    "round.change_undefined": "alpha is undefined in this round or the previous one",
    # multi-label (analysis.tasks.multilabel)
    "multilabel.same_set": "every pairable judgement has the same label set: alpha is undefined",
    "multilabel.label_constant": "every judgement on pairable items agrees on this label (always present or "
                                 "always absent): chance-corrected agreement is undefined",
}
