"""Published reliability data sets used by the metric tests (with their sources)."""

from __future__ import annotations

import numpy as np
import pandas as pd

NA = np.nan

# Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological
# Bulletin 76(5): 30 patients, 6 psychiatrists each, 5 diagnoses (1 depression,
# 2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other); rater order as
# distributed with R's irr package (`diagnoses`).
FLEISS_1971 = np.array([
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
], dtype=float)
# Fleiss (1971), Table 2: kappa per category and overall.
FLEISS_1971_CATEGORY_KAPPA = {"1": 0.245, "2": 0.245, "3": 0.520, "4": 0.471, "5": 0.566}
FLEISS_1971_KAPPA = 0.430

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
# 4 observers x 12 units, values 1-5, with missing data (units x observers here).
KRIPPENDORFF_2011 = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],
    [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],
]).T
KRIPPENDORFF_2011_ALPHA = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}

# Two-rater 3x3 table printed by SAS PROC FREQ (AGREE), reproduced in statsmodels'
# test suite: kappa 0.4842, ASE 0.1380; linear-weighted kappa 0.4701, ASE 0.1457.
SAS_TABLE = np.array([[0, 4, 1], [0, 8, 0], [0, 1, 5]])

# Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed., via R irrCAC 1.0:
# `cont3x3abstractors` (100 abstracts, 2 abstractors): AC1 0.8493305,
# Cohen's kappa 0.7964094. On `cac.raw4raters` (the Krippendorff 2011 data above):
# AC1 0.7754441, percent agreement 0.8181818, Krippendorff's alpha 0.7434211.
ABSTRACTORS_TABLE = np.array([[13, 0, 0], [0, 20, 7], [0, 4, 56]])


def table_from_matrix(matrix: np.ndarray, *, prefix: str = "") -> pd.DataFrame:
    """Canonical table from items x annotators values (NaN = missing)."""
    rows = []
    for i, row in enumerate(np.asarray(matrix, dtype=float)):
        for j, value in enumerate(row):
            if not np.isnan(value):
                rows.append((f"u{i}", f"{prefix}r{j}", f"{value:g}"))
    return pd.DataFrame(rows, columns=["item_id", "annotator", "label"])


def matrix_from_table(table: np.ndarray) -> np.ndarray:
    """Items x 2 raters matrix from a square contingency table of counts."""
    table = np.asarray(table)
    rows = [(i, j) for i in range(table.shape[0]) for j in range(table.shape[1])
            for _ in range(int(table[i, j]))]
    return np.array(rows, dtype=float) + 1
