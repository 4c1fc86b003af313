"""Which files are a project's inputs: their stamps (size, modification time, inode), which
tell `load_project` that a project is unchanged, and their content hashes, which say what a
paper was made from.
"""

from __future__ import annotations

import os
from pathlib import Path

from reportgen.cache import Cache
from reportgen.errors import Problems
from reportgen.inputs.digests import digest_of, digests, keep, remember
from reportgen.inputs.paths import is_inside
from reportgen.inputs.templates import BUILT_IN_TEMPLATES, template_files

INPUT_FOLDERS = ("config", "data", "templates")


_INPUT_SUFFIXES = (".csv", ".xlsx", ".yaml", ".yml", ".docx", ".pdf", ".json")


def input_stamps(root: Path) -> tuple[tuple[str, int, int, int], ...]:
    """Every input file's path, size, modification time and inode (what changes when a
    file is saved, replaced or edited in place), in one walk of the input folders.
    Narrative and meeting files are left out: `load_project` does not read them, so saving
    one keeps the project loaded.

    Raises InputError, before any input is read, for an entry that reportgen must not read:
    a link that leads out of the project (or round in a loop), or something that is not a
    file (a pipe, a device), which could hang a read."""
    problems = Problems()
    papers = {root / "data" / "narrative", root / "data" / "meetings"}
    stamps: list[tuple[str, int, int, int]] = []

    def walk(folder: Path, of_papers: bool) -> None:
        # As os.walk goes (folders, then files; never into a linked folder), with the
        # kind of each entry from the folder listing, not a call for each.
        try:
            with os.scandir(folder) as listing:
                kinds = sorted(((e, _is_folder(e)) for e in listing), key=lambda k: not k[1])
        except OSError:
            return
        for entry, folder_ in kinds:
            path = Path(entry.path)
            if entry.is_symlink() and not is_inside(root, path):
                problems.add(
                    path,
                    None,
                    "",
                    "is a link that leads outside the project folder (or round in a loop)",
                    "put a copy of the file itself here instead of the link",
                )
            elif not folder_ and not entry.is_file():
                problems.add(
                    path,
                    None,
                    "",
                    "is not a file reportgen can read (a pipe, a device, or a broken link)",
                    "remove it: reportgen reads only files",
                )
            elif folder_ and entry.name.lower().endswith(_INPUT_SUFFIXES):
                problems.add(
                    path,
                    None,
                    "",
                    "is a folder with the name of a file",
                    "rename the folder, or put the file itself here",
                )
            elif not folder_ and not of_papers:
                stat = entry.stat()
                stamps.append((entry.path, stat.st_size, stat.st_mtime_ns, stat.st_ino))
        for entry, folder_ in kinds:
            if folder_ and not entry.is_symlink():
                walk(Path(entry.path), of_papers or Path(entry.path) in papers)

    for folder in INPUT_FOLDERS:
        walk(root / folder, False)
    problems.raise_if_any()
    return tuple(sorted(stamps))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether the entry is a folder or a link to one; not when the link cannot be
    followed (a loop), as os.walk decides."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def input_digests(
    root: Path, cache: Cache | None = None, folder: Path | None = None
) -> dict[str, str]:
    """The content hash of every input a paper is made from: config, data, and every
    template it can use (a built-in one as `reportgen/templates/NAME.docx`). With
    `folder`, the hashes of files unchanged since the last run are read from there, and
    this run's kept there."""
    # Sign-offs too: a paper cleared (or no longer) prints another clearance section.
    folders = [
        "config", "data/indicators", "data/cases", "data/dfe", "data/benchmarks", "data/clearance"
    ]  # fmt: skip
    paths = [
        path
        for folder in folders
        if (root / folder).is_dir()
        for path in (root / folder).iterdir()
        if path.is_file() and not path.name.startswith((".", "~$"))
    ]
    templates = template_files(root).values()
    own = [p for p in templates if p.parent != BUILT_IN_TEMPLATES]
    cache = cache if cache is not None else Cache()
    known = remember(folder, cache) if folder is not None else ()
    built_in = {
        f"reportgen/templates/{p.name}": digest_of(p, cache)[0]
        for p in templates
        if p.parent == BUILT_IN_TEMPLATES
    }
    hashed = digests([*paths, *own], root, cache)
    if folder is not None:
        keep(folder, [*paths, *templates], cache, known)
    return {**hashed, **built_in}
