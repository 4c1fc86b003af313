"""Publishing a meeting, and what the next paper says about it: corrections, rating
changes and the indicator review, generated; numbers typed where live figures belong."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from conftest import PERFORMANCE, PERFORMANCE_NARRATIVE, edit, type_counted

from reportgen import PublishStatus, Workspace
from reportgen.errors import InputError, Problems

EARLIER = Path(
    "data/published/2026-09-09-children-and-young-people-scrutiny-panel/"
    "2026-09-09-childrens-performance-report.json"
)
SNAPSHOT = Path(
    "data/published/2026-11-04-children-and-young-people-scrutiny-panel/"
    "2026-11-04-childrens-performance-report.json"
)
NEXT = Path("data/narrative/2026-12-09-childrens-performance-report.yaml")
DATA = Path("data/indicators/scorecard-2026-27.csv")


def paragraphs(project: Path, paper: Path) -> list[str]:
    return [p.text for p in docx.Document(str(project / paper)).paragraphs]


def problems_of(action) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as raised:
        action()
    return [str(p) for p in raised.value.problems]


def next_meeting(project: Path) -> None:
    """The December meeting's narrative, as at October, without words on changes yet."""
    text = (project / PERFORMANCE_NARRATIVE).read_text(encoding="utf-8")
    text = text.replace("meeting_date: 2026-11-04", "meeting_date: 2026-12-09")
    text = text.replace("period: 2026-09", "period: 2026-10")
    text = text[: text.index("rating_changes:")] + text[text.index("alternative_options:") :]
    (project / NEXT).write_text(text, encoding="utf-8")


class DescribePublishing:
    def it_records_what_the_paper_printed(self, project: Path) -> None:
        (done,) = Workspace(project).publish([project / PERFORMANCE_NARRATIVE], project / "out")
        assert (done.status, done.path) == (PublishStatus.PUBLISHED, project / SNAPSHOT)
        assert type(done.status) is PublishStatus
        text = (project / SNAPSHOT).read_text(encoding="utf-8")
        assert '  "committee": "Children and Young People Scrutiny Panel",\n' in text
        assert '  "meeting_date": "2026-11-04",\n' in text
        assert '  "reportgen": "0.1.0",\n' in text
        assert '    "data/indicators/scorecard-2026-27.csv": "' in text
        entry = text[text.index('"id": "L1"') : text.index('"id": "L2"')]
        assert (
            '"rag": "Green",\n      "direction": "↑ Improving",\n      "target": "90%",\n'
            '      "ytd": "91%",\n'
        ) in entry
        assert '"2026-09": "91%"' in entry
        assert (project / PERFORMANCE).is_file()
        assert (project / PERFORMANCE).with_name("manifest.json").is_file()

    def it_writes_the_same_bytes_for_the_same_inputs(
        self, project: Path, tmp_path_factory: pytest.TempPathFactory
    ) -> None:
        other = tmp_path_factory.mktemp("other")
        for folder in ("config", "data"):
            shutil.copytree(project / folder, other / folder)
        Workspace(project).publish([project / PERFORMANCE_NARRATIVE], project / "out")
        Workspace(other).publish([other / PERFORMANCE_NARRATIVE], other / "out")
        assert (project / SNAPSHOT).read_bytes() == (other / SNAPSHOT).read_bytes()
        first = (project / SNAPSHOT).read_bytes()
        (again,) = Workspace(project).publish([project / PERFORMANCE_NARRATIVE], project / "out")
        assert again.status is PublishStatus.UNCHANGED
        assert (project / SNAPSHOT).read_bytes() == first

    def it_refuses_other_figures_for_a_published_meeting_unless_replacing(
        self, project: Path
    ) -> None:
        Workspace(project).publish([project / PERFORMANCE_NARRATIVE], project / "out")
        first = (project / SNAPSHOT).read_bytes()
        edit(project / DATA, "L4,2026-09,,,1488,", "L4,2026-09,,,1498,")
        assert problems_of(
            lambda: Workspace(project).publish([project / PERFORMANCE_NARRATIVE], project / "out")
        ) == [
            f"{SNAPSHOT}: 2026-11-04 was published before with other figures (L4) — publish "
            "again with the `replace` option to record the new figures (the earlier snapshot "
            f"is kept in {SNAPSHOT.parent}/replaced/)"
        ]
        assert (project / SNAPSHOT).read_bytes() == first
        (done,) = Workspace(project).publish(
            [project / PERFORMANCE_NARRATIVE], project / "out", replace_earlier=True
        )
        assert done.status is PublishStatus.REPLACED
        assert done.replaced == project / SNAPSHOT.parent / "replaced" / f"{SNAPSHOT.stem}-1.json"
        assert done.replaced.read_bytes() == first
        assert '"2026-09": "1,498"' in (project / SNAPSHOT).read_text(encoding="utf-8")

    def it_refuses_to_publish_a_paper_that_leaves_a_rating_change_unexplained(
        self, project: Path
    ) -> None:
        edit(project / PERFORMANCE_NARRATIVE, "  L5: >-", "  L99: >-")
        problems = problems_of(
            lambda: Workspace(project).publish([project / PERFORMANCE_NARRATIVE], project / "out")
        )
        unexplained = (
            f"{PERFORMANCE_NARRATIVE}:65: rating_changes.L5: indicator 8 (Average time to "
            "complete care proceedings) changed R to A (after correcting Q1 2026-27's figure; "
            "on today's data Q1 2026-27 was already A) since the 9 September 2026 meeting and "
            "the paper does not say why — add `L5: …` under rating_changes with the reason "
            "and the action"
        )
        assert problems == [
            unexplained,
            f"{PERFORMANCE_NARRATIVE}:74: rating_changes.L99: 'L99' is not one of this "
            "report's indicators — use the id of an indicator under indicators",
        ]
        edit(project / PERFORMANCE_NARRATIVE, "  L99: >-", "  CP1: >-")
        problems = problems_of(
            lambda: Workspace(project).publish([project / PERFORMANCE_NARRATIVE], project / "out")
        )
        assert problems == [
            unexplained,
            f"{PERFORMANCE_NARRATIVE}:74: rating_changes.CP1: its rating did not change since "
            "the 9 September 2026 meeting — remove it",
        ]
        assert not (project / SNAPSHOT).exists()
        assert not (project / "out").exists()
        warnings = (
            Workspace(project).build([project / PERFORMANCE_NARRATIVE], project / "out").warnings
        )
        assert len(warnings) == 2  # a build still writes the paper, and warns


