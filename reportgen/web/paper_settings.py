"""A paper's settings page: its period, meeting, house style, indicators, header labels,
exempt status (only for those who may see exempt papers) and clearance roles in form
controls, and its key points, sections and contacts moved up, down or removed. Every
change is saved the one way a paper's text is saved (`editor.write`): over the paper as
the user opened it, checked, kept as a version and audited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

import reportgen
from reportgen.web import clearing, editor, plain, service, settings_edit
from reportgen.web.models import Clearer
from reportgen.web.settings_edit import LISTS, MONTHS, PARAGRAPHS, Settings

LONGEST = 200  # characters of a label or a choice the form reads; a label prints 30 at most
LABEL_LENGTH = 30  # a label fits the information report's label column


@dataclass(frozen=True)
class Problem:
    """A problem with the form, beside its field (`field`, the id an error links to)."""

    field: str
    what: str
    anchor: str = ""  # where its link goes, when not to the field's id

    @property
    def link(self) -> str:
        return self.anchor or self.field


@dataclass(frozen=True)
class Meeting:
    name: str  # its file's stem
    committee: str
    when: date

    @property
    def said(self) -> str:
        return f"{self.committee}, {self.when.day} {self.when:%B %Y}"


@dataclass(frozen=True)
class Choices:
    """What the form offers: each a list the user chooses from, nothing typed in."""

    templates: list[str]
    meetings: list[Meeting]
    catalogue: list[Any]  # the catalogue's indicators, theme by theme
    others: list[str]  # the indicators the paper names that the catalogue has not
    roles: list[str]  # the paper's clearance roles, then those people hold
    exempt: bool  # the user may make the paper exempt, or not
    words: dict[str, str]  # each house style in an officer's words: "Information report"


def _choices(user: Any, current: Settings, roles: list[settings_edit.Role]) -> Choices:
    """What the form offers the user for the paper: with what the paper has already, also
    where the project no longer has it (so that saving keeps it)."""
    ws = service.workspace()
    catalogue = ws.catalogue()
    ids = {i.id for i in catalogue}
    named = [r.role for r in roles]
    held = sorted(set(Clearer.objects.values_list("role", flat=True)))
    offered = named + [r for r in held if not any(reportgen.same_role(r, n) for n in named)]
    meetings = [
        Meeting(m.name, m.committee, m.date) for m in ws.meetings() if m.readable and m.date
    ]
    styles = {style.name: style.words for style in ws.house_styles()}  # not the agenda's
    templates = sorted({*styles, *([current.template] if current.template else [])})
    others = [i for i in current.indicators if i not in ids]
    exempt = service.may_see_exempt(user)
    return Choices(templates, meetings, catalogue, others, offered, exempt, styles)


@login_required
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest, name: str) -> HttpResponse:
    """The settings page (anyone who may see the paper may look); a POST saves the settings,
    or moves or removes a key point, section or contact (with the edit permission)."""
    if request.method == "POST" and not request.user.has_perm(editor.EDIT):
        raise PermissionDenied  # before the paper is looked for: nothing said of which exist
    found = service.paper_for(request.user, name)
    text = service.text_of(found.path)
    read = settings_edit.read(text)
    if read is None:
        return render(request, "web/paper_settings.html", {"paper": found, "unreadable": True})
    current, roles, _ = read
    choices = _choices(request.user, current, roles)
    if request.method == "GET":
        return _page(request, found, text, choices)
    base = str(request.POST.get("base", ""))
    if not re.fullmatch(r"[0-9a-f]{64}", base):
        messages.error(request, "The settings page was out of date: here it is again.")
        return redirect("paper_settings", name=name)
    action = str(request.POST.get("action", "save"))
    if action in ("up", "down", "remove"):
        return _move(request, found, text, base, action)
    wanted, problems = from_form(request.POST, current, choices)
    if problems:
        sent = {k: str(request.POST.get(f"period-{k}", ""))[:10] for k in ("month", "year")}
        return _page(request, found, text, choices, wanted, problems, sent, base, 422)
    lines = service.workspace().header_labels(wanted.template)
    new = settings_edit.changed(text, wanted, lines)
    if new == text:
        messages.info(request, "Nothing was changed: the settings are as they were.")
        return redirect("paper", name=name)
    what = _what_changed(current, wanted)
    saved = _save(request, found, new, base, f"settings changed: {what}", "change settings")
    if saved is not None:
        return _page(request, found, text, choices, wanted, *saved)
    messages.success(request, f"Settings saved ({what}).")
    return redirect("paper", name=name)


def _move(
    request: HttpRequest, found: reportgen.PaperSummary, text: str, base: str, action: str
) -> HttpResponse:
    """Moves a key point, section or contact up or down, or removes it."""
    key = str(request.POST.get("list", ""))
    index = str(request.POST.get("index", ""))
    new = None
    if key in LISTS and index.isdigit() and len(index) < 5:
        new = settings_edit.moved(text, key, int(index), action)
    if new is None:
        messages.error(
            request,
            "That could not be done: the list may have changed. Here it is as saved now.",
        )
        return redirect("paper_settings", name=found.name)
    word = LISTS[key]
    said = {"up": "moved up", "down": "moved down", "remove": "removed"}[action]
    note = f"{word} {int(index) + 1} {said}"
    saved = _save(request, found, new, base, note, f"{word} {said}")
    if saved is not None:
        read = settings_edit.read(text)
        assert read is not None
        return _page(request, found, text, _choices(request.user, read[0], read[1]), None, *saved)
    if action == "remove":
        messages.success(
            request,
            f"{word.capitalize()} {int(index) + 1} is removed. Its words are kept in the "
            "paper's versions.",
        )
    else:
        messages.success(request, f"{word.capitalize()} {int(index) + 1} is {said}.")
    return redirect(reverse("paper_settings", args=[found.name]) + f"#{key}")


def _save(
    request: HttpRequest,
    found: reportgen.PaperSummary,
    text: str,
    base: str,
    note: str,
    action: str,
) -> tuple[list[Problem], dict[str, str], str, int] | None:
    """Saves `text` through the one save path; None when saved, else the problems to show
    with the page, and the digest and status it is shown with."""
    try:
        written = editor.write(request, found, text, base, note, action, note)
    except reportgen.ReportgenError as error:
        problems = [Problem("settings", _said(p)) for p in error.problems]
        lead = Problem(
            "settings", "The paper would have problems after this change, so nothing was saved"
        )
        return [lead, *problems], {}, base, 422
    if isinstance(written, reportgen.Conflict):
        said = (
            "Someone else saved this paper while you had its settings open, so nothing was "
            "changed. The page now shows the paper as they saved it: make your change again."
        )
        return [Problem("settings", said)], {}, service.digest(written.current), 409
    count = len(written.warnings)
    if count:
        messages.warning(
            request,
            f"The paper has {count} warning{'s' if count != 1 else ''}: see them in the "
            "editor before it goes to committee.",
        )
    if clearing.ask_again_if_changed(request.user, found):
        messages.warning(
            request,
            "The paper had been cleared: its clearance is now out of date, and the clearers "
            "have been asked again.",
        )
    return None


def _said(problem: reportgen.Problem) -> str:
    """A library's problem in an officer's words: the box it is in, what, and the fix."""
    where = f"{plain.field(str(problem.key))}: " if problem.key else ""
    fix = f" — {plain.words(problem.fix)}" if problem.fix else ""
    return f"{where}{plain.words(problem.what)}{fix}"


def from_form(
    form: QueryDict, current: Settings, choices: Choices
) -> tuple[Settings, list[Problem]]:
    """The settings the form asks for, and every problem with it (in the form's order).
    Only what the form offers is taken: a value from no list is a problem, and the
    exempt fields are read only from a user who may see exempt papers."""
    problems: list[Problem] = []

    def one(key: str) -> str:
        return str(form.get(key, ""))[: LONGEST + 1]

    month, year = one("period-month"), one("period-year").strip()
    if not (month.isdigit() and 1 <= int(month) <= 12):
        problems.append(Problem("period-month", "Choose the month the figures are as at"))
    if not (re.fullmatch(r"\d{4}", year) and 1900 <= int(year) <= 2199):
        problems.append(Problem("period-year", "Enter the year as 4 digits, for example 2010"))
    period = f"{year}-{int(month):02d}" if month.isdigit() and len(month) < 3 else current.period
    committee, when = current.committee, current.meeting_date
    meeting = one("meeting")
    if meeting != "current":
        chosen = next((m for m in choices.meetings if m.name == meeting), None)
        if chosen is None:
            problems.append(Problem("meeting", "Choose a meeting from the list"))
        else:
            committee, when = chosen.committee, chosen.when
    template = one("template")
    if template not in choices.templates:
        problems.append(Problem("template", "Choose a house style from the list"))
        template = current.template
    known = {i.id for i in choices.catalogue} | set(choices.others)
    asked = list(dict.fromkeys(str(i) for i in form.getlist("indicators")))
    strange = [i for i in asked if i not in known]
    if strange or len(asked) > len(known):
        first = [*(i.id for i in choices.catalogue), *choices.others][:1]
        said = "Choose indicators from the list: one chosen is not in the catalogue"
        problems.append(Problem("indicators", said, "".join(f"indicator-{i}" for i in first)))
    labels: dict[str, str] = {}
    for key, house in service.workspace().header_labels(template).items():
        words = one(f"label-{key}").strip().removesuffix(":").strip()
        if "\n" in words or "\r" in words:
            problems.append(Problem(f"label-{key}", f"The label for {house} must be one line"))
        elif len(words) > LABEL_LENGTH:
            problems.append(
                Problem(
                    f"label-{key}",
                    f"The label for {house} must be {LABEL_LENGTH} characters or fewer, to fit "
                    "the header's label column",
                )
            )
        if words:
            labels[key] = words  # shown again as typed when refused
    exempt, paragraph = current.exempt, current.paragraph
    if choices.exempt:
        exempt, paragraph = _exempt(one("exempt"), one("exempt-paragraph"), problems)
    else:
        exempt = None  # not theirs to change: whatever the form sent is not read
    roles = list(dict.fromkeys(str(r) for r in form.getlist("roles")))
    if any(r not in choices.roles for r in roles):
        problems.append(Problem("roles", "Choose clearance roles from the list"))
        roles = [r for r in roles if r in choices.roles]
    gone = [r for r in current.recorded if r.role not in roles]
    if gone and one("remove-recorded") != "yes":
        who = gone[0]
        when_said = f" on {who.when.day} {who.when:%B %Y}" if isinstance(who.when, date) else ""
        problems.append(
            Problem(
                "remove-recorded",
                f"{who.name} cleared the paper as {who.role}{when_said}, recorded by hand. To "
                "remove that clearance, tick “Yes, remove the clearance recorded by hand” and "
                "save again",
            )
        )
    wanted = Settings(
        period,
        committee,
        when,
        template,
        tuple(i for i in asked if i in known),
        labels,
        exempt,
        paragraph,
        tuple(roles),
        current.recorded,
    )
    return wanted, problems


def _exempt(said: str, paragraph: str, problems: list[Problem]) -> tuple[bool, int | None]:
    if said not in ("yes", "no"):
        problems.append(Problem("exempt", "Choose whether the paper is exempt from publication"))
        return False, None
    if said == "no":
        return False, None
    if paragraph.isdigit() and int(paragraph) in PARAGRAPHS:
        return True, int(paragraph)
    problems.append(
        Problem("exempt-paragraph", "Choose the paragraph of Schedule 12A the exemption relies on")
    )
    return True, None


def _what_changed(current: Settings, wanted: Settings) -> str:
    """The settings changed, in words: "period, indicators"."""
    pairs = [
        ("period", current.period, wanted.period),
        (
            "meeting",
            (current.committee, current.meeting_date),
            (wanted.committee, wanted.meeting_date),
        ),
        ("house style", current.template, wanted.template),
        ("indicators", current.indicators, wanted.indicators),
        ("header labels", current.labels, wanted.labels),
        (
            "exempt",
            (current.exempt, current.paragraph),
            (current.exempt, current.paragraph)
            if wanted.exempt is None
            else (wanted.exempt, wanted.paragraph),
        ),
        ("clearance roles", current.roles, wanted.roles),
    ]
    return ", ".join(word for word, old, new in pairs if old != new) or "layout"


def _page(
    request: HttpRequest,
    found: reportgen.PaperSummary,
    text: str,
    choices: Choices,
    wanted: Settings | None = None,
    problems: list[Problem] | None = None,
    sent: dict[str, str] | None = None,
    base: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page, with the settings as the file has them (or as the form sent them back,
    with its problems beside their fields)."""
    read = settings_edit.read(text)
    assert read is not None
    current, roles, lists = read
    shown = wanted or current
    if status == 409:  # the paper as someone else saved it
        text = service.text_of(found.path)
        again = settings_edit.read(text)
        if again is not None:
            shown, roles, lists = again[0], again[1], again[2]
    ws = service.workspace()
    places = ws.template_places(shown.template)
    recorded = {r.role: r for r in roles if r.recorded}
    themes: dict[str, list[dict[str, Any]]] = {}
    for indicator in choices.catalogue:
        themes.setdefault(indicator.theme or "Other indicators", []).append(
            {
                "id": indicator.id,
                "title": indicator.title,
                "checked": indicator.id in shown.indicators,
            }
        )
    for other in choices.others:
        themes.setdefault("Not in the catalogue", []).append(
            {"id": other, "title": other, "checked": other in shown.indicators}
        )
    meeting = next(
        (
            m.name
            for m in choices.meetings
            if (m.committee, m.when) == (shown.committee, shown.meeting_date)
        ),
        "current",
    )
    problems = problems or []
    beside = {p.field.replace("-", "_"): p.what for p in problems}
    context = {
        "paper": found,
        "base": base or service.digest(text),
        "settings": shown,
        "month": (sent or {}).get("month") or str(shown.month or ""),
        "year": (sent or {}).get("year", shown.year),
        "months": list(enumerate(MONTHS, start=1)),
        "meetings": choices.meetings,
        "meeting": meeting,
        "templates": [(t, choices.words.get(t, t)) for t in choices.templates],
        "themes": list(themes.items()),
        "labels": [
            {
                "key": k,
                "house": h,
                "value": shown.labels.get(k, ""),
                "error": beside.get(f"label_{k}"),
            }
            for k, h in ws.header_labels(shown.template).items()
        ],
        "may_exempt": choices.exempt,
        "paragraphs": list(PARAGRAPHS.items()),
        "roles": [
            {"role": r, "checked": r in shown.roles, "recorded": recorded.get(r)}
            for r in choices.roles
        ],
        "lists": _lists(found, lists, places),
        "problems": problems,
        "beside": beside,
    }
    return render(request, "web/paper_settings.html", context, status=status)


def _lists(
    found: reportgen.PaperSummary, lists: dict[str, list[settings_edit.Entry]], places: Any
) -> list[dict[str, Any]]:
    """The key points, sections and contacts, each list shown where the template prints it
    or it has entries, with where the editor's empty box for a new one is."""
    shown = []
    printed = {
        "key_points": {"key_points"},
        "sections": {"sections"},
        "contacts": {"contacts", "contact_officer"},
    }
    new_box = {
        "key_points": "key_points-{}",
        "sections": "sections-{}-heading",
        "contacts": "contacts-{}-name",
    }
    for key, word in LISTS.items():
        entries = lists[key]
        if places is not None and not entries and not places & printed[key]:
            continue
        where = reverse("paper", args=[found.name]) + "#" + new_box[key].format(len(entries))
        shown.append(
            {
                "key": key,
                "word": word,
                "heading": f"{word.capitalize()}s",
                "entries": entries,
                "add": where,
            }
        )
    return shown
