"""The DfE's LAIT arithmetic on published values (pure): ranks among all authorities,
percentiles and quartile bands by polarity, and the ranks that suppressed figures allow.

LAIT is the DfE's Local Authority Interactive Tool (dfe-analytical-services/
local-authority-interactive-tool, `R/fn_analysis.R`): ranks and bands here follow its
`calculate_rank` and `calculate_quartile_band`, and its cut points are R's default
`quantile()`. Figures the DfE suppressed (`c`) are never ranked; their counts bound the
ranks the authority could hold (`rank_range`).
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from reportgen.domain.model import Polarity, Quartile, Unit
from reportgen.domain.numbers import round_half_up
from reportgen.results.figures import Value

SUPPRESSED_UP_TO = 5  # the DfE suppresses (`c`) counts of 1 to this


class Population(tuple[Decimal, ...]):
    """Every local authority's published value in one year, sorted ascending; and, in
    `suppressed`, for each authority whose figure the DfE suppressed (`c`), the published
    denominator its count is over (None where the file gives none)."""

    suppressed: tuple[Decimal | None, ...]

    def __new__(
        cls, values: Iterable[Decimal] = (), suppressed: Iterable[Decimal | None] = ()
    ) -> Population:
        population = super().__new__(cls, sorted(values))
        population.suppressed = tuple(suppressed)
        return population


@dataclass(frozen=True)
class RankRange:
    """The ranks the authority could hold were the suppressed figures published: `best` to
    `worst` of `of` (1 = best; ties share the better rank)."""

    best: int
    worst: int
    of: int

    @property
    def text(self) -> str:
        """`8th of 11`, or `between 4th and 8th of 11`."""
        if self.best == self.worst:
            return f"{nth(self.best)} of {self.of}"
        return f"between {nth(self.best)} and {nth(self.worst)} of {self.of}"

    @property
    def short(self) -> str:
        """For a narrow cell: `8th of 11`, or `4th–8th of 11`."""
        if self.best == self.worst:
            return f"{nth(self.best)} of {self.of}"
        return f"{nth(self.best)}–{nth(self.worst)} of {self.of}"

    def __str__(self) -> str:
        return self.text


def nth(number: int) -> str:
    """`1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`, `112th`."""
    teens = 10 <= number % 100 <= 20
    suffix = "th" if teens else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def rank(values: Mapping[str, Value | None], polarity: Polarity) -> dict[str, int]:
    """Ranks of the areas with a value, 1 = best by polarity; ties share the better rank.

    Areas without a value, and every area when polarity is none, are left out. This is
    LAIT's `calculate_rank`: R's `rank(ties.method = "min")`, NA for no value, "-" without
    a polarity.
    """
    if polarity is Polarity.NONE:
        return {}
    present = {area: value for area, value in values.items() if value is not None}
    best_first = sorted(present.values(), reverse=polarity is Polarity.HIGHER)
    first_place: dict[Value, int] = {}
    for place, value in enumerate(best_first, start=1):
        first_place.setdefault(value, place)
    return {area: first_place[value] for area, value in present.items()}


def rank_among(value: Value, ordered: Sequence[Value], polarity: Polarity) -> int:
    """The rank of `value` among all `ordered` values (sorted ascending, `value` among them):
    1 + how many are strictly better, so that ties share the better rank."""
    if polarity is Polarity.HIGHER:
        return len(ordered) - bisect_right(ordered, value) + 1
    return bisect_left(ordered, value) + 1


def percentile(ordered: Sequence[Value], share: Fraction) -> Fraction:
    """The `share` percentile (0 to 1) of values sorted ascending, by linear interpolation
    between the closest ranks, as R's default `quantile()` (type 7) and numpy's default:
    position (n - 1) × share."""
    position = (len(ordered) - 1) * share
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    low = Fraction(ordered[below])
    if position == below:
        return low
    return low + (position - below) * (Fraction(ordered[above]) - low)


def quartile_band(
    value: Value | None, cuts: Sequence[Value | None], polarity: Polarity
) -> Quartile | None:
    """LAIT's `calculate_quartile_band`: the band of `value` between `cuts`, the 0th, 25th,
    50th, 75th and 100th percentiles (None for one R gives as NA).

    A band holds the values above its lower cut up to and including its upper one (the
    lowest band its lower cut too), so a value exactly on a cut point takes the band below
    it: the better band where lower is better, the worse where higher is better. A is the
    best quarter. None for no value or no polarity. Raises ValueError where LAIT gives
    "Error": a value outside the cuts, or in a band one of whose cuts is missing.
    """
    if value is None or polarity is Polarity.NONE:
        return None
    letters = "ABCD" if polarity is Polarity.LOWER else "DCBA"  # lowest values first
    for i, letter in enumerate(letters):
        low, high = cuts[i], cuts[i + 1]
        if low is None or high is None:
            continue  # R's comparison with NA is never TRUE
        if (low <= value if i == 0 else low < value) and value <= high:
            return Quartile(letter)
    raise ValueError(f"{value} is in no quartile band between {list(cuts)}")


def quartile(value: Value, values: Sequence[Value], polarity: Polarity) -> Quartile | None:
    """The DfE quartile band of `value` (one of `values`) among all authorities' `values`,
    as LAIT gives it (`quartile_band`): A is the best quarter by polarity.

    The cut points are exact. R works them out in binary floating point, but a value can
    only be on a cut that is itself one of the values (R then gives it exactly), so the
    band is the same."""
    if polarity is Polarity.NONE or not values:
        return None
    ordered = sorted(values)
    cuts = [percentile(ordered, Fraction(n, 4)) for n in range(5)]
    return quartile_band(value, cuts, polarity)


def suppressed_bounds(
    unit: Unit, denominator: Decimal | None, places: int
) -> tuple[Decimal, Decimal] | None:
    """The least and greatest figure a suppressed (`c`) row stands for, as the file would
    publish it (rounded half up to `places` decimals): a count of 1 to 5 itself, or over
    the row's published denominator for a percentage or rate. None where nothing bounds it:
    an average, or no denominator.

    This is the DfE's primary suppression; a count it also withholds so that a small one
    cannot be worked out by subtraction may be larger, which is why papers say the ranks
    hold "at 1 to 5 children each"."""
    if unit is Unit.COUNT:
        least, most = Fraction(1), Fraction(SUPPRESSED_UP_TO)
    elif unit in (Unit.PERCENT, Unit.RATE_PER_10K) and denominator is not None and denominator > 0:
        # Out of five or fewer, a figure may be suppressed for its denominator, count 0 or not.
        fewest = 0 if denominator <= SUPPRESSED_UP_TO else 1
        most_counted = min(Fraction(SUPPRESSED_UP_TO), Fraction(denominator))
        least = fewest / Fraction(denominator) * unit.scale
        most = most_counted / Fraction(denominator) * unit.scale
    else:
        return None
    return round_half_up(least, places), round_half_up(most, places)


def rank_range(
    value: Value,
    rank: int,
    of: int,
    bounds: Sequence[tuple[Decimal, Decimal] | None],
    polarity: Polarity,
) -> RankRange | None:
    """The ranks `value`, ranked `rank` of `of` published figures, could hold among them and
    the suppressed figures whose least and greatest possible values are `bounds` (None: any
    value). Ties share the better rank. None when no suppressed figure is bounded."""
    if polarity is Polarity.NONE or all(b is None for b in bounds):
        return None

    def better(other: Decimal) -> bool:
        return other > value if polarity is Polarity.HIGHER else other < value

    surely = sum(1 for b in bounds if b is not None and better(b[0]) and better(b[1]))
    maybe = sum(1 for b in bounds if b is None or better(b[0]) or better(b[1]))
    return RankRange(rank + surely, rank + maybe, of + len(bounds))


def published_places(values: Iterable[Decimal]) -> int:
    """The most decimal places among published values: the precision a file prints to."""
    places = 0
    for value in values:
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            places = -exponent
    return places