class DescribeTheNextPaper:
    def it_says_what_changed_since_the_last_published_meeting(self, project: Path) -> None:
        Workspace(project).build([project / PERFORMANCE_NARRATIVE], project / "out")
        lines = paragraphs(project, PERFORMANCE)
        start = lines.index("Corrections")
        assert lines[start : start + 4] == [
            "Corrections",
            "The report contains 4 corrections to figures published in the last performance "
            "report (9 September 2026):",
            "Indicator 2: Single assessments completed within 45 working days\nJune 2026 "
            "figure corrected from 85% to 89%. Year to date to June 2026 corrected from 89% "
            "to 90%. 10 assessments recorded as late were completed in time.",
            "Indicator 8: Average time to complete care proceedings\nQ1 2026-27 figure "
            "corrected from 31 weeks to 28 weeks. Year to date to June 2026 corrected from 31 "
            "weeks to 28 weeks. Replaces the council's own provisional figure.",
        ]
        table = next(
            t
            for t in docx.Document(str(project / PERFORMANCE)).tables
            if t.rows[0].cells[0].text == "Indicator number"
        )
        rows = [[c.text for c in row.cells][:3] for row in table.rows]
        assert rows == [
            ["Indicator number", "Description", "Rating change"],
            [
                "2",
                "Single assessments completed within 45 working days",
                "A to G (after correcting June's figure; on today's data June was already G)",
            ],
            ["3", "Referrals that were a re-referral within 12 months", "A to G"],
            [
                "8",
                "Average time to complete care proceedings",
                "R to A (after correcting Q1 2026-27's figure; on today's data Q1 2026-27 was "
                "already A)",
            ],
        ]
        assert (
            table.rows[3]
            .cells[3]
            .text.startswith(
                "The rating now uses the validated Cafcass figure of 28 weeks for quarter 1."
            )
        )
        review = lines[lines.index("Indicator review") + 1 : lines.index("Indicator review") + 5]
        assert review == [
            "Indicators 17 and 18 merged into indicator 15 (Average caseload of children's "
            "social workers).",
            "COMMITTEE DECISION: To replace indicators 17 and 18 with a combined indicator "
            "outlining average caseloads.",
            "Indicator 19 (Child protection conferences that were quorate) retired.",
            "COMMITTEE DECISION: To stop reporting quorate attendance at child protection "
            "conferences, which the case management system no longer records.",
        ]

    def it_follows_a_revision_a_moved_rating_and_a_new_indicator(self, project: Path) -> None:
        Workspace(project).publish([project / PERFORMANCE_NARRATIVE], project / "out")
        next_meeting(project)
        # A revision with its reason, a rating that moves, and a new indicator.
        type_counted(project, "L1")
        edit(
            project / DATA,
            "L1,2026-09,224,245,,validated,,",
            "L1,2026-09,184,245,,validated,40 assessments were signed off after the deadline,",
        )
        edit(
            project / "config/indicators.yaml",
            "\n# Indicators the committee stopped",
            "\n  - id: L10\n    number: 23\n    theme: Safeguarding\n    title: Return home "
            "interviews offered\n    unit: percent\n    polarity: higher\n    decision: To "
            "monitor return home interviews.\n\n# Indicators the committee stopped",
        )
        (project / "data/indicators/l10.csv").write_text(
            "indicator,period,numerator,denominator,value,status,note,source\n"
            "L10,2026-10,18,20,,validated,,\n",
            encoding="utf-8",
        )
        edit(project / NEXT, "indicators: [L4,", "indicators: [L10, L4,")
        warnings = Workspace(project).build([project / NEXT], project / "out").warnings
        paper = Path(str(PERFORMANCE).replace("2026-11-04", "2026-12-09"))
        lines = paragraphs(project, paper)
        start = lines.index("Corrections")
        assert lines[start + 1 : start + 3] == [
            "The report contains 2 corrections to figures published in the last performance "
            "report (4 November 2026):",
            "Indicator 2: Single assessments completed within 45 working days\nSeptember 2026 "
            "figure corrected from 91% to 75%. Year to date to September 2026 corrected from "
            "91% to 88%. 40 assessments were signed off after the deadline.",
        ]
        review = lines.index("Indicator review")
        assert lines[review + 1 : review + 3] == [
            "Indicator 23 (Return home interviews offered) added.",
            "COMMITTEE DECISION: To monitor return home interviews.",
        ]
        table = next(
            t
            for t in docx.Document(str(project / paper)).tables
            if t.rows[0].cells[0].text == "Indicator number"
        )
        assert [[c.text for c in row.cells][:3] for row in table.rows[1:]] == [
            [
                "2",
                "Single assessments completed within 45 working days",
                "G to A (after correcting September's figure; on today's data September was "
                "already A)",
            ],
        ]
        assert [str(w) for w in warnings] == [
            f"{NEXT}:12: rating_changes.L1: indicator 2 (Single assessments completed within "
            "45 working days) changed G to A (after correcting September's figure; on today's "
            "data September was already A) since the 4 November 2026 meeting and the paper "
            "does not say why — add `L1: …` under rating_changes with the reason and the "
            "action"
        ]

    def it_shows_the_history_of_an_indicator(self, project: Path) -> None:
        Workspace(project).publish([project / PERFORMANCE_NARRATIVE], project / "out")
        assert Workspace(project).history("L5") == [
            ["Meeting", "Committee", "Period", "Latest", "Year to date", "Target", "RAG",
             "Direction", "Rank"],
            ["9 September 2026", "Children and Young People Scrutiny Panel", "Q1 2026-27",
             "31 weeks", "31 weeks", "26 weeks", "Red", "↑ Declining (council's own against Cafcass)", "–"],
            ["4 November 2026", "Children and Young People Scrutiny Panel", "Q2 2026-27",
             "not available", "28 weeks", "26 weeks", "Amber", "Not applicable", "–"],
        ]  # fmt: skip


