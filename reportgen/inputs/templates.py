"""The templates a project can use: reportgen's built-in house styles, and the project's own
in templates/, which replace built-in ones of the same name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.inputs.paths import OutsideProject, inside, template_name

if TYPE_CHECKING:
    from reportgen.inputs.project import Project

BUILT_IN_TEMPLATES = Path(__file__).parent.parent / "templates"  # the house styles reportgen ships


INDEX_TEMPLATE = "performance_index.docx"  # a performance index sent as its own document


AGENDA_TEMPLATE = "agenda.docx"  # the front sheet of an agenda pack


NOT_PAPERS = ("performance_index", "agenda")  # templates that are not a paper's style


def template_path(project: Project, template: str) -> Path:
    """The named template's file: the project's own in templates/ where it has one, else
    reportgen's built-in house style of that name (else the project's path, which does
    not exist). OutsideProject if the name is not a plain name, or the project's file is a
    link that leads out of the project."""
    file = template_name(template)
    if file is None:
        raise OutsideProject(f"'{template}' is not a template name")
    own = inside(project.root, project.templates, file)
    if not own.exists() and (BUILT_IN_TEMPLATES / file).is_file():
        return BUILT_IN_TEMPLATES / file
    return own


def template_files(root: Path) -> dict[str, Path]:
    """Every template a project can use, by name: the built-in house styles, and the
    project's own in templates/, which replace built-in ones of the same name."""
    found = {p.stem: p for p in sorted(BUILT_IN_TEMPLATES.glob("*.docx"))}
    folder = root / "templates"
    if folder.is_dir():
        found |= {p.stem: p for p in sorted(folder.glob("*.docx")) if not p.name.startswith("~$")}
    return found
