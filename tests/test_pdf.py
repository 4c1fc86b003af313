"""The example papers as LibreOffice prints them: a sane number of pages, nothing beyond the
margins. Each test asks conftest's `require_tool` for the programs it runs (LibreOffice,
poppler's pdftotext and pdfinfo): skipped where one is missing, unless REPORTGEN_REQUIRE_PDF is
set (CI sets it, so that a missing LibreOffice or poppler fails rather than skips)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from conftest import OUTPUT, PERFORMANCE, REPO, require_tool
from docx.oxml.ns import qn
from docx.shared import Emu, Twips

from reportgen import Workspace

PAPERS = {OUTPUT: (2, 5), PERFORMANCE: (10, 20)}  # the pages each may sensibly take
POINTS_PER_CM = 72 / 2.54


@pytest.fixture(scope="module")
def pdfs(example: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """Both house styles' example papers, built and converted in one LibreOffice run."""
    soffice = require_tool("soffice")
    require_tool("pdftotext")
    out = tmp_path_factory.mktemp("pdf")
    Workspace(example).build([example / "data" / "narrative"], out / "out")
    papers = [out / paper for paper in PAPERS]
    profile = out / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, papers)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return {paper: out / f"{paper.stem}.pdf" for paper in PAPERS}


def pages(pdf: Path) -> list[tuple[float, float, list[tuple[str, float, float]]]]:
    """Each page's width, height and words with their left and right edges, in points."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    found = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        words = [
            (word, float(x0), float(x1))
            for x0, x1, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>',
                page.group(3),
            )
        ]
        found.append((float(page.group(1)), float(page.group(2)), words))
    return found


@pytest.mark.parametrize("paper", list(PAPERS), ids=lambda p: p.stem)
def it_prints_on_a_sane_number_of_pages(pdfs: dict[Path, Path], paper: Path) -> None:
    fewest, most = PAPERS[paper]
    assert fewest <= len(pages(pdfs[paper])) <= most


@pytest.mark.parametrize("paper", list(PAPERS), ids=lambda p: p.stem)
def it_keeps_every_word_inside_the_margins(pdfs: dict[Path, Path], paper: Path) -> None:
    margin = 2 * POINTS_PER_CM - 1  # every page has 2 cm side margins; 1 pt for rounding
    outside = [
        (number, word)
        for number, (width, _, words) in enumerate(pages(pdfs[paper]), start=1)
        for word, left, right in words
        if left < margin or right > width - margin
    ]
    assert outside == []


@pytest.mark.parametrize("paper", list(PAPERS), ids=lambda p: p.stem)
def it_keeps_tables_and_pictures_within_the_text_width(pdfs: dict[Path, Path], paper: Path) -> None:
    document = docx.Document(str(pdfs[paper].with_name("out") / paper.relative_to("out")))
    checked = 0
    for section, blocks in sections(document):
        text_width = section.page_width - section.left_margin - section.right_margin
        for block in blocks:
            if block.tag == qn("w:tbl"):
                table_width = block.find(qn("w:tblPr")).find(qn("w:tblW"))
                if table_width is not None and table_width.get(qn("w:type")) == "pct":
                    assert int(table_width.get(qn("w:w"))) <= 5000
                else:
                    columns = block.find(qn("w:tblGrid")).findall(qn("w:gridCol"))
                    assert sum(Twips(int(c.get(qn("w:w")))) for c in columns) <= text_width
                checked += 1
            pictures = block.findall(".//" + qn("wp:extent"))
            if block.tag == qn("w:p") and pictures:
                assert sum(Emu(int(p.get("cx"))) for p in pictures) <= text_width
                checked += 1
    assert checked > 0


def sections(document: docx.document.Document) -> list[tuple[object, list]]:
    """Each section with the body elements in it (a section break ends its section)."""
    groups: list[list] = [[]]
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:sectPr"):
            continue
        groups[-1].append(element)
        if element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            groups.append([])
    return list(zip(document.sections, groups, strict=True))


def it_makes_tagged_titled_pdfs_in_one_run_with_build(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_tool("soffice")
    require_tool("pdfinfo")
    from reportgen.pdf.convert import soffice

    runs = []
    real, real_popen = subprocess.run, subprocess.Popen

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        runs.append(args[0][0])
        return real(*args, **kwargs)

    class Counted(real_popen):  # type: ignore[misc,valid-type]
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            runs.append(args[0][0])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counted)
    monkeypatch.setattr(subprocess, "Popen", Counted)
    built = Workspace(example).build([example / "data" / "narrative"], tmp_path, pdf=True).reports
    pdfs = [path for item in built for path, _ in item.files if path.suffix == ".pdf"]
    # Six PDFs, one LibreOffice process (each PDF is then read, by pdftotext if installed).
    assert len(pdfs) == 6 and runs.count(soffice()) == 1
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / PERFORMANCE.relative_to("out").with_suffix(".pdf"))],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert re.search(r"^Title:\s+Performance Report$", info, re.M)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)


def it_says_how_to_install_libreoffice_when_it_is_missing(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.delenv("REPORTGEN_SOFFICE", raising=False)
    result = cli("build", "--pdf")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "LibreOffice: is not installed; it makes the PDFs — install LibreOffice "
        "(Debian or Ubuntu: sudo apt-get install libreoffice-writer"
    )
    assert "or set REPORTGEN_SOFFICE to its soffice program" in result.stderr
    assert not (project / "out").exists()


def it_says_when_the_libreoffice_it_was_given_cannot_run(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPORTGEN_SOFFICE", str(project / "no-such-soffice"))
    result = cli("build", "--pdf")
    assert result.exit_code == 1
    assert result.stderr.startswith("LibreOffice: could not convert the papers (")
    assert "REPORTGEN_SOFFICE" in result.stderr
    assert not (project / "out").exists()


def it_converts_in_two_threads_at_once_each_with_its_own_settings(project: Path) -> None:
    import threading

    from reportgen.pdf.convert import convert

    require_tool("soffice")
    paper = (REPO / "reportgen/templates/agenda.docx").read_bytes()
    profile = project / ".cache/reportgen/libreoffice-test"
    results: list[list[bytes]] = []
    threads = [
        threading.Thread(target=lambda: results.append(convert([("a.docx", paper)], profile)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert len(results) == 2 and all(pdf[:5] == b"%PDF-" for (pdf,) in results)
    assert profile.is_dir()  # kept for the next run to start from


MEETING = Path("data/meetings/2026-11-04-children-and-young-people-scrutiny-panel.yaml")


def text_of(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", *pages, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def it_builds_the_agenda_pack_and_keeps_exempt_papers_out_of_it(project: Path) -> None:
    require_tool("soffice")
    require_tool("pdftotext")
    from pypdf import PdfReader

    from reportgen import Workspace

    written = Workspace(project).pack(project / MEETING, project / "out")
    folder = project / "out" / "2026-11-04-children-and-young-people-scrutiny-panel"
    assert written == [
        folder / "agenda-pack.pdf",
        folder / "exempt-agenda-pack.pdf",
        folder / "manifest.json",
    ]
    manifest = json.loads(written[2].read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == {"agenda-pack.pdf", "exempt-agenda-pack.pdf"}
    assert str(MEETING) in manifest["inputs"]
    public = PdfReader(str(written[0]))
    outline = [
        (item.title, public.get_destination_page_number(item))
        for item in public.outline
        if not isinstance(item, list)  # each paper's own bookmarks, under its item's
    ]
    assert outline == [
        ("Item 3: Minutes of the meeting held on 9 September 2026", 1),
        ("Item 4: Performance Report", 2),
    ]
    total = len(public.pages)
    assert total == 2 + 15  # front sheet, minutes, the 15-page performance report
    for number in range(1, total + 1):  # one page number on each page: the pack's
        assert re.findall(r"Page \d+ of \d+", text_of(written[0], number)) == [
            f"Page {number} of {total}"
        ]
    front = text_of(written[0], 1)
    assert (
        "5.\nHigh-cost residential placements\nNot for publication: exempt information under "
        in front.replace("\n\n", "\n")
    )
    whole = text_of(written[0])
    assert "costing more than £5,000" not in whole and "NOT FOR PUBLICATION" not in whole
    exempt = text_of(written[1])
    assert "Exempt agenda" in exempt and "NOT FOR PUBLICATION" in exempt
    assert "costing more than £5,000" in exempt
    assert public.metadata.title == (
        "Agenda: Children and Young People Scrutiny Panel, 4 November 2026"
    )


def it_builds_a_supplementary_pack(project: Path) -> None:
    require_tool("soffice")
    require_tool("pdftotext")
    from reportgen import Workspace

    text = (project / MEETING).read_text(encoding="utf-8")
    text = text.replace("items:\n", "supplementary: true\nitems:\n")
    text = text[: text.index("  - title: Apologies")] + (
        "  - narrative: ../narrative/2026-11-04-childrens-performance-report.yaml\n"
    )
    (project / MEETING).write_text(text, encoding="utf-8")
    written, _ = Workspace(project).pack(project / MEETING, project / "out")
    assert written.name == "supplementary-agenda-pack.pdf"
    assert "Supplementary agenda" in text_of(written, 1)


def it_keeps_a_supplied_exempt_paper_out_of_the_public_pack(project: Path) -> None:
    require_tool("soffice")
    require_tool("pdftotext")
    from reportgen import Workspace

    text = (project / MEETING).read_text(encoding="utf-8")
    text = text.replace(
        "    file: supplied/2026-09-09-minutes.pdf        # from Democratic Services\n",
        "    file: supplied/2026-09-09-minutes.pdf\n    exempt_paragraph: 1\n",
    )
    (project / MEETING).write_text(text, encoding="utf-8")
    public, exempt, _ = Workspace(project).pack(project / MEETING, project / "out")
    assert "illustrative minutes" not in text_of(public)
    assert "illustrative minutes" in text_of(exempt)
