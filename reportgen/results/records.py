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
class Printed:
    """A figure narrative printed beyond the paper's tables: indicator `id`'s figure for
    `period` (`at`), its year to date to the end of `period` (`ytd`), or its 12 months to
    the end of `period` (`rolling`)."""

    id: str
    kind: str
    period: Period


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
    rank: str  # "3 of 11", "4th of 7; 4 suppressed", or "" without one
    band: str  # "A" to "D", or ""
    figures: dict[str, str] = field(default_factory=dict)  # period code: figure as printed
    # Added later, so kept only where a paper printed them (an older record checks as it
    # did): each figure's counts (`198 of 233`), by period code; years to date to the end
    # of other periods than the latest; the 12 months to the end of a period.
    counts: dict[str, str] = field(default_factory=dict)
    to_date: dict[str, str] = field(default_factory=dict)
    rolling: dict[str, str] = field(default_factory=dict)

    @property
    def check(self) -> str:
        content: list[Any] = [
            self.id, self.number, self.title, self.period, self.rag, self.direction,
            self.target, self.ytd, self.rank, self.band, sorted(self.figures.items()),
        ]  # fmt: skip
        for name in LATER_FIELDS:
            if value := getattr(self, name):
                content.append([name, sorted(value.items())])
        return check_of(content)


LATER_FIELDS = ("counts", "to_date", "rolling")


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


def published(
    result: IndicatorResult, periods: Iterable[Period], printed: Iterable[Printed] = ()
) -> PublishedIndicator:
    """An indicator as printed: its latest figures and ratings, its figure for each of
    `periods` (every period the paper's tables printed a figure for), and the figures its
    narrative `printed`."""
    indicator = result.indicator
    benchmarking = result.benchmarking
    mine = [p for p in printed if p.id == indicator.id]
    shown = {result.period, result.period.previous(), result.period.year_earlier(), *periods}
    shown.update(p.period for p in mine if p.kind == "at")
    figures, counts = {}, {}
    for period in sorted(shown, key=lambda p: (p.last, p.first)):
        if not result.has_data(_parts(result, period)):
            continue
        figure = result.at(period)
        figures[period.code] = figure.text
        if figure.numerator is not None and figure.denominator is not None:
            counts[period.code] = f"{figure.numerator!s} of {figure.denominator!s}"
    to_date = {
        p.period.code: result.ytd_at(p.period).text
        for p in sorted(mine, key=lambda p: p.period.last)
        if p.kind == "ytd" and p.period != result.period and indicator.has_ytd
    }
    rolling = {
        p.period.code: result.rolling_12.text
        for p in mine
        if p.kind == "rolling" and p.period == result.period
    }
    rank = ""
    if benchmarking is not None and benchmarking.rank is not None:
        # As the index prints it: `3 of 11`; `4th of 7; 4 suppressed; 8th of 11 with them`.
        rank = "; ".join(benchmarking.rank_lines)
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
        counts=counts,
        to_date=to_date,
        rolling=rolling,
    )


def _parts(result: IndicatorResult, period: Period) -> list[Period]:
    """The periods of the indicator's grain that make up `period`."""
    start = result.financial_year_start
    return [period, *result.indicator.grain.periods(period.first, period.last, start)]


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
