"""Background jobs (huey): the page preview of a paper, made by LibreOffice and shown as
pictures of its pages, and a meeting's agenda packs. Jobs keep their files in the project's
`.reportgen/previews/<job>/` and `.reportgen/packs/<job>/`."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from huey.contrib.djhuey import db_task, task

import reportgen
from reportgen.web import publishing, service

_JOB = re.compile(r"^[0-9a-f]{32}$")
RESOLUTION = 80  # pixels per inch of a page preview: an A4 page about 660 pixels wide


@dataclass(frozen=True)
class JobState:
    done: bool
    pages: int
    error: str


def is_job(job: str) -> bool:
    return bool(_JOB.match(job))


def _folder(job: str) -> Path:
    if not _JOB.match(job):
        raise ValueError("not a job")
    return Path(settings.STATE) / "previews" / job


@task()
def page_preview(path: str, text: str, job: str) -> None:
    """Makes the page preview of the narrative at `path` (from the project folder) with
    `text` as its narrative: the PDF, then a picture of each page."""
    folder = _folder(job)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        pdf = reportgen.preview_pdf(
            service.root(), service.root() / path, text, cache=service.CACHE
        )
    except reportgen.ReportgenError as error:
        (folder / "error.txt").write_text("\n".join(str(p) for p in error.problems))
        return
    (folder / "paper.pdf").write_bytes(pdf)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        (folder / "error.txt").write_text(
            "pdftoppm is not installed — install poppler-utils to see pages"
        )
        return
    _pictures(pdftoppm, folder / "paper.pdf", folder / "page")
    (folder / "done").touch()


def _pictures(pdftoppm: str, pdf: Path, prefix: Path) -> None:
    """A JPEG of every page (four times quicker to make than PNG, and as legible)."""
    command = [pdftoppm, "-jpeg", "-jpegopt", "quality=85", "-r", str(RESOLUTION)]
    subprocess.run([*command, str(pdf), str(prefix)], check=False, capture_output=True, timeout=120)


def job_state(job: str) -> JobState:
    folder = _folder(job)
    error = (folder / "error.txt").read_text() if (folder / "error.txt").is_file() else ""
    pages = len(list(folder.glob("page-*.jpg"))) if folder.is_dir() else 0
    return JobState((folder / "done").is_file() or bool(error), pages, error)


def page_file(job: str, number: int) -> Path | None:
    """The picture of page `number` (from 1) of a finished job."""
    try:
        found = sorted(_folder(job).glob("page-*.jpg"))
    except ValueError:
        return None
    return found[number - 1] if 1 <= number <= len(found) else None


# -- agenda packs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PackState:
    """A pack job as its page shows it: how far it is, and what it made or why it failed."""

    stage: str
    done: int
    total: int
    packs: tuple[str, ...]  # the files made, by name, when it has finished
    problems: tuple[reportgen.Problem, ...]  # why it failed, when it did
    published: bool = False  # a publishing job, finished
    publishing: bool = False  # a publishing job

    @property
    def finished(self) -> bool:
        return bool(self.packs or self.problems)


def _pack_folder(job: str) -> Path:
    if not _JOB.match(job):
        raise ValueError("not a job")
    return Path(settings.STATE) / "packs" / job


@db_task()  # publishing reads the database (who to tell), and a worker's connection may go stale
def build_pack(
    meeting: str, job: str, publish: bool = False, replace: bool = False, by: str = ""
) -> None:
    """Builds the agenda packs of the meeting file at `meeting` (from the project folder)
    into the project's out/ folder, telling its progress in the job's folder; with
    `publish`, publishes the meeting too (`replace`: over figures published before) and
    tells the clerks and the papers' authors, for the user named `by`. A pack that fails
    writes nothing: the packs built before are kept."""
    folder = _pack_folder(job)
    folder.mkdir(parents=True, exist_ok=True)

    def progress(stage: str, done: int, total: int) -> None:
        said = {"stage": stage, "done": done, "total": total}
        (folder / "progress.tmp").write_text(json.dumps(said))
        (folder / "progress.tmp").replace(folder / "progress.json")

    path = service.root() / meeting
    if publish:
        (folder / "publishing").touch()
    try:
        if publish:
            made = reportgen.publish_meeting(
                service.root(), path, replace=replace, cache=service.CACHE, progress=progress
            ).packs
        else:
            made = reportgen.pack(service.root(), path, cache=service.CACHE, progress=progress)
    except reportgen.ReportgenError as error:
        problems = [dataclasses.asdict(problem) for problem in error.problems]
        (folder / "problems.json").write_text(json.dumps(problems))
        return
    packs = [path.name for path in made if path.suffix == ".pdf"]
    if publish:
        (folder / "published").touch()
        publishing.tell_published(meeting, by)
    (folder / "packs.json").write_text(json.dumps(packs))


def pack_state(job: str) -> PackState:
    folder = _pack_folder(job)

    def read(name: str, default: Any) -> Any:
        try:
            return json.loads((folder / name).read_text())
        except (OSError, ValueError):
            return default

    said = read("progress.json", {})
    problems = tuple(reportgen.Problem(**p) for p in read("problems.json", []))
    return PackState(
        str(said.get("stage", "waiting to start")),
        int(said.get("done", 0)),
        int(said.get("total", 0)),
        tuple(read("packs.json", [])),
        problems,
        (folder / "published").is_file(),
        (folder / "publishing").is_file(),
    )
