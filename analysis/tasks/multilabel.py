"""Agreement on multi-label judgements (a set of labels per item and annotator).

* Per label, each judgement is *present* or *absent*: Fleiss' kappa, Krippendorff's
  alpha (nominal) and specific agreement on present (``sum x(x-1) / sum x(m-1)``, x the
  judgements choosing the label, m all judgements on the item) and on absent; Cohen's
  kappa too when exactly two annotators labelled.
* Overall: Krippendorff's alpha on the label *sets* with the MASI distance (Passonneau
  2006) and with the Jaccard distance; exact-set agreement (the share of judgement pairs
  on an item with the same set); the mean of the per-label kappas.
* Per annotator: the mean number of labels per judgement and the label-rate bias (own
  set size minus the mean of the others' on the same items), per label rate differences.

Intervals: 95% bootstrap over items (pairable items for agreement). Two empty sets are at
distance 0 from each other and at distance 1 from any non-empty set.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse

from analysis.base.blas import one_blas_thread
from analysis.data.judgements import MultiLabelData
from analysis.data.pair_sample import PairSample, pair_sample
from analysis.messages import join, note
from analysis.metrics.intervals import mean_with_interval, with_interval
from analysis.metrics.result import Metric
from analysis.tasks.multilabel_entries import LabelAgreement, SetAnnotator, SetPair
from analysis.tasks.names import MULTI_LABEL_METRICS
from analysis.tasks.resample import metrics_from_sums, ratio, replicate_sums
from analysis.tasks.set_counts import (
    agreeing_per_item,
    distance_matrix,
    expected_disagreement,
    item_set_counts,
    observed_per_item,
    set_distances,
)

FloatArray = npt.NDArray[np.float64]
LABELS = {"masi": "MASI", "jaccard": "Jaccard"}
OVERALL_NAMES = MULTI_LABEL_METRICS


def masi_distance(a: frozenset[str], b: frozenset[str]) -> float:
    """MASI distance between two label sets (Passonneau 2006), as ``nltk`` defines it.

    Examples
    --------
    >>> masi_distance(frozenset("ab"), frozenset("abcd"))
    0.6666666666666667
    >>> masi_distance(frozenset(), frozenset())
    0.0
    """
    if not a and not b:
        return 0.0
    inter, union = len(a & b), len(a | b)
    if len(a) == len(b) == inter:
        m = 1.0
    elif inter == min(len(a), len(b)):
        m = 2 / 3
    elif inter > 0:
        m = 1 / 3
    else:
        m = 0.0
    return 1.0 - inter / union * m


def _pairs(item: np.ndarray, pairable: np.ndarray,
           kept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ordered pairs of distinct ``kept`` judgements on the same pairable item."""
    index = np.nonzero(pairable[item] & kept)[0]
    order = index[np.argsort(item[index], kind="stable")]
    frame = pd.DataFrame({"item": item[order], "j": order})
    joined = frame.merge(frame, on="item", suffixes=("", "_b"))
    joined = joined[joined["j"] != joined["j_b"]]
    return joined["j"].to_numpy(), joined["j_b"].to_numpy()


