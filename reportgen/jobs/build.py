"""Rendering papers: each planned report composed (`jobs.compose`) and rendered to .docx
bytes in memory, with its separate index where it has one. Nothing here writes: the
caller hands the bytes to the store, so a run with any problem writes nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reportgen.errors import Problem, Problems, ReportgenError
from reportgen.inputs.project import Project
from reportgen.jobs.compose import compose
from reportgen.jobs.plan import Report
from reportgen.results.records import PublishedIndicator
from reportgen.word import render


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
    paper = compose(project, report, problems, warnings, published, record)
    if paper is None:
        return None
    try:
        document = render.render(
            paper.template,
            paper.context,
            paper.properties,
            paper.pictures,
            project.cache,
        )
        files = [(report.output, document)]
        if paper.index_template is not None and report.index_output is not None:
            title = f"{paper.context['scorecard']['title']}: {report.narrative.subject}"
            index = render.render(
                paper.index_template,
                paper.context,
                replace(paper.properties, title=title),
                paper.pictures,
                project.cache,
            )
            files.append((report.index_output, index))
    except ReportgenError as exc:
        problems.extend(exc.problems)
        return None
    return BuiltReport(report, tuple(files), paper.printed, tuple(paper.kept))


def build(
    project: Project,
    reports: Sequence[Report],
    *,
    strict: bool = False,
    record: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[list[BuiltReport], list[Problem]]:
    """Every report rendered, in memory, and the warnings found (problems when `strict`).
    Raises InputError listing every problem found. With `record`, each report carries
    what its public version printed, for a snapshot. `progress` is told of each paper
    built."""
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
    problems.raise_if_any()
    return built, [] if strict else found.items
