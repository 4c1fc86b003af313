"""Indicator results: values, year to date, RAG, direction, rank and quartile (pure, no I/O).

Everything here takes values and returns frozen results. Comparisons that decide a rating
or a direction use the figure rounded to its displayed precision, so that the paper never
prints "85%" beside a target of 85% and calls it missed. Polarity decides what "better"
means everywhere: RAG, direction, rank and quartile band.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as _replace
from decimal import Decimal
from fractions import Fraction

from reportgen.domain.model import (
    Compare,
    Direction,
    Indicator,
    Measure,
    Movement,
    Observation,
    Polarity,
    Rag,
    RagOn,
    Status,
    Target,
    TargetKind,
    Unit,
)
from reportgen.domain.numbers import round_half_up
from reportgen.domain.periods import FinancialYear, Grain, Month, Period, Span, grain_of
from reportgen.results.figures import NO_TARGET, NOT_AVAILABLE, Figure, Number, blank, number_of
from reportgen.results.ranking import Benchmarking


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
    target: Fraction | None  # the target of the latest period
    rag: Rag
    movement: Movement
    direction: Direction
    # What direction of travel compared the latest with: the figure of `previous` or
    # `last_year` from the same source as the latest (the council's own with its own, the
    # DfE's with the DfE's); `mixed` where only figures from two sources were there.
    compared: Figure
    benchmark_years: Mapping[FinancialYear, Benchmarking] = field(repr=False)
    mixed: bool = False
    # The target the rating was judged against: the latest period's, or for a year to date
    # against a profile, the profile's year-to-date target (see `ytd_target`).
    rated_target: Fraction | None = None
    # Figures by period (and years to date), once worked out: charts, tables, checks and
    # live figures ask for the same ones, in every build of the project while it is kept.
    _worked_out: dict[tuple[bool, Period], Figure] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def rated_on_ytd(self) -> bool:
        """Whether the rating is of the year to date (else of the latest figure)."""
        return self.indicator.rates_on is RagOn.YTD and self.indicator.has_ytd

    @property
    def benchmarking(self) -> Benchmarking | None:
        """The latest benchmark year."""
        return self.benchmark_years[max(self.benchmark_years)] if self.benchmark_years else None

    def has_data(self, periods: Iterable[Period]) -> bool:
        """Whether any of `periods` has a data row (a row may still hold no value)."""
        return any(period in self.observations for period in periods)

    def at(self, period: Period) -> Figure:
        return self._figure(False, period)

    def ytd_at(self, period: Period) -> Figure:
        return self._figure(True, period)

    def _figure(self, to_date: bool, period: Period) -> Figure:
        found = self._worked_out.get((to_date, period))
        if found is None:  # two threads may both work it out: both get an equal figure
            work_out = ytd_figure if to_date else figure_at
            found = work_out(self.indicator, self.observations, period, self.financial_year_start)
            self._worked_out[to_date, period] = found
        return found


def period_figure(
    indicator: Indicator, observations: Mapping[Period, Observation], period: Period
) -> Figure:
    """The indicator's figure for one period of its grain; no row, or a zero denominator,
    gives no value; a small count is withheld where the indicator says so."""
    return _disclosed(indicator, _period_figure(indicator, observations, period))


def _period_figure(
    indicator: Indicator, observations: Mapping[Period, Observation], period: Period
) -> Figure:
    base = blank(indicator, period)
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
    elif row.numerator is not None:  # a published figure with its count, and no denominator
        base = _replace(base, numerator=Number(row.numerator))
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
    base = blank(indicator, label)
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
    totals = _replace(base, numerator=number_of(numerator), denominator=number_of(denominator))
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
        return _replace(blank(indicator, year), reason="this indicator has no year to date")
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


def ytd_target(
    indicator: Indicator,
    observations: Mapping[Period, Observation],
    period: Period,
    financial_year_start: int = 4,
) -> Fraction | None:
    """The target a year to date up to `period` is rated against.

    A single target is the same for every period. A profile gives a target per period, so
    the year to date takes the profile's own `ytd` target where the catalogue gives one;
    else the periods' targets added up as the year to date adds up its figures: a count's
    summed, a ratio's weighted by each period's cases (its denominator), a snapshot's the
    latest period's. Rounded half up to the indicator's decimals, as printed, so that the
    paper rates the year to date against the target it prints.
    """
    spec = indicator.target
    if spec.kind is not TargetKind.PROFILE:
        return spec.at(period)
    if spec.ytd_profile:
        return dict(spec.ytd_profile).get(period)
    year = period.last.financial_year(financial_year_start)
    parts = indicator.grain.periods(year.first, period.last, financial_year_start)
    targets = dict(spec.profile)
    if any(part not in targets for part in parts):
        return None
    if indicator.measure is Measure.SNAPSHOT or indicator.unit is Unit.NUMBER:
        return targets[period]
    figures = [(part, period_figure(indicator, observations, part)) for part in parts]
    counted = [(part, figure) for part, figure in figures if _counts(figure, indicator)]
    if not counted:
        return None
    if not indicator.unit.is_ratio:
        return sum((targets[part] for part, _ in counted), Fraction(0))
    weights = [(targets[part], Fraction(figure.denominator or 0)) for part, figure in counted]
    cases = sum((weight for _, weight in weights), Fraction(0))
    if cases == 0:
        return None
    exact = sum((target * weight for target, weight in weights), Fraction(0)) / cases
    return Fraction(round_half_up(exact, indicator.decimals))


def like_with_like(
    indicator: Indicator,
    observations: Mapping[Period, Observation],
    latest: Figure,
    compared: Figure,
) -> tuple[Figure, Figure, bool]:
    """`latest` and the figure it is `compared` with (both of periods of the indicator's
    grain), from the same source where the data hold such a pair: a validated DfE figure
    keeps the council's own count it replaced, so the council's own 2025-26 is compared with
    its own 2024-25, not with the DfE's. The third value is True where only a pair from two
    sources exists."""
    period, compared_period = latest.period, compared.period
    assert isinstance(period, Period) and isinstance(compared_period, Period)
    if not (latest.has_value and compared.has_value) or latest.source == compared.source:
        return latest, compared, False
    now_row, then_row = observations.get(period), observations.get(compared_period)
    if then_row is not None and then_row.replaced is not None:
        own = period_figure(indicator, {compared_period: then_row.replaced}, compared_period)
        if own.has_value and own.source == latest.source:
            note = f"the council's own figure, since replaced by the {then_row.source}'s"
            return latest, _replace(own, note=note), False
    if now_row is not None and now_row.replaced is not None:
        own = period_figure(indicator, {period: now_row.replaced}, period)
        if own.has_value and own.source == compared.source:
            return _replace(own, note="the council's own figure"), compared, False
    return latest, compared, True


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
    on_ytd = indicator.rates_on is RagOn.YTD and indicator.has_ytd
    rated = ytd if on_ytd else latest
    target = indicator.target.at(period)
    rated_target = ytd_target(indicator, observations, period, start) if on_ytd else target
    shown = last_year if indicator.compare is Compare.LAST_YEAR else previous
    moved, compared, mixed = like_with_like(indicator, observations, latest, shown)
    movement, direction = travel(moved, compared, indicator.polarity, indicator.target)
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
        rag=rate(rated, indicator, rated_target),
        movement=movement,
        direction=direction,
        compared=compared,
        mixed=mixed,
        rated_target=rated_target,
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
