"""reportgen's public API: what the command line and the web service both call.

Each function takes the project folder and returns values; the ones that write hand their
bytes to the store, which writes them all together under the project's lock, or nothing.
Every problem a caller can cause raises a `ReportgenError` (`InputError`, `TemplateError`,
`ToolError`) whose problems give files from the project folder (`data/narrative/x.yaml`).

A long-running process makes one `Cache` and passes it to every call: parsed files,
compiled templates, DfE extractions and chart pictures are then kept between builds.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from reportgen.cache import Cache
from reportgen.domain import clearance as clearances
from reportgen.domain.clearance import ClearanceStatus, RoleClearance
from reportgen.domain.periods import FinancialYear, Month
from reportgen.domain.schema import NarrativeModel
from reportgen.errors import (
    Conflict,
    IncompletePdf,
    InputError,
    Problem,
    Problems,
    ReportgenError,
    TemplateError,
    ToolError,
    did_you_mean,
)
from reportgen.inputs import project as projects
from reportgen.inputs.config import load_narrative
from reportgen.inputs.digests import digests
from reportgen.inputs.papers import MeetingSummary, PaperSummary, meeting_summaries, paper_summaries
from reportgen.inputs.paths import is_inside
from reportgen.inputs.project import BUILT_IN_TEMPLATES, Project
from reportgen.inputs.signoffs import (
    dump_signoffs,
    load_signoffs,
    paper_sources,
    signoffs_path,
    with_signoff,
)
from reportgen.inputs.snapshots import PACKS, PUBLISHED_FOLDER
from reportgen.inputs.yamlfile import load_yaml
from reportgen.jobs import agenda, figures, starter
from reportgen.jobs import build as building
from reportgen.jobs import explain as explaining
from reportgen.jobs import history as histories
from reportgen.jobs import publish as publishing
from reportgen.jobs.build import BuiltReport
from reportgen.jobs.explain import Explanation
from reportgen.jobs.publish import Published, PublishStatus
from reportgen.paper.context import benchmark_rows, comparator_table, results_table, slug
from reportgen.pdf import accessibility as pdf_accessibility
from reportgen.pdf import convert, join
from reportgen.pdf.pictures import page_pictures
from reportgen.store import (
    MANIFEST,
    Transaction,
    project_lock,
    share_outputs_as,
    sweep_temporaries,
    transaction,
    write_atomically,
)
from reportgen.version import __version__
from reportgen.word import accessibility, html

__all__ = [
    "MANIFEST",
    "MAX_SUPPLIED",
    "PUBLIC_FOLDER",
    "BuiltReport",
    "Cache",
    "Checked",
    "ClearanceStatus",
    "Conflict",
    "DataCheck",
    "Explanation",
    "IncompletePdf",
    "InputError",
    "LiveFigure",
    "MeetingSummary",
    "PaperSummary",
    "Problem",
    "Problems",
    "Project",
    "PublishStatus",
    "Published",
    "PublishedMeeting",
    "ReportgenError",
    "RoleClearance",
    "TemplateError",
    "ToolError",
    "add_supplied",
    "benchmark_tables",
    "build",
    "check",
    "check_accessibility",
    "check_data",
    "check_yaml_text",
    "clearance",
    "content_of",
    "copy_templates",
    "explain",
    "history",
    "indicators_table",
    "init",
    "is_meeting_file",
    "live_figures",
    "load_project",
    "meetings",
    "pack",
    "packs_of",
    "page_pictures",
    "papers",
    "preview_html",
    "preview_pdf",
    "publish",
    "publish_meeting",
    "published_meetings",
    "remove_temporaries",
    "replace_data",
    "same_role",
    "save_text",
    "share_outputs_as",
    "sign_off",
    "templates",
]

is_meeting_file = agenda.is_meeting_file


def check_yaml_text(path: Path, text: str, *, cache: Cache | None = None) -> None:
    """Raises InputError (at its line, as the file `path`) when `text` is not YAML that
    reportgen reads within its bounds: too large, nested too deep, aliases that repeat too
    much, or a syntax error. Every text from outside goes through this before any other
    YAML reader (the service's form builder) sees it; nothing is built before the bounds
    are checked."""
    load_yaml(path, text, cache)


same_role = clearances.same_role  # whether two names are one clearance role
# Told how long work is going: (what is being done, how many done, how many in all).
Progress = Callable[[str, int, int], None]


@contextmanager
def _from_project(root: Path, *warnings: Problems | None) -> Iterator[None]:
    """Problems raised in the block, and warnings it adds, give files from `root`."""
    try:
        yield
    except ReportgenError as exc:
        raise exc.relative_to(root) from None
    finally:
        for found in warnings:
            if found is not None:
                found.items = [p.relative_to(root) for p in found.items]


def load_project(root: Path, *, cache: Cache | None = None) -> Project:
    """The project at `root`, checked: config, catalogue, data, DfE files and snapshots.
    Raises InputError with every problem found."""
    with _from_project(root):
        problems = Problems()
        project = projects.load_project(root, problems, cache=cache)
        problems.raise_if_any()
        assert project is not None, "load_project reports why when it returns None"
        return project


def _narratives(
    root: Path, paths: Sequence[Path] | None, texts: Mapping[Path, str] | None = None
) -> list[Path]:
    """The narratives named, or by default the project's `data/narrative/` (none when
    texts not yet saved are given: a preview builds those alone)."""
    if paths:
        return list(paths)
    return [] if texts else [root / "data" / "narrative"]


def build(
    root: Path,
    paths: Sequence[Path] | None = None,
    out: Path | None = None,
    *,
    write: bool = True,
    strict: bool = False,
    pdf: bool = False,
    warnings: Problems | None = None,
    skipped: list[Path] | None = None,
    texts: Mapping[Path, str] | None = None,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> list[BuiltReport]:
    """Builds the papers of narrative files (or folders of them; by default
    `data/narrative/`) into OUT/<meeting date>-<committee>/ (by default `out/`), with a
    manifest per meeting folder; with `pdf`, a tagged PDF of each document too.

    Raises InputError listing every problem found; nothing is written in that case.
    Warnings go to `warnings`, or count as problems when `strict`. A folder leaves out
    papers published already (listed in `skipped`); naming the file builds it. `texts`
    are narratives by path as edited but not saved, built from that text: a preview,
    with `write` False, reads nothing from those files and writes nothing.
    """
    out = out or root / "out"
    with _from_project(root, warnings):
        problems = Problems()
        project = projects.load_project(root, problems, cache=cache)
        reports = building.plan(
            project, _narratives(root, paths, texts), out, problems, root, skipped, texts
        )
        problems.raise_if_any()
        assert project is not None
        _loading_warnings(project, strict, warnings)
        built = building.build(
            project, reports, strict=strict, warnings=warnings, progress=progress
        )
        if pdf:
            built = _with_pdfs(project, built, progress)
        if write:
            with transaction(root) as writes:
                _add_papers(writes, project, built)
        return built


def _add_papers(writes: Transaction, project: Project, built: Sequence[BuiltReport]) -> None:
    """Each paper, listed in its folder's manifest, and its new chart pictures for the
    project's cache."""
    for item in built:
        for path, content in item.kept:
            writes.keep(path, content)
        inputs = {
            **project.inputs,
            **digests(paper_sources(project.root, item.report.source), project.root, project.cache),
        }
        for path, content in item.files:
            writes.add_output(path, content, __version__, inputs)


