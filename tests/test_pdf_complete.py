"""The PDF is the paper: every paragraph and table cell of a document LibreOffice converts
is in the PDF it makes, or the conversion fails, naming what is missing and where, and
nothing is written (issue 24: the scorecard's care leavers rows were lost at the foot of a
page, and no test noticed).

The tests of matching use text written here; those of the example papers and packs need
LibreOffice (conftest's `require_tool`: skipped where it is missing, unless
REPORTGEN_REQUIRE_PDF is set, as CI sets it).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import REPO, SCORECARD, SCORECARD_APPENDIX, SCORECARD_NARRATIVE, require_tool
from lxml import etree
from pypdf import PdfReader, PdfWriter

import reportgen
from reportgen.errors import IncompletePdf
from reportgen.pdf import complete, convert
from reportgen.pdf.join import sections
from reportgen.word.pieces import Piece, pieces

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MEETINGS = sorted((REPO / "data" / "meetings").glob("*.yaml"))
NARRATIVES = sorted((REPO / "data" / "narrative").glob("*.yaml"))
CARE_LEAVERS = "Care leavers aged 19 to 21 in suitable accommodation"


def text(*parts: str) -> str:
    return complete.normalised(" ".join(parts))


# Normalising --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("in_the_document", "as_printed"),
    [
        ("accommodation", "accommo-\ndation"),  # hyphenated at the end of a line
        ("accommodation", "accom\u00admodation"),  # a soft hyphen
        ("full-time equivalent", "full-\ntime equivalent"),  # a line broken at a hyphen
        ("Annual figure", "Annual \nfigure"),  # a line break in a narrow cell
        ("figure", "\ufb01gure"),  # the fi ligature
        ("55\u00a0of\u00a059", "55 of 59"),  # no-break spaces
        ("Not for publication", "NOT FOR PUBLICATION"),  # a style printing capitals
        ("Item 3\tMinutes", "Item 3 .......... Minutes"),  # a tab's leader dots
    ],
)
def it_reads_text_as_the_pdf_prints_it(in_the_document: str, as_printed: str) -> None:
    assert complete.normalised(in_the_document) == complete.normalised(as_printed)


def it_tells_words_apart() -> None:
    assert complete.normalised("13") not in complete.normalised("2013-14 13.7")


# Matching -----------------------------------------------------------------------------


def scorecard_pieces() -> list[Piece]:
    """A heading, a table of two rows under its header, and a chart heading that repeats
    the first row's words, as the scorecard appendix has them."""
    return [
        Piece("paragraph 3", "Care leavers"),
        *(Piece("table 4 row 1", cell) for cell in ("No.", "Indicator", "2024-25", "RAG")),
        *(Piece("table 4 row 2", cell) for cell in ("13", CARE_LEAVERS, "92%", "DfE", "Green")),
        *(Piece("table 4 row 3", cell) for cell in ("14", "Care leavers in work", "67%", "DfE")),
        Piece("paragraph 4", "Workforce"),
        Piece("paragraph 9", f"13. {CARE_LEAVERS}"),
    ]


def it_finds_every_piece_of_a_whole_pdf() -> None:
    printed = text(
        "Care leavers No. Indicator 2024-25 RAG 13",
        CARE_LEAVERS,
        "92% DfE Green 14 Care leavers in work 67% DfE Workforce 13.",
        CARE_LEAVERS,
    )
    assert complete.unmatched(scorecard_pieces(), printed) == []


def it_names_the_row_that_is_lost_not_the_heading_that_repeats_its_words() -> None:
    printed = text(
        "Care leavers No. Indicator 2024-25 RAG 14 Care leavers in work 67% DfE Workforce 13.",
        CARE_LEAVERS,
    )
    missing = complete.unmatched(scorecard_pieces(), printed)
    assert {piece.where for piece in missing} == {"table 4 row 2"}
    assert [piece.text for piece in missing] == ["13", CARE_LEAVERS, "92%", "DfE", "Green"]
    problem = complete.missing_problem("out/x/appendix.docx", missing)
    assert str(problem).startswith(
        "out/x/appendix.docx: the PDF is missing "
        f"'13 | {CARE_LEAVERS} | 92% | DfE…' from table 4 row 2 — LibreOffice left it "
        "out as it laid out the pages, and nothing was written; "
    )


