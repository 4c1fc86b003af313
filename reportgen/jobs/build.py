"""Building papers: narrative files planned into reports, each rendered to .docx bytes.

`plan` checks narratives against the project; `render_report` computes, fills in live
figures and renders one paper in memory; `build` renders every report and returns them.
Nothing here writes: the caller hands the bytes to the store, so a run with any problem
writes nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reportgen.domain.clearance import clearance
from reportgen.domain.model import NOT_FOR_PUBLICATION
from reportgen.domain.periods import Month
from reportgen.domain.schema import (
    NarrativeModel,
)
from reportgen.errors import (
    Problem,
    Problems,
    ReportgenError,
    project_path,
)
from reportgen.inputs.config import load_narrative
from reportgen.inputs.paths import is_inside
from reportgen.inputs.project import (
    INDEX_TEMPLATE,
    Project,
    _template_path,
)
from reportgen.inputs.signoffs import load_signoffs
from reportgen.inputs.snapshots import last_meeting
from reportgen.inputs.yamlfile import YamlDocument
from reportgen.jobs.checks import (
    _explained,
    _lookup,
    _narrative_fits,
    _text_fields,
    _typed_figures,
    live_figures_of_raw,
)
from reportgen.paper.context import build_context, index_settings, narrative_names, slug
from reportgen.paper.narrative import NarrativeRenderer
from reportgen.paper.scorecard import recent_periods
from reportgen.results.changes import compare
from reportgen.results.records import Printed, PublishedIndicator
from reportgen.results.records import published as published_record
from reportgen.word import render


@dataclass(frozen=True)
class Report:
    """One narrative file, validated, with where its paper (and a separate performance
    index, when the narrative asks for one) goes."""

    source: Path
    narrative: NarrativeModel
    document: YamlDocument
    output: Path

    @property
    def index_output(self) -> Path | None:
        scorecard = self.narrative.scorecard
        if scorecard is None or not scorecard.separate:
            return None
        return self.output.with_name(f"{self.output.stem}-appendix.docx")


@dataclass(frozen=True)
class BuiltReport:
    """A report's finished files: its paper first, then any separate appendix; and what it
    printed, indicator by indicator, for a snapshot if it is published."""

    report: Report
    files: tuple[tuple[Path, bytes], ...]
    printed: tuple[PublishedIndicator, ...] = ()
    kept: tuple[tuple[Path, bytes], ...] = ()  # for the project's cache folder

    @property
    def content(self) -> bytes:
        return self.files[0][1]


def narrative_files(
    root: Path | None,
    paths: Sequence[Path],
    problems: Problems,
    published: frozenset[str] = frozenset(),
    skipped: list[Path] | None = None,
) -> list[Path]:
    """The narrative files named, with folders expanded to the .yaml files inside them;
    each must be inside the project at `root`. A folder leaves out the papers already
    `published` (by file stem; they go in `skipped`): naming one builds it again."""
    files: list[Path] = []
    for path in paths:
        if root is not None and not is_inside(root, path):
            problems.add(
                path,
                None,
                "",
                "is outside the project folder",
                "keep narrative files in data/narrative/",
            )
            continue
        if path.is_dir():
            found = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            if not found:
                problems.add(
                    path,
                    None,
                    "",
                    "has no narrative .yaml files",
                    "name a narrative file or a folder holding them",
                )
            for file in found:
                if file.stem in published:
                    if skipped is not None:
                        skipped.append(file)
                else:
                    files.append(file)
        elif path.is_file():
            files.append(path)
        else:
            problems.add(
                path,
                None,
                "",
                "does not exist",
                "check the path (narrative files are usually in data/narrative/)",
            )
    return files


def plan(
    project: Project | None,
    paths: Sequence[Path],
    out: Path,
    problems: Problems,
    root: Path | None = None,
    skipped: list[Path] | None = None,
    texts: Mapping[Path, str] | None = None,
) -> list[Report]:
    """The valid reports among `paths` (each inside the project at `root`, which defaults
    to the project's); every problem with them goes to `problems`. Papers published
    already, found in a folder, are left out and listed in `skipped`."""
    reports: list[Report] = []
    outputs: dict[Path, Path] = {}
    root = root or (project.root if project is not None else None)
    published = frozenset(s.paper for s in project.snapshots) if project else frozenset()
    texts = texts or {}
    named = [p for p in paths if p not in texts]
    found = narrative_files(root, named, problems, published, skipped)
    files = [*(f for f in found if f not in texts), *texts]
    for path in files:
        if root is not None and path in texts and not is_inside(root, path):
            problems.add(
                path, None, "", "is outside the project folder", "keep narrative in the project"
            )
            continue
        cache = project.cache if project is not None else None
        narrative, document = load_narrative(path, problems, texts.get(path), cache)
        if document is None or project is None:
            continue
        # Checked even when other keys are wrong, so that every problem shows in one run.
        fits = _narrative_fits(project, document, problems)
        if narrative is None and fits:  # its live figures are checked all the same
            live_figures_of_raw(project, document, problems)
        if narrative is None or not fits:
            continue
        folder = f"{narrative.meeting_date.isoformat()}-{slug(narrative.committee)}"
        output = out / folder / f"{path.stem}.docx"
        if output in outputs:
            problems.add(
                path,
                None,
                "",
                f"would write the same file as {project_path(outputs[output], root or out)}",
                "rename one of the narrative files",
            )
            continue
        outputs[output] = path
        report = Report(path, narrative, document, output)
        if report.index_output is not None:
            outputs[report.index_output] = path
        reports.append(report)
    return reports


@dataclass(frozen=True)
class Prepared:
    """What the renderer needs for one paper: its template, context, properties and the
    pictures of its charts; and the separate index's template where there is one."""

    template: Path
    context: dict[str, Any]
    properties: render.DocumentProperties
    pictures: dict[str, bytes]
    kept: list[tuple[Path, bytes]]  # pictures newly drawn, to keep in the project's cache
    index_template: Path | None = None
    printed: tuple[PublishedIndicator, ...] = ()


def prepare(
    project: Project,
    report: Report,
    problems: Problems,
    warnings: Problems | None = None,
    published: bool = False,
    record: bool = False,
) -> Prepared | None:
    """Computes results and fills in live figures; None with the reasons added to `problems`.
    What a paper may print but should not (a rating change nobody explains) goes to
    `warnings`. With `record`, what the public version prints is kept for a snapshot."""
    narrative = report.narrative
    month = Month.parse(narrative.period)
    # Published output withholds small counts; an exempt paper shows the real figures.
    public_limit = 0 if narrative.exempt else project.authority.suppress_up_to
    limit = public_limit if published else 0
    results = project.results(narrative.indicators, month, limit)
    since = last_meeting(
        project.root,
        project.snapshots,
        narrative.committee,
        narrative.meeting_date,
        public=not narrative.exempt,
        cache=project.cache,
    )
    changes = (
        compare(since, results, project.catalogue, project.retired, public_limit) if since else None
    )
    template = _template_path(project, narrative.template)
    # Only a paper that shows what changed must explain it.
    explained = (
        changes if "changes" in (render.placed_names(template, project.cache) or ()) else None
    )
    if not _explained(report, explained, problems, Problems() if warnings is None else warnings):
        return None
    printed_by_narrative: set[Printed] = set()
    names = narrative_names(
        results,
        project.authority,
        month,
        narrative.meeting_date,
        narrative.committee,
        printed_by_narrative,
    )
    renderer = NarrativeRenderer(names, narrative.indicators, project.cache)
    texts: dict[str, str] = {}
    found: list[Problem] = []
    for key, path in _text_fields(narrative):
        text = _lookup(narrative, path)
        rendered = renderer.render(
            text,
            str(report.source),
            report.document.lines.text_start(path),
            key,
            report.document.source_lines,
        )
        if isinstance(rendered, list):
            found.extend(rendered)
        else:
            texts[key] = rendered
    if found:
        problems.extend(found)
        return None
    if warnings is not None:
        _typed_figures(report, results, since, warnings)
    separate = report.index_output is not None
    index = separate or "scorecard" in (render.placed_names(template, project.cache) or ())
    context = build_context(
        narrative,
        texts,
        results,
        project.authority,
        names,
        project.themes,
        index=index,
        changes=changes,
        published=published,
        clearance=clearance(
            narrative, load_signoffs(project.root, report.source, problems, project.cache)
        ),
    )
    charts = [
        chart
        for item in context["scorecard"].get("charts", [])
        for chart in (item["trend"], item["comparison"])
        if chart
    ]
    folder = project.cache_folder / "charts" if project.cache_folder else None
    properties = render.DocumentProperties(
        title=narrative.subject,
        subject=narrative.committee,
        author=project.authority.name,
        keywords=", ".join(narrative.indicators),
        language="en-GB",
        date=narrative.meeting_date,
        status=NOT_FOR_PUBLICATION if narrative.exempt else "",
    )
    printed: tuple[PublishedIndicator, ...] = ()
    if record:  # what the public saw: a withheld figure stays withheld in the record
        shown = index_settings(narrative).periods if index else 1
        public = (
            results
            if limit == public_limit
            else project.results(narrative.indicators, month, public_limit)
        )
        printed = tuple(
            published_record(r, recent_periods(r.period, shown), printed_by_narrative)
            for r in public
        )
    pictures: dict[str, bytes] = {}
    kept: list[tuple[Path, bytes]] = []
    if charts:  # Pillow is imported only for a paper with charts
        from reportgen.word import drawing

        pictures, kept = drawing.pictures(charts, project.cache, folder)
    return Prepared(
        template,
        context,
        properties,
        pictures,
        kept,
        _template_path(project, INDEX_TEMPLATE) if separate else None,
        printed,
    )


def render_report(
    project: Project,
    report: Report,
    problems: Problems,
    warnings: Problems | None = None,
    published: bool = False,
    record: bool = False,
) -> BuiltReport | None:
    """The paper (and its separate index) as .docx bytes, or None with the reasons added
    to `problems`. The `published` version is the one for the public pack; with `record`,
    it carries what the public version printed, for a snapshot."""
    prepared = prepare(project, report, problems, warnings, published, record)
    if prepared is None:
        return None
    try:
        paper = render.render(
            prepared.template,
            prepared.context,
            prepared.properties,
            prepared.pictures,
            project.cache,
        )
        files = [(report.output, paper)]
        if prepared.index_template is not None and report.index_output is not None:
            title = f"{prepared.context['scorecard']['title']}: {report.narrative.subject}"
            index = render.render(
                prepared.index_template,
                prepared.context,
                replace(prepared.properties, title=title),
                prepared.pictures,
                project.cache,
            )
            files.append((report.index_output, index))
    except ReportgenError as exc:
        problems.extend(exc.problems)
        return None
    return BuiltReport(report, tuple(files), prepared.printed, tuple(prepared.kept))


def build(
    project: Project,
    reports: Sequence[Report],
    *,
    strict: bool = False,
    warnings: Problems | None = None,
    record: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[BuiltReport]:
    """Every report rendered, in memory. Raises InputError listing every problem found.
    Warnings go to `warnings`, or count as problems when `strict`; with `record`, each
    report carries what its public version printed, for a snapshot. `progress` is told
    of each paper built."""
    problems, found = Problems(), Problems()
    built = []
    for number, report in enumerate(reports, 1):
        result = render_report(project, report, problems, found, record=record)
        if result is not None:
            built.append(result)
        if progress:
            progress("papers built", number, len(reports))
    if strict:
        problems.extend(found.items)
    elif warnings is not None:
        warnings.extend(found.items)
    problems.raise_if_any()
    return built
