"""A pack's structure tree, made from its sources' trees as their pages are added
(`join.assemble`, `join.extract`).

The pack is a tagged PDF, as each paper's own PDF is: every source's structure tree is copied
under one Document element, a Part for each source, its elements pointing at the pack's copies
of the pages, with the pages' and annotations' keys into the parent tree numbered afresh and
role maps merged (a name two sources map differently is renamed in the second). A source
without a structure tree (a supplied PDF printed untagged) gets the least structure that lets
a screen reader reach its text: each page's content as one paragraph. Where only some of a
source's pages are copied, only the structure on them is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reportgen.pdf.trees import (
    annotation_copies,
    dereferenced,
    merge_names,
    needed_elements,
    renamed_classes,
    structure_kids,
)
from reportgen.pdf.writing import add_object, surround

if TYPE_CHECKING:  # pypdf is imported when a pack is made, not by every run
    from pypdf import PageObject, PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, IndirectObject

_DEPTH = 200  # levels of structure copied: deeper is a damaged or hostile tree
_MCIDS = 100_000  # marked-content sequences on a page, at most: more is a hostile tree


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


class Structure:
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
            annotations=annotation_copies(originals, copies),
            roles=merge_names(roles, tree.get("/RoleMap"), self.writer, names=True),
            classes=merge_names(classes, tree.get("/ClassMap"), self.writer, names=False),
        )  # fmt: skip
        if len(originals) < len(self.readers[-1].pages):  # some pages: walk only what is needed
            source.needed = needed_elements(tree, originals)
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
                    placed = dereferenced(annotation).get("/P")
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
            copy[NameObject("/C")] = renamed_classes(copy["/C"], source.classes)
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
        surround(self.writer, page, b"/P <</MCID 0>> BDC\n", b"\nEMC\n")
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
        root_reference = add_object(writer, root)
        document = add_object(writer, self.document)
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
                numbers += [NumberObject(key), add_object(writer, owners)]
                key += 1
            annotations = page.get("/Annots")
            if annotations is not None:
                page[NameObject("/Tabs")] = NameObject("/S")  # tab in the structure's order
                for annotation in annotations.get_object():
                    dereferenced(annotation).pop("/StructParent", None)
        for annotation, element in self.annotations:
            reference = getattr(element, "indirect_reference", None)
            if reference is not None:
                dereferenced(annotation)[NameObject("/StructParent")] = NumberObject(key)
                numbers += [NumberObject(key), reference]
                key += 1
        root[NameObject("/K")] = document
        root[NameObject("/ParentTree")] = add_object(
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

    reference = add_object(writer, element)
    element[NameObject("/P")] = parent
    kids = element.get("/K")
    if isinstance(kids, ArrayObject):
        for n, kid in enumerate(kids):
            if isinstance(kid, DictionaryObject) and "/S" in kid:
                kids[n] = _attached(writer, kid, reference)
    return reference
