"""Reading the tables of the case-level extract in data/cases/: each file (`episodes.csv`,
`assessments.xlsx`) one table, or an Ofsted Annex A workbook (`annex-a.xlsx`) whose List 3,
4, 5, 7 and 8 sheets are tables.

Columns are renamed from the council's own names where config maps them (Annex A's
headings by ANNEX_A), dates read (YYYY-MM-DD or DD/MM/YYYY), and every record checked: a
missing column, a date that is not one, an end before its start, a child and episode given
twice, or a record with no child are errors at their file, line and column; a date after
the extract date is a warning, and its record is marked left out (`left_out`). What is
counted from the tables is `reportgen.inputs.cases`.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from reportgen.cases.shapes import ANNEX_A, SHAPES, Shape
from reportgen.domain.cases import CaseSettings
from reportgen.domain.model import Indicator
from reportgen.errors import InputError, Problems, did_you_mean, display_path
from reportgen.inputs.tables import FileProblems
from reportgen.inputs.textfile import table_text, unpacks_too_large

FOLDER = Path("data") / "cases"
MAX_BYTES = 500_000_000  # a case extract larger than this is not one council's
LEFT_OUT_FUTURE = "a date after the extract date"
ANNEX_A_FILE = re.compile(r"annex[-_ ]?a", re.IGNORECASE)  # the stem of an Annex A workbook
_LIST = re.compile(r"\s*list\s*(\d+)\b", re.IGNORECASE)  # its sheets: "List 4", "List 4 - …"


@dataclass(frozen=True)
class _Source:
    """One table as a file gives it: where its problems are reported (the file, or the
    workbook and sheet), its columns' names (reportgen's name: the file's), and its cells
    when already read (a workbook's sheet)."""

    where: Path
    shape: Shape
    renamed: dict[str, str]
    annex_a: bool = False
    frame: pd.DataFrame | None = None


def case_files(root: Path) -> list[Path]:
    """The case record files, in name order (Excel lock files left out)."""
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in (".csv", ".xlsx") and not p.name.startswith(("~$", "."))
    )


def read_tables(
    root: Path,
    files: list[Path],
    settings: CaseSettings,
    ruled: Mapping[str, Indicator],
    problems: Problems,
    warnings: Problems,
) -> dict[str, pd.DataFrame]:
    """Each table read and checked, by name; a table with errors is left out. Records
    with a date after the extract date are warnings, left out of every figure."""
    needed: dict[str, list[str]] = {}
    for indicator in ruled.values():
        assert indicator.cases is not None
        needed.setdefault(indicator.cases.table, []).extend(indicator.cases.columns)
    tables: dict[str, pd.DataFrame] = {}
    seen: dict[str, Path] = {}
    for path in files:
        for source in _sources(path, settings, problems):
            name = source.shape.name
            if name in seen:
                problems.add(
                    source.where,
                    None,
                    "",
                    f"gives the {name} table again (also {seen[name].name})",
                    "keep one file (or Annex A sheet) for each table",
                )
                continue
            seen[name] = source.where
            table = _read(source, settings, needed.get(name, []), problems, warnings)
            if table is not None:
                tables[name] = table
    for indicator in ruled.values():
        assert indicator.cases is not None
        table_name = indicator.cases.table
        if table_name not in seen:
            problems.add(
                root / FOLDER,
                None,
                "",
                f"has no {table_name} table, which {indicator.id} is counted from",
                f"add {table_name}.csv (or .xlsx), as the {SHAPES[table_name].source} gives it"
                + "".join(
                    f", or Annex A's List {number} in annex-a.xlsx"
                    for number, (name, _) in ANNEX_A.items()
                    if name == table_name
                ),
            )
    return tables


def _sources(path: Path, settings: CaseSettings, problems: Problems) -> list[_Source]:
    """The tables a file gives: itself, named after its table; or an Annex A workbook's
    List sheets, with Annex A's headings (config's `columns:` for a table win)."""
    if not ANNEX_A_FILE.fullmatch(path.stem):
        shape = SHAPES.get(path.stem)
        if shape is not None:
            return [_Source(path, shape, settings.renamed(shape.name))]
        problems.add(
            path,
            None,
            "",
            f"'{path.stem}' is not a table of case records reportgen reads",
            did_you_mean(path.stem, SHAPES, otherwise="name it after its table: ")
            or "rename it after its table: "
            + ", ".join(f"{n}.csv" for n in SHAPES)
            + ", or annex-a.xlsx for Ofsted's Annex A lists",
        )
        return []
    try:
        if path.suffix.lower() != ".xlsx":
            raise _Unreadable(
                "is named as an Annex A workbook but is not an Excel workbook (.xlsx)",
                "give the Annex A lists as the .xlsx workbook Ofsted's template is",
            )
        # Only the lists counted from: not contacts, early help, children in need, …
        sheets = _excel(_content(path), lambda names: [n for n in names if _annex_list(n)])
    except _Unreadable as exc:
        problems.add(path, exc.line, "", str(exc), exc.fix)
        return []
    sources = []
    for sheet, frame in sheets.items():
        table, headings = ANNEX_A[_annex_list(sheet)]
        renamed = {**headings, **settings.renamed(table)}
        where = path.parent / f"{path.name} ({sheet})"
        sources.append(_Source(where, SHAPES[table], renamed, True, frame))
    if not sources:
        problems.add(
            path,
            None,
            "",
            "has no sheet of the Annex A lists reportgen reads "
            f"({', '.join(f'List {n}' for n in ANNEX_A)})",
            "name each list's sheet as Ofsted's template does: List 4, or List 4 Assessments",
        )
    return sources


