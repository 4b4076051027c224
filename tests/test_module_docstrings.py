"""Every module says what it is for, and the names its text points to exist.

Each ``.py`` file of ``analysis/`` and ``dashboard/`` opens with a docstring. Dotted names
(``analysis.io.load_task``) in the code's text and in the documentation resolve, from the
source alone (``ast``), to a module and a name defined or imported there, so a module
moved or a function renamed cannot leave a stale pointer behind.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted([*ROOT.joinpath("analysis").rglob("*.py"), *ROOT.joinpath("dashboard").rglob("*.py")])
TEXTS = [*MODULES, *sorted(ROOT.joinpath("docs").glob("*.md")), ROOT / "README.md"]
DOTTED = re.compile(r"(?<![\w/.])((?:analysis|dashboard)(?:\.[A-Za-z_]\w*)+)")
FILE_NAMES = (".md", ".py", ".txt", ".toml", ".json")  # dashboard.md is a file, not a module


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("path", MODULES, ids=_relative)
def test_every_module_opens_with_a_docstring(path: Path) -> None:
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring and docstring.strip(), f"{_relative(path)} has no module docstring"


def _module_file(dotted: str) -> Path | None:
    base = ROOT.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@cache
def _names(path: Path) -> dict[str, ast.AST | None]:
    """Top-level names of a module: definitions, assignments and imports."""
    names: dict[str, ast.AST | None] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names[node.name] = node
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update({t.id: None for t in targets if isinstance(t, ast.Name)})
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update({(a.asname or a.name).split(".")[0]: None for a in node.names})
        elif isinstance(node, ast.If | ast.Try):  # optional imports, TYPE_CHECKING blocks
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    names.update({(a.asname or a.name).split(".")[0]: None for a in inner.names})
    return names


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        module = _module_file(".".join(parts[:split]))
        if module is None:
            continue
        rest = parts[split:]
        if not rest:
            return True
        node = _names(module).get(rest[0], False)
        if node is False:
            return False
        if len(rest) > 1 and isinstance(node, ast.ClassDef):  # a method or attribute
            members = {getattr(n, "name", None) for n in node.body} | {
                t.id for n in node.body if isinstance(n, ast.AnnAssign | ast.Assign)
                for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
                if isinstance(t, ast.Name)}
            return rest[1] in members
        return True
    return False


def test_dotted_names_in_code_and_docs_exist() -> None:
    stale = [
        f"{_relative(path)}:{number}: {name}"
        for path in TEXTS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for name in DOTTED.findall(line)
        if not name.endswith(FILE_NAMES) and not _resolves(name)
    ]
    assert stale == []


def test_a_stale_name_is_caught() -> None:
    assert _resolves("analysis.io.load_task.load_task")
    assert _resolves("analysis.report.protocol.Task")
    assert not _resolves("analysis.tasks.load_task")
    assert not _resolves("analysis.io.spans_texts.read_texts")
