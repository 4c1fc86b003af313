"""Shared fixtures: each test gets its own copy of the example project to change."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.errors import Problems
from reportgen.pipeline import build, load_project

REPO = Path(__file__).resolve().parent.parent
NARRATIVE = Path("data/narrative/2011-01-18-ni59-ni60.yaml")
OUTPUT = Path(
    "out/2011-01-18-performance-and-finance-scrutiny-sub-committee/2011-01-18-ni59-ni60.docx"
)
SCORECARD_NARRATIVE = Path("data/narrative/2026-12-08-childrens-services-scorecard.yaml")
SCORECARD = Path(
    "out/2026-12-08-childrens-services-scrutiny-sub-committee/"
    "2026-12-08-childrens-services-scorecard.docx"
)
PERFORMANCE_NARRATIVE = Path("data/narrative/2026-11-04-childrens-performance-report.yaml")
PERFORMANCE = Path(
    "out/2026-11-04-children-and-young-people-scrutiny-panel/"
    "2026-11-04-childrens-performance-report.docx"
)
SCORECARD_APPENDIX = SCORECARD.with_name("2026-12-08-childrens-services-scorecard-appendix.docx")


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project, built once so that its DfE and chart caches are warm for every
    copy."""
    root = tmp_path_factory.mktemp("example")
    for folder in ("config", "data", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    problems = Problems()
    load_project(root, problems)
    assert not problems.items, problems.items
    build(root, [root / "data" / "narrative"], root / "out", write=False)
    return root


@pytest.fixture
def project(example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example project, also the working folder, so paths print relative."""
    for folder in ("config", "data", "templates", ".cache"):
        if (example / folder).is_dir():
            shutil.copytree(example / folder, tmp_path / folder)
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
