"""Pictures of a PDF's pages, made by poppler's pdftoppm: what a page preview shows.

JPEG, not PNG: four times quicker to make, and as legible at this size. This is the only
place pdftoppm is run.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from reportgen.errors import Problem, ToolError

RESOLUTION = 80  # pixels per inch of a page preview: an A4 page about 660 pixels wide
QUALITY = 85  # JPEG quality
TIMEOUT = 120  # seconds for a whole paper's pages
INSTALL = "install poppler-utils to see pages"


def page_pictures(pdf: Path, prefix: Path) -> list[Path]:
    """A JPEG of every page of the PDF at `pdf`, as `prefix-1.jpg`, `prefix-2.jpg`, … (the
    number zero-padded to the width of the last), in page order: the pictures made. Raises
    ToolError when pdftoppm is not installed or does not finish in time."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise ToolError([Problem("", None, "", "pdftoppm is not installed", INSTALL)])
    command = [pdftoppm, "-jpeg", "-jpegopt", f"quality={QUALITY}", "-r", str(RESOLUTION)]
    try:
        subprocess.run(
            [*command, str(pdf), str(prefix)], check=False, capture_output=True, timeout=TIMEOUT
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolError(
            [
                Problem(
                    "",
                    None,
                    "",
                    f"pdftoppm could not make pictures of the pages ({exc})",
                    "try again; if it happens again, check that poppler-utils is installed",
                )
            ]
        ) from None
    return sorted(prefix.parent.glob(f"{prefix.name}-*.jpg"))
