"""`reportgen serve` and `reportgen users`: set Django up on a project folder, migrate,
start a job worker and the web server (waitress), and manage the people who may sign in."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
from collections.abc import Callable
from pathlib import Path


def setup(project: Path) -> None:
    """Django, configured for the project folder (its state in `.reportgen/`), migrated."""
    os.environ["REPORTGEN_PROJECT"] = str(project.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportgen.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from reportgen.web.roles import ensure_roles

    ensure_roles()


def serve(
    project: Path,
    host: str,
    port: int,
    demo: bool,
    say: Callable[[str], None],
    workers: int = 0,
    threads: int = 6,
) -> None:
    """Serves the project until interrupted: the web server on host:port in `workers`
    processes (default: one per core, at most 4; one where processes cannot be forked),
    each with `threads` threads, and a background job worker (page previews)."""
    setup(project)
    if demo:
        _demo(project, say)
    from django.conf import settings
    from django.db import connections
    from waitress import serve as waitress_serve

    from reportgen.web.wsgi import application

    listening = socket.create_server((host, port), reuse_port=False)
    count = workers or min(os.cpu_count() or 1, 4)
    if not hasattr(os, "fork"):  # Windows: one process
        count = 1
    connections.close_all()  # each process opens its own: a SQLite connection
    settings.HUEY.storage.close()  # must not be carried across a fork
    children = []
    for _ in range(count - 1):
        child = os.fork()
        if child == 0:  # a worker process: serve until told to stop
            signal.signal(signal.SIGTERM, _stop)
            with contextlib.suppress(KeyboardInterrupt):
                waitress_serve(application, sockets=[listening], threads=threads, _quiet=True)
            os._exit(0)
        children.append(child)
    consumer = settings.HUEY.create_consumer(workers=2, worker_type="thread")
    consumer.start()
    # The consumer sets signal handlers of its own; Ctrl-C should stop the server here.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop)
    processes = f"{count} process{'es' if count != 1 else ''}"
    say(
        f"reportgen is serving {project.resolve()} at http://{host}:{port}/ "
        f"({processes}; Ctrl-C stops it)"
    )
    try:
        waitress_serve(application, sockets=[listening], threads=threads, _quiet=True)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGTERM)
        for child in children:
            with contextlib.suppress(OSError):
                os.waitpid(child, 0)
        consumer.stop(graceful=True)
        say("stopped")


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _demo(project: Path, say: Callable[[str], None]) -> None:
    """One demo user per role, with printed passwords, and the example papers built."""
    import reportgen
    from reportgen.web.roles import add_demo_users

    say("demo users (the passwords are new each time):")
    for name, password, role, exempt in add_demo_users():
        said = f"{role}{', sees exempt papers' if exempt else ''}"
        say(f"  {name:<16} {password:<22} {said}")
    try:
        built = reportgen.build(project, None, project / "out")
        say(f"built {len(built)} papers into {project / 'out'}")
    except reportgen.ReportgenError as error:
        say(f"the example papers could not be built: {error.problems[0]}")
