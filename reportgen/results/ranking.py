"""Benchmarks (pure): where the authority stands in each year among its comparator group
(statistical neighbours and region) and among all authorities, ranked and banded as the
DfE's LAIT does (`reportgen.results.lait`).

Figures the DfE suppressed (`c`) are never ranked; how many there are, and the ranks their
counts allow, are told beside the rank.
"""

from __future__ import annotations

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
    blank,
)
from reportgen.results.lait import (
    Population,
    RankRange,
    nth,
    published_places,
    quartile,
    rank,
    rank_among,
    rank_range,
    suppressed_bounds,
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
    rank: int | None  # among itself and its neighbours with published figures, 1 = best
    rank_of: int
    rank_all: int | None  # among all local authorities with published figures, 1 = best
    rank_all_of: int
    quartile: Quartile | None
    region: str  # the authority's region as LAIT shows it: Outer London for Harrow
    suppressed: int = 0  # neighbours whose figure is suppressed (`c`), so unranked
    rank_range: RankRange | None = None  # the ranks their counts allow, where bounded
    suppressed_all: int = 0  # other local authorities whose figure is suppressed
    rank_all_range: RankRange | None = None

    @property
    def neighbours_ranked(self) -> list[ComparatorRow]:
        """The neighbours with a rank, best first (the authority left out)."""
        return [row for row in self.comparators if row.rank is not None and not row.is_own]

    @property
    def rank_lines(self) -> tuple[str, ...]:
        """The rank among the authority and its neighbours as a narrow cell's lines:
        `3 of 11`; with suppressed neighbours `4th of 7`, `4 suppressed` and the ranks
        their counts allow, `8th of 11 with them`. Empty when unranked."""
        return _rank_lines(self.rank, self.rank_of, self.suppressed, self.rank_range)

    @property
    def rank_all_lines(self) -> tuple[str, ...]:
        """The rank among all local authorities, as `rank_lines`."""
        return _rank_lines(
            self.rank_all, self.rank_all_of, self.suppressed_all, self.rank_all_range
        )


def place_words(rank: int, of: int, suppressed: int) -> str:
    """A rank in words: `3 of 11`, or `4th of 7` where figures are suppressed (papers then
    add that it is among those with published figures)."""
    return f"{nth(rank)} of {of}" if suppressed else f"{rank} of {of}"


def suppressed_words(
    count: int,
    allowed: RankRange | None,
    name: str,
    others: tuple[str, str] = ("neighbour", "neighbours"),
    explained: bool = False,
) -> str:
    """What suppressed figures mean for a rank, as a sentence: `4 neighbours' figures are
    suppressed (the DfE withholds counts of 1 to 5); counting them, at 1 to 5 each, Harrow
    would rank 8th of 11.` `others` names one and several of the areas suppressed; once
    `explained`, the sentence leaves out what suppressed means."""
    one, several = others
    whose = f"1 {one}'s figure is" if count == 1 else f"{count} {several}' figures are"
    text = f"{whose} suppressed" + ("" if explained else " (the DfE withholds counts of 1 to 5)")
    if allowed is None:
        return f"{text}, so not ranked."
    return f"{text}; counting them, at 1 to 5 each, {name} would rank {allowed.text}."


def _rank_lines(
    rank: int | None, of: int, suppressed: int, allowed: RankRange | None
) -> tuple[str, ...]:
    if rank is None:
        return ()
    if not suppressed:
        return (place_words(rank, of, suppressed),)
    lines = [place_words(rank, of, suppressed), f"{suppressed} suppressed"]
    if allowed is not None:
        lines.append(f"{allowed.short} with them")
    return tuple(lines)


def benchmark_year(
    indicator: Indicator,
    year: FinancialYear,
    rows: Iterable[BenchmarkValue],
    group: ComparatorGroup,
    population: Sequence[Decimal] | None = None,
) -> Benchmarking:
    """Where the authority stands in one year. `rows` are this indicator's values for that
    year (the authority's, its neighbours', regions' and England's); `population` is every
    local authority's value, sorted, where the data hold them all (DfE files), with the
    suppressed ones' denominators where it is a `Population`."""
    rows = list(rows)
    by_key = {r.key: r for r in rows if r.level is Level.LOCAL_AUTHORITY}
    figures = _Figures(indicator, {r.area: r for r in rows})

    keys = [group.own, *[key for key, _ in group.neighbours if key != group.own]]
    names = {group.own: group.own_name, **dict(group.neighbours)}
    names.update((key, row.area) for key, row in by_key.items() if key in names)
    missing = _replace(blank(indicator, year), reason=f"no {year} value")
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
    suppressed = [by_key[key] for key in keys[1:] if key in by_key and by_key[key].suppressed]
    if neighbour_values:
        note = f"mean of the {len(neighbour_values)} neighbours with published figures"
        figures.extra[NEIGHBOUR_AVERAGE] = _replace(
            blank(indicator, year),
            exact=Fraction(sum(neighbour_values, Decimal(0))) / len(neighbour_values),
            note=note + (f"; {len(suppressed)} suppressed" if suppressed else ""),
        )
    own = group_figures[group.own]
    own_row = by_key.get(group.own)
    own_value = own_row.value if own_row is not None else None
    # Suppressed values are bounded at the precision the file publishes, so that a tie
    # with the authority's published value shares its rank, as a published one would.
    places = published_places(population or [v for v in published.values() if v is not None])
    own_rank = ranks.get(group.own)
    neighbours_range = None
    if own_rank is not None and own_value is not None and suppressed:
        bounds = [suppressed_bounds(indicator.unit, r.denominator, places) for r in suppressed]
        neighbours_range = rank_range(own_value, own_rank, len(ranks), bounds, indicator.polarity)
    rank_all: int | None = None
    rank_all_of = 0
    all_range: RankRange | None = None
    band: Quartile | None = None
    # Each suppressed authority's denominator; the authority's own is one where it is.
    denominators = population.suppressed if isinstance(population, Population) else ()
    own_suppressed = own_row is not None and own_row.suppressed and bool(denominators)
    suppressed_all = len(denominators) - own_suppressed
    if population and own_value is not None:
        if indicator.polarity is not Polarity.NONE:
            rank_all = rank_among(own_value, population, indicator.polarity)
            rank_all_of = len(population)
            bounds = [suppressed_bounds(indicator.unit, d, places) for d in denominators]
            all_range = rank_range(own_value, rank_all, rank_all_of, bounds, indicator.polarity)
        band = quartile(own_value, population, indicator.polarity)
    return Benchmarking(
        year=year,
        own=own,
        comparators=comparators,
        figures=figures,
        rank=own_rank,
        rank_of=len(ranks),
        rank_all=rank_all,
        rank_all_of=rank_all_of,
        quartile=band,
        region=_region(group.region, own_row, rows),
        suppressed=len(suppressed),
        rank_range=neighbours_range,
        suppressed_all=suppressed_all,
        rank_all_range=all_range,
    )


def _region(region: str, own: BenchmarkValue | None, rows: Sequence[BenchmarkValue]) -> str:
    """The region to show for the authority, as LAIT shows it: the part of its region the
    file puts it in (Inner or Outer London) where the file has a figure for that part, else
    its region (LAIT's `clean_ldn_region`)."""
    if own is None or not own.region or own.region == region:
        return region
    part = next((r for r in rows if r.level is Level.REGION and r.area == own.region), None)
    return own.region if part is not None and part.value is not None else region


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
    # A mapping may name a numerator and no denominator (Kent's 610 care leavers in
    # education, employment or training); where it names both, both or neither are kept.
    mapped_denominator = indicator.dfe is not None and bool(indicator.dfe.denominator)
    counted = numerator is not None and (denominator is not None or not mapped_denominator)
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