def _with_pdfs(
    project: Project, built: list[BuiltReport], progress: Progress | None
) -> list[BuiltReport]:
    """Each report with a PDF beside each of its documents, all from one LibreOffice run."""
    documents = [(str(path), content) for item in built for path, content in item.files]
    pdfs = iter(_converted(project, documents, progress))
    return [
        replace(
            item,
            files=item.files
            + tuple((path.with_suffix(".pdf"), next(pdfs)) for path, _ in item.files),
        )
        for item in built
    ]


def _numbered(project: Project, plan: agenda.PackPlan, pdfs: list[bytes]) -> list[bytes]:
    """The PDFs with the front sheets made again, each item with the page it starts on; a
    front sheet that grows a page with them moves every page on, so again until none does."""
    front_pdfs, item_pdfs = plan.split(pdfs)
    lengths = {number: sum(map(join.pages, made)) for number, made in item_pdfs.items()}
    front_pages = [join.pages(front) for front in front_pdfs]
    for _ in range(3):
        made = convert.convert(
            plan.numbered_fronts(project, front_pages, lengths),
            _profile(project),
            withheld=plan.withheld,  # the exempt front sheet, where there is one
        )
        pdfs = [*made, *pdfs[len(made) :]]
        now = [join.pages(front) for front in made]
        if now == front_pages:
            break
        front_pages = now
    return pdfs


def _profile(project: Project) -> Path | None:
    """The LibreOffice settings folder kept for the project, to start each run from."""
    return project.cache_folder / "libreoffice" if project.cache_folder else None


