"""Reading indicator data (CSV or XLSX, long format) and benchmark CSVs into domain values.

Every row is checked; all problems are collected with their file and line. Numbers are
read exactly from their text (never through a float) so that rounding is right.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from reportgen.domain.model import (
    REGIONS,
    BenchmarkValue,
    Indicator,
    Level,
    Measure,
    Observation,
    Status,
    Unit,
)
from reportgen.domain.numbers import parse_number
from reportgen.domain.periods import FinancialYear, Grain, Period
from reportgen.errors import Problems, did_you_mean
from reportgen.inputs.catalogue import Catalogue
from reportgen.inputs.tables import FileProblems, Row, read_table
from reportgen.results.figures import BENCHMARK_CODES

DATA_COLUMNS = (
    "indicator",
    "period",
    "numerator",
    "denominator",
    "value",
    "status",
    "note",
    "source",
)


BENCHMARK_COLUMNS = ("indicator", "period", "area", "value")


_STATUSES = {
    "": Status.NONE,
    "provisional": Status.PROVISIONAL,
    "validated": Status.VALIDATED,
    "not available": Status.NOT_AVAILABLE,
    "not_available": Status.NOT_AVAILABLE,
}


Observations = dict[str, dict[Period, Observation]]


def data_files(folder: Path) -> list[Path]:
    """The indicator data files in a folder, in name order (Excel lock files left out)."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in (".csv", ".xlsx") and not p.name.startswith("~$")
    )


def read_observations(
    paths: list[Path],
    catalogue: Catalogue,
    problems: Problems,
    financial_year_start: int = 4,
    contents: Mapping[Path, bytes] | None = None,
    counted: Observations | None = None,
) -> Observations:
    """Every data row by indicator and period, with the figures `counted` from case
    records; bad rows are problems and are left out.

    Two rows for one period are a problem, except that a validated external figure (a row
    with a `source`) replaces the council's own. A row for a counted figure gives only its
    status and note (or an external figure to replace it). `contents` are files by path as
    uploaded but not saved: read from those bytes.
    """
    observations: Observations = {k: dict(v) for k, v in (counted or {}).items()}
    first_seen: dict[tuple[str, Period], tuple[Path, int]] = {}
    own_given: set[tuple[str, Period]] = set()  # counted periods with the council's own row
    for path in paths:
        found = FileProblems(problems, path)
        content = (contents or {}).get(path)
        rows = read_table(path, DATA_COLUMNS, ("indicator", "period"), found, content)
        for line, row in rows:
            indicator = catalogue.indicators.get(row["indicator"].strip())
            uncounted = (
                indicator is not None
                and indicator.cases is not None
                and (indicator.id not in (counted or {}))
            )  # its case records could not be counted: problems are reported there
            computed = (counted or {}).get(row["indicator"].strip(), {})
            observation = _observation(
                row, line, catalogue, found, financial_year_start, computed, uncounted
            )
            if observation is None or (uncounted and _bare(observation)):
                continue
            slot = (observation.indicator, observation.period)
            held = observations.get(observation.indicator, {}).get(observation.period)
            counted_period = observation.period in computed
            own_row = counted_period and not observation.external
            if counted_period:
                assert held is not None  # observations start from the counted figures
                # One row of the council's own (status and note) and one external figure.
                twice = slot in own_given if own_row else held.external
                if not twice:
                    observation = _on_counted(observation, held, line, found)
                    if observation is None:
                        continue
            else:
                merged = observation if held is None else merge(held, observation)
                twice = merged is None
                observation = merged or observation
            if twice:
                other_path, other_line = first_seen[slot]
                where = (
                    f"line {other_line}"
                    if other_path == path
                    else f"{other_path.name} line {other_line}"
                )
                found.add(
                    line,
                    "period",
                    f"{observation.indicator} {observation.period.code} is given twice "
                    f"(also {where})",
                    "keep one row for each indicator and period, or mark an external "
                    "figure validated with its source so that it replaces the council's own",
                )
                continue
            first_seen.setdefault(slot, (path, line))
            if own_row:
                own_given.add(slot)
            observations.setdefault(observation.indicator, {})[observation.period] = observation
        found.close()
    return observations


def _bare(row: Observation) -> bool:
    return (row.numerator, row.denominator, row.value) == (None, None, None)


