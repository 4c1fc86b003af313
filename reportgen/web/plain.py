"""A problem as a council officer reads it on a page. The library's messages are written
for the command line (add 'exempt_paragraph:' (1 to 7), use 'template: performance_report',
see 'reportgen publish', each in backticks); on a page each field is named by the
officer's word for it (Exempt paragraph, House style), a command by what it does, and no
backtick or YAML key is left. The command line keeps its own wording."""

from __future__ import annotations

import html
import re
from pathlib import PurePosixPath
from typing import Any

import reportgen

# The officer's words for the narrative's keys that are not text boxes (the header).
HEADER = {
    "committee": "Committee",
    "meeting_date": "Meeting date",
    "template": "House style",
    "period": "Period",
    "indicators": "Indicators",
    "exempt": "Exempt",
    "exempt_paragraph": "Exempt paragraph",
    "subject": "Subject",
    "responsible_officer": "Responsible officer",
    "portfolio_holder": "Portfolio holder",
    "key_decision": "Key decision",
    "wards": "Wards affected",
    "clearance": "Clearance",
    "enclosures": "Enclosures",
    "header_labels": "Header labels",
    "scorecard": "Scorecard",
    "comparators": "Comparators",
    "placement": "Placement",
    "narrative": "Paper",
    "file": "File",
    "title": "Title",
    "items": "Items",
    "name": "Name",
    "date": "Date",
}
LABELS = {**{d.key: d.label for d in reportgen.NARRATIVE_FIELDS}, **HEADER}
LABELS |= {"key_points": "Key points", "sections": "Sections", "contacts": "Contacts"}
LABELS |= {"rating_changes": "Rating changes", "corrections": "Corrections"}
# What each command does, as an officer would ask for it.
COMMANDS = {
    "publish": "publishing the earlier paper (ask an administrator)",
    "history": "the indicator's published history",
    "pack": "the agenda pack",
    "templates": "an administrator restoring the house style",
}
_QUOTED = re.compile(r"(\bset )?`([^`]*)`")
_FIGURE = re.compile(r"\{\{(.*?)\}\}")
_KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_SETTING = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):\s*(.*)$")
_VALUES = {"true": "Yes", "false": "No"}


def label(key: str) -> str:
    """The officer's word for a narrative key: `exempt_paragraph` → Exempt paragraph; a
    key nobody named is written as words (`in_period` → in period)."""
    return LABELS.get(key) or key.replace("_", " ")


def words(text: str) -> str:
    """`text` with every backticked piece of code and every YAML key put in words."""
    text = _QUOTED.sub(lambda m: _code(m.group(2), bool(m.group(1))), str(text))
    text = _FIGURE.sub(_figure, text)
    return _KEY.sub(lambda m: label(m.group(0)), text.replace("`", "'"))


def _code(code: str, setting_it: bool = False) -> str:
    """A piece of code in words; `setting_it`: it followed "set " (set exempt: true)."""
    code = code.strip()
    setting = _SETTING.match(code)
    if setting_it and setting is not None and setting.group(2).strip():
        value = setting.group(2).strip()
        return f"set {label(setting.group(1))} to {_VALUES.get(value, value.replace('_', ' '))}"
    if setting_it:
        return f"set {_code(code)}"
    if code.startswith("reportgen "):
        command = code.split()[1] if len(code.split()) > 1 else ""
        return COMMANDS.get(command, "an administrator")
    if code.startswith("{{"):
        return _FIGURE.sub(_figure, code)
    if setting is None:
        return code.replace("_", " ").strip(":")
    key, value = setting.groups()
    value = value.strip()
    if not value:
        return label(key)
    if value.startswith("{"):  # a setting of settings (`{from: …, to: …}`)
        return label(key)
    if value == "…":  # a setting to write (`NI59: …`)
        return f"{label(key)}: …"
    return f"{label(key)} ‘{_VALUES.get(value, value.replace('_', ' '))}’"


def _figure(found: re.Match[str]) -> str:
    """A live figure in words: `{{ NI59.rank | ordinal }}` → the live figure NI 59 rank,
    in words; a number typed as text (`{{ "85%" }}`) is that text."""
    return _said(reportgen.tokens.parts(found.group(0))[0])


def _said(part: reportgen.tokens.Part) -> str:
    words = reportgen.tokens.readable(part)
    if words.endswith(", as typed"):
        return words.removesuffix(", as typed")
    return f"the live figure {words}" if part.kind == "figure" else words


def problem(found: Any) -> str:
    """One problem in plain words: where (a row or line and the field's name), what is
    wrong, and the fix."""
    where = ""
    line, key = getattr(found, "line", None), getattr(found, "key", "")
    if line:
        where += f"Line {line}: "
    if key:
        where += f"{field(str(key))}: "
    fix = getattr(found, "fix", "")
    said = f"{where}{words(found.what)}"
    return f"{said} — {words(fix)}" if fix else said


def field(key: str) -> str:
    """A problem's key path (`rating_changes.NI59`, `section 3 text`) in words."""
    head, _, rest = key.partition(".")
    spoken = label(head) if head in LABELS else head[:1].upper() + head[1:]
    return words(f"{spoken} {rest.replace('.', ' ')}".strip() if rest else spoken)


def figures(text: str) -> str:
    """`text` as HTML, each live figure (`{{ NI59.latest }}`) shown as a marked label
    ("NI 59 latest") rather than its code, and Markdown's bold and emphasis as such (read
    as the editor and the paper read them: `reportgen.tokens`)."""
    return "".join(_html(part) for part in reportgen.tokens.parts(text))


def _html(part: reportgen.tokens.Part) -> str:
    if part.kind == "text":
        return html.escape(part.source)
    if part.kind in reportgen.tokens.MARKERS:
        tag = "strong" if part.kind == "bold" else "em"
        return f"<{tag}>{''.join(_html(p) for p in part.inside)}</{tag}>"
    said = _said(part)
    if said.startswith("the live figure "):
        said = html.escape(said.removeprefix("the live figure "))
        return f'<span class="figure-label">{said}</span>'
    return html.escape(said)


def place(path: Any) -> str:
    """A file a problem is in, as a person names it: a paper by its name, a data file by
    its file name, the meeting's agenda."""
    found = PurePosixPath(str(path or ""))
    folder = found.parent.name
    if folder == "narrative":
        return f"the paper {found.stem}"
    if folder == "meetings":
        return "the meeting's agenda"
    if folder == "supplied":
        return f"the supplied paper {found.name}"
    return f"the data file {found.name}" if folder else found.name