def it_counts_each_printed_word_once() -> None:
    twice = [Piece("table 1 row 2", "DfE"), Piece("table 1 row 3", "DfE")]
    assert complete.unmatched(twice, text("DfE DfE")) == []
    assert complete.unmatched(twice, text("DfE")) == [twice[1]]


def it_finds_pieces_the_pdf_prints_in_another_order() -> None:
    found = [Piece("paragraph 1", "First things"), Piece("paragraph 2", "Second things")]
    assert complete.unmatched(found, text("Second things", "First things")) == []


def it_checks_a_hostile_document_of_one_word_many_times_over_in_well_under_a_second() -> None:
    import time

    cells = [Piece(f"table 1 row {row}", "0") for row in range(20_000)]
    started = time.perf_counter()
    assert complete.unmatched(cells, text(*["0"] * 20_000)) == []
    assert complete.unmatched(cells, text(*["0"] * 19_999)) == [cells[-1]]
    assert time.perf_counter() - started < 2


def it_quotes_a_few_places_and_counts_the_rest() -> None:
    missing = [Piece(f"table 1 row {row}", "x" * 100) for row in range(2, 8)]
    said = str(complete.missing_problem("a.docx", missing))
    assert said.count("from table 1 row") == 3 and "and text from 3 more places" in said
    assert "x" * 69 + "…" in said and "x" * 70 not in said


# What a document prints ---------------------------------------------------------------


def document_with(body: str, footer: str = "") -> bytes:
    """A .docx whose body (and footer) is the WordprocessingML given."""
    paper = docx.Document()
    element = paper.element.body
    for child in list(element):
        if child.tag != f"{W}sectPr":
            element.remove(child)
    xmlns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for child in reversed(etree.fromstring(f"<w:body {xmlns}>{body}</w:body>")):
        element.insert(0, child)
    if footer:
        paper.sections[0].footer.paragraphs[0].add_run(footer)
    saved = io.BytesIO()
    paper.save(saved)
    return saved.getvalue()


def run(said: str, properties: str = "") -> str:
    return f'<w:r><w:rPr>{properties}</w:rPr><w:t xml:space="preserve">{said}</w:t></w:r>'


def it_takes_what_a_document_prints_and_leaves_what_it_does_not() -> None:
    body = (
        f"<w:p>{run('Shown')}{run(' hidden', '<w:vanish/>')}</w:p>"
        f"<w:p>{run('Kept')}<w:del><w:r><w:delText>deleted</w:delText></w:r></w:del></w:p>"
        f'<w:p>{run("Page ")}<w:fldSimple w:instr="PAGE">{run("7")}</w:fldSimple>'
        f"{run(' of many')}</w:p>"
        f"<w:tbl><w:tr><w:tc><w:p>{run('Cell')}</w:p><w:p>{run('two lines')}</w:p></w:tc>"
        f"<w:tc><w:p>{run('Next')}</w:p></w:tc></w:tr></w:tbl>"
        f"<w:p>{run('After')}</w:p>"
    )
    found = pieces(document_with(body, footer="Committee, 8 December 2026"))
    assert [(p.where, p.text, p.loose) for p in found] == [
        ("paragraph 1", "Shown", False),
        ("paragraph 2", "Kept", False),
        ("paragraph 3", "Page", True),  # a field's result (a page number) is not looked for
        ("paragraph 3", "of many", True),
        ("table 1 row 1", "Cell", False),
        ("table 1 row 1", "two lines", False),
        ("table 1 row 1", "Next", False),
        ("paragraph 4", "After", False),
        ("the footer", "Committee, 8 December 2026", True),
    ]


def it_refuses_what_is_not_a_word_document() -> None:
    with pytest.raises(ValueError, match="is not a Word document"):
        pieces(b"PK not really")


# The example papers and packs, through LibreOffice ------------------------------------


