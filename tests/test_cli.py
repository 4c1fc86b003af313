"""The command line: success, and every kind of bad input reported as file:line: key: what — fix."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NARRATIVE, OUTPUT, PERFORMANCE, SCORECARD, SCORECARD_APPENDIX, edit

from reportgen import Workspace


def it_builds_the_example_and_says_where(project: Path, cli) -> None:
    result = cli("build")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "wrote out/2010-12-07-corporate-parenting-panel/2010-12-07-corporate-parenting-update.docx",
        f"wrote {OUTPUT}",
        f"wrote {PERFORMANCE}",
        f"wrote {PERFORMANCE.parent}/2026-11-04-high-cost-placements.docx",
        f"wrote {SCORECARD}",
        f"wrote {SCORECARD_APPENDIX}",
        *(
            f"wrote {folder}/manifest.json"
            for folder in sorted(
                {OUTPUT.parent, PERFORMANCE.parent, SCORECARD.parent}
                | {Path("out/2010-12-07-corporate-parenting-panel")}
            )
        ),
    ]
    assert (project / OUTPUT).stat().st_size > 10_000


def it_builds_named_files_into_another_folder(project: Path, cli) -> None:
    result = cli("build", str(NARRATIVE), "--out", "papers")
    assert result.exit_code == 0, result.stderr
    assert (project / "papers" / OUTPUT.relative_to("out")).is_file()


def it_checks_without_writing(project: Path, cli) -> None:
    result = cli("check")
    assert result.exit_code == 0, result.stderr
    assert "5 reports checked, no problems found" in result.stdout
    assert not (project / "out").exists()


def it_prints_the_computed_indicators(project: Path, cli) -> None:
    result = cli("indicators", "--period", "2010-11")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Indicators as at November 2010"
    ni59 = next(line for line in lines if line.startswith("NI59"))
    ni60 = next(line for line in lines if line.startswith("NI60"))
    assert "93% (55 of 59)" in ni59 and "79%" in ni59 and "Not rated" in ni59 and "3 of 11" in ni59
    assert "86% (50 of 58)" in ni60 and "75%" in ni60 and "Red" in ni60 and "2 of 11" in ni60


def it_refuses_a_period_that_does_not_parse(project: Path, cli) -> None:
    result = cli("indicators", "--period", "Nov 2010")
    assert result.exit_code == 1
    assert "'Nov 2010' is not a month written YYYY-MM" in result.stderr


BAD_INPUTS = [
    pytest.param(
        NARRATIVE,
        "committee: Performance",
        "committee: [Performance",
        "data/narrative/2011-01-18-ni59-ni60.yaml:6: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence that starts on line 5)",
        id="yaml-syntax-error",
    ),
    pytest.param(
        NARRATIVE,
        "summary: |",
        "sumary: |",
        "data/narrative/2011-01-18-ni59-ni60.yaml:18: sumary: unknown key — did you mean 'summary'?",
        id="unknown-key",
    ),
    pytest.param(
        NARRATIVE,
        "exempt: false",
        "exempt: maybe",
        "data/narrative/2011-01-18-ni59-ni60.yaml:12: exempt: must be yes or no (got 'maybe') — write true or false",
        id="wrong-type",
    ),
    pytest.param(
        Path("config/indicators.yaml"),
        "decimals: 0",
        "decimals: two",
        "config/indicators.yaml:20: indicator 1 decimals: must be a whole number (got 'two')",
        id="wrong-type-in-catalogue",
    ),
    pytest.param(
        Path("config/indicators.yaml"),
        "polarity: higher     #",
        "polarity: hihger     #",
        "config/indicators.yaml:18: indicator 1 polarity: 'hihger' is not allowed — did you mean 'higher'?",
        id="unknown-choice",
    ),
    pytest.param(
        NARRATIVE,
        "indicators: [NI59, NI60]",
        "indicators: [NI59, NI06]",
        "data/narrative/2011-01-18-ni59-ni60.yaml:16: indicator 2: unknown indicator 'NI06' — did you mean 'NI60'?",
        id="unknown-indicator",
    ),
    pytest.param(
        NARRATIVE,
        "period: 2010-11",
        "period: 2010-12",
        "data/narrative/2011-01-18-ni59-ni60.yaml:16: indicator 1: NI59 has no data for December 2010 — add a row for 2010-12",
        id="missing-data-for-the-period",
    ),
    pytest.param(
        NARRATIVE,
        "template: information_report",
        "template: informaton_report",
        "data/narrative/2011-01-18-ni59-ni60.yaml:4: template: template 'informaton_report' does not exist — did you mean 'information_report'?",
        id="template-does-not-exist",
    ),
    pytest.param(
        NARRATIVE,
        "{{ NI60.ytd }} against",
        "{{ NI60.ytdd }} against",
        "data/narrative/2011-01-18-ni59-ni60.yaml:32: key point 2: unknown attribute 'ytdd' — did you mean 'ytd'?",
        id="live-figure-typo",
    ),
    pytest.param(
        Path("config/authority.yaml"),
        "  - Ealing",
        "  - Ealling",
        "config/authority.yaml:13: statistical neighbour 3: 'Ealling' does not appear in data/benchmarks/ — did you mean 'Ealing'?",
        id="neighbour-not-in-benchmarks",
    ),
    pytest.param(
        Path("data/indicators/assessments-2010-11.csv"),
        "NI59,2010-05,47,61",
        "NI59,2010-05,71,61",
        "data/indicators/assessments-2010-11.csv:3: numerator: 71 of 61 is more than 100%",
        id="impossible-counts",
    ),
    pytest.param(
        Path("data/indicators/assessments-2010-11.csv"),
        "NI59,2010-05,47,61",
        "NI95,2010-13,47,x",
        "data/indicators/assessments-2010-11.csv:3: indicator: 'NI95' is not in the indicator catalogue — did you mean 'NI59'?",
        id="bad-data-row",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), BAD_INPUTS)
def it_reports_bad_input_with_file_line_key_and_fix(
    project: Path, cli, file: Path, old: str, new: str, message: str
) -> None:
    edit(project / file, old, new)
    result = cli("build")
    assert result.exit_code == 1
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.rstrip().endswith("nothing was written.")
    assert not (project / "out").exists()


def it_reports_a_file_that_is_not_csv(project: Path, cli) -> None:
    (project / "data/indicators/budget.csv").write_bytes(b"PK\x03\x04\x00\x00binary")
    (project / "data/indicators/notes.csv").write_text("Minutes of the meeting\nApologies: none\n")
    result = cli("build")
    assert result.exit_code == 1
    assert (
        "data/indicators/budget.csv:1: has a NUL byte: it is not a CSV text file" in result.stderr
    )
    assert (
        "data/indicators/notes.csv:1: is not an indicator data table — its first line must be"
        in result.stderr
    )


def it_reports_every_problem_in_one_run(project: Path, cli) -> None:
    edit(project / NARRATIVE, "exempt: false", "exempt: maybe")
    edit(project / NARRATIVE, "indicators: [NI59, NI60]", "indicators: [NI59, NI06]")
    edit(project / "config/authority.yaml", "  - Ealing", "  - Ealling")
    result = cli("build")
    assert result.exit_code == 1
    assert "3 problems found; nothing was written." in result.stderr
    for key in ("exempt:", "indicator 2:", "statistical neighbour 3:"):
        assert key in result.stderr


def it_reports_a_schema_mistake_and_a_live_figure_typo_of_one_narrative_together(
    project: Path, cli
) -> None:
    edit(project / NARRATIVE, "exempt: false", "exempt: maybe")
    edit(project / NARRATIVE, "{{ NI60.ytd }} against", "{{ NI60.ytdd }} against")
    result = cli("check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "2 problems found; nothing was written."
    assert [line.split(": ", 2)[1] for line in lines[:-1]] == ["exempt", "key point 2"]
    assert "unknown attribute 'ytdd' — did you mean 'ytd'?" in lines[1]


def it_leaves_an_earlier_output_intact_when_a_run_fails(project: Path, cli) -> None:
    assert cli("build").exit_code == 0
    before = (project / OUTPUT).read_bytes()
    edit(project / NARRATIVE, "{{ NI60.ytd }} against", "{{ NI60.ytdd }} against")
    assert cli("build").exit_code == 1
    assert (project / OUTPUT).read_bytes() == before
    assert sorted(p.name for p in (project / OUTPUT).parent.iterdir()) == [
        OUTPUT.name,
        "manifest.json",
    ]


def it_names_a_missing_narrative_path(project: Path, cli) -> None:
    result = cli("build", "data/narrative/nope.yaml")
    assert result.exit_code == 1
    assert "data/narrative/nope.yaml: does not exist" in result.stderr


def it_runs_as_a_console_command_without_a_traceback(project: Path) -> None:
    edit(project / NARRATIVE, "summary: |", "sumary: |")
    run = subprocess.run(
        [sys.executable, "-m", "reportgen.cli", "build"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "sumary: unknown key — did you mean 'summary'?" in run.stderr
    assert "Traceback" not in run.stderr


def it_names_a_template_placeholder_reports_do_not_have(project: Path, cli) -> None:
    import docx

    (template,) = Workspace(project).copy_templates(["information_report"])
    document = docx.Document(str(template))
    line = next(p for p in document.paragraphs if p.text.startswith("{{ labels.subject }}:"))
    run = line.runs[-1]
    run.text = run.text.replace("{{ subject }}", "{{ subjcet }}")
    document.save(str(template))
    result = cli("build")
    assert result.exit_code == 1
    assert (
        "templates/information_report.docx: subjcet: the template uses a name reports do not have — did you mean 'subject'?"
        in result.stderr
    )


def it_says_when_a_template_is_not_a_word_document(project: Path, cli) -> None:
    (template,) = Workspace(project).copy_templates(["information_report"])
    template.write_text("{{ committee }}")
    result = cli("build")
    assert result.exit_code == 1
    assert (
        "templates/information_report.docx: is not a Word document (.docx) — open it in Word and save it as a Word Document (.docx)"
        in result.stderr
    )


def it_prints_an_indicators_benchmarks(project: Path, cli) -> None:
    result = cli("benchmarks", "--indicator", "CL2")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith("statistical neighbours, 2024-25")
    assert "2     Harrow (this authority)        67%" in lines
    assert any(line.startswith("2024-25  67%") and line.endswith("2 of 11  12 of 152   A")
               for line in lines)  # fmt: skip
    older = cli("benchmarks", "--indicator", "CL2", "--year", "2020-21")
    assert "Harrow ranks 8 of 11" in older.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--indicator", "LAC22"), "--indicator: unknown indicator 'LAC22' — did you mean 'LAC2'?"),
        (("--indicator", "L1"), "--indicator: L1 has no benchmarks — map it to a DfE file"),
        (("--indicator", "CL2", "--year", "2012-13"), "--year: CL2 has no benchmarks for 2012-13"),
    ],
)
def it_explains_a_benchmarks_request_it_cannot_answer(
    project: Path, cli, args: tuple[str, ...], message: str
) -> None:
    result = cli("benchmarks", *args)
    assert result.exit_code == 1
    assert message in result.stderr


def run_main(*args: str) -> tuple[int, str, str]:
    """The `reportgen` command as a user runs it (usage errors included): exit code, stdout,
    stderr."""
    import contextlib
    import io

    from reportgen.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def it_answers_a_usage_mistake_with_exit_1_the_usage_and_a_hint() -> None:
    code, _, err = run_main("biuld")
    assert code == 1
    assert err.splitlines() == [
        "Usage: reportgen [OPTIONS] COMMAND [ARGS]...",
        "error: No such command 'biuld'. Did you mean 'build'?",
        "Run `reportgen --help` to see what it takes.",
    ]
    code, _, err = run_main("check", "--nope")
    assert (code, err.splitlines()[1:]) == (
        1,
        ["error: No such option: --nope", "Run `reportgen check --help` to see what it takes."],
    )


def it_shows_flags_without_a_type_an_officer_would_type(project: Path) -> None:
    code, out, _ = run_main("build", "--help")
    assert code == 0
    assert "<bool>" not in out
    assert any(line.strip().startswith("--strict ") for line in out.splitlines())


def it_takes_the_project_before_or_after_the_command(project: Path) -> None:
    for args in (("-p", ".", "check", str(NARRATIVE)), ("check", "-p", ".", str(NARRATIVE))):
        code, out, _ = run_main(*args)
        assert (code, out) == (0, "ok: 1 report checked, no problems found\n")
    code, out, _ = run_main("--project=.", "check", str(NARRATIVE))
    assert code == 0
    code, out, _ = run_main("-p", ".", "templates", "list")
    assert code == 0 and "agenda  (built in)" in out.splitlines()


def it_shows_its_help_when_run_alone() -> None:
    code, out, _ = run_main()
    assert code == 0 and out.startswith("Usage: reportgen [OPTIONS] COMMAND [ARGS]...")


MEETING = Path("data/meetings/2026-11-04-children-and-young-people-scrutiny-panel.yaml")


def it_checks_a_meeting_file_as_pack_would_and_writes_nothing(project: Path, cli) -> None:
    result = cli("check", str(MEETING))
    assert (result.exit_code, result.stdout) == (0, f"ok: {MEETING}, 6 items checked\n")
    assert not (project / "out").exists()
    result = cli("check", "data/meetings", "data/narrative")  # every meeting and narrative
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"ok: {MEETING}, 6 items checked",
        "ok: 5 reports checked, no problems found",
    ]


def it_reports_every_mistake_in_a_meeting_file_at_once(project: Path, cli) -> None:
    (project / MEETING).write_text(
        """committee: Children and Young People Scrutiny Panel
