"""Reading DfE open-data files as downloaded, and the DfE statistical-neighbour model.

Each catalogue entry with a `dfe:` mapping selects its rows from one file by filter
columns. Everything is read by column name (the DfE's column order differs between files).
What one mapping extracts from one file is cached by the file's content and the mapping,
so a rebuild after a narrative edit does not read the files again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from reportgen.cache import Cache
from reportgen.domain.model import BenchmarkValue, DfeSource, Indicator, Level
from reportgen.domain.numbers import parse_number
from reportgen.domain.periods import FinancialYear, Month
from reportgen.errors import InputError, Problems, did_you_mean, display_path
from reportgen.inputs.catalogue import Catalogue
from reportgen.inputs.digests import digest_of
from reportgen.inputs.textfile import table_text
from reportgen.results.figures import BENCHMARK_CODES
from reportgen.results.lait import Population
from reportgen.store import keep_quietly

CACHE_VERSION = "dfe-5"
_LEVELS = {level.value: level for level in Level}
_DOWNLOAD_AGAIN = "download the file again from the DfE (explore-education-statistics) as it is"
_PLACE_COLUMNS = ("time_period", "geographic_level", "old_la_code", "la_name", "region_name")
# The parts of a region the DfE files also give figures for: LAIT shows an Inner or Outer
# London borough's part as its region, falling back to London where there is no figure.
_REGION_PARTS = {"London": ("Inner London", "Outer London")}


@dataclass(frozen=True)
class ModelEntry:
    """One authority in the DfE statistical-neighbour model."""

    code: str
    name: str
    region: str
    neighbours: tuple[str, ...]  # DfE codes, closest first


def read_model(path: Path, problems: Problems, cache: Cache | None = None) -> dict[str, ModelEntry]:
    """The statistical-neighbour model by DfE code (`old_la_code`)."""
    digest, content = digest_of(path, cache)
    kept: dict[str, ModelEntry] | None = cache.get("dfe model", digest) if cache else None
    if kept is not None:
        return kept
    table = _Table.parse(path, content or path.read_bytes(), problems)
    if table is None:
        return {}
    needed = ["old_la_code", "la_name", "region_name", *(f"SN_{n}" for n in range(1, 11))]
    missing = [column for column in needed if column not in table.index]
    if missing:
        problems.add(
            path,
            1,
            missing[0],
            "column is missing: this is not the DfE statistical neighbour model",
            "use the DfE's sn_model_*_wide.csv file as downloaded",
        )
        return {}
    model = {}
    for row in table.rows:
        code = table.cell(row, "old_la_code")
        neighbours = tuple(
            c for n in range(1, 11) if (c := table.cell(row, f"SN_{n}")) and c != code
        )
        model[code] = ModelEntry(
            code, table.cell(row, "la_name"), table.cell(row, "region_name"), neighbours
        )
    return cache.put("dfe model", digest, model, 300 * len(model)) if cache else model


@dataclass(frozen=True)
class Series:
    """One indicator's published figures: the rows of the areas kept (the council, its
    neighbours, its region and the region's parts) and England, by year; and every local
    authority's value by year, sorted, for ranks and quartile bands among them all, with
    the denominators of those suppressed (a `Population`)."""

    rows: list[BenchmarkValue]
    populations: dict[FinancialYear, tuple[Decimal, ...]]  # each a Population


def read_dfe(
    folder: Path,
    catalogue: Catalogue,
    problems: Problems,
    financial_year_start: int = 4,
    folder_cache: Path | None = None,
    keep: frozenset[str] = frozenset(),
    cache: Cache | None = None,
) -> dict[str, Series]:
    """Every mapped indicator's figures by indicator id. `keep` holds the DfE codes of the
    authorities, and the name of the region, whose rows are wanted (England always is).

    Problems name the catalogue entry: an unknown file, column or filter value, filters
    that select no rows, or several rows for one area and year. What is extracted is kept
    in `folder_cache` (JSON files) and in `cache`, by file content and mapping.
    """
    by_file: dict[str, list[Indicator]] = {}
    for indicator in catalogue.indicators.values():
        if indicator.dfe is not None:
            by_file.setdefault(indicator.dfe.file, []).append(indicator)
    available = sorted(p.name for p in folder.glob("*.csv")) if folder.is_dir() else []
    values: dict[str, Series] = {}
    for name, indicators in sorted(by_file.items()):
        path = folder / name
        if name not in available:
            for indicator in indicators:
                file, line, key = catalogue.locate(indicator.id, "dfe", "file")
                fix = did_you_mean(
                    name,
                    available,
                    otherwise="put the file, as downloaded, in data/dfe/"
                    + (f" (files there: {', '.join(available)})" if available else ""),
                )
                problems.add(file, line, key, f"{indicator.id}: no DfE file '{name}'", fix)
            continue
        digest, content = digest_of(path, cache)
        table: _Table | None = None
        for indicator in indicators:
            assert indicator.dfe is not None
            spec = indicator.dfe
            key = _cache_key(digest, indicator, financial_year_start, keep)
            cached = (cache.get("dfe", key) if cache else None) or _load_cache(folder_cache, key)
            if cached is not None:
                values[indicator.id] = _remember(cache, key, cached)
                continue
            if table is None:
                table = _Table.parse(path, content or path.read_bytes(), problems)
                if table is None:
                    break
            extracted = _Extraction(table, indicator, spec, catalogue, problems).run(
                financial_year_start, keep
            )
            if extracted is not None:
                values[indicator.id] = _remember(cache, key, extracted)
                _store_cache(folder_cache, key, extracted)
    return values


@dataclass
class _Table:
    """A DfE CSV held as rows of cells, with the column index by name."""

    path: Path
    index: dict[str, int]
    rows: list[list[str]]
    lines: dict[int, int]  # the file's line of each row, by the row's id
    _groups: dict[tuple[str, ...], dict[tuple[str, ...], list[list[str]]]] = field(
        default_factory=dict
    )

    @classmethod
    def parse(cls, path: Path, content: bytes, problems: Problems) -> _Table | None:
        """The table, or None with the reason (at its line) when the file is damaged: not
        UTF-8 text, not CSV, or a line whose values do not match the heading line."""
        try:
            text = table_text(content, display_path(path))
        except InputError as exc:
            problem = exc.problems[0]
            problems.add(path, problem.line, "", problem.what, _DOWNLOAD_AGAIN)
            return None
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        rows, lines = [], {}
        line = 1
        try:
            header = next(reader, [])
            line = reader.line_num + 1
            for row in reader:
                if row:
                    if len(row) != len(header):
                        problems.add(
                            path,
                            line,
                            "",
                            f"has {len(row)} values but the heading line has {len(header)}: "
                            "the file is damaged or was changed",
                            _DOWNLOAD_AGAIN,
                        )
                        return None
                    rows.append(row)
                    lines[id(row)] = line
                line = reader.line_num + 1
        except csv.Error as exc:
            problems.add(path, line, "", f"cannot be read as CSV ({exc})", _DOWNLOAD_AGAIN)
            return None
        return cls(path, {name.strip(): i for i, name in enumerate(header)}, rows, lines)

    def line_of(self, row: list[str]) -> int | None:
        return self.lines.get(id(row))

    def cell(self, row: list[str], column: str) -> str:
        i = self.index[column]
        return row[i].strip() if i < len(row) else ""

    def values_of(self, column: str) -> list[str]:
        return sorted(key[0] for key in self.grouped((column,)))

    def grouped(self, columns: tuple[str, ...]) -> dict[tuple[str, ...], list[list[str]]]:
        """The rows by their values in `columns`, worked out once per set of columns (many
        indicators select from one file by the same filter columns)."""
        if columns not in self._groups:
            groups: dict[tuple[str, ...], list[list[str]]] = {}
            for row in self.rows:
                groups.setdefault(tuple(self.cell(row, c) for c in columns), []).append(row)
            self._groups[columns] = groups
        return self._groups[columns]


@dataclass
class _Extraction:
    """One catalogue entry's rows out of one DfE table."""

    table: _Table
    indicator: Indicator
    spec: DfeSource
    catalogue: Catalogue
    problems: Problems
    ok: bool = True

    def add(self, keys: tuple[str, ...], what: str, fix: str) -> None:
        file, line, key = self.catalogue.locate(self.indicator.id, "dfe", *keys)
        self.problems.add(file, line, key, f"{self.indicator.id}: {what}", fix)
        self.ok = False

    def run(self, start: int, keep: frozenset[str]) -> Series | None:
        table, spec = self.table, self.spec
        name = table.path.name
        columns = list(table.index)
        missing = [column for column in _PLACE_COLUMNS if column not in table.index]
        if missing:
            self.problems.add(
                table.path,
                1,
                "",
                f"has no column '{missing[0]}': it is not a DfE local authority file, or it "
                "is damaged",
                _DOWNLOAD_AGAIN,
            )
            return None
        for field_name in ("value", "numerator", "denominator"):
            column = getattr(spec, field_name)
            if column and column not in table.index:
                fix = did_you_mean(column, columns, otherwise=f"columns: {', '.join(columns)}")
                self.add((field_name,), f"{name} has no column '{column}'", fix)
        for column, wanted in spec.filters:
            if column not in table.index:
                fix = did_you_mean(column, columns, otherwise=f"columns: {', '.join(columns)}")
                self.add(("filters", column), f"{name} has no column '{column}'", fix)
                continue
            present = table.values_of(column)
            if wanted not in present:
                fix = did_you_mean(wanted, present, otherwise=f"values: {'; '.join(present[:12])}")
                self.add(
                    ("filters", column),
                    f"no row of {name} has {column} '{wanted}'",
                    fix,
                )
        if not self.ok:
            return None
        filtered = tuple(column for column, _ in spec.filters)
        wanted_values = tuple(wanted for _, wanted in spec.filters)
        selected = table.grouped(filtered).get(wanted_values, []) if filtered else table.rows
        if not selected:
            self.add(
                ("filters",),
                f"the filters select no rows of {name}",
                "check the filter values together",
            )
            return None
        return self._values(selected, start, keep)

    def _values(self, rows: list[list[str]], start: int, keep: frozenset[str]) -> Series | None:
        table, spec = self.table, self.spec
        seen: dict[tuple[str, str, str], list[str]] = {}
        values = []
        populations: dict[FinancialYear, list[Decimal]] = {}
        suppressed: dict[FinancialYear, list[Decimal | None]] = {}
        years: dict[str, FinancialYear] = {}
        bad_cells = 0
        for row in rows:
            level = _LEVELS.get(table.cell(row, "geographic_level"))
            if level is None:
                continue  # other geographies (e.g. local authority districts) are not compared
            period = table.cell(row, "time_period")
            code = table.cell(row, "old_la_code") if level is Level.LOCAL_AUTHORITY else ""
            area = {
                Level.LOCAL_AUTHORITY: table.cell(row, "la_name"),
                Level.REGION: table.cell(row, "region_name"),
                Level.NATIONAL: "England",
            }[level]
            slot = (period, level.value, code or area)
            if slot in seen:
                self._duplicates(area, period, [seen[slot], row])
                return None
            seen[slot] = row
            if not (len(period) == 4 and period.isdigit()):
                self.problems.add(
                    table.path,
                    table.line_of(row),
                    "time_period",
                    f"'{period}' is not a year such as 2024",
                    "use a DfE file with one row per year, as downloaded",
                )
                return None
            if period not in years:  # one object per year, which the cache stores once
                years[period] = Month(int(period), spec.time_period_month).financial_year(start)
            year = years[period]
            numbers = {}
            for field_name in ("value", "numerator", "denominator"):
                column = getattr(spec, field_name)
                text = table.cell(row, column) if column else ""
                parsed = _dfe_number(text)
                if parsed is None:
                    bad_cells += 1
                    if bad_cells == 1:  # one is enough: a column of words is mapped wrongly
                        self.problems.add(
                            table.path,
                            table.line_of(row),
                            column,
                            f"'{text[:40]}' ({area} {period}) is neither a number nor a DfE code",
                            f"check the file is as the DfE published it, and that "
                            f"{self.indicator.id}'s dfe.{field_name} in the catalogue names a "
                            "column of numbers",
                        )
                        self.ok = False
                    continue
                numbers[field_name] = parsed
            if len(numbers) < 3:
                continue
            value, symbol = numbers["value"]
            if level is Level.LOCAL_AUTHORITY:
                if value is not None:
                    populations.setdefault(year, []).append(value)
                elif symbol == "c":
                    suppressed.setdefault(year, []).append(numbers["denominator"][0])
                if code not in keep:
                    continue
            values.append(
                BenchmarkValue(
                    indicator=self.indicator.id,
                    year=year,
                    area=area,
                    value=value,
                    code=symbol,
                    la_code=code,
                    level=level,
                    numerator=numbers["numerator"][0],
                    denominator=numbers["denominator"][0],
                    region=table.cell(row, "region_name") if code else "",
                )
            )
        if not self.ok:
            return None
        # Of the regions, only the authority's own and its parts: papers compare with it
        # and England.
        regions = {*keep, *(part for name in keep for part in _REGION_PARTS.get(name, ()))}
        values = [v for v in values if v.level is not Level.REGION or v.area in regions]
        return Series(
            values,
            {year: Population(v, suppressed.get(year, ())) for year, v in populations.items()},
        )

    def _duplicates(self, area: str, period: str, rows: list[list[str]]) -> None:
        measures = {self.spec.value, self.spec.numerator, self.spec.denominator}
        differ = [
            column
            for column in self.table.index
            if column not in measures and len({self.table.cell(row, column) for row in rows}) > 1
        ]
        self.add(
            ("filters",),
            f"the filters select several rows of {self.table.path.name} for {area} {period}",
            f"add a filter on {' or '.join(differ[:3]) or 'another column'}",
        )


