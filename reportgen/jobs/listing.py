"""What the public may see of a published meeting: its public packs (never an exempt
one), each item's pages of the first as a PDF of its own, and the listing of them
(`meeting.json`) that the committee's public page shows."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportgen.jobs.agenda import PackPlan
from reportgen.paper.context import slug
from reportgen.pdf import join

PUBLIC_FOLDER = Path("public")
PUBLIC_LISTING = "meeting.json"


@dataclass(frozen=True)
class Listing:
    files: list[tuple[str, bytes]]  # by file name, in the meeting's public folder
    record: dict[str, Any]  # the listing, as meeting.json holds it


def public_listing(plan: PackPlan, packs: Sequence[tuple[Path, bytes]]) -> Listing:
    """The public packs (never an exempt one) and each item's pages of the first, with the
    listing of them that the committee's public page shows."""
    meeting = plan.meeting
    prefix = "supplementary-" if meeting.supplementary else ""
    files: list[tuple[str, bytes]] = []
    listed_packs, items = [], []
    for path, content in packs:
        if path.name.startswith("exempt-"):
            continue
        files.append((path.name, content))
        title = "Supplementary agenda pack" if meeting.supplementary else "Agenda pack"
        listed_packs.append(
            {
                "file": path.name,
                "title": title,
                "pages": join.pages(content),
                "bytes": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
        )
        for bookmark, first, last in join.sections(content):
            number, _, title = bookmark.removeprefix("Item ").partition(": ")
            name = f"{prefix}item-{int(number):02d}.pdf"
            part = join.extract(content, first, last, bookmark)
            files.append((name, part))
            items.append(
                {
                    "number": int(number),
                    "title": title,
                    "file": name,
                    "first_page": first + 1,
                    "pages": last - first + 1,
                    "bytes": len(part),
                }
            )
    record = {
        "about": "What the public may see of this meeting, recorded by publishing it.",
        "committee": meeting.committee,
        "committee_slug": slug(meeting.committee),
        "date": meeting.date.isoformat(),
        "time": meeting.time,
        "venue": meeting.venue,
        "supplementary": meeting.supplementary,
        "published": date.today().isoformat(),
        "packs": listed_packs,
        "items": items,
    }
    return Listing(files, record)
