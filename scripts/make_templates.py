"""Writes the templates reportgen ships, one per house style, into reportgen/templates/:

- information_report.docx: the Harrow-style information report (portrait, header table,
  sections 1–4, statutory officer clearance);
- performance_report.docx: the 2019 performance report (header lines, lettered
  recommendations, sections and paragraphs numbered by Word: 1, 1.1, 2.1, …), with the
  performance index as a landscape appendix section;
- performance_index.docx: the performance index as a separate landscape document.

Democratic services can open and edit the results in Word; this script is how we keep them
reproducible. Run it from the repository root: `python scripts/make_templates.py`.
The templates' placeholders are documented in the README ("Writing a template").
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from reportgen.word.reproducible import reproducible_zip

FONT = "Arial"
BLACK = RGBColor(0, 0, 0)
HEADER_FILL = "D9D9D9"
ROOT = Path(__file__).resolve().parent.parent


# Word numbering definitions this script adds (python-docx's starter file uses 1 to 9).
OUTLINE, LETTERS, BULLETS = 20, 21, 22
PORTRAIT_TEXT_WIDTH = Cm(17)
LANDSCAPE_TEXT_WIDTH = Cm(25.7)


def main() -> None:
    for name, make in (
        ("information_report", information_report),
        ("performance_report", performance_report),
        ("performance_index", performance_index),
        ("agenda", agenda),
    ):
        out = ROOT / "reportgen" / "templates" / f"{name}.docx"
        buffer = io.BytesIO()
        make().save(buffer)
        # Fixed dates inside the zip: regenerating an unchanged template changes no bytes.
        out.write_bytes(reproducible_zip(buffer.getvalue(), date(2026, 1, 1)))
        print(f"wrote {out.relative_to(ROOT)}")


def _new_document(title: str):  # type: ignore[no-untyped-def]
    doc = Document()
    _trim(doc)
    _house_style(doc)
    props = doc.core_properties
    props.title = f"{title} (reportgen template)"
    props.author = "reportgen"
    props.language = "en-GB"
    props.created = props.modified = datetime(2026, 1, 1)
    props.last_modified_by = "reportgen"
    props.revision = 1
    return doc


def information_report():  # type: ignore[no-untyped-def]
    doc = _new_document("Information report")
    _page(doc)
    _exempt_header(doc.sections[0])

    _exempt_notice(doc)
    doc.add_paragraph("REPORT FOR: {{ committee_heading }}", style="Title")
    _header_block(doc)
    _disclosure_note(doc)

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
    doc.add_paragraph("{{ clearance_note }}", style="Body Text")
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
    return doc


def performance_report():  # type: ignore[no-untyped-def]
    """The 2019 paper: every section heading and every paragraph under it numbered by Word
    (Heading 1 and Body Text are linked to one outline list), recommendations lettered."""
    doc = _new_document("Performance report")
    _page(doc)
    _exempt_header(doc.sections[0])
    _outline_numbering(doc)
    _exempt_notice(doc)
    details = [
        ("committee", "{{ committee }}"),
        ("meeting_date", "{{ meeting_date }}"),
        ("wards", "{{ wards }}"),
        ("subject", "{{ subject }}"),
        ("responsible_officer", "{{ responsible_officer }}"),
        ("{%p if portfolio_holder %}", None),
        ("portfolio_holder", "{{ portfolio_holder }}"),
        ("{%p endif %}", None),
        ("contact_officer", "{{ contact_officer }}"),
    ]
    for key, value in details:
        if value is None:
            doc.add_paragraph(key)
            continue
        line = doc.add_paragraph(style="Meeting Details")
        # The label is the narrative's `header_labels` word for the line, else the house
        # style's ("Lead member"): reportgen words it, the template places it.
        line.add_run(f"{{{{ labels.{key} }}}}: ").bold = True
        line.add_run(value)
    _disclosure_note(doc)
    recommendations = doc.add_paragraph(style="Meeting Details")
    recommendations.add_run("Recommendations:").bold = True
    recommendations.paragraph_format.keep_with_next = True
    doc.add_paragraph("{{p recommendations.lettered }}")

    doc.add_heading("Purpose of report and executive summary", level=1)
    doc.add_paragraph("{{p summary }}")
    doc.add_paragraph("{{p key_points }}")
    doc.add_heading("Details", level=1)
    _changes(doc)
    doc.add_paragraph("{%p for section in sections %}")
    doc.add_heading("{{ section.heading }}", level=2)
    doc.add_paragraph("{{p section.body }}")
    doc.add_paragraph("{%p endfor %}")
    _none_without(
        doc,
        "sections or changes.corrections or changes.ratings or changes.review",
    )
    for heading, field in (
        ("Alternative options", "alternative_options"),
        ("Consultation undertaken or proposed", "consultation"),
        ("Timetable", "timetable"),
        ("Financial, resource and property implications", "financial_implications"),
        ("Legal and statutory implications", "legal_implications"),
        ("Human rights, equalities and community cohesion implications", "equalities_implications"),
        ("Crime and disorder implications", "crime_and_disorder_implications"),
        ("Risk management and health and safety implications", "risk_management_implications"),
    ):
        doc.add_heading(heading, level=1)
        doc.add_paragraph(f"{{{{p {field} }}}}")
    doc.add_heading(
        "Appendices – the following documents are to be published with this report and form "
        "part of the report",
        level=1,
    )
    doc.add_paragraph("{%p for item in appendices %}")
    doc.add_paragraph("{{ item }}", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    _none_without(doc, "appendices")
    doc.add_heading("Background papers", level=1)
    doc.add_paragraph("{{p background_papers }}")
    # Clearance only where the narrative names roles: from the sign-offs, never typed.
    doc.add_paragraph("{%p if clearance %}")
    doc.add_heading("Statutory officer clearance", level=1)
    _clearance_table(doc, "Role", "{{ item.role }}")
    doc.add_paragraph("{%p endif %}")

    # The performance index as a landscape section at the end, when the report places it
    # here. Both section breaks sit inside the `if`, so a report without it has no empty
    # landscape page; the renderer folds the last break into the document's own settings.
    doc.add_paragraph("{%p if scorecard.in_this_document %}")
    doc.add_section(WD_SECTION.NEW_PAGE)
    appendix = doc.sections[-1]
    _landscape(appendix)
    _footer(doc, appendix, LANDSCAPE_TEXT_WIDTH)
    _appendix(doc, numbered_headings=True)
    doc.add_section(WD_SECTION.NEW_PAGE)
    _portrait(doc.sections[-1])
    doc.add_paragraph("{%p endif %}")
    return doc


def _disclosure_note(doc) -> None:  # type: ignore[no-untyped-def]
    """What `[c]` means, where a published paper withholds a figure."""
    doc.add_paragraph("{%p if disclosure_note %}")
    doc.add_paragraph("{{ disclosure_note }}", style="Note")
    doc.add_paragraph("{%p endif %}")


def _exempt_header(section) -> None:  # type: ignore[no-untyped-def]
    """ "NOT FOR PUBLICATION" at the head of every page of an exempt paper, so that no page
    of it printed or copied on its own passes for a public one; an empty header otherwise.
    Later sections link to this header."""
    header = section.header.paragraphs[0]
    header.style = "Header"
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run("{% if exempt_notice %}{{ exempt_notice.heading }}{% endif %}").bold = True


def _exempt_notice(doc) -> None:  # type: ignore[no-untyped-def]
    """ "NOT FOR PUBLICATION" and the paragraph of Schedule 12A, on an exempt report only."""
    doc.add_paragraph("{%p if exempt_notice %}")
    notice = doc.add_paragraph(style="Meeting Details")
    notice.add_run("{{ exempt_notice.heading }}").bold = True
    doc.add_paragraph("{{ exempt_notice.reason }}", style="Meeting Details")
    doc.add_paragraph("{%p endif %}")


def _none_without(doc, items: str) -> None:  # type: ignore[no-untyped-def]
    """Prints "None." under a section when all of `items` are empty, as the reference
    papers do."""
    doc.add_paragraph(f"{{%p if not ({items}) %}}")
    doc.add_paragraph("None.", style="Body Text")
    doc.add_paragraph("{%p endif %}")


def _changes(doc) -> None:  # type: ignore[no-untyped-def]
    """What changed since the last meeting, generated: corrections, the rating-change
    table, and the indicator review with the decisions behind it."""
    doc.add_paragraph("{%p if changes.corrections %}")
    doc.add_heading("Corrections", level=2)
    doc.add_paragraph("{{ changes.corrections_introduction }}", style="Body Text")
    doc.add_paragraph("{%p for item in changes.corrections %}")
    correction = doc.add_paragraph(style="List Bullet")
    correction.add_run("{{ item.heading }}").bold = True
    correction.add_run("\n{{ item.text }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if changes.ratings %}")
    doc.add_heading("Performance overview", level=2)
    doc.add_paragraph("{{ changes.ratings_introduction }}", style="Body Text")
    doc.add_paragraph("{{ changes.ratings_caption }}", style="Caption")
    doc.add_paragraph("{{p changes.ratings }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if changes.review %}")
    doc.add_heading("Indicator review", level=2)
    doc.add_paragraph("{%p for item in changes.review %}")
    doc.add_paragraph("{{ item.text }}", style="Body Text")
    doc.add_paragraph("{%p if item.decision %}")
    decision = doc.add_paragraph(style="Committee Decision")
    decision.add_run("COMMITTEE DECISION:").bold = True
    decision.add_run(" {{ item.decision }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")


def agenda():  # type: ignore[no-untyped-def]
    """The front sheet of an agenda pack: the meeting, then its items in order."""
    doc = _new_document("Agenda")
    _page(doc)
    doc.add_paragraph("{{ authority }}", style="Meeting Details")
    doc.add_paragraph("{{ committee }}", style="Title")
    for label, value in (("Date", "{{ date }}"), ("Time", "{{ time }}"), ("Venue", "{{ venue }}")):
        line = doc.add_paragraph(style="Meeting Details")
        line.add_run(f"{label}: ").bold = True
        line.add_run(value)
    for label, name in (("Membership", "membership"), ("Contact", "contact")):
        doc.add_paragraph(f"{{%p if {name} %}}")
        line = doc.add_paragraph(style="Meeting Details")
        line.add_run(f"{label}: ").bold = True
        line.add_run(f"{{{{ {name} }}}}")
        doc.add_paragraph("{%p endif %}")
    doc.add_heading("{{ pack_title }}", level=1)
    doc.add_paragraph("{%p for item in items %}")
    item = doc.add_paragraph(style="Agenda Item")
    item.add_run("{{ item.number }}.").bold = True
    item.add_run("\t{{ item.title }}\t{{ item.page }}")
    item.paragraph_format.tab_stops.add_tab_stop(PORTRAIT_TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    doc.add_paragraph("{%p if item.note %}")
    doc.add_paragraph("{{ item.note }}", style="Agenda Note")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    return doc


def performance_index():  # type: ignore[no-untyped-def]
    """The performance index as its own landscape document, for reports that send it as a
    separate appendix."""
    doc = _new_document("Performance index")
    section = doc.sections[0]
    _landscape(section)
    section.top_margin = section.bottom_margin = Cm(2)
    _exempt_header(section)
    _footer(doc, section, LANDSCAPE_TEXT_WIDTH)
    _appendix(doc, numbered_headings=False)
    _disclosure_note(doc)
    return doc


def _appendix(doc, numbered_headings: bool) -> None:  # type: ignore[no-untyped-def]
    """The performance index: a table per theme, notes, then each indicator's charts."""
    heading = doc.add_heading("{{ scorecard.heading }}", level=1)
    if numbered_headings:
        # An appendix is not one of the report's numbered sections.
        heading._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = 0
    doc.add_paragraph("{{ scorecard.introduction }}", style="Meeting Details")
    doc.add_paragraph("{%p for group in scorecard.groups %}")
    doc.add_heading("{{ group.theme }}", level=2)
    doc.add_paragraph("{{p group.table }}")
    doc.add_paragraph("{%p endfor %}")
    # The notes go together, never one of them left on a page of its own; the last is
    # not kept with what follows, so the charts do not pull them off the tables' page.
    doc.add_paragraph("{%p for note in scorecard.notes[:-1] %}")
    doc.add_paragraph("{{ note }}", style="Note").paragraph_format.keep_with_next = True
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p for note in scorecard.notes[-1:] %}")
    doc.add_paragraph("{{ note }}", style="Note")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p if scorecard.charts %}")
    # No page break before the charts: they follow the notes, and a page holds two rows
    # of them, each kept with its heading. The introduction is not kept with the first
    # row: heading, introduction and two rows are more than a page holds, so a page
    # starting with them would hold one row.
    doc.add_heading("Charts", level=2)
    doc.add_paragraph("{{ scorecard.charts_introduction }}", style="Meeting Details")
    doc.add_paragraph("{%p for chart in scorecard.charts %}")
    doc.add_heading("{{ chart.heading }}", level=3)
    pictures = doc.add_paragraph(style="Chart")
    pictures.add_run("{{ chart.trend }}")
    pictures.add_run(" {{ chart.comparison }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")


