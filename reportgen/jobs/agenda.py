"""Agenda packs planned: a meeting file checked in full, each item's paper built as
published or supplied, and the front sheets made; the caller converts and joins them.

An exempt (Schedule 12A) item's paper goes only in the exempt pack, whose every page is
marked NOT FOR PUBLICATION; a supplied paper so marked is refused for a public item. The
Word documents go in without the page numbers of their own (the pack numbers its pages).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from reportgen.cache import Cache
from reportgen.domain.keys import position
from reportgen.domain.periods import long_date
from reportgen.domain.schema import (
    AgendaItemModel,
    MeetingModel,
)
from reportgen.errors import (
    InputError,
    Problem,
    Problems,
    project_path,
)
from reportgen.inputs.config import validate
from reportgen.inputs.paths import OutsideProject, inside
from reportgen.inputs.project import Project
from reportgen.inputs.templates import AGENDA_TEMPLATE, template_path
from reportgen.inputs.textfile import unpacks_too_large
from reportgen.inputs.yamlfile import YamlDocument, load_yaml
from reportgen.jobs.build import render_report
from reportgen.jobs.plan import plan
from reportgen.paper.context import slug
from reportgen.pdf.join import Part
from reportgen.word import render

# The mark as exempt papers carry it, in capitals at the start of a line: minutes that say an
# item was "not for publication" in a sentence are not themselves exempt.
_MARKED_EXEMPT = re.compile(r"^\W*NOT\s+FOR\s+PUBLICATION\b", re.MULTILINE)
NOT_FOR_PUBLICATION = "NOT FOR PUBLICATION"  # stamped at the top of each exempt page of a pack


@dataclass(frozen=True)
class _Item:
    number: int
    title: str
    exempt: str  # the Schedule 12A paragraph, or "" for a public item
    documents: tuple[tuple[str, bytes], ...]  # (name, .docx content) to convert
    pdfs: tuple[bytes, ...]  # supplied PDFs


@dataclass(frozen=True)
class PackPlan:
    """A meeting's agenda packs before conversion: the front sheets and every item's
    documents to convert, and how the PDFs go together."""

    meeting: MeetingModel
    folder: Path
    fronts: tuple[tuple[str, bytes], ...]  # the public front sheet, then any exempt one
    items: tuple[_Item, ...]
    sources: tuple[Path, ...]  # the meeting file and the narratives it names

    @property
    def documents(self) -> list[tuple[str, bytes]]:
        """Every .docx to convert to PDF, in order: front sheets, then items' papers."""
        return [*self.fronts, *(d for i in self.items for d in i.documents)]

    @property
    def withheld(self) -> frozenset[int]:
        """The places in `documents` of those only the exempt pack has (its front sheet,
        exempt items' papers): a message about one does not quote its text."""
        places = [bool(exempt) for _, exempt in _kinds(self.meeting, len(self.fronts))]
        places += [bool(i.exempt) for i in self.items for _ in i.documents]
        return frozenset(index for index, exempt in enumerate(places) if exempt)

    def split(self, pdfs: Sequence[bytes]) -> tuple[list[bytes], dict[int, list[bytes]]]:
        """The PDFs of `documents` in order, as the front sheets' and each item's (its
        papers' converted, then its supplied ones), by item number."""
        converted = iter(pdfs)
        fronts = [next(converted) for _ in self.fronts]
        items = {
            i.number: [next(converted) for _ in i.documents] + list(i.pdfs) for i in self.items
        }
        return fronts, items

    def numbered_fronts(
        self, project: Project, front_pages: Sequence[int], lengths: Mapping[int, int]
    ) -> list[tuple[str, bytes]]:
        """The front sheets again, each item with the page its paper starts on in its pack,
        given each front sheet's pages and each item's (by number)."""
        numbered = []
        for pages, (kind, exempt) in zip(
            front_pages, _kinds(self.meeting, len(self.fronts)), strict=True
        ):
            starts, page = {}, pages + 1
            for item in self.items:
                if _in_pack(item, exempt) and lengths[item.number]:
                    starts[item.number] = page
                    page += lengths[item.number]
            numbered.append(_front_sheet(project, self.meeting, self.items, kind, exempt, starts))
        return numbered

    def packs(self, pdfs: Sequence[bytes]) -> list[tuple[Path, list[Part], str]]:
        """Each pack's path, parts and title, given the PDFs of `documents` in order."""
        front_pdfs, item_pdfs = self.split(pdfs)

        def parts(front: bytes, exempt: bool) -> list[Part]:
            def mark(marked: bool) -> str:
                return NOT_FOR_PUBLICATION if marked else ""

            return [Part("", [front], mark(exempt))] + [
                Part(f"Item {i.number}: {i.title}", item_pdfs[i.number], mark(bool(i.exempt)))
                for i in self.items
                if _in_pack(i, exempt) and item_pdfs[i.number]
            ]

        meeting = self.meeting
        kind = "Supplementary agenda" if meeting.supplementary else "Agenda"
        name = "supplementary-agenda-pack" if meeting.supplementary else "agenda-pack"
        when = f"{meeting.committee}, {long_date(meeting.date)}"
        packs = [(self.folder / f"{name}.pdf", parts(front_pdfs[0], False), f"{kind}: {when}")]
        if len(front_pdfs) > 1:
            packs.append(
                (
                    self.folder / f"exempt-{name}.pdf",
                    parts(front_pdfs[1], exempt=True),
                    f"Exempt {kind.lower()}: {when}",
                )
            )
        return packs


