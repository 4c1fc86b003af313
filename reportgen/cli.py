"""The command line: parses options, calls the pipeline, turns errors into messages.

Exit codes: 0 success, 1 bad input (every problem printed as `file:line: key: what — fix`),
2 a fault in reportgen itself (set REPORTGEN_DEBUG=1 to see its traceback).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

try:  # typer 0.2x carries its own copy of click
    from typer._click import exceptions as _click
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as _click  # type: ignore[no-redef]

from reportgen import __version__
from reportgen.errors import (
    InputError,
    Problem,
    Problems,
    ReportgenError,
    did_you_mean,
    display_path,
)
from reportgen.periods import FinancialYear, Month

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,  # plain help: flags without a `<bool>` that officers would type
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Committee papers on children's social care performance, from indicator data to Word.",
)

ProjectOption = Annotated[
    Path,
    typer.Option(
        "--project", "-p", help="The project folder holding config/, data/ and templates/."
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Where papers are written [default: PROJECT/out]."),
]
PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Narrative files or folders of them [default: PROJECT/data/narrative].",
        show_default=False,
    ),
]

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
    from reportgen.pipeline import MANIFEST

    built, _ = _build(project, paths, out, strict=strict, pdf=pdf)
    for item in built:
        for path, _ in item.files:
            typer.echo(f"wrote {display_path(path)}")
    for folder in dict.fromkeys(item.report.output.parent for item in built):
        typer.echo(f"wrote {display_path(folder / MANIFEST)}")


@app.command()
def check(
    paths: PathsArgument = None,
    project: ProjectOption = Path("."),
    out: OutOption = None,
    strict: StrictOption = False,
) -> None:
    """Check config, data, narrative, meeting files and templates, as build and pack do,
    without writing anything."""
    from reportgen.pipeline import check_meeting, is_meeting_file

    named = _paths(project, paths)
    meetings = [p for p in named if p.is_file() and is_meeting_file(p)]
    meeting_folders = []
    for folder in (p for p in named if p.is_dir()):
        files = sorted(folder.glob("*.yaml"))
        if files and all(is_meeting_file(p) for p in files):
            meetings += files
            meeting_folders.append(folder)
    narratives = [p for p in named if p not in meetings and p not in meeting_folders]
    built, count = (
        _build(project, narratives, out, strict=strict, write=False) if narratives else ([], 0)
    )
    for meeting in meetings:
        items = _run(partial(check_meeting, project, meeting, out or project / "out"), False)
        typer.echo(f"ok: {display_path(meeting)}, {items} item{'s' if items != 1 else ''} checked")
    found = f"{count} warning{'s' if count != 1 else ''}" if count else "no problems found"
    if narratives:
        typer.echo(f"ok: {len(built)} report{'s' if len(built) != 1 else ''} checked, {found}")


def _build(
    project: Path,
    paths: list[Path] | None,
    out: Path | None,
    *,
    strict: bool,
    write: bool = True,
    pdf: bool = False,
) -> tuple[list[Any], int]:
    """Runs a build, prints its warnings; returns what was built and how many warnings."""
    from reportgen.pipeline import build as run_build

    warnings = Problems()
    skipped: list[Path] = []
    built = _run(
        lambda: run_build(
            project,
            _paths(project, paths),
            out or project / "out",
            write=write,
            strict=strict,
            warnings=warnings,
            pdf=pdf,
            skipped=skipped,
        )
    )
    _echo_warnings(warnings)
    if skipped:
        count = f"{len(skipped)} paper{'s' if len(skipped) != 1 else ''}"
        typer.echo(
            f"left out {count} published already ({', '.join(p.name for p in skipped)}): "
            "name a narrative file to build it again",
            err=True,
        )
    return built, len(warnings.items)


@app.command()
def publish(
    paths: PathsArgument = None,
    project: ProjectOption = Path("."),
    out: OutOption = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Publish a meeting again with other figures."),
    ] = False,
) -> None:
    """Build papers as final and record what each printed in data/published/."""
    from reportgen.pipeline import publish as run_publish

    done = _run(
        lambda: run_publish(
            project, _paths(project, paths), out or project / "out", replace=replace
        )
    )
    for item in done:
        for path, _ in item.built.files:
            typer.echo(f"wrote {display_path(path)}")
        if item.status == "unchanged":
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
    from reportgen.pipeline import pack as run_pack

    for path in _run(lambda: run_pack(project, meeting, out or project / "out")):
        typer.echo(f"wrote {display_path(path)}")


@app.command()
def history(
    indicator: Annotated[
        str, typer.Option("--indicator", "-i", help="The indicator's id in the catalogue.")
    ],
    project: ProjectOption = Path("."),
) -> None:
    """Print what was published for an indicator, meeting by meeting."""
    from reportgen.pipeline import history as published_history

    rows = _run(lambda: published_history(project, indicator), writes=False)
    if len(rows) == 1:
        typer.echo(f"{indicator} has not been published yet (see `reportgen publish`)")
        return
    _echo_table(rows)


@app.command()
def accessibility(
    files: Annotated[list[Path], typer.Argument(help="Word documents (.docx) to check.")],
) -> None:
    """Check Word documents for accessibility: title, language, headings, alt text, tables,
    empty paragraphs, contrast and colour."""
    import zipfile

    from docx.opc.exceptions import PackageNotFoundError

    from reportgen.accessibility import check as check_document

    def findings() -> list[str]:
        problems = Problems()
        found = []
        for file in files:
            if not file.is_file():
                problems.add(file, None, "", "does not exist", "check the path")
                continue
            try:
                found += [f"{display_path(file)}: {f}" for f in check_document(file)]
            except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
                problems.add(
                    file, None, "", "is not a Word document (.docx)", "save it as .docx in Word"
                )
        problems.raise_if_any()
        return found

    found = _run(findings, writes=False)
    for line in found:
        typer.echo(line)
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
    from reportgen.starter import create

    written = _run(lambda: create(folder, la_code, dfe))
    typer.echo(f"wrote {len(written)} files in {display_path(folder)}/")
    typer.echo(
        f"next: cd {display_path(folder)} && reportgen check && reportgen build "
        "(then replace data/indicators/sample-2026-27.csv with the council's own figures)"
    )


templates_app = typer.Typer(
    help="The Word templates: reportgen's built-in house styles, and a project's own.",
    no_args_is_help=True,
)
app.add_typer(templates_app, name="templates")


@templates_app.command("list")
def templates_list(project: ProjectOption = Path(".")) -> None:
    """List the templates a project's papers can use, and whether each is built in or the
    project's own (in templates/)."""
    from reportgen.pipeline import BUILT_IN_TEMPLATES, template_files

    for name, path in template_files(project).items():
        where = "built in" if path.parent == BUILT_IN_TEMPLATES else display_path(path)
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
    from reportgen.pipeline import copy_templates

    written = _run(lambda: copy_templates(project, names or ()))
    for path in written:
        typer.echo(f"wrote {display_path(path)}")
    if not written:
        typer.echo("the project has its own copy of each already; nothing was written")


