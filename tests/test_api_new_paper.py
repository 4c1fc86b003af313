"""A new paper through the library: next period's from this period's (its words and
comments kept, its period moved on, its meeting chosen, its clearance to do again, its
live figures now the new month's), or a blank one in a house style; named as the project
names papers, never from anything given as a name, and never over another file."""

from __future__ import annotations

import io
import time
from datetime import date
from pathlib import Path

import docx
import pytest
import yaml

import reportgen

OCTOBER = Path("data/narrative/2010-12-07-corporate-parenting-update.yaml")
JANUARY = Path("data/narrative/2011-01-18-ni59-ni60.yaml")
PERFORMANCE = Path("data/narrative/2026-11-04-childrens-performance-report.yaml")
EXEMPT = Path("data/narrative/2026-11-04-high-cost-placements.yaml")
MEETING = Path("data/meetings/2026-11-04-children-and-young-people-scrutiny-panel.yaml")


@pytest.fixture
def ws(project: Path) -> reportgen.Workspace:
    return reportgen.Workspace(project, reportgen.Cache())


def header(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def paper_text(ws: reportgen.Workspace, path: Path) -> str:
    built = ws.build([path], write=False)
    content = next(c for p, c in built.reports[0].files if p.suffix == ".docx")
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


def it_starts_next_periods_paper_from_this_periods(ws: reportgen.Workspace) -> None:
    made = ws.new_paper(source=ws.root / OCTOBER, meeting=ws.root / MEETING)
    assert made == ws.root / "data/narrative/2026-11-04-corporate-parenting-update.yaml"
    new, old = header(made), header(ws.root / OCTOBER)
    assert new["period"] == "2010-11"  # October's moved on one month
    assert (new["committee"], new["meeting_date"]) == (
        "Children and Young People Scrutiny Panel",
        date(2026, 11, 4),
    )
    moved = {"period", "committee", "meeting_date"}
    assert {k: v for k, v in new.items() if k not in moved} == {
        k: v for k, v in old.items() if k not in moved
    }  # every word kept
    assert (ws.root / OCTOBER).read_text() == (ws.root / OCTOBER).read_text()


def it_keeps_the_comments_and_changes_only_the_lines_it_moves_on(ws: reportgen.Workspace) -> None:
    made = ws.new_paper(source=ws.root / OCTOBER, meeting=ws.root / MEETING)
    before = (ws.root / OCTOBER).read_text().splitlines()
    after = made.read_text().splitlines()
    assert after[:2] == before[:2] and after[0].startswith("# Corporate Parenting Panel")
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        ("committee: Corporate Parenting Panel", "committee: Children and Young People Scrutiny Panel"),
        ("meeting_date: 2010-12-07", "meeting_date: 2026-11-04"),
        ("period: 2010-10", "period: 2010-11"),
    ]  # fmt: skip


def it_shows_the_new_periods_figures_in_the_live_figures_and_the_paper(
    ws: reportgen.Workspace,
) -> None:
    made = ws.new_paper(source=ws.root / OCTOBER, meeting=ws.root / MEETING)
    shows = {f.expression: f.shows for f in ws.live_figures(made)}
    was = {f.expression: f.shows for f in ws.live_figures(ws.root / OCTOBER)}
    assert was["{{ NI59.latest }}"] == "89%" and shows["{{ NI59.latest }}"] == "93%"
    text = " ".join(paper_text(ws, made).split())
    assert "93% in November (55 of 59)" in text
    assert "89% in October (51 of 57)" in " ".join(paper_text(ws, ws.root / OCTOBER).split())


def it_clears_a_clearance_recorded_by_hand_to_the_role_alone(ws: reportgen.Workspace) -> None:
    made = ws.new_paper(source=ws.root / JANUARY, meeting=ws.root / MEETING)
    assert header(made)["clearance"] == [{"role": "on behalf of the Chief Financial Officer"}]
    assert "Emma Stabler" not in made.read_text()
    assert "\n\ncontacts:" in made.read_text()  # the blank line before the next part kept
    states = ws.clearance(made)
    assert [(c.role, c.status.name) for c in states] == [
        ("on behalf of the Chief Financial Officer", "NOT_CLEARED")
    ]


def it_carries_no_sign_off_over_to_the_new_paper(ws: reportgen.Workspace) -> None:
    source = ws.root / PERFORMANCE
    ws.sign_off(source, "Chief Financial Officer", "Dawn Okafor", date(2026, 10, 20))
    assert any(c.status.name == "CLEARED" for c in ws.clearance(source))
    made = ws.new_paper(source=source, meeting=ws.root / MEETING)
    assert {c.status.name for c in ws.clearance(made)} == {"NOT_CLEARED"}


