"""Clearance in the service: a clerk asks for it; each named clearer (a person who holds
the clearance role, and may see the paper) clears the paper or returns it with a comment.
A sign-off is written to the paper's `data/clearance/` file through reportgen's API, so
the paper prints who cleared it and when; each step is kept here, in the audit log, and
told by e-mail. A paper saved with other content after clearance is asked again. The
paper's author (whoever last saved it) sees each role's state on the paper's page, and is
e-mailed when it is returned or fully cleared."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

import reportgen
from reportgen.web import notify, roles, service
from reportgen.web.audit import record
from reportgen.web.models import ClearanceEvent, Version

MEETINGS = "web.run_meetings"
MAX_COMMENT = 2000


@dataclass(frozen=True)
class RoleState:
    """A role of a paper's clearance as the service shows it: its state in the paper, and
    whether it has been asked, or returned with a comment, since."""

    role: str
    status: reportgen.ClearanceStatus
    name: str
    date: Any
    asked: bool  # asked and not yet answered
    returned: ClearanceEvent | None  # the last answer, when it was a return

    @property
    def cleared(self) -> bool:
        return self.status is reportgen.ClearanceStatus.CLEARED

    @property
    def out_of_date(self) -> bool:
        """Cleared before the paper changed."""
        return self.status is reportgen.ClearanceStatus.OUT_OF_DATE

    @property
    def words(self) -> str:
        """The state in words, for the pages and e-mails."""
        if self.cleared:
            return f"Cleared by {self.name} on {self.date:%-d %B %Y}"
        if self.returned is not None:
            return f"Returned by {self.returned.who}"
        if self.out_of_date and self.asked:
            return (
                f"Out of date: cleared by {self.name} on {self.date:%-d %B %Y}, changed since; "
                "asked again"
            )
        if self.out_of_date:
            return f"Out of date: cleared by {self.name} on {self.date:%-d %B %Y}, changed since"
        return "Asked, waiting" if self.asked else "Not asked yet"


def states(
    paper: reportgen.PaperSummary, events: list[ClearanceEvent] | None = None
) -> list[RoleState] | None:
    """Each role of the paper's clearance list with its state, given its clearance
    `events` (read here when not given); None where the paper cannot be read (its
    problems are shown on its own page)."""
    try:
        found = service.workspace().clearance(paper.path)
    except reportgen.ReportgenError:
        return None
    if events is None:
        events = list(ClearanceEvent.objects.filter(path=service.relative(paper.path)))
    shown = []
    for role in found:
        own = [e for e in events if reportgen.same_role(e.role, role.role)]
        last = own[-1] if own else None
        asked = last is not None and last.action == ClearanceEvent.ASKED and not role.cleared
        returned = (
            last
            if last is not None and last.action == ClearanceEvent.RETURNED and not role.cleared
            else None
        )
        shown.append(RoleState(role.role, role.status, role.name, role.date, asked, returned))
    return shown


def is_cleared(found: list[RoleState] | None) -> bool:
    return found is not None and all(r.cleared for r in found)


class Standing(enum.Enum):
    """Where a role of a paper's clearance stands, as its author reads it."""

    CLEARED = "Cleared"
    OUT_OF_DATE = "Out of date"
    RETURNED = "Returned"
    NOT_CLEARED = "Not cleared"

    @property
    def tag(self) -> str:
        """The tag's colour class; the state is always in words beside it too."""
        return {"CLEARED": "ready", "NOT_CLEARED": "draft"}.get(self.name, "problems")


@dataclass(frozen=True)
class PanelRow:
    """One role on a paper's clearance panel: where it stands, who answered and when (a
    date for a sign-off, a time for a return or an ask), the comment of a return."""

    role: str
    standing: Standing
    who: str
    when: date | datetime | None
    comment: str
    asked: bool  # asked, not yet answered
    yours: bool  # the user holds this role


def panel(paper: reportgen.PaperSummary, user: Any) -> dict[str, Any]:
    """What a paper's page shows of its clearance to `user`: `rows` (one PanelRow a role;
    None where the paper cannot be read), `cleared` (every role has), `link` (its
    clearance page) and `yours` (roles the user is asked to clear)."""
    if paper.exempt and not service.may_see_exempt(user):
        raise Http404("no such paper")  # the answer for a paper that does not exist
    events = list(ClearanceEvent.objects.filter(path=service.relative(paper.path)))
    found = states(paper, events)
    held = roles.clears_of(user) if getattr(user, "is_authenticated", False) else []
    rows = None if found is None else [_row(r, events, held) for r in found]
    return {
        "rows": rows,
        "cleared": bool(found) and is_cleared(found),
        "link": reverse("clearance", args=[paper.name]),
        "yours": [r.role for r in rows or [] if r.yours and r.asked],
    }


