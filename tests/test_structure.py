"""The code's shape, as the README describes it: no module imports another's private
names, and no module is over 500 lines (split along its seams before it gets there)."""

from __future__ import annotations

import ast
from pathlib import Path

import reportgen

PACKAGE = Path(reportgen.__file__).parent
LONGEST = 500  # lines


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _private_imports(path: Path) -> list[str]:
    """`from reportgen.x import _name` in `path`: a private name of another module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [
        f"{path.name}:{node.lineno}: {alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportgen")
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]


def test_no_module_imports_a_private_name_of_another() -> None:
    found = [line for path in _modules() for line in _private_imports(path)]
    assert found == []


def test_the_check_finds_a_private_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from reportgen.inputs.tables import _read_table\n", encoding="utf-8")
    assert [line.rpartition(": ")[2] for line in _private_imports(module)] == ["_read_table"]


def test_no_module_is_over_500_lines() -> None:
    long = {
        str(path.relative_to(PACKAGE.parent)): lines
        for path in _modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST
    }
    assert long == {}
