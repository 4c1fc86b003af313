"""Indicator results: values, year to date, RAG, direction, rank and quartile (pure, no I/O).

Everything here takes values and returns frozen results. Comparisons that decide a rating
or a direction use the figure rounded to its displayed precision, so that the paper never
prints "85%" beside a target of 85% and calls it missed. Polarity decides what "better"
means everywhere: RAG, direction, rank and quartile band.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from reportgen.model import (
    BenchmarkValue,
    Compare,
    Direction,
    Indicator,
    Level,
    Measure,
    Movement,
    Observation,
    Polarity,
    Quartile,
    Rag,
    RagOn,
    Status,
    Target,
    TargetKind,
    Unit,
)
from reportgen.numbers import format_decimal, round_half_up
from reportgen.periods import FinancialYear, Grain, Month, Period, Span, grain_of

NOT_AVAILABLE = "not available"
SUPPRESSED = "[c]"  # the DfE's mark for a figure withheld to protect confidentiality
NO_TARGET = Target()
Value = Decimal | Fraction
NEIGHBOUR_AVERAGE = "Statistical neighbours"

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

    period: Period | Span | None
    unit: Unit
    decimals: int
    exact: Fraction | None
    numerator: Number | None = None
    denominator: Number | None = None
    reason: str = ""
    status: Status = Status.NONE
    note: str = ""
    source: str = ""
    unit_word: str = ""
    suppressed: bool = False  # withheld from published output: a small count, or one a
    # total would let a reader work out

    @property
    def has_value(self) -> bool:
        return self.exact is not None

    @cached_property
    def value(self) -> Number | None:
        """The value as printed: rounded once, then remembered (a figure never changes)."""
        if self.exact is None:
            return None
        return Number(round_half_up(self.exact, self.decimals))

    @property
    def number(self) -> str:
        """The rounded value without its unit: `93`, `1,234`, `15.6`."""
        rounded = self.value
        return NOT_AVAILABLE if rounded is None else format_decimal(rounded, self.decimals)

    @property
    def text(self) -> str:
        """The figure as printed in a paper: `93%`, `29 per 10,000`, `28 weeks`, or
        `not available`."""
        if self.suppressed:
            return SUPPRESSED
        if self.exact is None:
            return NOT_AVAILABLE
        return with_unit(self.number, self.unit, self.unit_word)

    @property
    def text_with_counts(self) -> str:
        """The figure with its counts where it has them: `93% (55 of 59)`."""
        counted = self.numerator is not None and self.denominator is not None
        if self.has_value and counted and self.unit is Unit.PERCENT:
            return f"{self.text} ({self.numerator!s} of {self.denominator!s})"
        return self.text

    @property
    def status_text(self) -> str:
        """Whose figure this is and how final: `validated (DfE)`, `provisional`, or empty."""
        words = self.status.value
        if self.source:
            return f"{words} ({self.source})" if words else self.source
        return words

    @property
    def why_not(self) -> str:
        """For a figure without a value, the reason as a sentence start: `Not available:
        figure not yet received from Cafcass`."""
        if self.has_value:
            return ""
        if self.suppressed:
            return SUPPRESSED
        reason = self.reason or NOT_AVAILABLE
        if reason.lower().startswith(NOT_AVAILABLE):
            return reason[0].upper() + reason[1:]
        return f"Not available: {reason}"

    def __str__(self) -> str:
        return self.text


def with_unit(number: str, unit: Unit, unit_word: str = "") -> str:
    """A number with its unit as a paper prints it."""
    if unit is Unit.PERCENT:
        return f"{number}%"
    if unit is Unit.RATE_PER_10K:
        return f"{number} per 10,000"
    if unit_word:
        return f"{number} {unit_word}"
    return number


@dataclass(frozen=True)
class ComparatorRow:
    """One area in the comparator group, best first."""

    area: str
    figure: Figure
    rank: int | None
    is_own: bool


@dataclass(frozen=True)
class ComparatorGroup:
    """Who an indicator's benchmarks compare: the authority, its neighbours and region.

    Areas are known by `BenchmarkValue.key`: DfE codes for DfE files, names for hand-kept
    benchmark files.
    """

    own: str
    own_name: str
    neighbours: tuple[tuple[str, str], ...]  # (key, name)
    region: str = ""


@dataclass(frozen=True)
class Benchmarking:
    """Where the authority stands in one benchmark year."""

    year: FinancialYear
    own: Figure
    comparators: tuple[ComparatorRow, ...]  # the authority and its neighbours, best first
    figures: Mapping[str, Figure]  # by area name, with the neighbour average
    rank: int | None  # among itself and its neighbours, 1 = best
    rank_of: int
    rank_all: int | None  # among all local authorities with a value, 1 = best
    rank_all_of: int
    quartile: Quartile | None
    region: str

    @property
    def neighbours_ranked(self) -> list[ComparatorRow]:
        """The neighbours with a rank, best first (the authority left out)."""
        return [row for row in self.comparators if row.rank is not None and not row.is_own]


@dataclass(frozen=True)
class IndicatorResult:
    """Everything computed for one indicator as at one month."""

    indicator: Indicator
    as_at: Month
    period: Period  # the latest period reported as at `as_at`
    financial_year_start: int
    observations: Mapping[Period, Observation] = field(repr=False)
    latest: Figure
    previous: Figure
    last_year: Figure
    ytd: Figure
    rolling_12: Figure
    target: Fraction | None
    rag: Rag
    movement: Movement
    direction: Direction
    benchmark_years: Mapping[FinancialYear, Benchmarking] = field(repr=False)
    # Figures by period, once worked out: charts, tables and checks ask for the same ones.
    _at: dict[Period, Figure] = field(default_factory=dict, repr=False, compare=False)

    @property
    def compared(self) -> Figure:
        """The figure direction of travel compares the latest with."""
        return self.last_year if self.indicator.compare is Compare.LAST_YEAR else self.previous

    @property
    def benchmarking(self) -> Benchmarking | None:
        """The latest benchmark year."""
        return self.benchmark_years[max(self.benchmark_years)] if self.benchmark_years else None

    def has_data(self, periods: Iterable[Period]) -> bool:
        """Whether any of `periods` has a data row (a row may still hold no value)."""
        return any(period in self.observations for period in periods)

    def at(self, period: Period) -> Figure:
        if period not in self._at:
            self._at[period] = figure_at(
                self.indicator, self.observations, period, self.financial_year_start
            )
        return self._at[period]

    def ytd_at(self, period: Period) -> Figure:
        return ytd_figure(self.indicator, self.observations, period, self.financial_year_start)


def target_figure(indicator: Indicator, period: Period | None = None) -> Figure | None:
    """The target number as a figure that prints in the indicator's unit (`83%`), if any."""
    value = indicator.target.at(period)
    if value is None:
        return None
    decimals = _decimals_needed(value, indicator.decimals)
    return Figure(period, indicator.unit, decimals, value, unit_word=indicator.unit_word)


