"""Page numbers taken out of a finished .docx: for the copy of a paper in an agenda pack,
whose pages the pack numbers itself (`reportgen.pdf.join`), whatever its template.

Only the headers' and footers' XML is read and rewritten; every other entry of the package
is copied as it is.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from typing import Any

from docx.oxml.ns import qn
from lxml import etree

# The fields that number pages, as a field's instruction names them ("PAGE \* MERGEFORMAT").
_PAGE_FIELD = re.compile(r"\s*(?:PAGE|NUMPAGES|SECTIONPAGES)\b", re.IGNORECASE)
_MARGIN_PART = re.compile(r"word/(?:header|footer)\d*\.xml")
# What is printed around page numbers: "Page 3 of 12", "Page 3/12", "- 3 -".
# (Letters before "Page" make another word; a digit may be the end of a run before it.)
_BEFORE_NUMBER = re.compile(r"(?:(?<![a-z])(?:page|p\.)|[-–])\s*$", re.IGNORECASE)
_BETWEEN_NUMBERS = re.compile(r"\s*(?:of|/|[-–])?\s*", re.IGNORECASE)
_AFTER_NUMBER = re.compile(r"^\s*[-–](?=\s|$)")


def without_page_numbers(content: bytes) -> bytes:
    """The .docx with the page numbers its headers and footers print taken out: the page
    number fields (PAGE, NUMPAGES, SECTIONPAGES) and the "Page" and "of" around them. For
    the copy of a paper in an agenda pack, whose pages the pack numbers itself, whatever its
    template; a document with none is returned as it is."""
    try:
        source = zipfile.ZipFile(io.BytesIO(content))
        changed = {}
        for item in source.infolist():
            if _MARGIN_PART.fullmatch(item.filename):
                xml = source.read(item)
                if b"PAGE" in xml.upper() and (unnumbered := _unnumbered(xml)) != xml:
                    changed[item.filename] = unnumbered
    except (zipfile.BadZipFile, etree.LxmlError, ValueError):
        return content  # LibreOffice makes what it can of it, as of any supplied paper
    if not changed:
        return content
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            target.writestr(item, changed.get(item.filename) or source.read(item))
    return output.getvalue()


def _unnumbered(xml: bytes) -> bytes:
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False))
    for paragraph in list(root.iter(qn("w:p"))):
        _drop_page_numbers(paragraph)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _drop_page_numbers(paragraph: Any) -> None:
    """Takes the page number fields out of a paragraph, with the words that print them."""
    # The paragraph in order: fields (a w:fldSimple, or the runs from a w:fldChar begin to
    # its end) as (instruction, elements), and each other run as (None, [run]) for its text.
    pieces: list[tuple[str | None, list[Any]]] = []
    field: tuple[list[str], list[Any]] | None = None
    depth = 0
    for element in paragraph.iter(qn("w:r"), qn("w:fldSimple")):
        if next(element.iterancestors(qn("w:p")), None) is not paragraph:
            continue  # in a text box of its own, or in a simple field taken whole
        if element.getparent().tag == qn("w:fldSimple"):
            continue
        if element.tag == qn("w:fldSimple"):
            pieces.append((element.get(qn("w:instr"), ""), [element]))
            continue
        mark = element.find(qn("w:fldChar"))
        kind = mark.get(qn("w:fldCharType")) if mark is not None else None
        if kind == "begin":
            depth += 1
            if depth == 1:
                field = ([], [])
        if field is None:
            pieces.append((None, [element]))
            continue
        field[1].append(element)
        if depth == 1:
            field[0].extend(t.text or "" for t in element.iter(qn("w:instrText")))
        if kind == "end":
            depth -= 1
            if depth == 0:
                pieces.append(("".join(field[0]), field[1]))
                field = None
    numbered = [n for n, (instruction, _) in enumerate(pieces) if instruction is not None
                and _PAGE_FIELD.match(instruction)]  # fmt: skip
    if not numbered:
        return
    for before, after in itertools.pairwise(numbered):
        between = pieces[before + 1 : after]
        runs = [elements[0] for _, elements in between]
        if all(i is None for i, _ in between) and _BETWEEN_NUMBERS.fullmatch(_runs_text(runs)):
            _remove(runs)
    lead = list(itertools.takewhile(lambda p: p[0] is None, reversed(pieces[: numbered[0]])))
    _trim([elements[0] for _, elements in reversed(lead)], _BEFORE_NUMBER, at_end=True)
    tail = list(itertools.takewhile(lambda p: p[0] is None, pieces[numbered[-1] + 1 :]))
    _trim([elements[0] for _, elements in tail], _AFTER_NUMBER, at_end=False)
    for n in numbered:
        _remove(pieces[n][1])


def _runs_text(runs: list[Any]) -> str:
    return "".join(t.text or "" for run in runs for t in run.iter(qn("w:t")))


def _remove(elements: list[Any]) -> None:
    for element in elements:
        element.getparent().remove(element)


def _trim(runs: list[Any], words: re.Pattern[str], at_end: bool) -> None:
    """Takes what `words` matches off the end (or start) of the runs' text."""
    found = words.search(_runs_text(runs))
    if found is None:
        return
    count = len(found.group(0))
    texts = [t for run in runs for t in run.iter(qn("w:t"))]
    for text in reversed(texts) if at_end else texts:
        if count <= 0:
            break
        value = text.text or ""
        cut = min(count, len(value))
        text.text = value[: len(value) - cut] if at_end else value[cut:]
        count -= cut
