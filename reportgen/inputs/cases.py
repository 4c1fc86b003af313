"""Counting the catalogue's `cases:` indicators from the case-level extract in data/cases/,
into the same observations typed data give.

The tables are read and checked by `reportgen.inputs.case_tables`: a record with a date
after the extract date is a warning, counted, and left out of every figure. The figures
are kept in PROJECT/.cache/reportgen/ by the content of the files and the rules, so an
unchanged extract is not read again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from reportgen.cache import Cache
from reportgen.cases.calendar import HOLIDAYS_VERSION, bank_holidays
from reportgen.cases.compute import Context, Counted, Explained, explain, figures
from reportgen.domain.cases import CaseSettings
from reportgen.domain.model import Indicator, Observation, Status, Unit
from reportgen.domain.periods import FinancialYear, Grain, Month, Period, parse_period
from reportgen.errors import (
    Problem,
    Problems,
    project_path,
)
from reportgen.inputs.case_tables import ANNEX_A_FILE, case_files, read_tables
from reportgen.inputs.digests import digest_of
from reportgen.store import keep_quietly
from reportgen.version import __version__

CACHE_NAME = "cases-"  # figures kept in PROJECT/.cache/reportgen/ as cases-<key>.json
_CONFIG = "config/authority.yaml"


@dataclass(frozen=True)
class CaseFigures:
    """Observations counted from case records by indicator, and the warnings found."""

    observations: dict[str, dict[Period, Observation]]
    warnings: tuple[Problem, ...] = ()


def count_cases(
    root: Path,
    settings: CaseSettings | None,
    indicators: Mapping[str, Indicator],
    start_month: int,
    problems: Problems,
    *,
    la_code: str = "",
    cache: Cache | None = None,
    keep_in: Path | None = None,
) -> CaseFigures:
    """Every `cases:` indicator's observations, each period from the first month to the
    last whole month of the extract; problems with the records go to `problems`."""
    ruled = {i.id: i for i in indicators.values() if i.cases is not None}
    files = case_files(root)
    if not ruled and not files:
        return CaseFigures({})
    if settings is None:
        problems.add(
            _CONFIG,
            None,
            "case_records",
            "is missing: indicators are counted from case records"
            if ruled
            else "is missing, and data/cases/ holds case records",
            "add `case_records:` with at least `extract_date:` (the day the extract was taken)",
        )
        return CaseFigures({})
    cache = cache if cache is not None else Cache()
    read = list(files)
    if settings.population_from_dfe and any(i.unit is Unit.RATE_PER_10K for i in ruled.values()):
        read += _dfe_files(root)  # the population estimate is read from one of them
    digests = {project_path(p, root): digest_of(p, cache)[0] for p in read}
    key = _key(digests, ruled, settings, start_month, la_code)
    kept = cache.get("cases", key) or _load_kept(keep_in, key)
    if kept is not None:
        cache.put("cases", key, kept, 50_000)
        return kept
    found, warnings = Problems(), Problems()
    tables = read_tables(root, files, settings, ruled, found, warnings)
    population = _population(root, settings, la_code, ruled, start_month, found)
    observations: dict[str, dict[Period, Observation]] = {}
    errors = found.items
    if not errors:
        for indicator in ruled.values():
            rule = indicator.cases
            assert rule is not None
            if rule.table not in tables:
                continue
            context = _context(indicator, settings, start_month, population, tables[rule.table])
            periods = _periods(indicator, settings, tables[rule.table], start_month)
            counted = figures(rule, tables[rule.table], periods, context)
            observations[indicator.id] = {
                period: _observation(indicator, period, figure, settings, start_month)
                for period, figure in counted.items()
            }
    problems.extend(errors)
    result = CaseFigures(observations, tuple(warnings.items))
    if not errors:
        cache.put("cases", key, result, 50_000)
        _keep(keep_in, key, result, start_month)
    return result


def explain_figure(
    root: Path,
    settings: CaseSettings | None,
    indicator: Indicator,
    period: Period,
    start_month: int,
    la_code: str = "",
) -> Explained:
    """How one period of one `cases:` indicator was counted. Raises InputError."""
    problems = Problems()
    rule = indicator.cases
    assert rule is not None and settings is not None
    files = [p for p in case_files(root) if p.stem == rule.table or ANNEX_A_FILE.fullmatch(p.stem)]
    ruled = {indicator.id: indicator}
    tables = read_tables(root, files, settings, ruled, problems, Problems())
    population = _population(root, settings, la_code, ruled, start_month, problems)
    problems.raise_if_any()  # a table missing or in error is among them
    table = tables[rule.table]
    context = _context(indicator, settings, start_month, population, table)
    return explain(rule, table, period, context)


# --- periods, populations and observations ---------------------------------------------


def _periods(
    indicator: Indicator, settings: CaseSettings, table: pd.DataFrame, start: int
) -> list[Period]:
    """The periods counted: from the rule's (or the extract's) first month, or the month
    of the earliest record, to the last whole month of the extract."""
    rule = indicator.cases
    assert rule is not None
    first = rule.first or settings.first
    if first is None:
        column = rule.in_period or rule.open_from
        earliest = table[column].min()
        if pd.isna(earliest):
            return []
        first = Month(earliest.year, earliest.month)
    return indicator.grain.periods(first, settings.last, start)


def _population(
    root: Path,
    settings: CaseSettings,
    la_code: str,
    ruled: Mapping[str, Indicator],
    start: int,
    problems: Problems,
) -> dict[FinancialYear, Decimal]:
    """Children 0 to 17 by financial year: the council's own, else the DfE's estimate for
    the authority; a year with neither takes the latest before it."""
    rates = [i for i in ruled.values() if i.unit is Unit.RATE_PER_10K]
    if not rates:
        return {}
    given = dict(settings.population)
    if settings.population_from_dfe:
        given = {**_dfe_population(root, la_code, problems), **given}
    if not given:
        problems.add(
            _CONFIG,
            None,
            "case_records.population",
            f"{rates[0].id} is a rate per 10,000 children, and no child population is given",
            "add `population: dfe` (the DfE file's estimate) or the number of children, "
            "e.g. `population: 60452`",
        )
        return {}
    years = sorted(given)
    last = settings.last.financial_year(start)
    filled: dict[FinancialYear, Decimal] = {}
    year, held = years[0], given[years[0]]
    while year <= last:
        held = given.get(year, held)
        filled[year] = held
        year = FinancialYear(year.start_year + 1, year.start_month)
    return filled


def _dfe_files(root: Path) -> list[Path]:
    folder = root / "data" / "dfe"
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


def _dfe_population(root: Path, la_code: str, problems: Problems) -> dict[FinancialYear, Decimal]:
    """The DfE's child population estimate for the authority, by the year it ends."""
    for path in _dfe_files(root):
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline()
        if "population_estimate" not in header or "old_la_code" not in header:
            continue
        frame = pd.read_csv(
            path,
            dtype=str,
            usecols=["time_period", "old_la_code", "population_estimate"],
            keep_default_na=False,
        )
        own = frame[(frame["old_la_code"] == la_code) & frame["population_estimate"].str.isdigit()]
        found: dict[FinancialYear, Decimal] = {}
        for period, estimate in zip(own["time_period"], own["population_estimate"], strict=True):
            ending = int(period[:4]) if len(period) == 4 else int(period[:4]) + 1
            found[FinancialYear(ending - 1, 4)] = Decimal(estimate)
        if found:
            return found
    problems.add(
        _CONFIG,
        None,
        "case_records.population",
        f"no DfE file in data/dfe/ gives a population estimate for la_code {la_code or '(none)'}",
        "give the number of children yourself, e.g. `population: 60452`",
    )
    return {}


