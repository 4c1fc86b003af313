"""A narrative file as the boxes of a form, and back: each text field its own box, saved
into the YAML with its comments, key order and block styles kept (ruamel.yaml's round
trip). Only the fields an officer changed are rewritten."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

import reportgen

# The text boxes of the form, in order, with the label an officer reads.
TEXT_FIELDS = (
    ("subject", "Subject"),
    ("summary", "Summary"),
    ("recommendations", "Recommendations"),
    ("alternative_options", "Alternative options considered"),
    ("consultation", "Consultation"),
    ("timetable", "Timetable"),
    ("financial_implications", "Financial implications"),
    ("legal_implications", "Legal implications"),
    ("equalities_implications", "Equalities implications"),
    ("crime_and_disorder_implications", "Crime and disorder implications"),
    ("risk_management_implications", "Risk management implications"),
    ("corporate_priorities", "Corporate priorities"),
    ("background_papers", "Background papers"),
)
# Each key point, section and contact, and how many empty boxes to offer for a new one.
NEW_BOXES = 1
# The fields of a section and of a contact, each with whether it is one line.
SECTION_FIELDS = (("heading", True), ("text", False))
CONTACT_FIELDS = (("name", True), ("title", True), ("phone", True), ("email", True))


@dataclass(frozen=True)
class Box:
    """One box of the form: its name in the form, its label, its key as problems name it
    (`summary`, `key point 2`, `section 3 text`), its text, and whether it is one line."""

    name: str
    label: str
    key: str
    text: str
    line: bool = False


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096  # never re-wrap an officer's lines
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def parse(text: str) -> CommentedMap | None:
    """The narrative as a round-trip mapping; None if it is not YAML of key: value lines
    (the raw view is then the way to mend it). The text is first read by reportgen's
    bounded reader: one that nests too deep or whose aliases repeat too much is refused
    before ruamel builds anything of it (ruamel itself has no such bounds)."""
    try:
        reportgen.check_yaml_text(Path("text.yaml"), text)
    except reportgen.ReportgenError:
        return None
    try:
        data = _yaml().load(text)
    except (YAMLError, RecursionError):
        return None
    return data if isinstance(data, CommentedMap) else None


def boxes(text: str) -> list[Box] | None:
    """The form's boxes for a narrative's text; None if it cannot be read as a form."""
    data = parse(text)
    if data is None:
        return None
    fields = [
        Box(name, label, name, _text(data.get(name)), line=name == "subject")
        for name, label in TEXT_FIELDS
    ]
    found = fields[:3]  # subject, summary, recommendations; then the points and sections
    points = data.get("key_points") if isinstance(data.get("key_points"), list) else []
    for i, point in enumerate([*points, *([""] * NEW_BOXES)]):
        found.append(
            Box(f"key_points-{i}", f"Key point {i + 1}", f"key point {i + 1}", _text(point))
        )
    found += _entry_boxes(data, "sections", "Section", SECTION_FIELDS)
    return [*found, *fields[3:], *_entry_boxes(data, "contacts", "Contact", CONTACT_FIELDS)]


def _entry_boxes(
    data: CommentedMap, key: str, label: str, fields: tuple[tuple[str, bool], ...]
) -> list[Box]:
    """A box for each field of each entry of a list of mappings (`sections`, `contacts`),
    and for one new entry."""
    entries = data.get(key) if isinstance(data.get(key), list) else []
    found = []
    for i, entry in enumerate([*entries, *([{}] * NEW_BOXES)]):
        entry = entry if isinstance(entry, dict) else {}
        for name, line in fields:
            found.append(
                Box(
                    f"{key}-{i}-{name}",
                    f"{label} {i + 1} {name}",
                    key_of(key, i, name),
                    _text(entry.get(name)),
                    line=line,
                )
            )
    return found


def key_of(key: str, index: int, name: str) -> str:
    """How problems name a field of a list entry: `section 3 text`, `contact 1 email`."""
    return f"{key.removesuffix('s')} {index + 1} {name}"


def apply(text: str, form: Mapping[str, str]) -> str:
    """The narrative's text with the form's boxes put in: a box whose text is unchanged
    keeps its line breaks and style; an empty new key point or section is left out, and
    emptying a key point or section (all its boxes) removes it."""
    data = parse(text)
    if data is None:
        return text
    for name, _ in TEXT_FIELDS:
        if name in form:
            _set(data, name, form[name])
    _apply_points(data, form)
    _apply_entries(data, form, "sections", SECTION_FIELDS)
    _apply_entries(data, form, "contacts", CONTACT_FIELDS)
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def _apply_points(data: CommentedMap, form: Mapping[str, str]) -> None:
    if not any(k.startswith("key_points-") for k in form):
        return
    held = data.get("key_points") if isinstance(data.get("key_points"), CommentedSeq) else None
    points = held if held is not None else CommentedSeq()
    given = [form.get(f"key_points-{i}", "") for i in range(_count(form, "key_points-"))]
    kept = CommentedSeq()
    for i, value in enumerate(given):
        if not _clean(value).strip():
            continue
        old = points[i] if i < len(points) else None
        kept.append(old if old is not None and _same(old, value) else _styled(old, value))
    _replace_list(data, "key_points", held, kept)


def _apply_entries(
    data: CommentedMap, form: Mapping[str, str], key: str, fields: tuple[tuple[str, bool], ...]
) -> None:
    """The boxes of a list of mappings put in; an entry with every box empty goes."""
    if not any(k.startswith(f"{key}-") for k in form):
        return
    held = data.get(key) if isinstance(data.get(key), CommentedSeq) else None
    entries = held if held is not None else CommentedSeq()
    kept = CommentedSeq()
    for i in range(_count(form, f"{key}-")):
        given = {name: form.get(f"{key}-{i}-{name}", "") for name, _ in fields}
        if not any(_clean(v).strip() for v in given.values()):
            continue
        old = entries[i] if i < len(entries) and isinstance(entries[i], CommentedMap) else None
        entry = old if old is not None else CommentedMap()
        for name, value in given.items():
            _set(entry, name, value)
        kept.append(entry)
    _replace_list(data, key, held, kept)


def _replace_list(
    data: CommentedMap, key: str, held: CommentedSeq | None, kept: CommentedSeq
) -> None:
    """Puts the new entries in the list that was there (keeping its comments and the
    blank line after it), or in a new list."""
    if held is None:
        if kept:
            data[key] = kept
        return
    if len(held) == len(kept) and all(a is b for a, b in zip(held, kept, strict=True)):
        return  # nothing changed: the list stays as written
    after = held.ca.items.get(len(held) - 1)  # the comment or blank line after the list
    del held[:]
    held.extend(kept)
    if after is not None and held:
        held.ca.items[len(held) - 1] = after


def _count(form: Mapping[str, str], prefix: str) -> int:
    numbers = [int(k[len(prefix) :].split("-")[0]) for k in form if k.startswith(prefix)
               and k[len(prefix) :].split("-")[0].isdigit()]  # fmt: skip
    return min(max(numbers, default=-1) + 1, 500)


def _set(data: CommentedMap, key: str, value: str) -> None:
    old = data.get(key)
    if old is not None and _same(old, value):
        return
    if old is None and not _clean(value).strip():
        return
    data[key] = _styled(old, value)


def _same(old: Any, value: str) -> bool:
    return _clean(str(old)).rstrip() == _clean(value).rstrip()


def _styled(old: Any, value: str) -> Any:
    """The new text in the old text's style: a | block for text of several lines."""
    value = _clean(value).rstrip()
    if "\n" in value or isinstance(old, LiteralScalarString):
        return LiteralScalarString(value + "\n")
    if isinstance(old, FoldedScalarString) and len(value) > 80:
        return FoldedScalarString(value)
    return value


def _clean(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).rstrip("\n")
