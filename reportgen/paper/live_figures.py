"""Live figures as narrative and templates see them: `X.latest`, `X.rag`, `X.rank_words`,
`X.year("2023-24").quartile`, and the authority's names.

Every public attribute of `IndicatorView` is a live figure (the narrative check offers
exactly these, `ATTRIBUTES`); one that cannot be given raises `LiveFigureError`, whose
message says why and, after ` — `, what to write instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from reportgen.domain.model import Authority, Direction, Quartile, Rag
from reportgen.domain.periods import FinancialYear, Period, parse_period
from reportgen.errors import did_you_mean
from reportgen.results.compute import IndicatorResult
from reportgen.results.figures import Figure, decimals_needed, target_figure, target_text
from reportgen.results.lait import RankRange, nth
from reportgen.results.ranking import Benchmarking, ComparatorRow
from reportgen.results.records import Printed

_ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
)


class LiveFigureError(Exception):
    """A live figure that cannot be given: the message says why and what to write instead."""


class Benchmarks(Mapping[str, Figure]):
    """The latest year's benchmark figures by area; an unknown area names the nearest one."""

    def __init__(self, indicator_id: str, figures: Mapping[str, Figure]):
        self._id, self._figures = indicator_id, dict(figures)

    def __getitem__(self, area: str) -> Figure:
        if area not in self._figures:
            hint = did_you_mean(area, self._figures, otherwise=f"areas: {', '.join(self._figures)}")
            raise LiveFigureError(f"{self._id} has no benchmark for '{area}' — {hint}")
        return self._figures[area]

    def __iter__(self) -> Any:
        return iter(self._figures)

    def __len__(self) -> int:
        return len(self._figures)


