"""The engine's packages form layers: every import points down, none goes round in a circle.

Drawn from the imports themselves (``ast``), so a new import that climbs a layer or closes a
cycle fails here, with the offending module named. Imports inside a function are allowed
only for start-up speed and say so (a ``# start-up: ...`` comment above them).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent / "analysis"

# Lowest first. A package may import its own modules and those of lower layers only.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("base",),
    ("messages",),
    ("data",),
    ("io", "embeddings", "workspace", "metrics", "consensus"),
    ("labelstudio", "model_annotators", "quality"),
    ("diagnostics",),
    ("clusters", "report"),
    ("label_issues", "tasks"),
    ("cli",),
    ("__main__",),
)
RANK = {package: rank for rank, packages in enumerate(LAYERS) for package in packages}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    where: str  # "module", "function" or "typing"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imported(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
    return [f"{base}.{alias.name}" for alias in node.names]


def _edges(module: str, path: Path) -> list[Edge]:
    edges: list[Edge] = []

    def visit(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = where
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = "function"
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                inner = "typing"
            if isinstance(child, ast.Import | ast.ImportFrom):
                for name in _imported(module, path, child):
                    target = _resolve(name) if name.startswith("analysis") else None
                    if target and target != module and target != "analysis":
                        edges.append(Edge(module, target, child.lineno, inner))
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), "module")
    return edges


EDGES = [edge for module, path in MODULES.items() for edge in _edges(module, path)]


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_every_package_has_a_layer() -> None:
    packages = {_package(module) for module in MODULES} - {"__init__"}
    assert packages - set(RANK) == set(), "place the new package in LAYERS"


def _upward(edges: list[Edge]) -> list[str]:
    return [
        f"{edge.source}:{edge.line} ({edge.where}) imports {edge.target}"
        for edge in edges
        if _package(edge.source) != _package(edge.target)
        and _package(edge.source) in RANK
        and RANK[_package(edge.target)] >= RANK[_package(edge.source)]
    ]


def test_every_import_points_down() -> None:
    assert _upward(EDGES) == []


def test_no_import_cycle_between_modules() -> None:
    graph = nx.DiGraph((edge.source, edge.target) for edge in EDGES)
    assert [sorted(cycle) for cycle in nx.strongly_connected_components(graph)
            if len(cycle) > 1] == []


def test_imports_inside_functions_are_for_start_up_only() -> None:
    unexplained = []
    for edge in EDGES:
        if edge.where != "function":
            continue
        lines = MODULES[edge.source].read_text(encoding="utf-8").splitlines()
        above = edge.line - 1
        while above > 0 and lines[above - 1].strip().startswith(("from ", "import ", "#")):
            if "start-up" in lines[above - 1]:
                break
            above -= 1
        else:
            unexplained.append(f"{edge.source}:{edge.line} imports {edge.target}")
            continue
        if above == 0 or "start-up" not in lines[above - 1]:
            unexplained.append(f"{edge.source}:{edge.line} imports {edge.target}")
    assert unexplained == []


def test_the_checks_see_a_climbing_or_sideways_import() -> None:
    climbing = Edge("analysis.data.dataset", "analysis.report.builder", 1, "typing")
    sideways = Edge("analysis.metrics.overall", "analysis.io.load", 1, "module")
    down = Edge("analysis.report.builder", "analysis.data.dataset", 1, "module")
    assert len(_upward([climbing, sideways, down])) == 2
    assert len(EDGES) > 1000  # the walk sees the real imports, relative ones included
