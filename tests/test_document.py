"""The Word paper a committee gets: built from the example and read back with python-docx."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from conftest import NARRATIVE, OUTPUT, edit
from docx.oxml.ns import qn

from reportgen import Workspace


def built_paper(project: Path) -> docx.document.Document:
    """Builds the example paper in `project` and opens it as a reader would."""
    Workspace(project).build([project / NARRATIVE], project / "out")
    return docx.Document(str(project / OUTPUT))


@pytest.fixture
def paper(project: Path) -> docx.document.Document:
    edit(project / NARRATIVE, "P&F members asked", "P&F members (<Children & Families>) asked")
    return built_paper(project)


def texts(document: docx.document.Document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def table_rows(table: docx.table.Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def it_opens_with_the_committee_and_the_header_block(paper: docx.document.Document) -> None:
    title = paper.paragraphs[0]
    assert (title.style.name, title.text) == (
        "Title", "REPORT FOR: PERFORMANCE AND FINANCE SCRUTINY SUB-COMMITTEE",
    )  # fmt: skip
    lines = [p for p in paper.paragraphs[1:9] if p.style.name == "Header Details"]
    assert all(p.runs[0].bold for p in lines)
    header = dict(p.text.split(":\t", 1) for p in lines)
    assert header == {
        "Date of Meeting": "18 January 2011",
        "Subject": "Performance Update on National Indicators (NI) used in Children's Social Care "
        "Assessments (NI59 and NI60)",
        "Key Decision": "No",
        "Responsible Officer": "Catherine Doran, Director of Children's Services",
        # The reference paper's label, from the narrative's `header_labels`.
        "Scrutiny Lead Member area": (
            "Councillor Krishna James – Performance Lead for Children and Young People"
        ),
        "Exempt": "No",
        "Enclosures": "None",
    }


def it_has_the_sections_in_order_as_real_headings(paper: docx.document.Document) -> None:
    headings = [
        (p.style.name, p.text) for p in paper.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "Section 1 – Summary and Recommendations"),
        ("Heading 2", "Recommendations"),
        ("Heading 1", "Section 2 – Report"),
        ("Heading 2", "Key points"),
        ("Heading 2", "Background"),
        ("Heading 2", "Action and progress"),
        ("Heading 2", "Detailed performance and comparators"),
        ("Heading 2", "Performance"),
        ("Heading 2", "Comparators"),
        ("Heading 2", "Financial Implications"),
        ("Heading 2", "Risk Management Implications"),
        ("Heading 2", "Corporate Priorities"),
        ("Heading 1", "Section 3 – Statutory Officer Clearance"),
        ("Heading 1", "Section 4 – Contact Details and Background Papers"),
        ("Heading 2", "Contact"),
        ("Heading 2", "Background Papers"),
    ]


def it_states_the_figures_of_the_paper_in_its_text(paper: docx.document.Document) -> None:
    text = texts(paper)
    for sentence in (
        "For November, 93% (55 of 59) of initial assessments were completed within 10 days.",
        "October's performance was 89% (51 of 57).",
        "This improves the year to date performance to 79% (target - 'as high as possible'), "
        "and gives a 4 percentage point increase on the Q2 result.",
        "For November, 86% (50 of 58) of core assessments were completed within 35 days.",
        "October's performance was 76% (32 of 42).",
        "This improves the year to date performance to 75% (target 83%) and also gives a 4 "
        "percentage point increase from the quarter 2 figure.",
        "Ealing was top last year with 79%, Croydon was bottom with 51% and Harrow was third with 71%.",
        "Ealing was again top with 86%, Croydon was again bottom with 60% and Harrow was second "
        "with 84%.",
        "Barnet, Croydon, Ealing, Enfield, Hillingdon, Hounslow, Kingston upon Thames, Merton, "
        "Redbridge, Slough",
    ):
        assert sentence in text
    assert "{{" not in text and "{%" not in text and "**" not in text


def it_keeps_ampersands_and_angle_brackets_as_typed(paper: docx.document.Document) -> None:
    assert "P&F members (<Children & Families>) asked" in texts(paper)


def it_uses_word_list_and_bold_styles_not_literal_markdown(paper: docx.document.Document) -> None:
    bullets = [p.text for p in paper.paragraphs if p.style.name == "List Bullet"]
    assert "continued high level of referrals and child protection work" in bullets
    assert any(
        b.startswith("Initial assessments completed within 10 days rose to 93%") for b in bullets
    )
    bold = [r.text for p in paper.paragraphs for r in p.runs if r.bold]
    assert "NI 59 Initial assessments:" in bold
    assert any("Harrow was third with 71%" in b for b in bold)


def it_has_a_performance_table_with_rag_words_and_directions(paper: docx.document.Document) -> None:
    table = paper.tables[0]
    rows = table_rows(table)
    assert rows[0] == [
        "Indicator", "Nov 2010", "Oct 2010", "Year to date 2010-11", "Target",
        "RAG rating", "Direction of travel",
    ]  # fmt: skip
    nbsp = "\u00a0"
    # November's figures are provisional, and the paper says so under them.
    assert rows[1][1:] == [f"93% (55{nbsp}of{nbsp}59)\nprovisional", f"89% (51{nbsp}of{nbsp}57)",
                           "79%\nprovisional", "As high as possible", "Not rated",
                           "↑ Improving"]  # fmt: skip
    assert rows[2][1:] == [f"86% (50{nbsp}of{nbsp}58)\nprovisional", f"76% (32{nbsp}of{nbsp}42)",
                           "75%\nprovisional", "83%", "Red", "↑ Improving"]  # fmt: skip
    red = table.rows[2].cells[5]._tc
    assert red.find(qn("w:tcPr")).find(qn("w:shd")).get(qn("w:fill")) == "FFC7CE"


def it_marks_table_header_rows_to_repeat_and_rows_not_to_split(
    paper: docx.document.Document,
) -> None:
    for table in paper.tables:
        first = table.rows[0]._tr.trPr
        assert first is not None and first.find(qn("w:tblHeader")) is not None
        for row in table.rows[1:]:
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None


def it_ranks_the_authority_among_its_neighbours_best_first(paper: docx.document.Document) -> None:
    ni59, ni60 = (table_rows(t) for t in paper.tables[1:3])
    assert ni59[0] == ["Rank", "Area", "2009-10"]
    assert ni59[1] == ["1", "Ealing", "79%"]
    assert ni59[3] == ["3", "Harrow (this authority)", "71%"]
    assert ni59[11] == ["11", "Croydon", "51%"]
    assert ni59[12:] == [
        ["–", "Statistical neighbour average", "64%"], ["–", "London", "63%"], ["–", "England", "67%"],
    ]  # fmt: skip
    assert ni60[2] == ["2", "Harrow (this authority)", "84%"]
    text = texts(paper)
    assert "Harrow ranks 3 of 11 among itself and its statistical neighbours (1 = best)." in text
    assert "Harrow ranks 2 of 11 among itself and its statistical neighbours (1 = best)." in text


def it_lists_clearance_and_contacts(paper: docx.document.Document) -> None:
    assert table_rows(paper.tables[3]) == [
        ["Name", "On behalf of", "Date"],
        # "On behalf of" heads the column: the narrative's "on behalf of the …" is not doubled.
        ["Emma Stabler", "Chief Financial Officer", "7 January 2011"],
    ]
    text = texts(paper)
    assert "David Harrington, Service Manager – Performance Management" in text
    assert "020 7946 0018 / performance@example.org" in text


def it_sets_title_author_and_language(paper: docx.document.Document) -> None:
    props = paper.core_properties
    assert props.title.startswith("Performance Update on National Indicators")
    assert props.subject == "Performance and Finance Scrutiny Sub-Committee"
    assert props.author == "London Borough of Harrow"
    assert props.language == "en-GB"
    defaults = paper.styles.element.find(qn("w:docDefaults"))
    assert (
        defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val"))
        == "en-GB"
    )


def it_gives_the_same_bytes_for_the_same_inputs(project: Path) -> None:
    first = (
        Workspace(project)
        .build([project / NARRATIVE], project / "out", write=False)
        .reports[0]
        .content
    )
    second = (
        Workspace(project)
        .build([project / NARRATIVE], project / "out", write=False)
        .reports[0]
        .content
    )
    assert first == second


def it_follows_the_data_when_it_changes(project: Path) -> None:
    edit(
        project / "data/indicators/assessments-2010-11.csv",
        "NI60,2010-11,50,58",
        "NI60,2010-11,58,58",
    )
    text = texts(built_paper(project))
    assert "For November, 100% (58 of 58) of core assessments" in text
    assert "year to date performance to 78% (target 83%)" in text  # 214 of 275


def it_says_not_available_in_words_for_a_month_with_no_cases(project: Path) -> None:
    edit(
        project / "data/indicators/assessments-2010-11.csv",
        "NI60,2010-11,50,58",
        "NI60,2010-11,0,0",
    )
    paper = built_paper(project)
    assert table_rows(paper.tables[0])[2][1:4] == [
        "Not available: no cases in November 2010 (denominator is 0)",
        "76% (32\u00a0of\u00a042)",
        "72%\nprovisional",
    ]
    assert table_rows(paper.tables[0])[2][6] == "Not applicable"


def it_writes_a_manifest_of_inputs_and_outputs(project: Path) -> None:
    import hashlib
    import json

    Workspace(project).build([project / NARRATIVE], project / "out")
    manifest_path = (project / OUTPUT).parent / "manifest.json"
    first = manifest_path.read_bytes()
    manifest = json.loads(first)
    assert manifest["reportgen"] == "0.1.0"
    paper = (project / OUTPUT).read_bytes()
    assert manifest["outputs"] == {OUTPUT.name: hashlib.sha256(paper).hexdigest()}
    narrative = (project / NARRATIVE).read_bytes()
    assert manifest["inputs"][str(NARRATIVE)] == hashlib.sha256(narrative).hexdigest()
    assert "config/indicators.yaml" in manifest["inputs"]
    assert "reportgen/templates/information_report.docx" in manifest["inputs"]
    Workspace(project).build([project / NARRATIVE], project / "out")
    assert manifest_path.read_bytes() == first  # the same inputs, the same manifest


def it_fits_long_properties_into_what_word_holds(tmp_path: Path) -> None:
    import io
    from datetime import date

    from docx import Document

    from reportgen.inputs.project import BUILT_IN_TEMPLATES
    from reportgen.word.render import DocumentProperties, render

    ids = ", ".join(f"IND{number}" for number in range(1, 81))  # a paper of 80 indicators
    context = {"committee": "Panel", "date": "1 May 2026", "meeting_date": "1 May 2026",
               "time": "7 pm", "venue": "Room 1",
               "pack_title": "Agenda", "items": [], "authority": "Council",
               "membership": "", "contact": "", "in_pack": True}  # fmt: skip
    properties = DocumentProperties("T" * 300, "Panel", "Council", ids, "en-GB", date(2026, 5, 1))
    core = Document(io.BytesIO(render(BUILT_IN_TEMPLATES / "agenda.docx", context, properties)))
    keywords = core.core_properties.keywords
    assert len(keywords) <= 255 and keywords.startswith("IND1, IND2, ") and keywords.endswith("…")
    assert keywords.removesuffix("…").split(", ")[-1].startswith("IND")  # cut between ids
    assert len(core.core_properties.title) == 255


def it_widens_a_table_for_template_column_loops_and_breaks_lines_in_cells(tmp_path: Path) -> None:
    # docxtpl's fixes a template may rely on: `{%tc for %}` columns widen the table's grid,
    # and a newline in a value placed in a cell is a line break. reportgen runs them only
    # where they can change something (see word/render.py): here they must.
    import io
    from datetime import date

    from docx import Document

    from reportgen.inputs.project import BUILT_IN_TEMPLATES
    from reportgen.word.render import DocumentProperties, render

    template = Document(str(BUILT_IN_TEMPLATES / "agenda.docx"))
    table = template.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("{%tc for q in quarters %}", "{{ q }}",
                                                 "{%tc endfor %}"), strict=True):  # fmt: skip
        cell.text = text
    template.add_paragraph("{{ two_lines }}")
    path = tmp_path / "columns.docx"
    template.save(str(path))
    context = {"committee": "Panel", "date": "1 May 2026", "meeting_date": "1 May 2026",
               "time": "7 pm", "venue": "Room 1", "pack_title": "Agenda", "items": [],
               "authority": "Council", "membership": "", "contact": "", "in_pack": True,
               "quarters": ["Q1", "Q2", "Q3", "Q4", "Q5"], "two_lines": "first\nsecond"}  # fmt: skip
    properties = DocumentProperties("T", "Panel", "Council", "", "en-GB", date(2026, 5, 1))
    paper = Document(io.BytesIO(render(path, context, properties)))
    placed = paper.tables[-1]
    assert [cell.text for cell in placed.rows[0].cells] == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    assert len(placed._tbl.tblGrid.findall(qn("w:gridCol"))) == 5  # was 3 in the template
    broken = next(p for p in paper.paragraphs if "first" in p.text)
    assert broken.text == "first\nsecond" and broken._p.findall(f".//{qn('w:br')}")
