"""Faster paths equal the computations they replace, value for value.

Each test keeps the previous implementation inline as the reference: the bootstrap's
resample draws (one count per replicate row instead of one offset bincount per chunk),
the batches handed to the statistics (stacked in place, transposed for the sparse
products), and the fatigue trends' Newton fits (groups that converged leave the loop).
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.metrics.patterns import (
    ItemPatterns,
    _chunk_sizes,
    bootstrap,
    resample_weights,
    weight_batches,
)
from analysis.quality.fatigue import _newton_fits


def _previous_resample_weights(frequency, n_replicates, *, seed, cells_per_replicate=0):
    """The sampler as it was: one bincount over each chunk with row offsets."""
    frequency = np.asarray(frequency, dtype=np.int64)
    n = int(frequency.sum())
    rng = np.random.default_rng(seed)
    rare = frequency <= 8
    common_index, rare_index = np.nonzero(~rare)[0], np.nonzero(rare)[0]
    n_rare_units = int(frequency[rare_index].sum())
    shares = np.append(frequency[common_index], n_rare_units) / n
    rare_unit_group = np.repeat(np.arange(len(rare_index), dtype=np.int64), frequency[rare_index])
    out = []
    for size in _chunk_sizes(len(frequency), n_replicates, cells_per_replicate):
        top = rng.multinomial(n, shares, size=size)
        weights = np.empty((size, len(frequency)))
        weights[:, common_index] = top[:, :-1]
        if n_rare_units:
            drawn = top[:, -1]
            flat = rare_unit_group[rng.integers(0, n_rare_units, size=int(drawn.sum()))]
            flat += np.repeat(np.arange(size, dtype=np.int64) * len(rare_index), drawn)
            weights[:, rare_index] = np.bincount(
                flat, minlength=size * len(rare_index)).reshape(size, len(rare_index))
        out.append(weights)
    return out


FREQUENCIES = {
    "mixed": np.array([40, 25] + [1] * 20 + [3] * 10 + [8] * 2),
    "crowd": np.ones(5_003, dtype=np.int64),  # every item its own pattern
    "rare groups": np.array([2, 1, 3] * 700),
    "frequent only": np.array([50, 60, 70]),
}


@pytest.mark.parametrize("frequency", FREQUENCIES.values(), ids=FREQUENCIES.keys())
@pytest.mark.parametrize("cells", [0, 40_000], ids=["no budget", "budgeted chunks"])
def test_resample_draws_equal_the_previous_sampler(frequency, cells):
    new = list(resample_weights(frequency, 457, seed=7, cells_per_replicate=cells))
    old = _previous_resample_weights(frequency, 457, seed=7, cells_per_replicate=cells)
    assert [len(chunk) for chunk in new] == [len(chunk) for chunk in old]
    np.testing.assert_array_equal(np.concatenate(new), np.concatenate(old))


@pytest.mark.parametrize("frequency", FREQUENCIES.values(), ids=FREQUENCIES.keys())
@pytest.mark.parametrize("batch", [1, 5, 64, 1_000])
def test_weight_batches_stack_the_same_chunks_in_order(frequency, batch):
    chunks = list(resample_weights(frequency, 333, seed=3))
    batches = list(weight_batches(frequency, 333, seed=3, batch=batch))
    np.testing.assert_array_equal(np.concatenate(batches), np.concatenate(chunks))
    assert all(w.T.flags.c_contiguous for w in batches)
    # whole chunks only, at most `batch` rows unless one chunk is larger
    sizes = [len(chunk) for chunk in chunks]
    assert all(len(w) <= max(batch, max(sizes)) for w in batches)


def test_bootstrap_replicates_keep_views_of_their_batch():
    patterns = ItemPatterns.from_counts(np.random.default_rng(0).multinomial(3, [0.5, 0.5], 300))
    reps = bootstrap(patterns, lambda w: {"first": w[:, 0], "total": w.sum(axis=1)},
                     n_replicates=200, seed=1)
    expected = np.concatenate(list(resample_weights(patterns.frequency, 200, seed=1)))
    np.testing.assert_array_equal(reps["first"], expected[:, 0])
    np.testing.assert_array_equal(reps["total"], expected.sum(axis=1))


def _previous_newton_fits(group, x, y, n_groups, *, max_iter=100):
    """The Newton loop as it was: every entry in every pass."""
    b0, b1 = np.zeros(n_groups), np.zeros(n_groups)
    converged = np.zeros(n_groups, dtype=bool)
    for _ in range(max_iter):
        mu = 1.0 / (1.0 + np.exp(-(b0[group] + b1[group] * x)))
        w, r = mu * (1.0 - mu), y - mu
        g0 = np.bincount(group, weights=r, minlength=n_groups)
        g1 = np.bincount(group, weights=r * x, minlength=n_groups)
        h00 = np.bincount(group, weights=w, minlength=n_groups)
        h01 = np.bincount(group, weights=w * x, minlength=n_groups)
        h11 = np.bincount(group, weights=w * x * x, minlength=n_groups)
        det = h00 * h11 - h01**2
        with np.errstate(invalid="ignore", divide="ignore"):
            step0 = np.where(converged, 0.0, (h11 * g0 - h01 * g1) / det)
            step1 = np.where(converged, 0.0, (h00 * g1 - h01 * g0) / det)
        b0, b1 = b0 + step0, b1 + step1
        converged |= (np.abs(step0) < 1e-10) & (np.abs(step1) < 1e-10)
        if converged.all() or not np.isfinite(step0[~converged]).any():
            break
    return b0, b1


def test_newton_fits_equal_the_fits_over_every_entry():
    rng = np.random.default_rng(11)
    n_groups = 300
    size = rng.integers(30, 200, n_groups)
    group = np.repeat(np.arange(n_groups), size)
    rng.shuffle(group)  # entries of a group interleaved with the others'
    x = rng.random(group.size)
    slope = rng.normal(0, 2, n_groups)
    slope[:20] = 60.0  # near separation: these iterate long after the others converged
    y = (rng.random(group.size) < 1 / (1 + np.exp(-(0.5 + slope[group] * (x - 0.5))))).astype(float)
    with np.errstate(over="ignore", invalid="ignore"):
        b0, b1, *_ = _newton_fits(group, x, y, n_groups)
        old0, old1 = _previous_newton_fits(group, x, y, n_groups)
    np.testing.assert_array_equal(b0, old0)
    np.testing.assert_array_equal(b1, old1)


def _previous_em_pass(data, current, smoothing=0.01):
    """One Dawid-Skene EM pass as it was: dense confusion matrices, CSR transpose,
    (class, annotator) transposes."""
    import scipy.sparse as sp

    n_annotators, n_labels, n_items = data.n_annotators, data.n_labels, data.n_items
    cell = data.annotator_index * n_labels + data.label_code
    one_hot = sp.csr_matrix((np.ones(data.n_judgements), (data.item_index, cell)),
                            shape=(n_items, n_annotators * n_labels))
    floor = np.finfo(np.float64).tiny
    counts = np.asarray(one_hot.T.tocsr() @ current).T.reshape(n_labels, n_annotators, n_labels)
    counts = counts.transpose(1, 0, 2) + smoothing
    confusions = counts / np.maximum(counts.sum(axis=-1, keepdims=True), floor)
    class_mass = current.sum(axis=0) + smoothing
    priors = class_mass / class_mass.sum()
    log_conf = np.log(np.maximum(confusions, floor))
    log_like = np.asarray(one_hot @ log_conf.transpose(0, 2, 1).reshape(
        n_annotators * n_labels, n_labels)) + np.log(np.maximum(priors, floor))
    log_like -= log_like.max(axis=1, keepdims=True)
    updated = np.exp(log_like)
    return updated / updated.sum(axis=1, keepdims=True), confusions, priors


@pytest.mark.parametrize("n_labels", [3, 20], ids=["few labels", "many labels"])
def test_dawid_skene_pass_equals_the_previous_layout(n_labels):
    import pandas as pd

    from analysis.base.errors import ConvergenceWarning
    from analysis.consensus.dawid_skene import DawidSkene, _row_sums
    from analysis.data.reliability import ReliabilityData
    from analysis.data.votes import vote_shares

    rng = np.random.default_rng(4)
    items = np.repeat(np.arange(400), 5)
    workers = np.concatenate([rng.choice(60, 5, replace=False) for _ in range(400)])
    truth = rng.integers(0, n_labels, 400)[items]
    labels = np.where(rng.random(items.size) < 0.7, truth, rng.integers(0, n_labels, items.size))
    data = ReliabilityData.from_table(pd.DataFrame({
        "item_id": items.astype(str), "annotator": workers.astype(str),
        "label": np.char.add("L", labels.astype(str))}))
    with pytest.warns(ConvergenceWarning):  # one pass from the majority-vote shares
        model = DawidSkene(max_iter=1).fit(data)
    posteriors, confusions, priors = _previous_em_pass(data, vote_shares(data.counts()))
    # EM on the observed (annotator, answer) rows adds the same terms in another order
    np.testing.assert_allclose(model.posteriors_, posteriors, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(model.confusions_, confusions, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(model.priors_, priors)
    # SQUAREM's trial points are normalised with the same sums as numpy's row sums
    trial = rng.random((500, n_labels))
    np.testing.assert_array_equal(_row_sums(trial), trial.sum(axis=1, keepdims=True))


def test_positions_equal_a_lookup_per_row():
    import pandas as pd

    from analysis.quality.fatigue import _positions

    names = np.array(["b", "a", "c", "10"], dtype=object)
    column = pd.Series(["a", "c", "a", "zz", "10", "b", "a", None], dtype="str")
    expected = pd.Index(names.astype(str)).get_indexer(column.astype(str))
    np.testing.assert_array_equal(_positions(names, column), expected)
    assert _positions(names, column.iloc[:0]).size == 0


def _previous_bias_indices(data):
    """Byrt's bias index as it was: annotator x annotator sparse products per label."""
    import scipy.sparse as sp

    rows, cols = data.item_index, data.annotator_index
    shape = (data.n_items, data.n_annotators)
    labelled = sp.csr_matrix((np.ones(rows.size), (rows, cols)), shape=shape)
    shared = labelled.T @ labelled
    total = float(shared.sum() - shared.diagonal().sum())
    if total <= 0:
        return np.full(data.n_labels, np.nan)
    result = np.empty(data.n_labels)
    for c in range(data.n_labels):
        keep = data.label_code == c
        says = sp.csr_matrix((np.ones(int(keep.sum())), (rows[keep], cols[keep])), shape=shape)
        cross = says.T @ labelled
        result[c] = abs(cross - cross.T).sum() / total
    return result


