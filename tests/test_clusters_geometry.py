"""The fast distance, silhouette, map and tokenising paths against reference implementations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import cdist, pdist
from sklearn.metrics import silhouette_score

from analysis.clusters import map_coordinates
from analysis.clusters.geometry import group_sums, silhouette, unit_cosine_condensed


def unit_rows(n: int, dim: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(4, dim))
    rows = centres[rng.integers(0, 4, n)] + 0.4 * rng.normal(size=(n, dim))
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.mark.parametrize("n", [2, 3, 257, 600], ids=lambda n: f"n{n}")
def test_condensed_cosine_matches_pdist(n):
    unit = unit_rows(n, 16, seed=n)
    np.testing.assert_allclose(unit_cosine_condensed(unit), pdist(unit, "cosine"), atol=1e-12)


def test_ward_tree_from_condensed_distances_cuts_like_scipy_on_the_vectors():
    unit = unit_rows(400, 24, seed=3)
    ours = linkage(np.sqrt(2.0 * unit_cosine_condensed(unit)), method="ward")
    reference = linkage(unit, method="ward")
    np.testing.assert_allclose(ours[:, 2], reference[:, 2], rtol=1e-9)
    for k in (2, 5, 17, 80):
        np.testing.assert_array_equal(
            fcluster(ours, k, "maxclust"), fcluster(reference, k, "maxclust")
        )


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(4, 40),
    n_clusters=st.integers(1, 6),
)
def test_silhouette_matches_sklearn_on_the_labelled_rows(seed, n, n_clusters):
    rng = np.random.default_rng(seed)
    points = rng.normal(size=(n, 3))
    distances = cdist(points, points)
    labels = rng.integers(-1, n_clusters, n)  # -1 rows are left out
    inside = labels >= 0
    k = len(np.unique(labels[inside]))
    ours = silhouette(distances, labels)
    if k < 2 or inside.sum() <= k:
        assert np.isnan(ours)
        return
    reference = silhouette_score(
        distances[np.ix_(inside, inside)], labels[inside], metric="precomputed"
    )
    assert ours == pytest.approx(reference, abs=1e-12)


def test_group_sums_match_a_loop():
    rng = np.random.default_rng(0)
    values, groups = rng.normal(size=(50, 3)), rng.integers(-1, 4, 50)
    expected = np.zeros((5, 3))
    for value, group in zip(values, groups, strict=True):
        if group >= 0:
            expected[group] += value
    np.testing.assert_allclose(group_sums(values, groups, 5), expected)


@pytest.mark.parametrize(("n", "dim"), [(300, 24), (10, 40)], ids=["tall", "wide"])
def test_map_is_the_exact_two_component_pca(n, dim):
    vectors = unit_rows(n, dim, seed=dim)
    centred = vectors - vectors.mean(axis=0)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    expected = u[:, :2] * s[:2]
    ours = map_coordinates(vectors)
    # Component signs are a convention: compare each axis up to its sign.
    for axis in range(2):
        sign = np.sign(ours[:, axis] @ expected[:, axis])
        np.testing.assert_allclose(ours[:, axis], sign * expected[:, axis], atol=1e-9)


def test_batch_tokenizer_equals_tokenize_per_text():
    from analysis.clusters.terms import _english_stop_words, _tokenize_all, tokenize

    docs = ["The refund for my ORDER 42 was late", "정부는 부동산 정책을 발표했다",
            "정부가 정책을 발표", "late late refund", "", "a 1 22 ab"]
    assert _tokenize_all(docs, stop_words=_english_stop_words()) == [tokenize(d) for d in docs]