class BenchmarkView:
    """One benchmark year as narrative and templates see it: `X.rank_all`, `X.quartile`, …"""

    def __init__(self, indicator_id: str, benchmarking: Benchmarking | None):
        self._id = indicator_id
        self._benchmarking = benchmarking
        self._benchmarks = Benchmarks(indicator_id, benchmarking.figures if benchmarking else {})

    @property
    def benchmarks(self) -> Benchmarks:
        """The year's figures by area (`England`, the region, each neighbour), and
        `Statistical neighbours` (their mean)."""
        return self._benchmarks

    @property
    def benchmark_year(self) -> str:
        return str(self._benchmarking.year) if self._benchmarking else ""

    @property
    def comparators(self) -> tuple[ComparatorRow, ...]:
        """The authority and its neighbours, best first."""
        return self._benchmarking.comparators if self._benchmarking else ()

    @property
    def published(self) -> Figure:
        """The authority's own published figure in the benchmark year."""
        return self._require("benchmark value", "data/benchmarks/ or a DfE file").own

    @property
    def region(self) -> Figure:
        """The authority's region's figure (from the DfE statistical neighbour model)."""
        benchmarking = self._require("region figure", "a DfE file (dfe: in its catalogue entry)")
        return self.benchmarks[benchmarking.region]

    @property
    def rank(self) -> int:
        """Rank among the authority and its statistical neighbours, 1 = best."""
        benchmarking = self._require("rank", "its value in data/benchmarks/ or a DfE file")
        if benchmarking.rank is None:
            why = (
                "neither a higher nor a lower figure is better for it"
                if benchmarking.own.has_value
                else "the authority has no value"
            )
            raise LiveFigureError(f"{self._id} has no rank for {self.benchmark_year} — {why}")
        return benchmarking.rank

    @property
    def rank_of(self) -> int:
        """How many of the authority and its neighbours were ranked."""
        _ = self.rank
        assert self._benchmarking is not None
        return self._benchmarking.rank_of

    @property
    def rank_all(self) -> int:
        """Rank among all local authorities with a value, 1 = best (the DfE convention)."""
        fix = "a DfE file (dfe: in its catalogue entry)"
        rank = self._require("rank among all authorities", fix).rank_all
        if rank is None:
            raise LiveFigureError(
                f"{self._id} has no rank among all authorities for {self.benchmark_year} — "
                f"map it to {fix}; an authority with no value is not ranked"
            )
        return rank

    @property
    def rank_all_of(self) -> int:
        """How many local authorities were ranked."""
        _ = self.rank_all
        assert self._benchmarking is not None
        return self._benchmarking.rank_all_of

    @property
    def rank_words(self) -> str:
        """The rank among the authority and its neighbours: `3rd of 11`, or where
        neighbours' figures are suppressed `4th of 7 with published figures`."""
        rank, benchmarking = self.rank, self._benchmarking
        assert benchmarking is not None
        return _place(rank, benchmarking.rank_of, benchmarking.suppressed)

    @property
    def rank_all_words(self) -> str:
        """The rank among all local authorities, as `rank_words`."""
        rank, benchmarking = self.rank_all, self._benchmarking
        assert benchmarking is not None
        return _place(rank, benchmarking.rank_all_of, benchmarking.suppressed_all)

    @property
    def suppressed(self) -> int:
        """How many neighbours' figures the DfE suppressed (`c`, a count of 1 to 5)."""
        return self._require("neighbours", "data/benchmarks/ or a DfE file").suppressed

    @property
    def suppressed_all(self) -> int:
        """How many other local authorities' figures the DfE suppressed."""
        return self._require("rank among all authorities", "a DfE file").suppressed_all

    @property
    def rank_range(self) -> RankRange:
        """The ranks among the authority and its neighbours that suppressed neighbours'
        counts allow, at 1 to 5 each: `8th of 11`, `between 4th and 8th of 11` (`.best`,
        `.worst`, `.of`)."""
        return self._range(self._require("rank", "a DfE file").rank_range)

    @property
    def rank_all_range(self) -> RankRange:
        """The ranks among all local authorities that suppressed figures allow."""
        return self._range(self._require("rank among all authorities", "a DfE file").rank_all_range)

    def _range(self, allowed: RankRange | None) -> RankRange:
        if allowed is None:
            raise LiveFigureError(
                f"{self._id} has no range of ranks for {self.benchmark_year} — there is one "
                "where figures are suppressed and the DfE file gives their denominators"
            )
        return allowed

    @property
    def quartile(self) -> Quartile:
        """The DfE quartile band A (best quarter) to D among all local authorities."""
        fix = "a DfE file (dfe: in its catalogue entry)"
        band = self._require("quartile band", fix).quartile
        if band is None:
            raise LiveFigureError(
                f"{self._id} has no quartile band for {self.benchmark_year} — map it to {fix}, "
                "with a polarity; an authority with no value has no band"
            )
        return band

    @property
    def best(self) -> ComparatorRow:
        """The best-ranked statistical neighbour (`.area`, `.figure`, `.rank`)."""
        return self._ranked()[0]

    @property
    def worst(self) -> ComparatorRow:
        """The worst-ranked statistical neighbour."""
        return self._ranked()[-1]

    def _ranked(self) -> list[ComparatorRow]:
        ranked = self._require("neighbours", "data/benchmarks/ or a DfE file").neighbours_ranked
        if not ranked:
            raise LiveFigureError(f"{self._id} has no ranked neighbours for {self.benchmark_year}")
        return ranked

    def _require(self, what: str, where: str) -> Benchmarking:
        if self._benchmarking is None:
            raise LiveFigureError(f"{self._id} has no {what} — benchmark it from {where}")
        return self._benchmarking


