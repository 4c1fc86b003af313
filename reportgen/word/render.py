"""Word output: the only module that renders with docxtpl. It writes no file: it returns
the .docx as bytes, and the caller hands them to the store (`reportgen.store`), which
writes them atomically under the project's lock.

Templates are rendered in the sandbox (`reportgen.paper.sandbox`), with autoescaping and
StrictUndefined, so a template from anyone runs no code, `&` and `<` come out as typed,
and a value the template asks for but the report lacks is an error, not a blank.
The .docx is made byte-for-byte reproducible (fixed zip and core-property timestamps).
"""

from __future__ import annotations

import copy
import io
import itertools
import re
import struct
import zipfile
import zlib
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.packuri import PackURI
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart
from docx.shared import Cm, Length
from docxtpl import DocxTemplate
from jinja2 import Template, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from lxml import etree

from reportgen.cache import Cache
from reportgen.errors import Problem, TemplateError, did_you_mean, display_path
from reportgen.inputs.digests import stamp_of
from reportgen.inputs.textfile import unpacks_too_large
from reportgen.paper.charts import WIDTH_CM, ComparatorChart, TrendChart
from reportgen.paper.narrative import ordinal
from reportgen.paper.sandbox import TEMPLATE_LIMITS, LimitError, SafeEnvironment
from reportgen.paper.wordml import STYLE_NAMES


@dataclass(frozen=True)
class DocumentProperties:
    """What File > Info in Word shows: set on every document reportgen writes."""

    title: str
    subject: str
    author: str
    keywords: str
    language: str
    date: date
    status: str = ""  # "NOT FOR PUBLICATION" on an exempt paper


class _Environment(SafeEnvironment):
    """The sandbox every template renders in (see `sandbox`), compiling each distinct
    template source once per cache. docxtpl hands over a template's XML on every build; in
    one process (a service, a rebuild, the tests) it is the same XML."""

    def __init__(self, cache: Cache) -> None:
        super().__init__(TEMPLATE_LIMITS, filters={"ordinal": ordinal}, autoescape=True)
        self.kept = cache

    def from_string(  # type: ignore[override]
        self,
        source: str,
        globals: MutableMapping[str, Any] | None = None,
        template_class: Any = None,
    ) -> Template:
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return self.kept.get_or_make(
            "template",
            source,
            lambda: super(_Environment, self).from_string(source),
            20 * len(source),
        )


def _environment(cache: Cache | None) -> _Environment:
    """The sandbox for templates, one per cache (kept in it), or a new one."""
    cache = cache if cache is not None else Cache()
    return cache.get_or_make("environment", "templates", lambda: _Environment(cache), 100_000)


_LISTING = re.compile("[\t\a\n\f]")
_LISTING_IN_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # as docxtpl finds them
# docxtpl's tags that make a table's rows longer or shorter than its grid.
_COLUMN_TAGS = re.compile(r"[{][%{#]-?\s*(?:tc|colspan|hm)\b")
_TAG = re.compile(r"<[^>]*>")


def _text_of(xml: str) -> str:
    """The XML without its tags: a template's `{%` may be split across Word's runs."""
    return _TAG.sub("", xml)


