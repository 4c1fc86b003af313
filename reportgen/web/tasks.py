"""Background jobs (huey): the page preview of a paper, made by LibreOffice and shown as
pictures of its pages, and a meeting's agenda packs. Jobs keep their files in the project's
`.reportgen/previews/<job>/` and `.reportgen/packs/<job>/`.

Each job is recorded when it is queued (`start`): whose it is, and which paper or meeting
it is of. Its pages answer only to that user at that paper's or meeting's address
(`owned`); to anyone else it does not exist. A user has at most one job of each kind
waiting: a new one replaces the one not yet started (one may be running besides). A job
that fails for any reason says so; one left running by a process that died is marked
failed when the service or a worker starts (`fail_abandoned`, called by server.py)."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from huey.contrib.djhuey import db_task

import reportgen
from reportgen.web import publishing, service
from reportgen.web.audit import record
from reportgen.web.models import Job

_log = logging.getLogger(__name__)
UNEXPECTED = (
    "the job stopped with an unexpected error — try again; if it happens again, tell your "
    "administrator (the service's log has the details)"
)
ABANDONED = "the job was stopped when the service stopped — start it again"
REPLACED = "replaced by a newer one you started before this one began — see that one"

_JOB = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class JobState:
    done: bool
    pages: int
    error: str


def is_job(job: str) -> bool:
    return bool(_JOB.match(job))


def start(user: Any, kind: str, target: str, exempt: bool) -> str:
    """Records a new job of `kind` of the paper or meeting file `target` for `user` and
    returns its id; the user's job of that kind not yet started is replaced (it will not
    run). Queue the job itself after this."""
    job = uuid.uuid4().hex
    with transaction.atomic():
        Job.objects.filter(user=user, kind=kind, state=Job.QUEUED).update(
            state=Job.REPLACED, message=REPLACED, finished=timezone.now()
        )
        Job.objects.create(
            id=job,
            kind=kind,
            user=user,
            username=user.get_username(),
            target=target,
            exempt=exempt,
        )
    return job


def owned(user: Any, job: str, kinds: tuple[str, ...], target: str) -> Job | None:
    """The job `job` if it is one of `kinds`, of `target`, and `user`'s; else None, as
    for a job that does not exist."""
    if not is_job(job) or not getattr(user, "is_authenticated", False):
        return None
    found: Job | None = Job.objects.filter(id=job, kind__in=kinds, target=target, user=user).first()
    return found


def _claim(job: str) -> Job | None:
    """The job, marked running in this process, if it is still waiting (not replaced)."""
    worker = f"{socket.gethostname()}:{os.getpid()}"
    now = timezone.now()
    if not Job.objects.filter(id=job, state=Job.QUEUED).update(
        state=Job.RUNNING, worker=worker, started=now
    ):
        return None
    found: Job = Job.objects.get(id=job)
    return found


def _finish(job: str, failed: str = "") -> None:
    Job.objects.filter(id=job).update(
        state=Job.FAILED if failed else Job.DONE, message=failed, finished=timezone.now()
    )


def fail_abandoned() -> int:
    """Marks failed each job left running by a process of this machine that is no longer
    alive (the service or a worker stopped mid-job); call it when either starts. Returns
    how many."""
    host = socket.gethostname()
    count = 0
    for job in Job.objects.filter(state=Job.RUNNING):
        where, _, pid = job.worker.rpartition(":")
        if where != host or not pid.isdigit() or _alive(int(pid)):
            continue
        failed = Job.objects.filter(id=job.id, state=Job.RUNNING).update(
            state=Job.FAILED, message=ABANDONED, finished=timezone.now()
        )
        count += failed
        if failed and job.kind == Job.PUBLISH:
            who = job.user or _Named(job.username)
            record(who, "publish failed", job.target, ABANDONED, exempt=job.exempt)
    return count


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


@dataclass(frozen=True)
class _Named:
    """A user who is gone, by name, for the audit log."""

    name: str
    is_authenticated: bool = True

    def get_username(self) -> str:
        return self.name


def _folder(job: str) -> Path:
    if not _JOB.match(job):
        raise ValueError("not a job")
    return Path(settings.STATE) / "previews" / job


@db_task()  # it records its state in the database
def page_preview(path: str, text: str, job: str) -> None:
    """Makes the page preview of the narrative at `path` (from the project folder) with
    `text` as its narrative: the PDF, then a picture of each page. A job replaced before
    it started does nothing."""
    if _claim(job) is None:
        return
    try:
        failed = _page_preview(path, text, _folder(job))
    except Exception:  # whatever it was, the page must say the preview failed
        _log.exception("page preview %s failed", job)
        failed = UNEXPECTED
    _finish(job, failed)


def _page_preview(path: str, text: str, folder: Path) -> str:
    """The preview made in `folder`; what went wrong, or "" when it was made."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        pdf = service.workspace().preview_pdf(service.root() / path, text)
    except reportgen.ReportgenError as error:
        return "\n".join(str(p) for p in error.problems)
    (folder / "paper.pdf").write_bytes(pdf)
    try:
        reportgen.page_pictures(folder / "paper.pdf", folder / "page")
    except reportgen.ToolError as error:
        return "\n".join(str(p) for p in error.problems)
    (folder / "done").touch()
    return ""