def _on_counted(
    row: Observation, held: Observation, line: int, found: FileProblems
) -> Observation | None:
    """A data row for a figure counted from case records, given what is `held` for its
    period (the counted figure, or the external figure that replaced it): the council's
    status and note for the counted figure, or an external figure replacing it; figures of
    the council's own are a problem."""
    figures = not _bare(row)
    if row.external and not figures:
        return replace(held, note=row.note or held.note)
    if row.external:
        replacing = merge(held, row)
        if replacing is None:
            found.add(
                line,
                "status",
                f"{row.indicator} {row.period.code} is counted from the case records, and "
                f"{row.source}'s figure replaces it only when validated",
                "set its status to validated once it is, or leave the row out until then",
            )
        return replacing
    if figures:
        found.add(
            line,
            "numerator" if row.numerator is not None else "value",
            f"{row.indicator} {row.period.code} is counted from the case records in data/cases/",
            "remove the figures from this row: a row with only a status and a note sets those "
            "of the counted figure",
        )
        return None
    counted = held.replaced if held.external and held.replaced else held
    if row.status is Status.NOT_AVAILABLE:
        mine = replace(row, replaced=None)  # withheld, with the reason in its note
    else:
        status = counted.status if row.status is Status.NONE else row.status
        mine = replace(counted, status=status, note=row.note)
    return replace(held, replaced=mine) if held.external else mine


def merge(held: Observation, new: Observation) -> Observation | None:
    """The row to keep when two give the same period: a validated external figure over the
    council's own (remembering what it replaced); None when neither replaces the other."""
    for external, internal in ((new, held), (held, new)):
        if external.external and external.status is Status.VALIDATED and not internal.external:
            return replace(external, replaced=internal)
    return None


def read_benchmarks(
    paths: list[Path], catalogue: Catalogue, start_month: int, problems: Problems
) -> list[BenchmarkValue]:
    """Every benchmark row; a DfE code (`c`, `x`, …) or a blank is kept as "no value"."""
    values: list[BenchmarkValue] = []
    first_seen: dict[tuple[str, FinancialYear, str], int] = {}
    for path in paths:
        found = FileProblems(problems, path)
        for line, row in read_table(path, BENCHMARK_COLUMNS, BENCHMARK_COLUMNS, found):
            indicator = _known_indicator(row, line, catalogue, found)
            try:
                year = FinancialYear.parse(row["period"], start_month)
            except ValueError as exc:
                found.add(line, "period", str(exc), "write the financial year as e.g. 2009-10")
                continue
            area = row["area"].strip()
            if not area:
                found.add(line, "area", "is empty", "write the area's name, e.g. England")
                continue
            text = row["value"].strip()
            number: Decimal | None = None
            code = ""
            if text.lower() in BENCHMARK_CODES:
                code = text.lower()
            elif text:
                try:
                    number = parse_number(text)
                except ValueError as exc:
                    found.add(
                        line,
                        "value",
                        str(exc),
                        "write a number, leave it empty, or use a DfE code: "
                        + ", ".join(BENCHMARK_CODES),
                    )
                    continue
            if indicator is None:
                continue
            slot = (indicator, year, area)
            if slot in first_seen:
                found.add(
                    line,
                    "area",
                    f"{area} {indicator} {year.code} is given twice (also line {first_seen[slot]})",
                    "keep one row for each indicator, year and area",
                )
                continue
            first_seen[slot] = line
            values.append(BenchmarkValue(indicator, year, area, number, code, level=level_of(area)))
        found.close()
    return values


def level_of(area: str) -> Level:
    if area == "England":
        return Level.NATIONAL
    return Level.REGION if area in REGIONS else Level.LOCAL_AUTHORITY


def _observation(
    row: Row,
    line: int,
    catalogue: Catalogue,
    found: FileProblems,
    financial_year_start: int,
    computed: Mapping[Period, Observation] | None = None,
    uncounted: bool = False,
) -> Observation | None:
    """The row as an observation; a row for a figure `computed` from case records may
    give no figures (only its status and note)."""
    indicator_id = _known_indicator(row, line, catalogue, found)
    ok = indicator_id is not None
    period: Period | None = None
    if indicator_id is not None:
        grain = catalogue.indicators[indicator_id].grain
        try:
            period = grain.parse(row["period"], financial_year_start)
        except ValueError as exc:
            found.add(
                line,
                "period",
                str(exc),
                f"{indicator_id} has one row per {grain.value}: write it as {grain.written}, "
                f"e.g. {grain.example}",
            )
            ok = False
    numbers: dict[str, Decimal | None] = {}
    for column in ("numerator", "denominator", "value"):
        text = row.get(column, "").strip()
        if text.lower() in BENCHMARK_CODES:
            found.add(
                line,
                column,
                f"'{text}' is a DfE code, not a figure of the council's own",
                "leave the figures empty and set status to not available, with the reason in "
                "note (published papers withhold small counts themselves)",
            )
            ok = False
            continue
        try:
            numbers[column] = parse_number(text) if text else None
        except ValueError as exc:
            found.add(line, column, str(exc), "write a plain number such as 55 or 93.2 (no % sign)")
            ok = False
    status_text = row.get("status", "").strip().lower()
    status = _STATUSES.get(status_text)
    if status is None:
        choices = ["provisional", "validated", "not available"]
        found.add(
            line,
            "status",
            f"'{row.get('status')}' is not a status",
            did_you_mean(status_text, choices, otherwise="") + " (use provisional, validated, "
            "not available, or leave it empty)",
        )
        ok = False
    if not ok or indicator_id is None or status is None or period is None:
        return None
    indicator = catalogue.indicators[indicator_id]
    bare = all(n is None for n in numbers.values()) and (uncounted or period in (computed or {}))
    if not bare and not _numbers_fit(indicator, numbers, status, line, found):
        return None
    return Observation(
        indicator=indicator_id,
        period=period,
        numerator=numbers["numerator"],
        denominator=numbers["denominator"],
        value=numbers["value"],
        status=status,
        note=row.get("note", "").strip(),
        source=row.get("source", "").strip(),
    )


