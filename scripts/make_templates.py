"""Writes templates/information_report.docx, the house-style template reportgen ships.

Democratic services can open and edit the result in Word; this script is how we keep it
reproducible. Run it from the repository root: `python scripts/make_templates.py`.
The template's placeholders are documented in the README ("Writing a template").
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reportgen.render import reproducible_zip

FONT = "Arial"
BLACK = RGBColor(0, 0, 0)
HEADER_FILL = "D9D9D9"
ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    out = ROOT / "templates" / "information_report.docx"
    buffer = io.BytesIO()
    information_report().save(buffer)
    # Fixed dates inside the zip: regenerating an unchanged template changes no bytes.
    out.write_bytes(reproducible_zip(buffer.getvalue(), date(2026, 1, 1)))
    print(f"wrote {out.relative_to(ROOT)}")


def information_report():  # type: ignore[no-untyped-def]
    doc = Document()
    _trim(doc)
    _house_style(doc)
    _page(doc)

    doc.add_paragraph("REPORT FOR: {{ committee_heading }}", style="Title")
    _header_block(doc)

    doc.add_heading("Section 1 – Summary and Recommendations", level=1)
    doc.add_paragraph("{{p summary }}")
    _narrative(doc, "Recommendations", "recommendations")

    doc.add_heading("Section 2 – Report", level=1)
    doc.add_paragraph("{%p if key_points %}")
    doc.add_heading("Key points", level=2)
    doc.add_paragraph("{{p key_points }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p for section in sections %}")
    doc.add_heading("{{ section.heading }}", level=2)
    doc.add_paragraph("{{p section.body }}")
    doc.add_paragraph("{%p endfor %}")

    doc.add_paragraph("{%p if performance.rows %}")
    doc.add_heading("Performance", level=2)
    doc.add_paragraph("{{ performance.caption }}", style="Caption")
    _performance_table(doc)
    doc.add_paragraph("{%p endif %}")

    doc.add_paragraph("{%p if comparators %}")
    doc.add_heading("Comparators", level=2)
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p for table in comparators %}")
    doc.add_paragraph("{{ table.caption }}", style="Caption")
    _comparator_table(doc)
    standing = doc.add_paragraph("{{ table.standing }}", style="Body Text")
    standing.paragraph_format.space_before = Pt(6)
    doc.add_paragraph("{%p endfor %}")

    _narrative(doc, "Financial Implications", "financial_implications")
    _narrative(doc, "Risk Management Implications", "risk_management_implications")
    _narrative(doc, "Corporate Priorities", "corporate_priorities")

    doc.add_heading("Section 3 – Statutory Officer Clearance", level=1)
    doc.add_paragraph("{%p if clearance %}")
    _clearance_table(doc)
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph(
        "No statutory officer clearance is recorded for this report.", style="Body Text"
    )
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("Section 4 – Contact Details and Background Papers", level=1)
    doc.add_heading("Contact", level=2)
    doc.add_paragraph("{%p for contact in contacts %}")
    contact = doc.add_paragraph(style="Body Text")
    contact.add_run("{{ contact.name }}").bold = True
    contact.add_run(", {{ contact.title }}")
    doc.add_paragraph("{{ contact.details }}", style="Body Text")
    doc.add_paragraph("{%p endfor %}")
    _narrative(doc, "Background Papers", "background_papers")

    props = doc.core_properties
    props.title = "Information report (reportgen template)"
    props.author = "reportgen"
    props.language = "en-GB"
    props.created = props.modified = datetime(2026, 1, 1)
    props.last_modified_by = "reportgen"
    props.revision = 1
    return doc


def _narrative(doc, heading: str, field: str) -> None:  # type: ignore[no-untyped-def]
    """A heading, then the narrative field as whole paragraphs (`{{p field }}`)."""
    doc.add_heading(heading, level=2)
    doc.add_paragraph(f"{{{{p {field} }}}}")


def _header_block(doc) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ("Date of Meeting:", "{{ meeting_date }}"),
        ("Subject:", "{{ subject }}"),
        ("Key Decision:", "{{ key_decision }}"),
        ("Responsible Officer:", "{{ responsible_officer }}"),
        ("{%tr if portfolio_holder %}", None),
        ("Portfolio Holder:", "{{ portfolio_holder }}"),
        ("{%tr endif %}", None),
        ("Exempt:", "{{ exempt }}"),
        ("Enclosures:", "{{ enclosures }}"),
    ]
    table = doc.add_table(rows=len(rows), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _fixed_widths(table, [Cm(5), Cm(12)])
    for row, (label, value) in zip(table.rows, rows, strict=True):
        if value is None:
            row.cells[0].merge(row.cells[1])
            row.cells[0].paragraphs[0].text = label
            continue
        _cell_text(row.cells[0], label, bold=True)
        _cell_text(row.cells[1], value)


def _performance_table(doc) -> None:  # type: ignore[no-untyped-def]
    headings = [
        "Indicator",
        "{{ performance.latest_heading }}",
        "{{ performance.previous_heading }}",
        "{{ performance.ytd_heading }}",
        "Target",
        "RAG rating",
        "Direction of travel",
    ]
    cells = [
        "{{ row.indicator }}",
        "{{ row.latest }}",
        "{{ row.previous }}",
        "{{ row.ytd }}",
        "{{ row.target }}",
        "{% cellbg row.rag_fill %}{{ row.rag }}",
        "{{ row.direction }}",
    ]
    widths = [Cm(3.7), Cm(2.6), Cm(2.6), Cm(2.1), Cm(2.2), Cm(1.5), Cm(2.3)]
    _data_table(doc, headings, cells, "{%tr for row in performance.rows %}", widths)


def _comparator_table(doc) -> None:  # type: ignore[no-untyped-def]
    headings = ["Rank", "Area", "{{ table.year }}"]
    cells = [
        "{% cellbg row.fill %}{{ row.rank }}",
        "{% cellbg row.fill %}{{ row.area }}",
        "{% cellbg row.fill %}{{ row.value }}",
    ]
    table = _data_table(
        doc, headings, cells, "{%tr for row in table.rows %}", [Cm(2), Cm(8), Cm(3)]
    )
    # A comparator table is short: keep it on one page with its caption and summary line.
    for row in (table.rows[0], table.rows[2]):
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True


def _clearance_table(doc) -> None:  # type: ignore[no-untyped-def]
    headings = ["Name", "On behalf of", "Date"]
    cells = ["{{ item.name }}", "{{ item.role }}", "{{ item.date }}"]
    _data_table(doc, headings, cells, "{%tr for item in clearance %}", [Cm(5), Cm(8), Cm(4)])


def _data_table(doc, headings, cells, loop, widths):  # type: ignore[no-untyped-def]
    """A grid table: a header row that repeats on each page, then one looping data row."""
    table = doc.add_table(rows=4, cols=len(headings))
    table.style = doc.styles["Table Grid"]
    _fixed_widths(table, widths)
    header, start, body, end = table.rows
    _row_property(header, "w:tblHeader")
    _row_property(body, "w:cantSplit")
    for cell, text in zip(header.cells, headings, strict=True):
        _cell_text(cell, text, bold=True)
        _shade(cell, HEADER_FILL)
    for cell, text in zip(body.cells, cells, strict=True):
        _cell_text(cell, text)
    start.cells[0].merge(start.cells[-1]).paragraphs[0].text = loop
    end.cells[0].merge(end.cells[-1]).paragraphs[0].text = "{%tr endfor %}"
    return table


def _cell_text(cell, text: str, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    paragraph = cell.paragraphs[0]
    paragraph.style = "Table Text"
    paragraph.add_run(text).bold = bold or None


def _fixed_widths(table, widths) -> None:  # type: ignore[no-untyped-def]
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width


def _row_property(row, tag: str) -> None:  # type: ignore[no-untyped-def]
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement(tag)
    tr_pr.append(element)


def _shade(cell, fill: str) -> None:  # type: ignore[no-untyped-def]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _trim(doc) -> None:  # type: ignore[no-untyped-def]
    """Drops what python-docx's starter file carries and a council's paper does not need:
    a thumbnail of another document, a Word 2010 duplicate of the styles, and a hundred
    unused table styles (Word offers them again from its own gallery)."""
    for rels in (doc.part.package.rels, doc.part.rels):
        for key, rel in list(rels.items()):
            if rel.reltype.endswith(("/thumbnail", "/stylesWithEffects")):
                del rels[key]
    keep = {"Normal Table", "Table Grid"}
    for style in list(doc.styles):
        if style.type == 3 and style.name not in keep:
            style.element.getparent().remove(style.element)


def _house_style(doc) -> None:  # type: ignore[no-untyped-def]
    styles = doc.styles
    _language(doc, "en-GB")
    _font(styles["Normal"], size=12)
    styles["Normal"].paragraph_format.space_after = Pt(0)
    body = styles["Body Text"]
    _font(body, size=12)
    body.paragraph_format.space_after = Pt(8)
    body.paragraph_format.line_spacing = 1.1
    bullet = styles["List Bullet"]
    _font(bullet, size=12)
    bullet.paragraph_format.space_after = Pt(6)
    _remove(bullet.element.pPr, "w:contextualSpacing")
    title = styles["Title"]
    _font(title, size=16, bold=True)
    _remove(title.element.pPr, "w:pBdr")
    title.paragraph_format.space_after = Pt(12)
    for level, size, before in ((1, 14, 18), (2, 12, 12), (3, 12, 10)):
        heading = styles[f"Heading {level}"]
        _font(heading, size=size, bold=True)
        heading.paragraph_format.space_before = Pt(before)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.keep_with_next = True
    caption = styles["Caption"]
    _font(caption, size=11, bold=True)
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(4)
    caption.paragraph_format.keep_with_next = True
    table_text = styles.add_style("Table Text", 1)
    table_text.base_style = styles["Normal"]
    _font(table_text, size=10)
    table_text.paragraph_format.space_before = Pt(2)
    table_text.paragraph_format.space_after = Pt(2)
    table_text.quick_style = True
    for name in ("Header", "Footer"):
        _font(styles[name], size=9)


def _font(style, size: int, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Arial in every script slot, replacing the theme fonts that would override it."""
    r_pr = style.element.get_or_add_rPr()
    _remove(r_pr, "w:rFonts")
    fonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    r_pr.insert(0, fonts)
    style.font.size = Pt(size)
    style.font.bold = bold or None
    style.font.color.rgb = BLACK
    style.font.italic = None


def _remove(parent, tag: str) -> None:  # type: ignore[no-untyped-def]
    if parent is None:
        return
    for element in parent.findall(qn(tag)):
        parent.remove(element)


def _language(doc, language: str) -> None:  # type: ignore[no-untyped-def]
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _remove(r_pr, "w:lang")
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    lang.set(qn("w:bidi"), "ar-SA")
    r_pr.append(lang)


def _page(doc) -> None:  # type: ignore[no-untyped-def]
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2))
    section.top_margin = section.bottom_margin = Cm(2)
    footer = section.footer.paragraphs[0]
    footer.style = "Footer"
    footer.text = "{{ committee }}, {{ meeting_date }}\tPage "
    footer.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    # The starter Footer style's centre and right stops are for US Letter margins: replace them
    # with one right-aligned stop at the right margin.
    _remove(doc.styles["Footer"].element.pPr, "w:tabs")
    footer.paragraph_format.tab_stops.add_tab_stop(Cm(17), WD_TAB_ALIGNMENT.RIGHT)


def _field(paragraph, instruction: str) -> None:  # type: ignore[no-untyped-def]
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


if __name__ == "__main__":
    main()