@pytest.mark.parametrize("n_items, per_item", [(300, 4), (50, 1), (200, 6)],
                         ids=["crowd", "no shared item", "dense"])
def test_bias_indices_equal_the_sparse_products(n_items, per_item):
    import pandas as pd

    from analysis.data.reliability import ReliabilityData
    from analysis.diagnostics.prevalence import bias_indices

    rng = np.random.default_rng(n_items)
    items = np.repeat(np.arange(n_items), per_item)
    workers = np.concatenate([rng.choice(40, per_item, replace=False) for _ in range(n_items)])
    labels = rng.choice(["a", "b", "c", "d"], items.size, p=[0.5, 0.3, 0.15, 0.05])
    data = ReliabilityData.from_table(pd.DataFrame({
        "item_id": items.astype(str), "annotator": workers.astype(str), "label": labels}))
    np.testing.assert_array_equal(bias_indices(data), _previous_bias_indices(data))


def test_wide_sparse_count_rows_group_in_the_order_of_the_full_rows() -> None:
    # Many labels, a handful of votes per item: rows too wide for one int64 key are
    # grouped through their packed non-zero entries; groups, representatives and their
    # order must be those of np.unique on the full rows (the bootstrap draws follow it).
    from analysis.metrics.patterns import _group_rows, _row_keys, _sparse_rows, unique_rows

    rng = np.random.default_rng(11)
    checked = 0
    for _ in range(150):
        n, width = int(rng.integers(1, 200)), int(rng.integers(20, 120))
        rows = np.zeros((n, width), dtype=np.int64)
        for row in rows:
            k = int(rng.integers(0, 5))
            if k:
                row[rng.choice(width, k, replace=False)] = rng.integers(1, 6, k)
        rows = np.vstack([rows, rows[rng.integers(0, n, n)]])  # repeated patterns
        base = int(rows.max(initial=0)) + 1
        if _row_keys(rows, base) is not None:
            continue
        assert _sparse_rows(rows, base) is not None
        _, first, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
        for got_first, got_inverse in (_group_rows(rows, base), unique_rows(rows)):
            np.testing.assert_array_equal(got_first, first)
            np.testing.assert_array_equal(got_inverse, inverse.reshape(-1))
        checked += 1
    assert checked > 100
    dense = np.array([[1, 2, 3, 1] * 10])  # most cells non-zero: the full rows are grouped
    assert _sparse_rows(dense, 4) is None


