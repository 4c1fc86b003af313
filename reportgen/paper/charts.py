"""What each chart shows, and the same in words for its alt text (pure, no drawing).

A chart here is a frozen description: its points, lines and labels as a paper prints
them. `drawing` turns it into a picture; its `key` (a hash of everything it shows) names
the cached picture, so an unchanged chart is never drawn twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from reportgen.domain.model import Polarity, TargetKind, Unit
from reportgen.domain.numbers import round_half_up
from reportgen.domain.periods import Grain, Period
from reportgen.results.compute import IndicatorResult
from reportgen.results.figures import NOT_AVAILABLE, Figure, exact_text
from reportgen.results.ranking import Benchmarking, place_words, suppressed_words

TREND_YEARS = 6  # an annual indicator's trend shows up to this many years

# A picture's size as the paper places it: two side by side across landscape A4's 25.7 cm
# of text, and two rows of them, each under its heading, to a page. Its text is drawn at
# this size, so its point sizes are the printed ones (see `drawing`).
WIDTH_CM, HEIGHT_CM = 12.7, 6.8
GAP_LABEL = "n/a"  # marks a period the trend has no figure for


@dataclass(frozen=True)
class TrendChart:
    """An indicator's periods this year (or its recent years), against its target, with
    the same periods last year as a faint line."""

    title: str
    x_labels: tuple[str, ...]
    values: tuple[float | None, ...]
    values_label: str
    last_year: tuple[float | None, ...]  # empty when there is no last-year line
    last_year_label: str
    target: tuple[float | None, ...]  # per period; empty when there is no target line
    target_label: str
    band: tuple[float, float] | None  # an acceptable range, shaded
    band_label: str
    latest_label: str  # printed beside the latest point
    unit: str  # after each axis number: "%", or ""
    alt_text: str
    # Periods up to the latest that have no figure, by index: each marked GAP_LABEL.
    gaps: tuple[int, ...] = ()
    gap_label: str = GAP_LABEL

    @property
    def key(self) -> str:
        return _key(self)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str  # the value as printed, or why there is none
    own: bool


@dataclass(frozen=True)
class ComparatorChart:
    """The authority and its statistical neighbours as bars, best first, the authority
    marked by colour, pattern and label, and England as a line."""

    title: str
    bars: tuple[Bar, ...]
    own_label: str
    england: float | None
    england_label: str
    unit: str
    alt_text: str

    @property
    def key(self) -> str:
        return _key(self)


Chart = TrendChart | ComparatorChart


def trend_chart(result: IndicatorResult) -> TrendChart | None:
    """The trend of one indicator up to its latest period; None when nothing has a value."""
    indicator = result.indicator
    periods = _trend_periods(result)
    # Periods after the latest (the rest of the year) are on the axis, without values.
    reported = periods[: periods.index(result.period) + 1]
    figures = [result.at(p) for p in reported]
    if not any(f.has_value for f in figures):
        return None
    annual = indicator.grain is Grain.YEAR
    year = result.period.financial_year(result.financial_year_start)
    last_figures = [] if annual else [result.at(p.year_earlier()) for p in periods]
    if not any(f.has_value for f in last_figures):
        last_figures = []
    target = indicator.target
    targets: list[Fraction | None] = (
        [target.at(p) for p in periods]
        if target.kind in (TargetKind.VALUE, TargetKind.PROFILE)
        else []
    )
    band, band_label = None, ""
    if target.kind is TargetKind.RANGE and target.low is not None and target.high is not None:
        band = (float(target.low), float(target.high))
        band_label = (
            f"Acceptable range {exact_text(indicator, target.low)} to "
            f"{exact_text(indicator, target.high)}"
        )
    shown = [f for f in figures if f.has_value]
    return TrendChart(
        title=(
            f"Trend, {periods[0].short_label} to {periods[-1].short_label}"
            if annual
            else f"Trend, {year}"
        ),
        x_labels=tuple(_axis_label(p, indicator.grain) for p in periods),
        values=tuple(_float(f) for f in figures) + (None,) * (len(periods) - len(figures)),
        values_label=str(year) if not annual else "Published figure",
        last_year=tuple(_float(f) for f in last_figures),
        last_year_label=str(year.previous()) if last_figures else "",
        target=tuple(None if t is None else float(t) for t in targets),
        target_label=_target_label(result, targets),
        band=band,
        band_label=band_label,
        latest_label=shown[-1].text,
        unit=_axis_unit(indicator.unit),
        alt_text=trend_alt_text(result, reported, figures, last_figures),
        gaps=tuple(index for index, f in enumerate(figures) if not f.has_value),
    )


def comparator_chart(result: IndicatorResult, own_name: str) -> ComparatorChart | None:
    """The latest benchmark year as bars; None without benchmarks."""
    benchmarking = result.benchmarking
    if benchmarking is None:
        return None
    bars = tuple(
        Bar(
            label=row.area,
            value=_float(row.figure),
            text=row.figure.text if row.figure.has_value else row.figure.reason or "no value",
            own=row.is_own,
        )
        for row in benchmarking.comparators
    )
    england = benchmarking.figures.get("England")
    order = "best first" if result.indicator.polarity is not Polarity.NONE else "highest first"
    return ComparatorChart(
        title=f"Statistical neighbours, {benchmarking.year} ({order})",
        bars=bars,
        own_label=f"{own_name} (this authority)",
        england=_float(england) if england is not None else None,
        england_label=f"England {england.text}" if england and england.has_value else "",
        unit=_axis_unit(result.indicator.unit),
        alt_text=comparator_alt_text(result, benchmarking, own_name),
    )


def trend_alt_text(
    result: IndicatorResult,
    periods: Sequence[Period],
    figures: Sequence[Figure],
    last_year: Sequence[Figure],
) -> str:
    """The trend in a sentence or two: `Re-referrals fell from 24% in April 2026 to 19% in
    September 2026, below the 20% target.`"""
    indicator = result.indicator
    title = _sentence_subject(indicator.title)
    valued = [(p, f) for p, f in zip(periods, figures, strict=True) if f.has_value]
    (first_period, first), (last_period, last) = valued[0], valued[-1]
    if len(valued) == 1:
        text = f"{title} was {last.text} in {last_period.label}"
    else:
        assert first.value is not None and last.value is not None
        if last.value > first.value:
            verb = "rose"
        elif last.value < first.value:
            verb = "fell"
        else:
            verb = "was unchanged"
        moved = (
            f"{verb} from {first.text} in {first_period.label} to {last.text} in "
            f"{last_period.label}"
            if verb != "was unchanged"
            else f"{verb} at {last.text} between {first_period.label} and {last_period.label}"
        )
        text = f"{title} {moved}"
    text += _against_target(result, last_period, last)
    gaps = [(p, f) for p, f in zip(periods, figures, strict=True) if not f.has_value]
    if len(gaps) == 1:
        ((period, figure),) = gaps
        text += f" There is no figure for {period.label} (marked {GAP_LABEL}): {_why_none(figure)}."
    elif gaps:
        listed = [f"{p.label} ({_why_none(f)})" for p, f in gaps]
        text += (
            f" There are no figures for {', '.join(listed[:-1])} and {listed[-1]} "
            f"(each marked {GAP_LABEL})."
        )
    if last_year:
        same = last_year[periods.index(last_period)]
        if same.has_value and same.period is not None:
            text += f" In {same.period.label} it was {same.text}."
    return text


def comparator_alt_text(result: IndicatorResult, benchmarking: Benchmarking, own_name: str) -> str:
    """Where the authority stands among its neighbours, in words."""
    own = benchmarking.own
    year = benchmarking.year
    subject = _sentence_subject(result.indicator.title)
    if own.has_value:
        text = f"{subject} in {year}: {own_name} {own.text}"
        suppressed = ""
        if benchmarking.rank is not None and result.indicator.polarity is not Polarity.NONE:
            place = place_words(benchmarking.rank, benchmarking.rank_of, benchmarking.suppressed)
            text += f", ranked {place} among itself and its statistical neighbours"
            if benchmarking.suppressed:
                text += " with published figures"
                suppressed = " " + suppressed_words(
                    benchmarking.suppressed, benchmarking.rank_range, own_name
                )
            text += " (1 = best)"
        text += "." + suppressed
    else:
        text = f"{subject} in {year}: {own_name} has no published figure ({own.reason})."
    valued = [row for row in benchmarking.comparators if row.figure.has_value and not row.is_own]
    if valued:
        low = min(valued, key=lambda row: row.figure.exact or 0)
        high = max(valued, key=lambda row: row.figure.exact or 0)
        text += (
            f" Neighbours ranged from {low.figure.text} ({low.area}) to {high.figure.text} "
            f"({high.area})."
        )
    england = benchmarking.figures.get("England")
    if england is not None and england.has_value:
        text += f" England: {england.text}."
    return text


def _why_none(figure: Figure) -> str:
    """Why a figure has none, said once and as the data wrote it: `figure not yet available
    from Cafcass`, not `not available: figure not yet available from cafcass`."""
    reason = figure.reason.strip()
    if reason.lower().startswith(NOT_AVAILABLE):
        reason = reason[len(NOT_AVAILABLE) :].lstrip(" :–-").strip()
    return reason or NOT_AVAILABLE


def _trend_periods(result: IndicatorResult) -> list[Period]:
    """This financial year's periods for months and quarters; recent years for years."""
    grain, start = result.indicator.grain, result.financial_year_start
    if grain is Grain.YEAR:
        years = [result.period]
        while len(years) < TREND_YEARS and result.has_data([years[0].previous()]):
            years.insert(0, years[0].previous())
        return years
    year = result.period.financial_year(start)
    return grain.periods(year.first, year.last, start)