class _DocxTemplate(DocxTemplate):  # type: ignore[misc]
    """docxtpl's template, remembering its clean-up of each part's XML (a pure function of
    the XML) in the cache, for the next build of the same template."""

    def __init__(self, template: Any, cache: Cache) -> None:
        super().__init__(template)
        self.kept = cache
        self._placing: _Pictures | None = None
        self._columns_change = True

    def patch_xml(self, src_xml: str) -> str:
        patched: str = self.kept.get_or_make(
            "patched xml",
            src_xml,
            lambda: super(_DocxTemplate, self).patch_xml(src_xml),
            3 * len(src_xml),
        )
        return patched

    def render_xml_part(self, src_xml: str, part: Any, context: Any, jinja_env: Any = None) -> str:
        if self._placing is not None:
            self._placing.rendering()
        rendered: str = super().render_xml_part(src_xml, part, context, jinja_env)
        return rendered

    def build_xml(self, context: Any, jinja_env: Any = None) -> str:
        # docxtpl's own three steps, with the body's XML read once: whether its tables'
        # columns can change is decided from it (see fix_tables).
        source: str = self.get_xml()
        self._columns_change = self.kept.get_or_make(
            "columns change", source, lambda: _COLUMN_TAGS.search(_text_of(source)) is not None
        )
        return self.render_xml_part(self.patch_xml(source), self.docx._part, context, jinja_env)

    def render_properties(self, context: Any, jinja_env: Any = None) -> None:
        # docxtpl fills in tags in six of the document's properties; reportgen then sets
        # five of them itself (see _set_properties): only the identifier is left to fill.
        core = self.docx.core_properties
        if "{" in (core.identifier or ""):
            core.identifier = jinja_env.from_string(core.identifier).render(context)

    def fix_tables(self, xml: str) -> Any:
        # docxtpl widens or narrows a table's grid where `{%tc %}`, `colspan` or `hm` made
        # rows longer or shorter than it; it walks every cell of every table to see. The
        # tables reportgen writes have rows as long as their grid, so a template without
        # those tags has nothing to fix: only the parse is needed.
        if self._columns_change:
            return super().fix_tables(xml)
        return etree.fromstring(xml, parser=etree.XMLParser(recover=True))

    def resolve_listing(self, xml: str) -> str:
        # docxtpl turns tabs, newlines, \a and \f in text into Word's own; it walks every
        # run of every paragraph to do it. It does so here only for the paragraphs with one
        # of them in their text: the same steps on each paragraph, the others as they are.
        if _LISTING.search(xml) is None:
            return xml
        return _PARAGRAPH.sub(self._resolve_paragraph, xml)

    def _resolve_paragraph(self, paragraph: re.Match[str]) -> str:
        xml = paragraph.group(0)
        if _LISTING_IN_TEXT.search(xml) is None:
            return xml
        resolved: str = super().resolve_listing(xml)
        return resolved

    def pictures(self) -> _Pictures:
        """What places this document's pictures, made with the first of them."""
        if self._placing is None:
            self._placing = _Pictures(self.docx.part.package)
        return self._placing


def placed_names(template: Path, cache: Cache | None = None) -> frozenset[str] | None:
    """The names a template uses (`summary`, `scorecard`, …); None if it cannot be read."""
    try:
        stamp = stamp_of(template)
        placed: frozenset[str] | None = cache.get("placed", stamp) if cache else None
        if placed is None:
            if unpacks_too_large(template):
                return None  # the renderer says so
            kept = cache if cache is not None else Cache()
            # docxtpl's clean-up of the XML is kept, for the render that follows.
            document = _DocxTemplate(template, kept)
            placed = frozenset(document.get_undeclared_template_variables(_environment(kept)))
            if cache is not None:
                cache.put("placed", stamp, placed, 100 * len(placed))
    except (
        OSError,
        ValueError,  # a .dotx or another kind of package: the renderer says which
        zipfile.BadZipFile,
        PackageNotFoundError,
        KeyError,
        TemplateSyntaxError,
        etree.LxmlError,
    ):
        return None
    return placed