def plan_pack(
    project: Project | None, meeting: Path, out: Path, problems: Problems, text: str | None = None
) -> PackPlan | None:
    """The meeting's agenda packs, to convert and join: a front sheet listing the items,
    then each item's paper in order (papers are their published versions). Exempt papers
    go only in a separate exempt pack; the public pack lists their titles. None with
    every problem found added to `problems`, in the meeting file and the papers it names.
    With `text`, that text is checked as the meeting file's (an edit not yet saved)."""
    found = _meeting(project, meeting, out, problems, text)
    if found is None or project is None:
        return None
    model, items = found
    count = 2 if any(i.exempt for i in items) else 1
    fronts = [
        _front_sheet(project, model, items, kind, exempt) for kind, exempt in _kinds(model, count)
    ]
    folder = pack_folder(out, model.committee, model.date)
    sources = [meeting, *((meeting.parent / e.narrative) for e in model.items if e.narrative)]
    return PackPlan(model, folder, tuple(fronts), tuple(items), tuple(sources))


def pack_folder(out: Path, committee: str, when: date) -> Path:
    """Where a meeting's packs go: OUT/<date>-<committee>/."""
    return out / f"{when.isoformat()}-{slug(committee)}"


def meetings_among(
    named: Sequence[Path], texts: Mapping[Path, str]
) -> tuple[list[Path], list[Path]]:
    """The meeting files among the files and folders `named` (a folder of meeting files
    gives each), and the rest: narratives and folders of them. `texts` are files' contents
    not yet saved."""
    meetings = [
        p
        for p in named
        if (is_meeting_file(p, texts[p]) if p in texts else p.is_file() and is_meeting_file(p))
    ]
    folders = []
    for folder in (p for p in named if p.is_dir()):
        files = sorted(folder.glob("*.yaml"))
        if files and all(is_meeting_file(p) for p in files):
            meetings += files
            folders.append(folder)
    return meetings, [p for p in named if p not in meetings and p not in folders]


def meeting_items(
    project: Project | None,
    meetings: Sequence[Path],
    out: Path,
    problems: Problems,
    texts: Mapping[Path, str],
) -> dict[Path, int]:
    """Each meeting file checked in full (its items, the supplied files, the exempt
    paragraphs and the papers it names), with its number of items; every problem found
    goes to `problems`."""
    checked = {}
    for meeting in meetings:
        plan = plan_pack(project, meeting, out, problems, texts.get(meeting))
        if plan is not None:
            checked[meeting] = len(plan.items)
    return checked


def is_meeting_file(path: Path, text: str | None = None, cache: Cache | None = None) -> bool:
    """Whether `path` (or `text`, as its content not yet saved) is a meeting file (it has
    `items:` and no `template:`), not a narrative; a file that cannot be read is left for
    the narrative reader to report."""
    try:
        data = load_yaml(path, text, cache).data
    except InputError:
        return False
    return isinstance(data, dict) and "items" in data and "template" not in data


