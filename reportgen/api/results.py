"""What a workspace's methods return: values, never open files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import Problem
from reportgen.jobs.build import BuiltReport
from reportgen.jobs.publish import Published


@dataclass(frozen=True)
class Built:
    """What `build` made: each report's files, the warnings found (problems that do not
    stop a paper) and the papers left out of a folder as published already."""

    reports: list[BuiltReport]
    warnings: list[Problem]
    skipped: list[Path]


@dataclass(frozen=True)
class Checked:
    """What `check` found: the reports and meetings checked, and the warnings."""

    reports: list[BuiltReport]
    meetings: dict[Path, int]  # each meeting file checked, with its number of items
    warnings: list[Problem]
    skipped: list[Path]


@dataclass(frozen=True)
class PaperCheck:
    """One narrative's text checked as `reportgen check` checks it: its problems and
    warnings, and the paper (.docx bytes) built from it when it has no problems."""

    problems: list[Problem]
    warnings: list[Problem]
    paper: bytes | None


@dataclass(frozen=True)
class LiveFigure:
    """A live figure a narrative may use, and what it shows today."""

    expression: str  # as written in narrative: {{ NI59.latest }}
    shows: str
    indicator: str  # the indicator's id
    title: str


@dataclass(frozen=True)
class PublishedMeeting:
    """A meeting published: its papers' snapshots, the packs built, and the public copy."""

    papers: list[Published]
    packs: list[Path]
    public: Path  # the folder of what the public may see: public/<meeting folder>/


@dataclass(frozen=True)
class DataCheck:
    """What an uploaded data file would change: the papers whose figures differ."""

    path: Path
    changed: list[Path]  # narrative files whose indicators have other figures with it