def _axis_label(period: Period, grain: Grain) -> str:
    if grain is Grain.MONTH:
        return period.label[:3]
    if grain is Grain.QUARTER:
        return period.short_label.split()[0]
    return period.short_label


def _against_target(result: IndicatorResult, period: Period, figure: Figure) -> str:
    """`, below the 20% target.`, `, within the acceptable range of 12% to 20%.`, or `.`"""
    target = result.indicator.target
    value = figure.exact
    assert value is not None
    if target.kind is TargetKind.RANGE and target.low is not None and target.high is not None:
        where = "below" if value < target.low else "above" if value > target.high else "within"
        return (
            f", {where} the acceptable range of {exact_text(result.indicator, target.low)} to "
            f"{exact_text(result.indicator, target.high)}."
        )
    aim = target.at(period)
    if aim is None:
        return "."
    shown = round_half_up(value, result.indicator.decimals)
    where = "above" if shown > aim else "below" if shown < aim else "on"
    return f", {where} the {exact_text(result.indicator, aim)} target."


def _target_label(result: IndicatorResult, targets: Sequence[Fraction | None]) -> str:
    known = [t for t in targets if t is not None]
    if not known:
        return ""
    if len(set(known)) == 1:
        return f"Target {exact_text(result.indicator, known[0])}"
    return "Target (profile)"


def _axis_unit(unit: Unit) -> str:
    return "%" if unit is Unit.PERCENT else ""


def _float(figure: Figure) -> float | None:
    return None if figure.value is None else float(figure.value)


def _sentence_subject(title: str) -> str:
    """A catalogue title as the subject of a sentence: its first word capitalised."""
    return title[:1].upper() + title[1:]


def _key(chart: Chart) -> str:
    return hashlib.sha256(repr(chart).encode()).hexdigest()
