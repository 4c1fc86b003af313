"""The performance report house style and its performance index, read back with python-docx."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from conftest import (
    PERFORMANCE,
    PERFORMANCE_NARRATIVE,
    SCORECARD,
    SCORECARD_APPENDIX,
    SCORECARD_NARRATIVE,
    edit,
    type_counted,
)
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from reportgen import Workspace
from reportgen.errors import InputError

SECTIONS = [
    "Purpose of report and executive summary",
    "Details",
    "Alternative options",
    "Consultation undertaken or proposed",
    "Timetable",
    "Financial, resource and property implications",
    "Legal and statutory implications",
    "Human rights, equalities and community cohesion implications",
    "Crime and disorder implications",
    "Risk management and health and safety implications",
    "Appendices – the following documents are to be published with this report and form part "
    "of the report",
    "Background papers",
]


@pytest.fixture(scope="module")
def built(example: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's papers, built once for these read-only tests."""
    out = tmp_path_factory.mktemp("out")
    Workspace(example).build([example / "data" / "narrative"], out)
    return out


@pytest.fixture(scope="module")
def paper(built: Path) -> Document:
    return docx.Document(str(built / PERFORMANCE.relative_to("out")))


def body(document: Document) -> list[Paragraph]:
    return list(document.paragraphs)


def numbering_of(document: Document, style_name: str) -> tuple[str, str]:
    """(number format, level text) Word uses for paragraphs of a style."""
    style = document.styles[style_name].element
    num_pr = style.pPr.numPr
    num_id, level = num_pr.numId.val, num_pr.ilvl.val if num_pr.ilvl is not None else 0
    numbering = document.part.numbering_part.element
    num = numbering.xpath(f"w:num[@w:numId='{num_id}']")[0]
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract_id}']")[0]
    lvl = next(x for x in abstract.iterchildren(qn("w:lvl")) if x.get(qn("w:ilvl")) == str(level))
    return lvl.find(qn("w:numFmt")).get(qn("w:val")), lvl.find(qn("w:lvlText")).get(qn("w:val"))


def index_tables(document: Document) -> Iterator[docx.table.Table]:
    return (t for t in document.tables if t.rows[0].cells[0].text == "No.")


class DescribeThePerformanceReport:
    def it_opens_with_the_header_lines(self, paper: Document) -> None:
        lines = [p.text for p in body(paper)[:9]]
        assert (
            lines
            == [
                "Committee: Children and Young People Scrutiny Panel",
                "Date: 4 November 2026",
                "Wards: All",
                "Subject: Performance Report",
                "Lead officer: Corporate Director, People",
                "Lead member: Portfolio Holder for Children's Services",
                "Contact officer: Performance Team, Head of Performance, Policy and Partnerships "
                "(020 7946 0018, performance@example.org)",
                "Recommendations:",
                "Members of the panel to discuss and comment on the contents of the report.",
            ][:9]
        )

    def it_letters_the_recommendations_with_word_numbering(self, paper: Document) -> None:
        recommendation = body(paper)[8]
        assert recommendation.style.name == "Lettered List"
        assert numbering_of(paper, "Lettered List") == ("upperLetter", "%1.")
        assert not re.match(r"^[A-Z]\.", recommendation.text)  # the letter is Word's, not typed

    def it_has_the_twelve_sections_in_order_numbered_by_word(self, paper: Document) -> None:
        headings = [p.text for p in body(paper) if p.style.name == "Heading 1"]
        assert headings[: len(SECTIONS)] == SECTIONS
        assert numbering_of(paper, "Heading 1") == ("decimal", "%1")
        assert numbering_of(paper, "Body Text") == ("decimal", "%1.%2.")
        assert not any(re.match(r"^\d+(\.\d+)*\.? ", h) for h in headings)

    def it_numbers_every_paragraph_of_a_section_and_none_by_hand(self, paper: Document) -> None:
        paragraphs = body(paper)
        start = next(i for i, p in enumerate(paragraphs) if p.text == "Details")
        details = []
        for paragraph in paragraphs[start + 1 :]:
            if paragraph.style.name == "Heading 1":
                break
            details.append(paragraph)
        numbered = [p.text for p in details if p.style.name == "Body Text"]
        assert len(numbered) == 8  # 2.1 to 2.8
        assert numbered[0].startswith("The report contains 4 corrections")
        assert numbered[4].startswith("Placement stability for children in care")
        assert [p.text for p in details if p.style.name == "Heading 2"] == [
            "Corrections",
            "Performance overview",
            "Indicator review",
            "Performance highlights",
            "Information not yet available",
        ]
        assert not any(re.match(r"^\d+\.\d+", p.text) for p in paragraphs)

    def it_records_a_committee_decision_in_its_place(self, paper: Document) -> None:
        paragraphs = body(paper)
        decisions = [p for p in paragraphs if p.style.name == "Committee Decision"]
        assert [d.text for d in decisions][-1] == (
            "COMMITTEE DECISION: To receive a report on the timeliness of care proceedings at "
            "the next meeting."
        )
        decision = decisions[-1]
        assert decision.runs[0].bold and decision.runs[0].text == "COMMITTEE DECISION:"
        before = paragraphs[paragraphs.index(decision) - 1]
        assert before.text.startswith("Members asked how long care proceedings take")

    def it_prints_none_for_sections_with_nothing_to_say(self, paper: Document) -> None:
        paragraphs = body(paper)

        def under(heading: str) -> str:
            index = next(i for i, p in enumerate(paragraphs) if p.text == heading)
            return paragraphs[index + 1].text

        assert under("Legal and statutory implications") == "None."
        assert under("Crime and disorder implications") == "None."
        assert under("Timetable") == "N/a for this report."
        assert under(SECTIONS[10]) == "Appendix 1: Performance index"

    def it_sets_the_title_and_language(self, paper: Document) -> None:
        assert paper.core_properties.title == "Performance Report"
        assert paper.core_properties.language == "en-GB"


