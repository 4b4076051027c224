"""A model's agreement with the humans beside the humans' agreement among themselves.

On the items the model labelled that two or more humans labelled too (the alt-test's items),
one item bootstrap measures, on the same resamples:

* Krippendorff's alpha of the humans, of the humans with the model, and the change (with the
  model minus without: above 0 the model agrees with the humans more than they agree with
  each other);
* Light's kappa of the human pairs (the mean pairwise Cohen's kappa, weighted at ordinal and
  scale levels) and the mean Cohen's kappa of the model with each human, and their difference
  (model minus humans);
* per label, specific (positive) agreement ``2 n_both / (n_first + n_second)`` over the human
  pairs and over the model-human pairs, and their difference; a label where the difference's
  95% interval lies above 0 is one where the model agrees with the humans better than a
  typical annotator does (``better``), below 0 ``worse``, else ``similar``.

The same pairs as the report's Light's kappa enter (pairs sharing fewer than 10 items, or all
items when fewer, are left out), from the same code (:mod:`analysis.metrics.light`); alpha
comes from :mod:`analysis.metrics.multi_rater`. Each human's Cohen's kappa with the model
has statsmodels' asymptotic interval, as the report's pairwise kappas.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Final, Literal, get_args

import numpy as np
import numpy.typing as npt

from analysis.base.blas import one_blas_thread
from analysis.data.levels import Level, kappa_weighting
from analysis.data.reliability import ReliabilityData
from analysis.messages import note
from analysis.metrics.intervals import with_interval
from analysis.metrics.light import LightKappa
from analysis.metrics.multi_rater import VoteFeatures, krippendorff_alpha
from analysis.metrics.overall import MIN_SHARED_FOR_LIGHT
from analysis.metrics.pairs import PairCells
from analysis.metrics.patterns import ItemPatterns, PatternJudgements, bootstrap, evaluate_rows
from analysis.metrics.per_annotator import kappa_metric
from analysis.metrics.result import Metric

FloatArray = npt.NDArray[np.float64]
Verdict = Literal["better", "worse", "similar", "undefined"]
VERDICTS: Final[tuple[str, ...]] = get_args(Verdict)


@dataclass(frozen=True)
class ClassComparison:
    """One label: the model-human specific agreement beside the human-human one.

    Attributes
    ----------
    humans, model, difference : Metric
        Specific agreement over the human pairs, over the model-human pairs, and model minus
        humans (paired bootstrap interval).
    verdict : {"better", "worse", "similar", "undefined"}
        By the difference's interval (``undefined``: no value or no interval).
    model_uses, human_uses : int
        The model's judgements with this label; the humans' (on the same items).
    """

    humans: Metric
    model: Metric
    difference: Metric
    verdict: Verdict
    model_uses: int
    human_uses: int

    def to_dict(self) -> dict[str, Any]:
        """JSON form (a value of ``models_vs_humans.models[].per_class``)."""
        return {"human_specific_agreement": self.humans.to_dict(),
                "model_specific_agreement": self.model.to_dict(),
                "difference": self.difference.to_dict(), "verdict": self.verdict,
                "model_uses": self.model_uses, "human_uses": self.human_uses}


@dataclass(frozen=True)
class ModelAgreement:
    """Agreement with and without the model on its shared items (see the module notes)."""

    items: int
    metrics: dict[str, Metric]
    kappa_with_each_human: dict[str, Metric]
    human_mean_kappa_each: dict[str, Metric]
    per_class: dict[str, ClassComparison]

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the ``agreement`` object of ``models_vs_humans.models[]``)."""
        return {"items": self.items, **{name: m.to_dict() for name, m in self.metrics.items()},
                "kappa_with_each_human": {h: m.to_dict() for h, m in self.kappa_with_each_human.items()},
                "human_kappa_with_other_humans": {
                    h: m.to_dict() for h, m in self.human_mean_kappa_each.items()}}


def _specific_matrices(cells: PairCells, n_labels: int) -> tuple[Any, Any]:
    """Sparse (n_units, L) maps from unit weights to SA's numerator and denominator."""
    import scipy.sparse as sp  # imported here: the command line starts without scipy

    c, unit = cells.cells, cells.unit
    both = c.first == c.second
    numerator = sp.csr_matrix((np.full(int(both.sum()), 2.0), (unit[both], c.first[both])),
                              shape=(cells.n_units, n_labels))
    rows = np.concatenate([unit, unit])
    denominator = sp.csr_matrix((np.ones(rows.size), (rows, np.concatenate([c.first, c.second]))),
                                shape=(cells.n_units, n_labels))
    return numerator, denominator


def _sparse_features(counts: npt.NDArray[np.int64], level: Level, values: FloatArray) -> VoteFeatures:
    """Alpha's per-pattern features, held sparse when most cells are 0 (many labels, a few
    votes per item: the bootstrap's product then costs the nonzero cells only)."""
    import scipy.sparse as sp  # imported here: the command line starts without scipy

    features = VoteFeatures.from_counts(counts, level=level, values=values)
    matrix = features.matrix
    if isinstance(matrix, np.ndarray) and matrix.size and np.count_nonzero(matrix) < 0.2 * matrix.size:
        return replace(features, matrix=sp.csr_matrix(matrix))
    return features


