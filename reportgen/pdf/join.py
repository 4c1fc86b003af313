"""Agenda packs: one tagged PDF of a meeting's front sheet and papers, with a bookmark for
each item (its paper's own bookmarks under it) and page numbers stamped through the whole
pack (pypdf, at the edge).

Page numbers go in the bottom margin's lowest strip, centred, in Helvetica 9 pt, on every
page including the front sheet, so that "page 17" means the same page to every reader. A
part may carry a mark ("NOT FOR PUBLICATION"), stamped in the top margin of each of its pages
that does not print it already, in Helvetica Bold 10 pt. Stamps are artifacts: marked
content a screen reader passes over.

The pack is a tagged PDF, as each paper's own PDF is: every source's structure tree is copied
under one Document element, a Part for each source, its elements pointing at the pack's copies
of the pages, with the pages' and annotations' keys into the parent tree numbered afresh and
role maps merged (a name two sources map differently is renamed in the second). A source
without a structure tree (a supplied PDF printed untagged) gets the least structure that lets
a screen reader reach its text: each page's content as one paragraph. `extract` cuts pages
out of a pack with the structure, bookmarks, title and language that fall in them.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pypdf is imported when a pack is made, not by every run
    from pypdf import PageObject, PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, Fit, IndirectObject

# pypdf logs what it mends in a damaged PDF; reportgen says what is wrong itself.
logging.getLogger("pypdf").setLevel(logging.ERROR)

STAMP_SIZE = 9  # points
STAMP_FROM_BOTTOM = 16  # points: below the papers' own footers
MARK_SIZE = 10  # points
MARK_FROM_TOP = 24  # points, to the baseline: above the papers' own text
# Helvetica's and Helvetica Bold's widths (1/1000 em) of the characters stamps use.
_WIDTHS = {**dict.fromkeys("0123456789", 556), " ": 278, "P": 667, "a": 556, "g": 556,
           "e": 556, "o": 556, "f": 278}  # fmt: skip
_BOLD_WIDTHS = {**dict.fromkeys("0123456789", 556), **dict.fromkeys("ABCDHKNRUX", 722),
                **dict.fromkeys("EPSVY", 667), **dict.fromkeys("FTZ", 611), " ": 278,
                "G": 778, "I": 278, "J": 556, "L": 611, "M": 833, "O": 778, "Q": 778,
                "W": 944}  # fmt: skip
_DEPTH = 200  # levels of structure copied: deeper is a damaged or hostile tree
_MCIDS = 100_000  # marked-content sequences on a page, at most: more is a hostile tree


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
    structure = _Structure(writer)
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
    stamper = _Stamper(writer)
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
    structure = _Structure(writer)
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


def _add(writer: PdfWriter, obj: Any) -> IndirectObject:
    """The object added to the writer as an indirect object (pypdf's own way to do so)."""
    added: IndirectObject = writer._add_object(obj)
    return added


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return _add(writer, stream)


def _surround(writer: PdfWriter, page: PageObject, before: bytes, after: bytes) -> None:
    """The page's content with `before` drawn first and `after` last, each a stream of its
    own: the content itself is not read or rewritten, so its marked content stays as it is."""
    from pypdf.generic import ArrayObject, IndirectObject, NameObject

    contents = page.get("/Contents")
    found = contents.get_object() if contents is not None else ArrayObject()
    kept = list(found) if isinstance(found, ArrayObject) else [contents]
    streams = [c if isinstance(c, IndirectObject) else _add(writer, c) for c in kept]
    page[NameObject("/Contents")] = ArrayObject(
        [_stream(writer, before), *streams, _stream(writer, after)]
    )


class _Stamper:
    """Stamps text on pages as pagination artifacts, in Helvetica (regular and bold) added
    once to the writer."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.fonts: dict[str, IndirectObject] = {}

    def stamp(self, page: PageObject, footer: str, header: str = "") -> None:
        """`footer` centred at the foot of the page and `header` (if any) at its head, as
        the page is shown (its /Rotate taken into account)."""
        box = page.cropbox
        left, bottom = float(box.left), float(box.bottom)
        width, height = float(box.width), float(box.height)
        turn = page.rotation % 360
        # From the page as shown (its lower left corner at 0 0) to the page's own space.
        matrix = {
            0: (1, 0, 0, 1, left, bottom),
            90: (0, 1, -1, 0, left + width, bottom),
            180: (-1, 0, 0, -1, left + width, bottom + height),
            270: (0, -1, 1, 0, left, bottom + height),
        }.get(turn, (1, 0, 0, 1, left, bottom))
        shown_width, shown_height = (height, width) if turn in (90, 270) else (width, height)
        cm = " ".join(f"{n:.2f}" for n in matrix)
        drawn = [
            self._line(page, "Helvetica", footer, STAMP_SIZE, shown_width, STAMP_FROM_BOTTOM,
                       "Footer", cm)
        ]  # fmt: skip
        if header:
            baseline = shown_height - MARK_FROM_TOP
            drawn.append(
                self._line(page, "Helvetica-Bold", header, MARK_SIZE, shown_width, baseline,
                           "Header", cm)
            )  # fmt: skip
        _surround(self.writer, page, b"q\n", ("\nQ\n" + "".join(drawn)).encode("latin-1"))

    def _line(
        self, page: PageObject, font: str, text: str, size: int, width: float, y: float,
        where: str, cm: str,
    ) -> str:  # fmt: skip
        widths = _BOLD_WIDTHS if font.endswith("Bold") else _WIDTHS
        x = (width - sum(widths.get(c, 722) for c in text) * size / 1000) / 2
        name = self._font(page, font)
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return (
            f"/Artifact <</Type /Pagination /Subtype /{where}>> BDC\n"
            f"q {cm} cm BT 0 g /{name} {size} Tf {x:.2f} {y:.2f} Td ({escaped}) Tj ET Q\n"
            "EMC\n"
        )

    def _font(self, page: PageObject, font: str) -> str:
        """The name the page's resources give `font` (added to them under a name of its own)."""
        from pypdf.generic import DictionaryObject, NameObject

        if font not in self.fonts:
            self.fonts[font] = _add(
                self.writer,
                DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Font"),
                        NameObject("/Subtype"): NameObject("/Type1"),
                        NameObject("/BaseFont"): NameObject(f"/{font}"),
                        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                    }
                ),
            )
        reference = self.fonts[font]
        resources: Any = page.get("/Resources")
        if resources is None:
            resources = DictionaryObject()
            page[NameObject("/Resources")] = resources
        resources = resources.get_object()
        fonts: Any = resources.get("/Font")
        if fonts is None:
            fonts = DictionaryObject()
            resources[NameObject("/Font")] = fonts
        fonts = fonts.get_object()
        base = "Stamp" + font.replace("-", "")
        for number in range(1000):
            name = base if number == 0 else f"{base}{number}"
            if fonts.get(f"/{name}") in (None, reference):
                fonts[NameObject(f"/{name}")] = reference
                return name
        raise ValueError("a page with a thousand stamp fonts")  # pragma: no cover


