"""Starting a paper: next period's paper from this period's (its words kept, its period
moved on, its meeting chosen, its clearance to do again), or a blank one in a house style;
and the choices a form offers for either.

A new paper's file is named as the project names papers, `<meeting date>-<slug>.yaml` in
`data/narrative/`, from the paper it starts from or the house style's name: never from
anything typed. It is written under the project's lock and never over another file.
"""

from __future__ import annotations

import glob
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from reportgen.api.papers import Papers
from reportgen.domain.periods import Month
from reportgen.errors import InputError, Problem, ReportgenError, project_path
from reportgen.inputs.papers import MEETING_FOLDER, NARRATIVE_FOLDER, MeetingSummary
from reportgen.inputs.signoffs import CLEARANCE_FOLDER
from reportgen.inputs.snapshots import PUBLISHED_FOLDER
from reportgen.inputs.templates import NOT_PAPERS, template_files
from reportgen.inputs.textfile import decode
from reportgen.inputs.yamlfile import load_yaml
from reportgen.store import transaction

_DATED = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_LENGTH = 60  # characters of a file name after its date
MOST_TAKEN = 99  # `-2` … `-99`: past that, a name is refused rather than tried forever
# What a new paper leaves behind of a published paper it starts from: the officer's
# explanations of the changes up to its meeting (see `Starting.new_paper`).
LAST_PERIODS = ("rating_changes", "corrections")


@dataclass(frozen=True)
class HouseStyle:
    """A template a paper can be written in: its name (`information_report`), as a paper
    names it, and an officer's words for it (`Information report`)."""

    name: str
    words: str


@dataclass(frozen=True)
class NewPaperChoices:
    """What a form for a new paper offers: the house styles; the meetings, those ahead
    first (soonest first), then those past (latest first); and, for the paper it starts
    from, the meeting and the period (`YYYY-MM`) suggested, None where there is none."""

    house_styles: list[HouseStyle]
    meetings: list[MeetingSummary]
    meeting: MeetingSummary | None
    period: str | None


