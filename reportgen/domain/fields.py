"""The narrative's text fields, declared once (pure): each field's key, its words for an
officer, whether it is one line, whether it may hold Markdown and live figures, and the
names a template prints it by. The editor's boxes, the checks' positions and the paper's
context keys all come from `FIELDS` through `fields`.

A field of a list is found by its path (`("sections", 2, "text")`) and named as problems
name it (`section 3 text`, from `keys.key_path`), so a box and its problems share a key.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from reportgen.domain.keys import key_path

Shape = Literal["text", "list", "entries", "by indicator"]


@dataclass(frozen=True)
class Declared:
    """One of the narrative's keys, as declared: `text` (one text), `list` (a list of
    texts: key points), `entries` (a list of mappings whose `parts` are texts: sections,
    contacts) or `by indicator` (texts by indicator id: rating changes, corrections)."""

    key: str
    label: str  # an officer's word for it (one entry of a list: "Key point")
    places: tuple[str, ...]  # the names a template prints it by
    shape: Shape = "text"
    parts: tuple[tuple[str, bool], ...] = ()  # an entry's fields, each with whether one line
    line: bool = False  # one line (a text's own; an entry's are in `parts`)
    figures: bool = True  # may hold Markdown and live figures
    form: bool = True  # a box in the editor


def _text(key: str, label: str) -> Declared:
    return Declared(key, label, (key,))


# In the editor's order.
FIELDS: tuple[Declared, ...] = (
    Declared("subject", "Subject", (), line=True, figures=False),
    Declared("responsible_officer", "Responsible officer", (), line=True, figures=False),
    Declared("portfolio_holder", "Portfolio holder", (), line=True, figures=False),
    Declared("wards", "Wards affected", (), line=True, figures=False),
    _text("summary", "Summary"),
    _text("recommendations", "Recommendations"),
    Declared("key_points", "Key point", ("key_points",), "list"),
    Declared("sections", "Section", ("sections",), "entries", (("heading", True), ("text", False))),
    _text("alternative_options", "Alternative options considered"),
    _text("consultation", "Consultation"),
    _text("timetable", "Timetable"),
    _text("financial_implications", "Financial implications"),
    _text("legal_implications", "Legal implications"),
    _text("equalities_implications", "Equalities implications"),
    _text("crime_and_disorder_implications", "Crime and disorder implications"),
    _text("risk_management_implications", "Risk management implications"),
    _text("corporate_priorities", "Corporate priorities"),
    _text("background_papers", "Background papers"),
    Declared(
        "contacts",
        "Contact",
        ("contacts", "contact_officer"),
        "entries",
        (("name", True), ("title", True), ("phone", True), ("email", True)),
        figures=False,
    ),
    Declared("rating_changes", "Rating change", ("changes",), "by indicator", form=False),
    Declared("corrections", "Correction", ("changes",), "by indicator", form=False),
)
DECLARED = {declared.key: declared for declared in FIELDS}
# The keys holding one text each that may hold Markdown and live figures: `summary`, ….
TEXTS = tuple(d.key for d in FIELDS if d.shape == "text" and d.figures)


@dataclass(frozen=True)
class Field:
    """One text field of one narrative: where it is, an officer's words for it, its text
    and its kind; `written` where the file has text there (not a number or a list)."""

    path: tuple[str | int, ...]
    label: str  # "Key point 2", "Section 3 text"
    text: str
    line: bool
    figures: bool
    written: bool = True

    @property
    def key(self) -> str:
        """As problems name it: `summary`, `key point 2`, `section 3 text`."""
        return key_path(self.path)

    @property
    def name(self) -> str:
        """As a form names its box: `summary`, `key_points-1`, `sections-2-text`."""
        return "-".join(str(part) for part in self.path)


def fields(
    data: Mapping[str, Any], *, spare: int = 0, form: bool = False, figures: bool = False
) -> list[Field]:
    """The text fields of a narrative's data (as read from YAML, or a validated model's
    `model_dump()`), in the declared order: every `text` field (empty when absent), each
    entry of its lists and `spare` empty entries more (the editor's new boxes). With
    `form`, only the editor's fields; with `figures`, only those that may hold live
    figures."""
    return [
        found
        for declared in FIELDS
        if (declared.form or not form) and (declared.figures or not figures)
        for found in _of(declared, data.get(declared.key), spare)
    ]


def _of(declared: Declared, value: Any, spare: int) -> Iterator[Field]:
    key, label, figures = declared.key, declared.label, declared.figures
    if declared.shape == "text":
        yield Field((key,), label, *_read(value, declared.line, figures))
    elif declared.shape == "list":
        entries = value if isinstance(value, list) else []
        for i, entry in enumerate([*entries, *[""] * spare]):
            yield Field((key, i), f"{label} {i + 1}", *_read(entry, False, figures))
    elif declared.shape == "entries":
        entries = value if isinstance(value, list) else []
        for i, entry in enumerate([*entries, *[{}] * spare]):
            entry = entry if isinstance(entry, Mapping) else {}
            for part, line in declared.parts:
                said = f"{label} {i + 1} {part}"
                yield Field((key, i, part), said, *_read(entry.get(part), line, figures))
    else:
        for indicator, text in (value if isinstance(value, Mapping) else {}).items():
            said = f"{label}: {indicator}"
            yield Field((key, indicator), said, *_read(text, False, figures))


def _read(value: Any, line: bool, figures: bool) -> tuple[str, bool, bool, bool]:
    """A field's text ("" where there is none; a number as written), kind, and whether it
    is text."""
    if value is None:
        return "", line, figures, True
    if isinstance(value, dict | list):
        return "", line, figures, False
    return str(value), line, figures, isinstance(value, str)
