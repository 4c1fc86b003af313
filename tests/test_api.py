"""The public API: what the CLI and the service call, documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import NARRATIVE, REPO

import reportgen

README = (REPO / "README.md").read_text(encoding="utf-8")


def it_documents_every_public_function_in_the_readme() -> None:
    section = README.split("## Using reportgen from Python", 1)[1].split("\n## ", 1)[0]
    functions = [n for n in reportgen.__all__ if callable(getattr(reportgen, n)) and n[0].islower()]
    assert functions, "the API has functions"
    for name in functions:
        assert re.search(rf"`{name}\(", section), f"{name} is not in the README's API section"


def it_runs_the_readme_example(project: Path) -> None:
    section = README.split("## Using reportgen from Python", 1)[1].split("\n## ", 1)[0]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    example = example.replace('Path("my-council")', f"Path({str(project)!r})")
    example = example.replace("data/narrative/paper.yaml", str(NARRATIVE))
    exec(compile(example, "README example", "exec"), {})
    assert (project / "out").is_dir()


def it_gives_problems_with_paths_from_the_project_folder(project: Path) -> None:
    (project / NARRATIVE).write_text(
        (project / NARRATIVE).read_text().replace("summary:", "sumary:"), encoding="utf-8"
    )
    with pytest.raises(reportgen.InputError) as caught:
        reportgen.build(project, [project / NARRATIVE], write=False)
    (problem,) = caught.value.problems
    assert (problem.file, problem.key) == (NARRATIVE.as_posix(), "sumary")


def it_keeps_what_it_parses_in_the_cache_passed_in(project: Path) -> None:
    cache = reportgen.Cache()
    reportgen.build(project, [project / NARRATIVE], write=False, cache=cache)
    assert len(cache) > 0
    kept = len(cache)
    reportgen.build(project, [project / NARRATIVE], write=False, cache=cache)
    assert len(cache) == kept  # the second build found everything it needed


def it_saves_only_a_narrative_with_no_problems(project: Path) -> None:
    path = project / NARRATIVE
    before = path.read_bytes()
    text = before.decode().replace("summary:", "sumary:")
    with pytest.raises(reportgen.InputError) as caught:
        reportgen.save_text(project, path, text)
    assert [(p.file, p.key) for p in caught.value.problems] == [(NARRATIVE.as_posix(), "sumary")]
    assert path.read_bytes() == before  # nothing written
    good = before.decode() + "\n# saved by the API\n"
    assert reportgen.save_text(project, path, good) == path
    assert path.read_text(encoding="utf-8") == good
