"""Agenda packs: one PDF of a meeting's front sheet and papers, with a bookmark for each
item and page numbers stamped through the whole pack (pypdf, at the edge).

Page numbers go in the bottom margin's lowest strip, centred, in Helvetica 9 pt, on every
page including the front sheet, so that "page 17" means the same page to every reader.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pypdf is imported when a pack is made, not by every run
    from pypdf import PageObject

# pypdf logs what it mends in a damaged PDF; reportgen says what is wrong itself.
logging.getLogger("pypdf").setLevel(logging.ERROR)

STAMP_SIZE = 9  # points
STAMP_FROM_BOTTOM = 16  # points: below the papers' own footers
# Helvetica's widths (1/1000 em) of the characters a stamp uses.
_WIDTHS = {**dict.fromkeys("0123456789", 556), " ": 278, "P": 667, "a": 556, "g": 556,
           "e": 556, "o": 556, "f": 278}  # fmt: skip


@dataclass(frozen=True)
class Part:
    """One part of a pack: its bookmark ("" for none) and its documents' PDFs, in order."""

    bookmark: str
    pdfs: Sequence[bytes]


def assemble(parts: Sequence[Part], title: str) -> bytes:
    """The parts as one PDF: bookmarked, every page stamped "Page i of n", titled."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    starts: list[tuple[str, int]] = []
    for part in parts:
        first = len(writer.pages)
        for content in part.pdfs:
            writer.append(PdfReader(io.BytesIO(content)), import_outline=False)
        if part.bookmark and len(writer.pages) > first:
            starts.append((part.bookmark, first))
    total = len(writer.pages)
    for number, page in enumerate(writer.pages, start=1):
        _stamp(page, f"Page {number} of {total}")
    for bookmark, page_index in starts:
        writer.add_outline_item(title=bookmark, page_number=page_index)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def sections(content: bytes) -> list[tuple[str, int, int]]:
    """A pack's bookmarked parts: each bookmark's title and the pages it covers, from its
    first to the page before the next (0-based, the last one included)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    marks = sorted(
        (page, str(mark.title))
        for mark in reader.outline
        if not isinstance(mark, list)
        and (page := reader.get_destination_page_number(mark)) is not None
    )
    ends = [first - 1 for first, _ in marks[1:]] + [len(reader.pages) - 1]
    return [(title, first, last) for (first, title), last in zip(marks, ends, strict=True)]


def extract(content: bytes, first: int, last: int, title: str) -> bytes:
    """Pages `first` to `last` (0-based, both included) of a PDF as a PDF of their own."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(content)), pages=(first, last + 1), import_outline=False)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pages(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


class UnreadablePdf(ValueError):
    """A supplied PDF that a pack cannot take: the message says why."""


def pdf_text(content: bytes) -> str:
    """The text of every page of a supplied PDF; UnreadablePdf if it is damaged, locked
    with a password, or has no pages."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise UnreadablePdf("is protected with a password")
        if not reader.pages:
            raise UnreadablePdf("has no pages")
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except UnreadablePdf:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise UnreadablePdf(f"is not a readable PDF ({type(exc).__name__})") from None


def _stamp(page: PageObject, text: str) -> None:
    from pypdf import PdfWriter
    from pypdf.generic import ContentStream, DictionaryObject, NameObject

    box = page.mediabox
    width = sum(_WIDTHS.get(c, 556) for c in text) * STAMP_SIZE / 1000
    x = (float(box.width) - width) / 2
    scratch = PdfWriter()
    overlay = scratch.add_blank_page(width=float(box.width), height=float(box.height))
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    overlay[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/FStamp"): font})}
    )
    stream = ContentStream(None, scratch)
    stream.set_data(
        f"BT /FStamp {STAMP_SIZE} Tf {x:.2f} {STAMP_FROM_BOTTOM} Td ({text}) Tj ET".encode()
    )
    overlay.replace_contents(stream)
    page.merge_translated_page(overlay, float(box.left), float(box.bottom))
