"""Shared fixtures: each test gets its own copy of the example project to change."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli import app

REPO = Path(__file__).resolve().parent.parent
NARRATIVE = Path("data/narrative/2011-01-18-ni59-ni60.yaml")
OUTPUT = Path(
    "out/2011-01-18-performance-and-finance-scrutiny-sub-committee/2011-01-18-ni59-ni60.docx"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example project, also the working folder, so paths print relative."""
    for folder in ("config", "data", "templates"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def cli() -> Callable[..., object]:
    """Runs reportgen in-process; returns the click result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args: str) -> object:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


def edit(path: Path, old: str, new: str) -> None:
    """Replaces `old` (which must be there) with `new` in a file of the project."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