class DescribeThePerformanceIndex:
    def it_is_a_landscape_section_after_a_portrait_paper(self, paper: Document) -> None:
        orientations = [s.orientation for s in paper.sections]
        assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
        last = paper.sections[-1]
        assert last.page_width > last.page_height

    def it_groups_the_indicators_by_theme_numbered_as_in_the_catalogue(
        self, paper: Document
    ) -> None:
        appendix = next(i for i, p in enumerate(body(paper)) if p.text.startswith("Appendix 1"))
        themes = [p.text for p in body(paper)[appendix:] if p.style.name == "Heading 2"][:5]
        assert themes == [
            "Front door and early help",
            "Safeguarding",
            "Looked-after children",
            "Care leavers",
            "Workforce",
        ]
        numbers = [row.cells[0].text for t in index_tables(paper) for row in t.rows[1:]]
        assert numbers == [str(n) for n in range(1, 17)]

    def it_has_the_columns_the_committee_reads(self, paper: Document) -> None:
        looked_after = list(index_tables(paper))[2]
        assert [c.text for c in looked_after.rows[0].cells] == [
            "No.", "Indicator", "2022-23", "2023-24", "2024-25", "Year to date", "Target",
            "RAG", "Direction of travel", "Neighbour average", "England", "Rank (band)",
        ]  # fmt: skip
        stability = [c.text for c in looked_after.rows[2].cells]
        assert stability[0] == "10"
        assert stability[2:5] == ["64%\nDfE", "78%\nDfE", "65%\nDfE"]
        assert stability[6:] == [
            "70%", "Amber", "↓ Declining", "70%\n2024-25", "69%\n2024-25", "7 of 11\nBand C"
        ]  # fmt: skip

    def it_shades_rag_and_prints_the_word(self, paper: Document) -> None:
        for table in index_tables(paper):
            for row in table.rows[1:]:
                rag = row.cells[7]
                assert rag.text in ("Green", "Amber", "Red", "Not rated")
                fill = rag._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
                assert fill == {
                    "Green": "C6EFCE", "Amber": "FFEB9C", "Red": "FFC7CE", "Not rated": "FFFFFF"
                }[rag.text]  # fmt: skip
                assert re.match(
                    r"^[↑↓→]? ?(Improving|Declining|No change|Higher|Lower|Not applicable)$",
                    row.cells[8].text,
                )

    def it_says_why_a_figure_is_missing(self, paper: Document) -> None:
        rows = {r.cells[0].text: r for t in index_tables(paper) for r in t.rows[1:]}
        proceedings = rows["8"].cells
        assert proceedings[1].text == (
            "Average time to complete care proceedings\n"
            "Q2 2026-27: not available: figure not yet available from Cafcass"
        )
        assert proceedings[4].text == "Not available\nQ2 2026-27"

    def it_repeats_the_header_row_and_never_splits_a_row(self, paper: Document) -> None:
        tables = list(index_tables(paper))
        assert len(tables) == 5
        for table in tables:
            rows = table._tbl.tr_lst
            assert rows[0].trPr.find(qn("w:tblHeader")) is not None
            for row in rows:
                assert row.trPr.find(qn("w:cantSplit")) is not None
            merged = table._tbl.xpath(".//w:gridSpan | .//w:vMerge | .//w:hMerge")
            assert merged == []

    def it_gives_every_chart_alt_text_in_words(self, paper: Document) -> None:
        pictures = paper.element.body.xpath(".//wp:docPr")
        assert len(pictures) == 27  # 16 trends, 11 indicators with benchmarks
        descriptions = [p.get("descr") for p in pictures]
        assert all(d and len(d) > 40 for d in descriptions)
        assert descriptions[1] == (
            "Single assessments completed within 45 working days rose from 90% in April 2026 to "
            "91% in September 2026, above the 90% target. In September 2025 it was 89%."
        )
        assert any(
            d.startswith("Re-referrals to children's social care within 12 months of a previous "
                         "referral in 2024-25: Harrow 15.6%, ranked 3 of 11")
            for d in descriptions
        )  # fmt: skip


