"""The agenda pack as a PDF: one page number on each page (the pack's), NOT FOR PUBLICATION
on every page of the exempt pack, tagged with its title and language (each paper's structure
kept, its pages the pack's own), and the PDF accessibility check that says so.

The tests of joining and of the check make their PDFs by hand with pypdf; those of the
example's packs need LibreOffice and poppler (conftest's `require_tool`: skipped where they
are missing, unless REPORTGEN_REQUIRE_PDF is set)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import REPO, require_tool
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

import reportgen
from reportgen.pdf.accessibility import check
from reportgen.pdf.join import Part, assemble, extract, sections
from reportgen.word.render import without_page_numbers

MEETING = Path("data/meetings/2026-11-04-children-and-young-people-scrutiny-panel.yaml")
EXEMPT_NARRATIVE = Path("data/narrative/2026-11-04-high-cost-placements.yaml")
NUMBER = re.compile(r"Page \d+ of \d+")
MARK = "NOT FOR PUBLICATION"


def add(writer: PdfWriter, obj: Any) -> IndirectObject:
    return writer._add_object(obj)


def value(item: Any) -> Any:
    """A Python value as a PDF object: "/Name" a name, another string a text string."""
    if isinstance(item, str):
        return NameObject(item) if item.startswith("/") else TextStringObject(item)
    if isinstance(item, bool):
        return BooleanObject(item)
    if isinstance(item, int):
        return NumberObject(item)
    if isinstance(item, list):
        return ArrayObject(map(value, item))
    return item  # a PDF object already


def pdf(**entries: Any) -> DictionaryObject:
    """A PDF dictionary: `pdf(Type="/Font", Size=9)` is << /Type /Font /Size 9 >>."""
    return DictionaryObject({NameObject(f"/{key}"): value(v) for key, v in entries.items()})


def page_with(writer: PdfWriter, content: str, resources: DictionaryObject) -> Any:
    """A new A4 page drawing `content` (a content stream's operators) with `resources`."""
    page = writer.add_blank_page(595, 842)
    stream = DecodedStreamObject()
    stream.set_data(content.encode("latin-1"))
    page[NameObject("/Contents")] = add(writer, stream)
    page[NameObject("/Resources")] = resources
    return page


def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def helvetica(writer: PdfWriter) -> DictionaryObject:
    return pdf(Font=pdf(F1=add(writer, pdf(Type="/Font", Subtype="/Type1", BaseFont="/Helvetica"))))


def tagged_pdf(
    texts: Sequence[str], title: str = "Paper", role: str = "/P", link_on: int | None = None
) -> bytes:
    """A tagged PDF made by hand: each page's text in a paragraph of the role "/Para" (which
    the role map maps to `role`), and a link (an annotation in the structure) on page
    `link_on`."""
    writer = PdfWriter()
    resources = helvetica(writer)
    root = pdf(Type="/StructTreeRoot", RoleMap=pdf(Para=role))
    document = pdf(Type="/StructElem", S="/Document", P=add(writer, root))
    kids, numbers = [], []
    for number, text in enumerate(texts):
        page = page_with(
            writer, f"/Para <</MCID 0>> BDC BT /F1 12 Tf 72 700 Td ({text}) Tj ET EMC", resources
        )
        page[NameObject("/StructParents")] = NumberObject(number)
        paragraph = pdf(Type="/StructElem", S="/Para", P=add(writer, document),
                        Pg=page.indirect_reference, K=0)  # fmt: skip
        kids.append(add(writer, paragraph))
        numbers += [number, [kids[-1]]]
    if link_on is not None:
        page = writer.pages[link_on]
        annotation = add(writer, pdf(Type="/Annot", Subtype="/Link", Rect=[72, 690, 200, 712],
                                     StructParent=len(texts),
                                     A=pdf(S="/URI", URI="https://example.org")))  # fmt: skip
        page[NameObject("/Annots")] = value([annotation])
        link = pdf(Type="/StructElem", S="/Link", P=add(writer, document),
                   Pg=page.indirect_reference, K=pdf(Type="/OBJR", Obj=annotation))  # fmt: skip
        kids.append(add(writer, link))
        numbers += [len(texts), kids[-1]]
    document[NameObject("/K")] = value(kids)
    root.update(pdf(K=add(writer, document), ParentTree=pdf(Nums=numbers)))
    writer.root_object.update(
        pdf(StructTreeRoot=add(writer, root), MarkInfo=pdf(Marked=True), Lang="en-GB")
    )
    writer.add_metadata({"/Title": title})
    return written(writer)


def untagged_pdf(texts: Sequence[str]) -> bytes:
    """A PDF as a printer driver makes one: text on each page, and nothing else."""
    writer = PdfWriter()
    resources = helvetica(writer)
    for text in texts:
        page_with(writer, f"BT /F1 12 Tf 72 700 Td ({text}) Tj ET", resources)
    return written(writer)


def structure(content: bytes) -> dict[str, Any]:
    """What a PDF's structure tree says, checked against its pages as it is walked: every
    element's /P is its parent, and each page's marked content belongs, by the parent tree,
    to the element that holds it. Returns the elements' roles in order, the pages they are
    on (indexes), and each page's MCIDs in the tree and in its content."""
    reader = PdfReader(io.BytesIO(content))
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    root = reader.root_object["/StructTreeRoot"]
    numbers = root["/ParentTree"]["/Nums"]
    parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    roles, on, marked = [], set(), {n: set() for n in pages.values()}

    def walk(reference: IndirectObject, parent: int, page: int | None) -> None:
        element = reference.get_object()
        assert element.raw_get("/P").idnum == parent
        roles.append(str(element["/S"]))
        if "/Pg" in element:
            page = element.raw_get("/Pg").idnum
            assert page in pages, "an element on a page the PDF does not have"
            on.add(pages[page])
        if "/K" not in element:
            return
        kids = element["/K"]
        for kid in kids if isinstance(kids, ArrayObject) else [element.raw_get("/K")]:
            resolved = kid.get_object()
            if isinstance(resolved, int):
                marked[pages[page]].add(int(resolved))
                owners = parents[int(reader.pages[pages[page]]["/StructParents"])].get_object()
                assert owners[int(resolved)].idnum == reference.idnum
            elif resolved.get("/Type") == "/MCR":
                at = pages[resolved.raw_get("/Pg").idnum]
                marked[at].add(int(resolved["/MCID"]))
                owners = parents[int(reader.pages[at]["/StructParents"])].get_object()
                assert owners[int(resolved["/MCID"])].idnum == reference.idnum
            elif resolved.get("/Type") == "/OBJR":
                annotation = resolved["/Obj"]
                assert any(a.get_object() == annotation for p in reader.pages
                           for a in p.get("/Annots", []))  # fmt: skip
                assert parents[int(annotation["/StructParent"])].idnum == reference.idnum
            else:
                walk(kid, reference.idnum, page)

    walk(root.raw_get("/K"), root.indirect_reference.idnum, None)
    in_content = {
        n: {int(m) for m in re.findall(rb"/MCID\s*(\d+)", page.get_contents().get_data())}
        for n, page in enumerate(reader.pages)
        if page.get_contents() is not None
    }
    return {"roles": roles, "pages": on, "marked": marked, "in_content": in_content}


def page_texts(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def it_merges_each_paper_structure_into_the_pack() -> None:
    front = tagged_pdf(["Agenda"], "Agenda")
    minutes = untagged_pdf(["Minutes of the last meeting"])
    report = tagged_pdf(["Report one", "Report two"], "Report", role="/P", link_on=1)
    appendix = tagged_pdf(["Appendix"], "Appendix", role="/H1")  # /Para means another role
    parts = [Part("", [front]), Part("Item 1: Minutes", [minutes]),
             Part("Item 2: Report", [report, appendix])]  # fmt: skip
    pack = assemble(parts, "Agenda: Panel, 4 November 2026")
    found = structure(pack)
    # A Part for each document: the front sheet, the minutes, the report and its appendix.
    assert found["roles"] == ["/Document", "/Part", "/Para", "/Part", "/P", "/Part", "/Para",
                              "/Para", "/Link", "/Part", "/Para_2"]  # fmt: skip
    assert found["pages"] == {0, 1, 2, 3, 4}  # every page's content in the tree, on its page
    assert found["marked"] == found["in_content"] == {n: {0} for n in range(5)}
    reader = PdfReader(io.BytesIO(pack))
    tree = reader.root_object["/StructTreeRoot"]
    assert tree["/RoleMap"] == {"/Para": "/P", "/Para_2": "/H1"}
    assert tree["/ParentTreeNextKey"] == 6  # five pages and a link
    assert reader.root_object["/MarkInfo"]["/Marked"].value is True
    assert reader.root_object["/Lang"] == "en-GB"
    assert reader.root_object["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == "Agenda: Panel, 4 November 2026"
    assert sections(pack) == [("Item 1: Minutes", 1, 1), ("Item 2: Report", 2, 4)]
    assert check(pack) == []


def it_puts_a_paper_whose_structure_cannot_be_read_in_without_it() -> None:
    writer = PdfWriter(clone_from=io.BytesIO(tagged_pdf(["Damaged"])))
    writer.pages[0][NameObject("/Annots")] = NumberObject(5)  # not a list of annotations
    pack = assemble(
        [Part("", [tagged_pdf(["Agenda"])]), Part("Item 1: X", [written(writer)])], "Pack"
    )
    found = structure(pack)
    assert found["roles"] == ["/Document", "/Part", "/Para"]  # the front sheet's
    assert found["marked"] == {0: {0}, 1: set()} and found["in_content"] == {0: {0}, 1: {0}}
    assert "Damaged" in page_texts(pack)[1]


def it_numbers_each_page_once_and_marks_only_the_marked_parts() -> None:
    pack = assemble(
        [Part("", [tagged_pdf(["Exempt agenda"])], MARK),
         Part("Item 5: Placements", [tagged_pdf(["Costs", f"{MARK} Fees"])], MARK),
         Part("Item 6: Other", [tagged_pdf(["Public"])])],
        "Exempt agenda",
    )  # fmt: skip
    texts = page_texts(pack)
    assert [NUMBER.findall(text) for text in texts] == [[f"Page {n} of 4"] for n in range(1, 5)]
    # Page 3 prints the mark itself (as an exempt paper's header does): it is not doubled.
    assert [text.count(MARK) for text in texts] == [1, 1, 1, 0]
    for page in PdfReader(io.BytesIO(pack)).pages:  # the stamps are artifacts, not text
        data = page.get_contents().get_data()
        assert re.search(rb"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n.*Page", data)


def it_cuts_an_item_with_its_structure_bookmarks_title_and_language() -> None:
    report = tagged_pdf(["Report one", "Report two"], "Report", link_on=1)
    pack = assemble(
        [Part("", [tagged_pdf(["Agenda"])]), Part("Item 2: Report", [report]),
         Part("Item 3: Other", [tagged_pdf(["Other"])])],
        "Agenda",
    )  # fmt: skip
    item = extract(pack, 1, 2, "Item 2: Report")
    found = structure(item)
    assert found["roles"] == ["/Document", "/Part", "/Para", "/Para", "/Link"]
    assert found["marked"] == found["in_content"] == {0: {0}, 1: {0}}
    reader = PdfReader(io.BytesIO(item))
    assert [mark.title for mark in reader.outline] == ["Item 2: Report"]
    assert reader.metadata.title == "Item 2: Report" and reader.root_object["/Lang"] == "en-GB"
    assert "Report two" in page_texts(item)[1] and "Other" not in "".join(page_texts(item))
    assert check(item) == []


def scanned_page(writer: PdfWriter) -> None:
    """A page with only a picture on it, as a scanner makes."""
    picture = DecodedStreamObject()
    picture.set_data(b"\xff\x00\x00")
    picture.update(pdf(Type="/XObject", Subtype="/Image", Width=1, Height=1,
                       ColorSpace="/DeviceRGB", BitsPerComponent=8))  # fmt: skip
    page_with(
        writer, "q 500 0 0 700 50 50 cm /Im1 Do Q", pdf(XObject=pdf(Im1=add(writer, picture)))
    )


def unextractable_page(writer: PdfWriter) -> None:
    """A page whose text has no Unicode meaning: a font whose codes name no glyph."""
    font = pdf(Type="/Font", Subtype="/Type1", BaseFont="/Custom",
               Encoding=pdf(Differences=[65, "/.notdef", "/.notdef"]))  # fmt: skip
    page_with(writer, "BT /F1 12 Tf 72 700 Td (ABAB) Tj ET", pdf(Font=pdf(F1=add(writer, font))))


def bad_pdf() -> bytes:
    """An untagged PDF with one of every fault the check knows, and a blank page (allowed)."""
    writer = PdfWriter(clone_from=io.BytesIO(untagged_pdf(["Some text"])))
    scanned_page(writer)
    writer.add_blank_page(612, 792)
    unextractable_page(writer)
    return written(writer)


def it_finds_each_fault_in_an_untagged_pdf() -> None:
    assert [str(f) for f in check(bad_pdf())] == [
        "document: is not tagged: a screen reader cannot tell its headings, lists and tables "
        "— make it again from the source document with tags (Word: Save As PDF > Options > "
        "Document structure tags for accessibility; LibreOffice: Export as PDF > Tagged PDF)",
        "document: has no title — set the title in the source document (Word: File > Info > "
        "Title) and make the PDF again from the source document with its accessibility "
        "options on",
        "document: shows its file name, not its title, in the window's title bar — set "
        "DisplayDocTitle (Acrobat: File > Properties > Initial View > Show: Document Title), "
        "or make the PDF again from the source document with its accessibility options on",
        "document: has no language — set the language of the source document (e.g. en-GB) "
        "and make the PDF again from the source document with its accessibility options on "
        "(Acrobat: File > Properties > Advanced > Language)",
        "document: has 4 pages and no bookmarks — give the source document headings and make "
        "the PDF with bookmarks from them (Word: Save As PDF > Options > Create bookmarks "
        "using Headings)",
        "page 2: has pictures and no text (a scan?): a screen reader gets nothing from it — "
        "make the PDF from the source document, not a scan; or recognise its text (OCR) and "
        "tag it",
        "page 4: has text that cannot be extracted: a screen reader gets nothing from it — "
        "make the PDF again from the source document with its accessibility options on (not "
        "printed to PDF; fonts embedded with their Unicode mapping)",
    ]


def it_finds_a_scanned_page_in_a_pack_whatever_the_pack_stamps_on_it() -> None:
    writer = PdfWriter()
    scanned_page(writer)
    pack = assemble(
        [Part("", [tagged_pdf(["Agenda"])]), Part("Item 1: Minutes", [written(writer)])], "Pack"
    )
    assert "Page 2 of 2" in page_texts(pack)[1]  # text, but an artifact's
    assert [str(f).split(" —")[0] for f in check(pack)] == [
        "page 2: has pictures and no text (a scan?): a screen reader gets nothing from it"
    ]


def it_finds_a_structure_tree_that_points_at_pages_the_pdf_does_not_have() -> None:
    pack = assemble([Part("", [tagged_pdf(["One", "Two"])])], "Pack")
    # What pypdf's own `append` does: the pages without the structure that points at them.
    writer = PdfWriter(clone_from=io.BytesIO(pack))
    writer.remove_page(1)
    assert [str(f) for f in check(written(writer))] == [
        "document: has 1 structure element on pages it does not have — make the PDF again "
        "from the source document with its accessibility options on (it was joined or cut by "
        "a tool that lost its tags)"
    ]


def it_checks_pdfs_from_the_command_line(tmp_path: Path, cli) -> None:
    good, bad = tmp_path / "pack.pdf", tmp_path / "scan.pdf"
    good.write_bytes(assemble([Part("", [tagged_pdf(["Agenda"])])], "Agenda"))
    bad.write_bytes(bad_pdf())
    result = cli("accessibility", str(good))
    assert (result.exit_code, result.stdout) == (0, "ok: 1 document checked, no findings\n")
    result = cli("accessibility", str(good), str(bad))
    assert result.exit_code == 1 and result.stderr == "7 findings.\n"
    assert f"{bad}: page 2: has pictures and no text (a scan?)" in result.stdout
    (tmp_path / "not.pdf").write_text("not a PDF")
    result = cli("accessibility", str(tmp_path / "not.pdf"))
    assert result.exit_code == 1
    assert "not.pdf: is not a PDF — check it is the right file" in result.stderr


def footer_with(fields: str) -> bytes:
    """A Word document whose footer reads "Panel, 4 November 2026<tab>" and then `fields`
    (WordprocessingML runs and fields)."""
    document = docx.Document()
    footer = document.sections[0].footer.paragraphs[0]
    footer.add_run("Panel, 4 November 2026\t")
    for element in list(parse_xml(f"<w:p {nsdecls('w')}>{fields}</w:p>")):
        footer._p.append(element)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def field(instruction: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def words(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


@pytest.mark.parametrize(
    ("fields", "left"),
    [
        (words("Page ") + '<w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
         + words(" of ") + '<w:fldSimple w:instr="NUMPAGES"><w:r><w:t>9</w:t></w:r></w:fldSimple>',
         "Panel, 4 November 2026\t"),
        (words("Page ") + field("PAGE \\* MERGEFORMAT") + words("/") + field("NUMPAGES"),
         "Panel, 4 November 2026\t"),
        (field("PAGE") + words(" Draft"), "Panel, 4 November 2026\t Draft"),
    ],
    ids=["simple fields", "complex fields", "a number alone"],
)  # fmt: skip
def it_takes_a_documents_own_page_numbers_out_for_a_pack(fields: str, left: str) -> None:
    unnumbered = docx.Document(io.BytesIO(without_page_numbers(footer_with(fields))))
    footer = unnumbered.sections[0].footer
    assert footer.paragraphs[0].text == left
    assert "fldChar" not in footer._element.xml and "fldSimple" not in footer._element.xml


def it_leaves_a_document_without_page_numbers_as_it_is() -> None:
    content = footer_with(words("Draft"))
    assert without_page_numbers(content) == content


# The example's packs, made by LibreOffice.


def always_numbered(template: Path, copy: Path) -> None:
    """A copy of a built-in template whose footer prints its page number even in a pack, as
    a council's own template may."""
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(copy, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if re.fullmatch(r"word/footer\d*\.xml", item.filename):
                data = data.replace(b"{% if not in_pack %}", b"").replace(b"{% endif %}", b"")
            target.writestr(item, data)


@pytest.fixture(scope="module")
def published(example: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example meeting published (its packs and public copy built), in a project whose
    front sheet and exempt paper templates print their own page numbers in their footers."""
    require_tool("soffice")
    root = tmp_path_factory.mktemp("published")
    for folder in ("config", "data", ".cache"):
        if (example / folder).is_dir():
            shutil.copytree(example / folder, root / folder)
    (root / "templates").mkdir()
    for template in ("agenda", "information_report"):
        always_numbered(REPO / f"reportgen/templates/{template}.docx",
                        root / "templates" / f"{template}.docx")  # fmt: skip
    reportgen.Workspace(root).publish_meeting(root / MEETING)
    return root


def pack_of(root: Path, name: str) -> bytes:
    return (root / "out/2026-11-04-children-and-young-people-scrutiny-panel" / name).read_bytes()


def pdftotext_pages(content: bytes, tmp_path: Path) -> list[str]:
    pdf = tmp_path / "read.pdf"
    pdf.write_bytes(content)
    command = [require_tool("pdftotext"), "-layout", str(pdf), "-"]
    text = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


@pytest.mark.parametrize("pack", ["agenda-pack.pdf", "exempt-agenda-pack.pdf"])
def it_prints_one_page_number_on_each_page_of_a_pack(
    published: Path, pack: str, tmp_path: Path
) -> None:
    pages = pdftotext_pages(pack_of(published, pack), tmp_path)
    assert [NUMBER.findall(page) for page in pages] == [
        [f"Page {number} of {len(pages)}"] for number in range(1, len(pages) + 1)
    ]


@pytest.fixture(scope="module")
def paper_pdfs(published: Path) -> dict[str, bytes]:
    """Every example paper's own PDF (`build --pdf`), by file name."""
    narratives = sorted((published / "data" / "narrative").glob("*.yaml"))
    built = reportgen.Workspace(published).build(narratives, write=False, pdf=True).reports
    return {path.name: content for item in built for path, content in item.files
            if path.suffix == ".pdf"}  # fmt: skip


def it_keeps_the_page_numbers_of_a_papers_own_pdf(
    paper_pdfs: dict[str, bytes], tmp_path: Path
) -> None:
    pages = pdftotext_pages(paper_pdfs[f"{EXEMPT_NARRATIVE.stem}.pdf"], tmp_path)
    assert [NUMBER.findall(page) for page in pages] == [
        [f"Page {number} of {len(pages)}"] for number in range(1, len(pages) + 1)
    ]


def it_finds_nothing_in_the_pdf_of_any_paper(paper_pdfs: dict[str, bytes]) -> None:
    assert len(paper_pdfs) == 6
    assert {name: [str(f) for f in check(pdf)] for name, pdf in paper_pdfs.items()} == {
        name: [] for name in paper_pdfs
    }


def it_marks_every_page_of_the_exempt_pack_and_none_of_the_public_one(
    published: Path, tmp_path: Path
) -> None:
    exempt = pdftotext_pages(pack_of(published, "exempt-agenda-pack.pdf"), tmp_path)
    assert len(exempt) >= 2 and all(MARK in page for page in exempt)
    assert "Exempt agenda" in exempt[0]  # the front sheet, which does not print it itself
    public = pdftotext_pages(pack_of(published, "agenda-pack.pdf"), tmp_path)
    assert not any(MARK in page for page in public)


@pytest.mark.parametrize("pack", ["agenda-pack.pdf", "exempt-agenda-pack.pdf"])
def it_makes_each_pack_a_tagged_pdf_with_its_title_and_language(published: Path, pack: str) -> None:
    content = pack_of(published, pack)
    found = structure(content)
    reader = PdfReader(io.BytesIO(content))
    assert found["pages"] == set(range(len(reader.pages)))  # every page has tagged content
    assert found["marked"] == found["in_content"]
    assert found["roles"].count("/Part") == 1 + len(sections(content))  # front sheet, papers
    assert {"/H1", "/Table", "/TH"} <= set(found["roles"])
    assert reader.root_object["/Lang"] == "en-GB"
    assert reader.metadata.title.endswith(
        "Children and Young People Scrutiny Panel, 4 November 2026"
    )
    assert check(content) == []


def it_nests_each_papers_bookmarks_under_its_item(published: Path) -> None:
    reader = PdfReader(io.BytesIO(pack_of(published, "agenda-pack.pdf")))
    items = [mark.title for mark in reader.outline if not isinstance(mark, list)]
    assert items == ["Item 3: Minutes of the meeting held on 9 September 2026",
                     "Item 4: Performance Report"]  # fmt: skip
    report = reader.outline[-1]
    assert isinstance(report, list) and len(report) > 5  # the report's headings
    start = reader.get_destination_page_number(reader.outline[-2])
    assert all(
        reader.get_destination_page_number(m) >= start for m in report if not isinstance(m, list)
    )


def it_publishes_tagged_item_pdfs(published: Path) -> None:
    public = sorted((published / "public").rglob("*.pdf"))
    assert [path.name for path in public] == ["agenda-pack.pdf", "item-03.pdf", "item-04.pdf"]
    for path in public:
        content = path.read_bytes()
        found = structure(content)
        assert found["pages"] == set(range(len(PdfReader(io.BytesIO(content)).pages)))
        assert check(content) == [], path.name