def _numbers_fit(
    indicator: Indicator,
    numbers: dict[str, Decimal | None],
    status: Status,
    line: int,
    found: FileProblems,
) -> bool:
    """Whether a row's numbers make sense for its indicator; adds a problem where not."""
    numerator, denominator, value = numbers["numerator"], numbers["denominator"], numbers["value"]
    counts = numerator is not None or denominator is not None
    name = indicator.id
    if status is Status.NOT_AVAILABLE:
        if counts or value is not None:
            found.add(
                line,
                "status",
                "a row marked not available has figures",
                "remove the figures or the status",
            )
            return False
        return True
    negative = [column for column, n in numbers.items() if n is not None and n < 0]
    if negative:
        found.add(
            line,
            negative[0],
            f"{numbers[negative[0]]} is below zero",
            "counts and values cannot be below zero: check the sign",
        )
        return False
    # Children and cases are whole; an average's denominator may not be (caseloads per
    # full-time-equivalent worker: 17.5 workers), nor its numerator (days, weeks).
    counted = {
        "numerator": indicator.unit in (Unit.PERCENT, Unit.RATE_PER_10K),
        "denominator": indicator.unit is Unit.PERCENT,
        "value": indicator.unit is Unit.COUNT,
    }
    fractions = [
        column
        for column, n in numbers.items()
        if n is not None and counted[column] and n != n.to_integral_value()
    ]
    if fractions:
        found.add(
            line,
            fractions[0],
            f"{numbers[fractions[0]]} is not a whole number, and {name} counts children or cases",
            "write the count as a whole number",
        )
        return False
    if counts and value is not None:
        found.add(
            line,
            "value",
            "the row gives both counts and a value",
            "give either numerator and denominator, or value, not both",
        )
        return False
    if counts and (numerator is None or denominator is None):
        missing = "denominator" if denominator is None else "numerator"
        found.add(line, missing, "is empty", f"give both numerator and denominator for {name}")
        return False
    if not counts and value is None:
        found.add(
            line,
            "value",
            "the row has no figures",
            "give numerator and denominator, or value, or set status to not available with a note",
        )
        return False
    adds_up = indicator.measure is Measure.FLOW and indicator.grain is not Grain.YEAR
    if indicator.unit.is_ratio and adds_up and not counts:
        found.add(
            line,
            "value",
            f"{name} adds up its periods from counts (a {indicator.unit.value} flow)",
            "give numerator and denominator instead of value, or set `measure: snapshot` "
            "in its catalogue entry",
        )
        return False
    if not indicator.unit.is_ratio and counts:
        found.add(
            line, "numerator", f"{name} is a {indicator.unit.value}", "give the figure in value"
        )
        return False
    if (
        indicator.unit is Unit.PERCENT
        and numerator is not None
        and denominator is not None
        and numerator > denominator
    ):
        found.add(
            line,
            "numerator",
            f"{numerator} of {denominator} is more than 100%",
            "check the numerator and denominator are the right way round",
        )
        return False
    return True


def _known_indicator(row: Row, line: int, catalogue: Catalogue, found: FileProblems) -> str | None:
    indicator_id = row["indicator"].strip()
    if indicator_id in catalogue.indicators:
        return indicator_id
    if indicator_id in catalogue.broken:
        return None  # its catalogue entry has problems of its own, already reported
    if not indicator_id:
        found.add(
            line, "indicator", "is empty", "write the indicator's id from config/indicators.yaml"
        )
    else:
        fix = did_you_mean(
            indicator_id, catalogue.indicators, otherwise="add it to config/indicators.yaml"
        )
        found.add(line, "indicator", f"'{indicator_id}' is not in the indicator catalogue", fix)
    return None
