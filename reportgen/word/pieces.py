"""The text a Word document prints, piece by piece: each paragraph of the body, each table
cell, and the headers and footers its sections use, with where each is (`paragraph 12`,
`table 4 row 6`), for comparing with the PDF made of it.

What Word does not print is left out: deleted text, hidden text (directly or by style), a
field's shown result (a page number, a date, a table of contents, which the PDF has as it
is when printed) and the fallback copy of a drawing. A field splits its paragraph into
pieces, so that "Page 3 of 12" is looked for as "Page" and "of". Only the XML is read
(lxml, no entities, no network): a supplied document is hostile input.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
# The mark as exempt papers carry it, in capitals at the start of a line (as packs read it).
_MARKED = re.compile(r"^\W*NOT\s+FOR\s+PUBLICATION\b", re.MULTILINE)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_P, _T, _TBL, _TR, _TC = _w("p"), _w("t"), _w("tbl"), _w("tr"), _w("tc")
_BREAKS = {_w("tab"), _w("br"), _w("cr"), _w("ptab")}
_FALLBACK = f"{{{MC}}}Fallback"
_MOVED = _w("moveFrom")  # text moved elsewhere with changes tracked: printed there


@dataclass(frozen=True)
class Piece:
    """Text the document prints, and where it is. A loose piece is looked for anywhere,
    not counted, and not as whole words: a header's or footer's, printed on many pages (or
    on none of a short section's), and a paragraph's part beside a field, whose result
    (a page number) is printed against it."""

    where: str  # "paragraph 12", "table 4 row 6", "the header", "the footer"
    text: str
    loose: bool = False


def pieces(content: bytes) -> list[Piece]:
    """Every piece of text the .docx `content` prints, body first in document order, then
    its headers' and footers'; ValueError if it is not a Word document."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = set(package.namelist())
            document = _parse(package, "word/document.xml")
            styles = _parse(package, "word/styles.xml") if "word/styles.xml" in names else None
            settings = (
                _parse(package, "word/settings.xml") if "word/settings.xml" in names else None
            )
            rels = "word/_rels/document.xml.rels"
            targets = _targets(_parse(package, rels)) if rels in names else {}
            hidden = _hidden_styles(styles)
            found = list(_body(document, hidden))
            for where, name in _margins(document, settings, targets):
                if name in names:
                    found += [
                        Piece(where, text, loose=True)
                        for text in _texts(_parse(package, name), hidden)
                    ]
            return found
    except (zipfile.BadZipFile, KeyError, etree.LxmlError, OSError) as exc:
        raise ValueError(f"is not a Word document (.docx) ({type(exc).__name__})") from None


def not_for_publication(content: bytes) -> bool:
    """Whether the .docx `content` is marked as exempt: NOT FOR PUBLICATION as its status
    (File > Info, as reportgen marks an exempt paper) or, in capitals, at the start of a
    line it prints (as a supplied paper is marked); a document that cannot be read is
    taken to be."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            core = "docProps/core.xml"
            if core in package.namelist():
                status = _parse(package, core).find(f"{{{CORE}}}contentStatus")
                if status is not None and _MARKED.search(status.text or ""):
                    return True
    except (zipfile.BadZipFile, KeyError, etree.LxmlError, OSError):
        return True
    try:
        return any(_MARKED.search(piece.text) for piece in pieces(content))
    except ValueError:
        return True


def _parse(package: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(package.read(name), _PARSER)


def _targets(rels: etree._Element) -> dict[str, str]:
    """Relationship ids of the main document to part names (`word/footer1.xml`)."""
    return {
        rel.get("Id", ""): posixpath.normpath(posixpath.join("word", rel.get("Target", "")))
        for rel in rels.iter(f"{{{PACKAGE}}}Relationship")
        if rel.get("TargetMode") != "External"
    }


def _margins(
    document: etree._Element, settings: etree._Element | None, targets: dict[str, str]
) -> Iterator[tuple[str, str]]:
    """The header and footer parts the sections print: every default one, a first page's
    where its section has a title page, an even page's where the settings say so."""
    even = settings is not None and settings.find(_w("evenAndOddHeaders")) is not None
    seen = set()
    for section in document.iter(_w("sectPr")):
        title_page = _on(section.find(_w("titlePg")))
        for kind in ("header", "footer"):
            for reference in section.findall(_w(f"{kind}Reference")):
                which = reference.get(_w("type"), "default")
                if (which == "first" and not title_page) or (which == "even" and not even):
                    continue
                name = targets.get(reference.get(f"{{{R}}}id", ""), "")
                if name and name not in seen:
                    seen.add(name)
                    yield f"the {kind}", name


def _on(element: etree._Element | None) -> bool:
    """Whether an on/off property (`<w:titlePg/>`, `<w:vanish w:val="0"/>`) is on."""
    if element is None:
        return False
    return element.get(_w("val"), "true").lower() not in ("0", "false", "off")


def _hidden_styles(styles: etree._Element | None) -> frozenset[str]:
    """The ids of the styles that hide their text (`vanish`), themselves or by the style
    they are based on."""
    if styles is None:
        return frozenset()
    own: dict[str, bool | None] = {}
    based: dict[str, str] = {}
    for style in styles.iter(_w("style")):
        name = style.get(_w("styleId"), "")
        vanish = style.find(f"{_w('rPr')}/{_w('vanish')}")
        own[name] = None if vanish is None else _on(vanish)
        parent = style.find(_w("basedOn"))
        if parent is not None:
            based[name] = parent.get(_w("val"), "")

    def hides(name: str) -> bool:
        for _ in range(50):  # a loop of basedOn is a damaged file
            if own.get(name) is not None:
                return bool(own[name])
            if name not in based:
                return False
            name = based[name]
        return False

    return frozenset(name for name in own if hides(name))


def _body(document: etree._Element, hidden: frozenset[str]) -> Iterator[Piece]:
    """The body's pieces: a paragraph's where it is outside tables, a table cell's
    (its paragraphs' text together) where it is in one."""
    body = document.find(_w("body"))
    if body is None:
        return
    paragraph_number = table_number = 0
    fields = _Fields()
    for element in body.iter(_P, _TBL):
        if _inside(element, _FALLBACK):
            continue
        if element.tag == _TBL:
            if not _inside(element, _TBL):
                table_number += 1
            continue
        cell = _ancestor(element, _TC)
        if cell is None:
            if _ancestor(element, _P) is None:  # a text box's paragraphs are its paragraph's
                paragraph_number += 1
            where = f"paragraph {paragraph_number}"
        else:
            outer = _outermost(element, _TR)
            table = outer.getparent()
            row = list(table.iterchildren(_TR)).index(outer) + 1 if table is not None else 0
            where = f"table {table_number} row {row}"
        texts = list(_paragraph_texts(element, hidden, fields))
        split = len(texts) > 1 or _has_field(element)
        for text in texts:
            yield Piece(where, text, loose=split)


def _texts(part: etree._Element, hidden: frozenset[str]) -> Iterator[str]:
    fields = _Fields()
    for paragraph in part.iter(_P):
        if not _inside(paragraph, _FALLBACK):
            yield from _paragraph_texts(paragraph, hidden, fields)


class _Fields:
    """Where a walk through a part is in its complex fields: a field's result (after its
    `separate`, before its `end`) is not the document's own text."""

    def __init__(self) -> None:
        self.open: list[bool] = []  # for each field begun: whether its result has begun

    @property
    def in_result(self) -> bool:
        return any(self.open)

    def mark(self, kind: str) -> None:
        if kind == "begin":
            self.open.append(False)
        elif kind == "separate" and self.open:
            self.open[-1] = True
        elif kind == "end" and self.open:
            self.open.pop()


def _paragraph_texts(
    paragraph: etree._Element, hidden: frozenset[str], fields: _Fields
) -> Iterator[str]:
    """The paragraph's own text (not a text box's inside it), split where a field is."""
    style = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
    paragraph_hidden = style is not None and style.get(_w("val"), "") in hidden
    pieces: list[str] = []
    current: list[str] = []

    def split() -> None:
        if "".join(current).strip():
            pieces.append("".join(current).strip())
        current.clear()

    for node in paragraph.iter(_T, _w("fldChar"), _w("fldSimple"), *_BREAKS):
        if (
            _owner(node) is not paragraph
            or _inside(node, _FALLBACK, paragraph)
            or _inside(node, _MOVED, paragraph)
        ):
            continue
        if node.tag == _w("fldChar"):
            fields.mark(node.get(_w("fldCharType"), ""))
            split()
            continue
        if (
            node.tag == _w("fldSimple")
            or fields.in_result
            or _inside(node, _w("fldSimple"), paragraph)
        ):
            split()
            continue
        if _run_hidden(node, hidden, paragraph_hidden):
            continue
        current.append(" " if node.tag in _BREAKS else (node.text or ""))
    split()
    yield from pieces


def _has_field(paragraph: etree._Element) -> bool:
    return any(True for _ in paragraph.iter(_w("fldChar"), _w("fldSimple")))


def _run_hidden(node: etree._Element, hidden: frozenset[str], paragraph_hidden: bool) -> bool:
    run = node.getparent()
    properties = run.find(_w("rPr")) if run is not None else None
    if properties is not None:
        vanish = properties.find(_w("vanish"))
        if vanish is not None:
            return _on(vanish)
        style = properties.find(_w("rStyle"))
        if style is not None and style.get(_w("val"), "") in hidden:
            return True
    return paragraph_hidden


def _owner(node: etree._Element) -> etree._Element | None:
    return _ancestor(node, _P)


def _ancestor(node: etree._Element, tag: str) -> etree._Element | None:
    parent = node.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _outermost(node: etree._Element, tag: str) -> etree._Element:
    found = node
    parent = node.getparent()
    while parent is not None:
        if parent.tag == tag:
            found = parent
        parent = parent.getparent()
    return found


def _inside(node: etree._Element, tag: str, within: etree._Element | None = None) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not within:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False