class DescribeASeparateIndex:
    def it_writes_the_index_as_its_own_landscape_document(self, built: Path) -> None:
        appendix = docx.Document(str(built / SCORECARD_APPENDIX.relative_to("out")))
        assert appendix.sections[0].orientation == WD_ORIENT.LANDSCAPE
        assert appendix.paragraphs[0].text == "Children's Services Performance Scorecard"
        periods = list(index_tables(appendix))[2].rows[0].cells[2:6]
        assert [c.text for c in periods] == ["2021-22", "2022-23", "2023-24", "2024-25"]
        assert len(appendix.element.body.xpath(".//wp:docPr")) == 10

    def it_lists_it_as_an_enclosure_of_the_paper(self, built: Path) -> None:
        paper = docx.Document(str(built / SCORECARD.relative_to("out")))
        assert "Enclosures:\tChildren's Services Performance Scorecard" in [
            p.text for p in paper.paragraphs
        ]


def problems_building(project: Path, *narratives: Path) -> list[str]:
    """The problems a build of the narratives reports (it must fail)."""
    with pytest.raises(InputError) as raised:
        Workspace(project).build([project / n for n in narratives], project / "out")
    return [str(p) for p in raised.value.problems]


class DescribeFieldsAHouseStyleLacks:
    def it_refuses_a_field_the_template_has_no_place_for(self, project: Path) -> None:
        edit(project / SCORECARD_NARRATIVE, "exempt: false\n", "exempt: false\nwards: All\n")
        edit(
            project / PERFORMANCE_NARRATIVE,
            "timetable: N/a for this report.\n",
            "timetable: N/a for this report.\ncorporate_priorities: Supporting families.\n",
        )
        assert problems_building(project, Path("data/narrative")) == [
            f"{PERFORMANCE_NARRATIVE}:81: corporate_priorities: the performance_report template "
            "has no place for corporate_priorities — remove it, or use `template: "
            "information_report`, which has a place for it",
            f"{SCORECARD_NARRATIVE}:11: wards: the information_report template has no place "
            "for wards — remove it, or use `template: performance_report`, which has a place "
            "for it",
        ]
        assert not (project / "out").exists()

    def it_refuses_an_index_section_in_a_template_without_one(self, project: Path) -> None:
        edit(project / SCORECARD_NARRATIVE, "  placement: document\n", "")
        assert problems_building(project, SCORECARD_NARRATIVE) == [
            f"{SCORECARD_NARRATIVE}:17: scorecard: the information_report template has no "
            "place for scorecard — add `placement: document` under scorecard to send the index "
            "as its own document, or use `template: performance_report`, which has a place "
            "for it"
        ]

    def it_refuses_charts_for_an_indicator_the_report_does_not_have(self, project: Path) -> None:
        edit(project / SCORECARD_NARRATIVE, "charts: [L1, L2,", "charts: [L11, L2,")
        assert problems_building(project, SCORECARD_NARRATIVE) == [
            f"{SCORECARD_NARRATIVE}:21: scorecard.chart 1: 'L11' is not one of this report's "
            "indicators — did you mean 'L1'?"
        ]


class DescribeChartsOnRebuild:
    def it_does_not_redraw_charts_after_a_narrative_edit(
        self, project: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from reportgen.word import drawing

        charts = project / ".cache" / "reportgen" / "charts"
        shutil.rmtree(charts, ignore_errors=True)
        Workspace(project).build([project / PERFORMANCE_NARRATIVE], project / "out")
        assert len(list(charts.glob("*.png"))) == 27
        edit(project / PERFORMANCE_NARRATIVE, "Members of the panel", "Members of the Panel")

        def fail(chart: object) -> bytes:
            raise AssertionError("a chart was drawn again")

        monkeypatch.setattr(drawing, "picture", fail)
        Workspace(project).build([project / PERFORMANCE_NARRATIVE], project / "out")
        paper = docx.Document(str(project / PERFORMANCE))
        assert paper.paragraphs[8].text.startswith("Members of the Panel")

    def it_draws_a_chart_again_when_its_data_change(self, project: Path) -> None:
        Workspace(project).build([project / PERFORMANCE_NARRATIVE], project / "out")
        charts = project / ".cache" / "reportgen" / "charts"
        before = {p.name for p in charts.glob("*.png")}
        type_counted(project, "L1")
        edit(project / "data/indicators/scorecard-2026-27.csv", "L1,2026-09,224", "L1,2026-09,214")
        Workspace(project).build([project / PERFORMANCE_NARRATIVE], project / "out")
        assert len({p.name for p in charts.glob("*.png")} - before) == 1


def it_gives_the_same_bytes_for_the_same_inputs_charts_and_all(project: Path) -> None:
    shutil.rmtree(project / ".cache" / "reportgen" / "charts", ignore_errors=True)
    drawn = (
        Workspace(project)
        .build([project / SCORECARD_NARRATIVE], project / "out", write=False)
        .reports[0]
    )
    cached = (
        Workspace(project)
        .build([project / SCORECARD_NARRATIVE], project / "out", write=False)
        .reports[0]
    )
    assert [path.name for path, _ in drawn.files] == [SCORECARD.name, SCORECARD_APPENDIX.name]
    assert drawn.files == cached.files