def render(
    template: Path,
    context: Mapping[str, Any],
    properties: DocumentProperties,
    pictures: Mapping[str, bytes] | None = None,
    cache: Cache | None = None,
) -> bytes:
    """The finished .docx as bytes; template problems raise TemplateError. Compiled
    templates are kept in `cache` for the next build.

    Charts in the context are placed as pictures, from `pictures` by chart key, each with
    its description as alt text.
    """
    name = display_path(template)
    cache = cache if cache is not None else Cache()
    document = _open(template, cache)
    try:
        _check_styles(template, document, name, cache)
        placed = _with_pictures(dict(context), document, pictures or {})
        document.render(placed, jinja_env=_environment(cache))
        _fold_trailing_section(document)
    except UndefinedError as exc:
        raise TemplateError([_undefined_problem(name, str(exc), context)]) from None
    except TemplateSyntaxError as exc:
        nearby = " ".join(line.strip() for line in getattr(exc, "docx_context", []) if line.strip())
        raise TemplateError(
            [
                Problem(
                    name,
                    None,
                    "",
                    f"template syntax error: {exc.message} (near: {nearby[:120]})",
                    "check the {{ }} and {% %} tags in the template",
                )
            ]
        ) from None
    except LimitError as exc:
        raise TemplateError(
            [
                Problem(
                    name,
                    None,
                    "",
                    f"the template is too much to work out: {exc}",
                    "place the names the README lists, without long loops or large numbers",
                )
            ]
        ) from None
    except SecurityError as exc:
        raise TemplateError(
            [
                Problem(
                    name,
                    None,
                    "",
                    f"the template uses something templates may not ({exc})",
                    "place only the names the README lists for templates",
                )
            ]
        ) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as exc:
        raise TemplateError(
            [
                Problem(
                    name,
                    None,
                    "",
                    f"an expression in the template fails ({type(exc).__name__}: {exc})",
                    "check the {{ }} and {% %} tags in the template",
                )
            ]
        ) from None
    _set_properties(document, properties)
    return _saved(document, properties.date, cache)


_TOO_LARGE = "unpacks into more than 200 MB, more than any paper holds"


_CHECK_IT = "check it is the right file, and save it again in Word"


_TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main"


def _open(template: Path, cache: Cache) -> _DocxTemplate:
    """The Word template, or TemplateError saying what it is instead.

    Opened once while the file is unchanged, and kept in `cache`: each build renders a
    copy of it, which costs a third of opening it again."""
    stamp = stamp_of(template)
    document = _DocxTemplate(template, cache)
    opened = cache.get("opened template", stamp)
    if opened is None:
        opened = _opened(template, document)
        cache.put("opened template", stamp, copy.deepcopy(opened), 20 * stamp[1])
    else:
        document.docx = copy.deepcopy(opened)
    return document


def _opened(template: Path, document: _DocxTemplate) -> Any:
    """python-docx's document of the template, opened by `document`; TemplateError if the
    file is not a Word document one can render."""
    name = display_path(template)
    if unpacks_too_large(template):
        raise TemplateError([Problem(name, None, "", _TOO_LARGE, _CHECK_IT)])
    try:
        return document.get_docx()
    except ValueError as exc:
        saved_as = "a Word template (.dotx)" if _TEMPLATE_TYPE in str(exc) else "another kind"
        what, fix = f"is {saved_as}, not a Word document", "open it in Word and save it as .docx"
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, OSError, etree.LxmlError):
        what = "is not a Word document (.docx)"
        fix = "open it in Word and save it as a Word Document (.docx)"
    raise TemplateError([Problem(name, None, "", what, fix)]) from None


def document_text(content: bytes) -> str:
    """Every paragraph of a Word document, a line each: body, tables, headers and footers,
    after its properties' status; ValueError if it is not a Word document."""
    from docx import Document

    if unpacks_too_large(content):
        raise ValueError(_TOO_LARGE)
    try:
        document = Document(io.BytesIO(content))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, etree.LxmlError):
        raise ValueError("is not a Word document (.docx)") from None
    parts = [document.element.body]
    for section in document.sections:  # a header or footer of its own, not one linked on
        parts += [
            margin._element
            for margin in (section.header, section.footer)
            if not margin.is_linked_to_previous
        ]
    lines = [
        "".join(t.text or "" for t in p.iter(qn("w:t")))
        for part in parts
        for p in part.iter(qn("w:p"))
    ]
    return "\n".join([document.core_properties.content_status or "", *lines])


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


