"""The editor: a paper's text boxes with live checks and previews, saving (the one way a
paper's text is saved, for an edit and a restore alike), and its versions. Each view
checks who may see what before it touches a file; papers are found by name among those
the user may see, never by a path from the request."""

from __future__ import annotations

import difflib
import re
from html import escape
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import reportgen
from reportgen import tokens
from reportgen.web import clearing, editing, service, wording
from reportgen.web.audit import record
from reportgen.web.models import Version

EDIT = "web.edit_papers"


def _editor(
    request: HttpRequest,
    paper: reportgen.PaperSummary,
    text: str,
    base: str,
    problems: list[reportgen.Problem] | None = None,
    warnings: list[reportgen.Problem] | None = None,
    status: int = 200,
    conflict: str | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    # A text not read as a paper's at all (see Workspace.refused) has no figures to show.
    readable = not service.workspace().refused(paper.path, text)
    figures = _figures(paper, text) if readable else []
    placed = _placed(text, problems or [], warnings or [])
    shows = {_bare(f.expression): f.shows for f in figures}
    if readable:
        shows |= _values(paper, text, placed["boxes"], shows)
    for item in placed["boxes"]:
        box = item["box"]
        item["rich"] = None if box.line or not box.figures else rich_html(box.text, shows)
    listed = [
        {"expression": f.expression, "shows": f.shows, "title": f.title, "label": label}
        for f in figures
        for label in [_label(tokens.parts(f.expression)[0], shows)]
    ]
    context = {
        **placed,
        "paper": paper,
        "text": text,
        "base": base,
        "figures": listed,
        "conflict": conflict,
        "clearance_panel": clearing.panel(paper, request.user),
        **(extra or {}),
    }
    return render(request, "web/paper.html", context, status=status)


def _figures(paper: reportgen.PaperSummary, text: str) -> list[reportgen.LiveFigure]:
    try:
        return service.workspace().live_figures(paper.path, text)
    except reportgen.ReportgenError:
        return []


def _values(
    paper: reportgen.PaperSummary, text: str, boxes: list[dict[str, Any]], known: dict[str, str]
) -> dict[str, str]:
    """What the boxes' other live figures show today (`{{ NI59.rank | ordinal }}`, `{{
    authority.short_name }}`), by bare expression, for their tokens' labels; a number
    written as typed (`{{ "85%" }}`) is said as such, not worked out."""

    def figures_in(found: tuple[tokens.Part, ...]) -> list[str]:
        sources = []
        for part in found:
            if part.kind in tokens.MARKERS:
                sources += figures_in(part.inside)
            elif part.kind == "figure":
                sources.append(part.source)
        return sources

    wanted = {
        source
        for item in boxes
        if not item["box"].line and item["box"].figures
        for source in figures_in(tokens.parts(item["box"].text))
        if _bare(source) not in known
        and not tokens.readable(tokens.parts(source)[0]).endswith(", as typed")
    }
    if not wanted:
        return {}
    try:
        found = service.workspace().figure_values(paper.path, text, sorted(wanted))
    except reportgen.ReportgenError:
        return {}
    return {_bare(expression): shown for expression, shown in found.items()}


def _bare(expression: str) -> str:
    """A figure's expression without its braces and spaces: `{{NI59.latest}}` and
    `{{ NI59.latest }}` are one figure."""
    return "".join(expression.removeprefix("{{").removesuffix("}}").split())


def rich_html(text: str, shows: dict[str, str]) -> SafeString:
    """A box's words as the rich editor shows them (editor.js turns them back into the
    text): each live figure a token labelled with what it is and, where the picker
    knows it, what it shows today ("NI 59 latest: 93%"); emphasis as emphasis."""
    return mark_safe("".join(_html(part, shows) for part in tokens.parts(text)))


def _html(part: tokens.Part, shows: dict[str, str]) -> str:
    if part.kind == "text":
        return escape(part.source)
    if part.kind in tokens.MARKERS:
        tag = "strong" if part.kind == "bold" else "em"
        return f"<{tag}>{''.join(_html(p, shows) for p in part.inside)}</{tag}>"
    return (
        f'<span class="figure-token figure-token--{part.kind}" contenteditable="false" '
        f'data-source="{escape(part.source)}">{escape(_label(part, shows))}</span>'
    )


def _label(part: tokens.Part, shows: dict[str, str]) -> str:
    """A token's words: the figure in words with what it shows today where the picker
    knows it ("NI 59 latest: 93%"), else the figure in words."""
    words = tokens.readable(part)
    shown = shows.get(_bare(part.source)) if part.kind == "figure" else None
    if part.kind == "code" or words.endswith(", as typed"):
        return words
    return f"{words}: {shown}" if shown is not None else f"Live figure: {words}"


def _placed(
    text: str, problems: list[reportgen.Problem], warnings: list[reportgen.Problem]
) -> dict[str, Any]:
    """The form's boxes for `text`, each with its problems and warnings beside it; those
    of no box go at the top (`general`)."""
    boxes = editing.boxes(text, service.workspace().template_places)
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
        "warnings": warnings,
        "general": general,
    }


@login_required
@require_GET
def paper(request: HttpRequest, name: str) -> HttpResponse:
    """The editor: each text box with its problems and warnings, the live figures to insert,
    the previews. A draft is its author's: they see their words, others that it exists."""
    found = service.paper_for(request.user, name)
    text = service.text_of(found.path)
    base = service.digest(text)
    where = service.relative(found.path)
    drafts = service.drafts_of(where)
    own = next((d for d in drafts if d.author_id == request.user.pk), None)
    if own is not None:
        text = own.text
    others = sorted({d.author_name or "Someone" for d in drafts if d.author_id != request.user.pk})
    checked = service.workspace().check_text(found.path, text)
    context = {"draft": own, "other_drafts": others}
    return _editor(request, found, text, base, checked.problems, checked.warnings, extra=context)