def exact_text(indicator: Indicator, value: Fraction) -> str:
    """A number the council set (a target, a range end) with only the decimals it needs,
    in the indicator's unit: `18%` beside figures of `17.4%`."""
    decimals = _decimals_needed(value, indicator.decimals)
    return Figure(None, indicator.unit, decimals, value, unit_word=indicator.unit_word).text


def target_text(indicator: Indicator, period: Period | None = None) -> str:
    """The target as a paper states it: `83%`, `12% to 20% (acceptable range)`,
    `As high as possible`, `Not a target measure`."""
    target = indicator.target
    if target.kind is TargetKind.RANGE:
        assert target.low is not None and target.high is not None
        low, high = (
            format_decimal(
                round_half_up(v, _decimals_needed(v, indicator.decimals)),
                _decimals_needed(v, indicator.decimals),
            )
            for v in (target.low, target.high)
        )
        range_text = with_unit(f"{low} to {high}", indicator.unit, indicator.unit_word)
        if indicator.unit is Unit.PERCENT:
            range_text = f"{low}% to {high}%"
        return f"{range_text} (acceptable range)"
    if target.kind in (TargetKind.AS_HIGH_AS_POSSIBLE, TargetKind.AS_LOW_AS_POSSIBLE):
        return str(target.kind.value).capitalize()
    if target.kind is TargetKind.NONE:
        return "Not a target measure"
    figure = target_figure(indicator, period)
    return figure.text if figure else "No target for this period"


