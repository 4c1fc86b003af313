"""What a paper printed, indicator by indicator (pure): the record a snapshot keeps, and
the latest earlier record of a committee's papers to compare a new paper with.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reportgen.domain.periods import Period
from reportgen.results.cells import direction_text
from reportgen.results.compute import IndicatorResult
from reportgen.results.figures import target_text


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
        return check_of(
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
        return check_of(header)

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


def check_of(content: Any) -> str:
    text = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
