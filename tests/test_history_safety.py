"""History written by earlier versions is made safe when read: a snapshot that does not say
it is exempt is exempt where its paper's narrative or its meeting file says so, and a figure
it recorded that today's disclosure rules withhold is withheld, whatever version wrote it.

Each case writes an old snapshot inline, as an earlier reportgen wrote it, and reads back
the public paper (the version the public agenda pack holds)."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import PERFORMANCE_NARRATIVE

from reportgen.errors import Problems
from reportgen.inputs.project import load_project
from reportgen.inputs.snapshots import exempt_at_source
from reportgen.jobs.build import render_report
from reportgen.jobs.plan import plan
from reportgen.results.records import PublishedIndicator, Snapshot

PANEL = "Children and Young People Scrutiny Panel"
OCTOBER = "2026-10-07-children-and-young-people-scrutiny-panel"  # a meeting between 9 Sep and 4 Nov


def old_snapshot(root: Path, paper: str, indicators: list[dict[str, Any]]) -> Path:
    """Writes `paper`'s snapshot of the 7 October 2026 meeting as reportgen 0.0.9 wrote it:
    no `exempt` key, every check right."""
    inputs = {f"data/narrative/{paper}.yaml": "0" * 64}
    header = Snapshot(paper, PANEL, date(2026, 10, 7), "2026-09", "0.0.9", inputs, ())
    text = {
        "about": "What this paper printed.",
        "paper": paper,
        "committee": PANEL,
        "meeting_date": "2026-10-07",
        "period": "2026-09",
        "reportgen": "0.0.9",
        "inputs": inputs,
        "check": header.check,
        "indicators": [{**i, "check": PublishedIndicator(**i).check} for i in indicators],
    }
    path = root / "data/published" / OCTOBER / f"{paper}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(text, indent=2), encoding="utf-8")
    return path


def contacts(figure: str) -> dict[str, Any]:
    """Indicator 1 (contacts, a count) as an old snapshot recorded it for September 2026."""
    return {
        "id": "L4", "number": "1", "title": "Contacts received by the children's front door",
        "period": "2026-09", "rag": "Not rated", "direction": "↑ Higher",
        "target": "Not a target measure", "ytd": "", "rank": "", "band": "",
        "figures": {"2026-09": figure},
    }  # fmt: skip


def assessments(figure: str, counts: str) -> dict[str, Any]:
    """Indicator 2 (assessments in time, a percentage) as an old snapshot recorded it."""
    return {
        "id": "L1", "number": "2", "title": "Single assessments completed within 45 working days",
        "period": "2026-09", "rag": "Amber", "direction": "↓ Declining", "target": "90%",
        "ytd": "", "rank": "", "band": "", "figures": {"2026-09": figure},
        "counts": {"2026-09": counts},
    }  # fmt: skip


def public_paper(root: Path) -> str:
    """The 4 November 2026 performance report as the public agenda pack holds it: its words
    and table cells, read back from the .docx."""
    problems = Problems()
    project = load_project(root, problems)
    assert project is not None and not problems.items, problems.items
    (report,) = plan(project, [root / PERFORMANCE_NARRATIVE], root / "out", problems)
    built = render_report(project, report, problems, Problems(), published=True)
    assert built is not None and not problems.items, problems.items
    document = docx.Document(io.BytesIO(built.content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


EXEMPT_NARRATIVE = """template: information_report
committee: Children and Young People Scrutiny Panel
meeting_date: 2026-10-07
subject: High-cost residential placements
responsible_officer: Corporate Director, People
exempt: true
exempt_paragraph: 3
period: 2026-09
"""
MEETING = """committee: Children and Young People Scrutiny Panel
date: 2026-10-07
time: 7.00 pm
venue: Committee Room 1
items:
  - title: Apologies for absence
  - title: High-cost residential placements
    file: ../../out/2026-10-07-children-and-young-people-scrutiny-panel/{paper}.docx
    exempt_paragraph: 3