def period_figure(
    indicator: Indicator, observations: Mapping[Period, Observation], period: Period
) -> Figure:
    """The indicator's figure for one period of its grain; no row, or a zero denominator,
    gives no value; a small count is withheld where the indicator says so."""
    return _disclosed(indicator, _period_figure(indicator, observations, period))


def _period_figure(
    indicator: Indicator, observations: Mapping[Period, Observation], period: Period
) -> Figure:
    base = _blank(indicator, period)
    row = observations.get(period)
    if row is None:
        return _replace(base, reason=f"no data for {period.label}")
    base = _replace(base, status=row.status, note=_note(row), source=row.source)
    if row.status is Status.NOT_AVAILABLE:
        return _replace(base, reason=row.note or NOT_AVAILABLE)
    if row.numerator is not None and row.denominator is not None:
        base = _replace(base, numerator=Number(row.numerator), denominator=Number(row.denominator))
        if row.value is None:
            if row.denominator == 0:
                return _replace(base, reason=f"no cases in {period.label} (denominator is 0)")
            exact = Fraction(row.numerator) / Fraction(row.denominator) * indicator.unit.scale
            return _replace(base, exact=exact)
    assert row.value is not None, "loaders guarantee a value or both counts"
    return _replace(base, exact=Fraction(row.value))


def aggregate(
    indicator: Indicator,
    observations: Mapping[Period, Observation],
    periods: Sequence[Period],
    label: Period | Span,
) -> Figure:
    """The periods added up into one figure labelled `label`.

    A snapshot takes its last period's value. A flow adds up: counts are summed, and a
    ratio (percent, rate, average) is the sum of numerators over the sum of denominators,
    never the mean of the periods' ratios.
    """
    base = _blank(indicator, label)
    if not periods:
        return _replace(base, reason=f"no periods in {label}")
    span = f"{periods[0].label} to {periods[-1].label}" if len(periods) > 1 else periods[0].label
    if indicator.measure is Measure.SNAPSHOT or indicator.unit is Unit.NUMBER:
        return _replace(period_figure(indicator, observations, periods[-1]), period=label)
    figures = [period_figure(indicator, observations, p) for p in periods]
    if any(f.suppressed for f in figures):
        # Secondary suppression: with the other periods, the total would give it away.
        return _replace(base, suppressed=True, reason="suppressed")
    return _disclosed(indicator, _total(indicator, base, periods, figures, span))


def _total(
    indicator: Indicator,
    base: Figure,
    periods: Sequence[Period],
    figures: Sequence[Figure],
    span: str,
) -> Figure:
    missing = [p.label for p, f in zip(periods, figures, strict=True) if not _counts(f, indicator)]
    note = f"excludes {', '.join(missing)} (no value)" if missing else ""
    provisional = any(f.status is Status.PROVISIONAL for f in figures)
    status = Status.PROVISIONAL if provisional else Status.NONE
    base = _replace(base, note=note, status=status)
    if not indicator.unit.is_ratio:
        values = [f.exact for f in figures if f.exact is not None]
        if not values:
            return _replace(base, reason=f"no data for {span}")
        return _replace(base, exact=sum(values, Fraction(0)))
    counts = [
        (Fraction(f.numerator), Fraction(f.denominator))
        for f in figures
        if f.numerator is not None and f.denominator is not None
    ]
    if not counts:
        return _replace(base, reason=f"no data for {span}")
    numerator = sum((n for n, _ in counts), Fraction(0))
    denominator = sum((d for _, d in counts), Fraction(0))
    totals = _replace(base, numerator=_number(numerator), denominator=_number(denominator))
    if denominator == 0:
        return _replace(totals, reason=f"no cases in {span} (denominator is 0)")
    return _replace(totals, exact=numerator / denominator * indicator.unit.scale)


