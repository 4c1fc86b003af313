"""The clerk's pages: the meetings, and the editor of a meeting's agenda, saved as the
meeting file in `data/meetings/` that `reportgen pack` reads. A paper the user may not see
(exempt, without the permission) is shown only as withheld, never named, and kept as it
was; its problems are told only as withheld too."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import reportgen
from reportgen.web import meetings, plain, publishing, service, tasks
from reportgen.web.audit import record
from reportgen.web.models import Job

MEETINGS = "web.run_meetings"
SUPPLIED = (".pdf", ".docx")
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")


@login_required
@permission_required(MEETINGS, raise_exception=True)
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Every meeting file, by date, latest first."""
    found = service.workspace().meetings()
    return render(request, "web/meetings.html", {"meetings": list(reversed(found))})


@login_required
@permission_required(MEETINGS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, name: str | None = None) -> HttpResponse:
    """A meeting's agenda in a form: the header, and the items in order. Buttons add,
    remove and move items without saving; "Save meeting" checks the file as `reportgen
    check` does and saves it only with no problems."""
    summary = _summary(name) if name else None
    path = summary.path if summary else None
    saved = service.text_of(path) if path is not None else None
    visible = _papers(request)
    if request.method == "GET":
        form = meetings.from_text(saved, visible) if saved is not None else _new()
        job = str(request.GET.get("job", ""))
        return _editor(
            request,
            summary,
            form,
            service.digest(saved or ""),
            job=job if summary and _owned(request, summary, job) else "",
        )
    form = meetings.from_post({k: str(v) for k, v in request.POST.items()})
    base = str(request.POST.get("base", ""))
    action = str(request.POST.get("action", "save"))
    if action != "save":
        return _editor(request, summary, meetings.changed(form, action), base)
    problems = _refused(form, visible) + _kept(form, saved, visible)
    if path is None:
        path, problem = _new_path(form)
        problems += [problem] if problem else []
    dated = [p for p in problems if p.key == "date"]  # the date typed: told with the rest
    if len(problems) > len(dated):
        return _editor(request, summary, form, base, problems, status=422)
    text = meetings.to_text(form, saved, visible)
    checked = _withheld(_checked(path, text), form, request)
    problems = dated + [p for p in checked if not (dated and p.key.startswith("date"))]
    if problems:
        return _editor(request, summary, form, base, problems, status=422)
    where = service.relative(path)
    service.ensure_first_version(path)
    try:
        service.workspace().save_meeting(path, text, expected=base)
    except reportgen.Conflict:
        service.keep_version(
            where, text.encode(), request.user, "not saved: changed meanwhile", True
        )
        record(request.user, "save refused", where, "changed by someone else meanwhile")
        messages.error(
            request,
            "Not saved: someone else changed this meeting since you opened it. Here is the "
            "meeting as it is now; make your changes again. Yours are kept as a version, "
            "not in the meeting file.",
        )
        return redirect("meeting", name=path.stem)
    service.keep_version(where, text.encode(), request.user, "saved")
    record(request.user, "save meeting", where)
    messages.success(request, "Saved. Build the agenda pack when the agenda is ready.")
    return redirect("meeting", name=path.stem)


@login_required
@permission_required(MEETINGS, raise_exception=True)
@require_POST
def supplied(request: HttpRequest, name: str) -> HttpResponse:
    """Uploads a supplied paper (.pdf or .docx) to `data/meetings/supplied/`, checked first;
    an item of the meeting can then name it."""
    summary = _summary(name)
    upload = request.FILES.get("paper")
    try:
        if upload is None:
            raise reportgen.InputError(
                [reportgen.Problem("", None, "paper", "choose a file to upload", "a .pdf or .docx")]
            )
        if upload.size > 2 * reportgen.MAX_SUPPLIED:  # not read at all: far too large
            raise reportgen.InputError(
                [reportgen.Problem("", None, "paper", "is over 20 MB", "upload a smaller file")]
            )
        added = service.workspace().add_supplied(str(upload.name), upload.read())
    except reportgen.ReportgenError as error:
        saved = service.text_of(summary.path)
        form = meetings.from_text(saved, _papers(request))
        return _editor(request, summary, form, service.digest(saved), error.problems, status=422)
    record(request.user, "upload supplied paper", service.relative(added))
    messages.success(request, f"{added.name} is uploaded. Choose it for an item below.")
    return redirect("meeting", name=name)


