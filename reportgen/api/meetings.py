"""Meetings: agenda packs, publishing papers and meetings (with the public copy the
committee's public pages show), and supplied papers for an agenda's items."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportgen.api import pdfs
from reportgen.api.papers import Papers, add_papers
from reportgen.api.results import PublishedMeeting
from reportgen.errors import InputError, Problem, Problems
from reportgen.inputs.digests import digests
from reportgen.inputs.papers import MeetingSummary
from reportgen.inputs.project import Project
from reportgen.inputs.snapshots import PACKS, PUBLISHED_FOLDER
from reportgen.jobs import agenda, listing, uploads
from reportgen.jobs import build as building
from reportgen.jobs import publish as publishing
from reportgen.jobs.publish import Published
from reportgen.store import MANIFEST, transaction
from reportgen.version import __version__

Progress = pdfs.Progress


class Meetings(Papers):
    """A workspace's meetings and publishing."""

    def publish(
        self,
        paths: Sequence[Path] | None = None,
        out: Path | None = None,
        *,
        replace_earlier: bool = False,
    ) -> list[Published]:
        """Builds papers as final (warnings count as problems), writes them, and records
        what each printed in `data/published/`. A meeting published before with other
        figures is refused unless `replace_earlier` (the earlier snapshot is then kept in a
        `replaced` folder)."""
        out = out or self.root / "out"
        paths = list(paths or [self.root / "data" / "narrative"])
        with self._relative(), transaction(self.root) as writes:
            # Under the lock: the earlier snapshots checked cannot change before the writes.
            project, reports = self._reports(paths, out, [], {})
            built, _ = building.build(project, reports, strict=True, record=True)
            plans = publishing.snapshots(project, built, replace=replace_earlier)
            add_papers(writes, project, built)
            for published in plans:
                if published.replaced is not None:
                    writes.add(published.replaced, published.path.read_bytes())
                if published.snapshot:
                    writes.add(published.path, published.snapshot)
            return plans

    def pack(
        self, meeting: Path, out: Path | None = None, *, progress: Progress | None = None
    ) -> list[Path]:
        """The meeting's agenda pack as one PDF: a front sheet listing the items, then each
        item's paper in order, bookmarked, page numbers stamped through it; exempt papers
        only in a separate exempt pack. Returns the files written, under OUT/<meeting>/."""
        project, plan = self._planned(meeting, out or self.root / "out")
        packs = self._packed(project, plan, progress)
        return [*(path for path, _ in packs), plan.folder / MANIFEST]

    def _planned(self, meeting: Path, out: Path) -> tuple[Project, agenda.PackPlan]:
        def plan(project: Project | None, problems: Problems) -> agenda.PackPlan | None:
            return agenda.plan_pack(project, meeting, out, problems)

        project, planned = self._load(plan, lambda problems: plan(None, problems))
        assert planned is not None, "plan_pack reports why when it returns None"
        return project, planned

    def _packed(
        self, project: Project, plan: agenda.PackPlan, progress: Progress | None
    ) -> list[tuple[Path, bytes]]:
        """The plan's packs converted, joined and written (with their manifest)."""
        with self._relative():
            packs = pdfs.packs(project, plan, progress)
            inputs = {**project.inputs, **digests(plan.sources, project.root, project.cache)}
            with transaction(project.root) as writes:
                for path, content in packs:
                    writes.add_output(path, content, __version__, inputs)
        return packs

    def publish_meeting(
        self, meeting: Path, *, replace_earlier: bool = False, progress: Progress | None = None
    ) -> PublishedMeeting:
        """Publishes a meeting: builds its packs (as `pack`), records what each of its
        papers printed (as `publish`, with `replace_earlier`), and writes the public copy
        for the committee's public pages into `public/<date>-<committee>/`: the public
        pack, each public item's pages of it as a PDF of its own, and `meeting.json`
        listing them, also kept as the record of the pack in
        `data/published/<meeting folder>/packs/`. An exempt item is never in the public
        copy. A pack that cannot be built records nothing."""
        project, plan = self._planned(meeting, self.root / "out")
        packs = self._packed(project, plan, progress)
        narratives = [p for p in plan.sources if p.resolve() != meeting.resolve()]
        papers = self.publish(narratives, replace_earlier=replace_earlier) if narratives else []
        public = self.root / listing.PUBLIC_FOLDER / plan.folder.name
        listed = listing.public_listing(plan, packs)
        # A supplementary agenda is published beside the meeting's first one, not over it.
        prefix = "supplementary-" if plan.meeting.supplementary else ""
        record = json.dumps(listed.record, indent=2, ensure_ascii=False).encode() + b"\n"
        kept = self.root / PUBLISHED_FOLDER / plan.folder.name / PACKS
        with self._relative(), transaction(self.root) as writes:
            for name, content in listed.files:
                writes.add(public / name, content)
            writes.add(public / f"{prefix}{listing.PUBLIC_LISTING}", record)
            writes.add(kept / f"{prefix}agenda-pack.json", record)
        return PublishedMeeting(papers, [*(p for p, _ in packs), plan.folder / MANIFEST], public)

    def published_meetings(self) -> list[dict[str, Any]]:
        """What the public may see of every meeting published, by date (latest first), as
        each one's `meeting.json` lists it; one that cannot be read is left out."""
        found = []
        folder = self.root / listing.PUBLIC_FOLDER
        pattern = f"*/*{listing.PUBLIC_LISTING}"
        for kept in sorted(folder.glob(pattern)) if folder.is_dir() else ():
            try:
                data = json.loads(kept.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict) and {"committee", "committee_slug", "date"} <= data.keys():
                found.append({**data, "folder": kept.parent.name})
        return sorted(found, key=lambda m: str(m["date"]), reverse=True)

    def packs_of(self, meeting: MeetingSummary, out: Path | None = None) -> list[Path]:
        """The agenda packs built for the meeting (public, exempt, supplementary), as they
        are now in OUT/<meeting>/; none before its first `pack`."""
        if meeting.date is None:
            return []
        folder = agenda.pack_folder(out or self.root / "out", meeting.committee, meeting.date)
        return sorted(folder.glob("*agenda-pack.pdf")) if folder.is_dir() else []

    def add_supplied(self, name: str, content: bytes) -> Path:
        """Keeps a supplied paper (a .pdf or .docx for a meeting's item) as
        `data/meetings/supplied/NAME`, once it is checked: a plain name, under 20 MB, a
        document that opens, and no file of that name there already (nothing is replaced).
        Raises InputError saying what is wrong; whether it is marked NOT FOR PUBLICATION
        is checked with the item that names it. Returns the path."""
        path = uploads.supplied_path(self.root, name, content)
        with self._relative(), transaction(self.root) as writes:
            if path.exists():
                fix = "give the new paper another name; the one there is kept"
                raise InputError([Problem.at(path, "is there already", fix)])
            writes.add(path, content)
        return path
