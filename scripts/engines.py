"""Throwaway PostgreSQL and Redis servers on 127.0.0.1, for `.ci/scale-out` and
`benchmarks/load_test.py`: the service's scale-out engines from Debian's packages
(`postgresql`, `redis-server`), each on a free port with everything in one folder.

    eval "$(python3 scripts/engines.py start FOLDER)"   # exports REPORTGEN_DATABASE_URL
    python3 scripts/engines.py stop FOLDER               # and REPORTGEN_REDIS_URL

PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user (which
Debian's package makes), or `nobody`. Its cluster is in a temporary folder of its own (which
that user can reach, and whose socket's path is short enough); the rest is in FOLDER. Nothing
listens beyond 127.0.0.1, and `stop` leaves no process and no cluster behind.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

DATABASE = "reportgen"
STATE = "engines.json"


@dataclass(frozen=True)
class Engines:
    folder: Path
    postgres: str  # the cluster's folder: data/, its log and socket
    postgres_bin: str
    postgres_user: str  # whom PostgreSQL's programs run as ("" : whoever runs this)
    postgres_port: int
    redis_port: int
    redis_pid: int

    @property
    def database_url(self) -> str:
        return f"postgresql://{DATABASE}@127.0.0.1:{self.postgres_port}/{DATABASE}"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def environment(self) -> dict[str, str]:
        """The service's settings that point at these engines."""
        return {"REPORTGEN_DATABASE_URL": self.database_url, "REPORTGEN_REDIS_URL": self.redis_url}


def start(folder: Path) -> Engines:
    """Starts PostgreSQL (a new cluster, with a `reportgen` database) and Redis (no
    persistence) in `folder`, each on a free port of 127.0.0.1, and waits until both answer."""
    folder.mkdir(parents=True, exist_ok=True)
    user = _postgres_user()
    binaries = _postgres_bin()
    postgres = Path(tempfile.mkdtemp(prefix="reportgen-postgres-"))
    _save(Engines(folder, str(postgres), binaries, user, 0, 0, 0))  # `stop` removes it
    if user:
        entry = pwd.getpwnam(user)
        os.chown(postgres, entry.pw_uid, entry.pw_gid)
    data = postgres / "data"
    _as(user, [f"{binaries}/initdb", "-D", str(data), "-U", DATABASE, "--auth=trust",
               "--no-locale", "-E", "UTF8"])  # fmt: skip
    port = _free_port()
    options = f"-h 127.0.0.1 -p {port} -k {shlex.quote(str(postgres))} -c max_connections=200"
    _as(user, [f"{binaries}/pg_ctl", "-D", str(data), "-l", str(postgres / "log"), "-w",
               "-t", "60", "-o", options, "start"], log=postgres / "log")  # fmt: skip
    engines = Engines(folder, str(postgres), binaries, user, port, 0, 0)
    _save(engines)  # from here on, `stop` stops what has started
    _as(user, [f"{binaries}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", DATABASE,
               DATABASE])  # fmt: skip
    redis = folder / "redis"
    redis.mkdir()
    redis_port = _free_port()
    pidfile = redis / "redis.pid"
    subprocess.run(
        [_redis_server(), "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "",
         "--appendonly", "no", "--daemonize", "yes", "--pidfile", str(pidfile),
         "--dir", str(redis), "--logfile", str(redis / "log")],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    _wait_for_redis(redis_port, pidfile)
    engines = Engines(
        folder, str(postgres), binaries, user, port, redis_port, int(pidfile.read_text())
    )
    _save(engines)
    return engines


def stop(folder: Path) -> None:
    """Stops the engines `start` started in `folder` (those of them that started)."""
    state = folder / STATE
    if not state.is_file():
        return
    engines = Engines(**{**json.loads(state.read_text()), "folder": folder})
    if engines.redis_pid:
        _end(engines.redis_pid)
    data = Path(engines.postgres) / "data"
    if (data / "postmaster.pid").is_file():
        _as(engines.postgres_user, [f"{engines.postgres_bin}/pg_ctl", "-D", str(data), "-m",
                                    "fast", "-w", "stop"], check=False)  # fmt: skip
    shutil.rmtree(engines.postgres, ignore_errors=True)
    state.unlink()


def _postgres_user() -> str:
    if os.geteuid() != 0:
        return ""
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise SystemExit("PostgreSQL will not run as root, and there is no postgres or nobody user")


def _postgres_bin() -> str:
    """The folder of PostgreSQL's server programs: REPORTGEN_PG_BIN, pg_ctl's on the PATH,
    or the newest of Debian's (/usr/lib/postgresql/N/bin, which is not on the PATH)."""
    given = os.environ.get("REPORTGEN_PG_BIN")
    if given:
        return given
    found = shutil.which("pg_ctl")
    if found:
        return str(Path(found).resolve().parent)
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not debian:
        raise SystemExit("PostgreSQL is not installed: sudo apt-get install postgresql")
    return str(debian[-1].parent)


def _redis_server() -> str:
    found = shutil.which("redis-server")
    if not found:
        raise SystemExit("Redis is not installed: sudo apt-get install redis-server")
    return found


def _as(user: str, command: list[str], check: bool = True, log: Path | None = None) -> None:
    """Runs one of PostgreSQL's programs as `user` (as root), else as whoever runs this; a
    failure says what it printed, and what the server wrote in `log`."""
    options: dict[str, object] = {}
    if user:
        entry = pwd.getpwnam(user)
        options = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
    done = subprocess.run(
        command, capture_output=True, text=True, cwd="/", check=False, **options
    )  # the cwd: PostgreSQL's user may not be allowed into ours
    if check and done.returncode != 0:
        logged = log.read_text(errors="replace") if log and log.is_file() else ""
        raise SystemExit(f"{Path(command[0]).name} failed:\n{done.stdout}{done.stderr}{logged}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for_redis(port: int, pidfile: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG") and pidfile.is_file():
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"Redis did not answer on 127.0.0.1:{port} within 30 s")


def _end(pid: int) -> None:
    """Stops a process, and waits (10 s at most) until it has gone."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


def _save(engines: Engines) -> None:
    state = {k: v for k, v in asdict(engines).items() if k != "folder"}
    (engines.folder / STATE).write_text(json.dumps(state))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("folder", type=Path)
    arguments = parser.parse_args()
    folder = arguments.folder.resolve()
    if arguments.action == "stop":
        stop(folder)
        return
    try:
        engines = start(folder)
    except BaseException:
        stop(folder)
        raise
    for name, value in engines.environment().items():
        print(f"export {name}={shlex.quote(value)}")
    print(
        f"PostgreSQL on 127.0.0.1:{engines.postgres_port}, Redis on 127.0.0.1:"
        f"{engines.redis_port}, in {folder}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
