"""Pictures of a PDF's pages for the page preview: a JPEG of every page at 80 dpi, made by
poppler's pdftoppm; without pdftoppm, an error that says what to install."""

from __future__ import annotations

import io
import math
import subprocess
from pathlib import Path

import pytest
from conftest import require_tool
from PIL import Image
from pypdf import PdfWriter

import reportgen

A4 = (595, 842)  # points


def pdf_of(pages: int, folder: Path) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*A4)
    buffer = io.BytesIO()
    writer.write(buffer)
    path = folder / "paper.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def it_makes_a_jpeg_of_every_page_in_order_at_80_dpi(tmp_path: Path) -> None:
    require_tool("pdftoppm")
    made = reportgen.page_pictures(pdf_of(11, tmp_path), tmp_path / "page")
    assert [p.name for p in made] == [f"page-{n:02d}.jpg" for n in range(1, 12)]
    with Image.open(made[0]) as picture:
        assert picture.format == "JPEG"
        # pdftoppm rounds a part of a pixel up
        assert picture.size == (math.ceil(A4[0] / 72 * 80), math.ceil(A4[1] / 72 * 80))


def it_says_to_install_poppler_when_pdftoppm_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    with pytest.raises(reportgen.ToolError) as raised:
        reportgen.page_pictures(pdf_of(1, tmp_path), tmp_path / "page")
    assert [str(p) for p in raised.value.problems] == [
        "pdftoppm is not installed — install poppler-utils to see pages"
    ]
    assert not list(tmp_path.glob("page-*"))


def it_asks_pdftoppm_for_jpeg_at_quality_85_and_80_dpi_with_a_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[list[str], float]] = []

    def run(command: list[str], **options: object) -> None:
        asked.append((command, options["timeout"]))  # type: ignore[arg-type]

    monkeypatch.setattr("reportgen.pdf.pictures.shutil.which", lambda name: f"/bin/{name}")
    monkeypatch.setattr("reportgen.pdf.pictures.subprocess.run", run)
    pdf, prefix = tmp_path / "paper.pdf", tmp_path / "page"
    assert reportgen.page_pictures(pdf, prefix) == []
    assert asked == [
        (
            ["/bin/pdftoppm", "-jpeg", "-jpegopt", "quality=85", "-r", "80", str(pdf), str(prefix)],
            120,
        )
    ]


def it_reports_pdftoppm_running_out_of_time_as_a_tool_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def run(command: list[str], **options: object) -> None:
        raise subprocess.TimeoutExpired(command, 120)

    monkeypatch.setattr("reportgen.pdf.pictures.shutil.which", lambda name: f"/bin/{name}")
    monkeypatch.setattr("reportgen.pdf.pictures.subprocess.run", run)
    with pytest.raises(reportgen.ToolError) as raised:
        reportgen.page_pictures(tmp_path / "paper.pdf", tmp_path / "page")
    assert "could not make pictures of the pages" in str(raised.value)
    assert "Traceback" not in str(raised.value)