"""


@pytest.mark.parametrize("says", ["narrative", "meeting"])
def it_never_bases_a_public_paper_on_an_old_exempt_snapshot(project: Path, says: str) -> None:
    before = public_paper(project)
    assert "published in the last performance report (9 September 2026)" in before
    paper = "2026-10-07-high-cost-placements"
    # The exempt paper printed its own figure for September's contacts, which the data now
    # give as 1,488; and none of the other indicators of the public paper.
    old_snapshot(project, paper, [contacts("2,250")])
    if says == "narrative":
        (project / f"data/narrative/{paper}.yaml").write_text(EXEMPT_NARRATIVE, encoding="utf-8")
    else:
        meeting = project / f"data/meetings/{OCTOBER}.yaml"
        meeting.write_text(MEETING.format(paper=paper), encoding="utf-8")
    after = public_paper(project)
    assert "2,250" not in after and "7 October 2026" not in after
    assert " added." not in after
    assert after == before  # the public paper is the one it was without that snapshot


def it_takes_an_old_snapshot_as_public_where_nothing_says_it_is_exempt(project: Path) -> None:
    old_snapshot(project, "2026-10-07-childrens-performance-report", [contacts("2,250")])
    text = public_paper(project)
    assert "published in the last performance report (7 October 2026)" in text
    assert "September 2026 figure corrected from 2,250 to 1,488." in text


@pytest.mark.parametrize(
    ("recorded", "shown"),
    [
        (contacts("3"), "September 2026 figure corrected from [c] to 1,488."),
        (contacts("5"), "September 2026 figure corrected from [c] to 1,488."),
        (contacts("6"), "September 2026 figure corrected from 6 to 1,488."),
        (assessments("60%", "3 of 5"), "September 2026 figure corrected from [c] to "),
        (assessments("75%", "6 of 8"), "September 2026 figure corrected from 75% to "),
    ],
    ids=["count-3", "count-5", "count-6", "percent-3-of-5", "percent-6-of-8"],
)
def it_withholds_an_old_recorded_figure_that_the_rules_withhold_today(
    project: Path, recorded: dict[str, Any], shown: str
) -> None:
    old_snapshot(project, "2026-10-07-childrens-performance-report", [recorded])
    text = public_paper(project)
    assert shown in text
    withheld = "[c]" in shown
    for figure in recorded["figures"].values():
        assert (f"from {figure} to" in text) is not withheld


def snapshot_of(paper: str, inputs: dict[str, str] | None = None) -> Snapshot:
    return Snapshot(paper, PANEL, date(2026, 10, 7), "2026-09", "0.0.9", inputs or {}, ())


@pytest.mark.parametrize(
    ("files", "inputs", "exempt"),
    [
        ({"data/narrative/p.yaml": "exempt: true\n"}, {}, True),
        ({"data/narrative/p.yaml": "exempt: false\n"}, {}, False),
        ({"data/narrative/p.yml": "exempt_paragraph: 3\n"}, {}, True),  # in error: exempt
        ({"data/narrative/p.yaml": "exempt_paragraph: 0\n"}, {}, True),
        ({"data/narrative/2026/p.yaml": "exempt: true\n"}, {"data/narrative/2026/p.yaml": ""}, True),
        ({"data/narrative/2026/p.yaml": "exempt: true\n"}, {}, False),  # not where it was
        ({"data/meetings/m.yaml": "items:\n  - narrative: ../narrative/p.yaml\n    exempt_paragraph: 3\n"}, {}, True),
        ({"data/meetings/m.yaml": "items:\n  - narrative: ../narrative/p.yaml\n"}, {}, False),
        ({"data/meetings/m.yaml": "items:\n  - file: supplied/q.pdf\n    exempt_paragraph: 3\n"}, {}, False),
        ({"data/meetings/m.yaml": "items: [&a [*a, *a]"}, {}, False),  # unreadable: says nothing
        ({"data/narrative/p.yaml": "{" * 5000}, {}, False),
        ({"data/narrative/p.yaml": "- exempt\n"}, {}, False),
    ],
    ids=["narrative", "narrative-not", "yml-paragraph", "paragraph-0", "named-by-inputs", "elsewhere",
         "meeting-item", "meeting-item-not", "meeting-other-paper", "meeting-broken",
         "deep", "not-a-mapping"],
)  # fmt: skip
def it_tells_whether_an_old_snapshot_is_of_an_exempt_paper(
    tmp_path: Path, files: dict[str, str], inputs: dict[str, str], exempt: bool
) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert exempt_at_source(tmp_path, snapshot_of("p", inputs)) is exempt


def it_reads_nothing_outside_the_project_to_tell(tmp_path: Path) -> None:
    root, outside = tmp_path / "project", tmp_path / "outside"
    (root / "data/narrative").mkdir(parents=True)
    outside.mkdir()
    (outside / "p.yaml").write_text("exempt: true\n", encoding="utf-8")
    (root / "data/narrative/p.yaml").symlink_to(outside / "p.yaml")
    named = {"data/narrative/../../../outside/p.yaml": ""}
    assert exempt_at_source(root, snapshot_of("p", named)) is False
    assert exempt_at_source(root, snapshot_of("../outside/p")) is False