def _annex_list(sheet: str) -> int:
    """The number of the Annex A list a sheet holds, if reportgen reads it; else 0."""
    listed = _LIST.match(sheet)
    number = int(listed.group(1)) if listed else 0
    return number if number in ANNEX_A else 0


def _read(
    source: _Source,
    settings: CaseSettings,
    needed: list[str],
    problems: Problems,
    warnings: Problems,
) -> pd.DataFrame | None:
    found = FileProblems(problems, source.where)
    try:
        frame = _frame(source.where) if source.frame is None else source.frame
    except _Unreadable as exc:
        found.add(exc.line, "", str(exc), exc.fix)
        return None
    table = _checked(frame, source, settings, needed, found, warnings)
    found.close()
    return table


class _Unreadable(Exception):
    def __init__(self, what: str, fix: str, line: int | None = None) -> None:
        super().__init__(what)
        self.fix, self.line = fix, line


def _content(path: Path) -> bytes:
    if path.stat().st_size > MAX_BYTES:
        raise _Unreadable(
            f"is larger than {MAX_BYTES // 1_000_000} MB", "check it is the right file"
        )
    return path.read_bytes()


def _excel(content: bytes, pick: Callable[[list[str]], list[str]]) -> dict[str, pd.DataFrame]:
    """The sheets `pick` chooses from a workbook's sheet names, their cells as text."""
    if unpacks_too_large(content):
        raise _Unreadable(
            "unpacks into more than 200 MB", "check it is the right file, or save it as CSV"
        )
    try:
        with pd.ExcelFile(io.BytesIO(content), engine="openpyxl") as book:
            names = pick([str(name) for name in book.sheet_names])
            read = pd.read_excel(book, sheet_name=names, dtype=object) if names else {}
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _Unreadable(
            f"is not a readable Excel workbook ({type(exc).__name__})",
            "open it in Excel and save it again, or save it as CSV UTF-8",
        ) from None
    return {str(name): frame.apply(_excel_text) for name, frame in read.items()}


def _frame(path: Path) -> pd.DataFrame:
    """The file's cells as text, every column read as written."""
    content = _content(path)
    if path.suffix.lower() == ".xlsx":
        return next(iter(_excel(content, lambda names: names[:1]).values()))
    try:
        text = table_text(content, display_path(path))
    except InputError as exc:
        problem = exc.problems[0]
        raise _Unreadable(problem.what, problem.fix, problem.line) from None
    try:
        return pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, engine="c"
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise _Unreadable(
            f"cannot be read as CSV ({str(exc).strip().splitlines()[0]})",
            'check the quotes and commas: a value in quotes starts and ends with "',
            int(line.group(1)) if line else None,
        ) from None


def _excel_text(column: pd.Series) -> pd.Series:
    """An Excel column as text: dates as YYYY-MM-DD, whole numbers without `.0`."""
    # openpyxl gives each cell as a Python value already: a date cell is a datetime.
    dates = column.map(lambda v: isinstance(v, date)).to_numpy(dtype=bool)
    text = column.astype(str).where(column.notna(), "")
    if dates.any():
        text[dates] = pd.to_datetime(column[dates]).dt.strftime("%Y-%m-%d")
    return text.str.replace(r"^(-?\d+)\.0$", r"\1", regex=True)