class DescribeADamagedSnapshot:
    @pytest.mark.parametrize(
        ("old", "new", "message"),
        [
            (
                '"2026-06": "85%"',
                '"2026-06": "89%"',
                f"{EARLIER}:59: indicator 2 (L1): was changed after it was published (its "
                "check no longer matches)",
            ),
            (
                '"committee": "Children and Young People Scrutiny Panel"',
                '"committee": "Children and Young People Scrutiny Board"',
                f"{EARLIER}:39: check: was changed after it was published (its check no "
                "longer matches)",
            ),
            ('"rag": "Amber"', '"ragg": "Amber"', f"{EARLIER}:64: indicator 2 ragg: unknown key"),
            ('"indicators": [', '"indicators": [[', f"{EARLIER}:"),
        ],
    )
    def it_reports_the_file_and_line_and_builds_nothing(
        self, project: Path, old: str, new: str, message: str
    ) -> None:
        edit(project / EARLIER, old, new)
        problems = problems_of(
            lambda: (
                Workspace(project).build([project / PERFORMANCE_NARRATIVE], project / "out").reports
            )
        )
        assert any(p.startswith(message) for p in problems), problems
        assert not (project / "out").exists()


class DescribeTypedNumbers:
    def it_points_at_numbers_that_should_be_live_figures(self, project: Path) -> None:
        edit(
            project / PERFORMANCE_NARRATIVE,
            "  Members of the panel to discuss",
            "  Assessments in time are 91% so far, 224 of 245 in September; Q1 care "
            "proceedings took 31 weeks, and reviews 77%.\n\n  Members of the panel to discuss",
        )
        warnings = (
            Workspace(project).build([project / PERFORMANCE_NARRATIVE], project / "out").warnings
        )
        assert [str(w) for w in warnings] == [
            f"{PERFORMANCE_NARRATIVE}:18: recommendations: '91%' is typed, so it will not "
            "follow the data — write {{ L1.latest }}",
            f"{PERFORMANCE_NARRATIVE}:18: recommendations: '224 of 245' is typed, so it will "
            "not follow the data — write {{ L1.latest.numerator }} of "
            "{{ L1.latest.denominator }}",
            f"{PERFORMANCE_NARRATIVE}:18: recommendations: '31 weeks' is L5's 2026-27 Q1 "
            "figure as the 9 September 2026 paper printed it; the data now give 28 weeks — write "
            '{{ L5.at("2026-27 Q1") }} or another live figure',
            f"{PERFORMANCE_NARRATIVE}:18: recommendations: '77%' matches no figure of this "
            "report's indicators — check it, or write it as a live figure (README: Live "
            "figures)",
        ]