@dataclass
class _Source:
    """One source PDF's structure being copied: its pages' copies and annotations' copies,
    by the source object's number; the names it renames; and what its copied elements own,
    kept apart until the whole tree is copied."""

    pages: dict[int, PageObject]
    annotations: dict[int, IndirectObject]
    roles: dict[str, str]
    classes: dict[str, str]
    seen: set[int] = field(default_factory=set)
    needed: set[int] | None = None
    marked: list[tuple[PageObject, int, DictionaryObject]] = field(default_factory=list)
    owned: list[tuple[IndirectObject, DictionaryObject]] = field(default_factory=list)


class _Structure:
    """A writer's structure tree, made from its sources' trees as their pages are added."""

    def __init__(self, writer: PdfWriter) -> None:
        from pypdf.generic import DictionaryObject, NameObject

        self.writer = writer
        self.readers: list[PdfReader] = []  # pypdf knows a source by its reader's id: kept
        self.kids: list[DictionaryObject] = []
        self.languages: list[tuple[DictionaryObject | None, str]] = []
        self.roles = DictionaryObject()
        self.classes = DictionaryObject()
        # The elements that own each page's marked content (by page object number and
        # MCID), and each annotation's.
        self.marked: dict[int, dict[int, DictionaryObject]] = {}
        self.annotations: list[tuple[IndirectObject, DictionaryObject]] = []
        self.document = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject("/Document"),
            }
        )

    @property
    def language(self) -> str:
        """The first language a source gives."""
        return next((language for _, language in self.languages if language), "")

    def add(
        self, reader: PdfReader, part: bool, pages: range | None = None
    ) -> tuple[PdfReader, dict[int, int]]:
        """Appends the reader's pages (all, or `pages`) with their structure: under a Part
        element of its own if `part`, else directly under the Document (the source's own
        Document element left out). Returns the reader and its pages' indexes in the writer."""
        from pypdf.errors import PyPdfError
        from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

        indexes = pages if pages is not None else range(len(reader.pages))
        first = len(self.writer.pages)
        self.writer.append(reader, pages=(indexes.start, indexes.stop), import_outline=False)
        self.readers.append(reader)
        copies = [self.writer.pages[first + n] for n in range(len(indexes))]
        originals = [reader.pages[i] for i in indexes]
        placed = {i: first + n for n, i in enumerate(indexes)}
        catalog = reader.root_object
        language = str(catalog.get("/Lang", "") or "")
        tree = catalog.get("/StructTreeRoot")
        tree = tree.get_object() if tree is not None else None
        kids = None
        if isinstance(tree, DictionaryObject) and tree.get("/K") is not None:
            try:
                kids = self._tree(tree, originals, copies)
            except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
                kids = None  # a damaged tree: its pages go in as an untagged PDF's do
        if kids is None:
            kids = [made for page in copies if (made := self._paragraph(page)) is not None]
        if part and kids:
            container = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/StructElem"),
                    NameObject("/S"): NameObject("/Part"),
                    NameObject("/K"): ArrayObject(kids),
                    # Its first page: `extract` passes over a part on a page it leaves out.
                    NameObject("/Pg"): copies[0].indirect_reference,
                }
            )
            if title := (reader.metadata.title if reader.metadata is not None else None):
                container[NameObject("/T")] = TextStringObject(str(title))
            self.kids.append(container)
            self.languages.append((container, language))
        else:
            self.kids += kids
            self.languages.append((None, language))
        return reader, placed

    def _tree(
        self, tree: DictionaryObject, originals: list[PageObject], copies: list[PageObject]
    ) -> list[DictionaryObject]:
        """Copies of the elements of a source's structure tree (its Document element's
        kids, where it has one) on the pages copied; what they own, and the source's role
        and class maps, are added to this structure's only once the whole tree is copied."""
        from pypdf.generic import DictionaryObject

        roles, classes = DictionaryObject(self.roles), DictionaryObject(self.classes)
        source = _Source(
            pages={p.indirect_reference.idnum: c for p, c in zip(originals, copies, strict=True)
                   if p.indirect_reference is not None},
            annotations=_annotations(originals, copies),
            roles=_merge_names(roles, tree.get("/RoleMap"), self.writer, names=True),
            classes=_merge_names(classes, tree.get("/ClassMap"), self.writer, names=False),
        )  # fmt: skip
        if len(originals) < len(self.readers[-1].pages):  # some pages: walk only what is needed
            source.needed = _needed(tree, originals)
        kids: list[DictionaryObject] = []
        for top in structure_kids(tree):
            element = top.get_object()
            if isinstance(element, DictionaryObject) and element.get("/S") == "/Document":
                kids += self._copies(structure_kids(element), source, None, 1)
            elif (made := self._copy(top, source, None, 1)) is not None:
                kids.append(made)
        for page, mcid, owner in source.marked:
            self._owns(page, mcid, owner)
        self.annotations += source.owned
        self.roles, self.classes = roles, classes
        return kids

    def _copies(
        self, kids: Iterable[Any], source: _Source, page: int | None, depth: int
    ) -> list[DictionaryObject]:
        return [made for kid in kids if (made := self._copy(kid, source, page, depth)) is not None]

    def _copy(
        self, kid: Any, source: _Source, page: int | None, depth: int
    ) -> DictionaryObject | None:
        """A copy of a structure element (not yet added to the writer) with the content of
        it that is on the pages copied; None if none of it is. `page` is the object number
        of the page its parent's content is on."""
        from pypdf.generic import (
            ArrayObject,
            DictionaryObject,
            IndirectObject,
            NameObject,
            NumberObject,
        )

        element = kid.get_object()
        if not isinstance(element, DictionaryObject) or depth > _DEPTH:
            return None
        if source.needed is not None and getattr(kid, "idnum", None) not in source.needed:
            # Holding no content on the pages copied: an empty element (a table's empty
            # cell) on one of them is kept, and one on a page left out is passed over whole.
            own = element.get("/Pg")
            if isinstance(own, IndirectObject) and own.idnum not in source.pages:
                return None
        if not isinstance(element.get("/S"), NameObject):  # not an element: left out
            return None
        if isinstance(kid, IndirectObject):
            if kid.idnum in source.seen:  # a tree that loops, or shares an element
                return None
            source.seen.add(kid.idnum)
        own = element.get("/Pg")
        if isinstance(own, IndirectObject):
            page = own.idnum
        copy = DictionaryObject()
        content = ArrayObject()
        had = False
        for child in structure_kids(element):
            had = True
            resolved: Any = child.get_object()
            if isinstance(resolved, int):  # marked content on the element's page
                if page in source.pages and 0 <= resolved <= _MCIDS:
                    content.append(resolved)
                    source.marked.append((source.pages[page], int(resolved), copy))
            elif isinstance(resolved, DictionaryObject) and resolved.get("/Type") == "/MCR":
                on = resolved.get("/Pg")
                at = on.idnum if isinstance(on, IndirectObject) else page
                mcid: Any = resolved.get("/MCID")
                if (
                    at in source.pages
                    and "/Stm" not in resolved
                    and isinstance(mcid, int)
                    and 0 <= mcid <= _MCIDS
                ):
                    content.append(
                        DictionaryObject(
                            {
                                NameObject("/Type"): NameObject("/MCR"),
                                NameObject("/Pg"): source.pages[at].indirect_reference,
                                NameObject("/MCID"): NumberObject(mcid),
                            }
                        )
                    )
                    source.marked.append((source.pages[at], int(mcid), copy))
            elif isinstance(resolved, DictionaryObject) and resolved.get("/Type") == "/OBJR":
                target = resolved.get("/Obj")
                annotation = (
                    source.annotations.get(target.idnum)
                    if isinstance(target, IndirectObject)
                    else None
                )
                if annotation is not None:
                    placed = _resolved(annotation).get("/P")
                    content.append(
                        DictionaryObject(
                            {
                                NameObject("/Type"): NameObject("/OBJR"),
                                NameObject("/Obj"): annotation,
                                **({NameObject("/Pg"): placed} if placed is not None else {}),
                            }
                        )
                    )
                    source.owned.append((annotation, copy))
            elif (made := self._copy(child, source, page, depth + 1)) is not None:
                content.append(made)
        if not content and (had or (page is not None and page not in source.pages)):
            return None
        for key, value in element.items():
            if key not in ("/K", "/P", "/Pg", "/Ref"):
                copy[NameObject(key)] = value.clone(self.writer)
        role = str(element["/S"])
        copy[NameObject("/Type")] = NameObject("/StructElem")
        copy[NameObject("/S")] = NameObject(source.roles.get(role, role))
        if "/C" in copy:
            copy[NameObject("/C")] = _renamed(copy["/C"], source.classes)
        if page in source.pages:
            copy[NameObject("/Pg")] = source.pages[page].indirect_reference
        if content:
            copy[NameObject("/K")] = content
        return copy

    def _owns(self, page: PageObject, mcid: int, element: DictionaryObject) -> None:
        assert page.indirect_reference is not None
        self.marked.setdefault(page.indirect_reference.idnum, {})[mcid] = element

    def _paragraph(self, page: PageObject) -> DictionaryObject | None:
        """A paragraph element holding the whole content of a page from a source with no
        structure tree, so that a screen reader reaches its text; None for a page with no
        content, or with marked content of its own to leave as it is."""
        from pypdf.generic import DictionaryObject, NameObject, NumberObject

        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
        if not data.strip() or b"/MCID" in data:
            return None
        _surround(self.writer, page, b"/P <</MCID 0>> BDC\n", b"\nEMC\n")
        element = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/StructElem"),
                NameObject("/S"): NameObject("/P"),
                NameObject("/Pg"): page.indirect_reference,
                NameObject("/K"): NumberObject(0),
            }
        )
        self._owns(page, 0, element)
        return element

    def finish(self) -> None:
        """Adds the structure tree to the writer: the Document element holding every
        source's, a parent tree from each page's marked content and each annotation to the
        element that owns it, and the role and class maps; the catalog marks the PDF tagged."""
        from pypdf.generic import (
            ArrayObject,
            BooleanObject,
            DictionaryObject,
            NameObject,
            NullObject,
            NumberObject,
            TextStringObject,
        )

        writer = self.writer
        root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        root_reference = _add(writer, root)
        document = _add(writer, self.document)
        self.document[NameObject("/P")] = root_reference
        for container, language in self.languages:
            if container is not None and language and language != self.language:
                container[NameObject("/Lang")] = TextStringObject(language)
        self.document[NameObject("/K")] = ArrayObject(
            _attached(writer, kid, document) for kid in self.kids
        )
        numbers = ArrayObject()
        key = 0
        for page in writer.pages:
            page.pop("/StructParents", None)
            assert page.indirect_reference is not None
            marked = self.marked.get(page.indirect_reference.idnum)
            if marked:
                page[NameObject("/StructParents")] = NumberObject(key)
                owners = ArrayObject(
                    getattr(marked.get(m), "indirect_reference", None) or NullObject()
                    for m in range(max(marked) + 1)
                )
                numbers += [NumberObject(key), _add(writer, owners)]
                key += 1
            annotations = page.get("/Annots")
            if annotations is not None:
                page[NameObject("/Tabs")] = NameObject("/S")  # tab in the structure's order
                for annotation in annotations.get_object():
                    _resolved(annotation).pop("/StructParent", None)
        for annotation, element in self.annotations:
            reference = getattr(element, "indirect_reference", None)
            if reference is not None:
                _resolved(annotation)[NameObject("/StructParent")] = NumberObject(key)
                numbers += [NumberObject(key), reference]
                key += 1
        root[NameObject("/K")] = document
        root[NameObject("/ParentTree")] = _add(
            writer, DictionaryObject({NameObject("/Nums"): numbers})
        )
        root[NameObject("/ParentTreeNextKey")] = NumberObject(key)
        if self.roles:
            root[NameObject("/RoleMap")] = self.roles
        if self.classes:
            root[NameObject("/ClassMap")] = self.classes
        writer.root_object[NameObject("/StructTreeRoot")] = root_reference
        writer.root_object[NameObject("/MarkInfo")] = DictionaryObject(
            {NameObject("/Marked"): BooleanObject(True)}
        )