date: 2026-11-04
time: 7.00 pm
venue: Committee Room 1
items:
  - title: Minutes
    file: supplied/missing.pdf
  - narrative: ../narrative/2011-01-18-ni59-ni60.yaml
  - title: Exempt annex
    file: supplied/2026-09-09-minutes.pdf
    exempt_paragraph: 9
  - file: supplied/2026-09-09-minutes.pdf
    narrative: ../narrative/2026-11-04-childrens-performance-report.yaml
  - title: Elsewhere
    file: ../../../outside.pdf
""",
        encoding="utf-8",
    )
    result = cli("check", str(MEETING))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "5 problems found; nothing was written."
    assert [line.split(" — ")[0] for line in lines[:-1]] == [
        f"{MEETING}:7: item 1 file: data/meetings/supplied/missing.pdf is not a .pdf or .docx file that exists",
        f"{MEETING}:8: item 2 narrative: this paper is for the Performance and Finance Scrutiny Sub-Committee on 2011-01-18",
        f"{MEETING}:11: item 3 exempt_paragraph: 9 is out of range",
        f"{MEETING}:12: item 4: an item has one paper",
        f"{MEETING}:15: item 5 file: '../../../outside.pdf' leads outside the project folder",
    ]


def it_builds_with_the_built_in_templates_and_copies_one_to_edit(project: Path, cli) -> None:
    assert not (project / "templates").exists()  # the example project has none of its own
    assert cli("build").exit_code == 0
    listed = cli("templates", "list").stdout.splitlines()
    assert "information_report  (built in)" in listed
    result = cli("templates", "copy", "information_report")
    assert result.stdout == "wrote templates/information_report.docx\n"
    assert "information_report  (templates/information_report.docx)" in (
        cli("templates", "list").stdout.splitlines()
    )
    again = cli("templates", "copy", "information_report")
    assert again.stdout == "the project has its own copy of each already; nothing was written\n"
    wrong = cli("templates", "copy", "information_reprot")
    assert wrong.exit_code == 1
    assert (
        "'information_reprot' is not a built-in template — did you mean 'information_report'?"
        in (wrong.stderr)
    )


def it_shows_progress_on_a_terminal_and_stays_quiet_elsewhere(project: Path) -> None:
    import pty

    command = [sys.executable, "-m", "reportgen", "build"]
    environment = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    quiet = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    assert quiet.returncode == 0, quiet.stderr
    assert "papers built" not in quiet.stderr  # not a terminal: no progress at all
    leader, follower = pty.openpty()
    with subprocess.Popen(
        command, stderr=follower, stdout=subprocess.DEVNULL, env=environment
    ) as run:
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the run is over
                break
            if not chunk:
                break
            shown += chunk
    os.close(leader)
    assert run.returncode == 0
    assert b"papers built" in shown
    assert b"5/5" in shown


MEETING = Path("data/meetings/2026-11-04-children-and-young-people-scrutiny-panel.yaml")


def it_reads_relative_paths_from_the_project_folder_as_git_c_does(
    project: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`reportgen -p big check data/narrative/x.yaml`, run from another folder, reads
    big/data/narrative/x.yaml (as `git -C` and `make -C` do); an absolute path is read as
    it is; either is refused where it leads outside the project."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    big = os.path.relpath(project, elsewhere)
    code, out, err = run_main("-p", big, "check", str(NARRATIVE))
    assert (code, out, err) == (0, "ok: 1 report checked, no problems found\n", "")
    code, out, err = run_main("check", str(project / NARRATIVE), "-p", big)
    assert (code, out) == (0, "ok: 1 report checked, no problems found\n"), err
    code, out, err = run_main("-p", big, "check", str(MEETING))
    # Shown from the folder the user is in where it is inside it; here, in full.
    assert (code, out) == (0, f"ok: {os.path.abspath(Path(big, MEETING))}, 6 items checked\n"), err
    # --out too: the papers go in the project's folder, not in the one the user is in.
    code, out, err = run_main("-p", big, "build", str(NARRATIVE), "--out", "papers")
    assert code == 0, err
    assert (project / "papers" / OUTPUT.relative_to("out")).is_file()
    assert not (elsewhere / "papers").exists()
    code, out, err = run_main("-p", big, "publish", str(NARRATIVE))
    assert code == 0, err
    assert (project / "data/published" / OUTPUT.parent.name / f"{NARRATIVE.stem}.json").is_file()
    # The meeting a pack is made of (its mistake is found before anything is converted).
    edit(project / MEETING, "venue:", "venu: x\nvenue:")
    code, out, err = run_main("-p", big, "pack", str(MEETING))
    assert code == 1 and err.startswith(f"{big}/{MEETING}:"), err
    assert "does not exist" not in err
    # Outside the project: refused, relative or absolute.
    (elsewhere / "x.yaml").write_bytes((project / NARRATIVE).read_bytes())
    for given in (f"../{elsewhere.name}/x.yaml", str(elsewhere / "x.yaml")):
        code, out, err = run_main("-p", big, "check", given)
        assert code == 1, err
        # Named where it is, from the folder the user is in.
        assert err.splitlines()[0] == (
            "x.yaml: is outside the project folder — keep narrative files in data/narrative/"
        )


def it_writes_explains_list_where_csv_says_from_the_project_folder(
    project: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    big = os.path.relpath(project, elsewhere)
    code, out, err = run_main("-p", big, "explain", "L1", "--period", "2026-09", "--csv", "l1.csv")
    assert code == 0, err
    wrote, written, said = out.splitlines()[-1].split(" ", 2)
    assert (wrote, said) == ("wrote", "(children's records: keep it safe)")
    assert Path(written).resolve() == (project / "l1.csv").resolve()
    assert (project / "l1.csv").is_file() and not (elsewhere / "l1.csv").exists()