def figure_at(
    indicator: Indicator,
    observations: Mapping[Period, Observation],
    period: Period,
    financial_year_start: int = 4,
) -> Figure:
    """The figure for a period of the indicator's grain, or a longer period made of them
    (a quarter of a monthly indicator, a year of a quarterly one)."""
    if grain_of(period) is indicator.grain:
        return period_figure(indicator, observations, period)
    parts = indicator.grain.periods(period.first, period.last, financial_year_start)
    return aggregate(indicator, observations, parts, period)


def ytd_figure(
    indicator: Indicator,
    observations: Mapping[Period, Observation],
    period: Period,
    financial_year_start: int = 4,
) -> Figure:
    """The financial year to date up to the end of `period`."""
    year = period.last.financial_year(financial_year_start)
    if not indicator.has_ytd:
        return _replace(_blank(indicator, year), reason="this indicator has no year to date")
    parts = indicator.grain.periods(year.first, period.last, financial_year_start)
    return aggregate(indicator, observations, parts, year)


def rolling_figure(
    indicator: Indicator,
    observations: Mapping[Period, Observation],
    period: Period,
    financial_year_start: int = 4,
) -> Figure:
    """The 12 months to the end of `period`, added up as the indicator's measure says."""
    span = Span.rolling_12(period.last)
    parts = indicator.grain.periods(span.first, span.last, financial_year_start)
    return aggregate(indicator, observations, parts, span)


def latest_period(
    indicator: Indicator,
    observations: Mapping[Period, Observation],
    month: Month,
    financial_year_start: int = 4,
) -> Period:
    """The period a paper as at `month` reports: the month itself, the last complete
    quarter, or for annual data the latest year with data (published figures come late)."""
    due = indicator.grain.at(month, financial_year_start)
    if indicator.grain is Grain.YEAR:
        held = [p for p in observations if p.last <= month]
        if held:
            return max(held, key=lambda p: p.last)
    return due


def rate(figure: Figure, indicator: Indicator, target: Fraction | None = None) -> Rag:
    """RAG of a figure against the indicator's target, on the figure as displayed.

    Green at or better than target (inside an acceptable range); Amber within the
    tolerance, or between target and floor; else Red. No target, no value, or a target
    that is "as high as possible": Not rated.
    """
    spec = indicator.target
    shown = figure.value
    if shown is None or not spec.rated:
        return Rag.NOT_RATED
    value = Fraction(shown)
    if spec.kind is TargetKind.RANGE:
        assert spec.low is not None and spec.high is not None
        if spec.low <= value <= spec.high:
            return Rag.GREEN
        gap = spec.low - value if value < spec.low else value - spec.high
        edge = spec.low if value < spec.low else spec.high
        return Rag.AMBER if gap <= spec.allowance(edge) else Rag.RED
    if target is None or indicator.polarity is Polarity.NONE:
        return Rag.NOT_RATED
    higher = indicator.polarity is Polarity.HIGHER
    gap = value - target if higher else target - value
    if gap >= 0:
        return Rag.GREEN
    if spec.floor is not None:
        inside = value >= spec.floor if higher else value <= spec.floor
        return Rag.AMBER if inside else Rag.RED
    return Rag.AMBER if -gap <= spec.allowance(target) else Rag.RED


def travel(
    latest: Figure, compared: Figure, polarity: Polarity, target: Target = NO_TARGET
) -> tuple[Movement, Direction]:
    """How the value moved from `compared` to `latest` at displayed precision, and whether
    that is better: by polarity, or for an acceptable range without polarity, by distance
    from the range."""
    now, before = latest.value, compared.value
    if now is None or before is None:
        return Movement.NONE, Direction.NOT_APPLICABLE
    movement = Movement.SAME if now == before else Movement.UP if now > before else Movement.DOWN
    if movement is Movement.SAME:
        return movement, Direction.NO_CHANGE
    if polarity is Polarity.NONE:
        if target.kind is TargetKind.RANGE:
            assert target.low is not None and target.high is not None
            was = _distance(Fraction(before), target.low, target.high)
            is_now = _distance(Fraction(now), target.low, target.high)
            if is_now != was:
                return movement, Direction.IMPROVING if is_now < was else Direction.DECLINING
        return movement, Direction.HIGHER if movement is Movement.UP else Direction.LOWER
    better = Movement.UP if polarity is Polarity.HIGHER else Movement.DOWN
    return movement, Direction.IMPROVING if movement is better else Direction.DECLINING


