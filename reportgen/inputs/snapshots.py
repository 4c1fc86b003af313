"""What a paper published: every figure, rating, direction, rank and target exactly as
printed, kept as plain JSON under `data/published/` for the next meeting to compare with.

A snapshot is written by `reportgen publish` and read back, checked, by every later build.
JSON, one value to a line, diffs cleanly under version control and reads fast: a build reads
every snapshot, five years of meetings of 200 indicators in a fraction of a second. Each
indicator's entry and the header carry a `check` (a hash of their content), so a hand edit
is found and reported at its line instead of silently changing history.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from reportgen.cache import Cache
from reportgen.domain.keys import key_path
from reportgen.errors import InputError, Problems
from reportgen.inputs.paths import OutsideProject, inside
from reportgen.inputs.yamlfile import Lines, YamlDocument, load_yaml
from reportgen.results.records import LATER_FIELDS, PublishedIndicator, Snapshot, previous

PUBLISHED_FOLDER = Path("data") / "published"
REPLACED = "replaced"  # the folder a replaced snapshot is kept in, beside its successor
PACKS = "packs"  # the folder of a meeting's published packs' records: not papers' snapshots

ABOUT = (
    "What this paper printed, recorded by `reportgen publish`. Keep it under version control. "
    "Do not edit it: a changed value is reported; publish the meeting again with --replace."
)


def dump(snapshot: Snapshot) -> str:
    """The snapshot as JSON, one value to a line: the same snapshot gives the same text."""
    data: dict[str, Any] = {
        "about": ABOUT,
        "paper": snapshot.paper,
        "committee": snapshot.committee,
        "meeting_date": snapshot.meeting_date.isoformat(),
        "period": snapshot.period,
        "reportgen": snapshot.reportgen,
        **({"exempt": True} if snapshot.exempt else {}),
        "inputs": dict(sorted(snapshot.inputs.items())),
        "check": snapshot.check,
        "indicators": [_entry(i) for i in snapshot.indicators],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _entry(indicator: PublishedIndicator) -> dict[str, Any]:
    """An indicator's record; the fields added later only where the paper printed them."""
    entry = asdict(indicator)
    for name in LATER_FIELDS:
        if not entry[name]:
            del entry[name]
    return {**entry, "check": indicator.check}


class _IndicatorModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    id: str
    number: str
    title: str
    period: str
    rag: str
    direction: str
    target: str
    ytd: str
    rank: str
    band: str
    figures: dict[str, str]
    counts: dict[str, str] = {}
    to_date: dict[str, str] = {}
    rolling: dict[str, str] = {}
    check: str


class _SnapshotModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    about: str
    paper: str
    committee: str
    meeting_date: str
    period: str
    reportgen: str
    exempt: bool = False
    inputs: dict[str, str]
    check: str
    indicators: list[_IndicatorModel]


def parse(document: YamlDocument, problems: Problems) -> Snapshot | None:
    """The snapshot in `document`, or None after adding what is wrong with it: a damaged
    file, or an entry whose content no longer matches its check (edited by hand)."""
    fix = "restore it from version control: it is the record of what the committee was sent"
    if not isinstance(document.data, dict):
        problems.add(document.path, 1, "", "is not a reportgen snapshot", fix)
        return None
    try:
        model = _SnapshotModel.model_validate(document.data)
        meeting_date = date.fromisoformat(model.meeting_date)
    except (ValidationError, ValueError) as exc:
        for loc, message in _errors(exc):
            problems.add(document.path, document.lines.of(loc), key_path(loc), message, fix)
        return None
    indicators = tuple(
        PublishedIndicator(**item.model_dump(exclude={"check"})) for item in model.indicators
    )
    snapshot = Snapshot(
        model.paper,
        model.committee,
        meeting_date,
        model.period,
        model.reportgen,
        dict(model.inputs),
        indicators,
        model.exempt,
    )
    ok = True
    if snapshot.check != model.check:
        problems.add(document.path, document.lines.of(("check",)), "check", _EDITED, fix)
        ok = False
    for index, (item, entry) in enumerate(zip(model.indicators, indicators, strict=True)):
        if entry.check != item.check:
            loc = ("indicators", index)
            problems.add(
                document.path, document.lines.of(loc), f"{key_path(loc)} ({entry.id})", _EDITED, fix
            )
            ok = False
    return snapshot if ok else None


_EDITED = "was changed after it was published (its check no longer matches)"


def _errors(exc: Exception) -> list[tuple[tuple[str | int, ...], str]]:
    if isinstance(exc, ValidationError):
        words = {"extra_forbidden": "unknown key", "missing": "is missing"}
        return [
            (tuple(error["loc"]), words.get(error["type"], str(error["msg"]).lower()))
            for error in exc.errors()
        ]
    return [(("meeting_date",), f"is not a date ({exc})")]