def _judgements(patterns: ItemPatterns) -> PatternJudgements:
    if patterns.judgements is None:  # pragma: no cover - patterns grouped by codes keep them
        raise RuntimeError("item patterns without judgements")
    return patterns.judgements


class _Sums:
    """Everything the bootstrap evaluates, from one set of item patterns."""

    def __init__(self, data: ReliabilityData, model: int, level: Level) -> None:
        patterns = ItemPatterns.from_data(data)
        judged = _judgements(patterns)
        self.patterns, self.level, self.values = patterns, level, data.values
        n_labels, n_units = data.n_labels, patterns.n_patterns
        human = judged.annotator != model
        counts_h = np.bincount(judged.pattern[human] * n_labels + judged.label[human],
                               minlength=n_units * n_labels).reshape(n_units, n_labels)
        self.alpha_humans = _sparse_features(counts_h, level, data.values)
        self.alpha_all = _sparse_features(patterns.counts, level, data.values)
        cells = PairCells.from_judgements(judged.pattern, judged.annotator, judged.label,
                                          n_units=n_units, n_annotators=data.n_annotators,
                                          n_labels=n_labels)
        self.cells = cells
        with_model = (cells.pairs == model).any(axis=1)
        shared = np.bincount(cells.cells.group, weights=patterns.frequency[cells.unit],
                             minlength=cells.n_pairs)
        enough = shared >= min(MIN_SHARED_FOR_LIGHT, patterns.n_items)
        self.model_pairs, self.human_pairs = with_model, ~with_model
        rows = evaluate_rows(n_units)
        self.light: dict[str, LightKappa | None] = {}
        self.specific: dict[str, tuple[Any, Any]] = {}
        for name, chosen in (("model", with_model), ("humans", ~with_model)):
            kept = cells.subset(chosen & enough)
            self.light[name] = (LightKappa.from_cells(kept, level, data.values, replicates_per_call=rows)
                                if kept.n_pairs else None)
            self.specific[name] = _specific_matrices(cells.subset(chosen), n_labels)

    def evaluate(self, w: FloatArray) -> dict[str, FloatArray]:
        w = np.atleast_2d(w)
        out = {"alpha_humans": krippendorff_alpha(self.alpha_humans.sums(w)),
               "alpha_all": krippendorff_alpha(self.alpha_all.sums(w))}
        for name in ("model", "humans"):
            light = self.light[name]
            if light is None:
                out[f"kappa_{name}"] = np.full(w.shape[0], np.nan)
            else:
                total, count = light.total_and_count(w)
                out[f"kappa_{name}"] = np.divide(total, count, out=np.full(total.shape, np.nan),
                                                 where=count > 0)
            numerator, denominator = self.specific[name]
            top = np.asarray((numerator.T @ w.T).T)
            bottom = np.asarray((denominator.T @ w.T).T)
            out[f"specific_{name}"] = np.divide(top, bottom, out=np.full(top.shape, np.nan),
                                                where=bottom > 0)
        return out


def _metric(value: float, replicates: FloatArray | None, *, n: int, n_replicates: int, seed: int,
            extra: str, why: str) -> Metric:
    if not np.isfinite(value):
        return Metric.undefined(why, n=n)
    return with_interval(float(value), replicates, n=n, n_replicates=n_replicates, seed=seed,
                         extra=extra, unit="shared items")


def _verdict(difference: Metric) -> Verdict:
    if difference.value is None or difference.ci_low is None or difference.ci_high is None:
        return "undefined"
    if difference.ci_low > 0:
        return "better"
    if difference.ci_high < 0:
        return "worse"
    return "similar"