def _converted(
    project: Project,
    documents: Sequence[tuple[str, bytes]],
    progress: Progress | None,
    withheld: Collection[int] = frozenset(),
) -> list[bytes]:
    """The documents as PDFs, by one LibreOffice process (with the project's kept settings);
    a failed check does not quote the text of those `withheld` (exempt papers)."""
    total = len(documents)

    def converted(done: int) -> None:
        if progress:
            progress("documents converted to PDF", done, total)

    converted(0)
    pdfs = convert.convert(documents, _profile(project), converted if progress else None, withheld)
    converted(total)
    return pdfs


@dataclass(frozen=True)
class Checked:
    """What `check` found: the reports and meetings checked, and the warnings."""

    reports: list[BuiltReport]
    meetings: dict[Path, int]  # each meeting file checked, with its number of items
    warnings: list[Problem]
    skipped: list[Path]


def check(
    root: Path,
    paths: Sequence[Path] | None = None,
    out: Path | None = None,
    *,
    strict: bool = False,
    texts: Mapping[Path, str] | None = None,
    cache: Cache | None = None,
) -> Checked:
    """Checks config, data, narrative and meeting files (or folders of them; by default
    `data/narrative/`), and the templates they use, as build and pack do, writing nothing.
    A meeting file is checked in full: its items, the supplied files, the exempt
    paragraphs and the papers it names. Raises InputError with every problem found."""
    out = out or root / "out"
    named = _narratives(root, paths, texts)
    texts = texts or {}
    meetings = [p for p in named if _is_meeting(p, texts)]
    folders = []
    for folder in (p for p in named if p.is_dir()):
        files = sorted(folder.glob("*.yaml"))
        if files and all(is_meeting_file(p) for p in files):
            meetings += files
            folders.append(folder)
    narratives = [p for p in named if p not in meetings and p not in folders]
    narrative_texts = {p: t for p, t in texts.items() if p not in meetings}
    warnings, skipped = Problems(), list[Path]()
    with _from_project(root, warnings):
        problems = Problems()
        project = projects.load_project(root, problems, cache=cache)
        reports = (
            building.plan(project, narratives, out, problems, root, skipped, narrative_texts)
            if narratives
            else []
        )
        checked = {}
        for meeting in meetings:
            plan = agenda.plan_pack(project, meeting, out, problems, texts.get(meeting))
            if plan is not None:
                checked[meeting] = len(plan.items)
        problems.raise_if_any()
        assert project is not None
        _loading_warnings(project, strict, warnings)
        built = building.build(project, reports, strict=strict, warnings=warnings)
    return Checked(built, checked, warnings.items, skipped)


def _loading_warnings(project: Project, strict: bool, warnings: Problems | None) -> None:
    """What loading the project found that does not stop a paper (case records left out
    of the figures): warnings, or problems when `strict`."""
    if strict and project.warnings:
        raise InputError(project.warnings)
    if warnings is not None:
        warnings.extend(project.warnings)


def _is_meeting(path: Path, texts: Mapping[Path, str]) -> bool:
    if path in texts:
        return is_meeting_file(path, texts[path])
    return path.is_file() and is_meeting_file(path)


def publish(
    root: Path,
    paths: Sequence[Path] | None = None,
    out: Path | None = None,
    *,
    replace: bool = False,
    cache: Cache | None = None,
) -> list[Published]:
    """Builds papers as final (warnings count as problems), writes them, and records what
    each printed in `data/published/`. A meeting published before with other figures is
    refused unless `replace` (the earlier snapshot is then kept in a `replaced` folder)."""
    out = out or root / "out"
    with _from_project(root), transaction(root) as writes:
        # Under the lock: the earlier snapshots checked cannot change before the writes.
        problems = Problems()
        project = projects.load_project(root, problems, cache=cache)
        reports = building.plan(project, _narratives(root, paths), out, problems, root)
        problems.raise_if_any()
        assert project is not None
        built = building.build(project, reports, strict=True, record=True)
        plans = publishing.snapshots(project, built, replace=replace)
        _add_papers(writes, project, built)
        for published in plans:
            if published.replaced is not None:
                writes.add(published.replaced, published.path.read_bytes())
            if published.snapshot:
                writes.add(published.path, published.snapshot)
        return plans


