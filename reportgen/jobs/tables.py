"""The tables `reportgen indicators` and `reportgen benchmarks` print: every indicator's
results as at a month, and one indicator's comparator table and benchmarks by year."""

from __future__ import annotations

from typing import Any

from reportgen.domain.periods import FinancialYear, Month
from reportgen.errors import InputError, Problem, did_you_mean
from reportgen.inputs.project import Project
from reportgen.paper.tables import benchmark_rows, comparator_table, results_table


def _wrong(key: str, what: str, fix: str) -> InputError:
    return InputError([Problem("", None, key, what, fix)])


def indicators_table(project: Project, period: str) -> tuple[str, list[list[str]]]:
    """A title, and every indicator's computed results as at the month `period` (YYYY-MM),
    headings first."""
    try:
        month = Month.parse(period)
    except ValueError as exc:
        raise _wrong("period", str(exc), "e.g. 2010-11") from None
    title = f"Indicators as at {month.label}"
    return title, results_table(project.results(project.catalogue, month))


def benchmark_tables(
    project: Project, indicator: str, year: str | None = None
) -> tuple[dict[str, Any], list[list[str]]]:
    """An indicator's comparator table for a benchmark year (by default the latest), and
    its benchmarks year by year."""
    if indicator not in project.catalogue:
        fix = did_you_mean(indicator, project.catalogue, otherwise="see the list of indicators")
        raise _wrong("indicator", f"unknown indicator '{indicator}'", fix)
    years = project.benchmark_years(indicator)
    if not years:
        raise _wrong(
            "indicator",
            f"{indicator} has no benchmarks",
            "map it to a DfE file (dfe: in its catalogue entry) or add rows to data/benchmarks/",
        )
    chosen = max(years)
    if year is not None:
        try:
            chosen = FinancialYear.parse(year, project.authority.financial_year_start)
        except ValueError as exc:
            raise _wrong("year", str(exc), "e.g. 2023-24") from None
        if chosen not in years:
            held = ", ".join(str(y) for y in sorted(years))
            raise _wrong("year", f"{indicator} has no benchmarks for {year}", f"years held: {held}")
    table = comparator_table(project.catalogue[indicator], years[chosen], project.authority)
    return table, benchmark_rows(years)
