"""Domain types: what an indicator is, what a data row says (pure values, no I/O).

Strings such as `"higher"` or `"G"` live only at the edges (YAML, CSV, Word); inside,
everything is one of these types.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction

from reportgen.periods import FinancialYear, Month


class Polarity(Enum):
    """Which way is better for an indicator."""

    HIGHER = "higher"
    LOWER = "lower"
    NONE = "none"


class Unit(Enum):
    PERCENT = "percent"
    COUNT = "count"
    AVERAGE = "average"

    @property
    def scale(self) -> int:
        """What numerator / denominator is multiplied by to give the value."""
        return 100 if self is Unit.PERCENT else 1


class YtdMethod(Enum):
    """How the financial year to date is made from the months."""

    RATIO = "ratio"  # sum of numerators over sum of denominators
    SUM = "sum"  # sum of the monthly values
    LATEST = "latest"  # the latest month's value (a snapshot)
    NONE = "none"  # no year to date


class RagOn(Enum):
    YTD = "ytd"
    LATEST = "latest"


class Rag(Enum):
    """A rating against target; printed as the word, never shown by colour alone."""

    GREEN = "Green"
    AMBER = "Amber"
    RED = "Red"
    NOT_RATED = "Not rated"

    @property
    def letter(self) -> str:
        return {"Green": "G", "Amber": "A", "Red": "R"}.get(self.value, "n/a")

    def __str__(self) -> str:
        return self.value


class Movement(Enum):
    """Which way the value itself moved, before polarity says whether that is better."""

    UP = "up"
    DOWN = "down"
    SAME = "same"
    NONE = "none"


class Direction(Enum):
    """Direction of travel, judged by polarity."""

    IMPROVING = "Improving"
    DECLINING = "Declining"
    NO_CHANGE = "No change"
    NOT_APPLICABLE = "Not applicable"

    def __str__(self) -> str:
        return self.value


class Status(Enum):
    """What a data row says about its own reliability."""

    NONE = ""
    PROVISIONAL = "provisional"
    VALIDATED = "validated"
    NOT_AVAILABLE = "not available"


@dataclass(frozen=True)
class Indicator:
    """One entry of the indicator catalogue."""

    id: str
    title: str
    unit: Unit
    polarity: Polarity
    ytd: YtdMethod
    target: Fraction | None = None
    tolerance: Fraction = Fraction(0)
    decimals: int = 0
    rag_on: RagOn | None = None

    @property
    def rates_on(self) -> RagOn:
        """The figure RAG is judged on: the year to date where there is one, else the latest."""
        if self.rag_on is not None:
            return self.rag_on
        return RagOn.LATEST if self.ytd is YtdMethod.NONE else RagOn.YTD


@dataclass(frozen=True)
class Observation:
    """One month of one indicator, as a data row gave it."""

    indicator: str
    month: Month
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    status: Status = Status.NONE
    note: str = ""


@dataclass(frozen=True)
class BenchmarkValue:
    """One area's published value for one indicator and year; `code` says why there is none."""

    indicator: str
    year: FinancialYear
    area: str
    value: Decimal | None
    code: str = ""


@dataclass(frozen=True)
class Authority:
    name: str
    short_name: str
    financial_year_start: int = 4
    statistical_neighbours: tuple[str, ...] = ()