def _meeting(
    project: Project | None, meeting: Path, out: Path, problems: Problems, text: str | None
) -> tuple[MeetingModel, list[_Item]] | None:
    """The meeting and each agenda item with its paper; None with every problem found
    added to `problems`, in the meeting file and in the papers it names."""
    cache = project.cache if project is not None else None
    try:
        document = load_yaml(meeting, text, cache)
    except InputError as exc:  # a syntax error, with its line
        problems.extend(exc.problems)
        return None
    model = validate(document, MeetingModel, problems)
    data = document.data if isinstance(document.data, dict) else {}
    raw, header = data.get("items"), model
    if header is None:  # a wrong item: the meeting itself may still be right
        try:
            header = MeetingModel.model_validate({**data, "items": []})
        except ValidationError:
            header = None
    entries: list[tuple[int, AgendaItemModel]] = []
    for index, entry in enumerate(raw if isinstance(raw, list) else []):
        try:  # each item that is right is checked too, so that every problem shows at once
            entries.append((index, AgendaItemModel.model_validate(entry)))
        except ValidationError:
            continue  # reported with the meeting's own problems
    items = [
        item
        for index, entry in entries
        if project is not None
        and (item := _agenda_item(project, document, header, index, entry, out, problems))
    ]
    if problems or model is None:
        return None
    return model, items


def _agenda_item(
    project: Project,
    document: YamlDocument,
    meeting: MeetingModel | None,
    index: int,
    entry: AgendaItemModel,
    out: Path,
    problems: Problems,
) -> _Item | None:
    """One agenda item with its paper: built (the published version) from a narrative, or
    a supplied file; None with the reasons added to `problems`."""
    folder = document.path.parent
    given = entry.narrative or entry.file
    where: tuple[str | int, ...] = ("items", index, "narrative" if entry.narrative else "file")
    key = position("items", index, str(where[-1]))
    path: Path | None = None
    if given:
        try:
            path = inside(project.root, folder, given)
        except OutsideProject as exc:
            problems.add(
                document.path,
                document.lines.of(where),
                key,
                str(exc),
                "put the file in the project (supplied papers in data/meetings/supplied/) and "
                "give its path from the meeting file's folder",
            )
            return None
    if entry.narrative and path is not None:
        reports = plan(project, [path], out, problems)
        if not reports:
            return None
        report = reports[0]
        narrative = report.narrative
        if meeting is not None and (
            narrative.committee != meeting.committee or narrative.meeting_date != meeting.date
        ):
            problems.add(
                document.path,
                document.lines.of(where),
                key,
                f"this paper is for the {narrative.committee} on {narrative.meeting_date}",
                f"give the {meeting.committee} paper for {meeting.date}, or correct the "
                "narrative's committee and meeting_date",
            )
            return None
        found = Problems()
        built = render_report(project, report, problems, found, published=True)
        problems.extend(found.items)  # a published paper explains every change
        if built is None:
            return None
        exempt = str(narrative.exempt_paragraph) if narrative.exempt else ""
        documents = tuple((p.name, render.without_page_numbers(c)) for p, c in built.files)
        return _Item(index + 1, entry.title or narrative.subject, exempt, documents, ())
    exempt = "" if entry.exempt_paragraph is None else str(entry.exempt_paragraph)
    if path is None:
        return _Item(index + 1, entry.title or "", exempt, (), ())
    paper = _supplied(project.root, path, exempt, document, where, key, problems)
    if paper is None:
        return None
    if path.suffix.lower() == ".pdf":
        return _Item(index + 1, entry.title or "", exempt, (), (paper,))
    unnumbered = render.without_page_numbers(paper)
    return _Item(index + 1, entry.title or "", exempt, ((path.name, unnumbered),), ())