def it_keeps_the_words_on_rating_changes_of_a_paper_not_published(
    ws: reportgen.Workspace,
) -> None:
    made = ws.new_paper(source=ws.root / PERFORMANCE, meeting=ws.root / MEETING)
    assert set(header(made)["rating_changes"]) == {"L1", "L2", "L5"}


def it_leaves_out_the_words_on_last_periods_changes_once_that_paper_was_published(
    ws: reportgen.Workspace,
) -> None:
    source = ws.root / PERFORMANCE
    record = ws.root / "data/published/2026-11-04-children-and-young-people-scrutiny-panel"
    record.mkdir(parents=True)
    (record / f"{source.stem}.json").write_text("{}")
    made = ws.new_paper(source=source, meeting=ws.root / MEETING)
    text = made.read_text()
    assert header(made)["rating_changes"] == {} and "Timeliness recovered" not in text
    # Where the words go, with the comment that says so, and a blank line before the next part.
    assert "refuses it).\nrating_changes: {}\n\nalternative_options:" in text


def it_keeps_an_exempt_paper_exempt(ws: reportgen.Workspace) -> None:
    made = ws.new_paper(source=ws.root / EXEMPT, meeting=ws.root / MEETING)
    assert (header(made)["exempt"], header(made)["exempt_paragraph"]) == (True, 3)


@pytest.mark.parametrize(
    ("period", "expected"), [("2011-03", "2011-03"), (None, "2010-11"), ("2010-12", "2010-12")]
)
def it_takes_the_period_chosen_or_moves_it_on_a_month(
    ws: reportgen.Workspace, period: str | None, expected: str
) -> None:
    made = ws.new_paper(source=ws.root / OCTOBER, meeting=ws.root / MEETING, period=period)
    assert header(made)["period"] == expected


def it_adds_a_number_when_the_name_is_taken_and_never_writes_over_a_file(
    ws: reportgen.Workspace,
) -> None:
    first = ws.new_paper(source=ws.root / OCTOBER, meeting=ws.root / MEETING)
    kept = first.read_text()
    second = ws.new_paper(source=ws.root / OCTOBER, meeting=ws.root / MEETING, period="2010-12")
    third = ws.new_paper(source=ws.root / OCTOBER, meeting=ws.root / MEETING)
    assert [first.name, second.name, third.name] == [
        "2026-11-04-corporate-parenting-update.yaml",
        "2026-11-04-corporate-parenting-update-2.yaml",
        "2026-11-04-corporate-parenting-update-3.yaml",
    ]
    assert first.read_text() == kept


def it_counts_a_name_taken_by_sign_offs_or_a_published_record(ws: reportgen.Workspace) -> None:
    (ws.root / "data/clearance").mkdir(exist_ok=True)
    (ws.root / "data/clearance/2026-11-04-corporate-parenting-update.yaml").write_text("x: 1\n")
    made = ws.new_paper(source=ws.root / OCTOBER, meeting=ws.root / MEETING)
    assert made.name == "2026-11-04-corporate-parenting-update-2.yaml"
    record = ws.root / "data/published/2026-11-04-children-and-young-people-scrutiny-panel"
    record.mkdir(parents=True)
    (record / "2026-11-04-information-report.json").write_text("{}")
    blank = ws.new_paper(template="information_report", meeting=ws.root / MEETING, period="2026-10")
    assert blank.name == "2026-11-04-information-report-2.yaml"


def it_names_a_paper_from_its_sources_name_without_its_date(ws: reportgen.Workspace) -> None:
    odd = ws.root / "data/narrative/Oct Report (FINAL) v2!.yaml"
    odd.write_bytes((ws.root / OCTOBER).read_bytes())
    made = ws.new_paper(source=odd, meeting=ws.root / MEETING)
    assert made.name == "2026-11-04-oct-report-final-v2.yaml"


def it_starts_a_blank_paper_in_a_house_style_with_no_words(ws: reportgen.Workspace) -> None:
    made = ws.new_paper(template="performance_report", meeting=ws.root / MEETING, period="2026-10")
    assert made.name == "2026-11-04-performance-report.yaml"
    assert header(made) == {
        "template": "performance_report",
        "committee": "Children and Young People Scrutiny Panel",
        "meeting_date": date(2026, 11, 4),
        "period": "2026-10",
        "indicators": [],
    }
    checked = ws.check_text(made, made.read_text())
    assert sorted(p.key for p in checked.problems) == [
        "recommendations",
        "responsible_officer",
        "subject",
        "summary",
    ]  # each a problem to fill in, not words made up


