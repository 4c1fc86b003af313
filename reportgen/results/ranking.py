"""Benchmarks as the DfE's LAIT computes them (pure): ranks among all authorities,
quartile bands by polarity, and comparator groups of statistical neighbours and region.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import replace as _replace
from decimal import Decimal
from fractions import Fraction

from reportgen.domain.model import (
    BenchmarkValue,
    Indicator,
    Level,
    Polarity,
    Quartile,
)
from reportgen.domain.periods import FinancialYear
from reportgen.results.figures import (
    BENCHMARK_CODES,
    NEIGHBOUR_AVERAGE,
    NOT_AVAILABLE,
    Figure,
    Number,
    Value,
    _blank,
)


@dataclass(frozen=True)
class ComparatorRow:
    """One area in the comparator group, best first."""

    area: str
    figure: Figure
    rank: int | None
    is_own: bool


@dataclass(frozen=True)
class ComparatorGroup:
    """Who an indicator's benchmarks compare: the authority, its neighbours and region.

    Areas are known by `BenchmarkValue.key`: DfE codes for DfE files, names for hand-kept
    benchmark files.
    """

    own: str
    own_name: str
    neighbours: tuple[tuple[str, str], ...]  # (key, name)
    region: str = ""


@dataclass(frozen=True)
class Benchmarking:
    """Where the authority stands in one benchmark year."""

    year: FinancialYear
    own: Figure
    comparators: tuple[ComparatorRow, ...]  # the authority and its neighbours, best first
    figures: Mapping[str, Figure]  # by area name, with the neighbour average
    rank: int | None  # among itself and its neighbours, 1 = best
    rank_of: int
    rank_all: int | None  # among all local authorities with a value, 1 = best
    rank_all_of: int
    quartile: Quartile | None
    region: str

    @property
    def neighbours_ranked(self) -> list[ComparatorRow]:
        """The neighbours with a rank, best first (the authority left out)."""
        return [row for row in self.comparators if row.rank is not None and not row.is_own]


def rank(values: Mapping[str, Value | None], polarity: Polarity) -> dict[str, int]:
    """Ranks of the areas with a value, 1 = best by polarity; ties share the better rank.

    Areas without a value, and every area when polarity is none, are left out.
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
    between the closest ranks, as numpy's default: position (n - 1) × share."""
    position = (len(ordered) - 1) * share
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    low = Fraction(ordered[below])
    if position == below:
        return low
    return low + (position - below) * (Fraction(ordered[above]) - low)


def quartile(value: Value, values: Sequence[Value], polarity: Polarity) -> Quartile | None:
    """The DfE quartile band of `value` among all authorities' `values`: A is the best
    quarter by polarity. A value on a cut point takes the better band."""
    if polarity is Polarity.NONE or not values:
        return None
    ordered = sorted(values)
    cuts = [percentile(ordered, Fraction(n, 4)) for n in (1, 2, 3)]
    if polarity is Polarity.HIGHER:
        above = sum(1 for cut in cuts if value >= cut)
        return (Quartile.D, Quartile.C, Quartile.B, Quartile.A)[above]
    below = sum(1 for cut in cuts if value <= cut)
    return (Quartile.D, Quartile.C, Quartile.B, Quartile.A)[below]