class _Picture:
    """A chart as an inline picture with alt text, made when the template places it."""

    _not_for_templates = True  # a template places it; it reaches nothing through it

    def __init__(self, document: _DocxTemplate, png: bytes, alt_text: str) -> None:
        self._document, self._png, self._alt_text = document, png, alt_text

    def __html__(self) -> str:
        part = self._document.current_rendering_part
        inline = self._document.pictures().inline(part, self._png, Cm(WIDTH_CM))
        for element in (inline.docPr, *inline.xpath(".//pic:cNvPr")):
            element.set("descr", self._alt_text)
        # No space round the picture: two charts fit side by side on a landscape page.
        for side in ("distT", "distB", "distL", "distR"):
            inline.set(side, "0")
        xml = etree.tostring(inline, encoding="unicode")
        return f'</w:t></w:r><w:r><w:drawing>{xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'


class _Pictures:
    """Places pictures in one document as python-docx's `new_pic_inline` does, with the
    same part names, relationship ids and shape ids, so the same bytes; but each in
    constant time. python-docx looks for a new picture among those in the document by
    hashing every one of them, and names it by scanning every other name: a paper with a
    thousand charts spent most of its time there."""

    def __init__(self, package: Any) -> None:
        self._parts = package.image_parts
        self._seen = 0  # how many of the package's image parts are in the two below
        self._by_sha1: dict[str, ImagePart] = {}
        self._numbers: set[int | None] = set()  # of the parts' names, image<number>.png
        self._free = 1  # the lowest number no image part's name may have
        self._made: set[ImagePart] = set()
        self._related: dict[tuple[Any, ImagePart], str] = {}  # rId by (story part, picture)
        self._free_rid: dict[Any, int] = {}  # the lowest rId number each part may have free
        self._shape_ids: dict[Any, int] = {}

    def rendering(self) -> None:
        """A part starts rendering: its XML, and so its next shape id, may have changed;
        it stays the same while the part renders (pictures go into the rendered text)."""
        self._shape_ids.clear()

    def inline(self, part: Any, png: bytes, width: Length) -> CT_Inline:
        """The picture of `png`, `width` wide, to place in story part `part`."""
        image_part = self._image_part(Image.from_blob(png))
        rid = self._relate(part, image_part)
        image = image_part.image
        cx, cy = image.scaled_dimensions(width, None)
        if part not in self._shape_ids:
            self._shape_ids[part] = part.next_id
        return CT_Inline.new_pic_inline(self._shape_ids[part], rid, image.filename, cx, cy)

    def _image_part(self, image: Image) -> ImagePart:
        """The package's part holding `image`, added if it has none: the first with the
        same SHA-1, else a new one named with the lowest free number."""
        if len(self._parts) > self._seen:  # the template's own pictures
            for part in itertools.islice(self._parts, self._seen, None):
                self._by_sha1.setdefault(part.sha1, part)
                self._numbers.add(part.partname.idx)
            self._seen = len(self._parts)
        sha1 = image.sha1
        found = self._by_sha1.get(sha1)
        if found is not None:
            return found
        while self._free in self._numbers:
            self._free += 1
        name = PackURI(f"/word/media/image{self._free}.{image.ext}")
        made: ImagePart = ImagePart.from_image(image, name)
        self._parts.append(made)
        self._seen += 1
        self._by_sha1[sha1] = made
        self._numbers.add(self._free)
        self._made.add(made)
        return made

    def _relate(self, part: Any, image_part: ImagePart) -> str:
        """The rId of `part`'s relationship to `image_part`, added if it has none, with
        the lowest free rId."""
        rid = self._related.get((part, image_part))
        if rid is not None:
            return rid
        if image_part in self._made:  # only ever related here
            number = self._free_rid.get(part, 1)
            while f"rId{number}" in part.rels:
                number += 1
            self._free_rid[part] = number + 1
            rid = f"rId{number}"
            part.rels.add_relationship(RELATIONSHIP_TYPE.IMAGE, image_part, rid)
        else:  # a picture of the template's: the part may be related to it already
            rid = part.relate_to(image_part, RELATIONSHIP_TYPE.IMAGE)
        self._related[part, image_part] = rid
        return rid