@login_required
@permission_required(EDIT, raise_exception=True)
@require_POST
def discard(request: HttpRequest, name: str) -> HttpResponse:
    """Discards the user's own draft of the paper (their unsaved words); the paper itself,
    and anyone else's draft, are unchanged."""
    found = service.paper_for(request.user, name)
    where = service.relative(found.path)
    mine = [d for d in service.drafts_of(where) if d.author_id == request.user.pk]
    if mine:
        Version.objects.filter(pk__in=[d.pk for d in mine]).delete()
        record(request.user, "discard draft", where, exempt=found.exempt)
        messages.success(request, "Your draft is discarded. This is the paper as saved.")
    return redirect("paper", name=name)


def edited_text(request: HttpRequest, found: reportgen.PaperSummary) -> str:
    """The narrative as the form has it: raw YAML from the raw view, else the text the
    officer opened with the boxes put in; its line endings those of the file as saved."""
    saved = service.text_of(found.path)
    if "raw" in request.POST:
        return editing.as_saved(str(request.POST["raw"]), saved)
    start = editing.as_saved(str(request.POST.get("start", "")) or saved, "")
    edited = editing.apply(start, {k: str(v) for k, v in request.POST.items()})
    return editing.as_saved(edited, saved)


@login_required
@permission_required(EDIT, raise_exception=True)
@require_POST
def check(request: HttpRequest, name: str) -> HttpResponse:
    """Live validation while typing: every problem beside its box, in the CLI's words."""
    found = service.paper_for(request.user, name)
    text = edited_text(request, found)
    checked = service.workspace().check_text(found.path, text)
    return render(request, "web/_checked.html", _placed(text, checked.problems, checked.warnings))


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
    text = edited_text(request, found)
    if "draft" in request.POST:
        problems = service.workspace().check_text(found.path, text).problems
        keep(request, found, text, "save draft", "draft", draft=True, problems=len(problems))
        messages.success(
            request,
            "Draft saved. It is kept here; the paper itself is unchanged until you save it "
            "without problems.",
        )
        return redirect("paper", name=name)
    # The library checks the text as it saves it (once: a live check of it is kept).
    try:
        written = write(request, found, text, base, "saved", "save")
    except reportgen.ReportgenError as error:
        problems = error.problems
    else:
        if isinstance(written, reportgen.Conflict):
            return conflicted(request, found, text, written)
        count = len(written.warnings)
        if count:
            messages.warning(
                request,
                f"Saved, with {count} warning{'s' if count != 1 else ''}: each is shown beside "
                "its box. The paper is saved; check them before it goes to committee.",
            )
        else:
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


def write(
    request: HttpRequest,
    found: reportgen.PaperSummary,
    text: str,
    base: str,
    note: str,
    action: str,
    detail: str = "",
) -> reportgen.Conflict | reportgen.PaperCheck:
    """The one way a paper's text is saved (an edit, a restore): over the paper the user
    saw (`base`, its digest), kept as a version with `note` and audited as `action`. A
    paper changed by someone else meanwhile is not overwritten: the text is kept as a
    draft version, "`action` refused" audited, and the conflict returned. Raises
    InputError, writing nothing, for a text with problems (the library checks it under
    the project's lock)."""
    service.ensure_first_version(found.path)
    try:
        saved = service.workspace().save(found.path, text, expected=base)
    except reportgen.Conflict as conflict:
        note, detail = "not saved: changed meanwhile", "changed by someone else meanwhile"
        keep(request, found, text, f"{action} refused", note, detail, draft=True)
        return conflict
    keep(request, found, text, action, note, detail)
    return saved


def keep(
    request: HttpRequest,
    found: reportgen.PaperSummary,
    text: str,
    action: str,
    note: str,
    detail: str = "",
    *,
    draft: bool = False,
    problems: int = 0,
) -> None:
    """The text kept as a version of the paper with `note` (a draft: kept here only) and
    audited as `action`, marked exempt for an exempt paper."""
    where = service.relative(found.path)
    service.keep_version(where, text.encode(), request.user, note, draft, problems)
    record(request.user, action, where, detail, exempt=found.exempt)


def conflicted(
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
    text = edited_text(request, found)
    stopped = service.workspace().refused(found.path, text)
    if stopped:
        return render(request, "web/_preview.html", {"problems": stopped})
    try:
        shown = service.workspace().preview_html(found.path, text)
    except reportgen.ReportgenError as error:
        return render(request, "web/_preview.html", {"problems": error.problems})
    return render(request, "web/_preview.html", {"html": shown})


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
    """Two versions compared as the paper's words, part by part (the YAML's lines too,
    for analysts)."""
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
    parts = wording.compared(old.text, new.text)
    context = {"paper": found, "old": old, "new": new, "rows": rows, "parts": parts}
    return render(request, "web/diff.html", context)


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
    text, said = old.text, f"version {number}"
    try:
        written = write(request, found, text, base, f"{said} restored", "restore", said)
    except reportgen.ReportgenError as error:
        note = f"{said} restored as a draft"
        problems = len(error.problems)
        keep(request, found, text, "restore as draft", note, said, draft=True, problems=problems)
    else:
        if isinstance(written, reportgen.Conflict):
            return conflicted(request, found, text, written)
        messages.success(request, f"Version {number} is restored, as a new version.")
        if clearing.ask_again_if_changed(request.user, found):
            messages.warning(
                request, "Its clearance is now out of date: the clearers have been asked again."
            )
        return redirect("paper", name=name)
    messages.warning(
        request,
        f"Version {number} has problems with today's data, so it is restored as a draft: "
        "fix them and save.",
    )
    return redirect("paper", name=name)