def _checked(
    frame: pd.DataFrame,
    source: _Source,
    settings: CaseSettings,
    needed: list[str],
    found: FileProblems,
    warnings: Problems,
) -> pd.DataFrame | None:
    path, shape = source.where, source.shape
    frame.columns = [str(c).strip() for c in frame.columns]
    headed = {_heading(c): c for c in frame.columns}  # a heading's case and spaces aside
    configured = settings.renamed(shape.name)
    theirs, unfound = {}, set()
    for spec, own in source.renamed.items():
        column = own if own in frame.columns else headed.get(_heading(own))
        if column is not None:
            theirs[column] = spec
        elif spec in configured and spec not in frame.columns:
            unfound.add(spec)
            found.add(
                1,
                own,
                f"column is missing (config/authority.yaml maps it to {spec})",
                did_you_mean(own, list(frame.columns), otherwise=f"add a column headed {own}"),
            )
    frame = frame.rename(columns=theirs)
    required = dict.fromkeys([shape.child, *shape.key, *needed])
    missing = [c for c in required if c not in frame.columns]
    mapping = f"`case_records: columns: {shape.name}:` in config/authority.yaml"
    for column in missing:
        if column in unfound:
            continue
        heading = source.renamed.get(column) if source.annex_a else None
        if heading is not None:
            close = difflib.get_close_matches(heading, list(frame.columns), n=1, cutoff=0.5)
            found.add(
                1,
                heading,
                f"column is missing (Annex A's heading for {column})",
                f"if the sheet's '{close[0]}' is it, head it {heading}, or map it under "
                f"{mapping}: `{column}: {close[0]}`"
                if close
                else f"add a column headed {heading}, or map the sheet's own heading for "
                f"{column} under {mapping}",
            )
        elif source.annex_a:
            found.add(
                1,
                column,
                f"is not in Annex A's list of {shape.name}, and a rule counts from it",
                f"give the {shape.name} table as the {shape.source} has it "
                f"({shape.name}.csv) instead of the Annex A sheet, or map a column of the sheet "
                f"to it under {mapping}",
            )
        else:
            found.add(
                1,
                column,
                "column is missing",
                did_you_mean(column, list(frame.columns), otherwise="")
                or f"add a column headed {column}, or map the extract's own name for it under "
                f"{mapping}",
            )
    if missing:
        return None
    # Only what the checks and the rules read: a wide extract's other columns are left.
    kept = [c for c in dict.fromkeys([*required, *shape.dates]) if c in frame.columns]
    frame = frame[kept].apply(lambda column: column.str.strip())
    lines = np.arange(2, len(frame) + 2)
    blank = (frame == "").all(axis=1).to_numpy()  # a line of commas only
    frame, lines = frame[~blank].reset_index(drop=True), lines[~blank]
    child = frame[shape.child]
    for line in lines[(child == "").to_numpy()]:
        found.add(int(line), shape.child, "is empty", "give the child's id on every record")
    table = pd.DataFrame({"child_id": child, "line": lines})
    table["child"] = pd.factorize(child)[0]
    for column in kept:
        if column in shape.dates:
            table[column] = _dates(frame[column], lines, column, found)
        elif column not in table:
            table[column] = frame[column]
    left_out = np.full(len(table), "", dtype=object)
    for column in shape.dates:
        if column not in table:
            continue
        late = (table[column] > pd.Timestamp(settings.extract_date)).to_numpy()
        if late.any():
            left_out[late] = LEFT_OUT_FUTURE
            shown = ", ".join(str(n) for n in lines[late][:5])
            more = " …" if late.sum() > 5 else ""
            warnings.add(
                path,
                int(lines[late][0]),
                column,
                f"{_records(int(late.sum()))} a date after the extract date "
                f"({settings.extract_date:%-d %B %Y}), at {_lines(shown)}{more}; "
                f"{'they are' if late.sum() > 1 else 'it is'} left out of every figure",
                "correct the dates in the case management system and take the extract again",
            )
    for start, end in shape.spans:
        if start in table and end in table:
            before = (table[end] < table[start]).to_numpy()
            for line, s, e in zip(
                lines[before], table[start][before], table[end][before], strict=True
            ):
                found.add(
                    int(line),
                    end,
                    f"{e:%Y-%m-%d} is before {start} {s:%Y-%m-%d}",
                    "correct the dates: a record cannot end before it starts",
                )
    keyed = table[list(shape.key)]
    dated = keyed.notna().all(axis=1) & (child != "").to_numpy()
    twice = keyed.duplicated(keep=False).to_numpy() & dated.to_numpy()
    if twice.any():
        first_line = table.loc[twice].groupby(list(shape.key))["line"].transform("min")
        for line, first in zip(lines[twice], first_line, strict=True):
            if line != first:
                said = " and ".join(shape.key)
                found.add(
                    int(line),
                    shape.key[-1],
                    f"the same {said} as line {first}: a record given twice",
                    "remove one of the two records (or correct its date)",
                )
    table["left_out"] = left_out
    return table


def _heading(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _records(count: int) -> str:
    return "1 record has" if count == 1 else f"{count:,} records have"


def _lines(shown: str) -> str:
    return f"line{'s' if ',' in shown else ''} {shown}"


def _dates(text: pd.Series, lines: np.ndarray, column: str, found: FileProblems) -> pd.Series:
    """The column as dates (NaT where blank); a value that is not a date is an error.
    Each form is tried on what the one before did not read, so a file in one form is
    read in one pass."""
    read = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    for form, cut in (("%d/%m/%Y", None), ("%Y-%m-%d", 10)):  # then ISO with a time
        rest = (read.isna() & (text != "")).to_numpy()
        if not rest.any():
            break
        tried = text[rest] if cut is None else text[rest].str[:cut]
        read[rest] = pd.to_datetime(tried, format=form, errors="coerce")
    bad = ((text != "") & read.isna()).to_numpy()
    for line, value in zip(lines[bad], text[bad], strict=True):
        found.add(
            int(line),
            column,
            f"'{value[:40]}' is not a date",
            "write dates as YYYY-MM-DD (2026-09-30) or DD/MM/YYYY (30/09/2026)",
        )
    return read