def _context(
    indicator: Indicator,
    settings: CaseSettings,
    start: int,
    population: dict[FinancialYear, Decimal],
    table: pd.DataFrame,
) -> Context:
    years = {settings.extract_date.year + 1}
    for column in indicator.cases.dates if indicator.cases else ():
        if column in table and table[column].notna().any():
            years |= set(range(table[column].min().year, table[column].max().year + 2))
    return Context(
        indicator.unit,
        indicator.grain,
        start,
        bank_holidays(years, settings.bank_holidays),
        population,
    )


def _observation(
    indicator: Indicator, period: Period, figure: Counted, settings: CaseSettings, start: int
) -> Observation:
    validated = settings.validated_to is not None and period.last <= settings.validated_to
    if not figure.available:
        note = (
            "no child population for the year"
            if indicator.unit is Unit.RATE_PER_10K
            else "no case records to count in the period"
        )
        return Observation(indicator.id, period, status=Status.NOT_AVAILABLE, note=note)
    return Observation(
        indicator.id,
        period,
        numerator=figure.numerator,
        denominator=figure.denominator,
        value=figure.value,
        status=Status.VALIDATED if validated else Status.PROVISIONAL,
        source="",
    )


# --- kept between runs -----------------------------------------------------------------


def _key(
    digests: dict[str, str],
    ruled: Mapping[str, Indicator],
    settings: CaseSettings,
    start: int,
    la_code: str,
) -> str:
    """What the figures depend on: the files' content, the rules, the settings."""
    text = json.dumps(
        [
            __version__,
            sorted(digests.items()),
            sorted((i, repr((ind.cases, ind.unit, ind.grain))) for i, ind in ruled.items()),
            repr(settings),
            start,
            la_code,
            HOLIDAYS_VERSION,  # a new release of the holiday tables counts again
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _keep(folder: Path | None, key: str, result: CaseFigures, start: int) -> None:
    if folder is None:
        return
    data = {
        "observations": {
            indicator: [
                [
                    o.period.code,
                    *(None if n is None else str(n) for n in (o.numerator, o.denominator, o.value)),
                    o.status.value,
                    o.note,
                ]
                for o in by_period.values()
            ]
            for indicator, by_period in result.observations.items()
        },
        "warnings": [[p.file, p.line, p.key, p.what, p.fix] for p in result.warnings],
        "start": start,
    }
    keep_quietly(folder / f"{CACHE_NAME}{key}.json", json.dumps(data).encode())


def _load_kept(folder: Path | None, key: str) -> CaseFigures | None:
    """The figures kept by an earlier run, or None; plain JSON read as data and checked."""
    if folder is None:
        return None
    try:
        data = json.loads((folder / f"{CACHE_NAME}{key}.json").read_bytes())
        start = int(data["start"])
        observations: dict[str, dict[Period, Observation]] = {}
        for indicator, rows in data["observations"].items():
            held = observations.setdefault(str(indicator), {})
            for code, numerator, denominator, value, status, note in rows:
                period = _parse_period(str(code), start)
                held[period] = Observation(
                    str(indicator),
                    period,
                    _number(numerator),
                    _number(denominator),
                    _number(value),
                    status=Status(status),
                    note=str(note),
                )
        warnings = tuple(
            Problem(str(f), None if line is None else int(line), str(k), str(w), str(x))
            for f, line, k, w, x in data["warnings"]
        )
    except (OSError, ValueError, TypeError, KeyError, ArithmeticError):
        return None
    return CaseFigures(observations, warnings)


def _number(text: object) -> Decimal | None:
    return None if text is None else Decimal(str(text))


def _parse_period(code: str, start: int) -> Period:
    return parse_period(code, Grain.MONTH, start)
