"""New paper: next period's paper from one the officer may see, or a blank one in a house
style, in two steps (how to start; then the meeting and the period, suggested from the
paper it starts from). The paper is named by the library from the paper or the house
style: nothing typed here becomes a path. A paper the user may not see answers as one that
does not exist."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

import reportgen
from reportgen.web import editor, service
from reportgen.web.audit import record
from reportgen.web.settings_edit import MONTHS

_STARTS = ("paper", "style")
_PERIOD = re.compile(r"(\d{4})-(\d{2})")
# The field each of the library's problems is about, by the option it names.
_FIELDS = {"meeting": "meeting", "period": "period-month"}  # else the paper started from


@dataclass(frozen=True)
class Error:
    """A problem with the form, as the error summary and the field show it."""

    field: str  # the id of the control it links to
    what: str


@login_required
@permission_required(editor.EDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def new_paper(request: HttpRequest) -> HttpResponse:
    """GET: how to start (a paper to go on from, or a house style), or, once chosen (and
    from a paper's own "New paper from this one"), its meeting and period; POST: the
    paper made, version 1 kept, the editor opened on it."""
    if request.method == "POST":
        return _create(request)
    source = _visible(request, str(request.GET.get("from", "")))
    style = _style(str(request.GET.get("style", "")))
    start = str(request.GET.get("start", ""))
    if start == "paper" and source is None:
        return _start(request, [Error("from", "Choose the paper to start from")], status=422)
    if start == "style" and style is None:
        return _start(request, [Error("style", "Choose the house style")], status=422)
    if start not in ("", "paper", "style"):
        return _start(request, [Error("start-paper", "Choose how to start the paper")], 422)
    if source is not None and start != "style":
        return _details(request, source, None)
    if style is not None:
        return _details(request, None, style)
    return _start(request, [])


def _create(request: HttpRequest) -> HttpResponse:
    """The paper made from the details form, or the form again with what to put right."""
    name = str(request.POST.get("from", ""))
    source = service.paper_for(request.user, name) if name else None  # 404 as for nothing
    style = _style(str(request.POST.get("style", ""))) if source is None else None
    if source is None and style is None:
        return _start(request, [Error("start-paper", "Choose how to start the paper")], 422)
    choices = _choices(source)
    sent = {k: str(request.POST.get(k, "")).strip() for k in ("meeting", "month", "year")}
    meeting = next((m for m in choices.meetings if m.name == sent["meeting"]), None)
    errors: list[Error] = []
    if meeting is None:
        errors.append(Error("meeting", "Choose the meeting the paper is for"))
    period, error = _period(sent["month"], sent["year"])
    errors += [error] if error else []
    if errors or meeting is None or period is None:
        return _details(request, source, style, errors, sent, status=422)
    try:
        made = service.workspace().new_paper(
            source=source.path if source else None,
            template=style.name if style else None,
            meeting=meeting.path,
            period=period,
        )
    except reportgen.InputError as refused:
        said = [Error(_FIELDS.get(p.key, "start"), _sentence(p)) for p in refused.problems]
        return _details(request, source, style, said, sent, status=422)
    where = service.relative(made)
    started = f"from {service.relative(source.path)}" if source else f"blank, {_words(style)}"
    service.keep_version(where, made.read_bytes(), request.user, f"new paper, {started}")
    record(request.user, "new paper", where, started, exempt=bool(source and source.exempt))
    messages.success(request, _started(source, style, meeting, period))
    return redirect("paper", name=made.stem)


def _words(style: reportgen.HouseStyle | None) -> str:
    return style.words if style else ""


def _started(
    source: reportgen.PaperSummary | None,
    style: reportgen.HouseStyle | None,
    meeting: reportgen.MeetingSummary,
    period: str,
) -> str:
    """What the editor says of the paper just started."""
    month = MONTHS[int(period[5:]) - 1]
    when = f"{meeting.committee}, {_long_date(meeting)}, as at {month} {period[:4]}"
    if source is not None:
        return (
            f"New paper started for {when}, with the words of {source.subject}. Its figures "
            f"are now {month}'s: write this period's words, then ask for clearance again."
        )
    return (
        f"New {_words(style).lower()} started for {when}. The problems below list what it "
        "still needs: start with its subject."
    )


def _start(request: HttpRequest, errors: list[Error], status: int = 200) -> HttpResponse:
    """Step one: how to start, from a paper the user may see or in a house style."""
    papers = sorted(
        service.visible_papers(request.user),
        key=lambda p: (p.meeting_date is None, p.meeting_date or timezone.localdate(), p.name),
        reverse=True,
    )
    context = {
        "step": "start",
        "errors": errors,
        "beside": _beside(errors),
        "chosen": start if (start := str(request.GET.get("start", ""))) in _STARTS else "",
        "papers": papers,
        "styles": _choices(None).house_styles,
    }
    return render(request, "web/paper_new.html", context, status=status)


def _details(
    request: HttpRequest,
    source: reportgen.PaperSummary | None,
    style: reportgen.HouseStyle | None,
    errors: list[Error] | None = None,
    sent: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Step two: the meeting and the period, suggested from the paper it starts from."""
    choices = _choices(source)
    if sent is None:
        suggested = _PERIOD.fullmatch(choices.period or "")
        sent = {
            "meeting": choices.meeting.name if choices.meeting else "",
            "month": str(int(suggested.group(2))) if suggested else "",
            "year": suggested.group(1) if suggested else "",
        }
    errors = errors or []
    context = {
        "step": "details",
        "errors": errors,
        "beside": _beside(errors),
        "source": source,
        "style": style,
        "meetings": [
            {"name": m.name, "said": f"{m.committee}, {_long_date(m)}"} for m in choices.meetings
        ],
        "months": list(enumerate(MONTHS, start=1)),
        "sent": sent,
        "next": _said_period(choices.period) if source else "",
    }
    return render(request, "web/paper_new.html", context, status=status)


def _beside(errors: list[Error]) -> dict[str, Error]:
    """The first error of each field, by its id as a template can name it."""
    found: dict[str, Error] = {}
    for error in errors:
        found.setdefault(error.field.replace("-", "_"), error)
    return found


def _visible(request: HttpRequest, name: str) -> reportgen.PaperSummary | None:
    """The paper `name` if the user may see it; None, the same, for one that is exempt."""
    if not name:
        return None
    try:
        return service.paper_for(request.user, name)
    except Http404:
        return None


def _style(name: str) -> reportgen.HouseStyle | None:
    return next((s for s in _choices(None).house_styles if s.name == name), None)


def _choices(source: reportgen.PaperSummary | None) -> reportgen.NewPaperChoices:
    today = timezone.localdate()
    return service.workspace().new_paper_choices(source.path if source else None, today=today)


def _period(month: str, year: str) -> tuple[str | None, Error | None]:
    """The period (`YYYY-MM`) the form gives, or what is wrong with it."""
    if not month.isdigit() or not 1 <= int(month) <= 12:
        return None, Error("period-month", "Choose the month the figures run to")
    if not re.fullmatch(r"\d{4}", year) or not 1900 <= int(year) <= 2199:
        return None, Error("period-year", "Enter the year as 4 digits, for example 2026")
    return f"{int(year)}-{int(month):02d}", None  # digits as typed on any keyboard


def _said_period(period: str | None) -> str:
    found = _PERIOD.fullmatch(period or "")
    if found is None or not 1 <= int(found.group(2)) <= 12:
        return ""
    return f"{MONTHS[int(found.group(2)) - 1]} {found.group(1)}"


def _long_date(meeting: Any) -> str:
    when = meeting.date
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}" if when else ""


def _sentence(problem: reportgen.Problem) -> str:
    """A problem of the library's as one sentence for an officer."""
    what = (
        f"The paper {problem.what}" if problem.file else problem.what[:1].upper() + problem.what[1:]
    )
    return f"{what}: {problem.fix}" if problem.fix else what
