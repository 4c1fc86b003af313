"""The performance index: every indicator a committee monitors, one table per theme, and
each indicator's charts (pure, no I/O).

A row gives the indicator's number and title, its last few periods, year to date, target,
RAG (shaded and in words), direction (arrow and word), the statistical neighbour average,
England and its rank among neighbours with its quartile band. A figure that is missing
says why in its cell.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from reportgen.domain.model import Authority
from reportgen.domain.periods import Month, Period
from reportgen.paper.charts import comparator_chart, trend_chart
from reportgen.paper.wordml import FULL_WIDTH, Cell, Table
from reportgen.results.cells import (
    NO_VALUE,
    RAG_FILL,
    benchmark_cell,
    direction_text,
    figure_cell,
    target_cell,
    ytd_cell,
)
from reportgen.results.compute import IndicatorResult
from reportgen.results.figures import NEIGHBOUR_AVERAGE

OTHER_THEME = "Other indicators"
# Shares of the table's width by column; the period columns share what is left. With four
# periods the other columns give up room, so that no word breaks inside a period's cell.
WIDTHS = {
    "number": 200,
    "indicator": 920,
    "ytd": 380,
    "target": 400,
    "rag": 330,
    "direction": 430,
    "neighbours": 420,
    "england": 400,
    "rank": 380,
}
COMPACT_WIDTHS = {
    "number": 180,
    "indicator": 660,
    "ytd": 360,
    "target": 360,
    "rag": 300,
    "direction": 400,
    "neighbours": 420,
    "england": 380,
    "rank": 380,
}
MOST_PERIODS = 4


@dataclass(frozen=True)
class IndexSettings:
    """How a report shows its index: title, periods per row, charts (all, none or some)."""

    title: str = "Performance index"
    periods: int = 3
    charts: bool | Collection[str] = True


def performance_index(
    results: Sequence[IndicatorResult],
    themes: Sequence[str],
    settings: IndexSettings,
    authority: Authority,
    month: Month,
) -> dict[str, Any]:
    """What a template places for the index: heading, introduction, a table per theme,
    notes, and each indicator's charts (descriptions; the renderer draws them)."""
    groups = _grouped(results, themes)
    charts = []
    for _, members in groups:
        for result in members:
            if not _charted(result, settings.charts):
                continue
            trend = trend_chart(result)
            comparison = comparator_chart(result, authority.short_name)
            if trend is None and comparison is None:
                continue
            charts.append(
                {
                    "heading": f"{result.indicator.number}. {result.indicator.title}",
                    "trend": trend or "",
                    "comparison": comparison or "",
                }
            )
    neighbours = len(authority.neighbour_codes) or len(authority.statistical_neighbours)
    return {
        "title": settings.title,
        "heading": settings.title,
        "introduction": (
            f"Performance as at {month.label}: every indicator this report covers, by theme, "
            "numbered as in the indicator catalogue."
        ),
        "groups": [
            {"theme": theme, "table": index_table(theme, members, settings.periods)}
            for theme, members in groups
        ],
        "notes": _notes(authority, neighbours, settings.periods),
        "charts": charts,
        "charts_introduction": (
            "For each indicator: its trend against target, with last year as a dashed grey "
            "line, and its latest published figure beside its statistical neighbours', "
            f"{authority.short_name} hatched, with England as a dashed line."
        ),
    }


def index_table(theme: str, results: Sequence[IndicatorResult], periods: int) -> Table:
    """One theme's table: a header row, then a row per indicator."""
    shown = [recent_periods(result.period, periods) for result in results]
    headings = [{row[column].short_label for row in shown} for column in range(periods)]
    uniform = all(len(labels) == 1 for labels in headings)
    period_headings = [
        labels.pop() if uniform else _relative(periods - 1 - column)
        for column, labels in enumerate(headings)
    ]
    shares = COMPACT_WIDTHS if periods >= MOST_PERIODS else WIDTHS
    width, spare = divmod(FULL_WIDTH - sum(shares.values()), periods)
    widths = (
        shares["number"],
        shares["indicator"] + spare,
        *([width] * periods),
        *(shares[k] for k in ("ytd", "target", "rag", "direction", "neighbours", "england")),
        shares["rank"],
    )
    header = (
        Cell("No."),
        Cell("Indicator"),
        *(Cell(h) for h in period_headings),
        Cell("Year to date"),
        Cell("Target"),
        Cell("RAG"),
        Cell("Direction of travel"),
        Cell("Neighbour average"),
        Cell("England"),
        Cell("Rank (band)"),
    )
    rows = tuple(
        _row(result, row_periods, dated=not uniform)
        for result, row_periods in zip(results, shown, strict=True)
    )
    return Table(f"Performance index: {theme}", widths, header, rows, small=True)


