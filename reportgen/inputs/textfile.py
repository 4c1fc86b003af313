"""Files from other people: text that must be UTF-8, and packages (.docx, .xlsx) that must
not unpack into more than a paper could hold. Each says where it is wrong and what to do."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from reportgen.errors import InputError, Problem


def table_text(content: bytes, name: str) -> str:
    """A CSV file's text; InputError at the line of a NUL byte (which no text file has:
    the file is damaged, or not text) or of a byte that is not UTF-8."""
    at = content.find(b"\0")
    if at >= 0:
        line = content.count(b"\n", 0, at) + 1
        what = "has a NUL byte: it is not a CSV text file, or it is damaged"
        fix = "save it again as CSV UTF-8, or check it is the right file"
        raise InputError([Problem(name, line, "", what, fix)])
    return decode(content, name)


def decode(content: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark allowed); InputError at the line and column of the
    first byte that is not UTF-8, saying how to save the file as UTF-8."""
    body = content.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark, as Excel writes
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        column = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = body[exc.start]
        guess = bytes([byte]).decode("cp1252", errors="replace")
        raise InputError(
            [
                Problem(
                    name,
                    line,
                    "",
                    f"column {column}: byte 0x{byte:02X} is not UTF-8 text (in Windows' "
                    f"encoding it is '{guess}')",
                    "save the file as UTF-8: in Excel, Save As > CSV UTF-8; in Notepad, "
                    "Save As with Encoding UTF-8; or retype the character",
                )
            ]
        ) from None


MAX_UNPACKED = 200_000_000  # bytes: a Word paper or an Excel workbook of a council's figures


def unpacks_too_large(source: Path | bytes) -> bool:
    """Whether a zip package (.docx, .xlsx) says it unpacks into more than MAX_UNPACKED
    bytes (a "zip bomb"); a file that is not a zip is left to its reader to refuse."""
    try:
        opened = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    with opened:
        return sum(item.file_size for item in opened.infolist()) > MAX_UNPACKED
