"""The accessibility check: every paper reportgen writes passes; each fault is found."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

from reportgen import Workspace
from reportgen.word.accessibility import check, contrast


@pytest.fixture(scope="module")
def papers(example: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("papers")
    Workspace(example).build([example / "data" / "narrative"], out)
    return sorted(out.rglob("*.docx"))


def it_finds_nothing_in_any_paper_reportgen_writes(papers: list[Path]) -> None:
    assert len(papers) == 6
    assert {p.name: [str(f) for f in check(p)] for p in papers} == {p.name: [] for p in papers}


def bad_document(path: Path) -> Path:
    """A document with one of every fault the check knows."""
    document = docx.Document()
    defaults = document.styles.element.find(qn("w:docDefaults"))
    for language in defaults.iter(qn("w:lang")):
        language.getparent().remove(language)
    document.core_properties.title = ""
    document.core_properties.language = ""
    document.add_heading("Report", level=1)
    document.add_heading("Skipped a level", level=3)
    fake = document.add_paragraph().add_run("Looks like a heading")
    fake.bold, fake.font.size = True, Pt(16)
    document.add_paragraph("")
    picture = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(picture, format="PNG")
    document.add_picture(picture)
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1))
    for cell, fill, text in ((table.cell(1, 0), "555555", "Red"), (table.cell(1, 1), "C6EFCE", "")):
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), fill)
        cell._tc.get_or_add_tcPr().append(shading)
        cell.text = text
    document.save(str(path))
    return path


def it_finds_each_fault_in_a_bad_document(tmp_path: Path) -> None:
    findings = [str(f) for f in check(bad_document(tmp_path / "bad.docx"))]
    expected = [
        "document: has no title",
        "document: has no language",
        "paragraph 2 ('Skipped a level'): heading level 3 follows level 1",
        "paragraph 3 ('Looks like a heading'): is made to look like a heading",
        "picture 1 ('Picture 1'): has no alt text",
        "table 1: has no header row marked to repeat",
        "table 1: has merged cells",
        "table 1, row 2, column 1: text 000000 on 555555 has a contrast of 2.8:1",
        "table 1, row 2, column 2: is shaded (C6EFCE) with no text",
        "paragraph 4: is empty (used for spacing)",
    ]
    for start in expected:
        assert any(f.startswith(start) for f in findings), (start, findings)
    assert len(findings) == len(expected)


@pytest.mark.parametrize(
    ("foreground", "background", "ratio"),
    [("000000", "FFFFFF", 21.0), ("000000", "FFC7CE", 14.3), ("777777", "FFFFFF", 4.5)],
)
def it_measures_contrast_as_wcag_does(foreground: str, background: str, ratio: float) -> None:
    assert round(contrast(foreground, background), 1) == ratio


def it_checks_from_the_command_line(papers: list[Path], tmp_path: Path, cli) -> None:
    result = cli("accessibility", *map(str, papers))
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "ok: 6 documents checked, no findings\n"
    result = cli("accessibility", str(bad_document(tmp_path / "bad.docx")))
    assert result.exit_code == 1
    assert "bad.docx: picture 1 ('Picture 1'): has no alt text — right-click it" in result.stdout
    assert result.stderr == "10 findings.\n"


def it_finds_nothing_in_an_agenda_front_sheet(project: Path, tmp_path: Path) -> None:
    from reportgen.domain.schema import MeetingModel
    from reportgen.errors import Problems
    from reportgen.inputs.project import load_project
    from reportgen.jobs.agenda import _front_sheet, _Item

    loaded = load_project(project, Problems())
    assert loaded is not None
    meeting = MeetingModel.model_validate(
        {"committee": "Panel", "date": "2026-11-04", "time": "7.00 pm", "venue": "Room 1",
         "items": [{"title": "Apologies"}, {"title": "Placements"}]}
    )  # fmt: skip
    items = [_Item(1, "Apologies", "", (), ()), _Item(2, "Placements", "3", (("p", b""),), ())]
    _, content = _front_sheet(loaded, meeting, items, "Agenda", exempt=False)
    (tmp_path / "front.docx").write_bytes(content)
    assert [str(f) for f in check(tmp_path / "front.docx")] == []
