"""`reportgen serve` and `reportgen users`: set Django up on a project folder, migrate,
start a job worker and the web server (waitress), and manage the people who may sign in."""

from __future__ import annotations

import os
import signal
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
    threads: int = 8,
) -> None:
    """Serves the project until interrupted: the web server on host:port and a background
    job worker (page previews), in this process."""
    setup(project)
    if demo:
        _demo(project, say)
    from django.conf import settings
    from waitress import serve as waitress_serve

    from reportgen.web.wsgi import application

    consumer = settings.HUEY.create_consumer(workers=2, worker_type="thread")
    consumer.start()
    # The consumer sets signal handlers of its own; Ctrl-C should stop the server here.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _stop)
    say(f"reportgen is serving {project.resolve()} at http://{host}:{port}/ (Ctrl-C stops it)")
    try:
        waitress_serve(
            application, host=host, port=port, threads=threads, ident="reportgen", _quiet=True
        )
    except KeyboardInterrupt:
        pass
    finally:
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