def _set_alpha(data: MultiLabelData, set_codes: np.ndarray, sets: list[frozenset[str]],
               m: np.ndarray, pairable: np.ndarray, *, n_replicates: int,
               seed: int) -> dict[str, Metric]:
    """Exact-set agreement and alpha on label sets, from the counts of each distinct set
    per item (:mod:`analysis.tasks.set_counts`), not from pairs of judgements."""
    n_sets = len(sets)
    items = np.nonzero(pairable)[0]
    position = np.full(data.n_items, -1)
    position[items] = np.arange(len(items))
    use = pairable[data.item]
    index = {label: k for k, label in enumerate(data.labels)}
    members = np.zeros((n_sets, len(data.labels)), dtype=bool)
    for code, chosen in enumerate(sets):
        members[code, [index[x] for x in chosen]] = True
    entry_item, entry_set, count = item_set_counts(position[data.item[use]], set_codes[use])
    mi = m[items].astype(float)
    out: dict[str, Metric] = {}
    exact = agreeing_per_item(entry_item, count, len(items)) / (mi * (mi - 1))
    out["exact_set_agreement"] = mean_with_interval(
        exact, n_replicates=n_replicates, seed=seed,
        extra=note("multilabel.exact_set"))
    marginals = np.bincount(entry_set, weights=count, minlength=n_sets)
    counts = sparse.csr_matrix((count, (entry_item, entry_set)), shape=(len(items), n_sets))
    for name in ("masi", "jaccard"):
        observed = observed_per_item(entry_item, entry_set, count, len(items), members,
                                     name) / (mi - 1)  # type: ignore[arg-type]
        total = marginals.sum()
        expected = expected_disagreement(members, marginals, name)  # type: ignore[arg-type]
        value = 1.0 - (total - 1.0) * observed.sum() / expected if expected > 0 else np.nan
        key = f"krippendorff_alpha_{name}"
        if not np.isfinite(value):
            out[key] = Metric.undefined(note("multilabel.same_set"), n=len(items))
            continue
        replicates = None
        if n_replicates > 0:
            sums = replicate_sums(
                np.column_stack([observed, counts.toarray()]) if n_sets < 2000
                else np.column_stack([observed]), n_replicates=n_replicates, seed=seed)
            if sums.shape[1] > 1:
                delta = distance_matrix(members, name)  # type: ignore[arg-type]
                marg = sums[:, 1:]
                exp_r = np.einsum("rc,ck,rk->r", marg, delta, marg)
                replicates = 1.0 - (marg.sum(axis=1) - 1.0) * ratio(sums[:, 0], exp_r)
        out[key] = with_interval(float(value), replicates, n=len(items),
                                 n_replicates=n_replicates, seed=seed,
                                 extra=note("multilabel.set_distance", distance=LABELS[name]))
    return out


def _per_label(data: MultiLabelData, m: np.ndarray, pairable: np.ndarray, *,
               n_replicates: int, seed: int) -> tuple[dict[str, LabelAgreement], Metric]:
    n_labels = len(data.labels)
    use = pairable[data.item]
    items = np.nonzero(pairable)[0]
    position = np.full(data.n_items, -1)
    position[items] = np.arange(len(items))
    pres = np.zeros((len(items), n_labels))
    np.add.at(pres, position[data.item[use]], data.present[use].astype(float))
    mm = m[items][:, None].astype(float)
    absent = mm - pres
    agree = (pres * (pres - 1) + absent * (absent - 1)) / (mm * (mm - 1))
    per_unit = np.column_stack([np.ones(len(items)), mm[:, 0], agree, pres,
                                2 * pres * absent / (mm - 1), pres * (pres - 1),
                                pres * (mm - 1), absent * (absent - 1), absent * (mm - 1)])
    L = n_labels

    def statistic(s: FloatArray) -> FloatArray:
        n_items, n = s[..., :1], s[..., 1:2]
        blocks = [s[..., 2 + k * L: 2 + (k + 1) * L] for k in range(7)]
        agree_s, pres_s, dis_s, spn, spd, snn, snd = blocks
        p = ratio(pres_s, n)
        expected = p ** 2 + (1 - p) ** 2
        kappa = ratio(ratio(agree_s, n_items) - expected, 1 - expected)
        alpha = 1.0 - ratio((n - 1) * dis_s, 2 * pres_s * (n - pres_s))
        with np.errstate(all="ignore"):
            defined = np.isfinite(kappa)
            mean_kappa = np.where(defined.any(axis=-1),
                                  np.nansum(kappa, axis=-1) / np.maximum(defined.sum(axis=-1), 1),
                                  np.nan)
        return np.concatenate([kappa, alpha, ratio(spn, spd), ratio(snn, snd),
                               mean_kappa[..., None]], axis=-1)

    metrics = metrics_from_sums(per_unit, statistic, n=len(items), n_replicates=n_replicates,
                                seed=seed, undefined=note("multilabel.label_undefined"))
    per_class: dict[str, LabelAgreement] = {}
    chosen = data.present.sum(axis=0)
    for k, label in enumerate(data.labels):
        why = note("multilabel.label_constant")
        per_class[label] = LabelAgreement(
            fleiss_kappa=metrics[k] if metrics[k].is_defined else Metric.undefined(why, n=len(items)),
            krippendorff_alpha=metrics[L + k] if metrics[L + k].is_defined
            else Metric.undefined(why, n=len(items)),
            specific_agreement=metrics[2 * L + k],
            specific_agreement_absent=metrics[3 * L + k],
            prevalence=Metric(float(chosen[k] / max(len(data.item), 1)), n=len(data.item),
                              note=note("multilabel.prevalence")),
        )
    return per_class, metrics[-1]


