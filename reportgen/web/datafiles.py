"""Monthly data files for `data/indicators/`: uploaded, checked first (every problem with
its row), and kept in place of the file they replace only if good, the file replaced kept
as a version. A second download a browser renamed (`name (1).csv`) is asked about: which
file it replaces. Each file can be downloaded as it is now, its versions seen, and one put
back (checked as an upload is)."""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import reportgen
from reportgen.web import service
from reportgen.web.audit import record
from reportgen.web.editor import EDIT
from reportgen.web.models import Version

FOLDER = Path("data") / "indicators"
_DATA_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.()-]{0,95}\.(csv|xlsx)$", re.IGNORECASE)
# What a browser makes of a second download of a file it has: `name (1).csv`, `name(2).xlsx`.
_COPY = re.compile(r"^(?P<stem>.+?) ?\([0-9]{1,3}\)(?P<suffix>\.(csv|xlsx))$", re.IGNORECASE)
_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
HELD = "held data uploads"  # the session's uploads waiting for "which file does it replace?"
HELD_FOR = 24 * 3600  # seconds: a held upload nobody answered for is removed after a day


@dataclass(frozen=True)
class DataFile:
    """A file in `data/indicators/` as the page lists it, with its last version."""

    name: str
    size: int
    last: Version | None
    versions: int


