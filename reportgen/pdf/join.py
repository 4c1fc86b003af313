"""Agenda packs: one tagged PDF of a meeting's front sheet and papers, with a bookmark for
each item (its paper's own bookmarks under it) and page numbers stamped through the whole
pack (pypdf, at the edge).

Page numbers and marks are stamped by `stamps`; the pack is a tagged PDF whose structure tree
`structure` makes from its sources'. `extract` cuts pages out of a pack with the structure,
bookmarks, title and language that fall in them.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportgen.pdf.stamps import Stamper
from reportgen.pdf.structure import Structure

if TYPE_CHECKING:  # pypdf is imported when a pack is made, not by every run
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit, IndirectObject

# pypdf logs what it mends in a damaged PDF; reportgen says what is wrong itself.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Part:
    """One part of a pack: its bookmark ("" for none), its documents' PDFs in order, and a
    mark stamped at the top of each of its pages that does not print it ("" for none)."""

    bookmark: str
    pdfs: Sequence[bytes]
    mark: str = ""


def assemble(parts: Sequence[Part], title: str) -> bytes:
    """The parts as one tagged PDF: bookmarked, every page stamped "Page i of n" (and its
    part's mark), titled, in the language of its first document that gives one."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    structure = Structure(writer)
    marks: list[str] = []
    for part in parts:
        first = len(writer.pages)
        placed = [structure.add(_reader(content), part=True) for content in part.pdfs]
        marks += [part.mark] * (len(writer.pages) - first)
        if part.bookmark and len(writer.pages) > first:
            item = writer.add_outline_item(title=part.bookmark, page_number=first, is_open=False)
            for reader, pages in placed:
                _copy_outline(writer, reader, reader.outline, pages, item)
    total = len(writer.pages)
    stamper = Stamper(writer)
    for number, (page, mark) in enumerate(zip(writer.pages, marks, strict=True), start=1):
        # A page that prints the mark itself (an exempt paper's own header) is not marked twice.
        shown = mark if mark and mark not in (page.extract_text() or "") else ""
        stamper.stamp(page, f"Page {number} of {total}", shown)
    structure.finish()
    return _written(writer, title, structure.language)


def sections(content: bytes) -> list[tuple[str, int, int]]:
    """A pack's bookmarked parts: each bookmark's title and the pages it covers, from its
    first to the page before the next (0-based, the last one included); none for a pack
    without bookmarks (a meeting whose items are titles only: its front sheet alone)."""
    reader = _reader(content)
    marks = sorted(
        (page, str(mark.title))
        for mark in reader.outline
        if not isinstance(mark, list)
        and (page := reader.get_destination_page_number(mark)) is not None
    )
    ends = [first - 1 for first, _ in marks[1:]] + [len(reader.pages) - 1] * bool(marks)
    return [(title, first, last) for (first, title), last in zip(marks, ends, strict=True)]


def extract(content: bytes, first: int, last: int, title: str) -> bytes:
    """Pages `first` to `last` (0-based, both included) of a PDF as a PDF of their own:
    tagged with the structure on those pages, bookmarked as they were, titled, and in the
    source's language."""
    from pypdf import PdfWriter

    reader = _reader(content)
    writer = PdfWriter()
    structure = Structure(writer)
    _, pages = structure.add(reader, part=False, pages=range(first, last + 1))
    _copy_outline(writer, reader, reader.outline, pages, None)
    structure.finish()
    return _written(writer, title, structure.language)


def pages(content: bytes) -> int:
    return len(_reader(content).pages)


class UnreadablePdf(ValueError):
    """A supplied PDF that a pack cannot take: the message says why."""


def pdf_text(content: bytes) -> str:
    """The text of every page of a supplied PDF; UnreadablePdf if it is damaged, locked
    with a password, or has no pages."""
    from pypdf.errors import PyPdfError

    try:
        reader = _reader(content)
        if reader.is_encrypted:
            raise UnreadablePdf("is protected with a password")
        if not reader.pages:
            raise UnreadablePdf("has no pages")
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except UnreadablePdf:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise UnreadablePdf(f"is not a readable PDF ({type(exc).__name__})") from None


def _reader(content: bytes) -> PdfReader:
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(content))


def _written(writer: PdfWriter, title: str, language: str) -> bytes:
    """The PDF, with its title (shown in the window's title bar), language, and its
    bookmarks open beside the pages when it has any."""
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject, TextStringObject

    writer.add_metadata({"/Title": title})
    catalog = writer.root_object
    catalog[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)}
    )
    if language:
        catalog[NameObject("/Lang")] = TextStringObject(language)
    if writer.outline:
        writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _copy_outline(
    writer: PdfWriter,
    reader: PdfReader,
    nodes: Iterable[Any],
    pages: dict[int, int],
    parent: IndirectObject | None,
) -> None:
    """The reader's bookmarks (`nodes`, as pypdf lists them: a list after an item holds its
    children) on the pages `pages` maps (reader's page index to writer's), under `parent`;
    a bookmark on a page left out gives its children to its parent."""
    holder = parent
    for node in nodes:
        if isinstance(node, list):
            _copy_outline(writer, reader, node, pages, holder)
            continue
        holder = parent
        page = reader.get_destination_page_number(node)
        if page in pages:
            holder = writer.add_outline_item(
                title=str(node.title), page_number=pages[page], parent=parent, fit=_fit(node)
            )


def _fit(destination: Any) -> Fit:
    from pypdf.generic import Fit

    def number(value: Any) -> float | None:
        return float(value) if isinstance(value, (int, float)) else None

    if destination.typ == "/XYZ":
        return Fit.xyz(number(destination.left), number(destination.top), number(destination.zoom))
    return Fit.fit()
