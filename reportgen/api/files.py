"""What the public API offers beyond a workspace: checks of files and texts that belong to
no project folder (a YAML text from outside, finished documents' accessibility)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportgen.cache import Cache
from reportgen.errors import Problems
from reportgen.inputs.yamlfile import load_yaml
from reportgen.jobs import agenda
from reportgen.pdf import accessibility as pdf_accessibility
from reportgen.word import accessibility


def check_yaml_text(path: Path, text: str, *, cache: Cache | None = None) -> None:
    """Raises InputError (at its line, as the file `path`) when `text` is not YAML that
    reportgen reads within its bounds: too large, nested too deep, aliases that repeat too
    much, or a syntax error. Every text from outside goes through this before any other
    YAML reader (the service's form builder) sees it; nothing is built before the bounds
    are checked."""
    load_yaml(path, text, cache)


def is_meeting_file(path: Path, text: str | None = None, cache: Cache | None = None) -> bool:
    """Whether `path` (or `text`, as its content not yet saved) is a meeting file (it has
    `items:` and no `template:`), not a narrative."""
    return agenda.is_meeting_file(path, text, cache)


def check_accessibility(files: Sequence[Path]) -> list[tuple[Path, str]]:
    """Accessibility findings in Word documents and PDFs (by their `.pdf` suffix), by
    document: for Word, title, language, headings, alt text, tables, empty paragraphs,
    contrast and colour; for a PDF, tags, title, language, bookmarks and extractable text."""
    problems = Problems()
    found = []
    for file in files:
        if not file.is_file():
            problems.add(file, None, "", "does not exist", "check the path")
            continue
        if file.suffix.lower() == ".pdf":
            try:
                found += [(file, str(f)) for f in pdf_accessibility.check_file(file)]
            except pdf_accessibility.NotAPdf as exc:
                problems.add(file, None, "", str(exc), "check it is the right file")
            continue
        try:
            found += [(file, str(f)) for f in accessibility.check_file(file)]
        except accessibility.NotAWordDocument:
            problems.add(
                file, None, "", "is not a Word document (.docx)", "save it as .docx in Word"
            )
    problems.raise_if_any()
    return found
