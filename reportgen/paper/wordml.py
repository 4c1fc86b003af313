"""Narrative and tables as WordprocessingML, for a template's `{{p field }}` (pure).

Paragraphs take the template's body style and bullets its list style, so the house style
lives in the template: where the template's Body Text style is linked to a numbered list,
narrative paragraphs are numbered 2.1, 2.2, … by Word itself. Text is XML-escaped here;
the result is marked safe so that the template's autoescaping does not escape the markup
a second time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from reportgen.paper.markdown import Block, Run

BODY_STYLE = "BodyText"
BULLET_STYLE = "ListBullet"
DECISION_STYLE = "CommitteeDecision"
LETTERED_STYLE = "LetteredList"
TABLE_STYLE = "TableGrid"
TABLE_TEXT_STYLE = "TableText"
SMALL_TABLE_TEXT_STYLE = "TableTextSmall"
# Every style a template must have, by id, with the name Word shows.
STYLE_NAMES = {
    BODY_STYLE: "Body Text",
    BULLET_STYLE: "List Bullet",
    DECISION_STYLE: "Committee Decision",
    LETTERED_STYLE: "Lettered List",
    TABLE_TEXT_STYLE: "Table Text",
    SMALL_TABLE_TEXT_STYLE: "Table Text Small",
}
HEADER_FILL = "D9D9D9"
FULL_WIDTH = 5000  # table widths are in fiftieths of a percent of the text width

_STYLES = {"paragraph": BODY_STYLE, "bullet": BULLET_STYLE, "decision": DECISION_STYLE}
# Characters XML 1.0 does not allow; Word refuses a file that has one.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Paragraphs:
    """Narrative text as Word paragraphs: body text, bullets and committee decisions.

    A template places it with `{{p field }}`, or `{{p field.lettered }}` to make each
    paragraph an item of the lettered list (A., B., …), as recommendations are.
    """

    blocks: tuple[Block, ...]

    def __html__(self) -> str:
        return "".join(_paragraph(_STYLES[block.kind], block.runs) for block in self.blocks)

    def __str__(self) -> str:
        return self.__html__()

    def __bool__(self) -> bool:
        return bool(self.blocks)

    @property
    def lettered(self) -> Markup:
        return Markup(
            "".join(
                _paragraph(
                    LETTERED_STYLE if block.kind == "paragraph" else _STYLES[block.kind],
                    block.runs,
                )
                for block in self.blocks
            )
        )


def paragraphs(blocks: Iterable[Block]) -> Paragraphs:
    """The blocks as `<w:p>` elements: body paragraphs, bullets and decisions."""
    return Paragraphs(tuple(blocks))


@dataclass(frozen=True)
class Cell:
    """One table cell: its lines of text, and a fill colour (hex) when shaded."""

    text: str
    fill: str = ""
    bold: bool = False


@dataclass(frozen=True)
class Table:
    """A data table: a header row Word repeats on every page, then rows that never split
    across pages. `widths` are shares of the text width and add up to FULL_WIDTH.

    The header row keeps with the first row (as a heading keeps with its text): a table
    that starts at the foot of a page goes to the next one whole. Without it LibreOffice,
    given a repeating header and rows that may not split, prints the header there and
    drops the rows that do not fit (issue 24)."""

    caption: str
    widths: tuple[int, ...]
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    small: bool = False  # the template's Table Text Small style, for wide tables

    def __html__(self) -> str:
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in self.widths)
        look = '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'  # noqa: E501
        properties = (
            f'<w:tblPr><w:tblStyle w:val="{TABLE_STYLE}"/>'
            f'<w:tblW w:w="{FULL_WIDTH}" w:type="pct"/><w:tblLayout w:type="fixed"/>'
            f"{look}<w:tblCaption w:val={_attribute(self.caption)}/></w:tblPr>"
        )
        style = SMALL_TABLE_TEXT_STYLE if self.small else TABLE_TEXT_STYLE
        header = _row(
            self.header, self.widths, "<w:tblHeader/><w:cantSplit/>", style, bold=True, keep=True
        )
        body = "".join(_row(row, self.widths, "<w:cantSplit/>", style) for row in self.rows)
        return f"<w:tbl>{properties}<w:tblGrid>{grid}</w:tblGrid>{header}{body}</w:tbl>"

    def __str__(self) -> str:
        return self.__html__()


def _row(
    cells: Iterable[Cell],
    widths: Iterable[int],
    properties: str,
    style: str,
    bold: bool = False,
    keep: bool = False,
) -> str:
    content = "".join(
        _cell(cell, width, style, bold, keep) for cell, width in zip(cells, widths, strict=True)
    )
    return f"<w:tr><w:trPr>{properties}</w:trPr>{content}</w:tr>"


def _cell(cell: Cell, width: int, style: str, bold: bool, keep: bool = False) -> str:
    fill = cell.fill or (HEADER_FILL if bold else "")
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    properties = f'<w:tcPr><w:tcW w:w="{width}" w:type="pct"/>{shading}</w:tcPr>'
    lines = cell.text.split("\n")
    body = "".join(_paragraph(style, (Run(line, bold=bold or cell.bold),), keep) for line in lines)
    return f"<w:tc>{properties}{body}</w:tc>"


def _paragraph(style: str, runs: Iterable[Run], keep: bool = False) -> str:
    text = "".join(_run(run) for run in runs)
    kept = "<w:keepNext/>" if keep else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{kept}</w:pPr>{text}</w:p>'


def _run(run: Run) -> str:
    props = ("<w:b/>" if run.bold else "") + ("<w:i/>" if run.italic else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    pieces = _INVALID_XML.sub("", run.text).split("\t")
    text = "<w:tab/>".join(f'<w:t xml:space="preserve">{_escape(p)}</w:t>' for p in pieces)
    return f"<w:r>{rpr}{text}</w:r>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(text: str) -> str:
    return '"' + _escape(_INVALID_XML.sub("", text)).replace('"', "&quot;") + '"'
