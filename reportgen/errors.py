"""The one error hierarchy: the library raises these, only the CLI turns them into exit codes.

Every problem a user can cause is a `Problem` that says where (file and line), which key,
what is wrong and how to fix it. Loaders collect all problems before raising, so a user
sees every mistake in one run.

The library's public functions give a problem's file relative to the project folder
(`data/narrative/x.yaml`); the CLI shows it as the user would type it from where they are,
and a web page as the project's own path. A problem with what a caller gave rather than a
file (an option) has no file and names the option as its key: `indicator`, `replace`; a
fix mentions an option as "the `out` option", which the CLI turns into `--out`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's input, printed as `file:line: key: what — fix`."""

    file: str
    line: int | None
    key: str
    what: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        said = f"{self.key}: {self.what}" if self.key else self.what
        fix = f" — {self.fix}" if self.fix else ""
        return f"{where}: {said}{fix}" if where else f"{said}{fix}"

    @classmethod
    def at(cls, path: Path | str, what: str, fix: str, line: int | None = None) -> Problem:
        """A problem with a whole file (or with the file at `line`)."""
        return cls(str(path), line, "", what, fix)

    def relative_to(self, root: Path) -> Problem:
        """The problem with its file given from the project folder `root`, where it is in it."""
        if not self.file:
            return self
        return replace(self, file=project_path(self.file, root))


class ReportgenError(Exception):
    """Base of every error reportgen reports to a user; carries one or more problems."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))

    def relative_to(self, root: Path) -> ReportgenError:
        """The same error, with every file given from the project folder `root`."""
        return type(self)(p.relative_to(root) for p in self.problems)


class InputError(ReportgenError):
    """Configuration, data or narrative that cannot be used as given."""


class TemplateError(ReportgenError):
    """A Word template that is missing or refers to something the report does not have."""


class ToolError(ReportgenError):
    """A program reportgen needs (LibreOffice) is missing or failed: the machine, not the
    input, needs attention."""


class IncompletePdf(ToolError):
    """A PDF LibreOffice made lacks text of the document it was made from (a table's rows
    lost in the layout): the conversion failed, and nothing was written."""


class Conflict(ReportgenError):
    """A file changed since the caller read it (another person saved it meanwhile):
    nothing was written. `current` is the file's text now."""

    def __init__(self, problems: Iterable[Problem], current: str):
        super().__init__(problems)
        self.current = current

    def relative_to(self, root: Path) -> ReportgenError:
        return Conflict((p.relative_to(root) for p in self.problems), self.current)


def _problem_order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.file, problem.line or 0, problem.key, problem.what)


def project_path(path: Path | str, root: Path) -> str:
    """`path` from the project folder `root` (`data/narrative/x.yaml`) where it is inside
    it, else as given; an absolute path stays absolute so that a caller can show it."""
    path = Path(path)
    try:
        full = path if path.is_absolute() else Path.cwd() / path
        # The folder resolved, not the file: a link is shown where it is, not where it leads.
        return (full.parent.resolve() / full.name).relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return str(path)


def display_path(path: Path | str) -> str:
    """The path as a user would type it: relative to the working folder where possible."""
    path = Path(path)
    try:
        # The folder resolved, not the file: a link is shown where it is, not where it leads.
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # elsewhere, or a loop of links
        return str(path)


def did_you_mean(word: str, choices: Iterable[str], *, otherwise: str = "") -> str:
    """A fix that names the nearest valid choice, or `otherwise` when nothing is close."""
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    if close:
        return f"did you mean '{close[0]}'?"
    return otherwise


class Problems:
    """Collects problems while loading, so that all of them are reported at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, file: Path | str, line: int | None, key: str, what: str, fix: str) -> None:
        self.items.append(Problem(str(file), line, key, what, fix))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, error: type[ReportgenError] = InputError) -> None:
        if self.items:
            raise error(self.items)