def _supplied(
    root: Path,
    path: Path,
    exempt: str,
    document: YamlDocument,
    where: tuple[str | int, ...],
    key: str,
    problems: Problems,
) -> bytes | None:
    """A supplied paper's content, checked: a .pdf or .docx that opens, and not marked
    NOT FOR PUBLICATION unless its item is exempt; None with the reason in `problems`."""
    line = document.lines.of(where)
    shown = project_path(path, root)
    suffix = path.suffix.lower()
    if suffix not in (".pdf", ".docx") or not path.is_file():
        problems.add(
            document.path,
            line,
            key,
            f"{shown} is not a .pdf or .docx file that exists",
            "give the path of the supplied paper, from the meeting file's folder",
        )
        return None
    content = path.read_bytes()
    read = supplied_text(suffix, content)
    if isinstance(read, Problem):
        problems.add(document.path, line, key, f"{shown} {read.what}", read.fix)
        return None
    text = read
    if not exempt and _MARKED_EXEMPT.search(text):
        problems.add(
            document.path,
            line,
            key,
            f"{shown} is marked NOT FOR PUBLICATION, and this item is public",
            "add `exempt_paragraph:` (1 to 7, the Schedule 12A paragraph) under the item to "
            "put it in the exempt pack, or supply the public version of the paper",
        )
        return None
    return content


def supplied_text(suffix: str, content: bytes) -> str | Problem:
    """The text of a supplied paper (`.pdf` or `.docx`), or a problem saying why it cannot
    be read (its file and key for the caller to give)."""
    from reportgen.pdf.join import UnreadablePdf, pdf_text

    if suffix == ".docx" and unpacks_too_large(content):
        return Problem("", None, "", "unpacks into more than 200 MB", "check it is the paper")
    try:
        return pdf_text(content) if suffix == ".pdf" else render.document_text(content)
    except (UnreadablePdf, ValueError) as exc:
        fix = (
            "save it again as a PDF without a password (File > Save as PDF)"
            if suffix == ".pdf"
            else "open it in Word and save it as a Word Document (.docx)"
        )
        return Problem("", None, "", str(exc), fix)


# The resolution a committee passes before it takes an exempt item, as councils' agendas
# print it under such an item.
EXCLUSION = (
    "The committee is asked to resolve that the press and public be excluded from the "
    "meeting for this item, on the grounds that it involves the likely disclosure of exempt "
    "information as defined in that paragraph."
)


def _in_pack(item: _Item, exempt: bool) -> bool:
    """Whether the item's paper goes in the exempt pack (`exempt`) or the public one."""
    return bool(item.exempt) is exempt


def _kinds(meeting: MeetingModel, count: int) -> list[tuple[str, bool]]:
    """What each of a meeting's `count` front sheets is called, and whether it is the
    exempt one: the public (or supplementary) agenda, then any exempt one."""
    kind = "Supplementary agenda" if meeting.supplementary else "Agenda"
    return [(kind, False), (f"Exempt {kind.lower()}", True)][:count]


def _front_sheet(
    project: Project,
    meeting: MeetingModel,
    items: Sequence[_Item],
    kind: str,
    exempt: bool,
    starts: Mapping[int, int] | None = None,
) -> tuple[str, bytes]:
    """The front sheet of a pack as a .docx: the meeting and every item, with the page its
    paper starts on where `starts` gives it; the public one names an exempt item but says
    it is not for publication."""
    listed = []
    for item in items:
        if exempt and not item.exempt:
            continue
        note = ""
        if item.exempt:
            note = (
                "Not for publication: exempt information under paragraph "
                f"{item.exempt} of Part 1 of Schedule 12A to the Local Government Act 1972. "
                + EXCLUSION
            )
        elif not item.documents and not item.pdfs:
            note = "No paper."
        start = (starts or {}).get(item.number)
        listed.append(
            {
                "number": str(item.number),
                "title": item.title,
                "note": note,
                "page": f"page {start}" if start else "",
            }
        )
    contact = meeting.contact
    context = {
        "authority": project.authority.name,
        "membership": ", ".join(meeting.membership),
        "contact": ", ".join(
            part for part in (contact.name, contact.title, contact.phone, contact.email) if part
        )
        if contact
        else "",
        "committee": meeting.committee,
        "date": long_date(meeting.date),
        "meeting_date": long_date(meeting.date),
        "time": meeting.time,
        "venue": meeting.venue,
        "pack_title": kind,
        "items": listed,
        "in_pack": True,
    }
    properties = render.DocumentProperties(
        title=f"{kind}: {meeting.committee}, {long_date(meeting.date)}",
        subject=meeting.committee,
        author=project.authority.name,
        keywords="agenda",
        language="en-GB",
        date=meeting.date,
    )
    template = template_path(project, AGENDA_TEMPLATE)
    content = render.render(template, context, properties, cache=project.cache)
    return (f"{kind} front sheet", render.without_page_numbers(content))
