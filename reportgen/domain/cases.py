"""How an indicator is counted from case-level records (a catalogue entry's `cases:`), and
the project's settings for its case-level extract (`case_records:` in authority.yaml).

Values only: `reportgen.cases` computes figures from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from reportgen.domain.periods import FinancialYear, Month


class TimeUnit(Enum):
    """The unit a timeliness limit or a duration is measured in."""

    DAYS = "days"
    WORKING_DAYS = "working_days"
    WEEKS = "weeks"
    MONTHS = "months"

    @property
    def words(self) -> str:
        return self.value.replace("_", " ")


@dataclass(frozen=True)
class Within:
    """A record meets the measure when `end` is at most `limit` `unit` after `start`."""

    start: str
    end: str
    limit: int
    unit: TimeUnit


@dataclass(frozen=True)
class Previous:
    """A record counts when the same child has an earlier record: within `months` before
    it (`months` 0: ever, a second or subsequent one)."""

    months: int = 0


@dataclass(frozen=True)
class AtLeast:
    """A counted child meets the measure with `records` or more records of theirs
    overlapping the `months` to the period's last day; a record matching `continues`
    that starts the day the one before it ended continues it, and is not counted again
    (an SSDA903 episode with RNE L changes the legal status only, not the placement)."""

    records: int
    months: int = 12
    continues: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Duration:
    """The time from `start` to `end` of each record, averaged: in days or weeks."""

    start: str
    end: str
    unit: TimeUnit


@dataclass(frozen=True)
class CaseRule:
    """What an indicator counts in one table of case records, in each period.

    Exactly one of `in_period` (a flow: records whose date falls in the period) and
    `open_from`/`open_to` (a snapshot: records open on the period's last day) says which
    records a period counts. What it measures of them follows from the indicator's unit:
    a percent meets `within`, `previous` or `at_least`; an average is a `duration`; a
    count or a rate per 10,000 children counts them.
    """

    table: str
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    in_period: str = ""
    open_from: str = ""
    open_to: str = ""
    children: bool = False  # count each child once (a return counts children, not events)
    within: Within | None = None
    previous: Previous | None = None
    at_least: AtLeast | None = None
    duration: Duration | None = None
    first: Month | None = None  # computed from this month on; earlier periods are typed

    @property
    def snapshot(self) -> bool:
        return bool(self.open_from)

    @property
    def dates(self) -> tuple[str, ...]:
        """Every date column the rule reads, in the order a person would list them."""
        named = [self.in_period, self.open_from, self.open_to]
        for part in (self.within, self.duration):
            if part is not None:
                named += [part.start, part.end]
        return tuple(dict.fromkeys(c for c in named if c))

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the rule reads: its dates and the columns it filters on."""
        filtered = [c for c, _ in self.filters]
        if self.at_least is not None:
            filtered += [c for c, _ in self.at_least.continues]
        return tuple(dict.fromkeys([*self.dates, *filtered]))


@dataclass(frozen=True)
class CaseSettings:
    """The project's case-level extract: when it was taken, the months figures are
    computed for, and what the rules need besides the records."""

    extract_date: date
    first: Month | None = None  # figures from this month on (earlier records are look-back)
    validated_to: Month | None = None  # figures to this month are validated, later provisional
    # Child population (0 to 17) by financial year, for rates per 10,000 children; with
    # `population_from_dfe`, the DfE file's estimate for the authority fills years not given.
    population: tuple[tuple[FinancialYear, Decimal], ...] = ()
    population_from_dfe: bool = False
    bank_holidays: tuple[date, ...] = ()  # days off the holidays package does not know
    # The council's own column names by table: (reportgen's name, the council's name).
    columns: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    @property
    def last(self) -> Month:
        """The last whole month the extract covers: the one before the extract's month."""
        return Month(self.extract_date.year, self.extract_date.month).previous()

    def renamed(self, table: str) -> dict[str, str]:
        """The council's column name by reportgen's, for one table."""
        return dict(dict(self.columns).get(table, ()))