def _dfe_number(text: str) -> tuple[Decimal | None, str] | None:
    """(value, DfE code) of a cell: a number, a code such as `c`, or empty; None if neither."""
    cleaned = text.strip()
    if not cleaned:
        return None, ""
    if cleaned.lower() in BENCHMARK_CODES:
        return None, cleaned.lower()
    try:
        return parse_number(cleaned), ""
    except ValueError:
        return None


def _remember(cache: Cache | None, key: str, series: Series) -> Series:
    """Keeps an extraction for the next build in this process (a service, a rebuild)."""
    return cache.put("dfe", key, series, 500 * len(series.rows)) if cache else series


def _cache_key(digest: str, indicator: Indicator, start: int, keep: frozenset[str]) -> str:
    spec = (CACHE_VERSION, digest, indicator.id, indicator.dfe, start, sorted(keep))
    return hashlib.sha256(repr(spec).encode()).hexdigest()[:32]


def _load_cache(folder: Path | None, key: str) -> Series | None:
    """A cached extraction, or None when absent or unreadable (it is then made again).

    The cache is plain JSON, read as data: a file planted in it can at worst give wrong
    figures until the DfE file changes, never run code."""
    if folder is None:
        return None
    try:
        data = json.loads((folder / f"{key}.json").read_bytes())
        years: dict[str, FinancialYear] = {}

        def year(code: str) -> FinancialYear:
            if code not in years:
                first, _, month = code.partition("@")
                years[code] = FinancialYear(int(first), int(month))
            return years[code]

        rows = [
            BenchmarkValue(
                indicator,
                year(code),
                area,
                _decimal(value),
                symbol,
                la_code,
                Level(level),
                _decimal(numerator),
                _decimal(denominator),
                region,
            )
            for (
                indicator, code, area, value, symbol, la_code, level, numerator, denominator,
                region,
            ) in data["rows"]
        ]  # fmt: skip
        suppressed = data["suppressed"]
        populations: dict[FinancialYear, tuple[Decimal, ...]] = {
            year(code): Population(
                (Decimal(v) for v in values), (_decimal(d) for d in suppressed.get(code, ()))
            )
            for code, values in data["populations"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, ArithmeticError):
        return None
    return Series(rows, populations)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _text(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


def _store_cache(folder: Path | None, key: str, values: Series) -> None:
    """Keeps an extraction; a cache that cannot be written only costs time next run."""
    if folder is None:
        return
    data = {
        "rows": [
            [row.indicator, f"{row.year.start_year}@{row.year.start_month}", row.area,
             _text(row.value), row.code, row.la_code, row.level.value,
             _text(row.numerator), _text(row.denominator), row.region]
            for row in values.rows
        ],
        "populations": {
            f"{year.start_year}@{year.start_month}": [str(v) for v in population]
            for year, population in values.populations.items()
        },
        "suppressed": {
            f"{year.start_year}@{year.start_month}": [_text(d) for d in population.suppressed]
            for year, population in values.populations.items()
            if isinstance(population, Population)
        },
    }  # fmt: skip
    keep_quietly(folder / f"{key}.json", json.dumps(data, separators=(",", ":")).encode())