@login_required
@permission_required(MEETINGS, raise_exception=True)
@require_POST
def pack(request: HttpRequest, name: str) -> HttpResponse:
    """Starts building the meeting's agenda packs in the background; the answer is the
    progress, which asks again until the job has finished."""
    found = _summary(name)
    where = service.relative(found.path)
    job = tasks.start(request.user, Job.PACK, where, False)
    tasks.build_pack(where, job)
    record(request.user, "build pack", where)
    return _pack(request, found, _job(request, found, job))


@login_required
@permission_required(MEETINGS, raise_exception=True)
@require_POST
def publish(request: HttpRequest, name: str) -> HttpResponse:
    """Publishes the meeting in the background (packs, snapshots, the public copy) once
    every paper on its agenda is cleared; or, when the clerk overrides, with the reason
    kept in the audit log."""
    found = _summary(name)
    where = service.relative(found.path)
    waiting = [p for p in publishing.clearance_of(request.user, found) if not p.cleared]
    override = request.POST.get("override") == "yes"
    reason = str(request.POST.get("reason", "")).strip()[:400]
    problems = []
    if waiting and not override:
        problems.append(
            reportgen.Problem(
                "",
                None,
                "publish",
                f"{len(waiting)} paper{'s are' if len(waiting) != 1 else ' is'} not cleared",
                "ask for clearance and wait for it, or publish without it and say why",
            )
        )
    elif waiting and not reason:
        problems.append(
            reportgen.Problem(
                "", None, "reason", "Say why you are publishing without clearance", ""
            )
        )
    if problems:
        saved = service.text_of(found.path)
        form = meetings.from_text(saved, _papers(request))
        return _editor(request, found, form, service.digest(saved), problems, status=422)
    if waiting:  # an exempt paper's name in it: for those who may see exempt papers
        said = "; ".join(f"{p.name or 'withheld paper'}: {p.words}" for p in waiting)
        exempt = any(p.name in _exempt_names() for p in waiting)
        detail = f"{reason} ({said})"[:500]
        record(request.user, "publish without clearance", where, detail, exempt=exempt)
    # "publish" goes in the audit log when the job has published (or "publish failed").
    job = tasks.start(request.user, Job.PUBLISH, where, False)
    replace_earlier = request.POST.get("replace") == "yes"
    tasks.build_pack(where, job, True, replace_earlier, request.user.get_username())
    return redirect(f"{reverse('meeting', args=[name])}?job={job}#pack")


@login_required
@permission_required(MEETINGS, raise_exception=True)
@require_GET
def pack_status(request: HttpRequest, name: str, job: str) -> HttpResponse:
    found = _summary(name)
    return _pack(request, found, _job(request, found, job))


def _job(request: HttpRequest, found: reportgen.MeetingSummary, job: str) -> Job:
    """The user's own pack or publishing `job` of the meeting; 404 otherwise, the same
    answer for a job of another meeting or user as for one that does not exist."""
    owned = tasks.owned(request.user, job, (Job.PACK, Job.PUBLISH), service.relative(found.path))
    if owned is None:
        raise Http404("no such job")
    return owned


def _owned(request: HttpRequest, found: reportgen.MeetingSummary, job: str) -> bool:
    kinds = (Job.PACK, Job.PUBLISH)
    return tasks.owned(request.user, job, kinds, service.relative(found.path)) is not None


def _exempt_names() -> set[str]:
    return {p.name for p in service.workspace().papers() if p.exempt}


@login_required
@permission_required(MEETINGS, raise_exception=True)
@require_GET
def pack_file(request: HttpRequest, name: str, file: str) -> HttpResponse:
    """A pack as built; an exempt pack only for those who may see exempt papers (to
    anyone else it does not exist)."""
    for path in _packs(request, _summary(name)):
        if path.name == file:
            exempt = path.name.startswith("exempt-")
            if exempt:
                record(request.user, "download exempt pack", service.relative(path), exempt=True)
            response = FileResponse(
                path.open("rb"), as_attachment=True, content_type="application/pdf", filename=file
            )
            if exempt:  # kept out of every cache: the browser's, a proxy's
                response["Cache-Control"] = "no-store, private"
            return response
    raise Http404("no such pack")