@one_blas_thread
def model_agreement(
    data: ReliabilityData, model: int, *, level: Level, n_replicates: int, seed: int,
) -> ModelAgreement:
    """The model's agreement with the humans beside theirs, on every item of ``data``.

    Parameters
    ----------
    data : ReliabilityData
        The humans' and the model's judgements on the shared items only.
    model : int
        The model's annotator index in ``data``.
    level : {"nominal", "ordinal", "interval", "ratio"}
    n_replicates, seed : int
        The item bootstrap behind every interval (0: none).
    """
    sums = _Sums(data, model, level)
    patterns = sums.patterns
    n = patterns.n_items
    point = {name: np.asarray(v)[0] for name, v in sums.evaluate(patterns.frequency.astype(float)).items()}
    reps = bootstrap(patterns, sums.evaluate, n_replicates=n_replicates, seed=seed) if (
        n_replicates > 0 and n >= 2) else {}

    def metric(value: float, rep: FloatArray | None, extra: str, why: str) -> Metric:
        return _metric(value, rep, n=n, n_replicates=n_replicates, seed=seed, extra=extra, why=why)

    def paired(a: str, b: str) -> FloatArray | None:
        return reps[a] - reps[b] if reps else None

    weighting = kappa_weighting(level)
    shown_level = note(f"level.{level}")
    # (key, without the model, with it, what each is, why the difference is undefined)
    families = (
        ("alpha", "alpha_humans", "alpha_all",
         (note("model.human_alpha", level=shown_level, items=n),
          note("model.alpha_with_model", level=shown_level, items=n),
          note("model.alpha_change")),
         (note("model.human_alpha_undefined"),
          note("model.alpha_with_model_undefined"),
          note("model.alpha_change_undefined"))),
        ("kappa", "kappa_humans", "kappa_model",
         (note("model.human_mean_kappa", weighting=weighting, items=n),
          note("model.model_mean_kappa", weighting=weighting, items=n),
          note("model.kappa_difference")),
         (note("model.human_mean_kappa_undefined"),
          note("model.model_mean_kappa_undefined"),
          note("model.kappa_difference_undefined"))),
    )
    names = {"alpha": ("human_alpha", "alpha_with_model", "alpha_change"),
             "kappa": ("human_mean_kappa", "model_mean_kappa", "kappa_difference")}
    metrics: dict[str, Metric] = {}
    for family, without, with_it, notes, whys in families:
        values = (point[without], point[with_it], point[with_it] - point[without])
        replicates = (reps.get(without), reps.get(with_it), paired(with_it, without))
        for key, value, rep, what, why in zip(names[family], values, replicates, notes, whys,
                                              strict=True):
            metrics[key] = metric(value, rep, what, why)
    return ModelAgreement(
        items=n, metrics=metrics,
        kappa_with_each_human=_pair_kappas(sums, data, model, level, with_model=True),
        human_mean_kappa_each=_pair_kappas(sums, data, model, level, with_model=False),
        per_class=_per_class(sums, data, model, point, reps, n=n, n_replicates=n_replicates,
                             seed=seed))


def _pair_kappas(sums: _Sums, data: ReliabilityData, model: int, level: Level, *,
                 with_model: bool) -> dict[str, Metric]:
    """Each human's kappa with the model (statsmodels interval), or each human's mean kappa
    with the other humans (a mean of pairs: no interval)."""
    cells = sums.cells
    weights = sums.patterns.frequency[cells.unit].astype(float)
    n, kappa, _ = cells.cells.kappa_and_se(weights, level, data.values)
    labels = data.n_labels
    result: dict[str, Metric] = {}
    for j, name in enumerate(data.annotators):
        if j == model:
            continue
        if with_model:
            pair = np.flatnonzero(sums.model_pairs & (cells.pairs == j).any(axis=1))
            if pair.size == 0:
                result[str(name)] = Metric.undefined(note("model.no_shared_item"))
                continue
            mine = cells.cells.group == pair[0]
            table = np.bincount(cells.cells.first[mine] * labels + cells.cells.second[mine],
                                weights=weights[mine], minlength=labels * labels).reshape(labels, labels)
            result[str(name)] = kappa_metric(table, level=level, values=data.values,
                                             what=note("model.no_shared_item"))
            continue
        mine = np.flatnonzero(sums.human_pairs & (cells.pairs == j).any(axis=1))
        defined = mine[np.isfinite(kappa[mine])]
        result[str(name)] = (Metric(float(kappa[defined].mean()), n=int(n[defined].sum()),
                                    note=note("model.human_kappa_mean", humans=int(defined.size)))
                             if defined.size else Metric.undefined(note("model.human_kappa_undefined")))
    return result


def _per_class(sums: _Sums, data: ReliabilityData, model: int, point: dict[str, Any],
               reps: dict[str, FloatArray], *, n: int, n_replicates: int,
               seed: int) -> dict[str, ClassComparison]:
    judged = _judgements(sums.patterns)
    weights = sums.patterns.frequency[judged.pattern]
    is_model = judged.annotator == model
    model_uses = np.bincount(judged.label[is_model], weights=weights[is_model], minlength=data.n_labels)
    human_uses = np.bincount(judged.label[~is_model], weights=weights[~is_model], minlength=data.n_labels)
    result: dict[str, ClassComparison] = {}
    for c, label in enumerate(data.labels):
        def one(value: float, rep: FloatArray | None, extra: str, why: str) -> Metric:
            return _metric(value, rep, n=n, n_replicates=n_replicates, seed=seed, extra=extra, why=why)

        unused = note("model.label_unused", label=label)
        humans = one(point["specific_humans"][c], reps["specific_humans"][:, c] if reps else None,
                     note("model.human_specific"), unused)
        with_model = one(point["specific_model"][c], reps["specific_model"][:, c] if reps else None,
                    note("model.model_specific"), unused)
        difference = one(point["specific_model"][c] - point["specific_humans"][c],
                         reps["specific_model"][:, c] - reps["specific_humans"][:, c] if reps else None,
                         note("model.specific_difference"), note("model.specific_undefined"))

        result[str(label)] = ClassComparison(humans, with_model, difference, _verdict(difference),
                                             int(model_uses[c]), int(human_uses[c]))
    return result