@login_required
@permission_required(EDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def data(request: HttpRequest) -> HttpResponse:
    """The data files, and an upload: checked first, every problem with its row; it
    replaces the file of that name only if good, the old one kept as a version. A name a
    browser gave a second download is answered with the question which file it replaces."""
    if request.method == "POST":
        if "held" in request.POST:
            return _answered(request)
        return _uploaded(request)
    return _page(request, {})


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    files = {"files": _files(), "gone": _deleted()}
    return render(request, "web/data.html", {**files, **context}, status=status)


def _deleted() -> list[str]:
    """The data files deleted here (or from the project folder) whose versions are kept."""
    kept = Version.objects.filter(path__startswith=f"{FOLDER.as_posix()}/")
    names = {Path(p).name for p in kept.values_list("path", flat=True).distinct()}
    return sorted(names - set(_names()))


def _refused(request: HttpRequest, what: str, fix: str, name: str = "") -> HttpResponse:
    problem = reportgen.Problem("", None, "file", what, fix)
    return _page(request, {"problems": [problem], "name": name}, status=422)


def _uploaded(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        return _refused(
            request, "choose a file to upload", "a .csv or .xlsx file of indicator data"
        )
    name = Path(str(upload.name)).name
    if upload.size > settings.MAX_DATA_FILE or not _DATA_NAME.match(name):
        return _refused(
            request,
            f"'{name[:100]}' is not a data file reportgen takes",
            "upload a .csv or .xlsx file under 10 MB, with a plain name such as "
            "monthly-2026-27.csv",
        )
    content = upload.read()
    copy = _COPY.match(name)
    if copy is not None and name not in _names():
        token = _hold(request, name, content)
        return _question(request, name, token, _likely(name))
    return _save(request, name, content, "uploaded", "upload data")


def _question(
    request: HttpRequest, name: str, token: str, chosen: str, status: int = 200
) -> HttpResponse:
    """Which file the upload `name` replaces: each known file of its kind, or a new one."""
    copy = _COPY.match(name)
    assert copy is not None
    plain = f"{copy['stem']}{copy['suffix']}"
    suffix = Path(name).suffix.lower()
    known = [n for n in _names() if Path(n).suffix.lower() == suffix]
    context = {
        "name": name,
        "held": token,
        "known": known,
        "new": None if plain in known else plain,
        "chosen": chosen,
        "problems": [] if status == 200 else ["Choose the file it replaces"],
    }
    return render(request, "web/data_replaces.html", context, status=status)


def _likely(name: str) -> str:
    """The file a renamed download most likely is: the one of its name without `(1)`."""
    copy = _COPY.match(name)
    assert copy is not None
    return f"{copy['stem']}{copy['suffix']}"


def _answered(request: HttpRequest) -> HttpResponse:
    """The answer to "which file does it replace?": the held upload saved as that file."""
    token = str(request.POST.get("held", ""))
    held: dict[str, str] = request.session.get(HELD, {})
    name = held.get(token) if re.fullmatch(r"[0-9a-f]{32}", token) else None
    kept = _held_folder() / token
    if name is None or not kept.is_file():
        return _refused(
            request,
            "the file you uploaded is no longer waiting to be saved",
            "choose it and upload it again",
        )
    choice = str(request.POST.get("replaces", ""))
    suffix = Path(name).suffix.lower()
    known = [n for n in _names() if Path(n).suffix.lower() == suffix]
    if choice not in {*known, _likely(name)}:
        return _question(request, name, token, "", status=422)
    content = kept.read_bytes()
    kept.unlink()
    request.session[HELD] = {k: v for k, v in held.items() if k != token}
    return _save(request, choice, content, f"uploaded as {name}", "upload data", name)


def _save(
    request: HttpRequest,
    name: str,
    content: bytes,
    note: str,
    action: str,
    detail: str = "",
    restored: int = 0,
) -> HttpResponse:
    """`content` checked as `data/indicators/NAME` and, if good, saved there, the file it
    replaces kept as a version first; kept as a version with `note` and audited as
    `action` (`restored`: the number of the version put back). The page says which
    papers the user may see now print other figures."""
    workspace = service.workspace()
    try:
        checked = workspace.check_data(name, content)
    except reportgen.ReportgenError as error:
        said = f"Version {restored} of {name}" if restored else name
        return _page(request, {"problems": error.problems, "name": said}, status=422)
    path = checked.path
    replaced = path.is_file()
    if replaced:
        _keep_as_found(path)
    workspace.replace_data(name, content)
    where = service.relative(path)
    service.keep_version(where, content, request.user, note)
    record(request.user, action, where, detail)
    # Only the papers this user may see: an exempt one is never named to the others.
    changed = [p for p in service.visible_papers(request.user) if p.path in set(checked.changed)]
    result: dict[str, Any] = {"saved": name, "replaced": replaced, "restored": restored}
    return _page(request, {**result, "changed": changed})


def _keep_as_found(path: Path) -> None:
    """The file as it is now, kept as a version unless the last version is it already (it
    was changed in the project folder since, or was never uploaded here)."""
    where = service.relative(path)
    content = path.read_bytes()
    last = service.latest(where)
    if last is None or bytes(last.content) != content:
        service.keep_version(where, content, None, "as found in the project folder")


@login_required
@permission_required(EDIT, raise_exception=True)
@require_GET
def data_file(request: HttpRequest, file: str) -> HttpResponse:
    """The data file as it is now, to download."""
    if file not in _names():
        raise Http404("no such data file")
    return _download((service.root() / FOLDER / file).read_bytes(), file)


@login_required
@permission_required(EDIT, raise_exception=True)
@require_GET
def data_versions(request: HttpRequest, file: str) -> HttpResponse:
    """Every version of a data file kept here, newest first, each to download or restore."""
    versions = _versions(file)
    if file not in _names() and not versions:
        raise Http404("no such data file")
    # The version the file is now (none if it was changed in the project folder since).
    now = (service.root() / FOLDER / file).read_bytes() if file in _names() else None
    same = next((v.number for v in versions if bytes(v.content) == now), None)
    context = {"file": file, "versions": versions, "current": now is not None, "now": same}
    return render(request, "web/data_versions.html", context)


@login_required
@permission_required(EDIT, raise_exception=True)
@require_GET
def data_version(request: HttpRequest, file: str, number: int) -> HttpResponse:
    """A version of a data file, to download."""
    version = _version(file, number)
    path = Path(file)
    return _download(bytes(version.content), f"{path.stem} (version {number}){path.suffix}")


@login_required
@permission_required(EDIT, raise_exception=True)
@require_POST
def data_restore(request: HttpRequest, file: str, number: int) -> HttpResponse:
    """Puts an earlier version of a data file back, checked as an upload is, as a new
    version (the file it replaces kept as one too); audited."""
    version = _version(file, number)
    note = f"version {number} restored"
    return _save(request, file, bytes(version.content), note, "restore data", note, number)


@login_required
@permission_required(EDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def data_delete(request: HttpRequest, file: str) -> HttpResponse:
    """Deleting a data file: first a page asking "Are you sure?" that names the papers
    (those the user may see) whose figures would change or stop without it; the delete
    itself keeps the file as a version first, so it can be restored from its versions
    page; audited."""
    if file not in _names():
        raise Http404("no such data file")
    workspace = service.workspace()
    if request.method == "GET":
        checked = workspace.check_data_deletion(file)
        # Only the papers this user may see: an exempt one is never named to the others.
        changed = [
            p for p in service.visible_papers(request.user) if p.path in set(checked.changed)
        ]
        return render(request, "web/data_delete.html", {"file": file, "changed": changed})
    path = service.root() / FOLDER / file
    _keep_as_found(path)
    workspace.delete_data(file)
    record(request.user, "delete data", _where(file))
    return _page(request, {"deleted": file})


def _version(file: str, number: int) -> Version:
    found: Version | None = Version.objects.filter(path=_where(file), number=number).first()
    if found is None:
        raise Http404("no such version")
    return found


def _versions(file: str) -> list[Version]:
    if not _DATA_NAME.match(file):
        return []
    return list(Version.objects.filter(path=_where(file)).order_by("-number"))


def _where(file: str) -> str:
    return (FOLDER / file).as_posix()


def _download(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=_TYPES[Path(name).suffix.lower()])
    plain = name.replace('"', "")
    response["Content-Disposition"] = f'attachment; filename="{plain}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _names() -> list[str]:
    """The data files in `data/indicators/`, by name."""
    folder = service.root() / FOLDER
    if not folder.is_dir():
        return []
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in _TYPES and not p.name.startswith((".", "~$"))
    )


def _files() -> list[DataFile]:
    names = _names()
    last: dict[str, Version] = {}
    counts: dict[str, int] = {}
    for version in Version.objects.filter(path__in=[_where(n) for n in names]).defer("content"):
        counts[version.path] = counts.get(version.path, 0) + 1
        if version.path not in last or version.number > last[version.path].number:
            last[version.path] = version
    folder = service.root() / FOLDER
    return [
        DataFile(n, (folder / n).stat().st_size, last.get(_where(n)), counts.get(_where(n), 0))
        for n in names
    ]


def _held_folder() -> Path:
    return Path(settings.STATE) / "uploads"


def _hold(request: HttpRequest, name: str, content: bytes) -> str:
    """Keeps an upload until its user says which file it replaces; held ones nobody
    answered for a day are removed."""
    folder = _held_folder()
    folder.mkdir(mode=0o700, exist_ok=True)
    for old in folder.iterdir():
        if old.stat().st_mtime < time.time() - HELD_FOR:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (folder / token).write_bytes(content)
    held = {k: v for k, v in request.session.get(HELD, {}).items() if (folder / k).is_file()}
    request.session[HELD] = {**held, token: name}
    return token
