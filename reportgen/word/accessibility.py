"""An accessibility check of any Word document (the Public Sector Bodies Accessibility
Regulations 2018 ask councils to publish accessible documents).

Reads the .docx as python-docx sees it and reports each finding with where it is:
- the document's title and language are set;
- headings use heading styles, in order (no level skipped), and no paragraph is made to look
  like a heading (bold and 14 pt or more) without being one;
- every picture has alt text;
- every table has a header row marked to repeat, and no merged cells;
- no empty paragraphs are used for spacing;
- text in a shaded cell contrasts with the shading at 4.5:1 or more (WCAG AA), and no shaded
  cell is empty (meaning by colour alone, as a RAG cell with no word would be).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

MINIMUM_CONTRAST = 4.5
HEADING = re.compile(r"^Heading (\d)$")


@dataclass(frozen=True)
class Finding:
    """One accessibility problem: where it is, what is wrong, how to fix it."""

    where: str
    what: str
    fix: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what} — {self.fix}"


class NotAWordDocument(ValueError):
    """The file is not a Word document python-docx can open."""


def check_file(path: Path) -> list[Finding]:
    """`check` for a file that may not be a Word document at all (NotAWordDocument)."""
    try:
        return check(path)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise NotAWordDocument(str(path)) from exc


def check(path: Path) -> list[Finding]:
    """Every accessibility finding in the document at `path`."""
    return list(_findings(docx.Document(str(path))))


def _findings(document: Document) -> Iterator[Finding]:
    properties = document.core_properties
    if not (properties.title or "").strip():
        yield Finding(
            "document", "has no title", "set File > Info > Title (screen readers announce it)"
        )
    if not (properties.language or "").strip() and not _default_language(document):
        yield Finding(
            "document", "has no language", "set the language (Review > Language), e.g. en-GB"
        )
    yield from _headings(document)
    yield from _pictures(document)
    for number, table in enumerate(document.tables, start=1):
        yield from _table(table, f"table {number}")
    yield from _empty_paragraphs(document)


def _headings(document: Document) -> Iterator[Finding]:
    previous = 0
    for number, paragraph in enumerate(document.paragraphs, start=1):
        found = HEADING.match(paragraph.style.name if paragraph.style is not None else "")
        where = f"paragraph {number} ('{paragraph.text[:40]}')"
        if found:
            level = int(found.group(1))
            if level > previous + 1:
                yield Finding(
                    where,
                    f"heading level {level} follows level {previous}",
                    f"use Heading {previous + 1}, or add the heading level between them",
                )
            previous = level
        elif _looks_like_heading(paragraph):
            yield Finding(
                where,
                "is made to look like a heading (bold, 14 pt or more) but is not styled as one",
                "give it a Heading style (Home > Styles)",
            )


def _looks_like_heading(paragraph: Paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    if not runs or len(paragraph.text) > 120:
        return False
    return all(r.bold and r.font.size is not None and r.font.size.pt >= 14 for r in runs)


def _pictures(document: Document) -> Iterator[Finding]:
    for number, picture in enumerate(document.element.body.iter(qn("wp:docPr")), start=1):
        if not (picture.get("descr") or picture.get("title") or "").strip():
            yield Finding(
                f"picture {number} ('{picture.get('name', '')}')",
                "has no alt text",
                "right-click it > Edit Alt Text, and say in words what it shows",
            )


def _table(table: Table, where: str) -> Iterator[Finding]:
    rows = table._tbl.tr_lst
    header = rows[0].trPr if rows else None
    if header is None or header.find(qn("w:tblHeader")) is None:
        yield Finding(
            where,
            "has no header row marked to repeat",
            "select its first row > Table Properties > Row > Repeat as header row",
        )
    if table._tbl.xpath(".//w:gridSpan[@w:val > 1] | .//w:vMerge | .//w:hMerge"):
        yield Finding(where, "has merged cells", "split them (Layout > Split Cells)")
    for row_number, row in enumerate(rows, start=1):
        for column, cell in enumerate(row.tc_lst, start=1):
            yield from _shaded_cell(cell, f"{where}, row {row_number}, column {column}")


def _shaded_cell(cell: object, where: str) -> Iterator[Finding]:
    properties = cell.tcPr  # type: ignore[attr-defined]
    shading = properties.find(qn("w:shd")) if properties is not None else None
    fill = shading.get(qn("w:fill")) if shading is not None else None
    if not fill or fill.lower() in ("auto", "ffffff"):
        return
    text = "".join(t.text or "" for t in cell.iter(qn("w:t")))  # type: ignore[attr-defined]
    if not text.strip():
        yield Finding(
            where,
            f"is shaded ({fill}) with no text: its meaning is carried by colour alone",
            "write the rating or meaning in the cell as well",
        )
        return
    for colour in {c.get(qn("w:val")) for c in cell.iter(qn("w:color"))} or {"000000"}:  # type: ignore[attr-defined]
        foreground = "000000" if colour in (None, "auto") else colour
        ratio = contrast(foreground, fill)
        if ratio < MINIMUM_CONTRAST:
            yield Finding(
                where,
                f"text {foreground} on {fill} has a contrast of {ratio:.1f}:1",
                f"use a lighter shading or darker text (at least {MINIMUM_CONTRAST}:1)",
            )


def _empty_paragraphs(document: Document) -> Iterator[Finding]:
    for number, paragraph in enumerate(document.paragraphs, start=1):
        element = paragraph._p
        if paragraph.text.strip() or element.xpath(
            ".//w:drawing | .//w:pict | .//w:br[@w:type='page'] | ./w:pPr/w:sectPr"
        ):
            continue
        yield Finding(
            f"paragraph {number}",
            "is empty (used for spacing)",
            "delete it and set the spacing in the paragraph style (Paragraph > Spacing)",
        )


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two hex colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _default_language(document: Document) -> str:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    language = defaults.find(f".//{qn('w:lang')}") if defaults is not None else None
    return language.get(qn("w:val"), "") if language is not None else ""
