"""Report sections contributed by the quality analyses (placeholder until written)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.reliability import ReliabilityData


def quality_sections(
    table: pd.DataFrame,
    data: ReliabilityData,
    *,
    seed: int,
    bootstrap: int,
    include_consensus: bool,
) -> dict[str, Any]:
    """Extra report content; see the quality issue. Empty until implemented."""
    return {}
