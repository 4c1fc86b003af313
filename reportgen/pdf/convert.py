"""PDFs of the Word papers, made by LibreOffice: one headless process for a whole run.

Starting LibreOffice takes seconds; converting a paper once it runs takes a fraction of
that. So every paper of a run is converted by one `soffice --convert-to` call. The PDFs are
tagged (LibreOffice's tagged-PDF export), so screen readers get headings, lists, tables and
alt text, and they carry the document's title. Every PDF is checked against its document
(`reportgen.pdf.complete`): LibreOffice can lose text as it lays out pages, and a PDF that
lacks any is a failed conversion. This is the only place LibreOffice is run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from reportgen.errors import Problem, ToolError
from reportgen.pdf import complete

EXPORT = (
    'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
    '"ExportBookmarks":{"type":"boolean","value":"true"}}'
)
INSTALL = (
    "install LibreOffice (Debian or Ubuntu: sudo apt-get install libreoffice-writer; "
    "Windows or macOS: libreoffice.org), or set REPORTGEN_SOFFICE to its soffice program "
    "(on Windows, e.g. C:\\Program Files\\LibreOffice\\program\\soffice.exe), then run again"
)
TIMEOUT = 600  # seconds for one conversion (one LibreOffice process, a whole run's papers)


def soffice() -> str:
    """The LibreOffice command, or an error saying how to install it."""
    found = os.environ.get("REPORTGEN_SOFFICE") or shutil.which("soffice")
    found = found or shutil.which("libreoffice")
    if not found:
        raise ToolError(
            [Problem("LibreOffice", None, "", "is not installed; it makes the PDFs", INSTALL)]
        )
    return found


def convert(
    documents: Sequence[tuple[str, bytes]],
    profile: Path | None = None,
    converted: Callable[[int], None] | None = None,
) -> list[bytes]:
    """Each (name, .docx content) as PDF content, in order, converted by one LibreOffice
    process. The process has a settings folder of its own, so that conversions at the same
    time do not meet; `profile` keeps a settings folder made once to start each from (a
    faster start). `converted` is told how many are done as they are made. Each PDF is
    checked to hold the whole of its document: IncompletePdf naming what is missing, for
    every document that lacks some, if one does."""
    if not documents:
        return []
    command = soffice()
    with tempfile.TemporaryDirectory(prefix="reportgen-pdf-") as temporary:
        folder = Path(temporary)
        sources = []
        for index, (name, content) in enumerate(documents):
            source = folder / f"{index:04d}-{Path(name).stem}.docx"
            source.write_bytes(content)
            sources.append(source)
        settings = folder / "profile"
        if profile is not None and profile.is_dir():
            shutil.copytree(profile, settings, symlinks=True, ignore_dangling_symlinks=True)
        try:
            finished = _run(
                [command, f"-env:UserInstallation={settings.resolve().as_uri()}", "--headless",
                 "--norestore", "--convert-to", EXPORT, "--outdir", str(folder / "pdf"),
                 *map(str, sources)],
                folder / "pdf", converted,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ToolError(
                [Problem("LibreOffice", None, "", f"could not convert the papers ({exc})", INSTALL)]
            ) from None
        pdfs = []
        for (name, _), source in zip(documents, sources, strict=True):
            made = folder / "pdf" / f"{source.stem}.pdf"
            if not made.is_file():
                said = (finished.stderr or finished.stdout).strip().splitlines()[-1:] or [""]
                raise ToolError(
                    [
                        Problem(
                            name,
                            None,
                            "",
                            f"LibreOffice made no PDF of it (exit {finished.returncode}"
                            + (f": {said[0]}" if said[0] else "")
                            + ")",
                            "close LibreOffice if it is open, and run again; if it happens "
                            "again, check the document opens in Word or LibreOffice",
                        )
                    ]
                )
            pdfs.append(made.read_bytes())
        if profile is not None and not profile.is_dir():
            _keep(settings, profile)
    complete.check_all(documents, pdfs)
    return pdfs


def _run(
    command: list[str], made: Path, converted: Callable[[int], None] | None
) -> subprocess.CompletedProcess[str]:
    """LibreOffice run to its end (TimeoutExpired after TIMEOUT seconds), `converted` told
    of each PDF in `made` as it appears."""
    if converted is None:
        return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    with tempfile.TemporaryFile("w+") as said:
        process = subprocess.Popen(command, stdout=said, stderr=subprocess.STDOUT, text=True)
        deadline, done = time.monotonic() + TIMEOUT, 0
        while process.poll() is None:
            if time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise subprocess.TimeoutExpired(command, TIMEOUT)
            count = len(list(made.glob("*.pdf"))) if made.is_dir() else 0
            if count != done:
                done = count
                converted(done)
            time.sleep(0.2)
        said.seek(0)
        return subprocess.CompletedProcess(command, process.returncode, said.read(), "")


def _keep(settings: Path, profile: Path) -> None:
    """Keeps a settings folder LibreOffice made, for later runs to start from; a run at the
    same time that keeps its own first wins, and a folder that cannot be kept costs only
    time."""
    staging = profile.with_name(f".{profile.name}-{os.getpid()}-{id(settings)}")
    try:
        shutil.copytree(settings, staging, symlinks=True, ignore_dangling_symlinks=True)
        os.replace(staging, profile)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
