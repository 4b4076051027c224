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
    # annotator samples for the pair measures (analysis.data.pair_sample, analysis.tasks.spans.sample)
    "pair_sample.sampled": "estimated on every pair among a random sample of {kept:,} of {annotators:,} annotators: "
                           "their {pairs:,} pairs of judgements on shared items are past what is computed in full "
                           "({limit:,} pairs of judgements, {listed:,} pairs of annotators; {setting}); intervals "
                           "resample items, not annotators",
    "pair_sample.spans_sampled": "estimated on every pair among a random sample of {kept:,} of {annotators:,} "
                                 "annotators: their {pairs:,} pairs of overlapping spans and of judgements of one "
                                 "document are past what is computed in full ({limit:,} pairs, {listed:,} pairs "
                                 "of annotators; {setting}); intervals resample documents, not annotators",
    # rounds and groups (analysis.quality.groups, analysis.quality.report_sections)
    "round.change": "alpha of this round minus the previous; paired-by-design bootstrap over items within rounds",
    "round.change_no_interval": "no interval: too few items in this round or the previous one, or alpha "
                                "undefined in most resamples",
    "group.between": "between: alpha between the groups' majority labels on items both groups labelled",
    # one annotator's quality (analysis.quality)
    "quality.ds_accuracy": "Dawid-Skene expected share of this annotator's labels that are correct; Wilson score "
                           "95% interval over their judgements",
    "quality.loo_agreement": "agreement with the majority of the other annotators; Wilson score 95% interval",
    "quality.alpha_without": "{level} Krippendorff alpha of the others; change {change:+.3f}",
    "bias.chi2": "chi-square goodness of fit of the annotator's labels against the other annotators' vote shares "
                 "on the same items (df={df}); Holm-adjusted p={p:.3g}; Cramér's V={v:.3f}",
    "bias.too_few_items": "only {items} items shared with other annotators (at least {minimum} needed)",
    "bias.one_label": "only one label in the data",
    "bias.pair_too_few": "only {overlap} shared items (at least {minimum} needed)",
    "bias.pair_single_label": "both annotators used a single label on their shared items",
    "bias.pair_singular": "the label table is singular, so the Stuart-Maxwell test is not defined",
    "fatigue.slope": "logistic regression of agreement with the leave-one-out majority on sequence position "
                     "scaled to [0, 1] (slope in log-odds, first to last judgement); {correction}-adjusted p={p:.3g}",
    "fatigue.too_few": "only {count} compared judgements (at least {minimum} needed)",
    "fatigue.all_agree": "every compared judgement agrees with the others' majority, so there is no trend to fit",
    "fatigue.all_disagree": "every compared judgement disagrees with the others' majority, so there is no trend "
                            "to fit",
    "fatigue.separated": "agreement is perfectly separated by position, so the slope is not estimable",
    "fatigue.not_finite": "the logistic fit did not give a finite slope",
    # rater effects on a scale (analysis.diagnostics.rater_effects)
    "unit.rank_steps": "rank steps",
    "unit.label_values": "label values",
    "leniency.defined": "mean offset from the other annotators' mean on the same items, in {unit} "
                        "(positive: rates higher)",
    "leniency.no_interval": "no interval: {reason}",
    "leniency.too_few": "only {count} judgements on items others also rated (at least {minimum} needed for an "
                        "interval)",
    "leniency.t_interval": "95% t interval over items; Holm-adjusted p={p:.3g}",
    "drift.trend": "least-squares trend of the distance to the other annotators' median on sequence position "
                   "scaled to [0, 1] (slope in {unit}, first to last judgement; positive: drifting away); "
                   "Holm-adjusted p={p:.3g}",
    "drift.too_few": "only {count} judgements on items others also rated (at least {minimum} needed)",
    "drift.one_position": "all judgements at one position: no trend to fit",
    "drift.flat": "the distance to the others is the same at every position: no trend to test",
    # camps of annotators (analysis.diagnostics.camps)
    "camps.method": "mean pairwise Cohen's kappa ({weighting}); 95% bootstrap percentile interval, {resamples} "
                    "resamples of items (seed {seed})",
    "camps.within": "within the camp ({pairs} pairs): {method}",
    "camps.between": "from this camp to the other camps ({pairs} pairs): {method}",
    "camps.found": "{count} camps: average-linkage clustering of 1 - pairwise kappa, each camp's within-camp "
                   "interval above its between-camp interval by at least {gap}",
    # prevalence and specific agreement (analysis.diagnostics.prevalence)
    "prevalence.positive": "positive",
    "prevalence.negative": "negative",
    "prevalence.specific": "{side} specific agreement on '{label}' (one vs rest)",
    "prevalence.no_positive": "no item has a judgement of '{label}' among two or more",
    "prevalence.no_negative": "no item has a judgement of labels other than '{label}' among two or more",
    # models beside humans (analysis.model_annotators)
    "model.human_alpha": "Krippendorff's alpha of the humans ({level}), on the {items} items the model and two or "
                         "more humans labelled",
    "model.alpha_with_model": "Krippendorff's alpha of the humans and the model ({level}), on the {items} items the "
                              "model and two or more humans labelled",
    "model.alpha_change": "alpha with the model minus alpha of the humans (paired bootstrap); above 0: the model "
                          "agrees with the humans more than they agree with each other",
    "model.human_alpha_undefined": "alpha of the humans is undefined (one label only)",
    "model.alpha_with_model_undefined": "alpha with the model is undefined (one label only)",
    "model.alpha_change_undefined": "alpha with or without the model is undefined",
    "model.human_mean_kappa": "Light's kappa: mean Cohen's kappa of the human pairs ({weighting}), on the {items} "
                              "items the model and two or more humans labelled",
    "model.model_mean_kappa": "mean Cohen's kappa of the model with each human ({weighting}), on the {items} items "
                              "the model and two or more humans labelled",
    "model.kappa_difference": "model's mean kappa with the humans minus the humans' mean pairwise kappa (paired "
                              "bootstrap); above 0: the model agrees with a human more than a typical pair of "
                              "humans agree",
    "model.human_mean_kappa_undefined": "no pair of humans has a defined Cohen's kappa here",
    "model.model_mean_kappa_undefined": "no human has a defined Cohen's kappa with the model",
    "model.kappa_difference_undefined": "one of the two mean kappas is undefined",
    "model.no_shared_item": "the model and this human share no item",
    "model.human_kappa_mean": "mean of this human's Cohen's kappa with {humans} other humans on the shared items; "
                              "no interval",
    "model.human_kappa_undefined": "this human has no defined Cohen's kappa with another human here",
    "model.label_unused": "no pair of judgements uses {label!r} here",
    "model.human_specific": "specific agreement over the human pairs",
    "model.model_specific": "specific agreement over the model-human pairs",
    "model.specific_difference": "model-human minus human-human specific agreement (paired bootstrap)",
    "model.specific_undefined": "specific agreement of the humans or of the model is undefined for this label",
    "model.epsilon": "epsilon: the cost-benefit margin granted to the model; the paper suggests 0.2 for expert "
                     "annotators, 0.15 for skilled annotators, 0.1 for crowd workers, and less when the humans "
                     "agree little",
    "alt.not_tested": "not tested: {items} shared items, fewer than {minimum} (the t-test needs about 30)",
    "alt.too_few_humans": "only {tested} human annotator(s) share {minimum} or more items with the model and "
                          "another human; the test needs {needed} (Calderon et al. 2025 recommend three or more "
                          "humans)",
    "alt.no_shared_item": "the model shares no item with two or more human annotators",
    "alt.same_at_epsilon": "every item gives the same difference ({mean:+.0f}), equal to epsilon: the null cannot "
                           "be rejected",
    "alt.same_difference": "every item gives the same difference ({mean:+.0f}); scipy's one-sided t-test gives "
                           "p = {p:g}",
    # multi-label extras (analysis.tasks.multilabel, analysis.tasks.multilabel_ambiguity)
    "multilabel.exact_set": "share of judgement pairs on an item with the same label set",
    "multilabel.set_distance": "label sets compared with the {distance} distance",
    "multilabel.label_undefined": "not defined: no item was labelled twice or more, or every judgement agrees on "
                                  "this label",
    "multilabel.prevalence": "share of judgements choosing the label",
    "multilabel.cohen_no_interval": "no interval for Cohen's kappa per label",
    "multilabel.cohen_undefined": "no shared item, or both annotators always agree on this label",
    "multilabel.labels_per_item": "mean labels per judgement",
    "multilabel.label_rate_bias": "own labels per item minus the others' mean on the same items",
    "multilabel.mean_jaccard": "mean Jaccard similarity of the two sets",
    "multilabel.ambiguity": "label pairs traded between two judgements of the same item (one chose x not y, the "
                            "other y not x); omitted labels: one judgement adds a label the other leaves out, "
                            "nothing traded",
    "pair.no_interval": "no interval per pair",
    # spans (analysis.tasks.spans)
    "spans.undefined": "not defined: no document has spans from two or more annotators, or no token varies",
    "spans.f1_strict": "pooled pairwise span F1, exact boundaries and type",
    "spans.f1_overlap": "pooled pairwise span F1, any overlap with the same type",
    "spans.token_alpha_tokens": "nominal alpha over IOB tags of tokens of the texts",
    "spans.token_alpha_segments": "nominal alpha over IOB tags of character segments between span boundaries",
    "spans.pair_no_span": "neither annotator marked a span on the shared documents",
    "spans.f1_vs_dawid_skene": "token F1 against the Dawid-Skene consensus spans (the report's consensus); the "
                               "measure that ranks annotators best against the truth (docs/tasks.md); no interval "
                               "per annotator",
    "spans.no_token_dawid_skene": "no token marked by this annotator or in the consensus on their documents",
    "spans.f1_vs_majority": "token F1 against the majority of the other annotators of each document; no interval "
                            "per annotator",
    "spans.no_token_majority": "no token marked by this annotator or by a majority of the others",
    "spans.quality": "balanced accuracy of the annotator's token Dawid-Skene confusion matrix (model-based, 0-1); "
                     "no interval",
    "spans.disagreements": "each span compared with each other annotator of its document: agreed (same boundaries "
                           "and type), boundary (same type, other boundaries), type (only spans of another type "
                           "overlap), missed (nothing overlaps)",
    "spans.ambiguity": "disagreed spans grouped by kind and type, then clustered on the disagreed text in its "
                       "context (character n-gram embeddings); groups of more than {sample} cases are clustered "
                       "on a seeded sample of {sample} (size counts the sample, group_cases the group)",
    "spans.ambiguity_none": "no disagreed span",
    "spans.ambiguity_no_texts": "the export has no texts: span ambiguity needs them",
    # item texts for clustering and label-error detection (analysis.embeddings.texts)
    "texts.sentence_pairs": "items are sentence pairs: '{text}' and '{text_b}' are embedded together and shown side "
                            "by side",
    "texts.json_turns": "the texts are JSON objects with the fields {fields}: '{field}' (the last) is read as the "
                        "text that was judged and the others as its context",
    # load warnings: what a reader changed or could not read (analysis.io)
    "list.more": "{shown} and {more} more",
    "where.one": "{unit} {position}",
    "where.many": "{unit}s {positions}",
    "where.unit.row": "row",
    "where.unit.line": "line",
    "where.unit.record": "record",
    "where.unit.task": "task",
    "where.unit.document": "document",
    "where.unit.sentence": "sentence",
    "load.number_text_labels": "labels written both as JSON numbers and as text were read as one label: {merged} "
                               "(export them as distinct text if they mean different things)",
    "load.number_text_labels_more": "labels written both as JSON numbers and as text were read as one label: "
                                    "{merged}; and {more} more (export them as distinct text if they mean "
                                    "different things)",
    "load.invisible_labels": "{count} label(s) held only invisible characters ({found}) and were counted as empty "
                             "labels",
    "load.timestamps_unparsable": "{count} timestamp(s) could not be parsed and were left empty ({where}, e.g. "
                                  "{example!r})",
    "load.timestamps_outside": "{count} timestamp(s) lie outside the years 1677-2262 and were left empty ({where}, "
                               "e.g. {example!r})",
    "load.unknown_merges": "label merges name labels not in the file: {unknown}",
    "load.item_texts_differ": "{count} item(s) have different texts on different rows; the first text is used for "
                              "each",
    "load.answers_respelled": "answers written {spellings} were read as {answer!r}",
    "load.answers_unknown": "{count} answer(s) are neither accept, reject nor ignore ({shown}): dropped as "
                            "unknown_answer, not read as accepts",
    "load.binary_answers": "binary answers ask about {labels} labels; each (text, label) question is treated as "
                           "its own item",
    "load.multi_accepted": "{count} answer(s) accepted several options; they were joined with {separator!r} into "
                           "one label",
    "load.multi_chosen": "{count} annotation(s) chose several labels; they were joined with {separator!r} into "
                         "one label",
    "load.several_controls": "{count} annotation(s) have several choice controls; only the first control's "
                             "choices were read",
    "load.multi_checked": "{count} assignment(s) checked several labels; they were joined with {separator!r} "
                          "into one label",
    "load.records_without_id": "{count} record(s) have no id field (docid, id, ...): each is named by its file "
                               "and position",
    "load.documents_without_text_tokens": "{missing} of {documents} documents have no text: their offsets are not "
                                          "checked, their tokens are the pieces between span boundaries (so token "
                                          "alpha is not comparable with a run on the texts) and the ambiguity "
                                          "clusters need texts; give the texts in a companion file of id and text "
                                          "per document (--texts on the command line; in the dashboard, under "
                                          "'Texts for span offsets' below the upload)",
    "load.documents_without_text": "{missing} of {documents} documents have no text: their offsets are not checked "
                                   "and the ambiguity clusters need texts; give the texts in a companion file of "
                                   "id and text per document (--texts on the command line; in the dashboard, "
                                   "under 'Texts for span offsets' below the upload)",
    "load.span_texts_differ": "{differ} of {compared} spans' own text differs from the document at their offsets "
                              "(first: document {item!r}, {start}-{end} is {found!r}, the row says {own!r}); check "
                              "that the offsets are character offsets (end exclusive) into these texts",
    "load.discontinuous_split": "{count} discontinuous annotation(s) were split into their fragments, each a span "
                                "of the same type",
    "load.several_questions": "the project has {count} questions ({names}); analysing {question!r} (the "
                              "'question' option picks another)",
    "load.links_outside": "{count} link(s) lead out of the folder and were not followed: {shown}",
    "load.label_lists": "the label column holds lists of labels: read as multi-label; set the 'task' option to "
                        "single_label to refuse",
    "load.label_separated": "the label column holds several labels joined by {separator!r}: read as multi-label; "
                            "set the 'task' option to single_label to read each cell as one label",
    "load.label_rows": "rows repeat an item and annotator with different labels: read as a multi-label table (one "
                       "row per chosen label); set the 'task' option to single_label to refuse",
    "load.binary_not_utf8": "{count} value(s) of the binary column {column!r} are not UTF-8 text: their "
                            "undecodable bytes were replaced by U+FFFD; write the column as text (UTF-8) to keep "
                            "them apart",
    "load.rows_repeat": "{count} row(s) repeat an item and annotator: each row is read as one more chosen label",
    "load.only_separator": "{count} cell(s) hold only the separator {separator!r}: each is read as a judgement "
                           "that chose no label (an empty set)",
    "load.no_annotator_field": "no annotator field: every judgement is {annotator!r}'s (the file's name)",
    "load.header_twice": "the header names {source!r} twice (the second is read as {second!r}): only the first "
                         "{source!r} column is read as {canonical}; rename the other if it holds judgements",
    "load.header_times": "the header names {source!r} {times} times (the second is read as {second!r}): only the "
                         "first {source!r} column is read as {canonical}; rename the other if it holds judgements",
    "load.unknown_kinds": "annotators named as models or people are not in the file: {unknown}",
    "load.level_unused": "--level {level} was not used: it applies to single-label data only, and {task} data "
                         "have no level of measurement",
    # dataset-summary warnings (analysis.tasks, analysis.report.task_result)
    "summary.single_judgement": "{count} items have a single judgement and do not enter agreement",
    "summary.one_annotator": "only one annotator: agreement cannot be measured",
    "summary.nothing_found": "no label or span was found: nothing to measure",
    "summary.pairs_sampled": "the measures of annotator pairs (mean_pairwise_cohen_kappa, pairwise, the bias "
                             "index, the pairwise homogeneity tests) are {sample}",
    "summary.span_pairs_sampled": "the measures of annotator pairs (span_f1_strict, span_f1_overlap, pairwise, "
                                  "disagreements, ambiguity) are {sample}",
    "summary.pairwise_sampled": "the pairwise list is {sample}",
    "summary.models_counted": "{count} model annotator(s) ({shown}) are counted with the humans (include_models); "
                              "models_vs_humans compares them with the humans",
    "summary.models_not_counted": "{count} model annotator(s) ({shown}) are not counted in these figures; "
                                  "models_vs_humans compares them with the humans (include_models counts them)",
    # tokenizer coverage of the texts (analysis.embeddings.coverage)
    "coverage.poor": "{model} covers {language} texts poorly ({unknown_rate:.1%} unknown tokens, {per_char:.2f} "
                     "tokens per character): the embeddings and clusters will be unreliable. Use a multilingual "
                     "model such as {suggestion} or the built-in char-ngram backend.",
    "coverage.korean": "Korean",
    "coverage.these": "these",
    # per-annotator flags of the multi-label and span reports
    "multilabel.flag_more_labels": "chooses more labels than the others",
    "multilabel.flag_fewer_labels": "chooses fewer labels than the others",
    "spans.flag_low_vs_majority": "agrees with the others' majority much less than most annotators",
    "spans.flag_low_vs_dawid_skene": "agrees with the Dawid-Skene consensus spans much less than most annotators",
    "spans.flag_low_quality": "low model-based quality",
    "spans.flag_many_spans": "marks more than twice as many spans per document as most",
    "spans.flag_few_spans": "marks fewer than half as many spans per document as most",
    "spans.flag_little_overlap": "fewer than 5 documents shared with another annotator",
    "spans.consensus_method": "token Dawid-Skene (per-annotator confusion matrices, EM); consensus spans are runs of the most probable type per token, made whole phrases by the annotators' own spans (docs/tasks.md)",
}