def it_offers_the_house_styles_meetings_and_next_period(ws: reportgen.Workspace) -> None:
    choices = ws.new_paper_choices(ws.root / JANUARY, today=date(2026, 10, 1))
    assert [(s.name, s.words) for s in choices.house_styles] == [
        ("information_report", "Information report"),
        ("performance_report", "Performance report"),
    ]
    assert [m.name for m in choices.meetings] == [MEETING.stem]
    assert choices.meeting is not None and choices.meeting.name == MEETING.stem
    assert choices.period == "2010-12"
    blank = ws.new_paper_choices(today=date(2026, 12, 8))
    assert (blank.meeting, blank.period) == (None, "2026-11")  # no meeting ahead; last month


def it_starts_from_the_suggested_meeting_when_none_is_chosen(ws: reportgen.Workspace) -> None:
    made = ws.new_paper(source=ws.root / JANUARY)
    assert made.name == "2026-11-04-ni59-ni60.yaml"
    with pytest.raises(reportgen.InputError) as caught:
        ws.new_paper(source=ws.root / PERFORMANCE)  # no meeting after its own
    assert [p.key for p in caught.value.problems] == ["meeting"]


@pytest.mark.parametrize(
    ("given", "key"),
    [
        ({"source": "data/narrative/no-such-paper.yaml"}, ""),
        ({"source": "config/authority.yaml"}, ""),
        ({"source": "data/narrative/../../config/authority.yaml"}, ""),
        ({"source": "/etc/passwd"}, ""),
        ({"source": "data/narrative/a\x00b.yaml"}, ""),
        ({"source": str(MEETING)}, ""),
        ({"template": "../../config/authority"}, "template"),
        ({"template": "agenda"}, "template"),
        ({"template": "performance_index"}, "template"),
        ({"template": "information_report/../agenda"}, "template"),
        ({"source": str(OCTOBER), "meeting": "data/meetings/none.yaml"}, "meeting"),
        ({"source": str(OCTOBER), "meeting": str(OCTOBER)}, "meeting"),
        ({"source": str(OCTOBER), "meeting": "/etc/passwd"}, "meeting"),
        ({"source": str(OCTOBER), "period": "2010-13"}, "period"),
        ({"source": str(OCTOBER), "period": "../../x"}, "period"),
        ({"source": str(OCTOBER), "period": "November 2010"}, "period"),
        ({"template": "information_report"}, "meeting"),
        ({"template": "information_report", "meeting": str(MEETING)}, "period"),
        ({"source": str(OCTOBER), "template": "information_report"}, "source"),
        ({}, "source"),
    ],
)
def it_refuses_what_is_not_a_paper_house_style_meeting_or_month_and_writes_nothing(
    ws: reportgen.Workspace, given: dict[str, str], key: str
) -> None:
    before = sorted((ws.root / "data").rglob("*"))
    arguments = {k: (v if k in ("template", "period") else ws.root / v) for k, v in given.items()}
    with pytest.raises(reportgen.InputError) as caught:
        ws.new_paper(**arguments)
    assert [p.key for p in caught.value.problems] == [key]
    assert all("`" not in p.what + p.fix for p in caught.value.problems)
    assert sorted((ws.root / "data").rglob("*")) == before


def it_refuses_to_start_from_a_paper_that_cannot_be_read(ws: reportgen.Workspace) -> None:
    broken = ws.root / "data/narrative/2026-11-04-broken.yaml"
    broken.write_text("summary: [unclosed\n")
    with pytest.raises(reportgen.InputError) as caught:
        ws.new_paper(source=broken, meeting=ws.root / MEETING)
    (problem,) = caught.value.problems
    assert (problem.file, problem.what) == (
        "data/narrative/2026-11-04-broken.yaml",
        "cannot be read, so no paper can be started from it",
    )


def it_keeps_a_files_windows_line_endings(ws: reportgen.Workspace) -> None:
    source = ws.root / "data/narrative/2010-12-07-crlf.yaml"
    source.write_bytes((ws.root / OCTOBER).read_bytes().replace(b"\n", b"\r\n"))
    made = ws.new_paper(source=source, meeting=ws.root / MEETING)
    content = made.read_bytes()
    assert content.count(b"\r\n") == content.count(b"\n") > 20


def it_starts_a_paper_from_another_well_within_a_second(ws: reportgen.Workspace) -> None:
    ws.papers(), ws.meetings()  # the service has read them already
    started = time.perf_counter()
    ws.new_paper(source=ws.root / JANUARY, meeting=ws.root / MEETING)
    assert time.perf_counter() - started < 1.0
