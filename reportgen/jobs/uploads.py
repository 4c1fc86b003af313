"""Files people upload, checked before anything keeps them: a supplied paper for a
meeting's item, and a monthly indicator data file (and which papers would print other
figures with it)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from reportgen.domain.periods import Month
from reportgen.errors import InputError, Problem, Problems
from reportgen.inputs.papers import paper_summaries
from reportgen.inputs.project import Project
from reportgen.jobs import plan as planning
from reportgen.jobs.agenda import supplied_text
from reportgen.jobs.compose import compose
from reportgen.paper.live_figures import BenchmarkView
from reportgen.results.records import published

SUPPLIED_FOLDER = Path("data") / "meetings" / "supplied"
MAX_SUPPLIED = 20_000_000  # bytes: a supplied paper with pictures is a few megabytes
_SUPPLIED_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._()-]{0,120}\.(pdf|docx)", re.IGNORECASE)


def supplied_path(root: Path, name: str, content: bytes) -> Path:
    """Where a supplied paper uploaded as `name` is kept, `data/meetings/supplied/NAME`,
    once it is checked: a plain name, under 20 MB and a document that opens. Raises
    InputError saying what is wrong."""
    shown = (SUPPLIED_FOLDER / Path(name).name).as_posix()
    if not _SUPPLIED_NAME.fullmatch(Path(name).name):
        what, fix = (
            "is not a name reportgen takes for a supplied paper",
            ("upload a .pdf or .docx with a plain name, such as 2026-09-09-minutes.pdf"),
        )
        raise InputError([Problem(shown, None, "", what, fix)])
    if len(content) > MAX_SUPPLIED:
        raise InputError(
            [Problem(shown, None, "", "is over 20 MB", "save it again with smaller pictures")]
        )
    read = supplied_text(Path(name).suffix.lower(), content)
    if isinstance(read, Problem):
        raise InputError([replace(read, file=shown)])
    return root / SUPPLIED_FOLDER / Path(name).name


def data_path(root: Path, name: str) -> Path:
    """`data/indicators/NAME`, for a plain file name ending .csv or .xlsx only."""
    plain = Path(name).name == name and not name.startswith(".")
    if not plain or Path(name).suffix.lower() not in (".csv", ".xlsx") or len(name) > 100:
        raise InputError(
            [
                Problem(
                    "",
                    None,
                    "file",
                    f"'{name}' is not a data file name",
                    "upload a .csv or .xlsx file with a plain name, such as monthly-2026-27.csv",
                )
            ]
        )
    return root / "data" / "indicators" / name


def changed_papers(before: Project, after: Project) -> list[Path]:
    """The narrative files whose papers print other figures with `after`'s data than with
    `before`'s. Each paper using an indicator whose rows differ is composed against both
    and what it prints compared: its tables, charts and changes, its words with their live
    figures, and each indicator as its record keeps it (figures, ratings, ranks). A row for
    a month after a paper's period, or a figure restated to the value it had, changes
    nothing it prints, so the paper is not listed."""
    moved = {
        indicator
        for indicator in {*before.observations, *after.observations}
        if before.observations.get(indicator) != after.observations.get(indicator)
    }
    return [
        paper.path
        for paper in paper_summaries(before.root, before.cache)
        if moved & set(paper.indicators)
        and printed(before, paper.path) != printed(after, paper.path)
    ]


def printed(project: Project, narrative: Path) -> object:
    """What the paper of `narrative` prints with `project`'s data, as a value to compare:
    None for a narrative that cannot be read; for a paper with problems in its words, its
    indicators as its record would keep them, as at its period."""
    problems = Problems()
    reports = planning.plan(project, [narrative], project.root / "out", problems)
    if not reports:
        return None
    report = reports[0]
    paper = compose(project, report, problems, record=True)
    if paper is None:
        month = Month.parse(report.narrative.period)
        return tuple(published(r, ()) for r in project.results(report.narrative.indicators, month))
    return _values(paper.context), paper.printed


def _values(context: Any) -> Any:
    """The context without its live figure views (objects a template asks, compared by
    identity): what they print is in the rendered words and the record."""
    if isinstance(context, dict):
        return {k: _values(v) for k, v in context.items() if not isinstance(v, BenchmarkView)}
    if isinstance(context, list | tuple):
        return [_values(v) for v in context if not isinstance(v, BenchmarkView)]
    return context
