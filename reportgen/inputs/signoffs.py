"""Sign-offs of papers' clearance, kept in `data/clearance/<paper>.yaml`.

reportgen serve writes them when a clearer clears a paper; every build reads them, so the
paper's clearance section prints who cleared it and when, never typed by hand. A file that
cannot be read is a problem at its line, like any other input.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from reportgen.cache import Cache
from reportgen.domain.clearance import same_role
from reportgen.domain.schema import SignOffModel, SignOffsModel
from reportgen.errors import InputError, Problems
from reportgen.inputs.config import validate
from reportgen.inputs.yamlfile import load_yaml

CLEARANCE_FOLDER = Path("data") / "clearance"
ABOUT = (
    "Who cleared this paper, and when: written by reportgen serve when a clearer clears it. "
    "Do not edit it by hand."
)


def signoffs_path(root: Path, narrative: Path) -> Path:
    """Where the sign-offs of the paper whose narrative is at `narrative` are kept."""
    return root / CLEARANCE_FOLDER / f"{narrative.stem}.yaml"


def paper_sources(root: Path, narrative: Path) -> list[Path]:
    """The files a paper is built from besides the project's: its narrative and sign-offs."""
    signed = signoffs_path(root, narrative)
    return [narrative, signed] if signed.is_file() else [narrative]


def load_signoffs(
    root: Path, narrative: Path, problems: Problems, cache: Cache | None = None
) -> list[SignOffModel]:
    """The paper's sign-offs (none when it has no file), with a bad file's problems added."""
    path = signoffs_path(root, narrative)
    if not path.is_file():
        return []
    try:
        document = load_yaml(path, None, cache)
    except InputError as error:
        problems.extend(error.problems)
        return []
    found = validate(document, SignOffsModel, problems)
    return list(found.signoffs) if found else []


def with_signoff(
    signoffs: list[SignOffModel],
    role: str,
    name: str = "",
    when: date | None = None,
    content: str = "",
) -> list[SignOffModel]:
    """The sign-offs with the role's replaced by one from `name` (or removed, without)."""
    kept = [s for s in signoffs if not same_role(s.role, role)]
    if name and when is not None:
        kept.append(SignOffModel(role=role, name=name, date=when, content=content))
    return kept


def dump_signoffs(signoffs: list[SignOffModel]) -> bytes:
    data = {
        "about": ABOUT,
        "signoffs": [
            {"role": s.role, "name": s.name, "date": s.date, "content": s.content} for s in signoffs
        ],
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100).encode("utf-8")
