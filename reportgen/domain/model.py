"""Domain types: what an indicator is, what a data row says (pure values, no I/O).

Strings such as `"higher"` or `"G"` live only at the edges (YAML, CSV, Word); inside,
everything is one of these types.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction

from reportgen.domain.cases import CaseRule, CaseSettings
from reportgen.domain.periods import FinancialYear, Grain, Period


class Polarity(Enum):
    """Which way is better for an indicator."""

    HIGHER = "higher"
    LOWER = "lower"
    NONE = "none"


class Unit(Enum):
    """What an indicator's figure is, and so how it is made from counts and printed."""

    PERCENT = "percent"
    COUNT = "count"
    RATE_PER_10K = "rate_per_10k"  # numerator per 10,000 of the denominator (a population)
    AVERAGE = "average"  # numerator total over denominator cases, with a unit word
    NUMBER = "number"  # a plain number that is neither a count nor a ratio (a score)

    @property
    def scale(self) -> int:
        """What numerator / denominator is multiplied by to give the value."""
        return {"percent": 100, "rate_per_10k": 10_000}.get(self.value, 1)

    @property
    def is_ratio(self) -> bool:
        """Whether the value is made from a numerator and a denominator."""
        return self in (Unit.PERCENT, Unit.RATE_PER_10K, Unit.AVERAGE)


class Measure(Enum):
    """How periods add up: flows (assessments in the month) add; snapshots (children looked
    after at month end) do not, so their year to date is the latest period's value."""

    FLOW = "flow"
    SNAPSHOT = "snapshot"


class Compare(Enum):
    """What direction of travel compares the latest period with."""

    PREVIOUS = "previous"  # the period before
    LAST_YEAR = "last_year"  # the same period a year earlier


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
    HIGHER = "Higher"  # moved up, where neither way is better
    LOWER = "Lower"
    NOT_APPLICABLE = "Not applicable"

    def __str__(self) -> str:
        return self.value