def _row(role: RoleState, events: list[ClearanceEvent], held: list[str]) -> PanelRow:
    yours = _holds_any(role.role, held)
    if role.cleared:
        return PanelRow(role.role, Standing.CLEARED, role.name, role.date, "", False, yours)
    if role.returned is not None:
        back = role.returned
        return PanelRow(
            role.role, Standing.RETURNED, back.who, back.created, back.comment, False, yours
        )
    if role.out_of_date:
        return PanelRow(
            role.role, Standing.OUT_OF_DATE, role.name, role.date, "", role.asked, yours
        )
    # `asked` holds only while the role's last event is its ask: that event's time.
    own = [e for e in events if reportgen.same_role(e.role, role.role)]
    when = own[-1].created if role.asked else None
    return PanelRow(role.role, Standing.NOT_CLEARED, "", when, "", role.asked, yours)


def author_of(paper: reportgen.PaperSummary) -> User | None:
    """Whoever last saved the paper (its newest version that is not a draft); None for a
    paper no one has saved in the service."""
    last = (
        Version.objects.filter(path=service.relative(paper.path), draft=False)
        .order_by("-number")
        .first()
    )
    return last.author if last is not None else None


def _tell_author(
    user: Any, paper: reportgen.PaperSummary, role: str, returned: str | None
) -> User | None:
    """A return (`returned` is its comment) or a sign-off that leaves the paper cleared
    by every role, told to the paper's author (checked at sending, as every message is,
    for an exempt paper). Returns the author when there was something to tell them."""
    author = author_of(paper)
    if author is None or (returned is None and not is_cleared(states(paper))):
        return None
    where = f"Paper: {paper.subject}\nCommittee: {paper.committee}"
    if paper.meeting_date:
        where += f", {paper.meeting_date:%-d %B %Y}"
    if returned is not None:
        subject = f"Your paper was returned: {paper.subject}"
        body = (
            f"{_name(user)} has returned your paper as {role}.\n\nTheir comment:\n{returned}\n\n"
            f"{where}\n\nChange the paper and save it; its clearance can then be asked again:\n"
            f"{notify.link('paper', paper.name)}\n"
        )
    else:
        subject = f"Your paper is cleared: {paper.subject}"
        body = (
            f"Every role has cleared your paper; the last was {_name(user)} as {role}.\n\n"
            f"{where}\n\nWho cleared it and when:\n{notify.link('clearance', paper.name)}\n"
        )
    notify.send([author], subject, body, exempt=paper.exempt)
    return author


def ask(user: Any, paper: reportgen.PaperSummary, again: bool = False) -> int:
    """Asks each role not cleared for the paper as it is; tells its clearers by e-mail.
    Returns how many roles were asked."""
    found = states(paper) or []  # none for a paper that cannot be read: nothing to ask
    where = service.relative(paper.path)
    asked = [r for r in found if not r.cleared]
    content = service.workspace().content_of(paper.path) if asked else ""
    for role in asked:
        ClearanceEvent.objects.create(
            path=where,
            role=role.role,
            action=ClearanceEvent.ASKED,
            user=user if getattr(user, "is_authenticated", False) else None,
            username=user.get_username() if getattr(user, "is_authenticated", False) else "",
            content=content,
        )
        why = (
            "It was changed after it was cleared, so its clearance is out of date."
            if again
            else f"{_name(user)} asks for your clearance."
        )
        notify.send(
            roles.clearers(role.role, paper.exempt),
            f"Clearance asked: {paper.subject}",
            f"{why}\n\nPaper: {paper.subject}\nCommittee: {paper.committee}, "
            f"{paper.meeting_date:%-d %B %Y}\nAs: {role.role}\n\n"
            f"Read it and clear it or return it with a comment:\n"
            f"{notify.link('clearance', paper.name)}\n",
            exempt=paper.exempt,
        )
    if asked:
        record(
            user,
            "clearance asked again" if again else "clearance asked",
            where,
            ", ".join(r.role for r in asked),
            exempt=paper.exempt,
        )
    return len(asked)


def ask_again_if_changed(user: Any, paper: reportgen.PaperSummary) -> bool:
    """After a save: a role cleared before and out of date now is asked again."""
    found = states(paper) or []
    if any(r.out_of_date and not r.asked for r in found):
        ask(user, paper, again=True)
        return True
    return False


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def _askers(where: str, role: str) -> list[User]:
    """Who asked for the role's clearance of the paper at `where` (the clerks to tell)."""
    asked = ClearanceEvent.objects.filter(path=where, action=ClearanceEvent.ASKED)
    return [e.user for e in asked if e.user is not None and reportgen.same_role(e.role, role)]


def _holds(user: Any, role: str) -> bool:
    return _holds_any(role, roles.clears_of(user))


def _holds_any(role: str, held: list[str]) -> bool:
    return any(reportgen.same_role(role, h) for h in held)


def every_state(user: Any) -> list[tuple[reportgen.PaperSummary, list[RoleState]]]:
    """Each paper `user` may see that asks for clearance, with its roles' states (the
    clearance events of all of them read at once)."""
    events: dict[str, list[ClearanceEvent]] = {}
    for event in ClearanceEvent.objects.all():
        events.setdefault(event.path, []).append(event)
    found = []
    for paper in service.visible_papers(user):
        shown = states(paper, events.get(service.relative(paper.path), []))
        if shown:
            found.append((paper, shown))
    return found


