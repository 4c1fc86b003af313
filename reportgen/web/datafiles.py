"""Monthly data files for `data/indicators/`: uploaded, checked first (every problem with
its row), and kept in place of the file of that name only if good, the old one kept as a
version."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

import reportgen
from reportgen.web import service
from reportgen.web.audit import record
from reportgen.web.editor import EDIT

_DATA_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,95}\.(csv|xlsx)$", re.IGNORECASE)


@login_required
@permission_required(EDIT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def data(request: HttpRequest) -> HttpResponse:
    """Upload a monthly data file for `data/indicators/`: checked first, every problem with
    its row; it replaces the file of that name only if good, the old one kept as a version."""
    context: dict[str, Any] = {"files": _data_files()}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["problems"] = [
                reportgen.Problem(
                    "",
                    None,
                    "file",
                    "choose a file to upload",
                    "a .csv or .xlsx file of indicator data",
                )
            ]
            return render(request, "web/data.html", context, status=422)
        name = Path(str(upload.name)).name
        if upload.size > settings.MAX_DATA_FILE or not _DATA_NAME.match(name):
            context["problems"] = [
                reportgen.Problem(
                    "",
                    None,
                    "file",
                    f"'{name[:100]}' is not a data file reportgen takes",
                    "upload a .csv or .xlsx file under 10 MB, with a plain name such as "
                    "monthly-2026-27.csv",
                )
            ]
            return render(request, "web/data.html", context, status=422)
        content = upload.read()
        try:
            checked = service.workspace().check_data(name, content)
        except reportgen.ReportgenError as error:
            context["problems"] = error.problems
            context["name"] = name
            return render(request, "web/data.html", context, status=422)
        path = checked.path
        where = service.relative(path)
        if path.is_file():
            service.ensure_first_version(path)
        service.workspace().replace_data(name, content)
        service.keep_version(where, content, request.user, "uploaded")
        record(request.user, "upload data", where)
        visible = {p.path for p in service.visible_papers(request.user)}
        context.update(
            uploaded=where,
            changed=[
                p
                for p in service.visible_papers(request.user)
                if p.path in set(checked.changed) & visible
            ],
            files=_data_files(),
        )
    return render(request, "web/data.html", context)


def _data_files() -> list[str]:
    folder = service.root() / "data" / "indicators"
    return (
        sorted(p.name for p in folder.iterdir() if p.suffix.lower() in (".csv", ".xlsx"))
        if folder.is_dir()
        else []
    )
