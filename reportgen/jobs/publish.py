"""Publishing: what each paper printed, as a snapshot for `data/published/`.

A meeting published before with the same figures is left as it is; with other figures it
is refused unless the caller asks to replace it, when the earlier snapshot is kept in a
`replaced` folder beside it. Nothing here writes: the caller holds the project's lock
while it plans and writes, so that the earlier snapshots checked cannot change meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from reportgen.errors import Problems
from reportgen.inputs.digests import digests
from reportgen.inputs.project import Project
from reportgen.inputs.signoffs import paper_sources
from reportgen.inputs.snapshots import PUBLISHED_FOLDER, REPLACED, dump, earlier
from reportgen.jobs.build import BuiltReport
from reportgen.results.records import Snapshot
from reportgen.version import __version__


class PublishStatus(StrEnum):
    """What publishing did with a paper's snapshot."""

    PUBLISHED = "published"  # the first for its meeting
    UNCHANGED = "unchanged"  # published before with the same figures: left as it was
    REPLACED = "replaced"  # published before with other figures: the earlier one kept


@dataclass(frozen=True)
class Published:
    """One paper published: where its snapshot is, and whether it is new, the same as
    before (`UNCHANGED`), or replaces an earlier one (kept in `replaced`)."""

    built: BuiltReport
    path: Path
    status: PublishStatus
    replaced: Path | None = None
    snapshot: bytes = b""  # what to write at `path`; nothing when unchanged


def snapshots(
    project: Project, built: Sequence[BuiltReport], *, replace: bool = False
) -> list[Published]:
    """The snapshot of each paper `built` (built with `record`), checked against what was
    published before. Raises InputError for a meeting published before with other
    figures, unless `replace`."""
    root = project.root
    problems = Problems()
    plans: list[Published] = []
    for item in built:
        report = item.report
        narrative = report.narrative
        record = Snapshot(
            paper=report.output.stem,
            committee=narrative.committee,
            meeting_date=narrative.meeting_date,
            period=narrative.period,
            reportgen=__version__,
            inputs={
                **project.inputs,
                **digests(paper_sources(root, report.source), root, project.cache),
            },
            indicators=item.printed,
            exempt=narrative.exempt,
        )
        path = root / PUBLISHED_FOLDER / report.output.parent.name / f"{report.output.stem}.json"
        before = earlier(path, problems)
        text = dump(record).encode("utf-8")
        if before is None:
            plans.append(Published(item, path, PublishStatus.PUBLISHED, snapshot=text))
        elif before.indicators == record.indicators and before.period == record.period:
            plans.append(Published(item, path, PublishStatus.UNCHANGED))
        elif not replace:
            changed = [i.id for i in record.indicators if before.indicator(i.id) != i] or [
                "the period"
            ]
            problems.add(
                path,
                None,
                "",
                f"{narrative.meeting_date} was published before with other figures "
                f"({', '.join(changed)})",
                "publish again with the `replace` option to record the new figures (the "
                f"earlier snapshot is kept in {PUBLISHED_FOLDER.as_posix()}/"
                f"{path.parent.name}/{REPLACED}/)",
            )
        else:
            kept = _free_name(path.parent / REPLACED, path.stem)
            plans.append(Published(item, path, PublishStatus.REPLACED, kept, text))
    problems.raise_if_any()
    return plans


def _free_name(folder: Path, stem: str) -> Path:
    """`folder/stem-N.json` for the first N not taken."""
    number = 1
    while (folder / f"{stem}-{number}.json").exists():
        number += 1
    return folder / f"{stem}-{number}.json"