def _narrative(doc, heading: str, field: str) -> None:  # type: ignore[no-untyped-def]
    """A heading, then the narrative field as whole paragraphs (`{{p field }}`)."""
    doc.add_heading(heading, level=2)
    doc.add_paragraph(f"{{{{p {field} }}}}")


def _header_block(doc) -> None:  # type: ignore[no-untyped-def]
    """Label and value on each line, the values aligned by a hanging indent: it reads like a
    two-column block but is plain text, not a layout table a screen reader announces."""
    rows = [
        ("meeting_date", "{{ meeting_date }}"),
        ("subject", "{{ subject }}"),
        ("key_decision", "{{ key_decision }}"),
        ("responsible_officer", "{{ responsible_officer }}"),
        ("{%p if portfolio_holder %}", None),
        ("portfolio_holder", "{{ portfolio_holder }}"),
        ("{%p endif %}", None),
        ("exempt", "{{ exempt }}"),
        ("enclosures", "{{ enclosures }}"),
    ]
    for key, value in rows:
        if value is None:
            doc.add_paragraph(key)
            continue
        line = doc.add_paragraph(style="Header Details")
        # The narrative's `header_labels` word for the line, else the house style's.
        line.add_run(f"{{{{ labels.{key} }}}}:").bold = True
        line.add_run(f"\t{value}")


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
    # Each column holds its longest word whole: "date 2010-11" in the year to date's
    # heading, "93% (55 of 59)", "Direction of".
    widths = [Cm(3.5), Cm(2.6), Cm(2.6), Cm(2.4), Cm(2.2), Cm(1.5), Cm(2.2)]
    _data_table(doc, headings, cells, "{%tr for row in performance.rows %}", widths)