def _two_annotator_kappa(data: MultiLabelData) -> dict[str, Metric]:
    """Cohen's kappa per label when exactly two annotators labelled (items both did)."""
    frame = pd.DataFrame(data.present, columns=list(data.labels))
    frame["item"], frame["annotator"] = data.item, data.annotator
    a = frame[frame["annotator"] == 0].drop_duplicates("item").set_index("item")
    b = frame[frame["annotator"] == 1].drop_duplicates("item").set_index("item")
    shared = a.index.intersection(b.index)
    out = {}
    for label in data.labels:
        x, y = a.loc[shared, label].to_numpy(), b.loc[shared, label].to_numpy()
        po = float((x == y).mean()) if len(shared) else np.nan
        pe = float(x.mean() * y.mean() + (1 - x.mean()) * (1 - y.mean())) if len(shared) else np.nan
        value = (po - pe) / (1 - pe) if len(shared) and pe < 1 else np.nan
        out[label] = (Metric(value, n=len(shared), note=note("multilabel.cohen_no_interval"))
                      if np.isfinite(value) else Metric.undefined(note("multilabel.cohen_undefined"),
                                                                  n=len(shared)))
    return out


def _per_annotator(data: MultiLabelData, m: np.ndarray, *, n_replicates: int,
                   seed: int) -> dict[str, SetAnnotator]:
    size = data.present.sum(axis=1).astype(float)
    # the others' mean on the same item: (the item's total - one's own) / (m - 1), from the
    # item's sums instead of every pair of its judgements
    judges = m[data.item].astype(float)
    shared_all = judges >= 2
    others = np.where(shared_all, judges - 1, 1.0)
    item_size = np.bincount(data.item, weights=size, minlength=data.n_items)
    others_size = (item_size[data.item] - size) / others
    item_present = np.zeros((data.n_items, len(data.labels)))
    np.add.at(item_present, data.item, data.present.astype(float))
    others_rate = (item_present[data.item] - data.present) / others[:, None]
    out: dict[str, SetAnnotator] = {}
    for code, name in enumerate(data.annotators):
        own = np.nonzero(data.annotator == code)[0]
        shared = own[shared_all[own]]
        per_label: dict[str, float] = {}
        if len(shared):
            diff = size[shared] - others_size[shared]
            bias = mean_with_interval(
                diff, n_replicates=n_replicates, seed=seed,
                extra=note("multilabel.label_rate_bias"))
            rates = data.present[shared].astype(float) - others_rate[shared]
            per_label = {label: round(float(rates[:, k].mean()), 6) for k, label in enumerate(data.labels)}
        else:
            bias = Metric.undefined(note("annotator.no_shared_item"))
        flags = []
        if bias.ci_low is not None and bias.ci_low > 0.25:
            flags.append(note("multilabel.flag_more_labels"))
        if bias.ci_high is not None and bias.ci_high < -0.25:
            flags.append(note("multilabel.flag_fewer_labels"))
        out[name] = SetAnnotator(
            items=len(own),
            labels_per_item=mean_with_interval(size[own], n_replicates=n_replicates,
                                               seed=seed, extra=note("multilabel.labels_per_item")),
            label_rate_bias=bias, label_rate_bias_per_label=per_label, flags=tuple(flags))
    return out