class DescribeTheCommands:
    def it_publishes_and_shows_history_from_the_command_line(self, project: Path, cli) -> None:
        result = cli("publish", str(PERFORMANCE_NARRATIVE))
        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines() == [
            f"wrote {PERFORMANCE}",
            f"published {SNAPSHOT}",
        ]
        result = cli("history", "--indicator", "L5")
        assert result.exit_code == 0, result.stderr
        lines = result.stdout.splitlines()
        assert lines[0].split() == [
            "Meeting", "Committee", "Period", "Latest", "Year", "to", "date", "Target", "RAG",
            "Direction", "Rank",
        ]  # fmt: skip
        assert "Q1 2026-27  31 weeks" in lines[1] and "Q2 2026-27  not available" in lines[2]
        assert cli("history", "-i", "LL5").stderr.startswith(
            "--indicator: unknown indicator 'LL5' — did you mean 'L5'?"
        )

    def it_warns_and_fails_only_when_strict(self, project: Path, cli) -> None:
        edit(project / PERFORMANCE_NARRATIVE, "  L5: >-", "  CP1: >-")
        result = cli("check")
        assert result.exit_code == 0, result.stderr
        assert result.stderr.count("warning: ") == 2
        assert "ok: 5 reports checked, 2 warnings" in result.stdout
        result = cli("check", "--strict")
        assert result.exit_code == 1
        assert result.stderr.endswith("2 problems found; nothing was written.\n")


class DescribeThePack:
    def it_reports_an_item_for_another_meeting_and_a_missing_file(self, project: Path) -> None:
        from reportgen import Workspace

        meeting = project / "data/meetings/2026-11-04-children-and-young-people-scrutiny-panel.yaml"
        edit(meeting, "file: supplied/2026-09-09-minutes.pdf", "file: supplied/minutes.pdf")
        edit(meeting, "2026-11-04-childrens-performance-report", "2011-01-18-ni59-ni60")
        assert problems_of(lambda: Workspace(project).pack(meeting, project / "out")) == [
            f"{meeting.relative_to(project)}:13: item 3 file: "
            "data/meetings/supplied/minutes.pdf is not a .pdf or .docx file that exists — give "
            "the path of the supplied paper, from the meeting file's folder",
            f"{meeting.relative_to(project)}:14: item 4 narrative: this paper is for the "
            "Performance and Finance Scrutiny Sub-Committee on 2011-01-18 — give the Children "
            "and Young People Scrutiny Panel paper for 2026-11-04, or correct the narrative's "
            "committee and meeting_date",
        ]
        assert not (project / "out").exists()

    def it_needs_the_schedule_12a_paragraph_of_an_exempt_report(self, project: Path) -> None:
        narrative = project / "data/narrative/2026-11-04-high-cost-placements.yaml"
        edit(narrative, "exempt_paragraph: 3\n", "")
        problems = problems_of(
            lambda: Workspace(project).build([narrative], project / "out").reports
        )
        assert problems == [
            "data/narrative/2026-11-04-high-cost-placements.yaml:4: an exempt report must say "
            "which paragraph of Schedule 12A to the Local Government Act 1972 it relies on — add "
            "`exempt_paragraph:` (1 to 7)"
        ]

    def it_leaves_clearance_out_of_the_published_version_when_told(self, project: Path) -> None:
        from reportgen.inputs.project import load_project
        from reportgen.jobs.build import render_report
        from reportgen.jobs.plan import plan

        with (project / "config/authority.yaml").open("a", encoding="utf-8") as config:
            config.write("publish_clearance: false\n")
        problems = Problems()
        loaded = load_project(project, problems)
        assert loaded is not None
        (report,) = plan(
            loaded,
            [project / "data/narrative/2011-01-18-ni59-ni60.yaml"],
            project / "out",
            problems,
        )

        def text(published: bool) -> str:
            built = render_report(loaded, report, problems, published=published)
            assert built is not None
            document = docx.Document(__import__("io").BytesIO(built.content))
            return "\n".join(p.text for p in document.paragraphs) + "\n".join(
                c.text for t in document.tables for r in t.rows for c in r.cells
            )

        assert "Emma Stabler" in text(published=False)
        published = text(published=True)
        assert "Emma Stabler" not in published
        assert "Statutory officer clearance is recorded in the council's internal copy" in published


