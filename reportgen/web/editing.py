"""A narrative file as the boxes of a form, and back: each text field its own box, saved
into the YAML with its comments, key order and block styles kept (ruamel.yaml's round
trip). Only the fields an officer changed are rewritten."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

import reportgen
from reportgen.web import service

# How many empty boxes to offer for a new key point, section and contact.
NEW_BOXES = 1
# The boxes of the form, as the narrative's fields are declared (see reportgen.NARRATIVE_FIELDS).
FORM = [d for d in reportgen.NARRATIVE_FIELDS if d.form]


def round_trip_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096  # never re-wrap an officer's lines
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def parse(text: str) -> CommentedMap | None:
    """The narrative as a round-trip mapping; None if it is not YAML of key: value lines
    (the raw view is then the way to mend it). The text is first read by reportgen's
    bounded reader: one that nests too deep or whose aliases repeat too much is refused
    before ruamel builds anything of it (ruamel itself has no such bounds), and kept in the
    service's cache: a text read once is not read by it again."""
    try:
        reportgen.check_yaml_text(Path("text.yaml"), text, cache=service.CACHE)
    except reportgen.ReportgenError:
        return None
    try:
        data = round_trip_yaml().load(text)
    except (YAMLError, RecursionError):
        return None
    return data if isinstance(data, CommentedMap) else None


def boxes(
    text: str, places_of: Callable[[str], frozenset[str] | None] | None = None
) -> list[reportgen.NarrativeField] | None:
    """The form's boxes for a narrative's text, in the declared order, each with its name
    in the form, its label, its key as problems name it (`summary`, `key point 2`,
    `section 3 text`), its text and whether it is one line; None if it cannot be read as a
    form. With `places_of` (the names a template prints, by its name), only the boxes the
    paper's template prints, and any that holds words already."""
    data = parse(text)
    if data is None:
        return None
    template = data.get("template")
    places = places_of(template) if places_of and isinstance(template, str) else None
    found = reportgen.narrative_fields(data, spare=NEW_BOXES, form=True)
    printed = {d.key for d in FORM if places is None or not d.places or places & set(d.places)}
    written = {f.path[0] for f in found if f.text.strip()}
    return [
        replace(box, text=box.text.rstrip("\n"))
        for box in found
        if box.path[0] in printed or box.path[0] in written
    ]


def as_saved(text: str, saved: str) -> str:
    """`text` as a browser sent it (a form sends every line ending as CRLF) with the line
    endings of `saved`, the file as it is: saving never changes a line nobody touched."""
    text = _clean(text)
    return text.replace("\n", "\r\n") if "\r\n" in saved else text


def apply(text: str, form: Mapping[str, str]) -> str:
    """The narrative's text with the form's boxes put in: a box whose text is unchanged
    keeps its line breaks and style; an empty new key point or section is left out, and
    emptying a key point or section (all its boxes) removes it."""
    data = parse(text)
    if data is None:
        return text
    for declared in FORM:  # the texts first: a new one goes before a new list
        if declared.shape == "text" and declared.key in form:
            _set(data, declared.key, form[declared.key])
    for declared in FORM:
        if declared.shape == "list":
            _apply_points(data, form, declared.key)
        elif declared.shape == "entries":
            _apply_entries(data, form, declared.key, declared.parts)
    out = io.StringIO()
    round_trip_yaml().dump(data, out)
    return out.getvalue()


def _apply_points(data: CommentedMap, form: Mapping[str, str], key: str) -> None:
    """The boxes of a list of texts put in; an empty one goes."""
    if not any(k.startswith(f"{key}-") for k in form):
        return
    held = data.get(key) if isinstance(data.get(key), CommentedSeq) else None
    points = held if held is not None else CommentedSeq()
    given = [form.get(f"{key}-{i}", "") for i in range(_count(form, f"{key}-"))]
    kept = CommentedSeq()
    for i, value in enumerate(given):
        if not _clean(value).strip():
            continue
        old = points[i] if i < len(points) else None
        kept.append(old if old is not None and _same(old, value) else _styled(old, value))
    _replace_list(data, key, held, kept)


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