def _attached(writer: PdfWriter, element: DictionaryObject, parent: IndirectObject) -> Any:
    """The element added to the writer under `parent`, with its element kids in turn."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    reference = _add(writer, element)
    element[NameObject("/P")] = parent
    kids = element.get("/K")
    if isinstance(kids, ArrayObject):
        for n, kid in enumerate(kids):
            if isinstance(kid, DictionaryObject) and "/S" in kid:
                kids[n] = _attached(writer, kid, reference)
    return reference


def _resolved(reference: Any) -> Any:
    """The object a reference points at (pypdf types it loosely)."""
    return reference.get_object()


def structure_kids(element: Any) -> Iterator[Any]:
    """A structure element's (or tree root's) kids, as given: /K is one kid or an array."""
    from pypdf.generic import ArrayObject

    kids = element.get("/K")
    if kids is None:
        return iter(())
    resolved = kids.get_object()
    return iter(resolved) if isinstance(resolved, ArrayObject) else iter([kids])


def _needed(tree: Any, originals: Sequence[PageObject]) -> set[int] | None:
    """The object numbers of the elements that own content on the pages (by the parent
    tree), and of their ancestors; None if the tree has no parent tree to tell."""
    from pypdf.generic import ArrayObject, IndirectObject

    numbers = _numbers(tree.get("/ParentTree"), 0)
    if not numbers:
        return None
    owners: list[Any] = []
    for page in originals:
        key = page.get("/StructParents")
        found = _resolved(numbers[key]) if isinstance(key, int) and key in numbers else None
        owners += list(found) if isinstance(found, ArrayObject) else []
        annotations = page.get("/Annots")
        for annotation in _resolved(annotations) if annotations is not None else ():
            key = _resolved(annotation).get("/StructParent")
            owners += [numbers[key]] if isinstance(key, int) and key in numbers else []
    needed: set[int] = set()
    for owner in owners:
        while isinstance(owner, IndirectObject) and owner.idnum not in needed:
            needed.add(owner.idnum)
            owner = _resolved(owner).get("/P")
    return needed


def _numbers(node: Any, depth: int) -> dict[int, Any]:
    """A number tree's keys and values (as given, not resolved)."""
    from pypdf.generic import ArrayObject, DictionaryObject

    node = _resolved(node) if node is not None else None
    if not isinstance(node, DictionaryObject) or depth > 20:
        return {}
    found: dict[int, Any] = {}
    pairs = _resolved(node.raw_get("/Nums")) if "/Nums" in node else None
    if isinstance(pairs, ArrayObject):
        found.update(
            (int(key), value) for key, value in zip(pairs[::2], pairs[1::2], strict=False)
            if isinstance(key, int)
        )  # fmt: skip
    kids = _resolved(node.raw_get("/Kids")) if "/Kids" in node else None
    for kid in kids if isinstance(kids, ArrayObject) else ():
        found.update(_numbers(kid, depth + 1))
    return found


