"""Files people upload, checked before anything keeps them: a supplied paper for a
meeting's item, and a monthly indicator data file (and which papers it would change)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from reportgen.errors import InputError, Problem
from reportgen.inputs.papers import paper_summaries
from reportgen.inputs.project import Project
from reportgen.jobs.agenda import supplied_text

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
    """The narrative files whose indicators have other figures in `after` than `before`."""
    moved = {
        indicator
        for indicator in {*before.observations, *after.observations}
        if before.observations.get(indicator) != after.observations.get(indicator)
    }
    return [
        paper.path
        for paper in paper_summaries(before.root, before.cache)
        if moved & set(paper.indicators)
    ]
