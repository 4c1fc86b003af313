"""The command line: parses options, calls the pipeline, turns errors into messages.

Exit codes: 0 success, 1 bad input (every problem printed as `file:line: key: what — fix`),
2 a fault in reportgen itself (set REPORTGEN_DEBUG=1 to see its traceback).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated, TypeVar, overload

import typer

try:  # typer 0.2x carries its own copy of click
    from typer._click import exceptions as _click
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as _click  # type: ignore[no-redef]

import reportgen
from reportgen.cli import service
from reportgen.cli.options import OutOption, PathsArgument, ProjectOption
from reportgen.errors import Problem, ReportgenError, display_path
from reportgen.version import __version__
from reportgen.web.server import ServiceError

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,  # plain help: flags without a `<bool>` that officers would type
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Committee papers on children's social care performance, from indicator data to Word.",
)

T = TypeVar("T")


StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict", help="Treat warnings (e.g. a rating change nobody explains) as problems."
    ),
]


@app.command()
def build(
    paths: PathsArgument = None,
    project: ProjectOption = Path("."),
    out: OutOption = None,
    strict: StrictOption = False,
    pdf: Annotated[
        bool,
        typer.Option("--pdf", help="Also make a tagged PDF of each paper (needs LibreOffice)."),
    ] = False,
) -> None:
    """Build the Word papers for narrative files into OUT/<meeting date>-<committee>/."""
    paths, out = _all_from(project, paths), _from(project, out)
    workspace = reportgen.Workspace(project)
    with _progress("building papers") as progress:
        built = _run(
            project,
            lambda: workspace.build(paths, out, strict=strict, pdf=pdf, progress=progress),
        )
    _echo_warnings(project, built.warnings)
    _echo_skipped(built.skipped)
    for item in built.reports:
        for path, _ in item.files:
            typer.echo(f"wrote {display_path(path)}")
    for folder in dict.fromkeys(item.report.output.parent for item in built.reports):
        typer.echo(f"wrote {display_path(folder / reportgen.MANIFEST)}")


@app.command()
def check(
    paths: PathsArgument = None,
    project: ProjectOption = Path("."),
    out: OutOption = None,
    strict: StrictOption = False,
) -> None:
    """Check config, data, narrative, meeting files and templates, as build and pack do,
    without writing anything."""
    paths, out = _all_from(project, paths), _from(project, out)
    checked = _run(project, lambda: reportgen.Workspace(project).check(paths, out, strict=strict))
    _echo_warnings(project, checked.warnings)
    _echo_skipped(checked.skipped)
    for meeting, items in checked.meetings.items():
        typer.echo(f"ok: {display_path(meeting)}, {_count(items, 'item')} checked")
    count = len(checked.warnings)
    found = _count(count, "warning") if count else "no problems found"
    if checked.reports or not checked.meetings:
        typer.echo(f"ok: {_count(len(checked.reports), 'report')} checked, {found}")


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'s' if number != 1 else ''}"


def _echo_skipped(skipped: list[Path]) -> None:
    if skipped:
        typer.echo(
            f"left out {_count(len(skipped), 'paper')} published already "
            f"({', '.join(p.name for p in skipped)}): name a narrative file to build it again",
            err=True,
        )


@app.command()
def publish(
    paths: PathsArgument = None,
    project: ProjectOption = Path("."),
    out: OutOption = None,
    replace_earlier: Annotated[
        bool,
        typer.Option("--replace", help="Publish a meeting again with other figures."),
    ] = False,
) -> None:
    """Build papers as final and record what each printed in data/published/."""
    paths, out = _all_from(project, paths), _from(project, out)
    workspace = reportgen.Workspace(project)
    done = _run(project, lambda: workspace.publish(paths, out, replace_earlier=replace_earlier))
    for item in done:
        for path, _ in item.built.files:
            typer.echo(f"wrote {display_path(path)}")
        if item.status is reportgen.PublishStatus.UNCHANGED:
            typer.echo(
                f"unchanged {display_path(item.path)} (published before with the same figures)"
            )
        elif item.replaced is not None:
            typer.echo(
                f"published {display_path(item.path)} "
                f"(the earlier one is kept as {display_path(item.replaced)})"
            )
        else:
            typer.echo(f"published {display_path(item.path)}")


@app.command()
def pack(
    meeting: Annotated[Path, typer.Argument(help="The meeting file (data/meetings/….yaml).")],
    project: ProjectOption = Path("."),
    out: OutOption = None,
) -> None:
    """Build a meeting's agenda pack: one PDF of the front sheet and every item's paper."""
    meeting, out = _from(project, meeting), _from(project, out)
    with _progress("making the agenda pack") as progress:
        written = _run(
            project, lambda: reportgen.Workspace(project).pack(meeting, out, progress=progress)
        )
    for path in written:
        typer.echo(f"wrote {display_path(path)}")


@app.command()
def history(
    indicator: Annotated[
        str, typer.Option("--indicator", "-i", help="The indicator's id in the catalogue.")
    ],
    project: ProjectOption = Path("."),
) -> None:
    """Print what was published for an indicator, meeting by meeting."""
    rows = _run(project, lambda: reportgen.Workspace(project).history(indicator), writes=False)
    if len(rows) == 1:
        typer.echo(f"{indicator} has not been published yet (see `reportgen publish`)")
        return
    _echo_table(rows)


@app.command()
def explain(
    indicator: Annotated[
        str, typer.Argument(help="The id of an indicator counted from case records (`cases:`).")
    ],
    period: Annotated[
        str, typer.Option("--period", help="The period: 2026-09, 2026-27 Q2 or 2026-27.")
    ],
    project: ProjectOption = Path("."),
    csv: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            help="Where to write the child-level list (default out/explain/ID-PERIOD.csv).",
        ),
    ] = None,
) -> None:
    """Show how a figure was counted from case records: the rule, the records at each step,
    and a CSV of the children behind it for the analyst (never part of a paper)."""
    csv = _from(project, csv)
    shown = _run(project, lambda: reportgen.Workspace(project).explain(indicator, period, csv=csv))
    typer.echo(f"{shown.indicator} {shown.title}, {shown.period}")
    for line in shown.rule:
        typer.echo(f"  {line}")
    width = max(len(f"{count:,}") for _, count in shown.steps)
    for step, count in shown.steps:
        typer.echo(f"  {count:>{width},}  {step}")
    typer.echo(f"{shown.indicator} {shown.period}: {shown.figure}")
    if shown.in_papers:
        typer.echo(f"  {shown.in_papers}")
    if shown.records is not None:
        typer.echo(f"wrote {display_path(shown.records)} (children's records: keep it safe)")


@app.command()
def accessibility(
    files: Annotated[
        list[Path], typer.Argument(help="Word documents (.docx) and PDFs (.pdf) to check.")
    ],
) -> None:
    """Check Word documents and PDFs for accessibility: title, language, headings, alt text,
    tables, empty paragraphs, contrast and colour; a PDF's tags, bookmarks and text."""
    found = _run(Path("."), lambda: reportgen.check_accessibility(files), writes=False)
    for file, finding in found:
        typer.echo(f"{display_path(file)}: {finding}")
    count = len(files)
    if found:
        typer.echo(f"{len(found)} finding{'s' if len(found) != 1 else ''}.", err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: {count} document{'s' if count != 1 else ''} checked, no findings")


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="The new project's folder (new or empty).")],
    la_code: Annotated[
        str, typer.Option("--la-code", help="The council's DfE code (old_la_code), e.g. 310.")
    ],
    dfe: Annotated[
        Path | None,
        typer.Option(
            "--dfe",
            help="A folder of the DfE files as downloaded [default: the example's data/dfe].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Start a new council's project: its neighbours and region from the DfE model, the DfE
    files with a starter catalogue, sample monthly data, two papers and a meeting."""
    written = _run(folder, lambda: reportgen.Workspace(folder).init(la_code, dfe))
    typer.echo(f"wrote {len(written)} files in {display_path(folder)}/")
    typer.echo(
        f"next: cd {display_path(folder)} && reportgen check && reportgen build "
        "(then replace data/indicators/sample-2026-27.csv with the council's own figures)"
    )


app.command()(service.serve)
app.command()(service.worker)
app.add_typer(service.users_app, name="users")


templates_app = typer.Typer(
    help="The Word templates: reportgen's built-in house styles, and a project's own.",
    no_args_is_help=True,
)
app.add_typer(templates_app, name="templates")


@templates_app.command("list")
def templates_list(project: ProjectOption = Path(".")) -> None:
    """List the templates a project's papers can use, and whether each is built in or the
    project's own (in templates/)."""
    for name, path in reportgen.Workspace(project).templates().items():
        own = path.parent == project / "templates"
        where = display_path(path) if own else "built in"
        typer.echo(f"{name}  ({where})")


@templates_app.command("copy")
def templates_copy(
    names: Annotated[
        list[str] | None,
        typer.Argument(help="Templates to copy [default: every built-in one].", show_default=False),
    ] = None,
    project: ProjectOption = Path("."),
) -> None:
    """Copy built-in templates into the project's templates/ to edit in Word; the project's
    copy is then used in place of the built-in one. A template the project has is kept."""
    written = _run(project, lambda: reportgen.Workspace(project).copy_templates(names or ()))
    for path in written:
        typer.echo(f"wrote {display_path(path)}")
    if not written:
        typer.echo("the project has its own copy of each already; nothing was written")


@overload
def _from(project: Path, path: Path) -> Path: ...
@overload
def _from(project: Path, path: None) -> None: ...
def _from(project: Path, path: Path | None) -> Path | None:
    """A path given on the command line, read as `git -C` and `make -C` read it: a relative
    one from the project folder (`-p`), an absolute one as it is. Whether it may be used
    there (a narrative inside the project) is for the library to say.

    Made absolute (`..` taken out, links not followed): a file the library reports from
    outside the project is then shown where it is, not as if it were in the project."""
    return None if path is None else Path(os.path.abspath(project / path))


def _all_from(project: Path, paths: list[Path] | None) -> list[Path] | None:
    return None if paths is None else [_from(project, path) for path in paths]


def _echo_warnings(project: Path, warnings: list[Problem]) -> None:
    for problem in sorted(set(warnings), key=lambda p: (p.file, p.line or 0, p.key)):
        typer.echo(f"warning: {_shown(project, problem)}", err=True)


@app.command()
def indicators(
    period: Annotated[str, typer.Option("--period", help="The month to compute as at, YYYY-MM.")],
    project: ProjectOption = Path("."),
) -> None:
    """Print every indicator's computed results as at a month."""
    title, rows = _run(
        project, lambda: reportgen.Workspace(project).indicators_table(period), writes=False
    )
    typer.echo(title)
    _echo_table(rows)


@app.command()
def benchmarks(
    indicator: Annotated[
        str, typer.Option("--indicator", "-i", help="The indicator's id in the catalogue.")
    ],
    year: Annotated[
        str | None,
        typer.Option("--year", help="The benchmark year, e.g. 2023-24 [default: the latest]."),
    ] = None,
    project: ProjectOption = Path("."),
) -> None:
    """Print an indicator's comparator table for a year, and its benchmarks year by year."""
    table, history = _run(
        project,
        lambda: reportgen.Workspace(project).benchmark_tables(indicator, year),
        writes=False,
    )
    typer.echo(table["caption"])
    _echo_table(
        [["Rank", "Area", table["year"]]]
        + [[r["rank"], r["area"], r["value"]] for r in table["rows"]]
    )
    typer.echo(table["standing"])
    typer.echo("")
    typer.echo("Year by year")
    _echo_table(history)


def _echo_table(rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        typer.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


@contextmanager
def _progress(what: str) -> Iterator[reportgen.Progress | None]:
    """A progress bar on the terminal (papers built, documents converted, pages joined),
    gone when the work is done; nothing when output is not a terminal."""
    if not sys.stderr.isatty() or os.environ.get("TERM") == "dumb":
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Bar(*columns, TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=None)

        def report(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        yield report


def _shown(project: Path, problem: Problem) -> str:
    """A problem as the user reads it here: its file from where they are, and an option
    as they type it (`--out`)."""
    if problem.file:
        path = Path(problem.file)
        problem = replace(
            problem, file=display_path(path if path.is_absolute() else project / path)
        )
    elif problem.key:  # an option given on the command line
        problem = replace(problem, key=_flag(problem.key))
    return _OPTION.sub(lambda m: _flag(m.group(1)), str(problem))


# How the library names an option in a fix: "the `out` option".
_OPTION = re.compile(r"the `(\w+)` option")


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _run(project: Path, action: Callable[[], T], writes: bool = True) -> T:
    """Runs `action`; a reportgen error prints its problems and exits 1, anything else exits 2."""
    try:
        return action()
    except ReportgenError as exc:
        for problem in exc.problems:
            typer.echo(_shown(project, problem), err=True)
        count = len(exc.problems)
        found = f"{count} problem{'s' if count != 1 else ''} found"
        typer.echo(f"{found}; nothing was written." if writes else f"{found}.", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo("interrupted; nothing was written.", err=True)
        raise typer.Exit(1) from None
    except Exception as exc:
        if os.environ.get("REPORTGEN_DEBUG"):
            raise
        typer.echo(
            f"reportgen {__version__} failed unexpectedly: {type(exc).__name__}: {exc}\n"
            "This is a fault in reportgen, not in your files. Run again with REPORTGEN_DEBUG=1 "
            "to see the details, and report them.",
            err=True,
        )
        raise typer.Exit(2) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reportgen {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Committee papers on children's social care performance, from indicator data to Word."""


def main(argv: list[str] | None = None) -> None:
    """The `reportgen` command. A usage mistake (an unknown command or option) exits 1, with
    the usage and a hint, like any other mistake in what the user gave; 2 is kept for a
    fault in reportgen itself."""
    args = _project_after_command(list(sys.argv[1:] if argv is None else argv))
    try:
        code = app(args=args, prog_name="reportgen", standalone_mode=False)
    except _click.NoArgsIsHelpError as exc:  # `reportgen` alone: its help, not a mistake
        typer.echo(exc.format_message())
        code = 0
    except _click.UsageError as exc:
        if exc.ctx is not None:
            typer.echo(exc.ctx.get_usage(), err=True)
        typer.echo(f"error: {exc.format_message()}", err=True)
        command = exc.ctx.command_path if exc.ctx is not None else "reportgen"
        typer.echo(f"Run `{command} --help` to see what it takes.", err=True)
        code = 1
    except _click.ClickException as exc:
        typer.echo(f"error: {exc.format_message()}", err=True)
        code = 1
    except typer.Abort:
        typer.echo("interrupted; nothing was written.", err=True)
        code = 1
    except ServiceError as exc:  # the service cannot start: its settings, or what they name
        typer.echo(f"error: {exc}", err=True)
        code = 1
    raise SystemExit(code if isinstance(code, int) else 0)


def _project_after_command(args: list[str]) -> list[str]:
    """The arguments with a `--project`/`-p` given before the command moved after it, so
    that `reportgen -p DIR build` works as `reportgen build -p DIR` does."""
    moved: list[str] = []
    index = 0
    while index < len(args) and args[index].startswith("-"):
        word = args[index]
        if word in ("-p", "--project") and index + 1 < len(args):
            moved += args[index : index + 2]
            del args[index : index + 2]
        elif word.startswith("--project="):
            moved.append(args.pop(index))
        else:
            index += 1
    if moved and index < len(args):
        args += moved  # at the end: after the command and any sub-command, as click allows
    return args
