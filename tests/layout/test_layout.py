"""The house plan of ARCHITECTURE.md, checked against the code: layers, circles, errors, sizes.

Imports are read with `ast`, function-local ones included (they are how start-up stays
fast, and they still tie modules together); imports under `if TYPE_CHECKING:` are left
out, as the plan allows.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "pwcheck"
# ARCHITECTURE.md's table: what each part of pwcheck may import (besides itself and the
# top-level `pwcheck` module, which holds only the version, the user agent and the
# distribution name with its install hint).
ALLOWED: dict[str, set[str]] = {
    "model": set(),
    "system": {"model"},
    "net": {"model"},  # its errors (`h1_wire.HttpFailure`) are PwcheckErrors
    "schedule": {"system", "model"},
    "check": {"net", "system", "model"},
    "sources": {"check", "system", "model"},
    "analyse": {"check", "net", "model"},
    "lists": {"net", "system", "model"},
    "breaches": {"lists", "net", "system", "model"},
    "corpus": {"check", "net", "system", "model"},
    "demo": {"corpus", "check"},
    "report": {"analyse", "system", "model"},
    "personal": {"analyse", "system", "model"},
    "audit": {"analyse", "check", "model"},
    "cli": {"audit", "personal", "report", "breaches", "lists", "analyse", "corpus", "check", "sources", "schedule", "net",
            "system", "model", "demo"},
    "__main__": {"cli"},
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """Every pwcheck module `path` imports at run time (function-local too, TYPE_CHECKING blocks not)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
        for inner in ast.walk(node)
    }
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pwcheck":
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names if f"{node.module}.{alias.name}" in MODULES)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.split(".")[0] == "pwcheck")
    return {name for name in names if name in MODULES}


GRAPH = {name: _imports(path) for name, path in MODULES.items()}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "pwcheck"


def test_every_part_imports_only_what_the_plan_allows() -> None:
    wrong = defaultdict(set)
    for module, imported in GRAPH.items():
        part = _part(module)
        if part == "pwcheck":
            continue
        for target in imported:
            other = _part(target)
            if other not in (part, "pwcheck") and other not in ALLOWED[part]:
                wrong[module].add(target)
    assert not wrong, f"imports against ARCHITECTURE.md: {dict(wrong)}"


def test_every_part_is_in_the_plan() -> None:
    parts = {_part(module) for module in MODULES} - {"pwcheck"}
    assert parts == set(ALLOWED), "a new package needs its row in ARCHITECTURE.md and in ALLOWED"


def test_no_import_circles() -> None:
    """Tarjan's strongly connected components over the module graph: every one must be a single module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target == node:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert circles == []


def test_model_imports_nothing_else_of_pwcheck() -> None:
    for module, imported in GRAPH.items():
        if _part(module) == "model":
            assert {_part(target) for target in imported} <= {"model"}, module


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _part(m) != "cli"))
def test_no_process_exit_outside_the_command_line(module: str) -> None:
    """Exit codes are set in one place: pwcheck/cli/ (errors carry theirs up to it)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    calls = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("exit", "_exit") and getattr(node.func.value, "id", "") in ("sys", "os", "ctx")
    ]
    assert calls == []


def test_every_exception_derives_from_the_one_base() -> None:
    import importlib

    from pwcheck.model.errors import PwcheckError

    strays = []
    for module in MODULES:
        loaded = importlib.import_module(module) if module not in ("pwcheck.__main__",) else None
        if loaded is None:
            continue
        for value in vars(loaded).values():
            if (isinstance(value, type) and issubclass(value, BaseException) and value.__module__ == module
                    and not issubclass(value, PwcheckError)):
                strays.append(f"{module}.{value.__name__}")
    assert strays == []


def test_no_module_is_a_house_of_its_own() -> None:
    """About 400 lines at most: past that a module holds more than one concern."""
    long = {module: n for module, path in MODULES.items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}
