"""What a paper published: every figure, rating, direction, rank and target exactly as
printed, kept as plain JSON under `data/published/` for the next meeting to compare with.

A snapshot is written by `reportgen publish` and read back, checked, by every later build.
JSON, one value to a line, diffs cleanly under version control and reads fast: a build reads
every snapshot, five years of meetings of 200 indicators in a fraction of a second. Each
indicator's entry and the header carry a `check` (a hash of their content), so a hand edit
is found and reported at its line instead of silently changing history.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from reportgen.cells import direction_text
from reportgen.compute import IndicatorResult, target_text
from reportgen.digests import digest_of
from reportgen.errors import Problems
from reportgen.periods import Period
from reportgen.yamlfile import YamlDocument, key_path

ABOUT = (
    "What this paper printed, recorded by `reportgen publish`. Keep it under version control. "
    "Do not edit it: a changed value is reported; publish the meeting again with --replace."
)


@dataclass(frozen=True)
class PublishedIndicator:
    """One indicator as a paper printed it."""

    id: str
    number: str
    title: str
    period: str  # the latest period's code: 2026-09, 2026-27 Q2, 2025-26
    rag: str
    direction: str
    target: str
    ytd: str
    rank: str  # "3 of 11", or "" without one
    band: str  # "A" to "D", or ""
    figures: dict[str, str] = field(default_factory=dict)  # period code: figure as printed

    @property
    def check(self) -> str:
        return _check(
            [self.id, self.number, self.title, self.period, self.rag, self.direction,
             self.target, self.ytd, self.rank, self.band, sorted(self.figures.items())]
        )  # fmt: skip


@dataclass(frozen=True)
class Snapshot:
    """One published paper: which meeting, from which inputs, and what it printed."""

    paper: str
    committee: str
    meeting_date: date
    period: str
    reportgen: str
    inputs: dict[str, str]  # path: sha256 of its content
    indicators: tuple[PublishedIndicator, ...]
    exempt: bool = False  # an exempt paper: never the basis of a public paper's changes

    @property
    def check(self) -> str:
        header: dict[str, Any] = {
            "paper": self.paper,
            "committee": self.committee,
            "meeting_date": self.meeting_date.isoformat(),
            "period": self.period,
            "reportgen": self.reportgen,
            "inputs": self.inputs,
        }
        if self.exempt:  # only when set, so that snapshots from before it check as they did
            header["exempt"] = True
        return _check(header)

    def indicator(self, indicator_id: str) -> PublishedIndicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)


def published(result: IndicatorResult, periods: Iterable[Period]) -> PublishedIndicator:
    """An indicator as printed: its latest figures and ratings, and its figure for each of
    `periods` (every period the paper printed a figure for)."""
    indicator = result.indicator
    benchmarking = result.benchmarking
    shown = {result.period, result.period.previous(), result.period.year_earlier(), *periods}
    figures = {
        period.code: result.at(period).text
        for period in sorted(shown, key=lambda p: p.last)
        if result.has_data([period])
    }
    rank = ""
    if benchmarking is not None and benchmarking.rank is not None:
        rank = f"{benchmarking.rank} of {benchmarking.rank_of}"
    band = str(benchmarking.quartile) if benchmarking and benchmarking.quartile else ""
    return PublishedIndicator(
        id=indicator.id,
        number=indicator.number,
        title=indicator.title,
        period=result.period.code,
        rag=str(result.rag),
        direction=direction_text(result),
        target=target_text(indicator, result.period),
        ytd=result.ytd.text if indicator.has_ytd else "",
        rank=rank,
        band=band,
        figures=figures,
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
        "indicators": [{**asdict(i), "check": i.check} for i in snapshot.indicators],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


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


def previous(
    snapshots: Sequence[Snapshot], committee: str, meeting_date: date, *, public: bool
) -> Snapshot | None:
    """The committee's latest published paper before `meeting_date`; for a `public` paper,
    its latest public one: an exempt paper is never the basis of public output."""
    earlier = [
        s
        for s in snapshots
        if s.committee == committee and s.meeting_date < meeting_date and not (public and s.exempt)
    ]
    return max(earlier, key=lambda s: (s.meeting_date, s.paper), default=None)


def digests(paths: Iterable[Path], root: Path) -> dict[str, str]:
    """Each input's sha256, by its path relative to the project."""
    return {_relative(path, root): digest_of(path)[0] for path in sorted(paths)}


def _relative(path: Path, root: Path) -> str:
    """`path` as the project knows it (`data/narrative/…`), or whole if outside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _check(content: Any) -> str:
    text = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _errors(exc: Exception) -> list[tuple[tuple[str | int, ...], str]]:
    if isinstance(exc, ValidationError):
        words = {"extra_forbidden": "unknown key", "missing": "is missing"}
        return [
            (tuple(error["loc"]), words.get(error["type"], str(error["msg"]).lower()))
            for error in exc.errors()
        ]
    return [(("meeting_date",), f"is not a date ({exc})")]