class DescribeDisclosureControl:
    def it_lets_no_small_count_reach_the_published_paper(self, project: Path) -> None:
        from reportgen.inputs.project import load_project
        from reportgen.jobs.build import render_report
        from reportgen.jobs.plan import plan

        # Contacts in August were 4, and only 3 of 4 assessments in September were in time.
        edit(project / DATA, "L4,2026-08,,,1102,", "L4,2026-08,,,4,")
        type_counted(project, "L1")
        edit(project / DATA, "L1,2026-09,224,245,", "L1,2026-09,3,4,")
        problems = Problems()
        loaded = load_project(project, problems)
        assert loaded is not None
        (report,) = plan(loaded, [project / PERFORMANCE_NARRATIVE], project / "out", problems)

        def everything(published: bool) -> tuple[str, list[list[str]]]:
            built = render_report(loaded, report, Problems(), Problems(), published=published)
            assert built is not None
            document = docx.Document(__import__("io").BytesIO(built.content))
            text = "\n".join(p.text for p in document.paragraphs)
            alt = "\n".join(
                d.get("descr")
                for d in document.element.body.iter(
                    "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
                )
            )
            rows = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
            return text + "\n" + alt, rows

        internal_text, internal_rows = everything(published=False)
        text, rows = everything(published=True)
        index = [r for r in rows if len(r) == 12]  # the performance index's rows
        l4 = next(r for r in index if r[1].startswith("Contacts received"))
        l1 = next(r for r in index if r[1].startswith("Single assessments"))
        assert l4[2:6] == ["1,467", "[c]", "1,488", "[c]"]  # July to September, year to date
        assert l1[4:6] == ["[c]\nSep 2026", "[c]"]  # September, and the year to date
        internal_l4 = next(
            r for r in internal_rows if len(r) == 12 and r[1].startswith("Contacts received")
        )
        assert internal_l4[3] == "4"
        for leaked in ("3\u00a0of\u00a04", "3 of 4", "75%", internal_l4[5]):
            assert leaked not in text and all(leaked not in c for r in rows for c in r)
        assert "[c] Withheld to protect confidentiality" in text
        from reportgen.jobs.compose import compose

        prepared = compose(loaded, report, Problems(), Problems(), published=True)
        assert prepared is not None
        charts = {c["heading"]: c for c in prepared.context["scorecard"]["charts"]}
        trend = charts["1. Contacts received by the children's front door"]["trend"]
        assert trend.values[4] is None and 4.0 not in trend.values  # August is a gap
        assert "4 in August" not in trend.alt_text
        internal = internal_text + str(internal_rows)
        assert "75%" in internal and "[c]" not in internal  # the internal paper is whole


def it_says_at_the_command_line_which_meeting_was_published_and_which_unchanged(
    project: Path, cli
) -> None:
    first = cli("publish", str(PERFORMANCE_NARRATIVE))
    assert first.exit_code == 0 and f"published {SNAPSHOT}\n" in first.stdout
    again = cli("publish", str(PERFORMANCE_NARRATIVE))
    assert again.exit_code == 0
    assert f"unchanged {SNAPSHOT} (published before with the same figures)\n" in again.stdout
