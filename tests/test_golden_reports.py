"""Every CLI output of the bundled samples is byte for byte what ``tests/data/golden`` holds.

The cases (report as JSON with consensus, and as Markdown and HTML
for one sample of each distinct table; validate; gold export; clusters
and label issues on the character n-gram backend; models vs humans) are listed in
``tests/golden_cases.py``, which also writes the files (``python -m tests.golden_cases``).
A change to a number, a key, the key order or a message shows up here. Long floats are
compared to a relative 1e-9 (:func:`tests.golden_cases.differences`): their last bits
follow the CPU's vector kernels, not the code.
"""

from __future__ import annotations

import pytest

from tests.golden_cases import GOLDEN, ROOT, cases, differences, run_case

CASES = cases()


@pytest.fixture(autouse=True)
def _from_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("LABEL_AGREEMENT_WORKSPACE", raising=False)


@pytest.mark.parametrize("case", sorted(CASES))
def test_cli_output_is_byte_identical(case: str) -> None:
    written, said = run_case(CASES[case], case)
    assert not differences((GOLDEN / f"{case}.exit").read_bytes(), said.encode("utf-8"))
    assert not differences((GOLDEN / case).read_bytes(), written)


def test_every_golden_file_has_a_case() -> None:
    names = {path.name.removesuffix(".exit") for path in GOLDEN.iterdir()}
    assert names == set(CASES)


def test_a_changed_figure_or_word_is_a_difference() -> None:
    golden = (GOLDEN / "report__en_support_intents.csv.md").read_bytes()
    assert not differences(golden, golden.replace(b"0.4019482361345539", b"0.40194823613455393"))
    assert differences(golden, golden.replace(b"0.4019482361345539", b"0.4019482461345539"))
    assert differences(golden, golden.replace(b"krippendorff_alpha", b"krippendorff_a", 1))
