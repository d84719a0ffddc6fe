"""The import rules of the layout (docs/architecture.md), checked on the source so that a change
that breaks one fails here rather than in review."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from schedkit import family as families

PACKAGE = Path(__file__).resolve().parents[2] / "schedkit"
CORE_MODULES = {"api", "cli", "registry", "result", "errors", "family", "loading", "checking",
                "generate", "deprecated", "__init__", "__main__"}
# The harness pulls in rich progress, TOML, CSV and Dask glue: `schedkit --help` should not pay.
# `schedkit simulate` runs the job-shop simulator: loading that family only when it is used.
HEAVY_SCHEDKIT = {("schedkit.cli", "schedkit.bench.command"),
                  ("schedkit.cli", "schedkit.bench.command.bench"),
                  ("schedkit.cli", "schedkit.jobshop.simulate"),
                  ("schedkit.cli", "schedkit.jobshop.simulate.simulation_record"),
                  ("schedkit.cli", "schedkit.jobshop.simulate.summary_line")}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


def _imports(tree: ast.AST) -> list[tuple[str, bool]]:
    """(imported module, written inside a function) for every import statement."""
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, inside: bool) -> None:
        for child in ast.iter_child_nodes(node):
            nested = inside or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((alias.name, inside) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                found.append((child.module, inside))
                found.extend((f"{child.module}.{alias.name}", inside) for alias in child.names)
            visit(child, nested)

    visit(tree, False)
    return found


SOURCES = {_name(p): (p, _imports(ast.parse(p.read_text()))) for p in _modules()}


def _family_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) > 1 and parts[0] == "schedkit" and parts[1] in families.all_families():
        return parts[1]
    return None


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_a_family_never_imports_another(module):
    """A family imports the core and common/, never another family's package."""
    own = _family_of(module)
    if own is None:
        return
    for imported, _ in SOURCES[module][1]:
        other = _family_of(imported)
        assert other in (None, own), f"{module} imports {imported}"


@pytest.mark.parametrize("name", sorted(families.all_families()))
def test_the_checker_shares_no_code_with_methods(name):
    """check.py imports its model and the core only (no heuristics, solvers or common/ kernels)."""
    module = f"schedkit.{name}.check"
    assert module in SOURCES, f"{name} has no check.py"
    for imported, _ in SOURCES[module][1]:
        if not imported.startswith("schedkit"):
            continue
        parts = imported.split(".")
        own_model = len(parts) >= 3 and parts[1] == name and parts[2] == "model"
        core = len(parts) >= 2 and parts[1] in CORE_MODULES - {"cli"}
        assert own_model or core, f"{module} imports {imported}"


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_no_schedkit_import_inside_a_function(module):
    """Inside a function only heavy optional backends are imported, never a schedkit module."""
    for imported, inside in SOURCES[module][1]:
        if inside and (module, imported) not in HEAVY_SCHEDKIT:
            root = imported.split(".")[0]
            assert root != "schedkit", f"{module} imports {imported} inside a function"


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_only_the_cli_and_generate_commands_know_click(module):
    """click appears in cli.py and in each family's generate.py, nowhere else."""
    uses_click = any(imported.split(".")[0] == "click" for imported, _ in SOURCES[module][1])
    if uses_click:
        assert module == "schedkit.cli" or module.endswith(".generate"), module