def read_snapshots(folder: Path, problems: Problems) -> tuple[Snapshot, ...]:
    """Every paper published in the project; a damaged or edited one is a problem."""
    if not folder.is_dir():
        return ()
    found = []
    for path in sorted(folder.rglob("*.json")):
        if {REPLACED, PACKS} & set(path.relative_to(folder).parts):
            continue
        parsed = read_snapshot(path, problems)
        if parsed is not None:
            found.append(parsed)
    return tuple(found)


def read_snapshot(path: Path, problems: Problems) -> Snapshot | None:
    """One snapshot. JSON reads fast; only a snapshot with something wrong is read again
    as YAML (JSON is YAML) for the line of each problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        data = None
    if data is not None:
        quiet = Problems()
        parsed = parse(YamlDocument(path, data, Lines()), quiet)
        if parsed is not None:
            return parsed
    try:
        return parse(load_yaml(path), problems)
    except InputError as exc:
        problems.extend(exc.problems)
        return None


def earlier(path: Path, problems: Problems) -> Snapshot | None:
    """The snapshot at `path`, if one was published there."""
    return read_snapshot(path, problems) if path.is_file() else None


NARRATIVE_FOLDER = Path("data") / "narrative"
MEETINGS_FOLDER = Path("data") / "meetings"
_YAML = (".yaml", ".yml")


def last_meeting(
    root: Path,
    snapshots: Sequence[Snapshot],
    committee: str,
    meeting_date: date,
    *,
    public: bool,
    cache: Cache | None = None,
) -> Snapshot | None:
    """The committee's latest published paper before `meeting_date` (as `previous`); for a
    `public` paper never an exempt one, counting as exempt a snapshot whose paper's narrative
    or meeting file says so though the snapshot does not (an earlier version did not record
    it). Read as the files are now, at each build, not when the project was loaded."""
    left = list(snapshots)
    while True:
        found = previous(left, committee, meeting_date, public=public)
        if found is None or not public or not exempt_at_source(root, found, cache):
            return found
        left = [s for s in left if s is not found]


def exempt_at_source(root: Path, snapshot: Snapshot, cache: Cache | None = None) -> bool:
    """Whether the snapshot's paper is exempt: the snapshot says so, or the paper's narrative
    (`data/narrative/<paper>.yaml`, or where the snapshot's inputs name it), or an item of a
    meeting file in `data/meetings/` naming the paper with `exempt_paragraph:`. A file that
    cannot be read says nothing; only a file inside the project is read."""
    if snapshot.exempt:
        return True
    paper = snapshot.paper
    if not paper or PurePosixPath(paper).name != paper or paper in (".", "..") or "\\" in paper:
        return False
    named = [
        key
        for key in snapshot.inputs
        if key.startswith(f"{NARRATIVE_FOLDER.as_posix()}/")
        and PurePosixPath(key).suffix in _YAML
        and PurePosixPath(key).stem == paper
    ]
    places = [*(NARRATIVE_FOLDER / f"{paper}{suffix}" for suffix in _YAML), *map(Path, named)]
    for place in places:
        if _says_exempt(_mapping(root, place, cache)):
            return True
    meetings = root / MEETINGS_FOLDER
    if not meetings.is_dir():
        return False
    for path in sorted(meetings.rglob("*")):
        if path.suffix not in _YAML:
            continue
        items = _mapping(root, path.relative_to(root), cache).get("items")
        for item in items if isinstance(items, list) else ():
            if isinstance(item, dict) and _names(item, paper) and _says_exempt(item):
                return True
    return False


def _mapping(root: Path, place: Path, cache: Cache | None) -> Mapping[Any, Any]:
    """The YAML mapping at `place` (relative to `root`), read with the bounded loader; empty
    where there is none, it cannot be read, or it leads outside the project."""
    try:
        path = inside(root, root, place)
        if not path.is_file():
            return {}
        data = load_yaml(path, cache=cache).data
    except (OutsideProject, InputError, OSError):
        return {}
    return data if isinstance(data, dict) else {}


def _says_exempt(data: Mapping[Any, Any]) -> bool:
    """Whether a narrative or an agenda item marks its paper exempt: `exempt: true` or a
    Schedule 12A paragraph (a file with one and not the other is in error: exempt it is)."""
    paragraph = data.get("exempt_paragraph")
    return data.get("exempt") is True or (paragraph is not None and paragraph is not False)


def _names(item: Mapping[Any, Any], paper: str) -> bool:
    """Whether an agenda item's narrative or supplied file is `paper`'s (by file name)."""
    return any(
        isinstance(item.get(key), str) and PurePosixPath(item[key].replace("\\", "/")).stem == paper
        for key in ("narrative", "file")
    )
