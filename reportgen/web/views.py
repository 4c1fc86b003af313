"""The pages: papers, the editor with live checks and previews, versions, data uploads and
the audit log. Each view checks who may see what before it touches a file; a path from a
request is never used as one: papers are found by name among those the user may see."""

from __future__ import annotations

import difflib
import itertools
import re
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import reportgen
from reportgen.web import clearing, editing, roles, service, tasks
from reportgen.web.audit import record
from reportgen.web.models import AuditEntry, Job, Version

EDIT = "web.edit_papers"
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
        return reportgen.load_project(service.root(), cache=service.CACHE).authority.name
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
    return redirect("papers" if request.user.is_authenticated else "login")


@login_required
@require_GET
def papers(request: HttpRequest) -> HttpResponse:
    """The meetings ahead and their papers, each with its state and who changed it last."""
    query = request.GET.get("q", "")[:200]
    shown = service.visible_papers(request.user, query)
    rows = []
    for paper in shown:
        last = service.latest(service.relative(paper.path))
        rows.append({"paper": paper, "state": service.state_of(paper, last), "last": last})
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


def _editor(
    request: HttpRequest,
    paper: reportgen.PaperSummary,
    text: str,
    base: str,
    problems: list[reportgen.Problem] | None = None,
    warnings: list[reportgen.Problem] | None = None,
    status: int = 200,
    conflict: str | None = None,
) -> HttpResponse:
    context = {
        **_placed(text, problems or [], warnings or []),
        "paper": paper,
        "text": text,
        "base": base,
        "figures": _figures(paper, text),
        "conflict": conflict,
    }
    return render(request, "web/paper.html", context, status=status)


def _figures(paper: reportgen.PaperSummary, text: str) -> list[reportgen.LiveFigure]:
    if service.refused(paper.path, text):
        return []
    try:
        return reportgen.live_figures(service.root(), paper.path, text, cache=service.CACHE)
    except reportgen.ReportgenError:
        return []


def _placed(
    text: str, problems: list[reportgen.Problem], warnings: list[reportgen.Problem]
) -> dict[str, Any]:
    """The form's boxes for `text`, each with its problems and warnings beside it; those
    of no box go at the top (`general`)."""
    boxes = editing.boxes(text)
    keys = {b.key for b in boxes or []}
    beside: dict[tuple[str, str], list[reportgen.Problem]] = {}
    general = []
    for kind, found in (("problems", problems), ("warnings", warnings)):
        for problem in found:
            if problem.key in keys:
                beside.setdefault((kind, problem.key), []).append(problem)
            else:
                general.append(problem)
    placed = [
        {
            "box": b,
            "problems": beside.get(("problems", b.key), []),
            "warnings": beside.get(("warnings", b.key), []),
        }
        for b in boxes or []
    ]
    return {
        "boxes": placed,
        "readable": boxes is not None,
        "problems": problems,
        "general": general,
    }


@login_required
@require_GET
def paper(request: HttpRequest, name: str) -> HttpResponse:
    """The editor: each text box, the live figures to insert, the previews."""
    found = service.paper_for(request.user, name)
    text = service.text_of(found.path)
    base = service.digest(text)
    draft = service.latest(service.relative(found.path))
    if draft is not None and draft.draft:
        messages.info(
            request,
            f"This is the draft {draft.author_name} saved on {draft.created:%d %B %Y at %H:%M}.",
        )
        text = draft.text
    return _editor(request, found, text, base)


def _edited_text(request: HttpRequest, found: reportgen.PaperSummary) -> str:
    """The narrative as the form has it: raw YAML from the raw view, else the saved text
    with the boxes put in."""
    if "raw" in request.POST:
        return str(request.POST["raw"])
    start = str(request.POST.get("start", "")) or service.text_of(found.path)
    return editing.apply(start, {k: str(v) for k, v in request.POST.items()})


def _check(
    found: reportgen.PaperSummary, text: str
) -> tuple[list[reportgen.Problem], list[reportgen.Problem]]:
    """The problems and warnings of a narrative's text, as `reportgen check` finds them
    (a text that is not a paper's is not checked: see service.refused)."""
    stopped = service.refused(found.path, text)
    if stopped:
        return stopped, []
    try:
        checked = reportgen.check(
            service.root(), [found.path], texts={found.path: text}, cache=service.CACHE
        )
    except reportgen.ReportgenError as error:
        return error.problems, []
    return [], checked.warnings


@login_required
@permission_required(EDIT, raise_exception=True)
@require_POST
def check(request: HttpRequest, name: str) -> HttpResponse:
    """Live validation while typing: every problem beside its box, in the CLI's words."""
    found = service.paper_for(request.user, name)
    text = _edited_text(request, found)
    problems, warnings = _check(found, text)
    return render(request, "web/_checked.html", _placed(text, problems, warnings))


