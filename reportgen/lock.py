"""One writer at a time in a project: a lock held while papers, packs, manifests, snapshots
and templates are written, between threads and between processes alike.

The lock is a file, `.cache/reportgen/write.lock`, locked with the operating system's own
file locks (`flock` on Linux and macOS, `msvcrt.locking` on Windows), so it also holds
against another `reportgen` run, or a service's worker in another process; the system
releases it if a process dies holding it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = Path(".cache") / "reportgen" / "write.lock"


@contextmanager
def project_lock(root: Path) -> Iterator[None]:
    """Holds the project's write lock for the `with` block, waiting for it if need be."""
    path = root / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:  # an open of its own: threads exclude each other too
        _lock(handle.fileno())
        try:
            yield
        finally:
            _unlock(handle.fileno())


if sys.platform == "win32":  # pragma: no cover - Windows
    import msvcrt

    def _lock(descriptor: int) -> None:
        msvcrt.locking(descriptor, msvcrt.LK_LOCK, 1)

    def _unlock(descriptor: int) -> None:
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_EX)

    def _unlock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
