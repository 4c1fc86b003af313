"""A paper's settings (its period, meeting, house style, indicators, header labels, exempt
status and clearance roles) and the order of its key points, sections and contacts,
read from the narrative's text and changed in it through ruamel's round trip: a change
rewrites only its own lines, and every other line stays as the file has it (comments,
blank lines and line endings too)."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from reportgen.web import editing

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# Schedule 12A to the Local Government Act 1972, Part 1: the descriptions of exempt
# information, in short.
PARAGRAPHS = {
    1: "Information relating to any individual",
    2: "Information likely to reveal the identity of an individual",
    3: "Information about the financial or business affairs of any particular person "
    "(including the authority holding it)",
    4: "Consultations or negotiations in connection with labour relations",
    5: "Information covered by legal professional privilege",
    6: "Notices, orders or directions imposing requirements or restrictions on a person",
    7: "The prevention, investigation or prosecution of crime",
}
# The lists whose entries are added, moved and removed, with an officer's word for one.
LISTS = {"key_points": "key point", "sections": "section", "contacts": "contact"}
_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Role:
    """A clearance role a paper names; with `name` and `when`, recorded by hand."""

    role: str
    name: str = ""
    when: Any = None

    @property
    def recorded(self) -> bool:
        return bool(self.name) or self.when is not None


@dataclass(frozen=True)
class Settings:
    """A paper's settings, as the file has them or as the form asks for them. `exempt` is
    None where it is not the user's to change (they may not see exempt papers)."""

    period: str  # YYYY-MM, or as the file has it
    committee: str
    meeting_date: date | None
    template: str
    indicators: tuple[str, ...]
    labels: dict[str, str]  # the header lines given words of the paper's own
    exempt: bool | None
    paragraph: int | None
    roles: tuple[str, ...]
    recorded: tuple[Role, ...] = field(default=())  # the roles recorded by hand

    @property
    def month(self) -> int | None:
        found = _PERIOD.match(self.period)
        return int(found.group(2)) if found and 1 <= int(found.group(2)) <= 12 else None

    @property
    def year(self) -> str:
        found = _PERIOD.match(self.period)
        return found.group(1) if found else ""

    @property
    def period_said(self) -> str:
        """The period in words: "November 2010"."""
        month = self.month
        return f"{MONTHS[month - 1]} {self.year}" if month else self.period


@dataclass(frozen=True)
class Entry:
    """One key point, section or contact, as the list shows it."""

    index: int
    said: str  # its first words, heading or name