class IndicatorView(BenchmarkView):
    """An indicator as narrative and templates see it: `X.latest`, `X.rag`, `X.rank`, …

    Every public attribute here is a live figure; the narrative check offers exactly these.
    Benchmark attributes (`X.rank_all`, `X.benchmarks[…]`) are of the latest benchmark year;
    `X.year("2023-24")` gives them for another year.
    """

    def __init__(self, result: IndicatorResult, printed: set[Printed] | None = None):
        super().__init__(result.indicator.id, result.benchmarking)
        self._result = result
        # What the narrative printed beyond the latest figures, for the paper's record.
        self._printed = printed if printed is not None else set()

    @property
    def id(self) -> str:
        return self._result.indicator.id

    @property
    def title(self) -> str:
        return self._result.indicator.title

    @property
    def number(self) -> str:
        """Its number in the performance index: `16`."""
        return self._result.indicator.number

    @property
    def latest(self) -> Figure:
        return self._result.latest

    @property
    def previous(self) -> Figure:
        return self._result.previous

    @property
    def last_year(self) -> Figure:
        """The same period a year earlier."""
        return self._result.last_year

    @property
    def compared(self) -> Figure:
        """What direction of travel compares with: `previous` or `last_year`."""
        return self._result.compared

    @property
    def ytd(self) -> Figure:
        self._printed.add(Printed(self.id, "ytd", self._result.period))
        return self._result.ytd

    @property
    def rolling_12(self) -> Figure:
        """The 12 months to the latest period."""
        self._printed.add(Printed(self.id, "rolling", self._result.period))
        return self._result.rolling_12

    @property
    def rag(self) -> Rag:
        return self._result.rag

    @property
    def direction(self) -> Direction:
        return self._result.direction

    @property
    def target(self) -> Figure:
        target = target_figure(self._result.indicator, self._result.period)
        if target is None:
            raise LiveFigureError(
                f"{self.id} has no target number ({self.target_text}) — use {self.id}.target_text"
            )
        return target

    @property
    def ytd_target(self) -> Figure:
        """The target the year to date is rated against: the one target, or a profile's
        year-to-date target (README: What is computed)."""
        result = self._result
        value = result.rated_target if result.rated_on_ytd else None
        if value is None:
            raise LiveFigureError(
                f"{self.id} has no year-to-date target ({self.target_text}, rated on "
                f"{'the year to date' if result.rated_on_ytd else 'the latest figure'}) — "
                f"use {self.id}.target"
            )
        indicator = result.indicator
        return Figure(result.ytd.period, indicator.unit, decimals_needed(value, indicator.decimals),
                      value, unit_word=indicator.unit_word)  # fmt: skip

    @property
    def target_text(self) -> str:
        """The target in words: `83%`, `12% to 20% (acceptable range)`, `As high as possible`."""
        return target_text(self._result.indicator, self._result.period)

    def at(self, period: str) -> Figure:
        """The figure for a period (`2019-09`, `2019-20 Q2`, `2019-20`)."""
        parsed = self._period(period)
        self._require_data(parsed)
        self._printed.add(Printed(self.id, "at", parsed))
        return self._result.at(parsed)

    def ytd_at(self, period: str) -> Figure:
        """The year to date up to the end of a period."""
        parsed = self._period(period)
        start = self._result.financial_year_start
        self._require_data(parsed.last.financial_year(start), upto=parsed)
        self._printed.add(Printed(self.id, "ytd", parsed))
        return self._result.ytd_at(parsed)

    def year(self, year: str) -> BenchmarkView:
        """The benchmarks of another year, written `2023-24`."""
        try:
            wanted = FinancialYear.parse(year, self._result.financial_year_start)
        except ValueError as exc:
            raise LiveFigureError(str(exc)) from None
        years = self._result.benchmark_years
        if wanted not in years:
            have = ", ".join(str(y) for y in years) or "none"
            raise LiveFigureError(f"{self.id} has no benchmarks for {year} — years held: {have}")
        return BenchmarkView(self.id, years[wanted])

    def _period(self, text: str) -> Period:
        indicator = self._result.indicator
        try:
            period = parse_period(text, indicator.grain, self._result.financial_year_start)
        except ValueError as exc:
            raise LiveFigureError(str(exc)) from None
        return period

    def _require_data(self, period: Period, upto: Period | None = None) -> None:
        start = self._result.financial_year_start
        last = (upto or period).last
        parts = self._result.indicator.grain.periods(period.first, last, start)
        if not self._result.has_data(parts):
            raise LiveFigureError(
                f"{self.id} has no data for {period.label} — check the period, or add a row "
                "to data/indicators/"
            )

    def __str__(self) -> str:
        return self.title


def _public(cls: type) -> list[str]:
    return sorted(name for name in dir(cls) if not name.startswith("_"))


ATTRIBUTES = _public(IndicatorView)
FIGURE_NAMES = (
    "latest", "previous", "last_year", "compared", "ytd", "rolling_12", "target", "ytd_target",
)  # fmt: skip
FIGURE_ATTRIBUTES = sorted({*_public(Figure), *(f.name for f in fields(Figure))})


def _place(rank: int, of: int, suppressed: int) -> str:
    return f"{nth(rank)} of {of}" + (" with published figures" if suppressed else "")


def ordinal(number: int) -> str:
    """`3` → `third` up to ten, then `11th`, `22nd`, …"""
    if 1 <= number <= len(_ORDINALS):
        return _ORDINALS[number - 1]
    return nth(number)


@dataclass(frozen=True)
class AuthorityView:
    name: str
    short_name: str
    statistical_neighbours: tuple[str, ...]

    @classmethod
    def of(cls, authority: Authority) -> AuthorityView:
        return cls(authority.name, authority.short_name, authority.statistical_neighbours)