def rank(values: Mapping[str, Value | None], polarity: Polarity) -> dict[str, int]:
    """Ranks of the areas with a value, 1 = best by polarity; ties share the better rank.

    Areas without a value, and every area when polarity is none, are left out.
    """
    if polarity is Polarity.NONE:
        return {}
    present = {area: value for area, value in values.items() if value is not None}
    best_first = sorted(present.values(), reverse=polarity is Polarity.HIGHER)
    first_place: dict[Value, int] = {}
    for place, value in enumerate(best_first, start=1):
        first_place.setdefault(value, place)
    return {area: first_place[value] for area, value in present.items()}


def rank_among(value: Value, ordered: Sequence[Value], polarity: Polarity) -> int:
    """The rank of `value` among all `ordered` values (sorted ascending, `value` among them):
    1 + how many are strictly better, so that ties share the better rank."""
    if polarity is Polarity.HIGHER:
        return len(ordered) - bisect_right(ordered, value) + 1
    return bisect_left(ordered, value) + 1


def percentile(ordered: Sequence[Value], share: Fraction) -> Fraction:
    """The `share` percentile (0 to 1) of values sorted ascending, by linear interpolation
    between the closest ranks, as numpy's default: position (n - 1) × share."""
    position = (len(ordered) - 1) * share
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    low = Fraction(ordered[below])
    if position == below:
        return low
    return low + (position - below) * (Fraction(ordered[above]) - low)


def quartile(value: Value, values: Sequence[Value], polarity: Polarity) -> Quartile | None:
    """The DfE quartile band of `value` among all authorities' `values`: A is the best
    quarter by polarity. A value on a cut point takes the better band."""
    if polarity is Polarity.NONE or not values:
        return None
    ordered = sorted(values)
    cuts = [percentile(ordered, Fraction(n, 4)) for n in (1, 2, 3)]
    if polarity is Polarity.HIGHER:
        above = sum(1 for cut in cuts if value >= cut)
        return (Quartile.D, Quartile.C, Quartile.B, Quartile.A)[above]
    below = sum(1 for cut in cuts if value <= cut)
    return (Quartile.D, Quartile.C, Quartile.B, Quartile.A)[below]


def benchmark_year(
    indicator: Indicator,
    year: FinancialYear,
    rows: Iterable[BenchmarkValue],
    group: ComparatorGroup,
    population: Sequence[Decimal] | None = None,
) -> Benchmarking:
    """Where the authority stands in one year. `rows` are this indicator's values for that
    year (the authority's, its neighbours', regions' and England's); `population` is every
    local authority's value, sorted, where the data hold them all (DfE files)."""
    rows = list(rows)
    by_key = {r.key: r for r in rows if r.level is Level.LOCAL_AUTHORITY}
    figures = _Figures(indicator, {r.area: r for r in rows})

    keys = [group.own, *[key for key, _ in group.neighbours if key != group.own]]
    names = {group.own: group.own_name, **dict(group.neighbours)}
    names.update((key, row.area) for key, row in by_key.items() if key in names)
    missing = _replace(_blank(indicator, year), reason=f"no {year} value")
    group_figures = {
        key: _benchmark_figure(indicator, by_key[key]) if key in by_key else missing for key in keys
    }
    # Ranked and ordered on the values as published (exact decimals, which compare fast).
    published = {key: by_key[key].value if key in by_key else None for key in keys}
    ranks = rank(published, indicator.polarity)
    # Best first; with no polarity there is no best, so highest first; no value last.
    ordered = sorted(
        keys,
        key=lambda key: (
            published[key] is None,
            ranks.get(key, 0),
            -(published[key] or 0),
            names[key],
        ),
    )
    comparators = tuple(
        ComparatorRow(names[key], group_figures[key], ranks.get(key), key == group.own)
        for key in ordered
    )
    neighbour_values = [value for key in keys[1:] if (value := published[key]) is not None]
    if neighbour_values:
        figures.extra[NEIGHBOUR_AVERAGE] = _replace(
            _blank(indicator, year),
            exact=Fraction(sum(neighbour_values, Decimal(0))) / len(neighbour_values),
            note=f"mean of {len(neighbour_values)} neighbours with a value",
        )
    own = group_figures[group.own]
    rank_all: int | None = None
    rank_all_of = 0
    band: Quartile | None = None
    own_row = by_key.get(group.own)
    if population and own_row is not None and own_row.value is not None:
        if indicator.polarity is not Polarity.NONE:
            rank_all = rank_among(own_row.value, population, indicator.polarity)
            rank_all_of = len(population)
        band = quartile(own_row.value, population, indicator.polarity)
    return Benchmarking(
        year=year,
        own=own,
        comparators=comparators,
        figures=figures,
        rank=ranks.get(group.own),
        rank_of=len(ranks),
        rank_all=rank_all,
        rank_all_of=rank_all_of,
        quartile=band,
        region=group.region,
    )


