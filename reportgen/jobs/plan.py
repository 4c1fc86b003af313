"""Planning a build: the narrative files named (folders expanded, each inside the
project), each read, validated and checked against the project into a `Report` with its
sign-offs and where its paper goes; every problem found on the way in one list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportgen.cache import Cache
from reportgen.domain.schema import NarrativeModel, SignOffModel
from reportgen.errors import Problems, project_path
from reportgen.inputs.config import load_narrative
from reportgen.inputs.paths import is_inside
from reportgen.inputs.project import Project
from reportgen.inputs.signoffs import load_signoffs
from reportgen.inputs.yamlfile import YamlDocument
from reportgen.jobs.checks import live_figures_of_raw, narrative_fits
from reportgen.paper.context import slug


@dataclass(frozen=True)
class Report:
    """One narrative file, validated, with its sign-offs and where its paper (and a
    separate performance index, when the narrative asks for one) goes."""

    source: Path
    narrative: NarrativeModel
    document: YamlDocument
    output: Path
    signoffs: tuple[SignOffModel, ...] = ()

    @property
    def index_output(self) -> Path | None:
        scorecard = self.narrative.scorecard
        if scorecard is None or not scorecard.separate:
            return None
        return self.output.with_name(f"{self.output.stem}-appendix.docx")


def narrative_files(
    root: Path,
    paths: Sequence[Path],
    problems: Problems,
    published: frozenset[str] = frozenset(),
    skipped: list[Path] | None = None,
) -> list[Path]:
    """The narrative files named, with folders expanded to the .yaml files inside them;
    each must be inside the project at `root`. A folder leaves out the papers already
    `published` (by file stem; they go in `skipped`): naming one builds it again."""
    files: list[Path] = []
    for path in paths:
        if not is_inside(root, path):
            problems.add(
                path,
                None,
                "",
                "is outside the project folder",
                "keep narrative files in data/narrative/",
            )
            continue
        if path.is_dir():
            found = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            if not found:
                problems.add(
                    path,
                    None,
                    "",
                    "has no narrative .yaml files",
                    "name a narrative file or a folder holding them",
                )
            for file in found:
                if file.stem in published:
                    if skipped is not None:
                        skipped.append(file)
                else:
                    files.append(file)
        elif path.is_file():
            files.append(path)
        else:
            problems.add(
                path,
                None,
                "",
                "does not exist",
                "check the path (narrative files are usually in data/narrative/)",
            )
    return files


def read(
    root: Path,
    paths: Sequence[Path],
    problems: Problems,
    texts: Mapping[Path, str] | None = None,
    published: frozenset[str] = frozenset(),
    skipped: list[Path] | None = None,
    cache: Cache | None = None,
) -> list[tuple[Path, NarrativeModel | None, YamlDocument]]:
    """Each narrative named (folders expanded; each inside the project at `root`), or
    given as unsaved `texts`, read and validated: its model (None when it is not valid)
    and its document; every problem goes to `problems`. A project that failed to load is
    planned no further, but its narratives are read all the same, so that every problem
    shows in one run."""
    texts = texts or {}
    named = [p for p in paths if p not in texts]
    found = narrative_files(root, named, problems, published, skipped)
    read = []
    for path in [*(f for f in found if f not in texts), *texts]:
        if path in texts and not is_inside(root, path):
            problems.add(
                path, None, "", "is outside the project folder", "keep narrative in the project"
            )
            continue
        narrative, document = load_narrative(path, problems, texts.get(path), cache)
        if document is not None:
            read.append((path, narrative, document))
    return read


def plan(
    project: Project,
    paths: Sequence[Path],
    out: Path,
    problems: Problems,
    skipped: list[Path] | None = None,
    texts: Mapping[Path, str] | None = None,
) -> list[Report]:
    """The valid reports among `paths` (as `read`); every problem with them goes to
    `problems`. Papers published already, found in a folder, are left out and listed in
    `skipped`."""
    reports: list[Report] = []
    outputs: dict[Path, Path] = {}
    published = frozenset(s.paper for s in project.snapshots)
    found = read(project.root, paths, problems, texts, published, skipped, project.cache)
    for path, narrative, document in found:
        # Checked even when other keys are wrong, so that every problem shows in one run.
        fits = narrative_fits(project, document, problems)
        if narrative is None and fits:  # its live figures are checked all the same
            live_figures_of_raw(project, document, problems)
        if narrative is None or not fits:
            continue
        folder = f"{narrative.meeting_date.isoformat()}-{slug(narrative.committee)}"
        output = out / folder / f"{path.stem}.docx"
        if output in outputs:
            problems.add(
                path,
                None,
                "",
                f"would write the same file as {project_path(outputs[output], project.root)}",
                "rename one of the narrative files",
            )
            continue
        outputs[output] = path
        signoffs = load_signoffs(project.root, path, problems, project.cache)
        report = Report(path, narrative, document, output, tuple(signoffs))
        if report.index_output is not None:
            outputs[report.index_output] = path
        reports.append(report)
    return reports
