"""Publishing a meeting, and the public committee pages.

A clerk publishes a meeting once its papers are cleared (or overrides, with a reason the
audit log keeps): a background job builds the packs, records what each paper printed, and
writes the public copy (`reportgen.publish_meeting`). The public pages need no sign-in and
list only that copy: the public packs and each public item's pages. Exempt papers are
never in it, so they cannot be listed, named or downloaded here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Permission, User
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

import reportgen
from reportgen.web import clearing, meetings, notify, service
from reportgen.web.models import Version


@dataclass(frozen=True)
class PaperClearance:
    """A paper on a meeting's agenda and its clearance, as the clerk's page shows it; a
    paper withheld from the user is shown without its subject or name."""

    label: str
    name: str  # "" when withheld
    cleared: bool
    words: str


def agenda_papers(found: reportgen.MeetingSummary) -> list[reportgen.PaperSummary]:
    """The papers the meeting's items name (every one, whoever is asking)."""
    everything = {p.name: p for p in service.workspace().papers()}
    form = meetings.from_text(service.text_of(found.path), everything)
    return [everything[i.paper] for i in form.items if i.kind == "paper" and i.paper]


def clearance_of(user: Any, found: reportgen.MeetingSummary) -> list[PaperClearance]:
    """Each paper of the meeting with whether it is cleared, for `user`."""
    exempt = service.may_see_exempt(user)
    shown = []
    for paper in agenda_papers(found):
        roles = clearing.states(paper)
        cleared = clearing.is_cleared(roles)
        if roles is None:
            words = "cannot be read: open it to see its problems"
        elif not roles:
            words = "needs no clearance"
        else:
            done = sum(r.cleared for r in roles)
            words = "" if cleared else f"{done} of {len(roles)} roles cleared"
        if paper.exempt and not exempt:
            shown.append(PaperClearance("A paper withheld from you", "", cleared, words))
        else:
            shown.append(PaperClearance(paper.subject, paper.name, cleared, words))
    return shown


def _listings() -> list[dict[str, Any]]:
    """Every meeting's public listing, its publication date as a date."""
    found = []
    for listing in service.workspace().published_meetings():
        try:
            published = date.fromisoformat(str(listing.get("published", "")))
        except ValueError:
            published = None
        found.append({**listing, "published": published})
    return found


def published_listing(found: reportgen.MeetingSummary) -> dict[str, Any] | None:
    """What the public can see of the meeting, once it is published."""
    for listing in _listings():
        if (
            listing["committee"] == found.committee
            and listing["date"] == (found.date.isoformat() if found.date else "")
            and bool(listing.get("supplementary")) == found.supplementary
        ):
            return listing
    return None


def tell_published(meeting: str, by: str) -> None:
    """E-mails the clerks and the authors of the meeting's papers that it is published."""
    summary = next(
        (m for m in service.workspace().meetings() if service.relative(m.path) == meeting),
        None,
    )
    if summary is None or summary.date is None:
        return
    listing = published_listing(summary)
    permission = Permission.objects.get(content_type__app_label="web", codename="run_meetings")
    clerks = User.objects.filter(
        Q(groups__permissions=permission) | Q(user_permissions=permission)
    ).distinct()
    paths = [service.relative(p.path) for p in agenda_papers(summary)]
    authors = User.objects.filter(
        pk__in=Version.objects.filter(path__in=paths, author__isnull=False).values("author")
    )
    where = (
        notify.link("committee", listing["committee_slug"]) if listing else notify.link("meetings")
    )
    notify.send(
        [*clerks, *authors],
        f"Agenda pack published: {summary.committee}, {summary.date:%-d %B %Y}",
        f"The agenda pack of the {summary.committee} on {summary.date:%-d %B %Y} has been "
        f"published{' by ' + by if by else ''}. The public can see it at:\n{where}\n",
        exempt=False,  # it names the meeting and its public page, no paper
    )


# -- the public pages: no sign-in --------------------------------------------------------------


def _committees() -> dict[str, list[dict[str, Any]]]:
    """Each committee (by its slug) with its published meetings, latest first; a meeting's
    supplementary agenda goes with the meeting."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for listing in _listings():
        meeting = found.setdefault(str(listing["committee_slug"]), {}).setdefault(
            listing["folder"],
            {
                "committee": listing["committee"],
                "date": date.fromisoformat(str(listing["date"])),
                "time": listing.get("time", ""),
                "venue": listing.get("venue", ""),
                "folder": listing["folder"],
                "listings": [],
            },
        )
        meeting["listings"].append(listing)
    return {
        slug: sorted(meetings_.values(), key=lambda m: m["date"], reverse=True)
        for slug, meetings_ in found.items()
    }


@require_GET
def committees(request: HttpRequest) -> HttpResponse:
    """Every committee with a published meeting."""
    listed = [
        {"slug": slug, "name": held[0]["committee"], "latest": held[0]["date"], "count": len(held)}
        for slug, held in sorted(_committees().items())
    ]
    return render(request, "web/public_committees.html", {"committees": listed})


@require_GET
def committee(request: HttpRequest, committee: str) -> HttpResponse:
    """A committee's published meetings with their packs and papers."""
    held = _committees().get(committee)
    if not held:
        raise Http404("no such committee")
    return render(
        request,
        "web/public_committee.html",
        {"committee": held[0]["committee"], "slug": committee, "meetings": held},
    )


@require_GET
def public_file(request: HttpRequest, committee: str, meeting: str, file: str) -> HttpResponse:
    """A published pack or paper: only a file its meeting's public listing names."""
    for held in _committees().get(committee, []):
        if held["folder"] != meeting:
            continue
        for listing in held["listings"]:
            named = [*listing.get("packs", []), *listing.get("items", [])]
            if file in _names(named):
                path: Path = service.root() / reportgen.PUBLIC_FOLDER / meeting / file
                return FileResponse(path.open("rb"), content_type="application/pdf", filename=file)
    raise Http404("no such file")


def _names(listed: Iterable[dict[str, Any]]) -> set[str]:
    return {str(entry.get("file", "")) for entry in listed if isinstance(entry, dict)}
