"""The example papers as a reader sees their pages: no page left mostly empty, no word broken
inside a table cell, charts whose text is readable at the size they print, and header lines
worded as the paper asks.

The papers are built once, with their PDFs from one LibreOffice run (the `printed` fixture);
the tests that read pages ask conftest's `require_tool` for LibreOffice and poppler, so they
are skipped where those are missing, unless REPORTGEN_REQUIRE_PDF is set.

How a page's emptiness is measured: the page is rendered by pdftoppm at 20 dpi in grey, and
its content area (inside the 2 cm top and bottom margins, so not the header or footer) is
read from the top to the last row with anything on it; what lies below that is empty.

Which pages may be mostly empty: the last page of a *section* of the Word document, that
is, the page before a section break that starts a new page (the landscape performance index
is a section of its own; the next page is also of another size), and the document's last
page. A section's first page is found by its opening words in the PDF. A page break, or a
heading set to start a page, does not end a section: the page before one may not be left
almost empty either (as the index's notes were, alone, before the charts' page break).
"""

from __future__ import annotations

import html
import io
import re
import subprocess
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from conftest import NARRATIVE, OUTPUT, PERFORMANCE_NARRATIVE, edit, require_tool
from docx.oxml.ns import qn
from docx.section import Section
from lxml import etree
from PIL import Image

from reportgen import InputError, Workspace
from reportgen.domain.periods import Month
from reportgen.errors import Problems
from reportgen.inputs.project import load_project
from reportgen.paper.charts import (
    GAP_LABEL,
    WIDTH_CM,
    ComparatorChart,
    TrendChart,
    comparator_chart,
    trend_chart,
)
from reportgen.word import drawing

MOST_EMPTY = 0.70  # no page but a section's last may be emptier than this
MARGIN_CM = 2  # the templates' top and bottom margins; headers and footers sit inside them
DPI = 20
EMU_PER_POINT = 12700
# What a PDF prints that its Word document holds no word of: list numbers and bullets that
# Word's numbering draws (1, 2.1., A., •), and page numbers that fields fill in.
DRAWN = re.compile(r"^(?:\d+|(?:\d+\.)+\d*|[a-z]\.|[•\uf0b7])$")
# Where a line may break a word: after a hyphen between two words ("SUB-" "COMMITTEE"); in
# running text, after any hyphen ("2024-" "25,").
BETWEEN_WORDS = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
HYPHEN = re.compile(r"(?<=\S)-(?=\S)")


@dataclass(frozen=True)
class Printed:
    """One example document: its .docx and the PDF LibreOffice made of it."""

    docx: Path
    pdf: Path

    @property
    def name(self) -> str:
        return self.docx.stem


@pytest.fixture(scope="module")
def printed(example: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Printed]:
    """Every example paper (and separate appendix), built with its PDF in one run."""
    for tool in ("soffice", "pdftotext", "pdftoppm", "pdfinfo"):
        require_tool(tool)
    out = tmp_path_factory.mktemp("layout")
    built = Workspace(example).build([example / "data" / "narrative"], out, pdf=True).reports
    papers = [path for item in built for path, _ in item.files if path.suffix == ".docx"]
    assert len(papers) == 6
    return [Printed(paper, paper.with_suffix(".pdf")) for paper in papers]


def ids(papers: list[Printed]) -> list[str]:
    return [paper.name for paper in papers]


# Pages ---------------------------------------------------------------------------------


def page_images(pdf: Path) -> list[Image.Image]:
    """Each page in grey at DPI, as pdftoppm renders it."""
    folder = pdf.with_name(f"{pdf.stem}-pages")
    folder.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-gray", "-r", str(DPI), str(pdf), str(folder / "page")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return [
        _image(path.read_bytes()) for path in sorted(folder.glob("page-*.pgm"), key=_page_number)
    ]


def _image(content: bytes) -> Image.Image:
    with Image.open(io.BytesIO(content)) as image:
        image.load()
        return image.copy()