def job_state(job: Job) -> JobState:
    folder = _folder(job.id)
    job.refresh_from_db(fields=["state", "message"])
    error = job.message if job.state in (Job.FAILED, Job.REPLACED) else ""
    made = job.state == Job.DONE and (folder / "done").is_file()
    pages = len(list(folder.glob("page-*.jpg"))) if made else 0
    return JobState(made or bool(error), pages, error)


def page_file(job: Job, number: int) -> Path | None:
    """The picture of page `number` (from 1) of a finished job."""
    if job.state != Job.DONE:
        return None
    found = sorted(_folder(job.id).glob("page-*.jpg"))
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
    meeting: str, job: str, publish: bool = False, replace_earlier: bool = False, by: str = ""
) -> None:
    """Builds the agenda packs of the meeting file at `meeting` (from the project folder)
    into the project's out/ folder, telling its progress in the job's folder; with
    `publish`, publishes the meeting too (`replace_earlier`: over figures published before) and
    tells the clerks and the papers' authors, for the user named `by`. A pack that fails
    writes nothing: the packs built before are kept. A publication is in the audit log
    once it has finished, or failed."""
    claimed = _claim(job)
    if claimed is None:
        return
    try:
        failed = _build_pack(meeting, job, publish, replace_earlier, by)
    except Exception:  # whatever it was, the page must say the job failed
        _log.exception("agenda pack job %s failed", job)
        failed = UNEXPECTED
    _finish(job, failed)
    if publish:
        who = claimed.user or _Named(claimed.username)
        if failed:
            record(who, "publish failed", meeting, failed[:500], exempt=claimed.exempt)
        else:
            record(who, "publish", meeting, exempt=claimed.exempt)


def _build_pack(meeting: str, job: str, publish: bool, replace_earlier: bool, by: str) -> str:
    """The job's work; what went wrong, or "" when it was done."""
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
            made = (
                service.workspace()
                .publish_meeting(path, replace_earlier=replace_earlier, progress=progress)
                .packs
            )
        else:
            made = service.workspace().pack(path, progress=progress)
    except reportgen.ReportgenError as error:
        problems = [dataclasses.asdict(problem) for problem in error.problems]
        (folder / "problems.json").write_text(json.dumps(problems))
        count = len(error.problems)  # told on the job's page, each as the user may see it
        return f"{count} problem{'s' if count != 1 else ''} — see them on the meeting's page"
    packs = [path.name for path in made if path.suffix == ".pdf"]
    if publish:
        (folder / "published").touch()
    (folder / "packs.json").write_text(json.dumps(packs))
    if publish:
        try:  # published all the same: an e-mail that fails is logged, never the job
            publishing.tell_published(meeting, by)
        except Exception:
            _log.exception("the e-mails of publishing %s were not sent", meeting)
    return ""


def pack_state(job: Job) -> PackState:
    folder = _pack_folder(job.id)
    job.refresh_from_db(fields=["state", "message"])

    def read(name: str, default: Any) -> Any:
        try:
            return json.loads((folder / name).read_text())
        except (OSError, ValueError):
            return default

    said = read("progress.json", {})
    problems = tuple(reportgen.Problem(**p) for p in read("problems.json", []))
    if job.state in (Job.FAILED, Job.REPLACED) and not problems:
        what, _, fix = job.message.partition(" — ")
        problems = (reportgen.Problem("", None, "", what, fix),)
    return PackState(
        str(said.get("stage", "waiting to start")),
        int(said.get("done", 0)),
        int(said.get("total", 0)),
        tuple(read("packs.json", [])) if job.state == Job.DONE else (),
        problems,
        (folder / "published").is_file(),
        (folder / "publishing").is_file() or job.kind == Job.PUBLISH,
    )
