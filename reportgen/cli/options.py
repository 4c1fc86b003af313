"""The options and arguments every command shares, as the command line spells them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ProjectOption = Annotated[
    Path,
    typer.Option(
        "--project",
        "-p",
        help="The project folder holding config/, data/ and templates/. Other relative "
        "paths are read from it, as `git -C` reads them.",
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Where papers are written [default: PROJECT/out]."),
]
PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Narrative files or folders of them [default: PROJECT/data/narrative].",
        show_default=False,
    ),
]
