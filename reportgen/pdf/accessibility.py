"""An accessibility check of any PDF, as `reportgen.word.accessibility` checks Word documents
(the Public Sector Bodies Accessibility Regulations 2018 ask councils to publish accessible
documents, PDFs included).

Reads the PDF as pypdf sees it and reports each finding with where it is:
- it is tagged: marked as tagged, with a structure tree whose elements are on its pages;
- it has a title (in its properties or its XMP metadata), shown in the window's title bar;
- its language is set;
- it has bookmarks, when it has BOOKMARKS_FROM pages or more;
- every page's text can be extracted: a page with no text but pictures (a scan) is a
  finding, a page with nothing on it is not. Text marked as an artifact (page numbers a pack
  stamps) does not count as the page's text.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportgen.pdf.trees import structure_kids
from reportgen.word.accessibility import Finding

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

# pypdf logs what it mends in a damaged PDF; the findings say what matters.
logging.getLogger("pypdf").setLevel(logging.ERROR)

BOOKMARKS_FROM = 4  # pages: a PDF this long needs bookmarks to move around it
_DEPTH = 200  # levels of structure walked: deeper is a damaged or hostile tree
_SHOWS_TEXT = {b"Tj", b"TJ", b"'", b'"'}
_REMAKE = "make the PDF again from the source document with its accessibility options on"


class NotAPdf(ValueError):
    """The file is not a PDF pypdf can open: the message says why."""


def check_file(path: Path) -> list[Finding]:
    """`check` for a file that may not be a PDF at all (NotAPdf)."""
    return check(path.read_bytes())


def check(content: bytes) -> list[Finding]:
    """Every accessibility finding in a PDF's content; NotAPdf if it cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if b"%PDF-" not in content[:1024]:  # where a PDF's header must be
        raise NotAPdf("is not a PDF")
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise NotAPdf("is protected with a password")
        return list(_findings(reader))
    except NotAPdf:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise NotAPdf(f"is not a readable PDF ({type(exc).__name__})") from None


def _findings(reader: PdfReader) -> Iterator[Finding]:
    catalog = reader.root_object
    yield from _tagging(reader)
    if not _title(reader):
        yield Finding(
            "document",
            "has no title",
            "set the title in the source document (Word: File > Info > Title) and " + _REMAKE,
        )
    preferences = _resolved(catalog.get("/ViewerPreferences"))
    if not (isinstance(preferences, dict) and _true(preferences.get("/DisplayDocTitle"))):
        yield Finding(
            "document",
            "shows its file name, not its title, in the window's title bar",
            "set DisplayDocTitle (Acrobat: File > Properties > Initial View > Show: Document "
            "Title), or " + _REMAKE,
        )
    if not str(_resolved(catalog.get("/Lang")) or "").strip():
        yield Finding(
            "document",
            "has no language",
            "set the language of the source document (e.g. en-GB) and " + _REMAKE
            + " (Acrobat: File > Properties > Advanced > Language)",
        )  # fmt: skip
    count = len(reader.pages)
    if count >= BOOKMARKS_FROM and not reader.outline:
        yield Finding(
            "document",
            f"has {count} pages and no bookmarks",
            "give the source document headings and make the PDF with bookmarks from them "
            "(Word: Save As PDF > Options > Create bookmarks using Headings)",
        )
    for number, page in enumerate(reader.pages, start=1):
        yield from _page_text(page, f"page {number}")


def _tagging(reader: PdfReader) -> Iterator[Finding]:
    catalog = reader.root_object
    marked = _resolved(catalog.get("/MarkInfo"))
    tree = _resolved(catalog.get("/StructTreeRoot"))
    elements, strays = _structure(reader, tree)
    if not (isinstance(marked, dict) and _true(marked.get("/Marked"))) or not elements:
        yield Finding(
            "document",
            "is not tagged: a screen reader cannot tell its headings, lists and tables",
            "make it again from the source document with tags (Word: Save As PDF > Options > "
            "Document structure tags for accessibility; LibreOffice: Export as PDF > Tagged "
            "PDF)",
        )
    elif strays:
        yield Finding(
            "document",
            f"has {strays} structure element{'s' if strays != 1 else ''} on pages it does not have",
            _REMAKE + " (it was joined or cut by a tool that lost its tags)",
        )


