"""`reportgen serve`, `reportgen worker` and `reportgen users`: set Django up on a project
folder, migrate, run the web server (waitress) and the background jobs (huey), and manage the
people who may sign in."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

# Each setting that needs a package `pip install 'reportgen[scale]'` brings in.
_NEEDS = {"REPORTGEN_DATABASE_URL": ("psycopg", "psycopg2"), "REPORTGEN_REDIS_URL": ("redis",)}
_MIGRATING = 7_301_402  # PostgreSQL's advisory lock held while one process migrates
# A request body larger than this is refused (413) by the web server before it is read: the
# largest upload is a supplied paper (20 MB, reportgen.MAX_SUPPLIED), with its form around it.
MAX_BODY = 24 * 1024 * 1024


class ServiceError(Exception):
    """The service cannot start here: what is wrong and how to fix it, in one line."""


def setup(project: Path, migrate: bool = True) -> None:
    """Django, configured for the project folder (its state in `.reportgen/`), and its
    database migrated unless `migrate` is false (a job worker leaves that to the service)."""
    for variable, modules in _NEEDS.items():
        if os.environ.get(variable) and not any(importlib.util.find_spec(m) for m in modules):
            raise ServiceError(
                f"{variable} is set, but the {modules[0]} package is not installed — "
                "install it with: pip install 'reportgen[scale]'"
            )
    os.environ["REPORTGEN_PROJECT"] = str(project.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportgen.web.settings")
    import django
    from django.db import OperationalError

    django.setup()
    if not migrate:
        return
    try:
        with _migrating():
            from django.core.management import call_command

            call_command("migrate", verbosity=0, interactive=False)
            from reportgen.web.roles import ensure_roles

            ensure_roles()
    except OperationalError as error:
        raise ServiceError(
            f"cannot use the database {_database()}: {_first_line(error)} — start it, or "
            "correct REPORTGEN_DATABASE_URL"
        ) from None


@contextlib.contextmanager
def _migrating() -> Iterator[None]:
    """One process at a time migrates a PostgreSQL database: services starting together
    (on several machines) would otherwise each create the same tables."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_MIGRATING])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_MIGRATING])


def _database() -> str:
    from django.conf import settings

    found = settings.DATABASES["default"]
    if "postgresql" in str(found["ENGINE"]):
        return f"PostgreSQL {found['NAME']} at {found['HOST']}:{found['PORT'] or 5432}"
    return f"SQLite {found['NAME']}"


def queue() -> str:
    """Where the job queue is, as a person reads it (a password in its address left out)."""
    url = os.environ.get("REPORTGEN_REDIS_URL", "")
    if url:
        parsed = urlparse(url)
        return f"the Redis queue at {parsed.hostname}:{parsed.port or 6379}{parsed.path or '/0'}"
    from django.conf import settings

    return f"the SQLite queue {Path(settings.STATE) / 'jobs.sqlite3'}"


def _reach_queue() -> None:
    from django.conf import settings

    try:
        settings.HUEY.pending_count()
    except Exception as error:  # redis's ConnectionError, sqlite3's OperationalError…
        fix = (
            "start it, or correct REPORTGEN_REDIS_URL"
            if os.environ.get("REPORTGEN_REDIS_URL")
            else f"check that {settings.STATE} can be written"
        )
        raise ServiceError(f"cannot reach {queue()}: {_first_line(error)} — {fix}") from None


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _consumer(threads: int) -> Any:
    """A huey consumer running `threads` jobs at once. A queue in SQLite is polled: once
    idle, at most a second passes between looks (huey's default is ten), so that a preview
    asked for after a quiet spell starts at once; Redis hands a job over as it comes."""
    from django.conf import settings

    return settings.HUEY.create_consumer(workers=threads, worker_type="thread", max_delay=1.0)


