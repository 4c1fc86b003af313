"""The commands of the web service: `serve`, `worker` and `users` (the people who may sign
in). Each sets the service up over the project, then hands over to reportgen.web."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from reportgen.cli.options import ProjectOption


def serve(
    project: ProjectOption = Path("."),
    host: Annotated[str, typer.Option("--host", help="The address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="The port to listen on.")] = 8000,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Also make one demo user per role (passwords printed) and build the papers.",
        ),
    ] = False,
    workers: Annotated[
        int,
        typer.Option("--workers", help="Web server processes [default: one per core, up to 4]."),
    ] = 0,
    jobs: Annotated[
        bool,
        typer.Option(
            "--jobs/--no-jobs",
            help="Run the background jobs (page previews, agenda packs) here too; "
            "--no-jobs where `reportgen worker` runs them.",
        ),
    ] = True,
) -> None:
    """Serve the project in a browser: officers sign in, edit, check, preview and download
    their papers. Keeps its database and jobs in PROJECT/.reportgen/ (or PostgreSQL and
    Redis: see REPORTGEN_DATABASE_URL and REPORTGEN_REDIS_URL)."""
    from reportgen.web.server import serve as run

    run(project, host, port, demo, typer.echo, workers, jobs=jobs)


def worker(
    project: ProjectOption = Path("."),
    threads: Annotated[
        int, typer.Option("--threads", min=1, help="Jobs this worker runs at once.")
    ] = 1,
) -> None:
    """Run the service's background jobs (page previews, agenda packs) until Ctrl-C, beside
    a `reportgen serve --no-jobs`: on this machine, or on others that share the project
    folder when the queue is in Redis (REPORTGEN_REDIS_URL). Run as many jobs at once, in
    all, as the machines have cores: one worker per core, or --threads."""
    from reportgen.web.server import work

    work(project, threads, typer.echo)


users_app = typer.Typer(
    help="The people who may sign in to `reportgen serve`.", no_args_is_help=True
)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The user name they sign in with.")],
    role: Annotated[str, typer.Option("--role", help="clearer, officer, clerk or admin.")],
    exempt: Annotated[
        bool, typer.Option("--exempt", help="May see exempt (Schedule 12A) papers.")
    ] = False,
    email: Annotated[
        str, typer.Option("--email", help="Their e-mail address, for notifications.")
    ] = "",
    full_name: Annotated[
        str, typer.Option("--name", help="Their full name, as a paper's clearance prints it.")
    ] = "",
    clears: Annotated[
        list[str] | None,
        typer.Option(
            "--clears", help='A clearance role they hold ("Chief Financial Officer"); repeatable.'
        ),
    ] = None,
    project: ProjectOption = Path("."),
) -> None:
    """Add a user. The password is asked for (or read from REPORTGEN_PASSWORD)."""
    from reportgen.web import server

    server.setup(project)
    from reportgen.web.roles import RoleError, add_user

    password = os.environ.get("REPORTGEN_PASSWORD") or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:  # the user name and password are checked there, as the users page checks them
        add_user(name, role, password, exempt, email, clears or (), full_name)
    except RoleError as exc:
        said = f"the password is not good enough — {exc}" if exc.field == "password" else exc
        typer.echo(f"error: {said}", err=True)
        raise typer.Exit(1) from None
    from reportgen.web.audit import record

    given = ", may see exempt papers" if exempt else ""
    record(None, "user added", name, f"role {role}{given} (from the command line)")
    typer.echo(f"added {name} ({role}{', sees exempt papers' if exempt else ''})")


@users_app.command("list")
def users_list(project: ProjectOption = Path(".")) -> None:
    """List the users, their roles, who may see exempt papers, and who clears papers."""
    from reportgen.web import server

    server.setup(project)
    from reportgen.web.roles import people

    for person in people():
        clears = "".join(f"  clears as {role}" for role in person.clears)
        typer.echo(f"{person.name}  {person.role}{'  exempt' if person.exempt else ''}{clears}")


@users_app.command("remove")
def users_remove(
    name: Annotated[str, typer.Argument(help="The user name.")], project: ProjectOption = Path(".")
) -> None:
    """Remove a user (their versions and audit entries stay, under their name)."""
    from reportgen.web import server

    server.setup(project)
    from reportgen.web.audit import record
    from reportgen.web.roles import RoleError, remove_user

    try:
        remove_user(name)
    except RoleError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    record(None, "user removed", name)
    typer.echo(f"removed {name}")


@users_app.command("unlock")
def users_unlock(
    name: Annotated[str, typer.Argument(help="The user name.")], project: ProjectOption = Path(".")
) -> None:
    """Let a user name sign in again at once after too many wrong passwords locked it."""
    from reportgen.web import server

    typer.echo(server.unlock(project, name))
