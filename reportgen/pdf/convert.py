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
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from reportgen.errors import IncompletePdf, Problem, ToolError
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
    withheld: Collection[int] = frozenset(),
) -> list[bytes]:
    """Each (name, .docx content) as PDF content, in order, converted by one LibreOffice
    process. The process has a settings folder of its own, so that conversions at the same
    time do not meet; `profile` keeps a settings folder made once to start each from (a
    faster start). `converted` is told how many are done as they are made. Each PDF is
    checked to hold the whole of its document: IncompletePdf naming what is missing, for
    every document that lacks some, if one does; the text of the documents `withheld` (by
    their place in `documents`: exempt papers) is not quoted."""
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
        made = [folder / "pdf" / f"{source.stem}.pdf" for source in sources]
        with _Checks(documents, made, withheld) as checks:
            try:
                finished = _run(
                    [command, f"-env:UserInstallation={settings.resolve().as_uri()}",
                     "--headless", "--norestore", "--convert-to", EXPORT,
                     "--outdir", str(folder / "pdf"), *map(str, sources)],
                    made, converted, checks.look,
                )  # fmt: skip
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise ToolError(
                    [
                        Problem(
                            "LibreOffice",
                            None,
                            "",
                            f"could not convert the papers ({exc})",
                            INSTALL,
                        )
                    ]
                ) from None
            pdfs = []
            for (name, _), pdf in zip(documents, made, strict=True):
                if not pdf.is_file():
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
                pdfs.append(pdf.read_bytes())
            problems = checks.problems(pdfs)
        if profile is not None and not profile.is_dir():
            _keep(settings, profile)
    if problems:
        raise IncompletePdf(problems)
    return pdfs


class _Checks:
    """The check of each PDF against its document (`complete`), begun on a thread of its
    own as soon as LibreOffice has finished the PDF, so that it is done while LibreOffice
    converts the next documents (it converts them in turn: a PDF is finished once a later
    one is there). What counts is the PDF as it is at the end: one that changed after its
    check began is checked again."""

    def __init__(
        self,
        documents: Sequence[tuple[str, bytes]],
        made: Sequence[Path],
        withheld: Collection[int],
    ) -> None:
        self.documents, self.made, self.withheld = documents, made, withheld
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reportgen-pdf-check")
        self.begun: dict[int, tuple[bytes, Future[list[Problem]]]] = {}

    def __enter__(self) -> _Checks:
        return self

    def __exit__(self, *_: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def look(self) -> None:
        """Begins the check of each PDF finished since the last look."""
        there = [index for index, pdf in enumerate(self.made) if pdf.is_file()]
        for index in there[:-1]:
            if index not in self.begun:
                pdf = self.made[index].read_bytes()
                name, document = self.documents[index]
                self.begun[index] = (
                    pdf,
                    self.pool.submit(
                        complete.problems, name, document, pdf, index in self.withheld
                    ),
                )

    def problems(self, pdfs: Sequence[bytes]) -> list[Problem]:
        """Every problem the checks found with `pdfs`, the PDFs as LibreOffice left them."""
        found = []
        for index, ((name, document), pdf) in enumerate(zip(self.documents, pdfs, strict=True)):
            begun = self.begun.get(index)
            if begun is not None and begun[0] == pdf:
                found += begun[1].result()
            else:
                found += complete.problems(name, document, pdf, index in self.withheld)
        return found


def _run(
    command: list[str],
    made: Sequence[Path],
    converted: Callable[[int], None] | None,
    look: Callable[[], None],
) -> subprocess.CompletedProcess[str]:
    """LibreOffice run to its end (TimeoutExpired after TIMEOUT seconds), `converted` told
    how many of the PDFs `made` are there as they appear, and `look` called as it runs."""
    with tempfile.TemporaryFile("w+") as said:
        process = subprocess.Popen(command, stdout=said, stderr=subprocess.STDOUT, text=True)
        deadline, done = time.monotonic() + TIMEOUT, 0
        while process.poll() is None:
            if time.monotonic() > deadline:
                process.kill()
                process.wait()
                raise subprocess.TimeoutExpired(command, TIMEOUT)
            count = sum(pdf.is_file() for pdf in made)
            if count != done:
                done = count
                if converted is not None:
                    converted(done)
                look()
            time.sleep(0.1)
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