def benchmark(
    indicator: Indicator,
    rows: Iterable[BenchmarkValue],
    group: ComparatorGroup,
    populations: Mapping[FinancialYear, Sequence[Decimal]] | None = None,
) -> Mapping[FinancialYear, Benchmarking]:
    """Benchmarking for every year `rows` (this indicator's values) cover, oldest first,
    each worked out when first asked for (a paper mostly needs the latest); `populations`
    are every local authority's values by year, sorted, where known."""
    by_year: dict[FinancialYear, list[BenchmarkValue]] = {}
    for row in rows:
        by_year.setdefault(row.year, []).append(row)
    return _Years(indicator, dict(sorted(by_year.items())), group, populations or {})


class _Years(Mapping[FinancialYear, Benchmarking]):
    def __init__(
        self,
        indicator: Indicator,
        rows: dict[FinancialYear, list[BenchmarkValue]],
        group: ComparatorGroup,
        populations: Mapping[FinancialYear, Sequence[Decimal]],
    ):
        self.indicator, self.rows, self.group, self.populations = (
            indicator,
            rows,
            group,
            populations,
        )
        self.made: dict[FinancialYear, Benchmarking] = {}

    def __getitem__(self, year: FinancialYear) -> Benchmarking:
        if year not in self.made:
            self.made[year] = benchmark_year(
                self.indicator, year, self.rows[year], self.group, self.populations.get(year)
            )
        return self.made[year]

    def __iter__(self) -> Iterator[FinancialYear]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def compute(
    indicator: Indicator,
    observations: Mapping[Period, Observation],
    month: Month,
    *,
    financial_year_start: int = 4,
    benchmark_years: Mapping[FinancialYear, Benchmarking] | None = None,
) -> IndicatorResult:
    """All results for one indicator as at `month`, with its benchmarking by year (see
    `benchmark`)."""
    start = financial_year_start
    period = latest_period(indicator, observations, month, start)
    latest = period_figure(indicator, observations, period)
    previous = period_figure(indicator, observations, period.previous())
    last_year = period_figure(indicator, observations, period.year_earlier())
    ytd = ytd_figure(indicator, observations, period, start)
    compared = last_year if indicator.compare is Compare.LAST_YEAR else previous
    rated = ytd if indicator.rates_on is RagOn.YTD and indicator.has_ytd else latest
    target = indicator.target.at(period)
    movement, direction = travel(latest, compared, indicator.polarity, indicator.target)
    return IndicatorResult(
        indicator=indicator,
        as_at=month,
        period=period,
        financial_year_start=start,
        observations=observations,
        latest=latest,
        previous=previous,
        last_year=last_year,
        ytd=ytd,
        rolling_12=rolling_figure(indicator, observations, period, start),
        target=target,
        rag=rate(rated, indicator, target),
        movement=movement,
        direction=direction,
        benchmark_years=benchmark_years or {},
    )