def pack(
    root: Path,
    meeting: Path,
    out: Path | None = None,
    *,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """The meeting's agenda pack as one PDF: a front sheet listing the items, then each
    item's paper in order, bookmarked, page numbers stamped through it; exempt papers only
    in a separate exempt pack. Returns the files written, under OUT/<meeting>/."""
    project, plan = _planned(root, meeting, out or root / "out", cache)
    packs = _packed(project, plan, progress)
    return [*(path for path, _ in packs), plan.folder / MANIFEST]


def _planned(
    root: Path, meeting: Path, out: Path, cache: Cache | None
) -> tuple[Project, agenda.PackPlan]:
    """The project and the meeting's pack plan; InputError with every problem found."""
    with _from_project(root):
        problems = Problems()
        project = projects.load_project(root, problems, cache=cache)
        plan = agenda.plan_pack(project, meeting, out, problems)
        problems.raise_if_any()
    assert project is not None and plan is not None
    return project, plan


def _packed(
    project: Project, plan: agenda.PackPlan, progress: Progress | None
) -> list[tuple[Path, bytes]]:
    """The plan's packs converted, joined and written (with their manifest)."""
    with _from_project(project.root):
        pdfs = _converted(project, plan.documents, progress, plan.withheld)
        pdfs = _numbered(project, plan, pdfs)
        planned = plan.packs(pdfs)
        packs = []
        for number, (path, parts, title) in enumerate(planned, 1):
            packs.append((path, join.assemble(parts, title)))
            if progress:
                progress("packs joined and numbered", number, len(planned))
        inputs = {**project.inputs, **digests(plan.sources, project.root, project.cache)}
        with transaction(project.root) as writes:
            for path, content in packs:
                writes.add_output(path, content, __version__, inputs)
    return packs


PUBLIC_FOLDER = Path("public")
PUBLIC_LISTING = "meeting.json"


@dataclass(frozen=True)
class PublishedMeeting:
    """A meeting published: its papers' snapshots, the packs built, and the public copy."""

    papers: list[Published]
    packs: list[Path]
    public: Path  # the folder of what the public may see: public/<meeting folder>/


def publish_meeting(
    root: Path,
    meeting: Path,
    *,
    replace: bool = False,
    cache: Cache | None = None,
    progress: Progress | None = None,
) -> PublishedMeeting:
    """Publishes a meeting: builds its packs (as `pack`), records what each of its papers
    printed (as `publish`, with `replace`), and writes the public copy for the committee's
    public pages into `public/<date>-<committee>/`: the public pack, each public item's
    pages of it as a PDF of its own, and `meeting.json` listing them, also kept as the
    record of the pack in `data/published/<meeting folder>/packs/`. An exempt item is
    never in the public copy. A pack that cannot be built records nothing."""
    project, plan = _planned(root, meeting, root / "out", cache)
    packs = _packed(project, plan, progress)
    narratives = [p for p in plan.sources if p.resolve() != meeting.resolve()]
    papers = publish(root, narratives, replace=replace, cache=cache) if narratives else []
    public = root / PUBLIC_FOLDER / plan.folder.name
    listing = _public_listing(plan, packs)
    # A supplementary agenda is published beside the meeting's first one, not over it.
    prefix = "supplementary-" if plan.meeting.supplementary else ""
    with _from_project(root), transaction(root) as writes:
        for name, content in listing.files:
            writes.add(public / name, content)
        record = json.dumps(listing.record, indent=2, ensure_ascii=False).encode() + b"\n"
        writes.add(public / f"{prefix}{PUBLIC_LISTING}", record)
        kept = root / PUBLISHED_FOLDER / plan.folder.name / PACKS / f"{prefix}agenda-pack.json"
        writes.add(kept, record)
    return PublishedMeeting(papers, [*(p for p, _ in packs), plan.folder / MANIFEST], public)


@dataclass(frozen=True)
class _Listing:
    files: list[tuple[str, bytes]]
    record: dict[str, Any]


def _public_listing(plan: agenda.PackPlan, packs: Sequence[tuple[Path, bytes]]) -> _Listing:
    """The public packs (never an exempt one) and each item's pages of the first, with the
    listing of them that the committee's public page shows."""
    meeting = plan.meeting
    files: list[tuple[str, bytes]] = []
    listed_packs, items = [], []
    for path, content in packs:
        if path.name.startswith("exempt-"):
            continue
        files.append((path.name, content))
        title = "Supplementary agenda pack" if meeting.supplementary else "Agenda pack"
        listed_packs.append(
            {
                "file": path.name,
                "title": title,
                "pages": join.pages(content),
                "bytes": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
        )
        for bookmark, first, last in join.sections(content):
            number, _, title = bookmark.removeprefix("Item ").partition(": ")
            name = f"{'supplementary-' if meeting.supplementary else ''}item-{int(number):02d}.pdf"
            part = join.extract(content, first, last, bookmark)
            files.append((name, part))
            items.append(
                {
                    "number": int(number),
                    "title": title,
                    "file": name,
                    "first_page": first + 1,
                    "pages": last - first + 1,
                    "bytes": len(part),
                }
            )
    record = {
        "about": "What the public may see of this meeting, recorded by publishing it.",
        "committee": meeting.committee,
        "committee_slug": slug(meeting.committee),
        "date": meeting.date.isoformat(),
        "time": meeting.time,
        "venue": meeting.venue,
        "supplementary": meeting.supplementary,
        "published": date.today().isoformat(),
        "packs": listed_packs,
        "items": items,
    }
    return _Listing(files, record)


def published_meetings(root: Path) -> list[dict[str, Any]]:
    """What the public may see of every meeting published, by date (latest first), as
    each one's `meeting.json` lists it; one that cannot be read is left out."""
    found = []
    folder = root / PUBLIC_FOLDER
    for listing in sorted(folder.glob(f"*/*{PUBLIC_LISTING}")) if folder.is_dir() else ():
        try:
            data = json.loads(listing.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and {"committee", "committee_slug", "date"} <= data.keys():
            found.append({**data, "folder": listing.parent.name})
    return sorted(found, key=lambda m: str(m["date"]), reverse=True)


def packs_of(root: Path, meeting: MeetingSummary, out: Path | None = None) -> list[Path]:
    """The agenda packs built for the meeting (public, exempt, supplementary), as they are
    now in OUT/<meeting>/; none before its first `pack`."""
    if meeting.date is None:
        return []
    folder = agenda.pack_folder(out or root / "out", meeting.committee, meeting.date)
    return sorted(folder.glob("*agenda-pack.pdf")) if folder.is_dir() else []


def history(root: Path, indicator_id: str, *, cache: Cache | None = None) -> list[list[str]]:
    """What was published for one indicator, meeting by meeting, headings first."""
    with _from_project(root):
        return histories.history(load_project(root, cache=cache), indicator_id)


def explain(
    root: Path,
    indicator_id: str,
    period: str,
    *,
    csv: Path | None = None,
    write: bool = True,
    cache: Cache | None = None,
) -> Explanation:
    """How `period`'s figure of an indicator counted from case records was counted: the
    rule, the records at each step, and (with `write`) the child-level list behind it in
    `csv` (by default out/explain/<id>-<period>.csv) for the analyst; never in a paper.
    Raises InputError."""
    with _from_project(root):
        project = load_project(root, cache=cache)
        explained, records = explaining.explain(project, indicator_id, period)
        if write:
            target = csv or root / "out" / "explain" / explained.file_name
            with project_lock(root):
                write_atomically(target, records)
            explained = replace(explained, records=target)
        return explained


def indicators_table(
    root: Path, period: str, *, cache: Cache | None = None
) -> tuple[str, list[list[str]]]:
    """A title, and every indicator's computed results as at the month `period` (YYYY-MM),
    headings first."""
    try:
        month = Month.parse(period)
    except ValueError as exc:
        raise InputError([Problem("", None, "period", str(exc), "e.g. 2010-11")]) from None
    project = load_project(root, cache=cache)
    title = f"Indicators as at {month.label}"
    return title, results_table(project.results(project.catalogue, month))


def benchmark_tables(
    root: Path, indicator: str, year: str | None = None, *, cache: Cache | None = None
) -> tuple[dict[str, Any], list[list[str]]]:
    """An indicator's comparator table for a benchmark year (by default the latest), and
    its benchmarks year by year."""
    project = load_project(root, cache=cache)

    def wrong(key: str, what: str, fix: str) -> InputError:
        return InputError([Problem("", None, key, what, fix)])

    if indicator not in project.catalogue:
        fix = did_you_mean(indicator, project.catalogue, otherwise="see the list of indicators")
        raise wrong("indicator", f"unknown indicator '{indicator}'", fix)
    years = project.benchmark_years(indicator)
    if not years:
        raise wrong(
            "indicator",
            f"{indicator} has no benchmarks",
            "map it to a DfE file (dfe: in its catalogue entry) or add rows to data/benchmarks/",
        )
    chosen = max(years)
    if year is not None:
        try:
            chosen = FinancialYear.parse(year, project.authority.financial_year_start)
        except ValueError as exc:
            raise wrong("year", str(exc), "e.g. 2023-24") from None
        if chosen not in years:
            held = ", ".join(str(y) for y in sorted(years))
            raise wrong("year", f"{indicator} has no benchmarks for {year}", f"years held: {held}")
    table = comparator_table(project.catalogue[indicator], years[chosen], project.authority)
    return table, benchmark_rows(years)


def init(folder: Path, la_code: str, dfe: Path | None = None) -> list[Path]:
    """Writes a new council's project into `folder` (new or empty) for the authority with
    DfE code `la_code`: its neighbours and region from the DfE model, the DfE files (from
    `dfe`, as downloaded; by default the example's) with a starter catalogue, sample
    monthly data, two papers and a meeting. Returns the files written."""
    files = starter.create(folder, la_code, dfe)
    with transaction(folder) as writes:
        for path, content in files.items():
            writes.add(path, content)
    return list(files)


def templates(root: Path) -> dict[str, Path]:
    """The templates a project's papers can use, by name: the project's own in
    `templates/`, else reportgen's built-in house style of that name."""
    return projects.template_files(root)


def copy_templates(root: Path, names: Sequence[str] = ()) -> list[Path]:
    """Copies built-in templates (all, or those `names`) into the project's `templates/`
    for the council to edit in Word; a template the project has already is left alone.
    Returns the files written."""
    built_in = {p.stem: p for p in sorted(BUILT_IN_TEMPLATES.glob("*.docx"))}
    problems = Problems()
    for name in names:
        if name.removesuffix(".docx") not in built_in:
            fix = did_you_mean(name, built_in, otherwise=f"built-in: {', '.join(built_in)}")
            problems.add("", None, "", f"'{name}' is not a built-in template", fix)
    problems.raise_if_any()
    wanted = [n.removesuffix(".docx") for n in names] or list(built_in)
    copied = []
    with transaction(root) as writes:
        for name in wanted:
            target = root / "templates" / f"{name}.docx"
            if not target.exists():
                writes.add(target, built_in[name].read_bytes())
                copied.append(target)
    return copied


def papers(root: Path, *, cache: Cache | None = None) -> list[PaperSummary]:
    """Every narrative file in `data/narrative/` with what its header says (subject,
    committee, meeting date, exempt), by meeting date; a file with mistakes is listed too,
    and one that cannot be read at all counts as exempt until it can."""
    return paper_summaries(root, cache)


def meetings(root: Path, *, cache: Cache | None = None) -> list[MeetingSummary]:
    """Every meeting file in `data/meetings/` with what its header says (committee, date,
    time, venue, how many items), by date; a file with mistakes is listed too."""
    return meeting_summaries(root, cache)


def preview_html(
    root: Path, narrative: Path, text: str | None = None, *, cache: Cache | None = None
) -> str:
    """The paper of `narrative` (or of `text`, as edited and not saved) as simple HTML: a
    text preview, in well under a second. Raises InputError as `build` does."""
    texts = {narrative: text} if text is not None else None
    (built, *_) = build(root, [narrative], write=False, texts=texts, cache=cache)
    return html.document_html(built.content)


def preview_pdf(
    root: Path, narrative: Path, text: str | None = None, *, cache: Cache | None = None
) -> bytes:
    """The paper of `narrative` (or of `text`, as edited and not saved) as PDF, made by
    LibreOffice: a faithful page preview. Writes nothing."""
    texts = {narrative: text} if text is not None else None
    (built, *_) = build(root, [narrative], write=False, pdf=True, texts=texts, cache=cache)
    return next(content for path, content in built.files if path.suffix == ".pdf")


@dataclass(frozen=True)
class LiveFigure:
    """A live figure a narrative may use, and what it shows today."""

    expression: str  # as written in narrative: {{ NI59.latest }}
    shows: str
    indicator: str  # the indicator's id
    title: str


def live_figures(
    root: Path, narrative: Path, text: str | None = None, *, cache: Cache | None = None
) -> list[LiveFigure]:
    """The live figures of a narrative's indicators, each with the value it shows as at the
    narrative's period; none where the period or indicators cannot be read yet."""
    project = load_project(root, cache=cache)
    return [
        LiveFigure(expression, shows, indicator.id, indicator.title)
        for indicator, expression, shows in figures.live_figures(project, narrative, text)
    ]


def save_text(
    root: Path,
    path: Path,
    text: str,
    *,
    expected: str | None = None,
    cache: Cache | None = None,
) -> Path:
    """Writes a narrative or meeting file (inside `data/narrative/` or `data/meetings/`)
    atomically under the project's lock. A narrative is checked there first, as `check`
    does: one with problems raises InputError with them, and nothing is written (a meeting
    file is left to its caller to check, with the meeting check). With `expected` (the
    sha256 of the text the caller started from), a file changed meanwhile by someone else
    raises Conflict, and nothing is written. Returns the path."""
    allowed = [root / "data" / "narrative", root / "data" / "meetings"]
    if path.suffix not in (".yaml", ".yml") or not any(
        is_inside(folder, path) for folder in allowed
    ):
        raise InputError(
            [Problem.at(path, "is not a narrative or meeting file", "save it in data/narrative/")]
        )
    with transaction(root) as writes:
        with _from_project(root):
            if expected is not None:
                now = path.read_bytes() if path.is_file() else b""
                if hashlib.sha256(now).hexdigest() != expected:
                    raise Conflict(
                        [
                            Problem.at(
                                path,
                                "was changed by someone else since you opened it",
                                "compare their text with yours below, and save again",
                            )
                        ],
                        now.decode("utf-8", errors="replace"),
                    )
        # NOTE: checked under the lock, so that the data it was checked with cannot change
        # before it is written; after the conflict, which costs no build.
        if not is_meeting_file(path, text):
            check(root, [path], texts={path: text}, cache=cache)
        writes.add(path, text.encode("utf-8"))
    return path


def _narrative(root: Path, path: Path, text: str | None, cache: Cache | None) -> NarrativeModel:
    """The narrative at `path` (or `text` as its), validated; InputError if it cannot be."""
    problems = Problems()
    with _from_project(root):
        narrative, _ = load_narrative(path, problems, text, cache)
        problems.raise_if_any()
    assert narrative is not None
    return narrative


def clearance(
    root: Path, narrative: Path, text: str | None = None, *, cache: Cache | None = None
) -> list[RoleClearance]:
    """Each role the paper's clearance list names, with whether it has cleared the paper
    as it is now (or as `text`, edited): cleared, out of date (the paper changed since),
    or not cleared. Raises InputError for a narrative or sign-offs that cannot be read."""
    model = _narrative(root, narrative, text, cache)
    problems = Problems()
    with _from_project(root):
        signed = load_signoffs(root, narrative, problems, cache)
        problems.raise_if_any()
    return clearances.clearance(model, signed)


def content_of(root: Path, narrative: Path, *, cache: Cache | None = None) -> str:
    """The hash of the paper's content as a sign-off records it (see `sign_off`)."""
    return clearances.content_of(_narrative(root, narrative, None, cache))


def sign_off(
    root: Path,
    narrative: Path,
    role: str,
    name: str = "",
    when: date | None = None,
    *,
    content: str | None = None,
) -> Path:
    """Records that `name` cleared the paper for `role` on `when` (or, without a name,
    takes the role's sign-off back), in `data/clearance/<paper>.yaml`, under the project's
    lock. With `content` (from `content_of`, when the clearer opened it), a paper changed
    since raises Conflict and nothing is written. Returns the sign-offs' path."""
    path = signoffs_path(root, narrative)
    with _from_project(root), transaction(root) as writes:
        model = _narrative(root, narrative, None, None)
        now = clearances.content_of(model)
        if not any(clearances.same_role(c.role, role) for c in model.clearance):
            raise InputError(
                [Problem.at(narrative, f"does not ask for clearance by the {role}", "")]
            )
        if content is not None and content != now:
            raise Conflict(
                [
                    Problem.at(
                        narrative,
                        "was changed since you opened it",
                        "read the paper as it is now, then clear it",
                    )
                ],
                "",
            )
        problems = Problems()
        signed = load_signoffs(root, narrative, problems)
        writes.add(path, dump_signoffs(with_signoff(signed, role, name, when, now)))
    return path


SUPPLIED_FOLDER = Path("data") / "meetings" / "supplied"
MAX_SUPPLIED = 20_000_000  # bytes: a supplied paper with pictures is a few megabytes
_SUPPLIED_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._()-]{0,120}\.(pdf|docx)", re.IGNORECASE)


def add_supplied(root: Path, name: str, content: bytes) -> Path:
    """Keeps a supplied paper (a .pdf or .docx for a meeting's item) as
    `data/meetings/supplied/NAME`, once it is checked: a plain name, under 20 MB, a
    document that opens, and no file of that name there already (nothing is replaced).
    Raises InputError saying what is wrong; whether it is marked NOT FOR PUBLICATION is
    checked with the item that names it. Returns the path."""
    shown = (SUPPLIED_FOLDER / Path(name).name).as_posix()
    if not _SUPPLIED_NAME.fullmatch(Path(name).name):
        what, fix = (
            "is not a name reportgen takes for a supplied paper",
            ("upload a .pdf or .docx with a plain name, such as 2026-09-09-minutes.pdf"),
        )
        raise InputError([Problem(shown, None, "", what, fix)])
    if len(content) > MAX_SUPPLIED:
        raise InputError(
            [Problem(shown, None, "", "is over 20 MB", "save it again with smaller pictures")]
        )
    read = agenda.supplied_text(Path(name).suffix.lower(), content)
    if isinstance(read, Problem):
        raise InputError([replace(read, file=shown)])
    path = root / SUPPLIED_FOLDER / Path(name).name
    with _from_project(root), transaction(root) as writes:
        if path.exists():
            raise InputError(
                [
                    Problem.at(
                        path,
                        "is there already",
                        "give the new paper another name; the one there is kept",
                    )
                ]
            )
        writes.add(path, content)
    return path


@dataclass(frozen=True)
class DataCheck:
    """What an uploaded data file would change: the papers whose figures differ."""

    path: Path
    changed: list[Path]  # narrative files whose indicators have other figures with it


def check_data(root: Path, name: str, content: bytes, *, cache: Cache | None = None) -> DataCheck:
    """Checks an indicator data file (CSV or XLSX) uploaded as `name`, as if it were in
    `data/indicators/`, without writing it: InputError with every problem (each with its
    row) if it is not good. Lists the papers whose figures it changes."""
    path = _data_path(root, name)
    with _from_project(root):
        before = load_project(root, cache=cache)
        problems = Problems()
        after = projects.load_project(root, problems, cache=cache, data={path: content})
        problems.raise_if_any()
        assert after is not None
        moved = {
            indicator
            for indicator in {*before.observations, *after.observations}
            if before.observations.get(indicator) != after.observations.get(indicator)
        }
        changed = [
            paper.path for paper in paper_summaries(root, cache) if moved & set(paper.indicators)
        ]
    return DataCheck(path, changed)


def replace_data(root: Path, name: str, content: bytes, *, cache: Cache | None = None) -> Path:
    """Checks an uploaded indicator data file (as `check_data`) and, if it is good, puts it
    in `data/indicators/` in place of any file of that name. Returns its path."""
    path = check_data(root, name, content, cache=cache).path
    with transaction(root) as writes:
        writes.add(path, content)
    return path


def _data_path(root: Path, name: str) -> Path:
    """`data/indicators/NAME`, for a plain file name ending .csv or .xlsx only."""
    plain = Path(name).name == name and not name.startswith(".")
    if not plain or Path(name).suffix.lower() not in (".csv", ".xlsx") or len(name) > 100:
        raise InputError(
            [
                Problem(
                    "",
                    None,
                    "file",
                    f"'{name}' is not a data file name",
                    "upload a .csv or .xlsx file with a plain name, such as monthly-2026-27.csv",
                )
            ]
        )
    return root / "data" / "indicators" / name


def check_accessibility(files: Sequence[Path]) -> list[tuple[Path, str]]:
    """Accessibility findings in Word documents and PDFs (by their `.pdf` suffix), by
    document: for Word, title, language, headings, alt text, tables, empty paragraphs,
    contrast and colour; for a PDF, tags, title, language, bookmarks and extractable text."""
    problems = Problems()
    found = []
    for file in files:
        if not file.is_file():
            problems.add(file, None, "", "does not exist", "check the path")
            continue
        if file.suffix.lower() == ".pdf":
            try:
                found += [(file, str(f)) for f in pdf_accessibility.check_file(file)]
            except pdf_accessibility.NotAPdf as exc:
                problems.add(file, None, "", str(exc), "check it is the right file")
            continue
        try:
            found += [(file, str(f)) for f in accessibility.check_file(file)]
        except accessibility.NotAWordDocument:
            problems.add(
                file, None, "", "is not a Word document (.docx)", "save it as .docx in Word"
            )
    problems.raise_if_any()
    return found


def remove_temporaries(root: Path, before: float) -> list[Path]:
    """Removes the temporary files a process killed mid-write left in the project's out/,
    public/ and .reportgen/ folders (only reportgen's own, last changed before `before`, a
    time.time()): a publish killed half-way leaves a whole exempt pack in one. The files
    removed."""
    folders = [root / "out", root / PUBLIC_FOLDER, root / ".reportgen"]
    return sweep_temporaries(root, folders, before)
