"""Markdown blocks as WordprocessingML paragraphs, for a template's `{{p field }}` (pure).

Paragraphs take the template's body style and bullets its list style, so the house style
lives in the template. Text is XML-escaped here; the result is marked safe so that the
template's autoescaping does not escape the markup a second time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup

from reportgen.markdown import Block, Run

BODY_STYLE = "BodyText"
BULLET_STYLE = "ListBullet"
STYLE_NAMES = {BODY_STYLE: "Body Text", BULLET_STYLE: "List Bullet"}

# Characters XML 1.0 does not allow; Word refuses a file that has one.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def paragraphs(blocks: Iterable[Block]) -> Markup:
    """The blocks as `<w:p>` elements: body paragraphs and bullet list items."""
    return Markup("".join(_paragraph(block) for block in blocks))


def _paragraph(block: Block) -> str:
    style = BULLET_STYLE if block.kind == "bullet" else BODY_STYLE
    runs = "".join(_run(run) for run in block.runs)
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p>'


def _run(run: Run) -> str:
    props = ("<w:b/>" if run.bold else "") + ("<w:i/>" if run.italic else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    pieces = _INVALID_XML.sub("", run.text).split("\t")
    text = "<w:tab/>".join(f'<w:t xml:space="preserve">{_escape(p)}</w:t>' for p in pieces)
    return f"<w:r>{rpr}{text}</w:r>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