@login_required
@permission_required(EDIT, raise_exception=True)
@require_POST
def save(request: HttpRequest, name: str) -> HttpResponse:
    """Saves the narrative when it has no problems (or as a draft, kept here only, when the
    officer asks); a paper changed by someone else since it was opened is not overwritten."""
    found = service.paper_for(request.user, name)
    base = str(request.POST.get("base", ""))
    if not re.fullmatch(r"[0-9a-f]{64}", base):
        return HttpResponseBadRequest("open the paper to edit it, then save")
    text = _edited_text(request, found)
    where = service.relative(found.path)
    if "draft" in request.POST:
        problems, _ = _check(found, text)
        service.keep_version(where, text.encode(), request.user, "draft", True, len(problems))
        record(request.user, "save draft", where, exempt=found.exempt)
        messages.success(
            request,
            "Draft saved. It is kept here; the paper itself is unchanged until you save it "
            "without problems.",
        )
        return redirect("paper", name=name)
    # The library checks the text as it saves it, so a save builds the paper once.
    problems = service.refused(found.path, text)
    if not problems:
        try:
            conflict = _write(request, found, text, base, "saved", "save")
        except reportgen.ReportgenError as error:
            problems = error.problems
        else:
            if conflict is not None:
                return _conflicted(request, found, text, conflict)
            messages.success(request, "Saved. The paper now has these words.")
            if clearing.ask_again_if_changed(request.user, found):
                messages.warning(
                    request,
                    "The paper had been cleared: its clearance is now out of date, and the "
                    "clearers have been asked again.",
                )
            return redirect("paper", name=name)
    if "raw" in request.POST:
        context = {"paper": found, "text": text, "base": base, "problems": problems}
        return render(request, "web/raw.html", {**context, "general": problems}, status=422)
    return _editor(request, found, text, base, problems, status=422)


def _write(
    request: HttpRequest,
    found: reportgen.PaperSummary,
    text: str,
    base: str,
    note: str,
    action: str,
    detail: str = "",
) -> reportgen.Conflict | None:
    """Saves `text` as the paper, over the one the user saw (`base`, its digest), kept as a
    version with `note` and audited as `action`. A paper changed by someone else meanwhile
    is not overwritten: the text is kept as a draft version, "`action` refused" audited,
    and the conflict returned. Raises InputError, writing nothing, for a text with problems
    (the library checks it under the project's lock)."""
    where = service.relative(found.path)
    service.ensure_first_version(found.path)
    try:
        reportgen.save_text(service.root(), found.path, text, expected=base, cache=service.CACHE)
    except reportgen.Conflict as conflict:
        service.keep_version(
            where, text.encode(), request.user, "not saved: changed meanwhile", True
        )
        record(
            request.user,
            f"{action} refused",
            where,
            "changed by someone else meanwhile",
            exempt=found.exempt,
        )
        return conflict
    service.keep_version(where, text.encode(), request.user, note)
    record(request.user, action, where, detail, exempt=found.exempt)
    return None


def _conflicted(
    request: HttpRequest, found: reportgen.PaperSummary, text: str, conflict: reportgen.Conflict
) -> HttpResponse:
    """The editor with the user's text, and the paper as someone else saved it meanwhile."""
    current = conflict.current
    return _editor(request, found, text, service.digest(current), status=409, conflict=current)


@login_required
@require_http_methods(["GET", "POST"])
def raw(request: HttpRequest, name: str) -> HttpResponse:
    """The narrative as YAML, for what the boxes do not show (contacts, clearance)."""
    found = service.paper_for(request.user, name)
    text = service.text_of(found.path)
    return render(
        request, "web/raw.html", {"paper": found, "text": text, "base": service.digest(text)}
    )


@login_required
@require_POST
def preview(request: HttpRequest, name: str) -> HttpResponse:
    """An instant text preview of the paper as the form has it now."""
    found = service.paper_for(request.user, name)
    text = _edited_text(request, found)
    stopped = service.refused(found.path, text)
    if stopped:
        return render(request, "web/_preview.html", {"problems": stopped})
    try:
        shown = reportgen.preview_html(service.root(), found.path, text, cache=service.CACHE)
    except reportgen.ReportgenError as error:
        return render(request, "web/_preview.html", {"problems": error.problems})
    return render(request, "web/_preview.html", {"html": shown})


