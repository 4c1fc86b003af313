"""The meeting editor's form, to and from a meeting file: the header (committee, date, time,
venue) and the items in order, each a paper of the service, a title alone, or a supplied
file. The file keeps its comments and the items the user may not see (an exempt paper
without the permission) exactly as they were: such an item is shown only as withheld, and
never named."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from reportgen.web.dateinput import PARTS, DateParts, date_from
from reportgen.web.editing import parse, round_trip_yaml

KINDS = ("paper", "title", "file")
CONTACT = ("name", "title", "phone", "email")
HEADER = ("committee", "date", "time", "venue", "membership", "contact")
NARRATIVES = "../narrative/"  # where a meeting file's `narrative:` paths lead
MOST_ITEMS = 60


@dataclass
class Item:
    kind: str = "title"  # one of KINDS, or "withheld": a paper the user may not see
    title: str = ""
    paper: str = ""  # the narrative file's name, without `.yaml`
    file: str = ""  # a supplied file, from the meeting file's folder
    exempt_paragraph: str = ""
    kept: int | None = None  # a withheld item: its position in the file as saved


@dataclass
class MeetingForm:
    committee: str = ""
    date: str = ""  # YYYY-MM-DD, as a date field gives it
    time: str = ""
    venue: str = ""
    supplementary: bool = False
    membership: str = ""  # a member a line
    contact: dict[str, str] = field(default_factory=dict)  # name, title, phone, email
    items: list[Item] = field(default_factory=list)
    typed: DateParts | None = None  # the date's boxes as typed, where it is not a date
    date_problem: str = ""  # what is wrong with the date typed ("… must be a real date")
    date_wrong: tuple[str, ...] = ()  # its boxes to mark: "day", "month", "year"

    @property
    def date_parts(self) -> DateParts:
        """The date's Day, Month and Year boxes: as typed, else from the date."""
        return self.typed or DateParts.of(self.date)


def from_text(text: str, visible: Iterable[str]) -> MeetingForm:
    """The form of a meeting file; a paper not among `visible` (narrative names) is
    withheld. A file that cannot be read gives an empty form."""
    data = parse(text)
    if data is None:
        return MeetingForm()
    shown = set(visible)
    items = []
    for index, entry in enumerate(_entries(data)):
        title = _text(entry.get("title"))
        narrative = _text(entry.get("narrative"))
        if narrative:
            name = PurePosixPath(narrative).stem
            if name in shown and narrative == f"{NARRATIVES}{name}.yaml":
                items.append(Item("paper", title, paper=name))
            else:
                items.append(Item("withheld", kept=index))
        elif entry.get("file") is not None:
            paragraph = _text(entry.get("exempt_paragraph"))
            items.append(Item("file", title, file=_text(entry["file"]), exempt_paragraph=paragraph))
        else:
            items.append(Item("title", title))
    when, members, contact = data.get("date"), data.get("membership"), data.get("contact")
    return MeetingForm(
        committee=_text(data.get("committee")),
        date=when.isoformat() if isinstance(when, date) else _text(when),
        time=_text(data.get("time")),
        venue=_text(data.get("venue")),
        supplementary=data.get("supplementary") is True,
        membership="\n".join(_text(m) for m in members) if isinstance(members, list) else "",
        contact={k: _text(contact.get(k)) for k in CONTACT} if isinstance(contact, dict) else {},
        items=items,
    )


def from_post(form: Mapping[str, str]) -> MeetingForm:
    """The form as the browser sent it."""
    count = min(_number(form.get("items", "0")) or 0, MOST_ITEMS)
    items = []
    for number in range(1, count + 1):
        prefix = f"item-{number}-"
        kind = form.get(prefix + "kind", "title")
        kept = _number(form.get(prefix + "kept", ""))
        if kind == "withheld" and kept is not None:
            items.append(Item("withheld", kept=kept))
            continue
        items.append(
            Item(
                kind if kind in KINDS else "title",
                _clean(form.get(prefix + "title", "")),
                paper=_clean(form.get(prefix + "paper", "")),
                file=_clean(form.get(prefix + "file", "")),
                exempt_paragraph=_clean(form.get(prefix + "exempt_paragraph", "")),
            )
        )
    when, answer = _clean(form.get("date", "")), None
    if any(f"date-{part}" in form for part in PARTS):  # the Day, Month and Year boxes
        answer = date_from(form, "date", "Meeting date")
        when = answer.date.isoformat() if answer.date else ""
    return MeetingForm(
        committee=_clean(form.get("committee", "")),
        date=when,
        typed=answer.parts if answer else None,
        date_problem=answer.problem if answer else "",
        date_wrong=answer.wrong if answer else (),
        time=_clean(form.get("time", "")),
        venue=_clean(form.get("venue", "")),
        supplementary=form.get("supplementary") == "yes",
        membership="\n".join(
            _clean(line) for line in form.get("membership", "").splitlines() if line.strip()
        ),
        contact={k: _clean(form.get(f"contact-{k}", "")) for k in CONTACT},
        items=items,
    )


