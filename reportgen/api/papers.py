"""Papers: building, checking (a whole project, or one text as an officer types it),
saving an officer's text, previews and the live figures a narrative may use."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from reportgen.api import pdfs
from reportgen.api.base import ProjectFolder, digest, relative
from reportgen.api.results import Built, Checked, LiveFigure, PaperCheck
from reportgen.errors import Conflict, InputError, Problem, Problems, ReportgenError, project_path
from reportgen.inputs.digests import digests
from reportgen.inputs.papers import MeetingSummary, PaperSummary, meeting_summaries, paper_summaries
from reportgen.inputs.paths import OutsideProject, is_inside
from reportgen.inputs.project import Project
from reportgen.inputs.signoffs import paper_sources
from reportgen.inputs.templates import template_path
from reportgen.inputs.yamlfile import load_yaml
from reportgen.jobs import agenda, figures
from reportgen.jobs import build as building
from reportgen.jobs import plan as planning
from reportgen.jobs.build import BuiltReport
from reportgen.store import Transaction, transaction
from reportgen.version import __version__
from reportgen.word import html, render

Progress = pdfs.Progress


class Papers(ProjectFolder):
    """A workspace's papers."""

    def build(
        self,
        paths: Sequence[Path] | None = None,
        out: Path | None = None,
        *,
        write: bool = True,
        strict: bool = False,
        pdf: bool = False,
        texts: Mapping[Path, str] | None = None,
        progress: Progress | None = None,
    ) -> Built:
        """Builds the papers of narrative files (or folders of them; by default
        `data/narrative/`) into OUT/<meeting date>-<committee>/ (by default `out/`), with a
        manifest per meeting folder; with `pdf`, a tagged PDF of each document too.

        Raises InputError listing every problem found; nothing is written in that case.
        Warnings count as problems when `strict`. A folder leaves out papers published
        already (`skipped`); naming the file builds it. `texts` are narratives by path as
        edited but not saved, built from that text: a preview, with `write` False, reads
        nothing from those files and writes nothing."""
        texts, skipped = texts or {}, list[Path]()
        paths = self._narratives(paths, texts)
        project, reports = self._reports(paths, out or self.root / "out", skipped, texts)
        with self._relative():
            warnings = self._warned(project, strict)
            built, found = building.build(project, reports, strict=strict, progress=progress)
            if pdf:
                built = pdfs.with_pdfs(project, built, progress)
            if write:
                with transaction(self.root) as writes:
                    add_papers(writes, project, built)
        return Built(built, relative(self.root, [*warnings, *found]), skipped)

    def check(
        self,
        paths: Sequence[Path] | None = None,
        out: Path | None = None,
        *,
        strict: bool = False,
        texts: Mapping[Path, str] | None = None,
    ) -> Checked:
        """Checks config, data, narrative and meeting files (or folders of them; by default
        `data/narrative/`), and the templates they use, as build and pack do, writing
        nothing. A meeting file is checked in full: its items, the supplied files, the
        exempt paragraphs and the papers it names. Raises InputError with every problem."""
        texts, out = texts or {}, out or self.root / "out"
        meetings, narratives = agenda.meetings_among(self._narratives(paths, texts), texts)
        skipped = list[Path]()
        plain = {p: t for p, t in texts.items() if p not in meetings}

        def plan(
            project: Project | None, problems: Problems
        ) -> tuple[list[planning.Report], dict[Path, int]]:
            if project is None:  # the narratives are read all the same, for their problems
                planning.read(self.root, narratives, problems, plain)
                reports = []
            else:
                reports = planning.plan(project, narratives, out, problems, skipped, plain)
            return reports, agenda.meeting_items(project, meetings, out, problems, texts)

        project, (reports, items) = self._load(plan, lambda problems: plan(None, problems))
        with self._relative():
            warnings = self._warned(project, strict)
            built, found = building.build(project, reports, strict=strict)
        return Checked(built, items, relative(self.root, [*warnings, *found]), skipped)

    def check_text(self, paper: Path, text: str) -> PaperCheck:
        """The check of `text` as the narrative at `paper`, as `check` finds it: its problems
        and warnings, and the paper built from it when it has none. Kept in the cache by
        the text's digest, the project's inputs (sign-offs among them) and the papers
        published: a save after a live check, and the download after a save, build
        nothing again."""
        refused = self.refused(paper, text)
        if refused:
            return PaperCheck(refused, [], None)
        if self.cache is None:
            return self._checked(paper, text)
        try:
            project = self.project()
        except ReportgenError as error:
            return PaperCheck(error.problems, [], None)
        # The project's inputs hold its sign-offs; what was published is the papers' own.
        published = tuple((s.paper, s.committee, s.meeting_date) for s in project.snapshots)
        key = (str(paper), digest(text), project.fingerprint, published)
        found: PaperCheck = self.cache.get_or_make(
            "checked", key, lambda: self._checked(paper, text), 50_000
        )
        return found

    def refused(self, paper: Path, text: str) -> list[Problem]:
        """Why `text` is not checked as a paper's at all: not YAML read within reportgen's
        bounds, or a meeting's text (checked with the papers and files it names, its
        answer would tell of them). The problem says nothing of what the text names."""
        try:
            load_yaml(paper, text, self.cache)
        except ReportgenError as error:
            return list(error.relative_to(self.root).problems)
        if agenda.is_meeting_file(paper, text, self.cache):
            return [
                Problem(
                    project_path(paper, self.root),
                    None,
                    "items",
                    "is a meeting's text (it has `items:` and no `template:`), not a paper's",
                    "write the paper's narrative here; a meeting's agenda is set on its "
                    "meeting page",
                )
            ]
        return []

    def _checked(self, paper: Path, text: str) -> PaperCheck:
        try:
            built = self.build([paper], write=False, texts={paper: text})
        except ReportgenError as error:
            return PaperCheck(error.problems, [], None)
        return PaperCheck([], built.warnings, built.reports[0].content)

    def save(self, paper: Path, text: str, *, expected: str | None = None) -> PaperCheck:
        """Writes a narrative (inside `data/narrative/`) atomically under the project's
        lock, once it is checked there as `check_text` does: one with problems raises
        InputError with them, and nothing is written. With `expected` (the sha256 of the
        text the caller started from), a file changed meanwhile by someone else raises
        Conflict, and nothing is written. Returns the check, with the paper built."""
        self._allowed(paper, "narrative")
        with transaction(self.root) as writes:
            self._unchanged(paper, expected)
            # Checked under the lock (after the conflict, which builds nothing), so that
            # the data it was checked with cannot change before it is written.
            checked = self.check_text(paper, text)
            if checked.problems:
                raise InputError(checked.problems)
            writes.add(paper, text.encode("utf-8"))
        return checked

    def save_meeting(self, meeting: Path, text: str, *, expected: str | None = None) -> Path:
        """Writes a meeting file (inside `data/meetings/`) as `save` writes a narrative; its
        caller checks it first, with the meeting check."""
        self._allowed(meeting, "meetings")
        with transaction(self.root) as writes:
            self._unchanged(meeting, expected)
            writes.add(meeting, text.encode("utf-8"))
        return meeting

    def _allowed(self, path: Path, folder: str) -> None:
        if path.suffix not in (".yaml", ".yml") or not is_inside(self.root / "data" / folder, path):
            fix = f"save it in data/{folder}/"
            raise InputError([Problem.at(path, f"is not a {folder.rstrip('s')} file", fix)])

    def _unchanged(self, path: Path, expected: str | None) -> None:
        """Raises Conflict when `path` is no longer the text whose sha256 is `expected`."""
        now = path.read_bytes() if path.is_file() else b""
        if expected is not None and hashlib.sha256(now).hexdigest() != expected:
            problem = Problem.at(
                path,
                "was changed by someone else since you opened it",
                "compare their text with yours below, and save again",
            )
            raise Conflict([problem], now.decode("utf-8", errors="replace")).relative_to(self.root)

    def preview_html(self, paper: Path, text: str | None = None) -> str:
        """The paper of `paper` (or of `text`, as edited and not saved) as simple HTML: a
        text preview, in well under a second. Raises InputError as `build` does."""
        texts = {paper: text} if text is not None else None
        built = self.build([paper], write=False, texts=texts)
        return html.document_html(built.reports[0].content)

    def preview_pdf(self, paper: Path, text: str | None = None) -> bytes:
        """The paper of `paper` (or of `text`, as edited and not saved) as PDF, made by
        LibreOffice: a faithful page preview. Writes nothing."""
        texts = {paper: text} if text is not None else None
        built = self.build([paper], write=False, pdf=True, texts=texts)
        return next(c for path, c in built.reports[0].files if path.suffix == ".pdf")

    def live_figures(self, paper: Path, text: str | None = None) -> list[LiveFigure]:
        """The live figures of a narrative's indicators, each with the value it shows as at
        the narrative's period; none where the period or indicators cannot be read yet."""
        project = self.project()
        return [
            LiveFigure(expression, shows, indicator.id, indicator.title)
            for indicator, expression, shows in figures.live_figures(project, paper, text)
        ]

    def figure_values(
        self, paper: Path, text: str | None, expressions: Sequence[str]
    ) -> dict[str, str]:
        """What each of `expressions` (live figures as written in a narrative's text,
        `{{ NI59.rank | ordinal }}`) shows as at the narrative's period, by expression; one
        with a mistake in it, or where the period cannot be read yet, is left out."""
        return figures.figure_values(self.project(), paper, text, expressions)

    def template_places(self, template: str) -> frozenset[str] | None:
        """The names the template called `template` prints (`summary`, `key_points`, …),
        for a form to offer only the boxes it prints; None where there is no such
        template, or it cannot be read."""
        try:
            path = template_path(self.project(), template)
        except (OutsideProject, ReportgenError):
            return None
        return render.placed_names(path, self.cache) if path.is_file() else None

    def papers(self) -> list[PaperSummary]:
        """Every narrative file in `data/narrative/` with what its header says (subject,
        committee, meeting date, exempt), by meeting date; a file with mistakes is listed
        too, and one that cannot be read at all counts as exempt until it can."""
        return paper_summaries(self.root, self.cache)

    def meetings(self) -> list[MeetingSummary]:
        """Every meeting file in `data/meetings/` with what its header says (committee,
        date, time, venue, how many items), by date; a file with mistakes is listed too."""
        return meeting_summaries(self.root, self.cache)


def add_papers(writes: Transaction, project: Project, built: Sequence[BuiltReport]) -> None:
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
