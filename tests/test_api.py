"""The public API: what the CLI and the service call, documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import NARRATIVE, REPO

import reportgen

README = (REPO / "README.md").read_text(encoding="utf-8")


def it_documents_every_public_function_and_method_in_the_readme() -> None:
    section = README.split("## Using reportgen from Python", 1)[1].split("\n## ", 1)[0]
    functions = [n for n in reportgen.__all__ if callable(getattr(reportgen, n)) and n[0].islower()]
    methods = [n for n in dir(reportgen.Workspace) if not n.startswith("_")]
    assert functions and len(methods) > 20, "the API has functions and a workspace"
    for name in [*functions, *methods]:
        assert re.search(rf"`{name}\(", section), f"{name} is not in the README's API section"


def it_lists_the_public_api_by_name() -> None:
    """The edge between the service and the library is plain to read: `reportgen` lists
    every name it offers, imported one by one (no `import *`)."""
    init = Path(reportgen.__file__).read_text(encoding="utf-8")
    assert "import *" not in init
    assert all(hasattr(reportgen, name) for name in reportgen.__all__)


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
        reportgen.Workspace(project).build([project / NARRATIVE], write=False)
    (problem,) = caught.value.problems
    assert (problem.file, problem.key) == (NARRATIVE.as_posix(), "sumary")


def it_keeps_what_it_parses_in_the_cache_passed_in(project: Path) -> None:
    cache = reportgen.Cache()
    reportgen.Workspace(project, cache).build([project / NARRATIVE], write=False)
    assert len(cache) > 0
    kept = len(cache)
    reportgen.Workspace(project, cache).build([project / NARRATIVE], write=False)
    assert len(cache) == kept  # the second build found everything it needed


def it_saves_only_a_narrative_with_no_problems(project: Path) -> None:
    path = project / NARRATIVE
    before = path.read_bytes()
    text = before.decode().replace("summary:", "sumary:")
    with pytest.raises(reportgen.InputError) as caught:
        reportgen.Workspace(project).save(path, text)
    assert [(p.file, p.key) for p in caught.value.problems] == [(NARRATIVE.as_posix(), "sumary")]
    assert path.read_bytes() == before  # nothing written
    good = before.decode() + "\n# saved by the API\n"
    saved = reportgen.Workspace(project).save(path, good)
    assert (saved.problems, saved.paper[:2] if saved.paper else None) == ([], b"PK")
    assert path.read_text(encoding="utf-8") == good
