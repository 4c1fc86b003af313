"""Figures as a paper prints them (pure): exact values with their display precision,
units, targets, and the marks for figures not available or withheld (`[c]`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from reportgen.domain.model import (
    Indicator,
    Status,
    Target,
    TargetKind,
    Unit,
)
from reportgen.domain.numbers import format_decimal, round_half_up
from reportgen.domain.periods import Period, Span

NOT_AVAILABLE = "not available"


SUPPRESSED = "[c]"  # the DfE's mark for a figure withheld to protect confidentiality


NO_TARGET = Target()


Value = Decimal | Fraction


NEIGHBOUR_AVERAGE = "Statistical neighbours"


# DfE suppression codes and what a paper says for them.
BENCHMARK_CODES = {
    "c": "suppressed",
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability",
    "k": "rounds to zero",
    "low": "low",
    ":": "not available",
}


class Number(Decimal):
    """A whole count or rounded value that prints with thousands separators (`1,234`)."""

    def __str__(self) -> str:
        return f"{Decimal(self):,}"


@dataclass(frozen=True)
class Figure:
    """One value of an indicator for one period, exact inside, printed rounded.

    `value` is the figure as printed (rounded half up to the indicator's decimals);
    a figure without a value says why in `reason`.
    """

    period: Period | Span | None
    unit: Unit
    decimals: int
    exact: Fraction | None
    numerator: Number | None = None
    denominator: Number | None = None
    reason: str = ""
    status: Status = Status.NONE
    note: str = ""
    source: str = ""
    unit_word: str = ""
    suppressed: bool = False  # withheld from published output: a small count, or one a
    # total would let a reader work out

    @property
    def has_value(self) -> bool:
        return self.exact is not None

    @cached_property
    def value(self) -> Number | None:
        """The value as printed: rounded once, then remembered (a figure never changes)."""
        if self.exact is None:
            return None
        return Number(round_half_up(self.exact, self.decimals))

    @property
    def number(self) -> str:
        """The rounded value without its unit: `93`, `1,234`, `15.6`."""
        rounded = self.value
        return NOT_AVAILABLE if rounded is None else format_decimal(rounded, self.decimals)

    @property
    def text(self) -> str:
        """The figure as printed in a paper: `93%`, `29 per 10,000`, `28 weeks`, or
        `not available`."""
        if self.suppressed:
            return SUPPRESSED
        if self.exact is None:
            return NOT_AVAILABLE
        return with_unit(self.number, self.unit, self.unit_word)

    @property
    def text_with_counts(self) -> str:
        """The figure with its counts where it has them: `93% (55 of 59)`."""
        counted = self.numerator is not None and self.denominator is not None
        if self.has_value and counted and self.unit is Unit.PERCENT:
            return f"{self.text} ({self.numerator!s} of {self.denominator!s})"
        return self.text

    @property
    def status_text(self) -> str:
        """Whose figure this is and how final: `validated (DfE)`, `provisional`, or empty."""
        words = self.status.value
        if self.source:
            return f"{words} ({self.source})" if words else self.source
        return words

    @property
    def why_not(self) -> str:
        """For a figure without a value, the reason as a sentence start: `Not available:
        figure not yet received from Cafcass`."""
        if self.has_value:
            return ""
        if self.suppressed:
            return SUPPRESSED
        reason = self.reason or NOT_AVAILABLE
        if reason.lower().startswith(NOT_AVAILABLE):
            return reason[0].upper() + reason[1:]
        return f"Not available: {reason}"

    def __str__(self) -> str:
        return self.text


def with_unit(number: str, unit: Unit, unit_word: str = "") -> str:
    """A number with its unit as a paper prints it."""
    if unit is Unit.PERCENT:
        return f"{number}%"
    if unit is Unit.RATE_PER_10K:
        return f"{number} per 10,000"
    if unit_word:
        return f"{number} {unit_word}"
    return number


def target_figure(indicator: Indicator, period: Period | None = None) -> Figure | None:
    """The target number as a figure that prints in the indicator's unit (`83%`), if any."""
    value = indicator.target.at(period)
    if value is None:
        return None
    decimals = decimals_needed(value, indicator.decimals)
    return Figure(period, indicator.unit, decimals, value, unit_word=indicator.unit_word)


def exact_text(indicator: Indicator, value: Fraction) -> str:
    """A number the council set (a target, a range end) with only the decimals it needs,
    in the indicator's unit: `18%` beside figures of `17.4%`."""
    decimals = decimals_needed(value, indicator.decimals)
    return Figure(None, indicator.unit, decimals, value, unit_word=indicator.unit_word).text


def target_text(indicator: Indicator, period: Period | None = None) -> str:
    """The target as a paper states it: `83%`, `12% to 20% (acceptable range)`,
    `As high as possible`, `Not a target measure`."""
    target = indicator.target
    if target.kind is TargetKind.RANGE:
        assert target.low is not None and target.high is not None
        low, high = (
            format_decimal(
                round_half_up(v, decimals_needed(v, indicator.decimals)),
                decimals_needed(v, indicator.decimals),
            )
            for v in (target.low, target.high)
        )
        range_text = with_unit(f"{low} to {high}", indicator.unit, indicator.unit_word)
        if indicator.unit is Unit.PERCENT:
            range_text = f"{low}% to {high}%"
        return f"{range_text} (acceptable range)"
    if target.kind in (TargetKind.AS_HIGH_AS_POSSIBLE, TargetKind.AS_LOW_AS_POSSIBLE):
        return str(target.kind.value).capitalize()
    if target.kind is TargetKind.NONE:
        return "Not a target measure"
    figure = target_figure(indicator, period)
    return figure.text if figure else "No target for this period"


def decimals_needed(value: Fraction, most: int) -> int:
    """The fewest decimal places, up to `most`, that print `value` exactly: a target of 18
    prints `18%` beside figures of `17.4%`."""
    return next((d for d in range(most + 1) if (value * 10**d).denominator == 1), most)


def number_of(value: Fraction) -> Number:
    """A sum of counts read from decimal text, which is always a terminating decimal."""
    return Number(Decimal(value.numerator) / Decimal(value.denominator))


def blank(indicator: Indicator, period: Period | Span | None) -> Figure:
    """A figure of the indicator's unit and period, with no value yet."""
    return Figure(period, indicator.unit, indicator.decimals, None, unit_word=indicator.unit_word)
