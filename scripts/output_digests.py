"""The digests of everything the example builds, to prove a change leaves output alone.

    python3 scripts/output_digests.py > before.txt   # on the old commit
    python3 scripts/output_digests.py > after.txt    # on the new one; then diff them

Builds every example paper (.docx and PDF) and the example meeting's packs on a copy of the
example project in a temporary folder, and prints the md5 of each .docx and pack byte for
byte, and of each paper's own PDF by its text (LibreOffice stamps a PDF with the time it was
made; the packs are joined reproducibly). Needs LibreOffice and poppler's pdftotext.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MEETING = "data/meetings/2026-11-04-children-and-young-people-scrutiny-panel.yaml"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        for part in ("config", "data"):
            shutil.copytree(REPO / part, project / part)
        command = [sys.executable, "-m", "reportgen.cli"]
        subprocess.run([*command, "build", "--pdf"], cwd=project, check=True, capture_output=True)
        subprocess.run([*command, "pack", MEETING], cwd=project, check=True, capture_output=True)
        out = project / "out"
        whole = sorted([*out.rglob("*.docx"), *out.rglob("*agenda-pack.pdf")])
        for path in whole:
            print(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {path.relative_to(project)}")
        for path in sorted(p for p in out.rglob("*.pdf") if not p.name.endswith("agenda-pack.pdf")):
            text = subprocess.run(
                ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True
            ).stdout
            print(f"{hashlib.md5(text).hexdigest()}  {path.relative_to(project)} (text)")


if __name__ == "__main__":
    main()
