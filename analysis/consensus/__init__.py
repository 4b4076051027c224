"""Consensus labels: majority vote (see :mod:`analysis.data.votes`) and Dawid-Skene."""

from analysis.consensus.dawid_skene import DawidSkene
from analysis.consensus.table import consensus_table

__all__ = ["DawidSkene", "consensus_table"]
