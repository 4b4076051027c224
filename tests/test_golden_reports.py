"""Every CLI output of the bundled samples is byte for byte what ``tests/data/golden`` holds.

The cases (report as JSON with consensus, and as Markdown and HTML
for one sample of each distinct table; validate; gold export; clusters
and label issues on the character n-gram backend; models vs humans) are listed in
``tests/golden_cases.py``, which also writes the files (``python -m tests.golden_cases``).
A change to a number, a key, the key order or a message shows up here.
"""

from __future__ import annotations

import pytest

from tests.golden_cases import GOLDEN, ROOT, cases, run_case

CASES = cases()


@pytest.fixture(autouse=True)
def _from_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("LABEL_AGREEMENT_WORKSPACE", raising=False)


@pytest.mark.parametrize("case", sorted(CASES))
def test_cli_output_is_byte_identical(case: str) -> None:
    written, said = run_case(CASES[case], case)
    assert said == (GOLDEN / f"{case}.exit").read_text(encoding="utf-8")
    assert written == (GOLDEN / case).read_bytes()


def test_every_golden_file_has_a_case() -> None:
    names = {path.name.removesuffix(".exit") for path in GOLDEN.iterdir()}
    assert names == set(CASES)