def _with_pictures(value: Any, document: _DocxTemplate, pictures: Mapping[str, bytes]) -> Any:
    """The context with every chart replaced by its picture."""
    if isinstance(value, TrendChart | ComparatorChart):
        return _Picture(document, pictures[value.key], value.alt_text)
    if isinstance(value, dict):
        return {k: _with_pictures(v, document, pictures) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_pictures(v, document, pictures) for v in value]
    return value


def _fold_trailing_section(document: DocxTemplate) -> None:
    """A section break in the last paragraph ends a section with nothing after it, which
    Word shows as an empty page: its settings become the document's last section's."""
    body = document.docx.element.body
    final = body.find(qn("w:sectPr"))
    previous = final.getprevious() if final is not None else None
    if previous is None or previous.tag != qn("w:p"):
        return
    properties = previous.find(qn("w:pPr"))
    inner = properties.find(qn("w:sectPr")) if properties is not None else None
    if inner is None:
        return
    properties.remove(inner)
    body.replace(final, inner)
    if not previous.xpath(".//w:t | .//w:drawing"):
        body.remove(previous)


def _check_styles(template: Path, document: DocxTemplate, name: str, cache: Cache) -> None:
    def missing_styles() -> list[str]:
        # The ids straight from styles.xml: python-docx's style objects are slow to make.
        present = set(document.get_docx().styles.element.xpath("w:style/@w:styleId"))
        return [label for style_id, label in STYLE_NAMES.items() if style_id not in present]

    missing = cache.get_or_make("missing styles", stamp_of(template), missing_styles)
    if missing:
        raise TemplateError(
            [
                Problem(
                    name,
                    None,
                    "styles",
                    f"the template has no '{m}' style",
                    f"add a paragraph style named '{m}' in Word (Home > Styles)",
                )
                for m in missing
            ]
        )


def _undefined_problem(name: str, message: str, context: Mapping[str, Any]) -> Problem:
    found = re.match(r"^'(\w+)' is undefined$", message)
    if found:
        word = found.group(1)
        fix = did_you_mean(
            word, context, otherwise="see the README for the names a template can use"
        )
        return Problem(name, None, word, "the template uses a name reports do not have", fix)
    found = re.search(r"has no attribute '(\w+)'", message)
    word = found.group(1) if found else message
    return Problem(
        name,
        None,
        word,
        "the template asks for something reports do not have",
        "see the README for the names a template can use",
    )


def _set_properties(document: DocxTemplate, properties: DocumentProperties) -> None:
    core = document.docx.core_properties  # not get_docx(): after render it reloads the template
    moment = datetime(properties.date.year, properties.date.month, properties.date.day)
    core.title = _fitted(properties.title)
    core.subject = _fitted(properties.subject)
    core.author = _fitted(properties.author)
    core.keywords = _fitted(properties.keywords)
    core.language = properties.language
    core.last_modified_by = _fitted(properties.author)
    core.comments = "Produced by reportgen"
    core.content_status = properties.status
    core.created = core.modified = moment
    core.last_printed = moment
    core.revision = 1


PROPERTY_LENGTH = 255  # Word's longest title, subject, author or keywords


def _fitted(text: str) -> str:
    """`text` cut to what a Word property holds, at a word, with `…`: a paper of 60
    indicators lists them all in its keywords."""
    if len(text) <= PROPERTY_LENGTH:
        return text
    cut = text[: PROPERTY_LENGTH - 1]
    return cut[: cut.rfind(" ")].rstrip(", ") + "…" if " " in cut else cut + "…"


