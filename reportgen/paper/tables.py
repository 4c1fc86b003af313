"""The tables of figures a paper and the command line show: indicators' results as at a
month, the performance table, an indicator's comparator table (its standing among its
statistical neighbours and region, as the DfE's LAIT ranks it) and benchmarks by year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportgen.domain.model import REGIONS, Authority, Indicator, Polarity
from reportgen.domain.periods import FinancialYear, Month
from reportgen.results.cells import (
    RAG_FILL,
    benchmark_cell,
    direction_text,
    figure_cell,
    period_label,
    target_cell,
    ytd_cell,
)
from reportgen.results.compute import IndicatorResult
from reportgen.results.figures import NEIGHBOUR_AVERAGE
from reportgen.results.ranking import (
    Benchmarking,
    place_words,
    suppressed_words,
)

OWN_AREA_FILL = "DDEBF7"
PLAIN_FILL = "FFFFFF"


def results_table(results: Sequence[IndicatorResult]) -> list[list[str]]:
    """The computed results as rows of text for the terminal, headings first."""
    rows = [
        ["ID", "Period", "Latest", "Compared with", "Year to date", "Target", "RAG", "Direction",
         "Rank", "Rank (all)", "Quartile"]
    ]  # fmt: skip
    for result in results:
        benchmarking = result.benchmarking
        rows.append(
            [
                result.indicator.id,
                period_label(result.latest),
                _line(figure_cell(result.latest)),
                _line(figure_cell(result.compared, dated=True)),
                _line(ytd_cell(result)),
                _line(target_cell(result)),
                str(result.rag),
                direction_text(result),
                *standing_cells(benchmarking),
            ]
        )
    return rows


def benchmark_rows(years: Mapping[FinancialYear, Benchmarking]) -> list[list[str]]:
    """Every benchmark year of one indicator as rows of text, headings first."""
    rows = [["Year", "This authority", "Neighbour average", "Region", "England", "Rank",
             "Rank (all)", "Quartile"]]  # fmt: skip
    for year, benchmarking in sorted(years.items()):
        figures = benchmarking.figures
        rows.append(
            [
                str(year),
                benchmark_cell(benchmarking.own),
                benchmark_cell(figures.get(NEIGHBOUR_AVERAGE)),
                benchmark_cell(figures.get(region_of(benchmarking))),
                benchmark_cell(figures.get("England")),
                *standing_cells(benchmarking),
            ]
        )
    return rows


def performance_table(results: Sequence[IndicatorResult], month: Month) -> dict[str, Any]:
    """The performance table: headings naming the periods where every row shares them, and
    one row per indicator."""
    latest_periods = {period_label(r.latest) for r in results}
    compared_periods = {period_label(r.compared) for r in results}
    uniform = len(latest_periods) == 1 and len(compared_periods) == 1
    years = {str(r.ytd.period) for r in results if r.indicator.has_ytd}

    rows = []
    for result in results:
        rows.append(
            {
                "id": result.indicator.id,
                "indicator": result.indicator.title,
                "latest": figure_cell(result.latest, dated=not uniform),
                "previous": figure_cell(result.compared, dated=not uniform),
                "ytd": ytd_cell(result),
                "target": target_cell(result).replace(" (acceptable range)", "\nacceptable range"),
                "rag": str(result.rag),
                "rag_fill": RAG_FILL[result.rag],
                "direction": direction_text(result),
            }
        )
    return {
        "caption": f"Performance as at {month.label}",
        "latest_heading": latest_periods.pop() if uniform else "Latest",
        "previous_heading": compared_periods.pop() if uniform else "Compared with",
        "ytd_heading": f"Year to date {years.pop()}" if len(years) == 1 else "Year to date",
        "rows": rows,
    }


def comparator_table(
    indicator: Indicator, benchmarking: Benchmarking, authority: Authority
) -> dict[str, Any]:
    """The comparator table of one indicator's benchmark year, best first, the authority
    marked, then the neighbour average, region and England."""
    rows = [
        {
            "rank": str(row.rank) if row.rank is not None else "–",
            "area": f"{row.area} (this authority)" if row.is_own else row.area,
            "value": benchmark_cell(row.figure),
            "fill": OWN_AREA_FILL if row.is_own else PLAIN_FILL,
        }
        for row in benchmarking.comparators
    ]
    averaged = _published_neighbours(benchmarking)
    for area in (NEIGHBOUR_AVERAGE, region_of(benchmarking), "England"):
        figure = benchmarking.figures.get(area)
        if figure is not None:
            label = "Statistical neighbour average" if area == NEIGHBOUR_AVERAGE else area
            if area == NEIGHBOUR_AVERAGE and benchmarking.suppressed:
                label += f" ({averaged} with published figures)"
            rows.append(
                {"rank": "–", "area": label, "value": benchmark_cell(figure), "fill": PLAIN_FILL}
            )
    return {
        "id": indicator.id,
        "caption": f"{indicator.title}: statistical neighbours, {benchmarking.year}",
        "year": str(benchmarking.year),
        "standing": standing(indicator, benchmarking, authority),
        "rows": rows,
    }


def standing(indicator: Indicator, benchmarking: Benchmarking, authority: Authority) -> str:
    """Where the authority stands, in words: its ranks and quartile band, and what the
    figures the DfE suppressed mean for them."""
    name = authority.short_name
    if benchmarking.rank is None:
        if indicator.polarity is Polarity.NONE:
            return (
                f"{name} is not ranked: neither a higher nor a lower figure is better for "
                "this indicator."
            )
        return f"{name} is not ranked: it has no value for {benchmarking.year}."
    published = " with published figures"
    place = place_words(benchmarking.rank, benchmarking.rank_of, benchmarking.suppressed)
    text = f"{name} ranks {place} among itself and its statistical neighbours" + (
        published if benchmarking.suppressed else ""
    )
    if benchmarking.rank_all is not None:
        place = place_words(
            benchmarking.rank_all, benchmarking.rank_all_of, benchmarking.suppressed_all
        )
        text += f" and {place} among all local authorities" + (
            published if benchmarking.suppressed_all else ""
        )
    text += " (1 = best)."
    if benchmarking.quartile is not None:
        text += f" Quartile band: {benchmarking.quartile.label}."
    if benchmarking.suppressed:
        text += " " + suppressed_words(benchmarking.suppressed, benchmarking.rank_range, name)
    if benchmarking.rank_all is not None and benchmarking.suppressed_all:
        text += " " + suppressed_words(
            benchmarking.suppressed_all,
            benchmarking.rank_all_range,
            name,
            ("other local authority", "other local authorities"),
            explained=bool(benchmarking.suppressed),
        )
    if benchmarking.suppressed and NEIGHBOUR_AVERAGE in benchmarking.figures:
        averaged = _published_neighbours(benchmarking)
        text += (
            f" The statistical neighbour average is of the {averaged} neighbour"
            f"{'' if averaged == 1 else 's'} with published figures."
        )
    return text


def _published_neighbours(benchmarking: Benchmarking) -> int:
    return sum(1 for row in benchmarking.comparators if row.figure.has_value and not row.is_own)


def region_of(benchmarking: Benchmarking) -> str:
    """The region to show beside England: the authority's own, or a region the data hold."""
    if benchmarking.region:
        return benchmarking.region
    return next((area for area in REGIONS if area in benchmarking.figures), "")


def standing_cells(benchmarking: Benchmarking | None) -> list[str]:
    if benchmarking is None:
        return ["–", "–", "–"]
    rank = ", ".join(benchmarking.rank_lines) or "–"
    rank_all = ", ".join(benchmarking.rank_all_lines) or "–"
    band = str(benchmarking.quartile) if benchmarking.quartile else "–"
    return [rank, rank_all, band]


def _line(cell: str) -> str:
    """A table cell's text on one line, for the terminal."""
    return cell.replace("\n", ", ").replace("\u00a0", " ")