@pytest.fixture(scope="module")
def papers(example: Path) -> dict[str, tuple[bytes, bytes]]:
    """Every example paper's documents, each with the PDF `build --pdf` made of it."""
    require_tool("soffice")
    built = (
        reportgen.Workspace(example)
        .build([example / "data" / "narrative"], write=False, pdf=True)
        .reports
    )
    files = {path.name: content for paper in built for path, content in paper.files}
    return {
        name: (content, files[name.removesuffix(".docx") + ".pdf"])
        for name, content in files.items()
        if name.endswith(".docx")
    }


@pytest.mark.parametrize("reader", ["pdftotext", "pypdf"])
def it_finds_every_paragraph_and_cell_of_every_example_paper_in_its_pdf(
    papers: dict[str, tuple[bytes, bytes]], reader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if reader == "pdftotext":
        require_tool("pdftotext")
    else:
        monkeypatch.setattr(complete, "pdftotext", lambda: None)
    named = {Path(name).stem for name in papers}
    assert {n.stem for n in NARRATIVES} <= named  # every example paper, and its appendix
    for name, (document, pdf) in papers.items():
        found = complete.compare(document, pdf)
        assert found.pieces > 30 and found.missing == (), (name, found.missing)


def it_prints_the_scorecards_care_leavers_rows(papers: dict[str, tuple[bytes, bytes]]) -> None:
    _, pdf = papers[SCORECARD_APPENDIX.name]
    printed = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert re.search(r"^13 Care leavers aged 19\s*\nto 21 in suitable", printed, re.M)
    assert re.search(r"^14 Care leavers aged 19\s*\nto 21 in education", printed, re.M)
    assert "Workforce" in printed.split("14 Care leavers aged 19")[1]


def without_row(document: bytes, table: int, row: int) -> bytes:
    """The .docx with one row of one of its tables (both counted from 1) taken out."""
    source = zipfile.ZipFile(io.BytesIO(document))
    xml = etree.fromstring(source.read("word/document.xml"))
    tables = [t for t in xml.iter(f"{W}tbl") if next(t.iterancestors(f"{W}tbl"), None) is None]
    lost = tables[table - 1].findall(f"{W}tr")[row - 1]
    lost.getparent().remove(lost)
    saved = io.BytesIO()
    with zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = etree.tostring(xml, xml_declaration=True, encoding="UTF-8")
            target.writestr(item, data)
    return saved.getvalue()


def it_fails_a_pdf_that_lost_a_row_naming_the_row(
    papers: dict[str, tuple[bytes, bytes]], tmp_path: Path
) -> None:
    document, _ = papers[SCORECARD_APPENDIX.name]
    (lost,) = convert.convert(
        [("lost.docx", without_row(document, 4, 2))], tmp_path / "libreoffice"
    )
    with pytest.raises(IncompletePdf) as raised:
        complete.check(str(SCORECARD_APPENDIX), document, lost)
    (problem,) = raised.value.problems
    assert str(problem).startswith(
        f"{SCORECARD_APPENDIX}: the PDF is missing '13 | {CARE_LEAVERS} | 90% | DfE…' "
        "from table 4 row 2 — LibreOffice left it out"
    )


def with_a_cell_pdf_lacks(document: bytes) -> bytes:
    """The scorecard with its first indicator's name, in a cell, changed to words its PDF
    does not hold."""
    changed = docx.Document(io.BytesIO(document))
    changed.tables[0].rows[1].cells[1].paragraphs[0].runs[0].text = "Zebra crossings"
    saved = io.BytesIO()
    changed.save(saved)
    return saved.getvalue()


def it_fails_a_pdf_without_a_cells_text(papers: dict[str, tuple[bytes, bytes]]) -> None:
    document, pdf = papers[SCORECARD.name]
    changed = with_a_cell_pdf_lacks(document)
    with pytest.raises(IncompletePdf, match=r"the PDF is missing 'Zebra crossings' from table 1 "):
        complete.check("paper.docx", changed, pdf)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, int]]]:
    """Each document checked, with the number of its pieces found."""
    checked: list[tuple[str, int]] = []
    real = complete.check

    def check(name: str, document: bytes, pdf: bytes, withhold: bool = False) -> int:
        found = real(name, document, pdf, withhold)
        checked.append((name, found))
        return found

    monkeypatch.setattr(complete, "check", check)
    yield checked