@login_required
@require_POST
def pages(request: HttpRequest, name: str) -> HttpResponse:
    """Starts a page preview (LibreOffice, in the background) of the paper as the form has it."""
    found = service.paper_for(request.user, name)
    text = _edited_text(request, found)
    stopped = service.refused(found.path, text)
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
            content = reportgen.preview_pdf(service.root(), found.path, cache=service.CACHE)
        else:
            result = service.checked(found.path, service.text_of(found.path))
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
def versions(request: HttpRequest, name: str) -> HttpResponse:
    found = service.paper_for(request.user, name)
    listed = Version.objects.filter(path=service.relative(found.path)).order_by("-number")
    # A restore is over the paper as this page shows it: see `restore`.
    base = service.digest(service.text_of(found.path))
    context = {"paper": found, "versions": listed, "base": base}
    return render(request, "web/versions.html", context)


def _version(found: reportgen.PaperSummary, number: int) -> Version:
    version: Version | None = Version.objects.filter(
        path=service.relative(found.path), number=number
    ).first()
    if version is None:
        raise Http404("no such version")
    return version


@login_required
@require_GET
def version(request: HttpRequest, name: str, number: int) -> HttpResponse:
    found = service.paper_for(request.user, name)
    return render(request, "web/version.html", {"paper": found, "version": _version(found, number)})


@login_required
@require_GET
def diff(request: HttpRequest, name: str) -> HttpResponse:
    """The lines that differ between two versions."""
    found = service.paper_for(request.user, name)
    try:
        a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        raise Http404("choose two versions") from None
    old, new = _version(found, a), _version(found, b)
    lines = list(
        difflib.unified_diff(old.text.splitlines(), new.text.splitlines(), lineterm="", n=2)
    )[2:]
    rows = [
        {"kind": {"+": "added", "-": "removed", "@": "where"}.get(line[:1], "same"), "text": line}
        for line in lines
    ]
    return render(request, "web/diff.html", {"paper": found, "old": old, "new": new, "rows": rows})


@login_required
@permission_required(EDIT, raise_exception=True)
@require_POST
def restore(request: HttpRequest, name: str, number: int) -> HttpResponse:
    """Puts an earlier version back, as a new version (nothing is lost), over the paper as
    the user saw it (`base`, its digest, as the editor's save): one changed by someone else
    meanwhile is not overwritten. A version that has problems now (the data moved on) is
    kept as a draft instead."""
    found = service.paper_for(request.user, name)
    old = _version(found, number)
    base = str(request.POST.get("base", ""))
    if not re.fullmatch(r"[0-9a-f]{64}", base):
        messages.error(request, "The versions page was out of date: restore it again from here.")
        return redirect("versions", name=name)
    text = old.text
    problems = service.refused(found.path, text)
    if not problems:
        try:
            conflict = _write(
                request,
                found,
                text,
                base,
                f"version {number} restored",
                "restore",
                f"version {number}",
            )
        except reportgen.ReportgenError as error:
            problems = error.problems
        else:
            if conflict is not None:
                return _conflicted(request, found, text, conflict)
            messages.success(request, f"Version {number} is restored, as a new version.")
            if clearing.ask_again_if_changed(request.user, found):
                messages.warning(
                    request, "Its clearance is now out of date: the clearers have been asked again."
                )
            return redirect("paper", name=name)
    where = service.relative(found.path)
    service.keep_version(
        where,
        text.encode(),
        request.user,
        f"version {number} restored as a draft",
        True,
        len(problems),
    )
    record(request.user, "restore as draft", where, f"version {number}", exempt=found.exempt)
    messages.warning(
        request,
        f"Version {number} has problems with today's data, so it is restored as a draft: "
        "fix them and save.",
    )
    return redirect("paper", name=name)


_DATA_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,95}\.(csv|xlsx)$", re.IGNORECASE)


