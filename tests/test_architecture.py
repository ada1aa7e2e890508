"""The house rules of docs/architecture.md, read from the code: no import runs back up a layer,
and no module imports itself round a circle (imports inside functions count too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "parasched"

# a layer may import only the layers listed for it (besides itself and the standard library)
ALLOWED = {
    "scheduler": {"scheduler"},
    "solver": {"solver", "scheduler"},
    "io": {"io", "scheduler"},
    "workflows": {"workflows", "scheduler", "solver", "io"},
    "web": {"web", "workflows", "scheduler", "solver", "io"},
    "cli": {"workflows", "scheduler", "solver", "io", "web"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every parasched module the file imports, at the top or inside a function."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("parasched")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            if not mod.startswith("parasched"):
                continue
            out.add(mod)
            for a in node.names:  # "from . import changes" names a module
                if (ROOT.parent / (mod.replace(".", "/") + f"/{a.name}.py")).exists():
                    out.add(f"{mod}.{a.name}")
    return out


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in ROOT.rglob("*.py")}
    return {name: {m for m in _imports(path) if m in files and m != name} for name, path in files.items()}


def _layer(module: str) -> str:
    """``parasched.solver.model`` -> ``solver``; ``parasched.cli`` -> ``cli``; the package itself -> ``root``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "root"


def test_no_import_runs_back_up_a_layer() -> None:
    wrong = sorted(
        f"{mod} imports {dep}"
        for mod, deps in _graph().items()
        for dep in deps
        if _layer(mod) in ALLOWED and _layer(dep) not in ALLOWED[_layer(mod)] | {"root"}
    )
    assert wrong == []


def test_no_module_imports_itself_round_a_circle() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                circles.append([*path[path.index(dep) :], dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    # a package's __init__ re-exporting its own modules is not a circle of the code
    circles = [c for c in circles if not any((ROOT.parent / m.replace(".", "/") / "__init__.py").exists() for m in c)]
    assert circles == []


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_every_layer_exists(layer: str) -> None:
    assert layer == "cli" or (ROOT / layer).is_dir()