# -- pages -------------------------------------------------------------------------------------


@login_required
@require_GET
def waiting(request: HttpRequest) -> HttpResponse:
    """Papers waiting for the user's clearance; for a clerk, every paper's clearance."""
    everything = every_state(request.user)
    held = roles.clears_of(request.user)
    mine = [
        (paper, theirs)
        for paper, found in everything
        if (theirs := [r for r in found if r.asked and _holds_any(r.role, held)])
    ]
    context = {
        "mine": mine,
        "clears": held,
        "everything": everything if request.user.has_perm(MEETINGS) else [],
    }
    return render(request, "web/clearance_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def clearance(request: HttpRequest, name: str) -> HttpResponse:
    """A paper's clearance: each role's state and history; a clerk asks for it, a clearer
    clears or returns it (with a comment). The paper's text is shown to read."""
    paper = service.paper_for(request.user, name)
    problems: list[reportgen.Problem] = []
    if request.method == "POST":
        action = str(request.POST.get("action", ""))
        if action == "ask":
            if not request.user.has_perm(MEETINGS):
                raise PermissionDenied
            count = ask(request.user, paper)
            messages.success(
                request,
                f"Clearance asked of {count} role{'s' if count != 1 else ''}."
                if count
                else "Every role has cleared this paper as it is: nothing to ask.",
            )
            return redirect("clearance", name=name)
        if action in ("clear", "return"):
            problems = _decide(request, paper, action)
            if not problems:
                return redirect("clearance", name=name)
    return _page(request, paper, problems)


def _decide(
    request: HttpRequest, paper: reportgen.PaperSummary, action: str
) -> list[reportgen.Problem]:
    """Clears the paper, or returns it with a comment, as one role the user holds."""
    role = str(request.POST.get("role", ""))
    comment = str(request.POST.get("comment", "")).strip()
    found = states(paper) or []
    if not _holds(request.user, role) or not any(reportgen.same_role(r.role, role) for r in found):
        raise PermissionDenied
    if action == "return" and not comment:
        return [
            reportgen.Problem(
                "", None, "comment", "Say why you are returning it", "write what should change"
            )
        ]
    if len(comment) > MAX_COMMENT:
        return [
            reportgen.Problem(
                "", None, "comment", "The comment is too long", "keep it under 2,000 characters"
            )
        ]
    where = service.relative(paper.path)
    content = str(request.POST.get("content", ""))
    today = timezone.localdate()
    try:
        service.workspace().sign_off(
            paper.path,
            role,
            _name(request.user) if action == "clear" else "",
            today if action == "clear" else None,
            content=content,
        )
    except reportgen.ReportgenError as error:
        return [reportgen.Problem("", None, "", error.problems[0].what, error.problems[0].fix)]
    ClearanceEvent.objects.create(
        path=where,
        role=role,
        action=ClearanceEvent.CLEARED if action == "clear" else ClearanceEvent.RETURNED,
        user=request.user,
        username=request.user.get_username(),
        comment=comment,
        content=content,
    )
    word = "cleared" if action == "clear" else "returned"
    said = f"{role}{': ' + comment if comment else ''}"
    record(request.user, f"clearance {word}", where, said, exempt=paper.exempt)
    told = f"\n\nTheir comment:\n{comment}" if comment else ""
    author = _tell_author(request.user, paper, role, comment if action == "return" else None)
    notify.send(
        [u for u in _askers(where, role) if u != author],  # the author's message says it all
        f"Clearance {word}: {paper.subject}",
        f"{_name(request.user)} has {word} the paper as {role}.{told}\n\n"
        f"Paper: {paper.subject}\n{notify.link('clearance', paper.name)}\n",
        exempt=paper.exempt,
    )
    messages.success(request, f"You have {word} the paper as {role}.")
    return []


def _page(
    request: HttpRequest, paper: reportgen.PaperSummary, problems: list[reportgen.Problem]
) -> HttpResponse:
    found = states(paper)
    where = service.relative(paper.path)
    try:
        text = service.workspace().preview_html(paper.path)
        content = service.workspace().content_of(paper.path)
    except reportgen.ReportgenError as error:
        text, content = "", ""
        problems = problems or error.problems
    held = roles.clears_of(request.user)
    context = {
        "paper": paper,
        "roles": found,
        "history": ClearanceEvent.objects.filter(path=where).order_by("-created", "-id"),
        # Nothing to clear while the paper cannot be built: its problems are shown instead.
        "mine": [r for r in found or [] if content and _holds_any(r.role, held)],
        "html": text,
        "content": content,
        "problems": problems,
        "general": problems,
        "comment": str(request.POST.get("comment", "")) if request.method == "POST" else "",
    }
    return render(request, "web/clearance.html", context, status=422 if problems else 200)
