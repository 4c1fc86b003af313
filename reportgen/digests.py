"""Content hashes of files, remembered by file stamp within one process (pure I/O helper).

A rebuild in one process (a service, the tests) does not read and hash an unchanged file
again: its size, modification time and inode are its stamp. On disk, caches are keyed by
the content hash itself.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

_DIGESTS: dict[Path, tuple[tuple[int, int, int], str]] = {}


def digest_of(path: Path) -> tuple[str, bytes | None]:
    """The file's sha256, and its content when it had to be read for it."""
    stat = path.stat()
    stamp = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
    where = path.absolute()  # not resolve(): it asks the disk about every folder on the way
    known = _DIGESTS.get(where)
    if known is not None and known[0] == stamp:
        return known[1], None
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    _DIGESTS[where] = (stamp, digest)
    return digest, content