class Starting(Papers):
    """A workspace's new papers."""

    def new_paper_choices(
        self, source: Path | None = None, *, today: date | None = None
    ) -> NewPaperChoices:
        """The house styles, the meetings and, for a paper started from `source` (a
        narrative), the meeting after its own (its committee's next, else the next of
        any committee) and the month after its period. Without `source`: the first
        meeting from `today` (by default the date today) and the last whole month before
        it. Reads the papers' and meetings' headers only: nothing is built."""
        today = today or date.today()
        meetings = _dated(self.meetings())
        ahead = [m for m in meetings if m.date >= today]  # type: ignore[operator]
        past = [m for m in reversed(meetings) if m not in ahead]
        if source is None:
            period: str | None = Month(today.year, today.month).previous().code
            return NewPaperChoices(self.house_styles(), [*ahead, *past], _first(ahead), period)
        header = _header(source, self.cache)
        when = header.get("meeting_date")
        after = [m for m in meetings if isinstance(when, date) and m.date > when]  # type: ignore[operator]
        same = [m for m in after if m.committee == " ".join(str(header.get("committee")).split())]
        return NewPaperChoices(
            self.house_styles(),
            [*ahead, *past],
            _first(same) or _first(after),
            _moved_on(header.get("period")),
        )

    def house_styles(self) -> list[HouseStyle]:
        """The templates a paper can be written in (not the agenda's front sheet nor the
        performance index), by name, with an officer's words for each."""
        return [
            HouseStyle(name, name.replace("_", " ").replace("-", " ").strip().capitalize())
            for name in sorted(template_files(self.root))
            if name not in NOT_PAPERS and _slug(name)
        ]

    def new_paper(
        self,
        *,
        source: Path | None = None,
        template: str | None = None,
        meeting: Path | None = None,
        period: str | None = None,
    ) -> Path:
        """A new paper's narrative, written in `data/narrative/` and returned: from the
        paper at `source` for its next period, or blank in the house style `template`
        (one of `house_styles`), for the meeting file at `meeting` (one of `meetings`),
        whose committee and date it takes, as at the month `period` (`YYYY-MM`).

        From a paper: its file kept as it is (its comments, its words, its indicators,
        exempt or not) with the period moved on (by default one month), the meeting's
        committee and date, and its clearance to do again: a clearance recorded by hand
        (a name and a date) becomes the role alone, and sign-offs, kept by file name, are
        not carried over. Its explanations of rating changes and corrections are left
        out where it was published: they explained the changes up to its meeting, and
        next period's paper is compared with that meeting, so its checks ask for the
        words its own changes need rather than a committee reading last month's reasons.
        A paper not published keeps them: the changes are still counted from the same
        earlier meeting (a warning says which no longer fit). Without `meeting`, the
        one `new_paper_choices` suggests.

        Blank: the template, committee, meeting date, period and an empty list of
        indicators; no words at all (no subject, responsible officer, summary or
        recommendations), so that its check lists each as a problem to fill in.

        Named `<meeting date>-<slug>.yaml`, the slug from the file name of the paper it
        starts from (without its date) or from the house style; `-2`, `-3` … where that
        name is taken (by a paper, or by sign-offs or a published record of one).
        Raises InputError, writing nothing, for a source that is not a readable paper of
        the project, a house style or meeting that is not one, or a period that is not a
        month."""
        if (source is None) == (template is None):
            what = "give the paper to start from, or the house style of a blank paper"
            raise InputError([_problem("source", what, "give one of them, not both")])
        if source is not None:
            text, data = self._source(source)
            chosen = self._meeting(meeting, source)
            month = self._period(period, data.get("period"))
            published = _published(self.root, source.stem)
            content = _next_period(text, data, chosen, month, published)
            slug = _slug(_DATED.sub("", source.stem)) or "paper"
        else:
            assert template is not None
            style = self._style(template)
            chosen = self._meeting(meeting, None)
            month = self._period(period, None)
            content, slug = _blank(style, chosen, month), _slug(style.name)
        assert chosen.date is not None
        with transaction(self.root) as writes:
            # Named under the lock: no one else can take the name before it is written.
            path = self._free(f"{chosen.date.isoformat()}-{slug}")
            writes.add(path, content.encode("utf-8"))
        return path

    def _source(self, source: Path) -> tuple[str, CommentedMap]:
        """The text of the paper at `source` and its round-trip mapping; InputError where
        it is not one of the project's papers, or cannot be read as one."""
        found = next((p for p in self.papers() if _same(p.path, source)), None)
        shown = project_path(source, self.root)
        if found is None:
            fix = "choose one of the papers in data/narrative/"
            raise InputError([Problem.at(shown, "is not one of the project's papers", fix)])
        try:
            text = decode(found.path.read_bytes(), shown)
            load_yaml(found.path, text, self.cache)  # reportgen's bounds, before ruamel's
            data = _yaml().load(text)
        except (OSError, YAMLError, RecursionError, ReportgenError):
            data = None
        if not isinstance(data, CommentedMap) or not found.readable:
            what = "cannot be read, so no paper can be started from it"
            fix = "mend it first (its problems are listed when it is opened)"
            raise InputError([Problem.at(shown, what, fix)])
        return text, data

    def _meeting(self, meeting: Path | None, source: Path | None) -> MeetingSummary:
        """The meeting file at `meeting` (or the one suggested for `source`), one of the
        project's with a committee and a date; InputError otherwise."""
        meetings = _dated(self.meetings())
        if meeting is None:
            found = self.new_paper_choices(source).meeting if source is not None else None
        else:
            found = next((m for m in meetings if _same(m.path, meeting)), None)
        if found is None or not found.committee.strip():
            said = "no meeting was chosen" if meeting is None else "is not one of the meetings"
            fix = "choose one of the meetings in data/meetings/ (a clerk adds a meeting)"
            raise InputError([_problem("meeting", said, fix)])
        return found

    def _period(self, period: str | None, was: Any) -> Month:
        """The month `period`, or the month after `was` (a paper's period)."""
        if period is not None:
            try:
                return Month.parse(period)
            except ValueError:
                what = f"'{str(period)[:20]}' is not a month"
                raise InputError([_problem("period", what, _FOR_EXAMPLE)]) from None
        moved = _moved_on(was)
        if moved is None:
            what = "is needed: the paper's own period cannot be read to move it on"
            if was is None:
                what = "is needed for a blank paper: the month its figures run to"
            raise InputError([_problem("period", what, _FOR_EXAMPLE)])
        return Month.parse(moved)

    def _style(self, template: str) -> HouseStyle:
        styles = {s.name: s for s in self.house_styles()}
        if template not in styles:
            what = f"'{str(template)[:40]}' is not one of the house styles"
            fix = "choose one of: " + ", ".join(s.words for s in styles.values())
            raise InputError([_problem("template", what, fix)])
        return styles[template]

    def _free(self, name: str) -> Path:
        """`data/narrative/NAME.yaml`, or NAME-2, NAME-3 … where that is taken."""
        for number in range(1, MOST_TAKEN + 1):
            candidate = name if number == 1 else f"{name}-{number}"
            if not _taken(self.root, candidate):
                return self.root / NARRATIVE_FOLDER / f"{candidate}.yaml"
        what = f"{MOST_TAKEN} papers are named {name} already"
        raise InputError([_problem("source", what, "remove or rename some of them")])


_FOR_EXAMPLE = "give the month the figures run to, as a year and month, for example 2026-10"


def _problem(option: str, what: str, fix: str) -> Problem:
    return Problem("", None, option, what, fix)


