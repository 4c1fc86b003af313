"""Content hashes of files, remembered by file stamp in a process's cache, and on disk.

A rebuild in one process (a service, the tests) that passes a cache does not read and hash
an unchanged file again: its size, modification time and inode are its stamp. A new
process reads the stamps and hashes of the last run from PROJECT/.cache/reportgen/
(`remember`, `keep`), so a command does not read every DfE file just to hash it; a file
saved since has another stamp and is hashed again. On disk, other caches are keyed by the
content hash itself.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from reportgen.cache import Cache
from reportgen.store import keep_quietly

INDEX = "digests.json"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


Stamp = tuple[str, int, int, int]


def stamp_of(path: Path) -> Stamp:
    """The file's path, size, modification time and inode: what changes when it is saved,
    replaced or edited in place. OSError if it cannot be read."""
    stat = path.stat()
    # not resolve(): it asks the disk about every folder on the way
    return (str(path.absolute()), stat.st_size, stat.st_mtime_ns, stat.st_ino)


def digest_of(path: Path, cache: Cache | None = None) -> tuple[str, bytes | None]:
    """The file's sha256, and its content when it had to be read for it."""
    key = stamp_of(path)
    known: str | None = cache.get("digest", key) if cache else None
    if known is not None:
        return known, None
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    if cache is not None:
        cache.put("digest", key, digest, 200)
    return digest, content


def digests(paths: Iterable[Path], root: Path, cache: Cache | None = None) -> dict[str, str]:
    """Each input's sha256, by its path relative to the project."""
    return {_relative(path, root): digest_of(path, cache)[0] for path in sorted(paths)}


def _relative(path: Path, root: Path) -> str:
    """`path` as the project knows it (`data/narrative/…`), or whole if outside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def remember(folder: Path, cache: Cache) -> tuple[tuple[str, int, int, int, str], ...]:
    """The stamps and hashes kept in `folder` by the last run, put in `cache`; nothing
    where there are none or they cannot be read (every file is then hashed again).

    Plain JSON, read as data and checked: a planted file can at worst give a wrong hash
    until the file it names changes, never run code."""
    try:
        entries = json.loads((folder / INDEX).read_bytes())
        known = tuple(
            (path, size, modified, inode, digest)
            for path, size, modified, inode, digest in entries
            if isinstance(path, str)
            and all(type(n) is int for n in (size, modified, inode))
            and isinstance(digest, str)
            and _SHA256.match(digest)
        )
    except (OSError, ValueError, TypeError):
        return ()
    for path, size, modified, inode, digest in known:
        cache.put("digest", (path, size, modified, inode), digest, 200)
    return known


def keep(
    folder: Path,
    paths: Iterable[Path],
    cache: Cache,
    known: tuple[tuple[str, int, int, int, str], ...],
) -> None:
    """Writes the stamps and hashes of `paths` to `folder` for the next run, unless they
    are what it holds already."""
    entries = [(*stamp_of(path), digest_of(path, cache)[0]) for path in sorted(paths)]
    if tuple(entries) != known:
        keep_quietly(folder / INDEX, json.dumps(entries, separators=(",", ":")).encode())