def reproducible_zip(content: bytes, day: date, cache: Cache | None = None) -> bytes:
    """The same package with every entry dated `day`, so equal inputs give equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(content))
    entries = _DatedEntries(day, cache)
    for item in source.infolist():
        entries.add(item.filename, source.read(item.filename))
    return entries.zipped()


_PICTURES = (".png", ".jpg", ".jpeg", ".gif")
# Parts each paper has its own of (the rendered text, headers and footers, the properties,
# the relationships and the list of parts, which name its pictures): not worth keeping.
_MADE_EACH_TIME = re.compile(
    r"(?:document|header\d*|footer\d*|footnotes|core)\.xml$|\.rels$|Content_Types"
)
_DEFLATED = "deflated"


class _DatedEntries:
    """A zip of entries, each dated `day` and with the same permissions, in the bytes
    Python's zipfile writes on Linux; also python-docx's package writer
    (`write(pack_uri, blob)`).

    Written here rather than by zipfile so that what was compressed once is kept in
    `cache` by content: the parts of a template no build changes (its styles, theme and
    numbering) are not compressed again on every build."""

    def __init__(self, day: date, cache: Cache | None = None) -> None:
        self._date = (day.year - 1980) << 9 | day.month << 5 | day.day
        self._cache = cache
        self._output = io.BytesIO()
        self._central: list[bytes] = []

    def add(self, name: str, content: bytes) -> None:
        # Pictures are compressed already: stored as they are, they save time, not space.
        stored = name.lower().endswith(_PICTURES)
        if stored:
            method, data = zipfile.ZIP_STORED, content
        elif self._cache is None or _MADE_EACH_TIME.search(name):
            method, data = zipfile.ZIP_DEFLATED, _deflated(content)
        else:
            method = zipfile.ZIP_DEFLATED
            data = self._cache.get(_DEFLATED, content)
            if data is None:
                data = self._cache.put(_DEFLATED, content, _deflated(content), 2 * len(content))
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else 0x800  # the name is UTF-8
        fields = (20, 0, flags, method, 0, self._date, zlib.crc32(content), len(data))
        offset = self._output.tell()
        self._output.write(
            struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", *fields, len(content), len(encoded), 0)
        )
        self._output.write(encoded)
        self._output.write(data)
        self._central.append(
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\x01\x02",
                20,
                3,  # made on Unix: the permissions below are Unix's
                *fields,
                len(content),
                len(encoded),
                0,
                0,
                0,
                0,
                0o600 << 16,
                offset,
            )
            + encoded
        )

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        self.add(pack_uri.membername, blob)

    def zipped(self) -> bytes:
        """The zip of the entries added."""
        start = self._output.tell()
        self._output.write(b"".join(self._central))
        count, size = len(self._central), self._output.tell() - start
        self._output.write(
            struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, size, start, 0)
        )
        return self._output.getvalue()


def _deflated(content: bytes) -> bytes:
    """`content` compressed as zipfile compresses an entry."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return compressor.compress(content) + compressor.flush()


def _saved(document: _DocxTemplate, day: date, cache: Cache) -> bytes:
    """The rendered document as a .docx, the same bytes as `reproducible_zip` of what
    docxtpl saves, written once: not every picture compressed, unpacked and stored again."""
    if document.crc_to_new_media or document.crc_to_new_embedded or document.zipname_to_replace:
        buffer = io.BytesIO()  # media docxtpl replaces after saving (reportgen asks for none)
        document.save(buffer)
        return reproducible_zip(buffer.getvalue(), day, cache)
    # What docxtpl's `save` and python-docx's `OpcPackage.save` do, with entries written as
    # `reproducible_zip` writes them (python-docx's steps are private; it is pinned below 2).
    document.pre_processing()
    package = document.docx.part.package
    parts = package.parts  # a walk of every relationship: once, not twice
    for part in parts:
        part.before_marshal()
    writer: Any = PackageWriter
    entries = _DatedEntries(day, cache)
    writer._write_content_types_stream(entries, parts)
    writer._write_pkg_rels(entries, package.rels)
    writer._write_parts(entries, parts)
    return entries.zipped()
