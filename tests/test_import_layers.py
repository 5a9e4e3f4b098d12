"""The package's layers: no import loop, and the contracts between stages (the run folder,
``gbo.stages`` and ``gbo.runfolder``, and the release bundle's format, ``gbo.bundle``) import no
stage package and not the run configuration that gathers them.

Imports are read from the source (module level and inside functions alike; imports for type
checking only are left out), so a loop hidden in a late import is found too.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import gbo

SRC = Path(gbo.__file__).resolve().parent
CONTRACT = ("gbo.stages", "gbo.runfolder", "gbo.bundle")
SHARED_PACKAGES = {"schema", "security", "bundle"}  # vocabulary, cryptography, bundle format


def _module_name(path: Path) -> str:
    parts = ["gbo", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py")) if "migrations" not in p.parts}
STAGE_PACKAGES = {
    _module_name(p.parent)
    for p in SRC.glob("*/__init__.py")
    if p.parent.name not in SHARED_PACKAGES
}


def _upward(module: str) -> bool:
    """Whether ``module`` is the run configuration or sits in a stage package."""
    return module == "gbo.config" or any(
        module == p or module.startswith(p + ".") for p in STAGE_PACKAGES
    )


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(name: str, path: Path) -> set[str]:
    """The gbo modules that ``name`` imports when it runs (its own package's parents aside)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parent = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*parent, *([child.module] if child.module else [])])
                submodules = [f"{base}.{a.name}" for a in child.names]
                found.update(m for m in submodules if m in MODULES)
                if any(m not in MODULES for m in submodules):
                    found.add(base)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycle_from(start: str) -> list[str] | None:
    """A path of imports from ``start`` back to itself, if there is one."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in GRAPH[node]:
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def _reachable(start: str) -> set[str]:
    found: set[str] = set()
    todo = [start]
    while todo:
        for nxt in GRAPH[todo.pop()]:
            if nxt not in found:
                found.add(nxt)
                todo.append(nxt)
    return found


def test_the_import_graph_is_read_from_every_module() -> None:
    assert len(GRAPH) > 200
    assert "gbo.stages" in GRAPH["gbo.runfolder"]
    assert {"gbo.runfolder", "gbo.stages"} <= GRAPH["gbo.pipeline"]
    assert {"gbo.ingest", "gbo.link", "gbo.publish", "gbo.review"} <= STAGE_PACKAGES
    assert "gbo.config" not in GRAPH["gbo.runfolder"]  # only for type checking there


def test_no_module_imports_itself_through_others() -> None:
    loops = [cycle for name in GRAPH if (cycle := _cycle_from(name)) is not None]
    assert loops == [], " -> ".join(loops[0])


def test_the_run_folder_contract_imports_no_stage_package() -> None:
    for name in CONTRACT:
        reached = _reachable(name)
        upward = sorted(m for m in reached if _upward(m))
        assert upward == [], f"{name} reaches {upward}"


def test_importing_the_contract_loads_no_stage_package() -> None:
    code = "import sys, gbo.runfolder, gbo.stages, gbo.bundle; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert "gbo.runfolder" in loaded and "gbo.bundle.verify" in loaded
    assert [m for m in loaded if _upward(m)] == []
