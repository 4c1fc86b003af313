"""Periods: months, financial quarters, financial years and spans of months (pure, no I/O).

Every period knows its first and last month, so that quarters and years are made of months
and any period can say which financial year it falls in. The financial year starts on the
1st of the authority's `financial_year_start` month (April unless configured).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import TypeAlias

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

FIRST_YEAR, LAST_YEAR = 1900, 2199  # the years a period of a paper may be in
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR_RE = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_RE = re.compile(r"^(\d{4}-\d{2})\s+Q([1-4])$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, written `2010-11` and labelled `November 2010`."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """The month written `YYYY-MM`; raises ValueError with a readable message otherwise."""
        match = _MONTH_RE.match(str(text).strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"'{text}' is not a month written YYYY-MM (e.g. 2010-11)")
        if not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
            raise ValueError(f"'{text}' is not a month between {FIRST_YEAR} and {LAST_YEAR}")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    @property
    def month_name(self) -> str:
        """`November`: for narrative such as "For {{ NI59.latest.period.month_name }}, …"."""
        return MONTH_NAMES[self.month - 1]

    @property
    def short_label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1][:3]} {self.year}"

    @property
    def first(self) -> Month:
        return self

    @property
    def last(self) -> Month:
        return self

    def shifted(self, months: int) -> Month:
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def previous(self) -> Month:
        return self.shifted(-1)

    def year_earlier(self) -> Month:
        return self.shifted(-12)

    def financial_year(self, start_month: int = 4) -> FinancialYear:
        """The financial year holding this month; years start on the 1st of `start_month`."""
        start_year = self.year if self.month >= start_month else self.year - 1
        return FinancialYear(start_year, start_month)

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A financial year written `2009-10`, starting on the 1st of `start_month` (April)."""

    start_year: int
    start_month: int = 4

    @classmethod
    def parse(cls, text: str, start_month: int = 4) -> FinancialYear:
        """The year written `YYYY-YY` with consecutive years; raises ValueError otherwise."""
        match = _YEAR_RE.match(str(text).strip())
        if not match:
            raise ValueError(f"'{text}' is not a financial year written YYYY-YY (e.g. 2009-10)")
        start = int(match.group(1))
        if not FIRST_YEAR <= start <= LAST_YEAR:
            raise ValueError(
                f"'{text}' is not a financial year between {FIRST_YEAR} and {LAST_YEAR}"
            )
        if (start + 1) % 100 != int(match.group(2)):
            raise ValueError(
                f"'{text}' is not a financial year: the second year must follow the first "
                f"(e.g. {start}-{(start + 1) % 100:02d})"
            )
        return cls(start, start_month)

    @property
    def code(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        return self.code

    @property
    def short_label(self) -> str:
        return self.code

    @property
    def first(self) -> Month:
        return Month(self.start_year, self.start_month)

    @property
    def last(self) -> Month:
        return self.first.shifted(11)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1, self.start_month)

    def year_earlier(self) -> FinancialYear:
        return self.previous()

    def financial_year(self, start_month: int = 4) -> FinancialYear:
        return self

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class Quarter:
    """A quarter of a financial year, written `2019-20 Q2` and labelled `Q2 2019-20`."""

    year: FinancialYear
    number: int

    @classmethod
    def parse(cls, text: str, start_month: int = 4) -> Quarter:
        """The quarter written `YYYY-YY Qn`; raises ValueError otherwise."""
        match = _QUARTER_RE.match(str(text).strip())
        if not match:
            raise ValueError(f"'{text}' is not a quarter written YYYY-YY Qn (e.g. 2019-20 Q2)")
        return cls(FinancialYear.parse(match.group(1), start_month), int(match.group(2)))

    @classmethod
    def of(cls, month: Month, start_month: int = 4) -> Quarter:
        """The quarter holding `month`."""
        year = month.financial_year(start_month)
        offset = (month.year - year.first.year) * 12 + month.month - year.first.month
        return cls(year, offset // 3 + 1)

    @property
    def code(self) -> str:
        return f"{self.year.code} Q{self.number}"

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.year.code}"

    @property
    def short_label(self) -> str:
        return self.label

    @property
    def first(self) -> Month:
        return self.year.first.shifted(3 * (self.number - 1))

    @property
    def last(self) -> Month:
        return self.first.shifted(2)

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year.previous(), 4)
        return Quarter(self.year, self.number - 1)

    def year_earlier(self) -> Quarter:
        return Quarter(self.year.previous(), self.number)

    def financial_year(self, start_month: int = 4) -> FinancialYear:
        return self.year

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class Span:
    """Consecutive months added up into one figure: a year to date or a rolling 12 months."""

    first: Month
    last: Month
    label: str

    @classmethod
    def rolling_12(cls, last: Month) -> Span:
        return cls(last.shifted(-11), last, f"12 months to {last.label}")

    @property
    def code(self) -> str:
        return f"{self.first.code} to {self.last.code}"

    @property
    def short_label(self) -> str:
        return self.label

    def __str__(self) -> str:
        return self.label


Period: TypeAlias = Month | Quarter | FinancialYear
"""A period an indicator's data rows are given for."""


class Grain(Enum):
    """How often an indicator's data come: one row per month, per quarter or per year."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def example(self) -> str:
        return {"month": "2019-09", "quarter": "2019-20 Q2", "year": "2019-20"}[self.value]

    @property
    def written(self) -> str:
        return {"month": "YYYY-MM", "quarter": "YYYY-YY Qn", "year": "YYYY-YY"}[self.value]

    def parse(self, text: str, start_month: int = 4) -> Period:
        """A period of this grain; raises ValueError naming how to write it."""
        if self is Grain.MONTH:
            return Month.parse(text)
        if self is Grain.QUARTER:
            return Quarter.parse(text, start_month)
        return FinancialYear.parse(text, start_month)

    def of(self, month: Month, start_month: int = 4) -> Period:
        """The period of this grain that holds `month`."""
        if self is Grain.MONTH:
            return month
        if self is Grain.QUARTER:
            return Quarter.of(month, start_month)
        return month.financial_year(start_month)

    def at(self, month: Month, start_month: int = 4) -> Period:
        """The latest period of this grain that has ended by the end of `month`."""
        period = self.of(month, start_month)
        return period if period.last == month else period.previous()

    def periods(self, first: Month, last: Month, start_month: int = 4) -> list[Period]:
        """The periods of this grain that lie wholly between `first` and `last`."""
        found: list[Period] = []
        month = first
        while month <= last:
            period = self.of(month, start_month)
            if period.first >= first and period.last <= last and period not in found:
                found.append(period)
            month = month.shifted(1)
        return found


def parse_period(text: str, grain: Grain = Grain.MONTH, start_month: int = 4) -> Period:
    """A period of `grain` or a coarser one, tried in that order.

    `2010-11` is both November 2010 and the year 2010-11: for a monthly indicator it is
    the month, for an annual one the year.
    """
    order = list(Grain)[list(Grain).index(grain) :]
    for candidate in order:
        try:
            return candidate.parse(text, start_month)
        except ValueError:
            continue
    forms = ", ".join(f"a {g.value} as {g.example}" for g in order)
    raise ValueError(f"'{text}' is not a period — write {forms}")


def grain_of(period: Period) -> Grain:
    if isinstance(period, Month):
        return Grain.MONTH
    if isinstance(period, Quarter):
        return Grain.QUARTER
    return Grain.YEAR


def long_date(day: date) -> str:
    """A date as written in committee papers: `18 January 2011`."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