def _comparator_table(doc) -> None:  # type: ignore[no-untyped-def]
    headings = ["Rank", "Area", "{{ table.year }}"]
    cells = [
        "{% cellbg row.fill %}{{ row.rank }}",
        "{% cellbg row.fill %}{{ row.area }}",
        "{% cellbg row.fill %}{{ row.value }}",
    ]
    # A long table may run on to the next page under its repeated header, rather than
    # leave a gap where it would not fit whole; but, as Word keeps a paragraph's first two
    # and last two lines together (widow and orphan control), the caption and header keep
    # with the first two rows and the last two rows with the sentence under the table. The
    # three loops share out the rows.
    loops = [
        ("{%tr for row in table.rows[:2] %}", True),
        ("{%tr for row in table.rows[2:-2] %}", False),
        ("{%tr for row in table.rows[2:][-2:] %}", True),
    ]
    widths = [Cm(2.5), Cm(10.5), Cm(4)]  # the full text width, as every table
    _data_table(doc, headings, cells, loops, widths)


def _clearance_table(  # type: ignore[no-untyped-def]
    doc, role: str = "On behalf of", value: str = "{{ item.on_behalf_of }}"
) -> None:
    """Who cleared the paper. Under "On behalf of" the role prints without those words
    ("Chief Financial Officer"), however the narrative wrote it."""
    headings = ["Name", role, "Date"]
    cells = ["{{ item.name }}", value, "{{ item.date }}"]
    _data_table(doc, headings, cells, "{%tr for item in clearance %}", [Cm(5), Cm(8), Cm(4)])


