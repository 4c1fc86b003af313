"""The papers of a project as a list shows them: each narrative file's header, read
leniently (a file with mistakes is still listed, by its name, for its problems to be seen)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportgen.cache import Cache
from reportgen.errors import InputError
from reportgen.inputs.yamlfile import load_yaml

NARRATIVE_FOLDER = Path("data") / "narrative"


@dataclass(frozen=True)
class PaperSummary:
    """One narrative file: where it is, and what its header says."""

    path: Path
    subject: str
    committee: str
    meeting_date: date | None
    exempt: bool
    readable: bool  # False: the file is not YAML reportgen can read
    indicators: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.path.stem


def paper_summaries(root: Path, cache: Cache | None = None) -> list[PaperSummary]:
    """Every narrative file in `data/narrative/`, by meeting date then name."""
    found = []
    for path, data in _read_leniently(root / NARRATIVE_FOLDER, cache):
        readable = isinstance(data, dict)
        raw = data if isinstance(data, dict) else {}
        when = raw.get("meeting_date")
        found.append(
            PaperSummary(
                path=path,
                subject=" ".join(str(raw.get("subject") or path.stem).split()),
                committee=str(raw.get("committee") or ""),
                meeting_date=when if isinstance(when, date) else None,
                # Anything but a plain `false` is treated as exempt: a mistake never shows it.
                exempt=raw.get("exempt", False) is not False or not readable,
                readable=readable,
                indicators=tuple(
                    str(i) for i in raw.get("indicators") or () if isinstance(i, str | int)
                )
                if isinstance(raw.get("indicators"), list)
                else (),
            )
        )
    return sorted(found, key=lambda p: (p.meeting_date or date.min, p.name))


MEETING_FOLDER = Path("data") / "meetings"


@dataclass(frozen=True)
class MeetingSummary:
    """One meeting file: where it is, and what its header says."""

    path: Path
    committee: str
    date: date | None
    time: str
    venue: str
    items: int
    supplementary: bool
    readable: bool  # False: the file is not YAML reportgen can read

    @property
    def name(self) -> str:
        return self.path.stem


def meeting_summaries(root: Path, cache: Cache | None = None) -> list[MeetingSummary]:
    """Every meeting file in `data/meetings/` (not its folders of supplied papers), by
    date then name; a file with mistakes is listed too, by its name."""
    found = []
    for path, data in _read_leniently(root / MEETING_FOLDER, cache):
        raw = data if isinstance(data, dict) else {}
        when, items = raw.get("date"), raw.get("items")
        found.append(
            MeetingSummary(
                path=path,
                committee=" ".join(str(raw.get("committee") or path.stem).split()),
                date=when if isinstance(when, date) else None,
                time=str(raw.get("time") or ""),
                venue=str(raw.get("venue") or ""),
                items=len(items) if isinstance(items, list) else 0,
                supplementary=raw.get("supplementary") is True,
                readable=isinstance(data, dict),
            )
        )
    return sorted(found, key=lambda m: (m.date or date.min, m.name))


def _read_leniently(folder: Path, cache: Cache | None) -> Iterator[tuple[Path, Any]]:
    """Each YAML file in `folder` (not its subfolders) with what it holds, or None where it
    cannot be read: a list shows it by its name, and its check says what is wrong."""
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []
    for path in files:
        if not path.is_file():
            continue
        try:
            yield path, load_yaml(path, cache=cache).data
        except InputError:
            yield path, None
