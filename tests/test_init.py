"""A new council's first project: `reportgen init` gives one that checks, builds and packs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reportgen import Workspace
from reportgen.errors import InputError, Problems
from reportgen.inputs.project import load_project
from reportgen.jobs.starter import EXAMPLE_DFE

MEETING = "data/meetings/2026-11-04-childrens-services-scrutiny-committee.yaml"


@pytest.mark.parametrize(
    ("code", "name", "region"),
    [
        ("310", "Harrow", "London"),  # a London borough
        ("886", "Kent", "South East"),  # a county
        ("801", "Bristol, City of", "South West"),  # a unitary
    ],
)
def it_starts_a_project_that_checks_and_builds_with_no_edits(
    tmp_path: Path, code: str, name: str, region: str
) -> None:
    project = tmp_path / "council"
    written = Workspace(project).init(code)
    assert project / "config/authority.yaml" in written
    authority = yaml.safe_load((project / "config/authority.yaml").read_text())
    assert (authority["name"], str(authority["la_code"])) == (name, code)
    assert f"region ({region})" in (project / "config/authority.yaml").read_text()
    problems = Problems()
    loaded = load_project(project, problems)
    assert problems.items == [] and loaded is not None
    assert len(loaded.authority.neighbour_codes) == 10
    assert not (project / "templates").exists()  # the built-in house styles serve
    built = (
        Workspace(project).build([project / "data/narrative"], project / "out", write=False).reports
    )
    assert sorted(b.report.source.name for b in built) == [
        "2026-11-04-performance-information.yaml",
        "2026-11-04-performance-report.yaml",
    ]
    assert Workspace(project).check([project / MEETING]).meetings == {project / MEETING: 5}


def it_refuses_a_folder_in_use_and_a_code_it_does_not_know(tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used/notes.txt").write_text("mine")
    with pytest.raises(InputError) as caught:
        Workspace(tmp_path / "used").init("310")
    assert [p.what for p in caught.value.problems] == ["is not an empty folder"]
    assert (tmp_path / "used/notes.txt").read_text() == "mine"
    with pytest.raises(InputError) as caught:
        Workspace(tmp_path / "new").init("Harrow")
    (problem,) = caught.value.problems
    assert (problem.what, problem.fix) == (
        "Harrow is not in the DfE model",
        "Harrow is 310: use the `la_code` option 310",
    )
    with pytest.raises(InputError) as caught:
        Workspace(tmp_path / "new").init("310", dfe=tmp_path)
    (problem,) = caught.value.problems
    assert problem.what.startswith("does not hold the DfE files")
    assert not (tmp_path / "new").exists()


def it_copies_the_dfe_files_as_downloaded(tmp_path: Path) -> None:
    Workspace(tmp_path / "council").init("886")
    copied = sorted(p.name for p in (tmp_path / "council/data/dfe").iterdir())
    assert copied == sorted(p.name for p in EXAMPLE_DFE.glob("*.csv"))
    for name in copied:
        assert (tmp_path / "council/data/dfe" / name).read_bytes() == (
            EXAMPLE_DFE / name
        ).read_bytes()


def it_starts_from_the_example_catalogues_dfe_measures() -> None:
    # The starter's DfE entries are the example's, word for word: one is not left behind
    # when the other changes.
    from conftest import REPO

    from reportgen.jobs.starter import DFE_ENTRIES, THEMES

    example = (REPO / "config/indicators.yaml").read_text(encoding="utf-8")
    assert DFE_ENTRIES in example and THEMES in example