def _pairwise(data: MultiLabelData, set_codes: np.ndarray, sample: PairSample,
              sets: list[frozenset[str]]) -> list[SetPair]:
    """Per pair of annotators (those of the sample past MAX_PAIRS)."""
    m = np.bincount(data.item, minlength=data.n_items)
    kept = sample.keep[data.annotator]
    first, second = _pairs(data.item, m >= 2, kept)
    a, b = data.annotator[first], data.annotator[second]
    keep = a < b
    codes_a, codes_b = set_codes[first][keep], set_codes[second][keep]
    index = {label: k for k, label in enumerate(data.labels)}
    members = np.zeros((len(sets), len(data.labels)), dtype=bool)
    for code, chosen in enumerate(sets):
        members[code, [index[x] for x in chosen]] = True
    frame = pd.DataFrame({"a": a[keep], "b": b[keep], "exact": codes_a == codes_b,
                          "jaccard": 1.0 - set_distances(members, codes_a, codes_b, "jaccard")})
    table = frame.groupby(["a", "b"], sort=True).agg(
        n=("exact", "size"), exact=("exact", "mean"), jaccard=("jaccard", "mean"))
    rows = []
    for (x, y), n, exact, jaccard in zip(table.index, table["n"].tolist(), table["exact"].tolist(),
                                         table["jaccard"].tolist(), strict=True):
        rows.append(SetPair(annotator_a=data.annotators[x], annotator_b=data.annotators[y],
                            items=n,
                            exact_set_agreement=Metric(float(exact), n=n, note=note("pair.no_interval")),
                            mean_jaccard=Metric(float(jaccard), n=n, note=join(
                                [note("multilabel.mean_jaccard"), note("pair.no_interval")]))))
    return rows


@one_blas_thread
def multilabel_agreement(data: MultiLabelData, *, n_replicates: int = 1000,
                         seed: int = 0) -> dict[str, Any]:
    """Every multi-label agreement section of the report.

    Parameters
    ----------
    data : MultiLabelData
    n_replicates : int, default 1000
        Bootstrap resamples of items (0: no intervals).
    seed : int, default 0

    Returns
    -------
    dict
        ``overall`` (name -> Metric), ``per_class`` (label -> ``LabelAgreement``),
        ``per_annotator`` (name -> ``SetAnnotator``), ``pairwise`` (``SetPair`` list; entries
        of :mod:`analysis.tasks.multilabel_entries`) and ``sample``.

    Examples
    --------
    >>> data = MultiLabelData.from_records([("1", "a", "xy"), ("1", "b", "x"),
    ...                                     ("2", "a", "y"), ("2", "b", "y")])
    >>> out = multilabel_agreement(data, n_replicates=0)
    >>> out["overall"]["exact_set_agreement"].value
    0.5
    """
    m = np.bincount(data.item, minlength=data.n_items)
    pairable = m >= 2
    set_codes_raw, set_keys = pd.factorize(pd.Series(
        ["\x1f".join(sorted(s)) for s in data.label_sets()], dtype=object))
    set_codes = set_codes_raw.astype(np.int64)
    sets = [frozenset(k.split("\x1f")) if k else frozenset() for k in set_keys]
    sample = pair_sample(data.item, data.annotator, n_items=data.n_items,
                         n_annotators=len(data.annotators))
    if not pairable.any():
        why = note("agreement.no_shared_item")
        overall = {name: Metric.undefined(why) for name in OVERALL_NAMES}
        per_class = {label: LabelAgreement() for label in data.labels}
    else:
        overall = _set_alpha(data, set_codes, sets, m, pairable, n_replicates=n_replicates,
                             seed=seed)
        per_class, mean_kappa = _per_label(data, m, pairable, n_replicates=n_replicates,
                                           seed=seed)
        overall["mean_per_label_kappa"] = mean_kappa
        if len(data.annotators) == 2:
            for label, kappa in _two_annotator_kappa(data).items():
                per_class[label] = replace(per_class[label], cohen_kappa=kappa)
    return {
        "overall": {name: overall[name] for name in OVERALL_NAMES},
        "per_class": per_class,
        "per_annotator": _per_annotator(data, m, n_replicates=n_replicates, seed=seed),
        "pairwise": _pairwise(data, set_codes, sample, sets),
        "sample": sample,
    }
