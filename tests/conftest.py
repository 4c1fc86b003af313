"""Shared fixtures: each test gets its own copy of the example project to change."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from typer.testing import CliRunner

from reportgen import Workspace
from reportgen.cli import app
from reportgen.errors import Problems
from reportgen.inputs.project import Project, load_project

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

# The programs PDF tests run, and what installs each (Debian or Ubuntu package).
PDF_TOOLS = {
    "soffice": "LibreOffice (sudo apt-get install libreoffice-writer)",
    "pdftotext": "poppler (sudo apt-get install poppler-utils)",
    "pdfinfo": "poppler (sudo apt-get install poppler-utils)",
    "pdftoppm": "poppler (sudo apt-get install poppler-utils)",
}


def pdf_required() -> bool:
    """Whether a missing PDF tool fails the tests instead of skipping them: CI sets
    REPORTGEN_REQUIRE_PDF so that PDF tests cannot quietly stop running there."""
    return os.environ.get("REPORTGEN_REQUIRE_PDF", "").strip() not in ("", "0")


def require_tool(name: str) -> str:
    """The path of a program a PDF test runs (`soffice`, `pdftotext`, `pdfinfo`); every PDF
    test asks here for each program it needs. LibreOffice is found as reportgen finds it:
    `REPORTGEN_SOFFICE`, else `soffice` or `libreoffice` on PATH.

    Where the program is missing the test is skipped, or fails when REPORTGEN_REQUIRE_PDF
    is set.
    """
    found = shutil.which(name)
    if name == "soffice":
        found = os.environ.get("REPORTGEN_SOFFICE") or found or shutil.which("libreoffice")
    if found:
        return found
    message = f"{name} is not on PATH: {PDF_TOOLS.get(name, name)} is needed for this test"
    missing(message, "REPORTGEN_REQUIRE_PDF")


def missing(message: str, required_by: str) -> NoReturn:
    """Skips the test for want of a program, or fails it where the environment variable
    `required_by` is set (CI sets them, so that no such test quietly stops running)."""
    if os.environ.get(required_by, "").strip() not in ("", "0"):
        pytest.fail(f"{message}, and {required_by} is set", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project, built once so that its DfE and chart caches are warm for every
    copy."""
    root = tmp_path_factory.mktemp("example")
    for folder in ("config", "data"):
        shutil.copytree(REPO / folder, root / folder)
    problems = Problems()
    load_project(root, problems)
    assert not problems.items, problems.items
    Workspace(root).build([root / "data" / "narrative"], root / "out", write=False)
    return root


@pytest.fixture(scope="session")
def repo_project() -> Project:
    """The repository's own example project, loaded once, for tests that only read it."""
    problems = Problems()
    loaded = load_project(REPO, problems, keep_files=False)
    assert loaded is not None and not problems.items, problems.items
    return loaded


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


@pytest.fixture
def jobs() -> Iterator[None]:
    """The service's background jobs run as a worker runs them: at once, in the request; or,
    with REPORTGEN_EXTERNAL_WORKERS=1, by the `reportgen worker` processes serving the same
    project (tests/web.py). The packs they build are gone afterwards."""
    import web
    from django.conf import settings

    root = web.project()
    settings.HUEY.immediate = not web.EXTERNAL
    yield
    settings.HUEY.immediate = False
    shutil.rmtree(root / "out", ignore_errors=True)


def edit(path: Path, old: str, new: str) -> None:
    """Replaces `old` (which must be there) with `new` in a file of the project."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def type_counted(root: Path, *ids: str) -> None:
    """Makes indicators counted from case records typed again, in a copy of the example:
    their `cases:` taken out of the catalogue and their figures, as counted, written as data
    rows (with their statuses and notes). For tests of what follows when an officer edits a
    typed figure by hand (corrections, disclosure control), not of the counting."""
    import re

    project = Workspace(root).project()
    catalogue = root / "config/indicators.yaml"
    text = catalogue.read_text(encoding="utf-8")
    for indicator in ids:
        entry = re.search(rf"(?ms)^  - id: {indicator}\n.*?(?=^  - id: |^\S|\Z)", text)
        assert entry is not None, indicator
        kept = re.sub(r"(?m)^    cases:.*\n(?:^      .*\n|^\s*#.*\n)*", "", entry.group(0))
        text = text.replace(entry.group(0), kept)
    catalogue.write_text(text, encoding="utf-8")
    data = root / "data/indicators/scorecard-2026-27.csv"
    rows = [r for r in data.read_text(encoding="utf-8").splitlines(keepends=True)
            if r.split(",", 1)[0] not in ids]  # fmt: skip
    for indicator in ids:
        for period, o in sorted(project.observations[indicator].items(), key=lambda k: k[0].last):
            if o.source:
                continue
            figures = ["" if n is None else str(n) for n in (o.numerator, o.denominator, o.value)]
            rows.append(
                f"{indicator},{period.code},{','.join(figures)},{o.status.value},{o.note},\n"
            )
    data.write_text("".join(rows), encoding="utf-8")
