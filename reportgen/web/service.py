"""The service's view of the project: papers each user may see, their state and versions.
Everything about the papers themselves goes through reportgen's public API."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.http import Http404

import reportgen
from reportgen.web.models import Version

# What this process keeps between requests: parsed files, templates, DfE data, pictures.
CACHE = reportgen.Cache()
EXEMPT_PERMISSION = "web.view_exempt"


def root() -> Path:
    return Path(settings.PROJECT)


def workspace() -> reportgen.Workspace:
    """The project this process serves, with what it keeps between requests."""
    return reportgen.Workspace(root(), CACHE)


def relative(path: Path) -> str:
    return path.resolve().relative_to(root().resolve()).as_posix()


def may_see_exempt(user: object) -> bool:
    return bool(getattr(user, "has_perm", lambda _: False)(EXEMPT_PERMISSION))


def visible_papers(user: object, query: str = "") -> list[reportgen.PaperSummary]:
    """The papers `user` may see (an exempt one only with the permission), matching
    `query` in their subject, committee or file name."""
    exempt = may_see_exempt(user)
    words = query.lower().split()
    return [
        paper
        for paper in workspace().papers()
        if (exempt or not paper.exempt)
        and all(w in f"{paper.subject} {paper.committee} {paper.name}".lower() for w in words)
    ]


def paper_for(user: object, name: str) -> reportgen.PaperSummary:
    """The paper named `name` (its file's stem) if `user` may see it; 404 otherwise, the
    same answer whether it is exempt or does not exist."""
    for paper in visible_papers(user):
        if paper.name == name:
            return paper
    raise Http404("no such paper")


def text_of(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace") if path.is_file() else ""


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class State:
    """A paper's state as the list shows it: its file ready or with problems, with how many
    warnings (typed numbers, rating changes nobody explains), and who has a draft of it."""

    word: str  # "ready", "has problems"
    problems: list[reportgen.Problem]
    warnings: list[reportgen.Problem]
    drafts: list[str]  # the names of those with an unsaved draft

    @property
    def said(self) -> str:
        """The state in words: "Ready", "Ready, 3 warnings", "Has problems: 2"."""
        if self.problems:
            return f"Has problems: {len(self.problems)}"
        count = len(self.warnings)
        return f"Ready, {count} warning{'s' if count != 1 else ''}" if count else "Ready"


def state_of(paper: reportgen.PaperSummary) -> State:
    """The paper's file checked (from the cache when unchanged), and its drafts."""
    found = workspace().check_text(paper.path, text_of(paper.path))
    drafts = sorted({d.author_name or "Someone" for d in drafts_of(relative(paper.path))})
    word = "has problems" if found.problems else "ready"
    return State(word, found.problems, found.warnings, drafts)


def drafts_of(path: str) -> list[Version]:
    """The drafts of the file at `path` kept since it was last saved, newest first: each
    its author's own, not the paper's."""
    saved = Version.objects.filter(path=path, draft=False).aggregate(Max("number"))
    since = saved["number__max"] or 0
    found = Version.objects.filter(path=path, draft=True, number__gt=since).order_by("-number")
    return list(found)


def latest(path: str) -> Version | None:
    found: Version | None = Version.objects.filter(path=path).order_by("-number").first()
    return found


@transaction.atomic
def keep_version(
    path: str, content: bytes, user: object, note: str, draft: bool = False, problems: int = 0
) -> Version:
    """A new version of the file at `path` (from the project folder)."""
    number = (Version.objects.filter(path=path).aggregate(Max("number"))["number__max"] or 0) + 1
    known = getattr(user, "is_authenticated", False)
    made: Version = Version.objects.create(
        path=path,
        number=number,
        content=content,
        author=user if known else None,
        author_name=user.get_username() if known else "",  # type: ignore[attr-defined]
        note=note,
        draft=draft,
        problems=problems,
    )
    return made


def ensure_first_version(path: Path) -> None:
    """The file as it was found, kept as version 1 before the service first changes it."""
    where = relative(path)
    if path.is_file() and not Version.objects.filter(path=where).exists():
        keep_version(where, path.read_bytes(), None, "as found in the project folder")