def _data_table(doc, headings, cells, loop, widths):  # type: ignore[no-untyped-def]
    """A grid table: a header row that repeats on each page, then a looping data row; or
    one for each of `loop`'s (tag, kept with the next row) pairs, in turn. The header
    keeps with the first row: a table starting at the foot of a page moves on whole, as
    LibreOffice, given a repeating header and rows that may not split, would otherwise
    print the header there and drop the rows that do not fit (issue 24)."""
    loops = [(loop, False)] if isinstance(loop, str) else loop
    table = doc.add_table(rows=1 + 3 * len(loops), cols=len(headings))
    table.style = doc.styles["Table Grid"]
    _fixed_widths(table, widths)
    header, *looped = table.rows
    _row_property(header, "w:tblHeader")
    for cell, text in zip(header.cells, headings, strict=True):
        _cell_text(cell, text, bold=True, keep=True)
        _shade(cell, HEADER_FILL)
    for number, (tag, keep) in enumerate(loops):
        start, body, end = looped[3 * number : 3 * number + 3]
        _row_property(body, "w:cantSplit")
        for cell, text in zip(body.cells, cells, strict=True):
            _cell_text(cell, text, keep=keep)
        start.cells[0].merge(start.cells[-1]).paragraphs[0].text = tag
        end.cells[0].merge(end.cells[-1]).paragraphs[0].text = "{%tr endfor %}"
    return table