def _page_number(path: Path) -> int:
    return int(path.stem.rsplit("-", 1)[1])


def emptiness(page: Image.Image) -> float:
    """The share of the page's content area below its last row with anything on it."""
    margin = round(MARGIN_CM / 2.54 * DPI)
    top, bottom = margin, page.height - margin
    area = page.crop((0, top, page.width, bottom))
    # Anything darker than near-white: text, rules, pictures, shaded cells.
    ink = area.point(lambda value: 255 if value < 235 else 0).getbbox()
    used = ink[3] if ink else 0
    return 1 - used / (bottom - top)


def page_texts(pdf: Path) -> list[str]:
    """Each page's text, as pdftotext reads it."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def starts_of_sections(document: Path) -> list[str]:
    """The words each section of the Word document after the first opens with, where the
    section break before it starts a new page (any kind but continuous)."""
    paper = docx.Document(str(document))
    starts: list[str] = []
    pending = False
    for paragraph in paper.element.body.iter(qn("w:p")):
        words = _text(paragraph).split()
        if pending and words:
            starts.append(" ".join(words[:6]))
            pending = False
        section = paragraph.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if section is not None:
            kind = section.find(qn("w:type"))
            pending = kind is None or kind.get(qn("w:val")) != "continuous"
    return starts


def last_pages_of_sections(printed: Printed, texts: list[str]) -> set[int]:
    """The numbers (from 1) of the pages that end a section; see the module's docstring."""
    starts = [start.lower() for start in starts_of_sections(printed.docx)]
    last = {len(texts)}
    for number, text in enumerate(texts[1:], start=2):
        opening = " ".join(text.lower().split())[:400]  # a heading may print in capitals
        if any(start in opening for start in starts):
            last.add(number - 1)
    return last


class DescribePages:
    def it_finds_where_the_performance_index_starts_a_section(self, printed: list[Printed]) -> None:
        report = next(p for p in printed if p.name.endswith("childrens-performance-report"))
        texts = page_texts(report.pdf)
        ends = last_pages_of_sections(report, texts)
        first_landscape = next(n for n, t in enumerate(texts, 1) if "PERFORMANCE INDEX" in t)
        assert ends == {first_landscape - 1, len(texts)}

    @pytest.mark.parametrize("index", range(6))
    def it_leaves_no_page_mostly_empty_but_a_section_s_last(
        self, printed: list[Printed], index: int
    ) -> None:
        paper = printed[index]
        texts = page_texts(paper.pdf)
        allowed = last_pages_of_sections(paper, texts)
        empty = {
            number: round(emptiness(page), 2)
            for number, page in enumerate(page_images(paper.pdf), start=1)
            if number not in allowed and emptiness(page) > MOST_EMPTY
        }
        assert empty == {}, f"{paper.name}: pages more than {MOST_EMPTY:.0%} empty: {empty}"

    def it_marks_every_page_of_an_exempt_paper_not_for_publication(
        self, printed: list[Printed]
    ) -> None:
        exempt = next(p for p in printed if p.name.endswith("high-cost-placements"))
        texts = page_texts(exempt.pdf)
        assert len(texts) > 1
        assert [text.count("NOT FOR PUBLICATION") >= 1 for text in texts] == [True] * len(texts)
        public = next(p for p in printed if p.name == "2011-01-18-ni59-ni60")
        assert not any("NOT FOR PUBLICATION" in text for text in page_texts(public.pdf))


def text_width(section: Section) -> int:
    return (
        int(section.page_width or 0)
        - int(section.left_margin or 0)
        - int(section.right_margin or 0)
    )