def _pack(request: HttpRequest, found: reportgen.MeetingSummary, job: Job) -> HttpResponse:
    state = tasks.pack_state(job)
    problems: list[reportgen.Problem] = []
    if state.problems:  # the form says which items are withheld from the user
        form = meetings.from_text(service.text_of(found.path), _papers(request))
        problems = _withheld(list(state.problems), form, request)
    context = {
        "meeting": found,
        "job": job.id,
        "state": state,
        "problems": problems,
        "packs": _links(_packs(request, found)) if state.packs else [],
    }
    return render(request, "web/_pack.html", context)


@dataclass(frozen=True)
class PackLink:
    name: str
    label: str
    built: datetime


def _links(paths: list[Path]) -> list[PackLink]:
    """Each pack as the page offers it: what it is, and when it was built."""

    def label(name: str) -> str:
        kind = "Supplementary pack" if "supplementary" in name else "Public pack"
        return "Exempt pack (not for publication)" if name.startswith("exempt-") else kind

    zone = timezone.get_current_timezone()
    return [
        PackLink(p.name, label(p.name), datetime.fromtimestamp(p.stat().st_mtime, zone))
        for p in paths
    ]


def _packs(request: HttpRequest, found: reportgen.MeetingSummary) -> list[Path]:
    """The meeting's packs the user may have: the exempt ones only with the permission."""
    exempt = service.may_see_exempt(request.user)
    return [
        path
        for path in service.workspace().packs_of(found)
        if exempt or not path.name.startswith("exempt-")
    ]


def _summary(name: str) -> reportgen.MeetingSummary:
    """The meeting of that name, among the project's; 404 otherwise."""
    for found in service.workspace().meetings():
        if found.name == name:
            return found
    raise Http404("no such meeting")


def _new() -> meetings.MeetingForm:
    return meetings.MeetingForm(
        items=[
            meetings.Item("title", "Apologies for absence"),
            meetings.Item("title", "Declarations of interest"),
        ]
    )


def _new_path(form: meetings.MeetingForm) -> tuple[Path, reportgen.Problem | None]:
    """The file a new meeting is saved as: its date and committee, as the example's."""
    slug = re.sub(r"[^a-z0-9]+", "-", form.committee.lower()).strip("-")[:80]
    path = service.root() / "data" / "meetings" / f"{form.date}-{slug}.yaml"
    if not _NAME.fullmatch(path.stem) or not form.committee or not form.date:
        return path, None  # the check says what is missing
    if path.exists():
        problem = reportgen.Problem(
            "",
            None,
            "committee",
            "this committee already has a meeting on that date",
            "open it from the list of meetings, or give another date",
        )
        return path, problem
    return path, None


def _papers(request: HttpRequest) -> dict[str, reportgen.PaperSummary]:
    return {paper.name: paper for paper in service.visible_papers(request.user)}


def _supplied() -> list[str]:
    """The supplied papers a meeting may name, from the meeting files' folder."""
    folder = service.root() / "data" / "meetings"
    if not folder.is_dir():
        return []
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.suffix.lower() in SUPPLIED and p.is_file() and not p.is_symlink()
    )


def _refused(form: meetings.MeetingForm, visible: dict[str, Any]) -> list[reportgen.Problem]:
    """What the form asks that the editor does not offer: a paper not in the list, a
    file not among the supplied ones."""
    problems = []
    if form.date_problem:  # the Day, Month and Year boxes are not a date
        problems.append(reportgen.Problem("", None, "date", form.date_problem, ""))
    supplied = set(_supplied())
    for number, item in enumerate(form.items, 1):
        if item.kind == "paper" and item.paper not in visible:
            problems.append(
                reportgen.Problem(
                    "", None, f"item {number} paper", "no paper chosen", "choose one from the list"
                )
            )
        if item.kind == "file" and item.file not in supplied:
            problems.append(
                reportgen.Problem(
                    "",
                    None,
                    f"item {number} file",
                    "no supplied file chosen",
                    "choose one from the list of supplied papers",
                )
            )
    return problems


