"""A date typed as GOV.UK's "Date input" asks for it: Day, Month and Year boxes (not the
browser's mm/dd/yyyy box), read into a date or one clear message ("Meeting date must
include a year", "Meeting date must be a real date"), with what was typed kept to show
again. The form's boxes are `NAME-day`, `NAME-month` and `NAME-year`; the page shows them
with `{% include "web/_date_input.html" with name=… label=… parts=… %}`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

PARTS = ("day", "month", "year")
# A month may be typed as its name or its first three letters, as GOV.UK's pattern allows.
_MONTHS = {
    name: number
    for number, full in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        1,
    )
    for name in (full, full[:3])
}


@dataclass(frozen=True)
class DateParts:
    """A date as typed in its three boxes (each as typed, at most 20 characters kept)."""

    day: str = ""
    month: str = ""
    year: str = ""

    @classmethod
    def of(cls, when: date | str | None) -> DateParts:
        """The boxes for a date (or an ISO date's text, YYYY-MM-DD); empty for none."""
        if isinstance(when, str):
            try:
                when = date.fromisoformat(when)
            except ValueError:
                return cls()
        return cls(str(when.day), str(when.month), str(when.year)) if when else cls()


@dataclass(frozen=True)
class DateAnswer:
    """What a date input gave: the date, or the problem with it (and the boxes to mark)."""

    date: date | None
    parts: DateParts
    problem: str = ""
    wrong: tuple[str, ...] = ()  # the boxes with the problem: "day", "month", "year"


def date_from(form: Mapping[str, str], name: str, label: str, required: bool = True) -> DateAnswer:
    """The date typed in the boxes `NAME-day`, `NAME-month` and `NAME-year` of `form`;
    `label` is the field's name for messages ("Meeting date"). All boxes empty is no date
    (a problem when `required`)."""
    typed = {p: " ".join(str(form.get(f"{name}-{p}", "")).split())[:20] for p in PARTS}
    parts = DateParts(**typed)
    missing = tuple(p for p in PARTS if not typed[p])
    if len(missing) == 3:
        problem = f"Enter the {label.lower()}" if required else ""
        return DateAnswer(None, parts, problem, PARTS if required else ())
    if missing:
        said = " and ".join(missing)
        return DateAnswer(None, parts, f"{label} must include a {said}", missing)
    day = _number(typed["day"])
    month = _MONTHS.get(typed["month"].lower()) or _number(typed["month"])
    year = _number(typed["year"])
    if year is not None and not re.fullmatch(r"[0-9]{4}", typed["year"]):
        return DateAnswer(None, parts, "Year must include 4 numbers", ("year",))
    wrong = tuple(p for p, v in zip(PARTS, (day, month, year), strict=True) if v is None)
    try:
        if wrong or day is None or month is None or year is None:
            raise ValueError
        return DateAnswer(date(year, month, day), parts)
    except ValueError:
        return DateAnswer(None, parts, f"{label} must be a real date", wrong or PARTS)


def _number(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[0-9]{1,4}", text) else None