class DescribeTables:
    def it_spans_every_table_across_the_text_width(self, example: Path) -> None:
        spans = []
        for paper in (
            Workspace(example).build([example / "data" / "narrative"], write=False).reports
        ):
            for _, content in paper.files:
                document = docx.Document(io.BytesIO(content))
                for table in document.tables:
                    width = table._tbl.tblPr.find(qn("w:tblW"))
                    if width is not None and width.get(qn("w:type")) == "pct":
                        spans.append(int(width.get(qn("w:w"))) / 5000)
                        continue
                    columns = table._tbl.tblGrid.findall(qn("w:gridCol"))
                    # The built-in templates' tables are in the portrait sections.
                    total = sum(int(c.get(qn("w:w"))) for c in columns) * 635  # twips to EMU
                    spans.append(total / text_width(document.sections[0]))
        assert spans and all(span == pytest.approx(1, abs=0.005) for span in spans), spans

    def it_keeps_every_tables_header_row_with_its_first_row(self, example: Path) -> None:
        # A header that repeats and rows that may not split, with nothing keeping the header
        # with the first row, is what made LibreOffice drop the scorecard's care leavers
        # rows at the foot of a page (issue 24).
        headers = []
        for paper in (
            Workspace(example).build([example / "data" / "narrative"], write=False).reports
        ):
            for path, content in paper.files:
                for number, table in enumerate(docx.Document(io.BytesIO(content)).tables, 1):
                    header = table.rows[0]
                    if header._tr.trPr is None or header._tr.trPr.find(qn("w:tblHeader")) is None:
                        continue
                    kept = all(
                        p.paragraph_format.keep_with_next
                        for c in header.cells
                        for p in c.paragraphs
                    )
                    headers.append((path.name, number, kept))
        assert len(headers) > 10 and all(kept for *_, kept in headers), headers

    def it_lets_a_comparator_table_run_on_keeping_two_rows_at_each_end(self, example: Path) -> None:
        (paper,) = Workspace(example).build([example / NARRATIVE], write=False).reports
        table = docx.Document(io.BytesIO(paper.content)).tables[1]  # NI 59's neighbours
        kept = [
            all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
            for row in table.rows
        ]
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        # The header and two rows go with the caption; the last two with the sentence under.
        assert kept == [True, True, True, *[False] * 10, True, True]


# Words ---------------------------------------------------------------------------------


def _text(element: etree._Element) -> str:
    """The words of a piece of WordprocessingML as a reader sees them: tabs and line
    breaks are spaces."""
    parts = []
    for node in element.iter():
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag in (qn("w:tab"), qn("w:br"), qn("w:cr")):
            parts.append(" ")
        elif node.tag == qn("w:noBreakHyphen"):
            parts.append("-")
        elif node.tag == qn("w:p"):
            parts.append("\n")
    return "".join(parts)


@dataclass(frozen=True)
class Source:
    """The words of a Word document (its body, headers and footers), and the pieces a line
    may break some into, each as often as a line may: after any hyphen in running text
    ("2024-" "25," in a paragraph), but in a table cell only after a hyphen between words
    ("Sub-" "Committee"), never inside a number or period ("2025-" "26")."""

    words: frozenset[str]
    pieces: Counter[str]

    @classmethod
    def of(cls, document: Path) -> Source:
        words: set[str] = set()
        pieces: Counter[str] = Counter()
        with zipfile.ZipFile(document) as package:
            for name in package.namelist():
                if not re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes)\.xml", name):
                    continue
                for paragraph in etree.fromstring(package.read(name)).iter(qn("w:p")):
                    in_cell = next(paragraph.iterancestors(qn("w:tc")), None) is not None
                    for word in _words(_text(paragraph)):
                        words.add(word)
                        pieces.update(_pieces(word, BETWEEN_WORDS if in_cell else HYPHEN))
        return cls(frozenset(words), pieces)

    def not_its_words(self, printed: str) -> list[str]:
        """The words printed that are neither words of the paper, nor pieces a line may
        break one into (each no more often than the paper has such a word), nor numbers
        Word draws."""
        left = Counter(self.pieces)
        found = []
        for word in _words(printed):
            if word in self.words or DRAWN.match(word):
                continue
            if left[word] > 0:
                left[word] -= 1
            else:
                found.append(word)
        return found