@pytest.mark.parametrize("meeting", MEETINGS, ids=lambda path: path.stem)
def it_checks_every_document_of_each_example_meetings_packs(
    project: Path, meeting: Path, recorded: list[tuple[str, int]]
) -> None:
    require_tool("soffice")
    plan_names = reportgen.Workspace(project).pack(project / "data/meetings" / meeting.name)
    assert plan_names
    names = [name for name, _ in recorded]
    assert "Agenda front sheet" in names
    # The papers of the meeting's items, each checked (the front sheets twice: numbered).
    assert "2026-11-04-childrens-performance-report.docx" in names
    assert "2026-11-04-high-cost-placements.docx" in names
    assert all(found > 5 for _, found in recorded), recorded


# A failed check fails the command, and writes nothing ----------------------------------


def losing(monkeypatch: pytest.MonkeyPatch, text: str = "") -> None:
    """LibreOffice losing `text` from a PDF; by default as it was: the first care leavers
    row lost from the scorecard's PDF."""
    real = complete.printed_text
    lost = complete.normalised(text or CARE_LEAVERS)

    def printed_text(pdf: bytes) -> tuple[str, str]:
        body, furniture = real(pdf)
        return body.replace(lost, " ", 1), furniture

    monkeypatch.setattr(complete, "printed_text", printed_text)


