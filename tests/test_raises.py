"""The library raises its own error types only: no bare ValueError or TypeError.

A wrong argument is a :class:`~analysis.base.errors.UsageError`, bad data an
:class:`~analysis.base.errors.AnnotationDataError`; both subclass ``ValueError``, so
callers that catch ``ValueError`` keep working.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "analysis"
BARE = {"ValueError", "TypeError"}


def _raised_name(node: ast.Raise) -> str | None:
    exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return exc.id if isinstance(exc, ast.Name) else None


def bare_raises(root: Path = ROOT) -> list[str]:
    """``path:line`` of every ``raise ValueError``/``raise TypeError`` outside analysis/base."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if (root / "base") in path.parents:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and _raised_name(node) in BARE:
                found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    return found


def test_no_bare_value_or_type_error_outside_base():
    assert bare_raises() == []


def test_the_check_finds_a_bare_raise(tmp_path):
    package = tmp_path / "analysis"
    (package / "base").mkdir(parents=True)
    (package / "base" / "ok.py").write_text("raise ValueError('allowed in base')\n")
    (package / "m.py").write_text("def f():\n    raise ValueError('x')\n\ndef g():\n    raise TypeError\n")
    assert bare_raises(package) == ["analysis/m.py:2", "analysis/m.py:5"]
