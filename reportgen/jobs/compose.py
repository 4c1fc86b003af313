"""Composing a paper: a planned report's results computed, what changed since the
committee's last published paper compared, its narrative rendered with live figures, and
the whole put together as a frozen `Paper` (template, context, properties, pictures) for
the renderer. Nothing here reads a narrative or writes a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.domain.clearance import clearance
from reportgen.domain.fields import fields
from reportgen.domain.model import NOT_FOR_PUBLICATION
from reportgen.domain.periods import Month
from reportgen.errors import Problems
from reportgen.inputs.project import Project
from reportgen.inputs.snapshots import last_meeting
from reportgen.inputs.templates import INDEX_TEMPLATE, template_path
from reportgen.jobs.checks import explained, typed_figures
from reportgen.jobs.plan import Report
from reportgen.paper.context import build_context, index_settings, narrative_names
from reportgen.paper.narrative import NarrativeRenderer
from reportgen.paper.scorecard import recent_periods
from reportgen.results.changes import Changes, compare
from reportgen.results.compute import IndicatorResult
from reportgen.results.records import Printed, PublishedIndicator, Snapshot
from reportgen.results.records import published as published_record
from reportgen.word import render


@dataclass(frozen=True)
class Paper:
    """What the renderer needs for one paper: its template, context, properties and the
    pictures of its charts; and the separate index's template where there is one."""

    template: Path
    context: dict[str, Any]
    properties: render.DocumentProperties
    pictures: dict[str, bytes]
    kept: list[tuple[Path, bytes]]  # pictures newly drawn, to keep in the project's cache
    index_template: Path | None = None
    printed: tuple[PublishedIndicator, ...] = ()


def compose(
    project: Project,
    report: Report,
    problems: Problems,
    warnings: Problems | None = None,
    published: bool = False,
    record: bool = False,
) -> Paper | None:
    """Computes results and fills in live figures; None with the reasons added to `problems`.
    What a paper may print but should not (a rating change nobody explains) goes to
    `warnings`. With `record`, what the public version prints is kept for a snapshot."""
    narrative = report.narrative
    month = Month.parse(narrative.period)
    # Published output withholds small counts; an exempt paper shows the real figures.
    public_limit = 0 if narrative.exempt else project.authority.suppress_up_to
    limit = public_limit if published else 0
    results = project.results(narrative.indicators, month, limit)
    since, changes = _since(project, report, results, public_limit)
    template = template_path(project, narrative.template)
    placed = render.placed_names(template, project.cache) or frozenset()
    # Only a paper that shows what changed must explain it.
    shown = changes if "changes" in placed else None
    said = Problems() if warnings is None else warnings
    if not explained(narrative, report.document, shown, problems, said):
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
    texts = _rendered(project, report, names, problems)
    if texts is None:
        return None
    if warnings is not None:
        typed_figures(narrative, report.document, results, since, warnings)
    separate = report.index_output is not None
    index = separate or "scorecard" in placed
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
        clearance=clearance(narrative, report.signoffs),
    )
    printed: tuple[PublishedIndicator, ...] = ()
    if record:  # what the public saw: a withheld figure stays withheld in the record
        public = (
            results
            if limit == public_limit
            else project.results(narrative.indicators, month, public_limit)
        )
        periods = index_settings(narrative).periods if index else 1
        printed = tuple(
            published_record(r, recent_periods(r.period, periods), printed_by_narrative)
            for r in public
        )
    pictures, kept = _pictures(project, context)
    return Paper(
        template,
        context,
        _properties(project, report),
        pictures,
        kept,
        template_path(project, INDEX_TEMPLATE) if separate else None,
        printed,
    )


def _since(
    project: Project, report: Report, results: list[IndicatorResult], public_limit: int
) -> tuple[Snapshot | None, Changes | None]:
    """The committee's last published paper before this one, and what changed since."""
    narrative = report.narrative
    since = last_meeting(
        project.root,
        project.snapshots,
        narrative.committee,
        narrative.meeting_date,
        public=not narrative.exempt,
        cache=project.cache,
    )
    if since is None:
        return None, None
    return since, compare(since, results, project.catalogue, project.retired, public_limit)


def _rendered(
    project: Project, report: Report, names: dict[str, Any], problems: Problems
) -> dict[str, str] | None:
    """Each narrative text with its live figures filled in, by key (`key point 2`); None
    with every problem added to `problems`."""
    narrative = report.narrative
    renderer = NarrativeRenderer(names, narrative.indicators, project.cache)
    texts: dict[str, str] = {}
    found = Problems()
    for field in fields(narrative.model_dump(), figures=True):
        rendered = renderer.render(
            field.text,
            str(report.source),
            report.document.lines.text_start(field.path),
            field.key,
            report.document.source_lines,
        )
        if isinstance(rendered, list):
            found.extend(rendered)
        else:
            texts[field.key] = rendered
    if found.items:
        problems.extend(found.items)
        return None
    return texts


def _pictures(
    project: Project, context: dict[str, Any]
) -> tuple[dict[str, bytes], list[tuple[Path, bytes]]]:
    """The pictures of the paper's charts, and those newly drawn (to keep in the cache)."""
    charts = [
        chart
        for item in context["scorecard"].get("charts", [])
        for chart in (item["trend"], item["comparison"])
        if chart
    ]
    if not charts:  # Pillow is imported only for a paper with charts
        return {}, []
    from reportgen.word import drawing

    folder = project.cache_folder / "charts" if project.cache_folder else None
    return drawing.pictures(charts, project.cache, folder)


def _properties(project: Project, report: Report) -> render.DocumentProperties:
    narrative = report.narrative
    return render.DocumentProperties(
        title=narrative.subject,
        subject=narrative.committee,
        author=project.authority.name,
        keywords=", ".join(narrative.indicators),
        language="en-GB",
        date=narrative.meeting_date,
        status=NOT_FOR_PUBLICATION if narrative.exempt else "",
    )
