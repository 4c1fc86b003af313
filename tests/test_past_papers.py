"""Past papers: published ones are not rebuilt unless named, retired indicators say so, and
snapshots written by this version stay readable by every later one."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from conftest import PERFORMANCE_NARRATIVE, REPO, edit

from reportgen import Workspace
from reportgen.errors import InputError, Problems
from reportgen.inputs.snapshots import parse
from reportgen.inputs.yamlfile import load_yaml

FIXTURES = REPO / "tests/fixtures/snapshots"


def it_leaves_out_papers_published_already_unless_named(project: Path, cli) -> None:
    Workspace(project).publish([project / PERFORMANCE_NARRATIVE], project / "out")
    done = Workspace(project).build([project / "data/narrative"], project / "out", write=False)
    skipped, built = done.skipped, done.reports
    assert [p.name for p in skipped] == [PERFORMANCE_NARRATIVE.name]
    assert PERFORMANCE_NARRATIVE.stem not in {b.report.source.stem for b in built}
    assert len(built) == 4
    # Named, it is built again.
    (again,) = (
        Workspace(project)
        .build([project / PERFORMANCE_NARRATIVE], project / "out", write=False)
        .reports
    )
    assert again.report.source.name == PERFORMANCE_NARRATIVE.name
    result = cli("check")
    assert result.exit_code == 0
    assert result.stdout == "ok: 4 reports checked, no problems found\n"
    assert result.stderr == (
        "left out 1 paper published already (2026-11-04-childrens-performance-report.yaml): "
        "name a narrative file to build it again\n"
    )


def it_says_an_old_paper_names_a_retired_indicator(project: Path) -> None:
    edit(project / PERFORMANCE_NARRATIVE, "indicators: [", "indicators: [L6, ")
    with pytest.raises(InputError) as caught:
        Workspace(project).build([project / PERFORMANCE_NARRATIVE], project / "out", write=False)
    (problem,) = [p for p in caught.value.problems if p.key.startswith("indicator ")]
    assert str(problem).startswith(f"{PERFORMANCE_NARRATIVE}:")
    assert problem.what == (
        "L6 was retired from the catalogue (To stop reporting quorate attendance at child "
        "protection conferences, which the case management system no longer records)"
    )
    assert problem.fix.startswith("a paper that names it cannot be built again")


@pytest.mark.parametrize(
    ("name", "exempt", "indicators"),
    [("written-by-0.1.0.json", False, 16), ("written-by-0.1.0-exempt.json", True, 0)],
)
def it_reads_snapshots_written_by_this_version(name: str, exempt: bool, indicators: int) -> None:
    problems = Problems()
    snapshot = parse(load_yaml(FIXTURES / name), problems)
    assert problems.items == [] and snapshot is not None
    assert (snapshot.exempt, len(snapshot.indicators)) == (exempt, indicators)
    assert snapshot.committee == "Children and Young People Scrutiny Panel"
    assert json.loads((FIXTURES / name).read_text())["reportgen"] == "0.1.0"


def it_builds_a_preview_from_text_not_yet_saved(project: Path) -> None:
    narrative = project / PERFORMANCE_NARRATIVE
    saved = narrative.read_bytes()
    text = saved.decode().replace("The report summarises", "Edited, not saved: the report")
    (built,) = (
        Workspace(project).build([], project / "out", write=False, texts={narrative: text}).reports
    )
    words = "\n".join(p.text for p in docx.Document(io.BytesIO(built.content)).paragraphs)
    assert "Edited, not saved: the report" in words
    assert narrative.read_bytes() == saved and not (project / "out").exists()
    with pytest.raises(InputError) as caught:
        Workspace(project).build(
            [], project / "out", write=False, texts={narrative: text + "sumary: x\n"}
        )
    (problem,) = caught.value.problems
    assert (problem.line, problem.key, problem.what) == (93, "sumary", "unknown key")
