"""Periods: calendar months and financial years (pure values, no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

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

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR_RE = re.compile(r"^(\d{4})-(\d{2})$")


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

    def shifted(self, months: int) -> Month:
        index = self.year * 12 + (self.month - 1) + months
        return Month(index // 12, index % 12 + 1)

    def previous(self) -> Month:
        return self.shifted(-1)

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
    def first_month(self) -> Month:
        return Month(self.start_year, self.start_month)

    def months_to(self, month: Month) -> list[Month]:
        """The months of this year from its first month up to and including `month`."""
        months = []
        current = self.first_month
        while current <= month:
            months.append(current)
            current = current.shifted(1)
        return months

    def __str__(self) -> str:
        return self.label


def long_date(day: date) -> str:
    """A date as written in committee papers: `18 January 2011`."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
