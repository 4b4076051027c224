"""Ambiguity clusters: groups of similar items that annotators systematically disagree on.

See ``docs/clusters.md`` for the method, the defaults and the systematic-vs-noise rule.
"""

from analysis.clusters.accuracy import one_coin_accuracy
from analysis.clusters.build import find_ambiguity_clusters
from analysis.clusters.grouping import cluster_vectors, map_coordinates
from analysis.clusters.result import (
    DRAFT_RULE_TEMPLATE,
    AmbiguityCluster,
    BroadDisagreement,
    ClusterResult,
    Example,
    LabelPair,
    LabelShare,
    ReliableChoice,
)
from analysis.clusters.selection import (
    DEFAULT_MIN_DISAGREEMENT,
    DEFAULT_MIN_ENTROPY,
    Disagreements,
    find_disagreements,
)
from analysis.clusters.terms import class_tfidf_terms, tokenize

__all__ = [
    "DEFAULT_MIN_DISAGREEMENT",
    "DEFAULT_MIN_ENTROPY",
    "DRAFT_RULE_TEMPLATE",
    "AmbiguityCluster",
    "BroadDisagreement",
    "ClusterResult",
    "Disagreements",
    "Example",
    "LabelPair",
    "LabelShare",
    "ReliableChoice",
    "class_tfidf_terms",
    "cluster_vectors",
    "find_ambiguity_clusters",
    "find_disagreements",
    "map_coordinates",
    "one_coin_accuracy",
    "tokenize",
]
