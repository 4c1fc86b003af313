"""Content hashes of files, remembered by file stamp in a process's cache.

A rebuild in one process (a service, the tests) that passes a cache does not read and hash
an unchanged file again: its size, modification time and inode are its stamp. On disk,
caches are keyed by the content hash itself.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from reportgen.cache import Cache


def digest_of(path: Path, cache: Cache | None = None) -> tuple[str, bytes | None]:
    """The file's sha256, and its content when it had to be read for it."""
    stat = path.stat()
    # not resolve(): it asks the disk about every folder on the way
    key = (str(path.absolute()), stat.st_size, stat.st_mtime_ns, stat.st_ino)
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
