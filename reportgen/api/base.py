"""What every part of a workspace shares: its project folder and cache, the one way the
project is loaded and planned (every problem found, in one InputError), and problems told
with files from the project folder."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from reportgen.cache import Cache
from reportgen.errors import InputError, Problem, Problems, ReportgenError
from reportgen.inputs import project as projects
from reportgen.inputs.project import Project
from reportgen.jobs import plan as planning

T = TypeVar("T")


class ProjectFolder:
    """A project folder (`root`) and what this process keeps of it between calls (`cache`:
    parsed files, compiled templates, DfE extractions, chart pictures and checked texts).
    A long-running process makes one cache and hands it to each workspace it opens."""

    def __init__(self, root: Path, cache: Cache | None = None) -> None:
        self.root = root
        self.cache = cache

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.root)!r})"

    @contextmanager
    def _relative(self) -> Iterator[None]:
        """Problems raised in the block name files from the project folder."""
        try:
            yield
        except ReportgenError as exc:
            raise exc.relative_to(self.root) from None

    def _load(
        self,
        plan: Callable[[Project, Problems], T],
        unloaded: Callable[[Problems], object] = lambda _: None,
    ) -> tuple[Project, T]:
        """The project, and what `plan` makes of it; InputError with every problem found
        in both. A project that fails to load is planned no further; `unloaded` still
        finds the problems of the files named, so that every problem shows in one run."""
        with self._relative():
            problems = Problems()
            project = projects.load_project(self.root, problems, cache=self.cache)
            if project is None:
                unloaded(problems)
                problems.raise_if_any()
            assert project is not None, "load_project reports why when it returns None"
            planned = plan(project, problems)
            problems.raise_if_any()
            return project, planned

    def project(self) -> Project:
        """The project, checked: config, catalogue, data, DfE files and snapshots."""
        return self._load(lambda project, problems: None)[0]

    def _warned(self, project: Project, strict: bool) -> list[Problem]:
        """What loading found that does not stop a paper (case records left out of the
        figures): warnings, or problems when `strict`."""
        if strict and project.warnings:
            raise InputError(project.warnings)
        return list(project.warnings)

    def _narratives(self, paths: Sequence[Path] | None, texts: Mapping[Path, str]) -> list[Path]:
        """The narratives named, or by default `data/narrative/` (none when unsaved texts
        are given: a preview builds those alone)."""
        if paths:
            return list(paths)
        return [] if texts else [self.root / "data" / "narrative"]

    def _reports(
        self, paths: Sequence[Path], out: Path, skipped: list[Path], texts: Mapping[Path, str]
    ) -> tuple[Project, list[planning.Report]]:
        return self._load(
            lambda project, problems: planning.plan(project, paths, out, problems, skipped, texts),
            lambda problems: planning.read(self.root, paths, problems, texts),
        )


def relative(root: Path, problems: Sequence[Problem]) -> list[Problem]:
    """The problems, with files named from the project folder at `root`."""
    return [problem.relative_to(root) for problem in problems]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