def test_nominal_kappas_from_sparse_marginals_equal_the_dense_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    # Many annotator pairs x many labels: the marginals are kept as their non-zero keys.
    # Groups without cells, with one cell, and with one label on both sides included.
    import analysis.metrics.kappa_cells as kappa_cells

    rng = np.random.default_rng(8)
    groups, n_labels = 5000, 120
    per_group = rng.integers(0, 5, groups)
    group = np.repeat(np.arange(groups), per_group)
    first = rng.integers(0, n_labels, group.size)
    second = np.where(rng.random(group.size) < 0.6, first, rng.integers(0, n_labels, group.size))
    second[group % 50 == 0] = first[group % 50 == 0] = 3  # one label on both sides: undefined
    cells = kappa_cells.Cells(group=group, first=first, second=second, n_groups=groups, n_labels=n_labels)
    weights = rng.integers(1, 4, group.size).astype(float)
    values = np.arange(n_labels, dtype=float)
    monkeypatch.setattr(kappa_cells, "_DENSE_MARGINAL_CELLS", 0)
    sparse = cells.kappa_and_se(weights, "nominal", values)
    monkeypatch.setattr(kappa_cells, "_DENSE_MARGINAL_CELLS", 10**12)
    dense = cells.kappa_and_se(weights, "nominal", values)
    np.testing.assert_array_equal(sparse[0], dense[0])
    np.testing.assert_array_equal(sparse[1], dense[1])  # whole-number sums: the same kappas
    np.testing.assert_allclose(sparse[2], dense[2], rtol=1e-12, atol=1e-15)  # SE: summation order
    assert np.isnan(sparse[1][0]) and np.isfinite(sparse[1]).sum() > 3000