def serve(
    project: Path,
    host: str,
    port: int,
    demo: bool,
    say: Callable[[str], None],
    workers: int = 0,
    threads: int = 6,
    jobs: bool = True,
) -> None:
    """Serves the project until interrupted: the web server on host:port in `workers`
    processes (default: one per core, at most 4; one where processes cannot be forked),
    each with `threads` threads, and, unless `jobs` is false (`reportgen worker` runs them),
    the background jobs (page previews, agenda packs) in this process."""
    started = _private(project)
    setup(project)
    _reach_queue()
    _tidy(project, started, say)
    if demo:
        _demo(project, say)
    from waitress import serve as waitress_serve

    from reportgen.web.wsgi import application

    listening = socket.create_server((host, port), reuse_port=False)
    count = workers or min(os.cpu_count() or 1, 4)
    if not hasattr(os, "fork"):  # Windows: one process
        count = 1
    _close_connections()
    children = []
    for _ in range(count - 1):
        child = os.fork()
        if child == 0:  # a worker process: serve until told to stop
            signal.signal(signal.SIGTERM, _stop)
            with contextlib.suppress(KeyboardInterrupt):
                waitress_serve(application, sockets=[listening], **web_server_options(threads))
            os._exit(0)
        children.append(child)
    consumer = _consumer(2) if jobs else None
    if consumer is not None:
        consumer.start()
    # The consumer sets signal handlers of its own; Ctrl-C should stop the server here.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop)
    processes = f"{count} process{'es' if count != 1 else ''}"
    ran = f"running jobs from {queue()}" if jobs else f"jobs go to {queue()} for `reportgen worker`"
    say(
        f"reportgen is serving {project.resolve()} at http://{host}:{port}/ "
        f"({processes}; {ran}; Ctrl-C stops it)"
    )
    try:
        waitress_serve(application, sockets=[listening], **web_server_options(threads))
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGTERM)
        for child in children:
            with contextlib.suppress(OSError):
                os.waitpid(child, 0)
        if consumer is not None:
            consumer.stop(graceful=True)
        say("stopped")


def work(project: Path, threads: int, say: Callable[[str], None]) -> None:
    """Runs the service's background jobs from the project's queue, `threads` at a time,
    until interrupted (Ctrl-C or SIGTERM): the jobs under way are finished first, unless
    interrupted again. Any number may run, on this machine or others sharing the project
    folder (with the queue in Redis), beside a `reportgen serve --no-jobs`."""
    from huey.api import TaskWrapper
    from huey.consumer import ConsumerStopped

    started = _private(project)
    setup(project, migrate=False)
    _reach_queue()
    _tidy(project, started, say)
    from reportgen.web import tasks

    kinds = sorted(n for n, v in vars(tasks).items() if isinstance(v, TaskWrapper))
    _tell_each_job(say)
    consumer = _consumer(threads)
    consumer.start()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop)
    say(
        f"reportgen worker: running jobs ({', '.join(kinds)}) for {project.resolve()} from "
        f"{queue()} ({threads} at a time; Ctrl-C stops it)"
    )
    checked = time.monotonic()
    try:
        while True:  # huey's own loop: it restarts a job thread that died
            checked = consumer.loop(checked)
    except ConsumerStopped:  # the loop took the interrupt and let the jobs finish
        pass
    except KeyboardInterrupt:
        consumer.stop(graceful=True)
    say("stopped")


def _tell_each_job(say: Callable[[str], None]) -> None:
    """A line for each job a worker finishes: which, how long it ran, and whether it failed
    (its traceback follows, from huey's log)."""
    from django.conf import settings
    from huey import signals

    started: dict[str, float] = {}

    @settings.HUEY.signal(signals.SIGNAL_EXECUTING, signals.SIGNAL_COMPLETE, signals.SIGNAL_ERROR)
    def told(what: str, task: Any, error: Exception | None = None) -> None:
        if what == signals.SIGNAL_EXECUTING:
            started[task.id] = time.monotonic()
            return
        took = time.monotonic() - started.pop(task.id, time.monotonic())
        name = task.name.rsplit(".", 1)[-1]
        outcome = "done" if what == signals.SIGNAL_COMPLETE else f"failed: {error!r}"
        say(f"{name} {task.id}: {outcome} in {took:.1f} s")