def _annotations(
    originals: Sequence[PageObject], copies: Sequence[PageObject]
) -> dict[int, IndirectObject]:
    """Each source annotation in the structure (by object number) to its copy, matched by
    the key into the parent tree that pypdf copies with it."""
    from pypdf.generic import IndirectObject

    def keyed(page: PageObject) -> dict[int, Any]:
        annotations = page.get("/Annots")
        found = {}
        for annotation in annotations.get_object() if annotations is not None else ():
            key = annotation.get_object().get("/StructParent")
            if isinstance(key, int):
                found[int(key)] = annotation
        return found

    matched = {}
    for original, copy in zip(originals, copies, strict=True):
        copied = keyed(copy)
        for key, annotation in keyed(original).items():
            if isinstance(annotation, IndirectObject) and key in copied:
                matched[annotation.idnum] = copied[key]
    return matched


def _merge_names(mine: Any, theirs: Any, writer: PdfWriter, names: bool) -> dict[str, str]:
    """`theirs` (a source's role map, or class map) added to `mine`; a name `mine` already
    has for something else is renamed. Returns the renames."""
    from pypdf.generic import DictionaryObject, NameObject

    theirs = theirs.get_object() if theirs is not None else None
    if not isinstance(theirs, DictionaryObject):
        return {}
    renames: dict[str, str] = {}
    for key, value in theirs.items():
        if key in mine and mine[key] != value.get_object():
            number = 2
            while f"{key}_{number}" in mine or f"{key}_{number}" in theirs:
                number += 1
            renames[key] = f"{key}_{number}"
    for key, value in theirs.items():
        if names and isinstance(value, NameObject):
            mine[NameObject(renames.get(key, key))] = NameObject(renames.get(value, value))
        elif not names:
            mine[NameObject(renames.get(key, key))] = value.clone(writer)
    return renames


def _renamed(classes: Any, renames: dict[str, str]) -> Any:
    """An element's /C (a class name, or an array of them and revision numbers) renamed."""
    from pypdf.generic import ArrayObject, NameObject

    if isinstance(classes, NameObject):
        return NameObject(renames.get(classes, classes))
    if isinstance(classes, ArrayObject):
        return ArrayObject(_renamed(c, renames) for c in classes)
    return classes
