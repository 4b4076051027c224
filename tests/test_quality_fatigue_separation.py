"""A trend whose agreeing and disagreeing judgements a position threshold splits has no
estimate: said without statsmodels, and statsmodels' own fit agrees."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from analysis.quality.fatigue import SEPARATED, _logistic_slope

ROOT = Path(__file__).resolve().parents[1]
SEPARATED_CASES = {
    "one slip at the start": np.r_[0.0, np.ones(34)],
    "one slip at the end": np.r_[np.ones(31), 0.0],
    "agreement stops halfway": np.r_[np.ones(20), np.zeros(20)],
}


@pytest.mark.parametrize("agree", SEPARATED_CASES.values(), ids=SEPARATED_CASES.keys())
def test_complete_separation_is_not_estimable_and_statsmodels_agrees(agree: np.ndarray) -> None:
    scaled = np.linspace(0.0, 1.0, agree.size)
    assert _logistic_slope(scaled, agree, min_items=30) == SEPARATED
    from statsmodels.genmod.families import Binomial
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", PerfectSeparationWarning)
        with pytest.raises(PerfectSeparationWarning):
            GLM(agree, np.column_stack([np.ones_like(scaled), scaled]), family=Binomial()).fit()


def test_overlapping_outcomes_are_still_fitted() -> None:
    agree = np.r_[1.0, 0.0, np.ones(30), 0.0, 1.0]  # slips at both ends: no threshold splits them
    scaled = np.linspace(0.0, 1.0, agree.size)
    fit = _logistic_slope(scaled, agree, min_items=30)
    assert not isinstance(fit, str) and np.isfinite(fit[0])


def test_separation_is_found_without_importing_statsmodels() -> None:
    code = (
        "import json, sys\n"
        "import numpy as np\n"
        "from analysis.quality.fatigue import _logistic_slope\n"
        "print(json.dumps([_logistic_slope(np.linspace(0, 1, 35), np.r_[0.0, np.ones(34)], min_items=30),"
        " 'statsmodels' in sys.modules]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=True)
    assert json.loads(result.stdout) == [SEPARATED, False]
