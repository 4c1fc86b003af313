"""Clearance: which roles have cleared a paper as it is now, and recording a sign-off."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportgen.api.base import ProjectFolder
from reportgen.domain import clearance as clearances
from reportgen.domain.clearance import RoleClearance
from reportgen.domain.schema import NarrativeModel
from reportgen.errors import Conflict, InputError, Problem, Problems
from reportgen.inputs.config import load_narrative
from reportgen.inputs.signoffs import dump_signoffs, load_signoffs, signoffs_path, with_signoff
from reportgen.store import transaction


class Clearing(ProjectFolder):
    """A workspace's clearance."""

    def _narrative(
        self, paper: Path, text: str | None = None, *, fresh: bool = False
    ) -> NarrativeModel:
        """The narrative at `paper` (or `text` as its), validated: read again, not from the
        cache, when `fresh`. InputError if it cannot be."""
        problems = Problems()
        with self._relative():
            narrative, _ = load_narrative(paper, problems, text, None if fresh else self.cache)
            problems.raise_if_any()
        assert narrative is not None
        return narrative

    def clearance(self, paper: Path, text: str | None = None) -> list[RoleClearance]:
        """Each role the paper's clearance list names, with whether it has cleared the
        paper as it is now (or as `text`, edited): cleared, out of date (the paper changed
        since), or not cleared. Raises InputError for a narrative or sign-offs that cannot
        be read."""
        model = self._narrative(paper, text)
        problems = Problems()
        with self._relative():
            signed = load_signoffs(self.root, paper, problems, self.cache)
            problems.raise_if_any()
        return clearances.clearance(model, signed)

    def content_of(self, paper: Path) -> str:
        """The hash of the paper's content as a sign-off records it (see `sign_off`)."""
        return clearances.content_of(self._narrative(paper))

    def sign_off(
        self,
        paper: Path,
        role: str,
        name: str = "",
        when: date | None = None,
        *,
        content: str | None = None,
    ) -> Path:
        """Records that `name` cleared the paper for `role` on `when` (or, without a name,
        takes the role's sign-off back), in `data/clearance/<paper>.yaml`, under the
        project's lock. With `content` (from `content_of`, when the clearer opened it), a
        paper changed since raises Conflict and nothing is written. Returns the path."""
        path = signoffs_path(self.root, paper)
        with self._relative(), transaction(self.root) as writes:
            model = self._narrative(paper, fresh=True)
            now = clearances.content_of(model)
            if not any(clearances.same_role(c.role, role) for c in model.clearance):
                what = f"does not ask for clearance by the {role}"
                raise InputError([Problem.at(paper, what, "")])
            if content is not None and content != now:
                fix = "read the paper as it is now, then clear it"
                raise Conflict([Problem.at(paper, "was changed since you opened it", fix)], "")
            signed = load_signoffs(self.root, paper, Problems())
            writes.add(path, dump_signoffs(with_signoff(signed, role, name, when, now)))
        return path