def withheld(indicator: Indicator, figure: Figure, suppress_up_to: int) -> bool:
    """Whether published output withholds `figure` with counts from 1 to `suppress_up_to`."""
    if figure.suppressed:
        return True
    limited = _replace(indicator, suppress_up_to=suppress_up_to)
    return _disclosed(limited, figure).suppressed


def _disclosed(indicator: Indicator, figure: Figure) -> Figure:
    """The figure, or withheld (`[c]`) if it counts from 1 to the indicator's limit: a
    count, a percentage or rate whose numerator or denominator, an average whose number of
    cases."""
    limit = indicator.suppress_up_to
    if not limit or not figure.has_value:
        return figure
    unit = indicator.unit
    counts: list[Fraction | Decimal | None]
    if unit is Unit.COUNT:
        counts = [figure.exact]
    elif unit is Unit.AVERAGE:
        counts = [figure.denominator]
    elif unit.is_ratio:
        counts = [figure.numerator, figure.denominator]
    else:
        return figure
    if any(c is not None and 0 < c <= limit for c in counts):
        return _replace(
            figure, exact=None, numerator=None, denominator=None, suppressed=True,
            reason="suppressed",
        )  # fmt: skip
    return figure


def _blank(indicator: Indicator, period: Period | Span | None) -> Figure:
    """A figure of the indicator's unit and period, with no value yet."""
    return Figure(period, indicator.unit, indicator.decimals, None, unit_word=indicator.unit_word)


def _decimals_needed(value: Fraction, most: int) -> int:
    """The fewest decimal places, up to `most`, that print `value` exactly: a target of 18
    prints `18%` beside figures of `17.4%`."""
    return next((d for d in range(most + 1) if (value * 10**d).denominator == 1), most)


def _note(row: Observation) -> str:
    if row.replaced is None:
        return row.note
    replaced = row.replaced
    what = "" if replaced.status is Status.NONE else f"{replaced.status.value} "
    return f"replaces the council's own {what}figure"


def _counts(figure: Figure, indicator: Indicator) -> bool:
    if indicator.unit.is_ratio:
        return figure.numerator is not None and figure.denominator is not None
    return figure.has_value


def _distance(value: Fraction, low: Fraction, high: Fraction) -> Fraction:
    return low - value if value < low else value - high if value > high else Fraction(0)


class _Figures(Mapping[str, Figure]):
    """A year's figures by area, each made when first asked for: a DfE year holds every
    region, and most papers ask for two or three of them."""

    def __init__(self, indicator: Indicator, rows: dict[str, BenchmarkValue]):
        self.indicator, self.rows = indicator, rows
        self.extra: dict[str, Figure] = {}
        self.made: dict[str, Figure] = {}

    def __getitem__(self, area: str) -> Figure:
        if area in self.extra:
            return self.extra[area]
        if area not in self.made:
            self.made[area] = _benchmark_figure(self.indicator, self.rows[area])
        return self.made[area]

    def __iter__(self) -> Iterator[str]:
        return iter([*self.rows, *self.extra])

    def __len__(self) -> int:
        return len(self.rows) + len(self.extra)


def _benchmark_figure(indicator: Indicator, row: BenchmarkValue) -> Figure:
    numerator, denominator = row.numerator, row.denominator
    counted = numerator is not None and denominator is not None
    return Figure(
        row.year,
        indicator.unit,
        indicator.decimals,
        None if row.value is None else Fraction(row.value),
        numerator=Number(numerator) if numerator is not None and counted else None,
        denominator=Number(denominator) if denominator is not None and counted else None,
        reason="" if row.value is not None else BENCHMARK_CODES.get(row.code, NOT_AVAILABLE),
        note=row.code,
        unit_word=indicator.unit_word,
    )


def _number(value: Fraction) -> Number:
    """A sum of counts read from decimal text, which is always a terminating decimal."""
    return Number(Decimal(value.numerator) / Decimal(value.denominator))
