"""The papers of a project as a list shows them: each narrative file's header, read
leniently (a file with mistakes is still listed, by its name, for its problems to be seen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

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
    folder = root / NARRATIVE_FOLDER
    found = []
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []
    for path in files:
        if not path.is_file():
            continue
        try:
            data = load_yaml(path, cache=cache).data
        except InputError:
            data = None
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