def _pieces(word: str, breaks: re.Pattern[str]) -> set[str]:
    """`sub-committee` as lines may print it: `sub-` and `committee`."""
    cuts = [0, *(match.end() for match in breaks.finditer(word)), len(word)]
    if len(cuts) == 2:
        return set()
    return {word[a:b] for i, a in enumerate(cuts) for b in cuts[i + 1 :]} - {word}


def _words(text: str) -> list[str]:
    return text.replace("\u2011", "-").replace("\u00ad", "").lower().split()


def page_words(pdf: Path) -> list[list[str]]:
    """Each page's words as poppler finds them on it (one to a line's piece: a word broken
    across lines is two)."""
    found = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return [
        [html.unescape(word) for word in re.findall(r"<word [^>]*>(.*?)</word>", page)]
        for page in re.findall(r"<page [^>]*>(.*?)</page>", found, re.S)
    ]


class DescribeWords:
    @pytest.mark.parametrize("index", range(6))
    def it_never_breaks_a_word_inside_a_table_cell(
        self, printed: list[Printed], index: int
    ) -> None:
        """Every word the PDF prints is a word of the paper: a word broken in a narrow cell
        prints as two that are not ("provisiona", "l"; "2025-", "26")."""
        paper = printed[index]
        source = Source.of(paper.docx)
        broken = [
            (number, word)
            for number, words in enumerate(page_words(paper.pdf), start=1)
            for word in source.not_its_words(" ".join(words))
        ]
        assert broken == [], f"{paper.name}: (page, word) not in the paper: {broken}"

    def it_sees_a_broken_word(self, tmp_path: Path) -> None:
        paper = docx.Document()
        paper.add_paragraph("The Scrutiny Sub-Committee looked at 2024-25 and more.")
        cells = paper.add_table(rows=1, cols=3).rows[0].cells
        for cell, text in zip(
            cells, ("91% provisional", "Q4 2025-26", "Sub-Committee"), strict=True
        ):
            cell.text = text
        paper.save(str(tmp_path / "paper.docx"))
        source = Source.of(tmp_path / "paper.docx")
        # Running text may break after a hyphen, once for each time it has the word.
        assert source.not_its_words("The Scrutiny Sub- Committee looked at 2024- 25 and") == []
        assert source.not_its_words("2024- 25 2024- 25") == ["2024-"]  # 25: a number
        # A cell may break between words only.
        assert source.not_its_words("91% provisiona l Q4 2025- 26 Sub- Committee") == [
            "provisiona", "l", "2025-",
        ]  # fmt: skip


# Charts --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def charts(example: Path) -> list[TrendChart | ComparatorChart]:
    """Every chart the example papers draw, from their data as at their months."""
    problems = Problems()
    project = load_project(example, problems)
    assert project is not None, problems.items
    found: list[TrendChart | ComparatorChart] = []
    for month in ("2026-09", "2026-10"):
        for result in project.results(list(project.catalogue), Month.parse(month)):
            found += [
                chart
                for chart in (trend_chart(result), comparator_chart(result, "Harrow"))
                if chart is not None
            ]
    return found


def points_per_pixel(document: bytes) -> float:
    """How large a pixel of the charts prints: the width each picture is placed at in the
    Word document, over the picture's width in pixels (the same for every chart)."""
    paper = docx.Document(io.BytesIO(document))
    ratios = set()
    for inline in paper.element.body.iter(qn("wp:inline")):
        width = int(inline.find(qn("wp:extent")).get("cx")) / EMU_PER_POINT
        blip = inline.find(".//" + qn("a:blip"))
        image = paper.part.related_parts[blip.get(qn("r:embed"))]
        ratios.add(round(width / _image(image.blob).width, 6))
    assert len(ratios) == 1, ratios
    return ratios.pop()