@login_required
@permission_required(EDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def data(request: HttpRequest) -> HttpResponse:
    """Upload a monthly data file for `data/indicators/`: checked first, every problem with
    its row; it replaces the file of that name only if good, the old one kept as a version."""
    context: dict[str, Any] = {"files": _data_files()}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["problems"] = [
                reportgen.Problem(
                    "",
                    None,
                    "file",
                    "choose a file to upload",
                    "a .csv or .xlsx file of indicator data",
                )
            ]
            return render(request, "web/data.html", context, status=422)
        name = Path(str(upload.name)).name
        if upload.size > settings.MAX_DATA_FILE or not _DATA_NAME.match(name):
            context["problems"] = [
                reportgen.Problem(
                    "",
                    None,
                    "file",
                    f"'{name[:100]}' is not a data file reportgen takes",
                    "upload a .csv or .xlsx file under 10 MB, with a plain name such as "
                    "monthly-2026-27.csv",
                )
            ]
            return render(request, "web/data.html", context, status=422)
        content = upload.read()
        try:
            checked = reportgen.check_data(service.root(), name, content, cache=service.CACHE)
        except reportgen.ReportgenError as error:
            context["problems"] = error.problems
            context["name"] = name
            return render(request, "web/data.html", context, status=422)
        path = checked.path
        where = service.relative(path)
        if path.is_file():
            service.ensure_first_version(path)
        reportgen.replace_data(service.root(), name, content, cache=service.CACHE)
        service.keep_version(where, content, request.user, "uploaded")
        record(request.user, "upload data", where)
        visible = {p.path for p in service.visible_papers(request.user)}
        context.update(
            uploaded=where,
            changed=[
                p
                for p in service.visible_papers(request.user)
                if p.path in set(checked.changed) & visible
            ],
            files=_data_files(),
        )
    return render(request, "web/data.html", context)


def _data_files() -> list[str]:
    folder = service.root() / "data" / "indicators"
    return (
        sorted(p.name for p in folder.iterdir() if p.suffix.lower() in (".csv", ".xlsx"))
        if folder.is_dir()
        else []
    )


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
    return {p.name for p in reportgen.papers(service.root(), cache=service.CACHE) if p.exempt}


def _about(entry: AuditEntry, hidden: set[str]) -> bool:
    said = f"{entry.target} {entry.detail}"
    named = Path(entry.target).name
    return named.startswith("exempt-") or any(word in said for word in hidden)


@login_required
@require_http_methods(["GET", "POST"])
def users(request: HttpRequest) -> HttpResponse:
    """Admins add and remove the people who may sign in, and give or take the permission
    to see exempt papers (only an admin who has it may give it); each change goes in the
    audit log with the role and permission given or taken. A form with problems comes
    back as it was sent (but the password), each problem beside its field."""
    if not request.user.has_perm("web.read_audit"):
        raise PermissionDenied
    from django.contrib.auth.models import User

    problems: list[reportgen.Problem] = []
    sent: dict[str, str] = {}
    giver = service.may_see_exempt(request.user)
    if request.method == "POST":
        action = str(request.POST.get("action", ""))
        name = str(request.POST.get("name", "")).strip()[:150]
        exempt = request.POST.get("exempt") == "1"
        if ((action == "add" and exempt) or action == "exempt") and not giver:
            raise PermissionDenied  # the page offers it only to those who have it
        if action == "add":
            role = str(request.POST.get("role", ""))
            sent = {
                "name": name,
                "role": role,
                "exempt": "1" if exempt else "",
                "email": str(request.POST.get("email", "")).strip()[:254],
                "clears": str(request.POST.get("clears", ""))[:2000],
                "full_name": str(request.POST.get("full_name", "")).strip()[:150],
            }
            try:
                roles.add_user(
                    name,
                    role,
                    str(request.POST.get("password", "")),
                    exempt,
                    sent["email"],
                    sent["clears"].splitlines()[:10],
                    sent["full_name"],
                )
            except roles.RoleError as error:
                problems.append(reportgen.Problem("", None, error.field, str(error), ""))
            else:
                given = ", may see exempt papers" if exempt else ""
                record(request.user, "user added", name, f"role {role}{given}")
                messages.success(request, f"{name} can now sign in.")
                return redirect("users")
        elif action in ("remove", "exempt", "not exempt"):
            try:
                if name == request.user.get_username():
                    raise roles.RoleError("you cannot change your own access here")
                gone = next((p for p in roles.people() if p.name == name), None)
                if action == "remove":
                    roles.remove_user(name)
                else:
                    roles.set_exempt(name, action == "exempt")
            except roles.RoleError as error:
                problems.append(reportgen.Problem("", None, "", str(error), ""))
            else:
                had = ", could see exempt papers" if gone and gone.exempt else ""
                detail = {
                    "exempt": "permission given: may see exempt papers",
                    "not exempt": "permission taken: may not see exempt papers",
                    "remove": f"role {gone.role if gone else ''}{had}",
                }[action]
                action_said = "user removed" if action == "remove" else f"permission: {action}"
                record(request.user, action_said, name, detail)
                messages.success(request, f"{name}: done.")
                return redirect("users")
        else:
            return redirect("users")
    context = {
        "people": roles.people(),
        "roles": roles.ROLES,
        "problems": problems,
        "beside": {p.key: p for p in problems if p.key},
        "sent": sent,
        "may_give_exempt": giver,
        "count": User.objects.count(),
    }
    return render(request, "web/users.html", context, status=422 if problems else 200)