def _echo_warnings(warnings: Problems) -> None:
    for problem in sorted(set(warnings.items), key=lambda p: (p.file, p.line or 0, p.key)):
        typer.echo(f"warning: {problem}", err=True)


@app.command()
def indicators(
    period: Annotated[str, typer.Option("--period", help="The month to compute as at, YYYY-MM.")],
    project: ProjectOption = Path("."),
) -> None:
    """Print every indicator's computed results as at a month."""
    from reportgen.context import results_table
    from reportgen.pipeline import load_project

    def compute_table() -> list[list[str]]:
        problems = Problems()
        try:
            month = Month.parse(period)
        except ValueError as exc:
            raise InputError(
                [Problem("--period", None, "", str(exc), "e.g. --period 2010-11")]
            ) from None
        loaded = load_project(project, problems)
        problems.raise_if_any()
        assert loaded is not None
        return results_table(loaded.results(loaded.catalogue, month))

    rows = _run(compute_table, writes=False)
    typer.echo(f"Indicators as at {Month.parse(period).label}")
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
    from reportgen.context import benchmark_rows, comparator_table
    from reportgen.pipeline import load_project

    def tables() -> tuple[dict[str, Any], list[list[str]]]:
        problems = Problems()
        loaded = load_project(project, problems)
        problems.raise_if_any()
        assert loaded is not None
        if indicator not in loaded.catalogue:
            fix = did_you_mean(indicator, loaded.catalogue, otherwise="see `reportgen indicators`")
            raise InputError(
                [Problem("--indicator", None, "", f"unknown indicator '{indicator}'", fix)]
            )
        years = loaded.benchmark_years(indicator)
        if not years:
            raise InputError(
                [
                    Problem(
                        "--indicator",
                        None,
                        "",
                        f"{indicator} has no benchmarks",
                        "map it to a DfE file (dfe: in its catalogue entry) or add rows to "
                        "data/benchmarks/",
                    )
                ]
            )
        chosen = max(years)
        if year is not None:
            try:
                chosen = FinancialYear.parse(year, loaded.authority.financial_year_start)
            except ValueError as exc:
                raise InputError(
                    [Problem("--year", None, "", str(exc), "e.g. --year 2023-24")]
                ) from None
            if chosen not in years:
                held = ", ".join(str(y) for y in sorted(years))
                raise InputError(
                    [
                        Problem(
                            "--year",
                            None,
                            "",
                            f"{indicator} has no benchmarks for {year}",
                            f"years held: {held}",
                        )
                    ]
                )
        table = comparator_table(loaded.catalogue[indicator], years[chosen], loaded.authority)
        return table, benchmark_rows(years)

    table, history = _run(tables, writes=False)
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


def _paths(project: Path, paths: list[Path] | None) -> list[Path]:
    return list(paths) if paths else [project / "data" / "narrative"]


def _run(action: Callable[[], T], writes: bool = True) -> T:
    """Runs `action`; a reportgen error prints its problems and exits 1, anything else exits 2."""
    try:
        return action()
    except ReportgenError as exc:
        for problem in exc.problems:
            typer.echo(str(problem), err=True)
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


if __name__ == "__main__":  # pragma: no cover
    main()