class DescribeCharts:
    def it_prints_every_piece_of_chart_text_at_10_points_or_more(
        self, example: Path, charts: list[TrendChart | ComparatorChart]
    ) -> None:
        (built,) = Workspace(example).build([example / PERFORMANCE_NARRATIVE], write=False).reports
        scale = points_per_pixel(built.content)
        assert scale == pytest.approx(WIDTH_CM / 2.54 * 72 / 1000)  # 12.7 cm over 1,000 px
        small = {
            (laid.text, round(laid.size * scale, 1))
            for chart in charts
            for laid in drawing.laid_text(chart)
            if laid.size * scale < 10 - 0.1  # a pixel's rounding
        }
        assert small == set()

    def it_keeps_every_legend_and_label_whole_inside_the_picture(
        self, charts: list[TrendChart | ComparatorChart]
    ) -> None:
        outside, shortened = [], []
        for chart in charts:
            image = _image(drawing.picture(chart))
            for laid in drawing.laid_text(chart):
                left, top, right, bottom = laid.box
                if left < 0 or top < 0 or right > image.width or bottom > image.height:
                    outside.append((chart.title, laid.text))
                if laid.text.endswith("…"):
                    shortened.append((chart.title, laid.text))
        assert outside == [] and shortened == []

    def it_runs_a_percentage_axis_to_100_at_most(
        self, charts: list[TrendChart | ComparatorChart]
    ) -> None:
        for chart in charts:
            if chart.unit != "%":
                continue
            ticks = [
                float(laid.text[:-1].replace(",", ""))
                for laid in drawing.laid_text(chart)
                if re.fullmatch(r"[\d,.]+%", laid.text) and laid.box[1] > 40  # not a legend
            ]
            assert ticks and max(ticks) <= 100, (chart.title, ticks)

    def it_never_runs_the_england_line_through_a_value(
        self, charts: list[TrendChart | ComparatorChart]
    ) -> None:
        compared = [c for c in charts if isinstance(c, ComparatorChart) and c.england]
        assert compared
        for chart in compared:
            image = _image(drawing.picture(chart)).convert("RGB")
            texts = {bar.text for bar in chart.bars}
            legend_bottom = max(
                laid.box[3] for laid in drawing.laid_text(chart) if laid.text == chart.own_label
            )
            for laid in drawing.laid_text(chart):
                if laid.text not in texts or laid.box[1] <= legend_bottom:
                    continue
                # The England line is the only pure black in the plot.
                crossed = [
                    (x, y)
                    for x in range(laid.box[0], laid.box[2])
                    for y in range(laid.box[1], laid.box[3])
                    if image.getpixel((x, y)) == (0, 0, 0)
                ]
                assert crossed == [], (chart.title, laid.text)

    def it_marks_a_period_with_no_figure_on_the_trend(
        self, charts: list[TrendChart | ComparatorChart]
    ) -> None:
        proceedings = next(
            c for c in charts if isinstance(c, TrendChart) and c.latest_label == "28 weeks"
        )
        assert proceedings.x_labels == ("Q1", "Q2", "Q3", "Q4") and proceedings.gaps == (1,)
        marks = [laid for laid in drawing.laid_text(proceedings) if laid.text == GAP_LABEL]
        q2 = next(laid for laid in drawing.laid_text(proceedings) if laid.text == "Q2")
        assert len(marks) == 1
        assert marks[0].box[0] < (q2.box[0] + q2.box[2]) / 2 < marks[0].box[2]  # above Q2
        assert (
            "There is no figure for Q2 2026-27 (marked n/a): figure not yet available from "
            "Cafcass." in proceedings.alt_text
        )


# Header labels -------------------------------------------------------------------------


def header_lines(document: Path) -> dict[str, str]:
    paper = docx.Document(str(document))
    lines = [p.text for p in paper.paragraphs if p.style and p.style.name == "Header Details"]
    return dict(line.split(":\t", 1) for line in lines)


def problems_building(project: Path) -> list[str]:
    with pytest.raises(InputError) as raised:
        Workspace(project).build([project / NARRATIVE], project / "out")
    return [str(problem) for problem in raised.value.problems]


