"""A Word document as simple HTML, for a quick text preview in a browser: headings, body
paragraphs, lists and tables in document order, bold and italic kept. Pictures show as
their alt text. Layout (page size, columns, colours) is the page preview's job."""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Iterator

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from reportgen.inputs.textfile import unpacks_too_large


def document_html(content: bytes) -> str:
    """The document's body as HTML; ValueError if it is not a Word document."""
    if unpacks_too_large(content):
        raise ValueError("unpacks too large to be a paper")
    try:
        document = Document(io.BytesIO(content))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, etree.LxmlError):
        raise ValueError("is not a Word document (.docx)") from None
    out: list[str] = []
    listing = False
    for block in _blocks(document):
        if isinstance(block, Paragraph) and _is_list(block):
            if not listing:
                out.append("<ul>")
                listing = True
            out.append(f"<li>{_runs(block)}</li>")
            continue
        if listing:
            out.append("</ul>")
            listing = False
        if isinstance(block, Table):
            out.append(_table(block))
        else:
            text = _runs(block)
            if text.strip():
                tag = _heading_tag(block)
                out.append(f"<{tag}>{text}</{tag}>")
    if listing:
        out.append("</ul>")
    return "\n".join(out)


def _blocks(document: object) -> Iterator[Paragraph | Table]:
    body = document.element.body  # type: ignore[attr-defined]
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, document)  # type: ignore[arg-type]
        elif child.tag == qn("w:tbl"):
            yield Table(child, document)  # type: ignore[arg-type]


def _heading_tag(paragraph: Paragraph) -> str:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name == "Title":
        return "h2"
    if name.startswith("Heading "):
        level = name.removeprefix("Heading ")
        return f"h{min(int(level) + 2, 6)}" if level.isdigit() else "p"
    return "p"


def _is_list(paragraph: Paragraph) -> bool:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    return name.startswith("List")


def _runs(paragraph: Paragraph) -> str:
    parts = []
    for run in paragraph.iter_inner_content():
        if not isinstance(run, Run):  # a hyperlink: its text
            parts.append(html.escape(run.text))
            continue
        text = html.escape(run.text)
        for described in run._element.iter(qn("wp:docPr")):
            alt = described.get("descr") or described.get("title") or "picture"
            text += f'<span class="picture">[Picture: {html.escape(alt)}]</span>'
        if run.bold:
            text = f"<strong>{text}</strong>"
        if run.italic:
            text = f"<em>{text}</em>"
        parts.append(text)
    return "".join(parts)


def _table(table: Table) -> str:
    rows = []
    for number, row in enumerate(table.rows):
        tag = "th" if number == 0 else "td"
        cells = "".join(
            f"<{tag}>{'<br>'.join(_runs(p) for p in cell.paragraphs)}</{tag}>" for cell in row.cells
        )
        rows.append(f"<tr>{cells}</tr>")
    return f'<table class="preview-table">{"".join(rows)}</table>'