def _kept(
    form: meetings.MeetingForm, saved: str | None, visible: dict[str, Any]
) -> list[reportgen.Problem]:
    """A paper withheld from the user stays on the agenda: whoever may not see it may move
    it, not remove it (nor put it there twice)."""
    if saved is None:
        return []
    withheld = [i.kept for i in meetings.from_text(saved, visible).items if i.kind == "withheld"]
    sent = [i.kept for i in form.items if i.kind == "withheld"]
    if sorted(sent, key=str) == sorted(withheld, key=str):
        return []
    what = "a paper withheld from you cannot be removed or repeated here"
    fix = "ask someone who may see exempt papers to change that item"
    return [reportgen.Problem("", None, "", what, fix)]


def _checked(path: Path, text: str) -> list[reportgen.Problem]:
    try:
        service.workspace().check([path], texts={path: text})
    except reportgen.ReportgenError as error:
        return list(error.problems)
    return []


def _withheld(
    problems: list[reportgen.Problem], form: meetings.MeetingForm, request: HttpRequest
) -> list[reportgen.Problem]:
    """The problems, with those of papers the user may not see told only as withheld:
    not their file, words or key."""
    visible = _papers(request)
    unseen = {
        service.relative(paper.path)
        for paper in service.workspace().papers()
        if paper.name not in visible
    }
    hidden = {n for n, item in enumerate(form.items, 1) if item.kind == "withheld"}
    shown = []
    for problem in problems:
        found = re.match(r"item (\d+)", problem.key or "")
        in_paper = str(problem.file) in unseen
        if in_paper or (found and int(found.group(1)) in hidden):
            number = f" {found.group(1)}" if found and not in_paper else ""
            problem = reportgen.Problem(
                "",
                None,
                f"item{number}".strip() if number else "",
                "a paper withheld from you has a problem",
                "ask someone who may see exempt papers to look at it",
            )
        if problem not in shown:
            shown.append(problem)
    return shown


def _said(problem: reportgen.Problem) -> str:
    """A problem beside its field: what is wrong and the fix, in an officer's words."""
    said = plain.words(problem.what)
    said = said[:1].upper() + said[1:]
    return f"{said} — {plain.words(problem.fix)}" if problem.fix else said


def _editor(
    request: HttpRequest,
    summary: reportgen.MeetingSummary | None,
    form: meetings.MeetingForm,
    base: str,
    problems: list[reportgen.Problem] | None = None,
    status: int = 200,
    job: str = "",
) -> HttpResponse:
    header, items = meetings.problems_by_place(problems or [])
    papers = _papers(request)
    cleared = publishing.clearance_of(request.user, summary) if summary else []
    listing = publishing.published_listing(summary) if summary else None
    context = {
        "name": summary.name if summary else None,
        "job": job,  # a publishing job just started: the page asks after it
        "clearance": cleared,
        "all_cleared": all(p.cleared for p in cleared),
        "reason_problems": [p for p in problems or [] if p.key == "reason"],
        "publish_refused": any(p.key in ("publish", "reason") for p in problems or []),
        "listing": listing,
        "published_before": listing is not None,
        "override": request.POST.get("override") == "yes",
        "reason": str(request.POST.get("reason", "")),
        "form": form,
        "when": meetings.date_of(form.date),
        "packs": _links(_packs(request, summary)) if summary else [],
        "base": base,
        "problems": problems or [],
        "header_problems": header,
        "date_problem": "; ".join(_said(p) for p in header.get("date", [])),
        "date_wrong": form.date_wrong or ("day", "month", "year"),
        "rows": [
            {"number": number, "item": item, "problems": items.get(number, [])}
            for number, item in enumerate(form.items, 1)
        ],
        "papers": sorted(
            papers.values(), key=lambda p: (p.meeting_date is None, p.meeting_date, p.name)
        ),
        "supplied": _supplied(),
        "most": meetings.MOST_ITEMS,
    }
    return render(request, "web/meeting.html", context, status=status)