def _structure(reader: PdfReader, tree: Any) -> tuple[int, int]:
    """How many elements the structure tree has, and how many of them say they are on a
    page that is not one of the document's."""
    from pypdf.generic import IndirectObject

    if not isinstance(tree, dict):
        return 0, 0
    pages = {p.indirect_reference.idnum for p in reader.pages if p.indirect_reference}
    seen: set[int] = set()
    elements = strays = 0
    waiting: list[tuple[Any, int]] = [(kid, 1) for kid in structure_kids(tree)]
    while waiting:
        kid, depth = waiting.pop()
        element = _resolved(kid)
        if not isinstance(element, dict) or "/S" not in element or depth > _DEPTH:
            continue
        if isinstance(kid, IndirectObject):
            if kid.idnum in seen:
                continue
            seen.add(kid.idnum)
        elements += 1
        page = element.get("/Pg")
        if page is not None and not (isinstance(page, IndirectObject) and page.idnum in pages):
            strays += 1
        waiting += [(child, depth + 1) for child in structure_kids(element)]
    return elements, strays


def _title(reader: PdfReader) -> str:
    """The document's title: its properties', else its XMP metadata's."""
    info = reader.metadata
    title = str(info.title or "") if info is not None else ""
    if title.strip():
        return title
    try:
        xmp = reader.xmp_metadata
        titles = xmp.dc_title if xmp is not None else None
    except (ValueError, KeyError, AttributeError):  # XMP that does not parse: no title
        return ""
    return next((str(t) for t in (titles or {}).values() if str(t).strip()), "")


def _page_text(page: PageObject, where: str) -> Iterator[Finding]:
    """A finding if the page has text that cannot be extracted, or pictures and no text."""
    text, pictures = _drawn(page, page.get("/Resources"), 0, set())
    if text:
        # Text a font gives no Unicode for comes out as boxes, control characters or nothing.
        if not any(c.isalnum() for c in page.extract_text() or ""):
            yield Finding(
                where,
                "has text that cannot be extracted: a screen reader gets nothing from it",
                _REMAKE + " (not printed to PDF; fonts embedded with their Unicode mapping)",
            )
    elif pictures:
        yield Finding(
            where,
            "has pictures and no text (a scan?): a screen reader gets nothing from it",
            "make the PDF from the source document, not a scan; or recognise its text (OCR) "
            "and tag it",
        )


def _drawn(content: Any, resources: Any, depth: int, seen: set[int]) -> tuple[bool, bool]:
    """Whether a page (or form XObject) shows text outside artifacts, and whether it
    draws pictures, following the forms it draws."""
    from pypdf.generic import ContentStream, IndirectObject

    if depth > 10:
        return False, False
    stream = content.get_contents() if depth == 0 else ContentStream(content, None)
    if stream is None:
        return False, False
    resources = _resolved(resources)
    objects = _resolved(resources.get("/XObject")) if isinstance(resources, dict) else None
    text = pictures = False
    artifacts: list[bool] = []  # for each marked-content sequence open: inside an artifact?
    for operands, operator in stream.operations:
        if operator in (b"BMC", b"BDC"):
            artifact = bool(operands) and operands[0] == "/Artifact"
            artifacts.append(artifact or bool(artifacts and artifacts[-1]))
        elif operator == b"EMC":
            if artifacts:
                artifacts.pop()
        elif operator in _SHOWS_TEXT:
            text = text or not (artifacts and artifacts[-1])
        elif operator == b"INLINE IMAGE":
            pictures = True
        elif operator == b"Do" and isinstance(objects, dict) and operands:
            reference = objects.get(operands[0])
            drawn = _resolved(reference)
            kind = drawn.get("/Subtype") if isinstance(drawn, dict) else None
            if kind == "/Image":
                pictures = True
            elif kind == "/Form" and not (artifacts and artifacts[-1]):
                number = reference.idnum if isinstance(reference, IndirectObject) else None
                if number is not None and number in seen:
                    continue
                if number is not None:
                    seen.add(number)
                inner = _drawn(drawn, drawn.get("/Resources", resources), depth + 1, seen)
                text, pictures = text or inner[0], pictures or inner[1]
    return text, pictures


def _true(value: Any) -> bool:
    """Whether a PDF boolean (pypdf's BooleanObject) is true."""
    return getattr(_resolved(value), "value", None) is True


def _resolved(value: Any) -> Any:
    return value.get_object() if value is not None and hasattr(value, "get_object") else value