class Quartile(Enum):
    """The DfE quartile band among all local authorities: A is the best quarter."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

    @property
    def label(self) -> str:
        words = {"A": "best", "B": "second", "C": "third", "D": "worst"}
        return f"{self.value} ({words[self.value]} quarter)"

    def __str__(self) -> str:
        return self.value


class Status(Enum):
    """What a data row says about its own reliability."""

    NONE = ""
    PROVISIONAL = "provisional"
    VALIDATED = "validated"
    NOT_AVAILABLE = "not available"

    def __str__(self) -> str:
        return self.value


class TargetKind(Enum):
    VALUE = "value"  # one number
    PROFILE = "profile"  # a number per period
    RANGE = "range"  # an acceptable range: inside is Green
    AS_HIGH_AS_POSSIBLE = "as high as possible"  # no RAG, direction only
    AS_LOW_AS_POSSIBLE = "as low as possible"
    NONE = "none"  # not a target measure


@dataclass(frozen=True)
class Target:
    """An indicator's target and how far from it is Amber.

    `tolerance` is absolute, or a percent of the target when `relative`; `floor` is the
    value beyond which a figure is Red (below it where higher is better, above it where
    lower is better), with Amber between it and the target.
    """

    kind: TargetKind = TargetKind.NONE
    value: Fraction | None = None
    profile: tuple[tuple[Period, Fraction], ...] = ()
    # A profile's own year-to-date targets, by the period the year to date runs to; without
    # them a year to date is rated against the profile's periods weighted by their cases.
    ytd_profile: tuple[tuple[Period, Fraction], ...] = ()
    low: Fraction | None = None
    high: Fraction | None = None
    tolerance: Fraction = Fraction(0)
    relative: bool = False
    floor: Fraction | None = None

    def at(self, period: Period | None) -> Fraction | None:
        """The target number for a period (a profile's own, or the one value)."""
        if self.kind is TargetKind.PROFILE:
            return dict(self.profile).get(period) if period is not None else None
        return self.value if self.kind is TargetKind.VALUE else None

    def allowance(self, target: Fraction) -> Fraction:
        """How far short of `target` is still Amber."""
        return abs(target) * self.tolerance / 100 if self.relative else self.tolerance

    @property
    def rated(self) -> bool:
        return self.kind in (TargetKind.VALUE, TargetKind.PROFILE, TargetKind.RANGE)


@dataclass(frozen=True)
class DfeSource:
    """Where an indicator's published figures are in a DfE open-data file.

    `filters` select the indicator's rows (column, value); `value` holds the published
    figure; `numerator` and `denominator` its counts where the file has them. The DfE's
    `time_period` 2025 means the year to 31 March 2025 unless `time_period_month` says
    the figures are a snapshot in another month (9 for the workforce census at 30 September).
    """

    file: str
    value: str
    filters: tuple[tuple[str, str], ...] = ()
    numerator: str = ""
    denominator: str = ""
    time_period_month: int = 3


@dataclass(frozen=True)
class Indicator:
    """One entry of the indicator catalogue."""

    id: str
    title: str
    unit: Unit
    polarity: Polarity
    grain: Grain = Grain.MONTH
    measure: Measure = Measure.FLOW
    ytd: bool = True
    target: Target = Target()
    decimals: int = 0
    rag_on: RagOn | None = None
    compare: Compare = Compare.PREVIOUS
    unit_word: str = ""
    dfe: DfeSource | None = None
    cases: CaseRule | None = None  # counted from case records in data/cases/
    number: str = ""  # as the committee knows it: "16", "27/28"
    theme: str = ""  # one of the catalogue's themes, or "" for none
    replaces: tuple[str, ...] = ()  # the indicators it replaces (split or merged)
    decision: str = ""  # the committee decision that brought it in
    # In published output, counts from 1 to this are suppressed (0: none are).
    suppress_up_to: int = 0

    @property
    def has_ytd(self) -> bool:
        """Whether a year to date means something: periods shorter than a year, asked for."""
        return self.ytd and self.grain is not Grain.YEAR

    @property
    def rates_on(self) -> RagOn:
        """The figure RAG is judged on: the year to date where there is one, else the latest."""
        if self.rag_on is not None:
            return self.rag_on
        return RagOn.YTD if self.has_ytd else RagOn.LATEST


@dataclass(frozen=True)
class Observation:
    """One period of one indicator, as a data row (or a DfE file) gave it.

    `source` names who supplied an external figure (`DfE`, `Cafcass`); empty for the
    council's own. `replaced` is the internal row a validated external figure replaced.
    """

    indicator: str
    period: Period
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    status: Status = Status.NONE
    note: str = ""
    source: str = ""
    replaced: Observation | None = None

    @property
    def external(self) -> bool:
        return bool(self.source)


# Aggregate areas that are not local authorities, as DfE files name them.
REGIONS = (
    "Inner London",
    "Outer London",
    "London",
    "South East",
    "South West",
    "East of England",
    "East Midlands",
    "West Midlands",
    "Yorkshire and The Humber",
    "North West",
    "North East",
)


class Level(Enum):
    LOCAL_AUTHORITY = "Local authority"
    REGION = "Regional"
    NATIONAL = "National"


@dataclass(frozen=True)
class BenchmarkValue:
    """One area's published value for one indicator and year; `code` says why there is none.

    `la_code` is the DfE's three-digit code of a local authority (empty for hand-kept
    benchmark files, whose areas are known by name). A suppressed row (`c`) keeps its
    published denominator, which bounds the suppressed count's value. `region` is the region
    a DfE file puts a local authority in (`Outer London` for Harrow; empty elsewhere).
    """

    indicator: str
    year: FinancialYear
    area: str
    value: Decimal | None
    code: str = ""
    la_code: str = ""
    level: Level = Level.LOCAL_AUTHORITY
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    region: str = ""

    @property
    def key(self) -> str:
        """How the area is known in a comparator group: its DfE code, else its name."""
        return self.la_code or self.area

    @property
    def suppressed(self) -> bool:
        """Whether the DfE suppressed the figure (`c`: a count of 1 to 5) rather than
        having none to publish."""
        return self.value is None and self.code == "c"


@dataclass(frozen=True)
class Authority:
    """The council. Its neighbours are DfE codes when `la_code` is set (from the DfE model),
    names as spelt in data/benchmarks/ otherwise."""

    name: str
    short_name: str
    financial_year_start: int = 4
    statistical_neighbours: tuple[str, ...] = ()
    la_code: str = ""
    neighbour_codes: tuple[str, ...] = ()
    neighbour_names: tuple[str, ...] = ()
    region: str = ""
    publish_clearance: bool = True  # officers' clearance in the published version too
    suppress_up_to: int = 5  # published counts from 1 to this are suppressed (DfE: 5)
    # The council's words for header lines (`portfolio_holder`: "Scrutiny Lead Member area").
    header_labels: tuple[tuple[str, str], ...] = ()
    cases: CaseSettings | None = None  # the case-level extract in data/cases/


NOT_FOR_PUBLICATION = "NOT FOR PUBLICATION"  # how an exempt paper is marked, inside and out
