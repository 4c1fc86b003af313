"""Papers and packs as PDF: LibreOffice converts (pdf.convert, which proves each PDF holds
its whole document), the pack's front sheets are numbered, and its parts joined."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from pathlib import Path

from reportgen.inputs.project import Project
from reportgen.jobs.agenda import PackPlan
from reportgen.jobs.build import BuiltReport
from reportgen.pdf import convert, join

# Told how long work is going: (what is being done, how many done, how many in all).
Progress = Callable[[str, int, int], None]


def profile(project: Project) -> Path | None:
    """The LibreOffice settings folder kept for the project, to start each run from."""
    return project.cache_folder / "libreoffice" if project.cache_folder else None


def converted(
    project: Project,
    documents: Sequence[tuple[str, bytes]],
    progress: Progress | None,
    withheld: Collection[int] = frozenset(),
) -> list[bytes]:
    """The documents as PDFs, by one LibreOffice process (with the project's kept settings);
    a failed check does not quote the text of those `withheld` (exempt papers)."""
    total = len(documents)

    def done(count: int) -> None:
        if progress:
            progress("documents converted to PDF", count, total)

    done(0)
    pdfs = convert.convert(documents, profile(project), done if progress else None, withheld)
    done(total)
    return pdfs


def with_pdfs(
    project: Project, built: list[BuiltReport], progress: Progress | None
) -> list[BuiltReport]:
    """Each report with a PDF beside each of its documents, all from one LibreOffice run."""
    documents = [(str(path), content) for item in built for path, content in item.files]
    pdfs = iter(converted(project, documents, progress))
    return [
        replace(
            item,
            files=item.files
            + tuple((path.with_suffix(".pdf"), next(pdfs)) for path, _ in item.files),
        )
        for item in built
    ]


def numbered(project: Project, plan: PackPlan, pdfs: list[bytes]) -> list[bytes]:
    """The PDFs with the front sheets made again, each item with the page it starts on; a
    front sheet that grows a page with them moves every page on, so again until none does."""
    front_pdfs, item_pdfs = plan.split(pdfs)
    lengths = {number: sum(map(join.pages, made)) for number, made in item_pdfs.items()}
    front_pages = [join.pages(front) for front in front_pdfs]
    for _ in range(3):
        made = convert.convert(
            plan.numbered_fronts(project, front_pages, lengths),
            profile(project),
            withheld=plan.withheld,  # the exempt front sheet, where there is one
        )
        pdfs = [*made, *pdfs[len(made) :]]
        now = [join.pages(front) for front in made]
        if now == front_pages:
            break
        front_pages = now
    return pdfs


def packs(project: Project, plan: PackPlan, progress: Progress | None) -> list[tuple[Path, bytes]]:
    """The plan's packs: its documents converted, the front sheets numbered, each pack's
    parts joined, bookmarked and stamped with page numbers."""
    pdfs = numbered(project, plan, converted(project, plan.documents, progress, plan.withheld))
    planned = plan.packs(pdfs)
    joined = []
    for number, (path, parts, title) in enumerate(planned, 1):
        joined.append((path, join.assemble(parts, title)))
        if progress:
            progress("packs joined and numbered", number, len(planned))
    return joined