def _row(result: IndicatorResult, periods: Sequence[Period], dated: bool) -> tuple[Cell, ...]:
    indicator = result.indicator
    benchmarking = result.benchmarking
    figures = benchmarking.figures if benchmarking else {}
    year = f"\n{benchmarking.year.short_label}" if benchmarking else ""

    def published(area: str) -> str:
        figure = figures.get(area)
        return NO_VALUE if figure is None else benchmark_cell(figure) + year

    rank = NO_VALUE
    if benchmarking is not None and benchmarking.rank is not None:
        # Suppressed neighbours: `4th of 7`, `4 suppressed`, `8th of 11 with them`.
        rank = "\n".join(benchmarking.rank_lines)
        if benchmarking.quartile is not None:
            rank += f"\nBand {benchmarking.quartile}"
    title = indicator.title
    if not result.latest.has_value:
        # The reason is long; the period's own cell, narrow, says only that it is missing.
        why = result.latest.why_not
        title += f"\n{result.period.short_label}: {why[:1].lower()}{why[1:]}"
    return (
        Cell(indicator.number),
        Cell(title),
        *(_period_cell(result, period, dated) for period in periods),
        Cell(ytd_cell(result)),
        Cell(target_cell(result).replace(" (acceptable range)", "\nrange")),
        Cell(str(result.rag), fill=RAG_FILL[result.rag]),
        Cell(direction_text(result)),
        Cell(published(NEIGHBOUR_AVERAGE)),
        Cell(published("England")),
        Cell(rank),
    )


def _period_cell(result: IndicatorResult, period: Period, dated: bool) -> Cell:
    figure = result.at(period)
    if not figure.has_value:
        text = "Not available" if result.has_data([period]) else NO_VALUE
        text = figure.why_not if figure.suppressed else text
        return Cell(f"{text}\n{period.short_label}" if dated else text)
    return Cell(figure_cell(figure, counts=False, dated=dated, narrow=True))


def recent_periods(latest: Period, count: int) -> list[Period]:
    """The `count` periods up to `latest`, oldest first."""
    periods = [latest]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    return periods


def _relative(back: int) -> str:
    return "Latest" if back == 0 else f"Latest −{back}"


def _grouped(
    results: Sequence[IndicatorResult], themes: Sequence[str]
) -> list[tuple[str, list[IndicatorResult]]]:
    """The results by theme, in the catalogue's theme order, each theme by number."""
    order = [*themes, OTHER_THEME]
    by_theme: dict[str, list[IndicatorResult]] = {}
    for result in results:
        by_theme.setdefault(result.indicator.theme or OTHER_THEME, []).append(result)
    return [
        (theme, sorted(by_theme[theme], key=lambda r: _number_key(r.indicator.number)))
        for theme in order
        if theme in by_theme
    ]


def _number_key(number: str) -> list[tuple[int, str]]:
    """`27/28` after `9`, `23a` after `23`."""
    return [(int(digits), letter) for digits, letter in re.findall(r"(\d+)([a-z]?)", number)]


def _charted(result: IndicatorResult, charts: bool | Collection[str]) -> bool:
    if isinstance(charts, bool):
        return charts
    return result.indicator.id in charts


def _notes(authority: Authority, neighbours: int, periods: int) -> list[str]:
    name = authority.short_name
    return [
        f"Periods: the last {periods} months, quarters or years of each indicator, as its "
        "data come; where rows differ, each figure names its period.",
        "RAG: Green meets the target (or is inside the acceptable range); Amber is short of "
        "it but within the tolerance; Red is beyond it. Direction of travel compares the "
        "latest figure with the one before, or with the same period last year where the "
        "indicator says so.",
        f"Neighbour average, England, rank and band are the latest published DfE figures, for "
        f"the year shown. Rank is {name}'s place among itself and its {neighbours} statistical "
        "neighbours (1 = best); band is its quartile among all local authorities in England "
        f"(A = best quarter). {NO_VALUE} means no figure is published or held.",
    ]