class DescribeHeaderLabels:
    def it_words_a_line_as_the_narrative_asks(self, project: Path) -> None:
        Workspace(project).build([project / NARRATIVE], project / "out")
        lines = header_lines(project / OUTPUT)
        assert list(lines) == [
            "Date of Meeting", "Subject", "Key Decision", "Responsible Officer",
            "Scrutiny Lead Member area", "Exempt", "Enclosures",
        ]  # fmt: skip
        assert lines["Scrutiny Lead Member area"].startswith("Councillor Krishna James")

    def it_prints_the_house_style_s_words_without_one(self, project: Path) -> None:
        edit(
            project / NARRATIVE,
            "header_labels:                 # the reference paper's words where the house "
            "style's differ\n  portfolio_holder: Scrutiny Lead Member area\n",
            "",
        )
        Workspace(project).build([project / NARRATIVE], project / "out")
        assert "Portfolio Holder" in header_lines(project / OUTPUT)

    def it_takes_the_councils_words_from_the_authority_config(self, project: Path) -> None:
        edit(
            project / NARRATIVE,
            "header_labels:                 # the reference paper's words where the house "
            "style's differ\n  portfolio_holder: Scrutiny Lead Member area\n",
            "",
        )
        with (project / "config/authority.yaml").open("a", encoding="utf-8") as config:
            config.write("header_labels:\n  portfolio_holder: Cabinet Member\n")
        Workspace(project).build([project / NARRATIVE], project / "out")
        assert "Cabinet Member" in header_lines(project / OUTPUT)
        # A narrative's own words win over the council's.
        edit(project / NARRATIVE, "subject:", "header_labels:\n  portfolio_holder: Lead\nsubject:")
        Workspace(project).build([project / NARRATIVE], project / "out")
        assert "Lead" in header_lines(project / OUTPUT)
        with (project / "config/authority.yaml").open("a", encoding="utf-8") as config:
            config.write("  portfolio_holdr: Lead\n")
        assert problems_building(project) == [
            "config/authority.yaml:36: header_labels.portfolio_holdr: unknown key — did you "
            "mean 'portfolio_holder'?"
        ]

    def it_prints_the_label_on_the_page(self, printed: list[Printed]) -> None:
        paper = next(p for p in printed if p.name == "2011-01-18-ni59-ni60")
        first = " ".join(page_texts(paper.pdf)[0].split())
        assert "Scrutiny Lead Member area: Councillor Krishna James" in first
        assert "Portfolio Holder" not in first

    @pytest.mark.parametrize(
        ("labels", "problem"),
        [
            (
                "  portfolio_holdr: Scrutiny Lead Member area\n",
                "header_labels.portfolio_holdr: unknown key — did you mean 'portfolio_holder'?",
            ),
            (
                "  wards: Wards affected\n",
                "header_labels: the information_report template prints no wards line — "
                "remove `wards:` from header_labels (its lines: meeting_date, subject, "
                "key_decision, responsible_officer, portfolio_holder, exempt, enclosures)",
            ),
            (
                "  portfolio_holder: Scrutiny Lead Member for Children and Young People\n",
                "header_labels.portfolio_holder: 'Scrutiny Lead Member for Children and Young "
                "People' is longer than 30 characters, more than the header's label column "
                "holds — shorten it",
            ),
            (
                "  portfolio_holder: ''\n",
                "header_labels.portfolio_holder: a label must be one line of text — write the "
                "words the header prints before the colon, e.g. `Scrutiny Lead Member area`",
            ),
        ],
    )
    def it_says_where_a_label_is_wrong_and_how_to_fix_it(
        self, project: Path, labels: str, problem: str
    ) -> None:
        edit(project / NARRATIVE, "  portfolio_holder: Scrutiny Lead Member area\n", labels)
        line = 151 if "wards" not in labels else 150
        assert problems_building(project) == [f"{NARRATIVE}:{line}: {problem}"]
