"""Statutory officers' clearance in the paper: a role alone in the narrative prints "Not
yet cleared" until a sign-off clears it; the sign-off prints its name and date; a paper
changed since is out of date, and prints the role as not cleared again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest
from conftest import edit

import reportgen

PAPER = "2026-11-04-childrens-performance-report"
CFO = "Chief Financial Officer"


def narrative(project: Path) -> Path:
    return project / "data" / "narrative" / f"{PAPER}.yaml"


def clearance_rows(project: Path) -> list[list[str]]:
    (built, *_) = reportgen.Workspace(project).build([narrative(project)], write=False).reports
    paper = docx.Document(__import__("io").BytesIO(built.content))
    table = next(t for t in paper.tables if t.rows[0].cells[0].text == "Name")
    return [[c.text for c in row.cells] for row in table.rows]


def states(project: Path) -> list[tuple[str, str, str]]:
    return [
        (r.role, r.status, r.name)
        for r in reportgen.Workspace(project).clearance(narrative(project))
    ]


def it_prints_roles_not_yet_cleared_then_who_cleared_them(project: Path) -> None:
    assert clearance_rows(project) == [
        ["Name", "Role", "Date"],
        ["Not yet cleared", CFO, ""],
        ["Not yet cleared", "Monitoring Officer", ""],
    ]
    content = reportgen.Workspace(project).content_of(narrative(project))
    reportgen.Workspace(project).sign_off(
        narrative(project), CFO, "Dawn Calvert", date(2026, 10, 28), content=content
    )
    assert clearance_rows(project)[1] == ["Dawn Calvert", CFO, "28 October 2026"]
    assert states(project) == [
        (CFO, "cleared", "Dawn Calvert"),
        ("Monitoring Officer", "not cleared", ""),
    ]
    saved = (project / "data" / "clearance" / f"{PAPER}.yaml").read_text()
    assert "Dawn Calvert" in saved and content in saved


def it_puts_a_changed_paper_out_of_date_but_not_for_a_comment(project: Path) -> None:
    reportgen.Workspace(project).sign_off(
        narrative(project), CFO, "Dawn Calvert", date(2026, 10, 28)
    )
    edit(narrative(project), "\nclearance:", "\n# a comment changes nothing\nclearance:")
    assert states(project)[0] == (CFO, "cleared", "Dawn Calvert")
    edit(narrative(project), "summary: ", "summary: Revised. ")
    assert states(project)[0] == (CFO, "out of date", "Dawn Calvert")
    assert clearance_rows(project)[1] == ["Not yet cleared", CFO, ""]
    reportgen.Workspace(project).sign_off(
        narrative(project), CFO, "Dawn Calvert", date(2026, 10, 29)
    )
    assert clearance_rows(project)[1] == ["Dawn Calvert", CFO, "29 October 2026"]


def it_takes_a_signoff_back(project: Path) -> None:
    reportgen.Workspace(project).sign_off(
        narrative(project), CFO, "Dawn Calvert", date(2026, 10, 28)
    )
    reportgen.Workspace(project).sign_off(narrative(project), CFO)
    assert states(project)[0] == (CFO, "not cleared", "")


def it_refuses_a_signoff_of_a_paper_changed_since_it_was_read(project: Path) -> None:
    content = reportgen.Workspace(project).content_of(narrative(project))
    edit(narrative(project), "summary: ", "summary: Revised. ")
    with pytest.raises(reportgen.Conflict) as refused:
        reportgen.Workspace(project).sign_off(
            narrative(project), CFO, "Dawn Calvert", date(2026, 10, 28), content=content
        )
    assert "changed since you opened it" in str(refused.value.problems[0])
    assert not (project / "data" / "clearance").exists()


def it_refuses_a_role_the_paper_does_not_name(project: Path) -> None:
    with pytest.raises(reportgen.InputError) as refused:
        reportgen.Workspace(project).sign_off(
            narrative(project), "Chief Executive", "Sean Harriss", date(2026, 10, 28)
        )
    assert "does not ask for clearance by the Chief Executive" in str(refused.value.problems[0])


def it_reports_a_broken_signoffs_file_at_its_line(project: Path, cli) -> None:
    folder = project / "data" / "clearance"
    folder.mkdir(parents=True)
    (folder / f"{PAPER}.yaml").write_text(
        "signoffs:\n  - role: Chief Financial Officer\n    name: Dawn Calvert\n    date: 2026-02-30\n"
        "    content: abc\n"
    )
    result = cli("build", f"data/narrative/{PAPER}.yaml")
    assert result.exit_code == 1
    assert f"data/clearance/{PAPER}.yaml:4: signoff 1 date" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "out").exists()


def it_asks_for_both_name_and_date_of_a_clearance_typed_by_hand(project: Path, cli) -> None:
    edit(
        narrative(project),
        "  - Monitoring Officer\n",
        "  - role: Monitoring Officer\n    name: Hugh Peart\n",
    )
    result = cli("check", f"data/narrative/{PAPER}.yaml")
    assert result.exit_code == 1
    assert "clearance 2: give both `name` and `date`" in result.stderr


def it_gives_each_roles_state_as_a_clearance_status_not_a_string(project: Path) -> None:
    edit(
        narrative(project),
        "  - Monitoring Officer\n",
        "  - role: Monitoring Officer\n    name: Hugh Peart\n    date: 2026-10-27\n",
    )
    reportgen.Workspace(project).sign_off(
        narrative(project), CFO, "Dawn Calvert", date(2026, 10, 28)
    )
    found = reportgen.Workspace(project).clearance(narrative(project))
    assert [r.status for r in found] == [reportgen.ClearanceStatus.CLEARED] * 2
    assert all(type(r.status) is reportgen.ClearanceStatus and r.cleared for r in found)
    edit(narrative(project), "summary: ", "summary: Revised. ")
    (cfo, by_hand) = reportgen.Workspace(project).clearance(narrative(project))
    assert cfo.status is reportgen.ClearanceStatus.OUT_OF_DATE and not cfo.cleared
    assert by_hand.status is reportgen.ClearanceStatus.CLEARED  # typed in the narrative itself
    reportgen.Workspace(project).sign_off(narrative(project), CFO)
    (cfo, _) = reportgen.Workspace(project).clearance(narrative(project))
    assert cfo.status is reportgen.ClearanceStatus.NOT_CLEARED
    assert str(cfo.status) == "not cleared"  # the words, at the edges