def changed(form: MeetingForm, action: str) -> MeetingForm:
    """The form after a button other than save: `add`, `remove-N`, `up-N`, `down-N`
    (N counts items from 1)."""
    items = list(form.items)
    found = re.fullmatch(r"(remove|up|down)-(\d+)", action)
    if action == "add" and len(items) < MOST_ITEMS:
        items.append(Item())
    elif found and 1 <= int(found.group(2)) <= len(items):
        index = int(found.group(2)) - 1
        if found.group(1) == "remove":
            del items[index]
        else:
            other = index - 1 if found.group(1) == "up" else index + 1
            if 0 <= other < len(items):
                items[index], items[other] = items[other], items[index]
    return replace(form, items=items)


def to_text(form: MeetingForm, saved: str | None, visible: Iterable[str]) -> str:
    """The meeting file of `form`, from the file as `saved` (its comments and the items
    withheld from the user kept as they were). A paper not among `visible` is left out
    (the editor refuses it before it gets here): the file names no paper the user may not
    see."""
    data = (parse(saved) if saved else None) or CommentedMap()
    before = _entries(data)
    shown = set(visible)
    _set(data, "committee", form.committee)
    _set(data, "date", _date(form.date))
    _set(data, "time", form.time)
    _set(data, "venue", form.venue)
    if form.supplementary:
        data["supplementary"] = True
    elif "supplementary" in data:
        del data["supplementary"]
    members = [line for line in form.membership.splitlines() if line]
    _set(data, "membership", CommentedSeq(members) if members else None)
    contact = CommentedMap((k, v) for k, v in form.contact.items() if v)
    _set(data, "contact", contact if contact else None)
    items = CommentedSeq()
    used: set[int] = set()
    for item in form.items:
        if item.kind == "withheld":
            if item.kept is not None and 0 <= item.kept < len(before) and item.kept not in used:
                used.add(item.kept)
                items.append(before[item.kept])
            continue
        entry = CommentedMap()
        if item.title:
            entry["title"] = item.title
        if item.kind == "paper" and item.paper in shown:
            entry["narrative"] = f"{NARRATIVES}{item.paper}.yaml"
        elif item.kind == "file":
            entry["file"] = item.file
            if item.exempt_paragraph:
                number = _number(item.exempt_paragraph)
                entry["exempt_paragraph"] = number if number is not None else item.exempt_paragraph
        items.append(entry)
    data["items"] = items
    buffer = io.StringIO()
    round_trip_yaml().dump(data, buffer)
    return buffer.getvalue()


def problems_by_place(problems: Iterable[Any]) -> tuple[dict[str, list[Any]], dict[int, list[Any]]]:
    """The problems beside the header's fields, by key, and beside the items, by number
    (from 1)."""
    header: dict[str, list[Any]] = {}
    items: dict[int, list[Any]] = {}
    for problem in problems:
        found = re.match(r"item (\d+)", problem.key or "")
        if found:
            items.setdefault(int(found.group(1)), []).append(problem)
        elif (problem.key or "").split(".")[0] in HEADER:
            header.setdefault(problem.key.split(".")[0], []).append(problem)
    return header, items


def _entries(data: Any) -> list[Any]:
    items = data.get("items") if isinstance(data, dict) else None
    return (
        [entry if isinstance(entry, dict) else {} for entry in items]
        if isinstance(items, list)
        else []
    )


def _set(data: CommentedMap, key: str, value: Any) -> None:
    """Sets a header key (a new one before the items, as a clerk would write it), or
    removes it for an empty value."""
    if value in ("", None):
        data.pop(key, None)
    elif key not in data and "items" in data:
        data.insert(list(data).index("items"), key, value)
    else:
        data[key] = value


def date_of(text: str) -> date | None:
    """The date a date field gave, or None."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _date(text: str) -> date | str:
    return date_of(text) or text  # the check says what is wrong with a date that is not one


def _number(text: str) -> int | None:
    return int(text) if re.fullmatch(r"\d{1,4}", text.strip()) else None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _clean(value: str) -> str:
    return " ".join(str(value).split())[:500]