def read(text: str) -> tuple[Settings, list[Role], dict[str, list[Entry]]] | None:
    """The paper's settings, every clearance role it names, and its key points, sections
    and contacts; None where the text cannot be read as a paper's."""
    data = editing.parse(editing.as_saved(text, ""))
    if data is None:
        return None
    roles = [_role(entry) for entry in _seq(data.get("clearance"))]
    labels = data.get("header_labels")
    paragraph = data.get("exempt_paragraph")
    when = data.get("meeting_date")
    settings = Settings(
        period=str(data.get("period") or ""),
        committee=str(data.get("committee") or ""),
        meeting_date=when if isinstance(when, date) else None,
        template=str(data.get("template") or ""),
        indicators=tuple(str(i) for i in _seq(data.get("indicators"))),
        labels={str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {},
        exempt=data.get("exempt") is True,
        paragraph=paragraph if isinstance(paragraph, int) else None,
        roles=tuple(r.role for r in roles),
        recorded=tuple(r for r in roles if r.recorded),
    )
    lists = {key: [Entry(i, _said(key, e)) for i, e in enumerate(_seq(data.get(key)))]
             for key in LISTS}  # fmt: skip
    return settings, roles, lists


def _seq(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _role(entry: Any) -> Role:
    if isinstance(entry, dict):
        return Role(str(entry.get("role") or ""), str(entry.get("name") or ""), entry.get("date"))
    return Role(str(entry))


def _said(key: str, entry: Any) -> str:
    """An entry as the list names it: a key point's first words, a section's heading, a
    contact's name."""
    if isinstance(entry, dict):
        text = str(entry.get("heading" if key == "sections" else "name") or "")
    else:
        text = str(entry or "")
    words = re.findall(r"[^\s{]*\{\{.*?\}\}\S*|\S+", text, re.S)  # a figure is in one word
    return " ".join(words[:12]) + (" …" if len(words) > 12 else "") or "(empty)"


def changed(text: str, settings: Settings, lines: Mapping[str, str]) -> str:
    """The narrative's text with `settings`: only the keys whose value differs are
    rewritten. `lines` are the header lines the chosen template prints, each with its
    house style's words: a label given as those words, or empty, is the house style's (the
    paper's own goes), and one for a line the template does not print goes too."""
    plain = editing.as_saved(text, "")
    data = editing.parse(plain)
    if data is None:
        return text
    _put(data, "template", settings.template, [])
    _put(data, "committee", settings.committee, ["template"])
    if settings.meeting_date is not None:
        _put(data, "meeting_date", settings.meeting_date, ["committee"])
    _put(data, "period", settings.period, ["enclosures", "key_decision", "meeting_date"])
    _indicators(data, settings.indicators)
    _labels(data, settings.labels, lines)
    if settings.exempt is not None:
        _exempt(data, settings.exempt, settings.paragraph)
    _clearance(data, settings.roles)
    return editing.as_saved(_roles(_dumped(plain, data), settings.roles), text)


def moved(text: str, key: str, index: int, action: str) -> str | None:
    """The narrative's text with the entry `index` of the list `key` (key points, sections,
    contacts) moved up, moved down or removed, line by line: each entry keeps its words and
    comments, and the blank lines between entries stay where they were. None where there
    is no such entry or move, or the list is not written one entry after another."""
    plain = editing.as_saved(text, "")
    data = editing.parse(plain)
    lines = plain.splitlines(keepends=True)
    found = _block(lines, data, key) if data is not None and key in LISTS else None
    if found is None or not 0 <= index < len(found.bodies):
        return None
    if action == "remove":
        out = _removed(lines, found, index)
    else:
        other = index - 1 if action == "up" else index + 1 if action == "down" else -1
        if not 0 <= other < len(found.bodies):
            return None
        (a, b), (c, d) = found.bodies[min(index, other)], found.bodies[max(index, other)]
        out = [*lines[:a], *lines[c:d], *lines[b:c], *lines[a:b], *lines[d:]]
    return editing.as_saved("".join(out), text)


@dataclass(frozen=True)
class _Block:
    """Where a block list is in a text's lines: its key's line, and each entry's own lines
    ([start, end)); the blank lines and comments after an entry are between them."""

    key: int
    bodies: list[tuple[int, int]]
    dash: int  # the column of its entries' dashes


def _block(lines: list[str], data: CommentedMap, key: str) -> _Block | None:
    """The block list `key` in `lines` (the text `data` was read from); None where there
    is none, or it is written in brackets or several entries to a line."""
    seq = data.get(key)
    if not isinstance(seq, CommentedSeq) or not seq or seq.fa.flow_style():
        return None
    starts = [seq.lc.item(i)[0] for i in range(len(seq))]
    if starts != sorted(set(starts)) or starts[-1] >= len(lines):
        return None
    first, column = lines[starts[0]], seq.lc.item(0)[1]
    dash = first.rfind("-", 0, column)
    if dash < 0 or first[:dash].strip():
        return None
    end = len(lines)
    for n in range(starts[-1] + 1, len(lines)):
        said = lines[n].strip()
        indent = len(lines[n]) - len(lines[n].lstrip(" "))
        if (
            said
            and not said.startswith("#")
            and (indent < dash or (indent == dash and not said.startswith("-")))
        ):
            end = n
            break
    bounds, bodies = [*starts, end], []
    for i, start in enumerate(starts):
        stop = bounds[i + 1]
        while stop > start + 1 and _between(lines[stop - 1], dash):
            stop -= 1
        bodies.append((start, stop))
    return _Block(data.lc.key(key)[0], bodies, dash)


def _between(line: str, dash: int) -> bool:
    """Whether a line is a blank line or a comment between entries (not an entry's own)."""
    said = line.strip()
    return not said or (said.startswith("#") and len(line) - len(line.lstrip(" ")) <= dash + 2)


def _removed(lines: list[str], block: _Block, index: int) -> list[str]:
    """The lines without entry `index` (and the blank lines before the next entry); the
    list's key too when it was the only entry. What follows the list stays."""
    bodies = block.bodies
    if len(bodies) == 1:
        return [*lines[: block.key], *lines[bodies[0][1] :]]
    if index < len(bodies) - 1:
        return [*lines[: bodies[index][0]], *lines[bodies[index + 1][0] :]]
    return [*lines[: bodies[index - 1][1]], *lines[bodies[index][1] :]]


def _put(data: CommentedMap, key: str, value: Any, after: Sequence[str]) -> None:
    """`key` set to `value` where it differs, or added after the first of `after` that
    the file has (at the end when none)."""
    if key not in data:
        _insert(data, key, value, after)
    elif not _same(data[key], value):
        data[key] = value


def _same(old: Any, value: Any) -> bool:
    """Whether the file's value is `value` already (a quoted one too)."""
    if isinstance(value, str) or isinstance(old, bool) != isinstance(value, bool):
        return isinstance(old, str) == isinstance(value, str) and str(old) == str(value)
    return isinstance(old, type(value)) and bool(old == value)


def _insert(data: CommentedMap, key: str, value: Any, after: Sequence[str]) -> None:
    keys = list(data)
    where = next((keys.index(k) + 1 for k in after if k in keys), len(keys))
    data.insert(where, key, value)


def _indicators(data: CommentedMap, chosen: Sequence[str]) -> None:
    """Those still chosen kept in the file's order, the new ones after them."""
    held = data.get("indicators")
    if not isinstance(held, CommentedSeq):
        if chosen:
            listed = CommentedSeq(chosen)
            listed.fa.set_flow_style()
            if "indicators" in data:
                data["indicators"] = listed
            else:
                _insert(data, "indicators", listed, ["period", "enclosures"])
        return
    for i in reversed(range(len(held))):
        if held[i] not in chosen:
            del held[i]
    held.extend(i for i in chosen if i not in held)


def _labels(data: CommentedMap, given: Mapping[str, str], lines: Mapping[str, str]) -> None:
    held = data.get("header_labels")
    labels = held if isinstance(held, CommentedMap) else CommentedMap()
    for key in list(labels):
        if key not in lines:
            del labels[key]
    for key, house in lines.items():
        words = given.get(key, "").strip()
        if not words or words == house:
            labels.pop(key, None)
        elif labels.get(key) != words:
            labels[key] = words
    if not labels:
        data.pop("header_labels", None)
    elif held is None:
        _insert(data, "header_labels", labels, ["portfolio_holder", "responsible_officer"])


def _exempt(data: CommentedMap, exempt: bool, paragraph: int | None) -> None:
    if exempt:
        _put(data, "exempt", True, ["portfolio_holder", "responsible_officer"])
        _put(data, "exempt_paragraph", paragraph, ["exempt"])
        return
    data.pop("exempt_paragraph", None)
    if data.get("exempt") is not None and data.get("exempt") is not False:
        data["exempt"] = False


def _clearance(data: CommentedMap, roles: Sequence[str]) -> None:
    """The roles of a paper that names none yet, or names them in brackets; a list of one
    role a line is changed line by line (see `_roles`)."""
    held = data.get("clearance")
    if isinstance(held, CommentedSeq) and held and not held.fa.flow_style():
        return
    if not isinstance(held, CommentedSeq) or not held:
        if roles and "clearance" in data:
            data["clearance"] = CommentedSeq(roles)
        elif roles:
            _insert(data, "clearance", CommentedSeq(roles), ["corporate_priorities"])
        return
    for i in reversed(range(len(held))):
        if _role(held[i]).role not in roles:
            del held[i]
    written = [_role(e).role for e in held]
    held.extend(r for r in roles if r not in written)


def _roles(plain: str, roles: Sequence[str]) -> str:
    """The clearance list written one role a line, with `roles`: those still chosen kept
    as written (a clearance recorded by hand with them), the new ones after them, each
    removed one with its lines alone; the list goes when no role is left."""
    added = False
    while True:
        data = editing.parse(plain)
        lines = plain.splitlines(keepends=True)
        block = _block(lines, data, "clearance") if data is not None else None
        if data is None or block is None:
            return plain
        written = [_role(e).role for e in data["clearance"]]
        new = [r for r in roles if r not in written]
        gone = [i for i, role in enumerate(written) if role not in roles]
        if new and not added:
            at = block.bodies[-1][1]
            lines[at - 1] = lines[at - 1].removesuffix("\n") + "\n"
            lines[at:at] = [f"{' ' * block.dash}- {_scalar(r)}\n" for r in new]
            added = True
        elif gone:
            lines = _removed(lines, block, gone[-1])
        else:
            return plain
        plain = "".join(lines)


def _scalar(value: str) -> str:
    """`value` as YAML writes it in a list (quoted where it must be)."""
    out = io.StringIO()
    editing.round_trip_yaml().dump([value], out)
    return out.getvalue().strip().removeprefix("-").strip()


def _dumped(plain: str, data: CommentedMap) -> str:
    """`data` written as YAML, with every line the change did not touch as `plain` has it
    (where ruamel would write an untouched line otherwise)."""
    out = io.StringIO()
    editing.round_trip_yaml().dump(data, out)
    after = out.getvalue()
    first = editing.parse(plain)
    same = io.StringIO()
    editing.round_trip_yaml().dump(first, same)
    return _spliced(plain, same.getvalue(), after)


def _spliced(original: str, before: str, after: str) -> str:
    """The change from `before` to `after` made to `original` (of which `before` is
    ruamel's writing), line by line; `after` itself where a changed line is not found."""
    if before == original:
        return after
    o, b, a = (t.splitlines(keepends=True) for t in (original, before, after))
    where: dict[int, int] = {}  # a line of `before`: the same line in `original`
    for block in SequenceMatcher(None, b, o, autojunk=False).get_matching_blocks():
        where.update({block.a + k: block.b + k for k in range(block.size)})
    out, at = list[str](), 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, b, a, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i1 < i2:
            if (
                any(k not in where for k in range(i1, i2))
                or where[i2 - 1] - where[i1] != i2 - i1 - 1
            ):
                return after
            start, end = where[i1], where[i2 - 1] + 1
        elif i1 in where or i1 - 1 in where:
            start = end = where[i1] if i1 in where else where[i1 - 1] + 1
        else:
            return after
        if start < at:
            return after
        out += [*o[at:start], *a[j1:j2]]
        at = end
    return "".join([*out, *o[at:]])