def benchmark_year(
    indicator: Indicator,
    year: FinancialYear,
    rows: Iterable[BenchmarkValue],
    group: ComparatorGroup,
    population: Sequence[Decimal] | None = None,
) -> Benchmarking:
    """Where the authority stands in one year. `rows` are this indicator's values for that
    year (the authority's, its neighbours', regions' and England's); `population` is every
    local authority's value, sorted, where the data hold them all (DfE files)."""
    rows = list(rows)
    by_key = {r.key: r for r in rows if r.level is Level.LOCAL_AUTHORITY}
    figures = _Figures(indicator, {r.area: r for r in rows})

    keys = [group.own, *[key for key, _ in group.neighbours if key != group.own]]
    names = {group.own: group.own_name, **dict(group.neighbours)}
    names.update((key, row.area) for key, row in by_key.items() if key in names)
    missing = _replace(_blank(indicator, year), reason=f"no {year} value")
    group_figures = {
        key: _benchmark_figure(indicator, by_key[key]) if key in by_key else missing for key in keys
    }
    # Ranked and ordered on the values as published (exact decimals, which compare fast).
    published = {key: by_key[key].value if key in by_key else None for key in keys}
    ranks = rank(published, indicator.polarity)
    # Best first; with no polarity there is no best, so highest first; no value last.
    ordered = sorted(
        keys,
        key=lambda key: (
            published[key] is None,
            ranks.get(key, 0),
            -(published[key] or 0),
            names[key],
        ),
    )
    comparators = tuple(
        ComparatorRow(names[key], group_figures[key], ranks.get(key), key == group.own)
        for key in ordered
    )
    neighbour_values = [value for key in keys[1:] if (value := published[key]) is not None]
    if neighbour_values:
        figures.extra[NEIGHBOUR_AVERAGE] = _replace(
            _blank(indicator, year),
            exact=Fraction(sum(neighbour_values, Decimal(0))) / len(neighbour_values),
            note=f"mean of {len(neighbour_values)} neighbours with a value",
        )
    own = group_figures[group.own]
    rank_all: int | None = None
    rank_all_of = 0
    band: Quartile | None = None
    own_row = by_key.get(group.own)
    if population and own_row is not None and own_row.value is not None:
        if indicator.polarity is not Polarity.NONE:
            rank_all = rank_among(own_row.value, population, indicator.polarity)
            rank_all_of = len(population)
        band = quartile(own_row.value, population, indicator.polarity)
    return Benchmarking(
        year=year,
        own=own,
        comparators=comparators,
        figures=figures,
        rank=ranks.get(group.own),
        rank_of=len(ranks),
        rank_all=rank_all,
        rank_all_of=rank_all_of,
        quartile=band,
        region=group.region,
    )


def benchmark(
    indicator: Indicator,
    rows: Iterable[BenchmarkValue],
    group: ComparatorGroup,
    populations: Mapping[FinancialYear, Sequence[Decimal]] | None = None,
) -> Mapping[FinancialYear, Benchmarking]:
    """Benchmarking for every year `rows` (this indicator's values) cover, oldest first,
    each worked out when first asked for (a paper mostly needs the latest); `populations`
    are every local authority's values by year, sorted, where known."""
    by_year: dict[FinancialYear, list[BenchmarkValue]] = {}
    for row in rows:
        by_year.setdefault(row.year, []).append(row)
    return _Years(indicator, dict(sorted(by_year.items())), group, populations or {})


class _Years(Mapping[FinancialYear, Benchmarking]):
    def __init__(
        self,
        indicator: Indicator,
        rows: dict[FinancialYear, list[BenchmarkValue]],
        group: ComparatorGroup,
        populations: Mapping[FinancialYear, Sequence[Decimal]],
    ):
        self.indicator, self.rows, self.group, self.populations = (
            indicator,
            rows,
            group,
            populations,
        )
        self.made: dict[FinancialYear, Benchmarking] = {}

    def __getitem__(self, year: FinancialYear) -> Benchmarking:
        if year not in self.made:
            self.made[year] = benchmark_year(
                self.indicator, year, self.rows[year], self.group, self.populations.get(year)
            )
        return self.made[year]

    def __iter__(self) -> Iterator[FinancialYear]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def _benchmark_figure(indicator: Indicator, row: BenchmarkValue) -> Figure:
    numerator, denominator = row.numerator, row.denominator
    counted = numerator is not None and denominator is not None
    return Figure(
        row.year,
        indicator.unit,
        indicator.decimals,
        None if row.value is None else Fraction(row.value),
        numerator=Number(numerator) if numerator is not None and counted else None,
        denominator=Number(denominator) if denominator is not None and counted else None,
        reason="" if row.value is not None else BENCHMARK_CODES.get(row.code, NOT_AVAILABLE),
        note=row.code,
        unit_word=indicator.unit_word,
    )


class _Figures(Mapping[str, Figure]):
    """A year's figures by area, each made when first asked for: a DfE year holds every
    region, and most papers ask for two or three of them."""

    def __init__(self, indicator: Indicator, rows: dict[str, BenchmarkValue]):
        self.indicator, self.rows = indicator, rows
        self.extra: dict[str, Figure] = {}
        self.made: dict[str, Figure] = {}

    def __getitem__(self, area: str) -> Figure:
        if area in self.extra:
            return self.extra[area]
        if area not in self.made:
            self.made[area] = _benchmark_figure(self.indicator, self.rows[area])
        return self.made[area]

    def __iter__(self) -> Iterator[str]:
        return iter([*self.rows, *self.extra])

    def __len__(self) -> int:
        return len(self.rows) + len(self.extra)
