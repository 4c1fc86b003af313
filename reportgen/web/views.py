"""The pages: home, the papers list, page previews and downloads, and the audit log. Each
view checks who may see what before it touches a file; a path from a request is never used
as one: papers are found by name among those the user may see."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

import reportgen
from reportgen.web import roles, service, tasks
from reportgen.web.audit import record
from reportgen.web.editor import EDIT, edited_text
from reportgen.web.models import AuditEntry, Job

_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
STATIC = Path(__file__).parent / "static"


def common(request: HttpRequest) -> dict[str, Any]:
    """What every page's layout needs."""
    user = request.user
    return {
        "may_edit": user.has_perm(EDIT),
        "may_audit": user.has_perm("web.read_audit"),
        "may_run_meetings": user.has_perm("web.run_meetings"),
        "may_clear": bool(user.is_authenticated and roles.clears_of(user)),
        "authority": _authority_name(),
    }


def _authority_name() -> str:
    try:  # kept in the cache until a file of the project changes: cheap
        return service.workspace().project().authority.name
    except reportgen.ReportgenError:
        return ""


@require_GET
def static(request: HttpRequest, file: str) -> HttpResponse:
    """The service's own CSS and scripts, shipped in the package (never from a CDN)."""
    known = {p.name: p for p in STATIC.joinpath("web").iterdir() if p.is_file()}
    if file not in known:
        raise Http404("no such file")
    kinds = {".css": "text/css", ".js": "text/javascript"}
    kind = kinds.get(known[file].suffix, "application/octet-stream")
    response = HttpResponse(known[file].read_bytes(), content_type=kind)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Where a user lands: a clearer (who holds a clearance role and edits no papers) on
    what is waiting for them, everyone else on the papers."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if not user.has_perm(EDIT) and roles.clears_of(user):
        return redirect("clearance_list")
    return redirect("papers")


@login_required
@require_GET
def papers(request: HttpRequest) -> HttpResponse:
    """The meetings ahead and their papers, each with its state and who changed it last."""
    query = request.GET.get("q", "")[:200]
    shown = service.visible_papers(request.user, query)
    rows = []
    for paper in shown:
        last = service.latest(service.relative(paper.path))
        rows.append({"paper": paper, "state": service.state_of(paper), "last": last})
    meetings: dict[tuple[Any, str], list[dict[str, Any]]] = {}
    for paper, row in zip(shown, rows, strict=True):
        meetings.setdefault((paper.meeting_date, paper.committee), []).append(row)
    today = timezone.localdate()
    groups = [
        {"date": when, "committee": committee, "rows": listed}
        for (when, committee), listed in meetings.items()
    ]
    # The meetings ahead, soonest first; then those past, latest first.
    ahead = sorted((g for g in groups if g["date"] and g["date"] >= today), key=_meeting_order)
    past = sorted((g for g in groups if g not in ahead), key=_meeting_order, reverse=True)
    context = {"ahead": ahead, "past": past, "query": query}
    return render(request, "web/papers.html", context)


def _meeting_order(group: dict[str, Any]) -> tuple[date, str]:
    return (group["date"] or date.min, group["committee"])


@login_required
@require_POST
def pages(request: HttpRequest, name: str) -> HttpResponse:
    """Starts a page preview (LibreOffice, in the background) of the paper as the form has it."""
    found = service.paper_for(request.user, name)
    text = edited_text(request, found)
    stopped = service.workspace().refused(found.path, text)
    if stopped:
        state = tasks.JobState(True, 0, "\n".join(str(p) for p in stopped))
        context = {"paper": found, "job": "", "state": state}
        return _private(render(request, "web/_pages.html", context), found.exempt)
    where = service.relative(found.path)
    job = tasks.start(request.user, Job.PAGES, where, found.exempt)
    tasks.page_preview(where, text, job)
    return _pages(request, found, _job(request, found, job))


def _job(request: HttpRequest, found: reportgen.PaperSummary, job: str) -> Job:
    """The user's own page preview `job` of the paper; 404 otherwise, the same answer for
    a job of another paper or user as for one that does not exist."""
    owned = tasks.owned(request.user, job, (Job.PAGES,), service.relative(found.path))
    if owned is None:
        raise Http404("no such page")
    return owned


def _pages(request: HttpRequest, found: reportgen.PaperSummary, job: Job) -> HttpResponse:
    state = tasks.job_state(job)
    context = {
        "paper": found,
        "job": job.id,
        "state": state,
        "pages_range": range(1, state.pages + 1),
    }
    return _private(render(request, "web/_pages.html", context), found.exempt)


def _private(response: HttpResponse, exempt: bool) -> HttpResponse:
    """The response kept out of every cache (the browser's, a proxy's) when it holds an
    exempt paper."""
    if exempt:
        response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_GET
def pages_status(request: HttpRequest, name: str, job: str) -> HttpResponse:
    found = service.paper_for(request.user, name)
    return _pages(request, found, _job(request, found, job))


@login_required
@require_GET
def page_image(request: HttpRequest, name: str, job: str, number: int) -> HttpResponse:
    found = service.paper_for(request.user, name)
    image = tasks.page_file(_job(request, found, job), number)
    if image is None:
        raise Http404("no such page")
    response = HttpResponse(image.read_bytes(), content_type="image/jpeg")
    return _private(response, found.exempt)


@login_required
@require_GET
def download(request: HttpRequest, name: str, kind: str) -> HttpResponse:
    """The paper as saved, as .docx (or PDF), built now."""
    found = service.paper_for(request.user, name)
    if kind not in ("docx", "pdf"):
        raise Http404("no such download")
    try:
        if kind == "pdf":
            content = service.workspace().preview_pdf(found.path)
        else:
            result = service.workspace().check_text(found.path, service.text_of(found.path))
            if result.paper is None:
                raise reportgen.InputError(result.problems)
            content = result.paper
    except reportgen.ReportgenError as error:
        return render(
            request, "web/problems.html", {"paper": found, "problems": error.problems}, status=422
        )
    if found.exempt:
        where = service.relative(found.path)
        record(request.user, "download exempt paper", where, kind, exempt=True)
    response = HttpResponse(content, content_type=_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{found.name}.{kind}"'
    return _private(response, found.exempt)


@login_required
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    """The latest 500 entries the user may see: one about an exempt paper or pack only
    with the permission to see exempt papers (to others it is not there at all)."""
    if not request.user.has_perm("web.read_audit"):
        raise PermissionDenied
    entries = AuditEntry.objects.all()
    if service.may_see_exempt(request.user):
        shown = list(entries[:500])
    else:
        hidden = _exempt_words()
        kept = (e for e in entries.exclude(exempt=True).iterator() if not _about(e, hidden))
        shown = list(itertools.islice(kept, 500))
    return render(request, "web/audit.html", {"entries": shown})


def _exempt_words() -> set[str]:
    """What names an exempt paper in an entry, as the papers are today (an entry written
    before the log recorded `exempt`, or about a paper made exempt since): each exempt
    paper's file name."""
    return {p.name for p in service.workspace().papers() if p.exempt}


def _about(entry: AuditEntry, hidden: set[str]) -> bool:
    said = f"{entry.target} {entry.detail}"
    named = Path(entry.target).name
    return named.startswith("exempt-") or any(word in said for word in hidden)