def snapshot(root: Path) -> dict[str, bytes]:
    folders = [root / name for name in ("out", "public", "data/published")]
    return {
        str(path.relative_to(root)): path.read_bytes()
        for folder in folders
        if folder.is_dir()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def it_fails_build_pdf_and_keeps_the_earlier_output(
    project: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    require_tool("soffice")
    result = cli("build", str(SCORECARD_NARRATIVE), "--pdf")
    assert result.exit_code == 0, result.stderr
    before = snapshot(project)
    assert SCORECARD_APPENDIX.with_suffix(".pdf").as_posix() in before
    losing(monkeypatch)
    result = cli("build", str(SCORECARD_NARRATIVE), "--pdf")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"{SCORECARD_APPENDIX}: the PDF is missing '{CARE_LEAVERS}' from table 4 row 2 — "
    )
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(project) == before


def it_fails_a_page_preview(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_tool("soffice")
    losing(monkeypatch)
    with pytest.raises(IncompletePdf, match=f"the PDF is missing '{CARE_LEAVERS}'"):
        reportgen.Workspace(project).preview_pdf(project / SCORECARD_NARRATIVE)


def scorecard_meeting(project: Path) -> Path:
    """A meeting of the scorecard paper alone (with its appendix)."""
    meeting = project / "data/meetings/2026-12-08-scorecard.yaml"
    meeting.write_text(
        "committee: Children's Services Scrutiny Sub-Committee\n"
        "date: 2026-12-08\ntime: 7.00 pm\nvenue: Committee Room 1\n"
        "items:\n  - narrative: ../narrative/2026-12-08-childrens-services-scorecard.yaml\n",
        encoding="utf-8",
    )
    return meeting


def it_prints_the_care_leavers_rows_in_a_pack_too(project: Path) -> None:
    require_tool("soffice")
    (pack, *_) = reportgen.Workspace(project).pack(scorecard_meeting(project))
    reader = PdfReader(io.BytesIO(pack.read_bytes()))
    printed = "\n".join(page.extract_text() for page in reader.pages)
    assert re.search(r"^13 Care leavers aged 19\s*\nto 21 in suitable", printed, re.M)
    assert re.search(r"^14 Care leavers aged 19\s*\nto 21 in education", printed, re.M)


def it_fails_a_pack_and_publishing_and_writes_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_tool("soffice")
    meeting = scorecard_meeting(project)
    before = snapshot(project)
    losing(monkeypatch)
    workspace = reportgen.Workspace(project)
    for make in (workspace.pack, workspace.publish_meeting):
        with pytest.raises(IncompletePdf, match=f"missing '{CARE_LEAVERS}' from table 4 row 2"):
            make(meeting)
        assert snapshot(project) == before


# An exempt paper's text goes no further than its pack ---------------------------------

EXEMPT_NARRATIVE = Path("data/narrative/2026-11-04-high-cost-placements.yaml")
OAKFIELD = "Three children are placed at Oakfield"


def it_does_not_quote_an_exempt_paper_when_its_pdf_is_not_whole(
    project: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    require_tool("soffice")
    losing(monkeypatch, OAKFIELD)
    result = cli("build", str(EXEMPT_NARRATIVE), "--pdf")
    assert result.exit_code == 1
    assert (
        "high-cost-placements.docx: the PDF is missing text from paragraph 17 (not quoted: "
        "the document is not for publication) — LibreOffice left it out"
    ) in result.stderr
    assert "Oakfield" not in result.stderr + result.stdout


def it_does_not_quote_an_exempt_item_of_a_pack(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_tool("soffice")
    losing(monkeypatch, OAKFIELD)
    with pytest.raises(IncompletePdf) as raised:
        reportgen.Workspace(project).pack(project / MEETINGS[0].relative_to(REPO))
    said = str(raised.value)
    assert "the PDF is missing text from paragraph 17 (not quoted" in said
    assert "Oakfield" not in said


def it_does_not_quote_a_document_withheld(papers: dict[str, tuple[bytes, bytes]]) -> None:
    document, pdf = papers[SCORECARD.name]
    changed = with_a_cell_pdf_lacks(document)
    (problem,) = complete.problems("paper.docx", changed, pdf, withhold=True)
    assert problem.what.startswith("the PDF is missing text from table 1 row 2 (not quoted")
    assert "Zebra" not in str(problem)


def it_withholds_the_documents_only_the_exempt_pack_has(project: Path) -> None:
    from reportgen.errors import Problems
    from reportgen.inputs.project import load_project
    from reportgen.jobs import agenda

    problems = Problems()
    loaded = load_project(project, problems)
    meeting = project / MEETINGS[0].relative_to(REPO)
    plan = agenda.plan_pack(loaded, meeting, project / "out", problems)
    assert plan is not None, problems.items
    names = [name for name, _ in plan.documents]
    assert {names[index] for index in plan.withheld} == {
        "Exempt agenda front sheet",
        "2026-11-04-high-cost-placements.docx",
    }


@pytest.mark.parametrize(
    ("status", "printed", "marked"),
    [
        ("NOT FOR PUBLICATION", "Minutes", True),  # as reportgen marks an exempt paper
        ("", "NOT FOR PUBLICATION", True),  # as a supplied paper may be marked
        ("", "Item 5. Not for publication: exempt information under paragraph 3", False),
        ("", "Minutes that say an item was NOT FOR PUBLICATION in a sentence", False),
    ],
)
def it_knows_a_document_marked_not_for_publication(status: str, printed: str, marked: bool) -> None:
    from reportgen.word.pieces import not_for_publication

    paper = docx.Document()
    paper.add_paragraph(printed)
    paper.core_properties.content_status = status
    saved = io.BytesIO()
    paper.save(saved)
    assert not_for_publication(saved.getvalue()) is marked
    assert not_for_publication(b"not a document") is True


# A meeting whose items are titles only --------------------------------------------------


def it_finds_no_parts_in_a_pack_without_bookmarks() -> None:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    saved = io.BytesIO()
    writer.write(saved)
    assert sections(saved.getvalue()) == []


def it_publishes_a_meeting_of_titles_only_as_its_front_sheet(project: Path) -> None:
    require_tool("soffice")
    meeting = project / "data/meetings/2026-12-01-titles.yaml"
    meeting.write_text(
        "committee: Children and Young People Scrutiny Panel\n"
        "date: 2026-12-01\ntime: 7.00 pm\nvenue: Committee Room 1, Civic Centre\n"
        "items:\n  - title: Apologies for absence\n  - title: Declarations of interest\n",
        encoding="utf-8",
    )
    published = reportgen.Workspace(project).publish_meeting(meeting)
    listing = (published.public / "meeting.json").read_text(encoding="utf-8")
    assert '"items": []' in listing
    pack = (published.public / "agenda-pack.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(pack))
    printed = " ".join(reader.pages[0].extract_text().split())
    assert len(reader.pages) == 1
    assert "Apologies for absence" in printed and "Declarations of interest" in printed
    assert "No paper." in printed and "Page 1 of 1" in printed