def _yaml() -> YAML:
    """ruamel's round trip as the editor writes narratives: lines never re-wrapped."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _dated(meetings: Iterable[MeetingSummary]) -> list[MeetingSummary]:
    """The meetings a paper can be for: readable, with a date, by date."""
    return [m for m in meetings if m.readable and m.date is not None]


def _same(path: Path, given: Path) -> bool:
    """Whether `given` (from a caller) is the file at `path` (found in the project)."""
    try:
        return given.is_file() and path.resolve() == given.resolve()
    except (OSError, ValueError, RuntimeError):  # a name with a NUL byte, a loop of links
        return False


def _first(meetings: list[MeetingSummary]) -> MeetingSummary | None:
    return meetings[0] if meetings else None


def _header(path: Path, cache: Any) -> dict[str, Any]:
    """A paper's header as read leniently: nothing where it cannot be read."""
    try:
        data = load_yaml(path, None, cache).data
    except ReportgenError:
        return {}
    return data if isinstance(data, dict) else {}


def _moved_on(period: Any) -> str | None:
    """The month after `period` (`YYYY-MM`), or None where it is not a month."""
    try:
        return Month.parse(str(period)).shifted(1).code if period is not None else None
    except ValueError:
        return None


def _slug(text: str) -> str:
    """`text` as the end of a paper's file name: lower-case letters, digits and hyphens."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")[:SLUG_LENGTH].rstrip("-")


def _taken(root: Path, name: str) -> bool:
    """Whether a paper NAME is there (either extension), or its sign-offs or published
    record, which a new paper of that name would inherit."""
    places = [root / NARRATIVE_FOLDER / f"{name}{suffix}" for suffix in (".yaml", ".yml")]
    places.append(root / CLEARANCE_FOLDER / f"{name}.yaml")
    return any(p.exists() for p in places) or _published(root, name)


def _published(root: Path, name: str) -> bool:
    """Whether the paper NAME was published (`reportgen publish` recorded what it printed)."""
    published = root / PUBLISHED_FOLDER
    return published.is_dir() and any(published.glob(f"*/{glob.escape(name)}.json"))


def _next_period(
    text: str, data: CommentedMap, meeting: MeetingSummary, month: Month, published: bool
) -> str:
    """The paper's text for its next period: see `Starting.new_paper`."""
    data["committee"] = meeting.committee
    data["meeting_date"] = meeting.date
    data["period"] = month.code
    clearance = data.get("clearance")
    for entry in clearance if isinstance(clearance, list) else []:
        if isinstance(entry, CommentedMap) and "role" in entry:
            for key in ("name", "date"):
                _remove(entry, key)
    for key in LAST_PERIODS if published else ():
        _emptied(data, key)
    out = io.StringIO()
    _yaml().dump(data, out)
    written = out.getvalue()
    return written.replace("\n", "\r\n") if "\r\n" in text else written


def _remove(data: CommentedMap, key: str) -> None:
    """`key` taken out of `data`, the comment after it (a blank line, the next part's
    heading) kept after the key before it."""
    if key not in data:
        return
    keys = list(data)
    after = data.ca.items.pop(key, None)
    del data[key]
    before = keys[keys.index(key) - 1] if keys.index(key) else None
    if after is not None and before is not None and before not in data.ca.items:
        data.ca.items[before] = after


def _emptied(data: CommentedMap, key: str) -> None:
    """`key`'s entries taken out of `data` (`key: {}`), the comments around them kept: the
    one before it, and the blank line or comment after its last entry."""
    if not isinstance(data.get(key), CommentedMap) or not data[key]:
        return
    after = _trailing(data[key])
    emptied = CommentedMap()
    emptied.fa.set_flow_style()
    if after is not None:
        emptied.ca.comment = [CommentToken(after, CommentMark(0), None), None]
    data[key] = emptied


def _trailing(value: Any) -> str | None:
    """The comment after the last entry of a nested value (a blank line, the next part's
    heading) as it follows a line of its own, or None."""
    while isinstance(value, CommentedMap | CommentedSeq) and value:
        last = list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1
        found = value.ca.items.get(last)
        if found is not None and len(found) > 2 and isinstance(found[2], CommentToken):
            # After a block of text the comment starts on a line of its own; after a
            # plain value it starts with that value's line end.
            block = isinstance(value[last], LiteralScalarString | FoldedScalarString)
            return ("\n" if block else "") + str(found[2].value)
        value = value[last]
    return None


def _blank(style: HouseStyle, meeting: MeetingSummary, month: Month) -> str:
    """A blank paper's text: its header, and no words."""
    assert meeting.date is not None
    when = f"{meeting.date.day} {meeting.date:%B %Y}"
    data = CommentedMap(
        template=style.name,
        committee=meeting.committee,
        meeting_date=meeting.date,
        period=month.code,
        indicators=[],
    )
    data.yaml_set_start_comment(f"{meeting.committee}, {when}: a new {style.words.lower()}.")
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


MEETINGS_FOLDER = MEETING_FOLDER  # where `new_paper`'s meetings are
