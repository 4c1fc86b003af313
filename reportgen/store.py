"""Every write reportgen makes: papers, packs, manifests, snapshots, templates, caches.

Writes happen in a `transaction`: the files are gathered, then, holding the project's
write lock, each path is checked and every file is written atomically (a temporary file
and a rename), so a reader never sees half a file and a run that fails writes nothing.

The lock is a file, `.cache/reportgen/write.lock`, locked with the operating system's own
file locks (`flock` on Linux and macOS, `msvcrt.locking` on Windows), so it holds between
threads (each takes it through an open of its own) and between processes alike: another
`reportgen` run, or a service's worker in another process. The system releases it if a
process dies holding it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.errors import InputError, Problem, Problems

LOCK_FILE = Path(".cache") / "reportgen" / "write.lock"
MANIFEST = "manifest.json"
# How a problem with an output path is put right; `out` is the output folder option.
_MOVE_IT = "move or rename it, or give another output folder (the `out` option)"
# The name of write_atomically's temporary file: `.<stem>.<mkstemp's 8 characters>.tmp`.
_TEMPORARY = re.compile(r"^\..*\.[a-z0-9_]{8}\.tmp$")
# The umask papers, packs and their folders are written with, where it is not the process's:
# a service keeping its own state private (umask 077) still shares papers as `build` does.
_shared_umask: int | None = None


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


@dataclass
class Transaction:
    """Files to write together, with the manifest of each output folder they go in."""

    root: Path
    files: dict[Path, bytes] = field(default_factory=dict)
    kept: dict[Path, bytes] = field(default_factory=dict)  # the cache folder's: best effort
    # Folder: (the tool's version, the hash of every input its outputs were made from).
    manifests: dict[Path, tuple[str, dict[str, str]]] = field(default_factory=dict)

    def add(self, path: Path, content: bytes) -> None:
        self.files[path] = content

    def add_output(
        self, path: Path, content: bytes, version: str, inputs: Mapping[str, str]
    ) -> None:
        """A paper or pack, listed in its folder's manifest by the hash of these bytes."""
        self.add(path, content)
        held = self.manifests.setdefault(path.parent, (version, {}))[1]
        held.update(inputs)

    def keep(self, path: Path, content: bytes) -> None:
        """A file for the project's cache folder: one that cannot be written only costs
        time next run."""
        self.kept[path] = content

    def commit(self) -> None:
        """Checks every path, then writes every file; call with the lock held."""
        writable(self.files)
        for path, content in self.files.items():
            write_atomically(path, content)
        for path, content in self.kept.items():
            keep_quietly(path, content)
        for folder, (version, inputs) in self.manifests.items():
            built = {p.name: c for p, c in self.files.items() if p.parent == folder}
            write_atomically(folder / MANIFEST, manifest(folder, version, inputs, built))


@contextmanager
def transaction(root: Path) -> Iterator[Transaction]:
    """A transaction on the project at `root`, written when the `with` block ends without
    an error, all under the project's lock (which the block holds too, so that what it
    checks before writing cannot change underneath it)."""
    with project_lock(root):
        gathered = Transaction(root)
        yield gathered
        gathered.commit()


def manifest(
    folder: Path, version: str, inputs: Mapping[str, str], built: Mapping[str, bytes]
) -> bytes:
    """`manifest.json` for an output folder: the tool's version, the hash of every input
    (config, data, templates, and the narrative or meeting files) and of every paper and
    pack, those just `built` hashed from their bytes. Outputs made by an earlier run are
    kept from the earlier manifest while the file is still there. The same inputs give the
    same manifest."""
    earlier = _read_manifest(folder / MANIFEST)
    outputs = {
        name: digest
        for name, digest in earlier.get("outputs", {}).items()
        if name not in built and (folder / name).is_file()
    }
    outputs.update({name: hashlib.sha256(c).hexdigest() for name, c in built.items()})
    document = {
        "reportgen": version,
        "inputs": dict(sorted({**earlier.get("inputs", {}), **inputs}.items())),
        "outputs": dict(sorted(outputs.items())),
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """An earlier manifest's inputs and outputs; nothing where it is missing or damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        part: {str(k): str(v) for k, v in data[part].items()}
        for part in ("inputs", "outputs")
        if isinstance(data.get(part), dict)
    }


def writable(paths: Iterable[Path]) -> None:
    """Raises InputError, before anything is written, if a file to write is a folder or
    would go in a folder that is a file (an output folder naming a file, say)."""
    problems = Problems()
    for path in paths:
        if path.is_dir():
            problems.add(path, None, "", "is a folder, where a file is to be written", _MOVE_IT)
        blocked = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        if blocked is not None:
            problems.add(blocked, None, "", "is a file, where a folder is needed", _MOVE_IT)
    problems.raise_if_any()


def write_atomically(path: Path, content: bytes) -> None:
    """Writes `content` to `path` via a temporary file and a rename: all or nothing. A file
    open in Word, or a full disk, is an InputError naming the file."""
    try:
        _replace(path, content)
    except PermissionError:
        raise InputError(
            [
                Problem.at(
                    path,
                    "cannot be replaced (it may be open in Word)",
                    "close it and run again; the earlier version is unchanged",
                )
            ]
        ) from None
    except OSError as exc:
        raise InputError(
            [
                Problem.at(
                    path,
                    f"cannot be written ({exc.strerror})",
                    "check there is room on the disk and that the folder can be written to",
                )
            ]
        ) from None


def _replace(path: Path, content: bytes) -> None:
    _make_folder(path.parent)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            # mkstemp makes a private file; a paper is for sharing, as any new file would be.
            os.chmod(temporary, 0o666 & ~_sharing_umask())
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _make_folder(folder: Path) -> None:
    """Makes `folder` and any missing parents, with the sharing umask's modes."""
    if _shared_umask is None or folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        return
    missing = [folder, *(p for p in folder.parents if not p.exists())]
    folder.mkdir(parents=True, exist_ok=True)
    for made in missing:
        with suppress(OSError):
            os.chmod(made, 0o777 & ~_shared_umask)


def share_outputs_as(umask: int | None) -> None:
    """Papers, packs and their folders are written from now on with the modes of `umask`
    (None: the process's own), whatever the process's umask is."""
    global _shared_umask
    _shared_umask = umask


def _sharing_umask() -> int:
    return _umask() if _shared_umask is None else _shared_umask


def sweep_temporaries(root: Path, folders: Iterable[Path], before: float) -> list[Path]:
    """Removes the temporary files write_atomically left in `folders` (and below) when a
    process was killed mid-write, those last changed before `before` (a time.time()): only
    files named as it names them. Holds the project's write lock, so that no write under
    way loses its file. The files removed."""
    removed = []
    with project_lock(root):
        for folder in folders:
            for where, _, names in os.walk(folder):  # links to folders are not followed
                for name in filter(_TEMPORARY.match, names):
                    found = Path(where, name)
                    with suppress(OSError):
                        stat = found.lstat()  # a link is not a temporary file
                        if stat.st_mtime < before and not found.is_symlink() and found.is_file():
                            found.unlink()
                            removed.append(found)
    return sorted(removed)


def keep_quietly(path: Path, content: bytes) -> None:
    """Writes a cache file all at once, with no lock: a cache that cannot be written only
    costs time next run, and two writers of one key write the same bytes."""
    with suppress(OSError):
        _replace(path, content)


def _umask() -> int:
    """The process's umask, read without setting it: setting it, even back, changes it for
    every thread of a server for a moment."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022  # the usual one, where the system does not say (Windows ignores it)