def _cell_text(cell, text: str, bold: bool = False, keep: bool = False) -> None:  # type: ignore[no-untyped-def]
    paragraph = cell.paragraphs[0]
    paragraph.style = "Table Text"
    paragraph.add_run(text).bold = bold or None
    if keep:
        paragraph.paragraph_format.keep_with_next = True


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
    details = styles.add_style("Meeting Details", 1)
    details.base_style = styles["Normal"]
    details.paragraph_format.space_after = Pt(6)
    details.quick_style = True
    lettered = styles.add_style("Lettered List", 1)
    lettered.base_style = styles["Body Text"]
    _numbering(doc, LETTERS, [("upperLetter", "%1.", "LetteredList", 567, 567)])
    _number_style(lettered, LETTERS)
    lettered.quick_style = True
    _hanging(styles, "Agenda Item", Cm(1.27)).paragraph_format.space_before = Pt(8)
    agenda_note = styles.add_style("Agenda Note", 1)
    agenda_note.base_style = styles["Normal"]
    agenda_note.paragraph_format.left_indent = Cm(1.27)
    _font(agenda_note, size=10)
    agenda_note.quick_style = True
    # Room for the longest label a narrative may give (`header_labels`, 30 characters).
    _hanging(styles, "Header Details", Cm(6)).paragraph_format.space_after = Pt(4)
    decision = styles.add_style("Committee Decision", 1)
    decision.base_style = styles["Normal"]
    decision.paragraph_format.left_indent = Cm(1.5)
    decision.paragraph_format.space_before = Pt(6)
    decision.paragraph_format.space_after = Pt(10)
    _border(decision)
    decision.quick_style = True
    note = styles.add_style("Note", 1)
    note.base_style = styles["Normal"]
    _font(note, size=9)
    note.paragraph_format.space_after = Pt(3)
    chart = styles.add_style("Chart", 1)
    chart.base_style = styles["Normal"]
    chart.paragraph_format.space_after = Pt(12)
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
    small = styles.add_style("Table Text Small", 1)
    small.base_style = table_text
    _font(small, size=9)
    small.quick_style = True
    for name in ("Header", "Footer"):
        _font(styles[name], size=9)
    _cell_margins(styles["Table Grid"], Cm(0.1))


