"""The one way a path named in an input file becomes a file: inside the project, or refused.

Narrative, meeting files, templates and data come from other people. A path they name
(`file: supplied/minutes.pdf`, `template: information_report`) is resolved against its
folder with every link followed, and must end inside the project folder; a file found by
listing a project folder must too, so a link in `data/` cannot read a file elsewhere.
"""

from __future__ import annotations

import re
from pathlib import Path

# A template is named, not located: letters, digits, `_` and `-`, optionally `.docx`.
_TEMPLATE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}(\.docx)?")


class OutsideProject(ValueError):
    """A path from an input file that leads out of the project; the message says where."""


def inside(root: Path, base: Path, given: str | Path) -> Path:
    """`given` (relative to the folder `base`, or absolute) resolved with its links
    followed; raises OutsideProject if that is not inside `root`."""
    text = str(given)
    if "\0" in text:
        raise OutsideProject("the path has a NUL character in it")
    try:
        resolved = (base / given).resolve()
        home = root.resolve()
    except (OSError, RuntimeError) as exc:  # a loop of links
        raise OutsideProject(f"the path cannot be followed ({exc})") from None
    if resolved != home and home not in resolved.parents:
        raise OutsideProject(
            f"'{text}' leads outside the project folder"
            + (" (through a link)" if not Path(text).is_absolute() and ".." not in text else "")
        )
    return resolved


def is_inside(root: Path, path: Path) -> bool:
    """Whether `path`, with its links followed, is inside `root`."""
    try:
        inside(root, path.parent, path.name)
    except OutsideProject:
        return False
    return True


def template_name(name: str) -> str | None:
    """The template's file name (`information_report.docx`), or None if `name` is not a
    plain name (it has a folder, `..`, or other characters)."""
    if not _TEMPLATE_NAME.fullmatch(name):
        return None
    return f"{name.removesuffix('.docx')}.docx"
