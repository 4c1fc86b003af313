"""Word output: the only module that renders with docxtpl. It writes no file: it returns
the .docx as bytes, and the caller hands them to the store (`reportgen.store`), which
writes them atomically under the project's lock.

Templates are rendered in the sandbox (`reportgen.paper.sandbox`), with autoescaping and
StrictUndefined, so a template from anyone runs no code, `&` and `<` come out as typed,
and a value the template asks for but the report lacks is an error, not a blank.
The .docx is made byte-for-byte reproducible (fixed core-property timestamps here, fixed
zip timestamps in `reproducible`); charts are placed as pictures by `chart_pictures`.

It is the word layer's front: a finished document's text is read here, and the copy of a
paper without page numbers (`page_numbers`) is imported from here too.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import Template, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from lxml import etree

from reportgen.cache import Cache
from reportgen.errors import Problem, TemplateError, did_you_mean, display_path
from reportgen.inputs.digests import stamp_of
from reportgen.inputs.textfile import unpacks_too_large
from reportgen.paper.narrative import ordinal
from reportgen.paper.sandbox import TEMPLATE_LIMITS, LimitError, SafeEnvironment
from reportgen.paper.wordml import STYLE_NAMES
from reportgen.word.chart_pictures import Pictures, with_pictures
from reportgen.word.page_numbers import without_page_numbers as without_page_numbers
from reportgen.word.reproducible import saved


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


def environment(cache: Cache | None) -> _Environment:
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
        self._placing: Pictures | None = None
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

    def pictures(self) -> Pictures:
        """What places this document's pictures, made with the first of them."""
        if self._placing is None:
            self._placing = Pictures(self.docx.part.package)
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
            placed = frozenset(document.get_undeclared_template_variables(environment(kept)))
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
        placed = with_pictures(dict(context), document, pictures or {})
        document.render(placed, jinja_env=environment(cache))
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
    return saved(document, properties.date, cache)


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
