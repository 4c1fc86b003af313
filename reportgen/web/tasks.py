"""Background jobs (huey): the page preview of a paper, made by LibreOffice and shown as
pictures of its pages. Jobs keep their files in the project's `.reportgen/previews/<job>/`."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from huey.contrib.djhuey import task

import reportgen
from reportgen.web import service

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