def web_server_options(threads: int) -> dict[str, Any]:
    """waitress's settings: bodies over MAX_BODY refused unread, and behind a proxy
    (REPORTGEN_PROXY_HTTPS=1 or REPORTGEN_TRUSTED_PROXY) the proxy's X-Forwarded-Proto and
    X-Forwarded-For believed from its address only (127.0.0.1 unless told), and removed
    from any other request, so that no one else can claim HTTPS or another address."""
    options: dict[str, Any] = {
        "threads": threads,
        "max_request_body_size": MAX_BODY,
        "clear_untrusted_proxy_headers": True,
        "_quiet": True,
    }
    proxy = os.environ.get("REPORTGEN_TRUSTED_PROXY", "").strip()
    if proxy or os.environ.get("REPORTGEN_PROXY_HTTPS") == "1":
        options["trusted_proxy"] = proxy or "127.0.0.1"
        options["trusted_proxy_count"] = 1
        options["trusted_proxy_headers"] = {"x-forwarded-proto", "x-forwarded-for"}
    return options


def _private(project: Path) -> float:
    """Makes what this process creates from now on private to the user running it (umask
    077: the database with its -wal and -shm files, the job queue, e-mails, previews, the
    secret key), and what is in `.reportgen/` already; papers and packs are still written
    with the umask the process had, as `reportgen build` writes them. When it started."""
    started = time.time()
    if os.name != "posix":  # pragma: no cover - Windows keeps its own permissions
        return started
    shared = os.umask(0o077)
    import reportgen

    reportgen.share_outputs_as(shared)
    state = project.resolve() / ".reportgen"
    if state.is_dir():
        for folder, _, names in os.walk(state):
            with contextlib.suppress(OSError):
                os.chmod(folder, 0o700)
            for name in names:
                found = Path(folder, name)
                with contextlib.suppress(OSError):
                    if not found.is_symlink():  # a link's target is not the service's to change
                        os.chmod(found, 0o600)
    return started


def _tidy(project: Path, started: float, say: Callable[[str], None]) -> None:
    """Removes what a process killed mid-way left: temporary files of writes it did not
    finish (a whole exempt pack among them), and marks its jobs failed."""
    import reportgen

    removed = reportgen.Workspace(project.resolve()).remove_temporaries(started)
    if removed:
        files = f"{len(removed)} temporary file{'s' if len(removed) != 1 else ''}"
        say(f"removed {files} left by a process stopped mid-write")
    from reportgen.web import tasks

    failed = tasks.fail_abandoned()
    if failed:
        jobs = f"{failed} job{'s' if failed != 1 else ''}"
        say(f"marked failed {jobs} left running by a process that stopped")


def unlock(project: Path, name: str) -> str:
    """Lifts the sign-in lock-out of user name `name` (audited); what was done, in a line."""
    setup(project)
    from reportgen.web.audit import record
    from reportgen.web.throttle import unlock as forget

    if not forget(name):
        return f"{name} has no failed sign-ins to forget: nothing to do"
    record(None, "sign-in unlocked", name)
    return f"unlocked {name}: their failed sign-ins are forgotten, and they may sign in again"


def _close_connections() -> None:
    """Closes the database's and the queue's connections, which must not be carried across
    a fork: each process opens its own."""
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    settings.HUEY.storage.close()  # SQLite's
    pool = getattr(settings.HUEY.storage, "pool", None)  # Redis's
    if pool is not None:
        pool.disconnect()


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _demo(project: Path, say: Callable[[str], None]) -> None:
    """One demo user per role, with printed passwords, and the example papers built."""
    import reportgen
    from reportgen.web.roles import add_demo_users

    say("demo users (the passwords are new each time):")
    for name, password, role, exempt, clears in add_demo_users():
        said = f"{role}{', sees exempt papers' if exempt else ''}"
        said += "".join(f", clears as {c}" for c in clears)
        say(f"  {name:<16} {password:<22} {said}")
    try:
        built = reportgen.Workspace(project).build(None, project / "out").reports
        say(f"built {len(built)} papers into {project / 'out'}")
    except reportgen.ReportgenError as error:
        say(f"the example papers could not be built: {error.problems[0]}")
