"""Rows of CSV and Excel data files, read strictly: sizes bounded, text decoded as UTF-8
with the line of any bad byte, a cell's type kept as the officer typed it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reportgen.errors import InputError, Problems, did_you_mean, display_path
from reportgen.inputs.textfile import table_text, unpacks_too_large

MAX_PROBLEMS_PER_FILE = 25


class FileProblems:
    """Problems for one file, capped so that a wrong file does not flood the screen."""

    def __init__(self, problems: Problems, path: Path):
        self.problems, self.path, self.count = problems, path, 0

    def add(self, line: int | None, key: str, what: str, fix: str) -> None:
        self.count += 1
        if self.count <= MAX_PROBLEMS_PER_FILE:
            self.problems.add(self.path, line, key, what, fix)

    def close(self) -> None:
        if self.count > MAX_PROBLEMS_PER_FILE:
            hidden = self.count - MAX_PROBLEMS_PER_FILE
            self.problems.add(
                self.path, None, "", f"{hidden} more problems not shown", "fix the ones above first"
            )


MAX_BYTES = 100_000_000  # a data file larger than this is not a council's monthly figures


MAX_ROWS = 1_000_000


Row = dict[str, str]


def read_table(
    path: Path,
    known: tuple[str, ...],
    required: tuple[str, ...],
    found: FileProblems,
    content: bytes | None = None,
) -> Iterator[tuple[int, Row]]:
    """(line, row) pairs with column names lower-cased; header problems stop the file, and
    so does a line that cannot be read (the rows after it would be read wrongly). With
    `content`, that is read as the file's (an upload not yet saved)."""
    try:
        xlsx = path.suffix.lower() == ".xlsx"
        raw = _xlsx_rows(path, content) if xlsx else _csv_rows(path, content)
        header_line, header = next(raw, (1, []))
    except _NotATable as exc:
        found.add(exc.line, "", str(exc), exc.fix or _save_as(known))
        return
    columns = [c.strip().lower() for c in header]
    if not set(required) & set(columns):
        found.add(
            header_line,
            "",
            f"is not {'a benchmark' if 'area' in known else 'an indicator data'} table",
            f"its first line must be the column headings {','.join(known)}",
        )
        return
    bad = False
    for index, column in enumerate(columns):
        if column and column in columns[:index]:
            found.add(
                header_line,
                column,
                f"is given twice (columns {columns.index(column) + 1} and {index + 1})",
                "keep one column of each name",
            )
            bad = True
        elif column and column not in known:
            found.add(
                header_line,
                column,
                "unknown column",
                did_you_mean(column, known, otherwise=f"use only {','.join(known)}"),
            )
            bad = True
    for column in required:
        if column not in columns:
            found.add(header_line, column, "column is missing", f"add a column headed {column}")
            bad = True
    if bad:
        return
    try:
        for line, cells in raw:
            if line > MAX_ROWS:
                found.add(
                    line,
                    "",
                    f"has more than {MAX_ROWS:,} lines",
                    "split it into one file per year, or check it is the right file",
                )
                return
            if not any(str(c).strip() for c in cells):
                continue
            extra = [c for c in cells[len(columns) :] if str(c).strip()]
            if extra:
                found.add(
                    line,
                    "",
                    f"has {len(cells)} values but the heading line has {len(columns)} columns",
                    'put a value that holds a comma in double quotes ("…"), or remove the '
                    "extra values",
                )
                continue
            row = {
                column: str(cells[i]) if i < len(cells) else ""
                for i, column in enumerate(columns)
                if column
            }
            for column in known:
                row.setdefault(column, "")
            yield line, row
    except _NotATable as exc:
        found.add(exc.line, "", str(exc), exc.fix or _save_as(known))


def _save_as(known: tuple[str, ...]) -> str:
    return f"save it as a CSV file with the columns {','.join(known)}"


class _NotATable(Exception):
    """A file, or a line of it, that cannot be read as a table: no row after it is read."""

    def __init__(self, what: str, line: int | None = 1, fix: str = "") -> None:
        super().__init__(what)
        self.line, self.fix = line, fix


def _csv_rows(path: Path, content: bytes | None = None) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of a CSV file; a value running over lines (a quote not closed) or a
    line the csv module cannot read stops the file at that line."""
    size = path.stat().st_size if content is None else len(content)
    if size > MAX_BYTES:
        raise _NotATable(
            f"is larger than {MAX_BYTES // 1_000_000} MB",
            None,
            "split it into one file per year, or check it is the right file",
        )
    try:
        data = path.read_bytes() if content is None else content
        text = table_text(data, display_path(path))
    except InputError as exc:
        problem = exc.problems[0]
        raise _NotATable(problem.what, problem.line, problem.fix) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        for cells in reader:
            if reader.line_num > line and any("\n" in c or "\r" in c for c in cells):
                raise _NotATable(
                    f"a value in quotes runs from this line to line {reader.line_num}: a "
                    'closing quote (") is missing, or the value has a line break',
                    line,
                    "close the quote, or remove the line break from the value",
                )
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _NotATable(
            f"cannot be read as CSV ({exc})",
            line,
            'check the quotes on this line: a value in quotes starts and ends with " and '
            'a quote inside it is written ""',
        ) from None


def _xlsx_rows(path: Path, content: bytes | None = None) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    if unpacks_too_large(path if content is None else content):
        raise _NotATable(
            "unpacks into more than 200 MB, more than a workbook of figures holds",
            None,
            "check it is the right file, or save it as CSV UTF-8",
        )
    try:
        source = path if content is None else io.BytesIO(content)
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _NotATable(f"is not a readable Excel workbook ({type(exc).__name__})") from None
    line = 0
    try:
        sheet = book.worksheets[0]
        for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, [_cell_text(c) for c in cells]
    except _NotATable:
        raise
    except Exception as exc:  # a damaged sheet is read row by row, after the file opens
        raise _NotATable(
            f"its first sheet is damaged and cannot be read ({type(exc).__name__})",
            line + 1,
            "open it in Excel, check the sheet, and save it again (or save it as CSV UTF-8)",
        ) from None
    finally:
        book.close()


def _cell_text(cell: Any) -> str:
    """Excel cell values as the text a CSV would hold: floats by their shortest form."""
    if cell is None:
        return ""
    if isinstance(cell, datetime | date):
        return f"{cell.year:04d}-{cell.month:02d}"
    if isinstance(cell, float):
        return repr(cell) if not cell.is_integer() else str(int(cell))
    return str(cell)
