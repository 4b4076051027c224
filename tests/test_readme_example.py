"""The README's "In Python" example runs as written (on a bundled sample named labels.csv)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_python_example_runs(tmp_path, monkeypatch, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## In Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    shutil.copy(ROOT / "sample_data" / "en_support_intents.csv", tmp_path / "labels.csv")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - the project's own README
    report = namespace["report"]
    assert namespace["json_ready"]["overall"]["krippendorff_alpha"]["value"] == report.overall["krippendorff_alpha"].value
    assert len(namespace["items"]) == report.summary.items
    assert set(namespace["curves"]["annotator"]) == {str(a) for a in report.dataset.reliability.annotators}
    assert "Metric(value=" in capsys.readouterr().out