def _cell_margins(style, side) -> None:  # type: ignore[no-untyped-def]
    """Narrow left and right cell margins: the performance index's ten columns keep their
    words whole ("provisional", "Q4 2025-26") without giving up the text width."""
    margins = style.element.find(qn("w:tblPr")).find(qn("w:tblCellMar"))
    for edge in ("w:left", "w:right"):
        margins.find(qn(edge)).set(qn("w:w"), str(side.twips))


def _hanging(styles, name: str, indent):  # type: ignore[no-untyped-def]
    """A style for "label<tab>text" lines: the text aligned at `indent` as it wraps."""
    style = styles.add_style(name, 1)
    style.base_style = styles["Normal"]
    style.paragraph_format.left_indent = indent
    style.paragraph_format.first_line_indent = -indent
    style.paragraph_format.tab_stops.add_tab_stop(indent)
    style.quick_style = True
    return style


def _border(style) -> None:  # type: ignore[no-untyped-def]
    """A thin box round every paragraph of the style: a decision stands out in print and
    in black and white."""
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "6")
        line.set(qn("w:space"), "4")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    p_pr = style.element.get_or_add_pPr()
    p_pr.insert_element_before(borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")


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
    _portrait(section)
    section.top_margin = section.bottom_margin = Cm(2)
    _footer(doc, section, PORTRAIT_TEXT_WIDTH)


def _portrait(section) -> None:  # type: ignore[no-untyped-def]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)


def _landscape(section) -> None:  # type: ignore[no-untyped-def]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin = section.right_margin = Cm(2)


def _footer(doc, section, text_width) -> None:  # type: ignore[no-untyped-def]
    section.footer.is_linked_to_previous = False
    footer = section.footer.paragraphs[0]
    footer.style = "Footer"
    # In an agenda pack the pack numbers every page itself: the paper's own number goes.
    footer.text = "{{ committee }}, {{ meeting_date }}{% if not in_pack %}\tPage "
    footer.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    footer.add_run("{% endif %}")
    # The starter Footer style's centre and right stops are for US Letter margins: replace them
    # with one right-aligned stop at the right margin.
    _remove(doc.styles["Footer"].element.pPr, "w:tabs")
    footer.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)


def _numbering(doc, number: int, levels) -> None:  # type: ignore[no-untyped-def]
    """Adds list `number`: one level per (format, text, linked style id, indent)."""
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        + (f'<w:pStyle w:val="{style}"/>' if style else "")
        + f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
        for i, (fmt, text, style, left, hanging) in enumerate(levels)
    )
    numbering = doc.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{number}">'
        f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>'
    )
    numbering.find(qn("w:num")).addprevious(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{number}"><w:abstractNumId w:val="{number}"/></w:num>'
        )
    )


def _number_style(style, number: int, level: int = 0) -> None:  # type: ignore[no-untyped-def]
    """Links a paragraph style to a list level, so Word numbers every paragraph in it."""
    num_pr = style.element.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = number


def _outline_numbering(doc) -> None:  # type: ignore[no-untyped-def]
    """Heading 1 numbered 1, 2, …; Body Text under it 1.1., 1.2., …, restarting at each
    heading; bullets indented under the numbered text."""
    indent, hanging = 851, 851  # 1.5 cm: room for "10.1."
    _numbering(
        doc,
        OUTLINE,
        [
            ("decimal", "%1", "Heading1", indent, hanging),
            ("decimal", "%1.%2.", "BodyText", indent, hanging),
        ],
    )
    _number_style(doc.styles["Heading 1"], OUTLINE, 0)
    _number_style(doc.styles["Body Text"], OUTLINE, 1)
    doc.styles["Heading 1"].font.all_caps = True
    _numbering(doc, BULLETS, [("bullet", "•", "", indent + 425, 283)])
    _number_style(doc.styles["List Bullet"], BULLETS)


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
