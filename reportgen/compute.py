"""Indicator results: values, year to date, RAG, direction and rank (pure, no I/O).

Everything here takes values and returns frozen results. Comparisons that decide a rating
or a direction use the figure rounded to its displayed precision, so that the paper never
prints "85%" beside a target of 85% and calls it missed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from decimal import Decimal
from fractions import Fraction

from reportgen.model import (
    BenchmarkValue,
    Direction,
    Indicator,
    Movement,
    Observation,
    Polarity,
    Rag,
    RagOn,
    Status,
    Unit,
    YtdMethod,
)
from reportgen.numbers import format_decimal, round_half_up
from reportgen.periods import FinancialYear, Month

NOT_AVAILABLE = "not available"

# DfE suppression codes and what a paper says for them.
BENCHMARK_CODES = {
    "c": "suppressed",
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability",
    "k": "rounds to zero",
    "low": "low",
    ":": "not available",
}


class Number(Decimal):
    """A whole count or rounded value that prints with thousands separators (`1,234`)."""

    def __str__(self) -> str:
        return f"{Decimal(self):,}"


@dataclass(frozen=True)
class Figure:
    """One value of an indicator for one period, exact inside, printed rounded.

    `value` is the figure as printed (rounded half up to the indicator's decimals);
    a figure without a value says why in `reason`.
    """

    period: Month | FinancialYear | None
    unit: Unit
    decimals: int
    exact: Fraction | None
    numerator: Number | None = None
    denominator: Number | None = None
    reason: str = ""
    status: Status = Status.NONE
    note: str = ""

    @property
    def has_value(self) -> bool:
        return self.exact is not None

    @property
    def value(self) -> Number | None:
        if self.exact is None:
            return None
        return Number(round_half_up(self.exact, self.decimals))

    @property
    def text(self) -> str:
        """The figure as printed in a paper: `93%`, `1,234`, or `not available`."""
        rounded = self.value
        if rounded is None:
            return NOT_AVAILABLE
        number = format_decimal(rounded, self.decimals)
        return f"{number}%" if self.unit is Unit.PERCENT else number

    @property
    def text_with_counts(self) -> str:
        """The figure with its counts where it has them: `93% (55 of 59)`."""
        if self.has_value and self.numerator is not None and self.denominator is not None:
            return f"{self.text} ({self.numerator} of {self.denominator})"
        return self.text

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class ComparatorRow:
    """One area in the comparator group for the latest benchmark year, best first."""

    area: str
    figure: Figure
    rank: int | None
    is_own: bool


@dataclass(frozen=True)
class Benchmarking:
    """Where the authority stands among its statistical neighbours in one year."""

    year: FinancialYear
    comparators: tuple[ComparatorRow, ...]
    figures: Mapping[str, Figure]
    rank: int | None
    rank_of: int


@dataclass(frozen=True)
class IndicatorResult:
    """Everything computed for one indicator as at one month."""

    indicator: Indicator
    month: Month
    financial_year_start: int
    observations: Mapping[Month, Observation] = field(repr=False)
    latest: Figure
    previous: Figure
    ytd: Figure
    rag: Rag
    movement: Movement
    direction: Direction
    benchmarking: Benchmarking | None

    def has_data(self, months: Iterable[Month]) -> bool:
        """Whether any of `months` has a data row (a row may still hold no value)."""
        return any(month in self.observations for month in months)

    def at(self, month: Month) -> Figure:
        return month_figure(self.indicator, self.observations, month)

    def ytd_at(self, month: Month) -> Figure:
        return ytd_figure(self.indicator, self.observations, month, self.financial_year_start)


def target_figure(indicator: Indicator) -> Figure | None:
    """The target as a figure that prints in the indicator's unit (`83%`), if it has one."""
    if indicator.target is None:
        return None
    return Figure(None, indicator.unit, indicator.decimals, indicator.target)


def month_figure(
    indicator: Indicator, observations: Mapping[Month, Observation], month: Month
) -> Figure:
    """The indicator's figure for one month; no row, or a zero denominator, gives no value."""
    base = Figure(month, indicator.unit, indicator.decimals, None)
    row = observations.get(month)
    if row is None:
        return _replace(base, reason=f"no data for {month.label}")
    if row.status is Status.NOT_AVAILABLE:
        return _replace(base, reason=row.note or NOT_AVAILABLE, status=row.status, note=row.note)
    if row.numerator is not None and row.denominator is not None:
        counts = _replace(
            base,
            numerator=Number(row.numerator),
            denominator=Number(row.denominator),
            status=row.status,
            note=row.note,
        )
        if row.denominator == 0:
            return _replace(counts, reason=f"no cases in {month.label} (denominator is 0)")
        exact = Fraction(row.numerator) / Fraction(row.denominator) * indicator.unit.scale
        return _replace(counts, exact=exact)
    assert row.value is not None, "loader guarantees a value or both counts"
    return _replace(base, exact=Fraction(row.value), status=row.status, note=row.note)


def ytd_figure(
    indicator: Indicator,
    observations: Mapping[Month, Observation],
    month: Month,
    financial_year_start: int = 4,
) -> Figure:
    """The financial year to date as at `month`, by the indicator's year-to-date method."""
    year = month.financial_year(financial_year_start)
    base = Figure(year, indicator.unit, indicator.decimals, None)
    if indicator.ytd is YtdMethod.NONE:
        return _replace(base, reason="this indicator has no year to date")
    if indicator.ytd is YtdMethod.LATEST:
        return _replace(month_figure(indicator, observations, month), period=year)

    months = year.months_to(month)
    figures = [month_figure(indicator, observations, m) for m in months]
    missing = [
        f.period.label for f in figures if f.period and f.numerator is None and not f.has_value
    ]
    note = f"excludes {', '.join(missing)} (no value)" if missing else ""
    if indicator.ytd is YtdMethod.SUM:
        values = [f.exact for f in figures if f.exact is not None]
        if not values:
            return _replace(base, reason=f"no data from {months[0].label} to {month.label}")
        return _replace(base, exact=sum(values, Fraction(0)), note=note)

    counts = [
        (Fraction(f.numerator), Fraction(f.denominator))
        for f in figures
        if f.numerator is not None and f.denominator is not None
    ]
    if not counts:
        return _replace(base, reason=f"no data from {months[0].label} to {month.label}")
    numerator = sum((n for n, _ in counts), Fraction(0))
    denominator = sum((d for _, d in counts), Fraction(0))
    totals = _replace(
        base, numerator=_number(numerator), denominator=_number(denominator), note=note
    )
    if denominator == 0:
        return _replace(
            totals, reason=f"no cases from {months[0].label} to {month.label} (denominator is 0)"
        )
    return _replace(totals, exact=numerator / denominator * indicator.unit.scale)


def rate(figure: Figure, target: Fraction | None, tolerance: Fraction, polarity: Polarity) -> Rag:
    """RAG of a figure against a target, on the figure as displayed.

    Higher is better: Green at or above target, Amber within `tolerance` below it, else Red;
    mirrored where lower is better. No target, no value or no polarity: Not rated.
    """
    shown = figure.value
    if target is None or shown is None or polarity is Polarity.NONE:
        return Rag.NOT_RATED
    value = Fraction(shown)
    gap = value - target if polarity is Polarity.HIGHER else target - value
    if gap >= 0:
        return Rag.GREEN
    if gap >= -tolerance:
        return Rag.AMBER
    return Rag.RED


def travel(latest: Figure, previous: Figure, polarity: Polarity) -> tuple[Movement, Direction]:
    """How the value moved from `previous` to `latest` at displayed precision, and whether
    that is an improvement given the polarity."""
    now, before = latest.value, previous.value
    if now is None or before is None:
        return Movement.NONE, Direction.NOT_APPLICABLE
    movement = Movement.SAME if now == before else Movement.UP if now > before else Movement.DOWN
    if polarity is Polarity.NONE:
        return movement, Direction.NOT_APPLICABLE
    if movement is Movement.SAME:
        return movement, Direction.NO_CHANGE
    better = Movement.UP if polarity is Polarity.HIGHER else Movement.DOWN
    return movement, Direction.IMPROVING if movement is better else Direction.DECLINING


def rank(values: Mapping[str, Fraction | None], polarity: Polarity) -> dict[str, int]:
    """Ranks of the areas with a value, 1 = best by polarity; ties share the better rank.

    Areas without a value, and every area when polarity is none, are left out.
    """
    if polarity is Polarity.NONE:
        return {}
    present = {area: value for area, value in values.items() if value is not None}
    best_first = sorted(present.values(), reverse=polarity is Polarity.HIGHER)
    first_place: dict[Fraction, int] = {}
    for place, value in enumerate(best_first, start=1):
        first_place.setdefault(value, place)
    return {area: first_place[value] for area, value in present.items()}


def benchmark(
    indicator: Indicator,
    rows: Iterable[BenchmarkValue],
    own_area: str,
    neighbours: Sequence[str],
) -> Benchmarking | None:
    """The comparator group (the authority and its neighbours) in the latest year with data.

    `rows` are this indicator's benchmark values.
    """
    rows = list(rows)
    if not rows:
        return None
    year = max(r.year for r in rows)
    figures = {r.area: _benchmark_figure(indicator, r) for r in rows if r.year == year}
    group = [own_area, *[n for n in neighbours if n != own_area]]
    missing = Figure(year, indicator.unit, indicator.decimals, None, reason=f"no {year} value")
    group_figures = {area: figures.get(area, missing) for area in group}
    ranks = rank({area: f.exact for area, f in group_figures.items()}, indicator.polarity)
    # Best first; with no polarity there is no best, so highest first; no value last.
    ordered = sorted(
        group,
        key=lambda area: (
            group_figures[area].exact is None,
            ranks.get(area, 0),
            -(group_figures[area].exact or 0),
            area,
        ),
    )
    comparators = tuple(
        ComparatorRow(area, group_figures[area], ranks.get(area), area == own_area)
        for area in ordered
    )
    neighbour_values = [value for n in group[1:] if (value := group_figures[n].exact) is not None]
    if neighbour_values:
        mean = sum(neighbour_values, Fraction(0)) / len(neighbour_values)
        figures["Statistical neighbours"] = Figure(
            year,
            indicator.unit,
            indicator.decimals,
            mean,
            note=f"mean of {len(neighbour_values)} neighbours with a value",
        )
    return Benchmarking(
        year=year,
        comparators=comparators,
        figures=figures,
        rank=ranks.get(own_area),
        rank_of=len(ranks),
    )


def compute(
    indicator: Indicator,
    observations: Mapping[Month, Observation],
    month: Month,
    *,
    financial_year_start: int = 4,
    benchmarks: Iterable[BenchmarkValue] = (),
    own_area: str = "",
    neighbours: Sequence[str] = (),
) -> IndicatorResult:
    """All results for one indicator as at `month`."""
    latest = month_figure(indicator, observations, month)
    previous = month_figure(indicator, observations, month.previous())
    ytd = ytd_figure(indicator, observations, month, financial_year_start)
    rated = ytd if indicator.rates_on is RagOn.YTD else latest
    movement, direction = travel(latest, previous, indicator.polarity)
    return IndicatorResult(
        indicator=indicator,
        month=month,
        financial_year_start=financial_year_start,
        observations=observations,
        latest=latest,
        previous=previous,
        ytd=ytd,
        rag=rate(rated, indicator.target, indicator.tolerance, indicator.polarity),
        movement=movement,
        direction=direction,
        benchmarking=benchmark(indicator, benchmarks, own_area, neighbours),
    )


def _benchmark_figure(indicator: Indicator, row: BenchmarkValue) -> Figure:
    if row.value is None:
        reason = BENCHMARK_CODES.get(row.code, NOT_AVAILABLE)
        return Figure(
            row.year, indicator.unit, indicator.decimals, None, reason=reason, note=row.code
        )
    return Figure(row.year, indicator.unit, indicator.decimals, Fraction(row.value))


def _number(value: Fraction) -> Number:
    """A sum of counts read from decimal text, which is always a terminating decimal."""
    return Number(Decimal(value.numerator) / Decimal(value.denominator))
