"""PDFs of the Word papers, made by LibreOffice: one headless process for a whole run.

Starting LibreOffice takes seconds; converting a paper once it runs takes a fraction of
that. So every paper of a run is converted by one `soffice --convert-to` call. The PDFs are
tagged (LibreOffice's tagged-PDF export), so screen readers get headings, lists, tables and
alt text, and they carry the document's title.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from reportgen.errors import InputError, Problem

EXPORT = (
    'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
    '"ExportBookmarks":{"type":"boolean","value":"true"}}'
)
INSTALL = (
    "install LibreOffice (Debian or Ubuntu: sudo apt-get install libreoffice-writer; "
    "Windows or macOS: libreoffice.org), then run again"
)
TIMEOUT = 600  # seconds for the whole run


def soffice() -> str:
    """The LibreOffice command, or an error saying how to install it."""
    found = os.environ.get("REPORTGEN_SOFFICE") or shutil.which("soffice")
    found = found or shutil.which("libreoffice")
    if not found:
        raise InputError(
            [Problem("--pdf", None, "", "LibreOffice is not installed; it makes the PDFs", INSTALL)]
        )
    return found


def convert(documents: Sequence[tuple[str, bytes]], profile: Path | None = None) -> list[bytes]:
    """Each (name, .docx content) as PDF content, in order, converted by one LibreOffice
    process. `profile` keeps LibreOffice's settings between runs (a faster start)."""
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
        settings = profile if profile is not None else folder / "profile"
        settings.mkdir(parents=True, exist_ok=True)
        try:
            finished = subprocess.run(
                [command, f"-env:UserInstallation={settings.resolve().as_uri()}", "--headless",
                 "--norestore", "--convert-to", EXPORT, "--outdir", str(folder / "pdf"),
                 *map(str, sources)],
                capture_output=True, text=True, timeout=TIMEOUT, check=False,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InputError(
                [Problem("--pdf", None, "", f"LibreOffice could not run ({exc})", INSTALL)]
            ) from None
        pdfs = []
        for (name, _), source in zip(documents, sources, strict=True):
            made = folder / "pdf" / f"{source.stem}.pdf"
            if not made.is_file():
                said = (finished.stderr or finished.stdout).strip().splitlines()[-1:] or [""]
                raise InputError(
                    [
                        Problem(
                            name,
                            None,
                            "",
                            f"LibreOffice made no PDF of it (exit {finished.returncode}"
                            + (f": {said[0]}" if said[0] else "")
                            + ")",
                            "close LibreOffice if it is open, and run again",
                        )
                    ]
                )
            pdfs.append(made.read_bytes())
        return pdfs
