"""Year to date, RAG, direction of travel, rank and quartile, as tables of cases and as
properties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen.domain.model import (
    BenchmarkValue,
    Compare,
    Direction,
    Indicator,
    Level,
    Measure,
    Movement,
    Observation,
    Polarity,
    Quartile,
    Rag,
    Status,
    Target,
    TargetKind,
    Unit,
)
from reportgen.domain.periods import FinancialYear, Grain, Month, Quarter
from reportgen.inputs.datafiles import merge
from reportgen.results.compute import (
    aggregate,
    compute,
    figure_at,
    period_figure,
    rate,
    travel,
    ytd_figure,
)
from reportgen.results.figures import Figure, target_text
from reportgen.results.lait import percentile, quartile, rank
from reportgen.results.ranking import ComparatorGroup, benchmark, benchmark_year

NOV = Month(2010, 11)


def percent(**changes: object) -> Indicator:
    fields: dict[str, object] = {
        "id": "NI59", "title": "Initial assessments", "unit": Unit.PERCENT,
        "polarity": Polarity.HIGHER,
    }  # fmt: skip
    fields.update(changes)
    return Indicator(**fields)  # type: ignore[arg-type]


def counts(*rows: tuple[str, int, int]) -> dict[Month, Observation]:
    return {
        Month.parse(m): Observation("NI59", Month.parse(m), Decimal(n), Decimal(d))
        for m, n, d in rows
    }


def values(*rows: tuple[str, int]) -> dict[Month, Observation]:
    return {Month.parse(m): Observation("X", Month.parse(m), value=Decimal(v)) for m, v in rows}


def shown(value: str, decimals: int = 0) -> Figure:
    return Figure(NOV, Unit.PERCENT, decimals, Fraction(Decimal(value)))


class DescribeYearToDate:
    def it_is_the_ratio_of_the_sums_not_the_mean_of_the_months(self) -> None:
        data = counts(("2010-04", 1, 2), ("2010-05", 9, 10))
        figure = ytd_figure(percent(), data, Month(2010, 5))
        assert figure.exact == Fraction(10, 12) * 100
        assert (figure.text, figure.numerator, figure.denominator) == ("83%", 10, 12)

    def it_starts_at_the_financial_year_start(self) -> None:
        data = counts(("2010-03", 0, 100), ("2010-04", 1, 1))
        assert ytd_figure(percent(), data, Month(2010, 4)).text == "100%"
        assert ytd_figure(percent(), data, Month(2010, 4), financial_year_start=1).text == "1%"

    def it_sums_a_flow_count_and_takes_the_latest_of_a_snapshot(self) -> None:
        rows = values(("2010-04", 10), ("2010-05", 20), ("2010-06", 5))
        flow = percent(unit=Unit.COUNT)
        snapshot = percent(unit=Unit.COUNT, measure=Measure.SNAPSHOT)
        assert ytd_figure(flow, rows, Month(2010, 6)).text == "35"
        assert ytd_figure(snapshot, rows, Month(2010, 6)).text == "5"
        assert ytd_figure(percent(unit=Unit.COUNT, ytd=False), rows, Month(2010, 6)).reason == (
            "this indicator has no year to date"
        )

    def it_gives_no_value_with_a_reason_for_a_zero_denominator(self) -> None:
        data = counts(("2010-04", 0, 0))
        assert period_figure(percent(), data, Month(2010, 4)).reason.startswith(
            "no cases in April 2010"
        )
        ytd = ytd_figure(percent(), data, Month(2010, 4))
        assert (ytd.has_value, ytd.text) == (False, "not available")

    def it_says_when_there_is_no_data(self) -> None:
        assert ytd_figure(percent(), {}, NOV).reason == "no data for April 2010 to November 2010"
        assert period_figure(percent(), {}, NOV).reason == "no data for November 2010"

    def it_keeps_a_not_available_row_as_no_value_with_its_reason(self) -> None:
        row = Observation(
            "NI59", NOV, status=Status.NOT_AVAILABLE, note="supplied by Cafcass, not yet received"
        )
        figure = period_figure(percent(), {NOV: row}, NOV)
        assert figure.reason == "supplied by Cafcass, not yet received"
        assert figure.why_not == "Not available: supplied by Cafcass, not yet received"

    def it_marks_a_year_to_date_with_a_provisional_month_provisional(self) -> None:
        data = counts(("2010-04", 1, 2))
        data[Month(2010, 5)] = Observation(
            "NI59", Month(2010, 5), Decimal(1), Decimal(2), status=Status.PROVISIONAL
        )
        assert ytd_figure(percent(), data, Month(2010, 5)).status is Status.PROVISIONAL

    @given(
        st.lists(
            st.tuples(st.integers(0, 500), st.integers(0, 500)).map(lambda t: (min(t), max(t))),
            min_size=1, max_size=12,
        )
    )  # fmt: skip
    def it_always_equals_the_ratio_of_the_sums(self, months: list[tuple[int, int]]) -> None:
        data = counts(*[(Month(2010, 4).shifted(i).code, n, d) for i, (n, d) in enumerate(months)])
        last = Month(2010, 4).shifted(len(months) - 1)
        figure = ytd_figure(percent(), data, last)
        numerator, denominator = sum(n for n, _ in months), sum(d for _, d in months)
        if denominator == 0:
            assert not figure.has_value
        else:
            assert figure.exact == Fraction(numerator, denominator) * 100


class DescribePeriodsAndUnits:
    def it_adds_up_the_months_of_a_quarter_and_a_rolling_12_months(self) -> None:
        data = counts(*[(Month(2019, 1).shifted(i).code, i, 10) for i in range(12)])
        q1 = figure_at(percent(), data, Quarter(FinancialYear(2019), 1))  # April to June 2019
        assert (q1.numerator, q1.denominator, q1.text) == (3 + 4 + 5, 30, "40%")
        result = compute(percent(), data, Month(2019, 12))
        assert result.rolling_12.numerator == sum(range(12))
        assert str(result.rolling_12.period) == "12 months to December 2019"

    def it_reports_a_quarterly_indicator_by_its_last_complete_quarter(self) -> None:
        weeks = percent(
            unit=Unit.AVERAGE, unit_word="weeks", polarity=Polarity.LOWER, grain=Grain.QUARTER
        )
        q1, q2 = Quarter(FinancialYear(2019), 1), Quarter(FinancialYear(2019), 2)
        data = {
            q1: Observation("L5", q1, Decimal(224), Decimal(8)),
            q2: Observation("L5", q2, Decimal(270), Decimal(9)),
        }
        result = compute(weeks, data, Month(2019, 11))  # Q3 is not over yet
        assert (str(result.latest.period), result.latest.text) == ("Q2 2019-20", "30 weeks")
        assert (str(result.previous.period), result.previous.text) == ("Q1 2019-20", "28 weeks")
        assert result.ytd.text == "29 weeks"  # 494 weeks over 17 cases, not the mean of 28 and 30

    def it_takes_an_annual_indicator_from_its_latest_year_with_data(self) -> None:
        annual = percent(grain=Grain.YEAR)
        year = FinancialYear(2024)
        data = {year: Observation("A", year, value=Decimal("15.6"), source="DfE",
                                  status=Status.VALIDATED)}  # fmt: skip
        result = compute(annual, data, Month(2026, 10))
        assert result.latest.period == year
        assert result.latest.status_text == "validated (DfE)"
        assert not result.indicator.has_ytd

    @pytest.mark.parametrize(
        ("unit", "word", "numerator", "denominator", "decimals", "text"),
        [
            (Unit.PERCENT, "", 5, 8, 0, "63%"),
            (Unit.PERCENT, "", 1, 8, 0, "13%"),
            (Unit.RATE_PER_10K, "", 176, 60452, 1, "29.1 per 10,000"),
            (Unit.AVERAGE, "weeks", 224, 8, 0, "28 weeks"),
            (Unit.AVERAGE, "cases per worker", 1286, Decimal("98.8"), 1, "13.0 cases per worker"),
        ],
    )
    def it_prints_each_unit(
        self, unit: Unit, word: str, numerator: int, denominator: int, decimals: int, text: str
    ) -> None:
        indicator = percent(unit=unit, unit_word=word, decimals=decimals)
        data = {NOV: Observation("X", NOV, Decimal(numerator), Decimal(denominator))}
        assert period_figure(indicator, data, NOV).text == text

    def it_prints_counts_with_thousands_separators(self) -> None:
        figure = period_figure(percent(decimals=1), counts(("2010-11", 355, 2281)), NOV)
        assert figure.text_with_counts == "15.6% (355 of 2,281)"

    @given(st.lists(st.integers(1, 50) | st.none(), min_size=1, max_size=12))
    def it_never_counts_a_month_with_no_value_as_zero(self, months: list[int | None]) -> None:
        rows = {
            Month(2010, 4).shifted(i): Observation(
                "X", Month(2010, 4).shifted(i), value=Decimal(v)
            ) if v is not None else Observation(
                "X", Month(2010, 4).shifted(i), status=Status.NOT_AVAILABLE, note="late"
            )
            for i, v in enumerate(months)
        }  # fmt: skip
        last = Month(2010, 4).shifted(len(months) - 1)
        average = percent(unit=Unit.NUMBER, measure=Measure.SNAPSHOT)
        total = aggregate(percent(unit=Unit.COUNT), rows, list(rows), FinancialYear(2010))
        given_values = [v for v in months if v is not None]
        assert total.exact == (sum(given_values) if given_values else None)
        if months[-1] is None:
            assert not ytd_figure(average, rows, last).has_value


class DescribeDataStatus:
    def it_lets_a_validated_external_figure_replace_the_councils_own(self) -> None:
        q1 = Quarter(FinancialYear(2019), 1)
        own = Observation("L5", q1, Decimal(248), Decimal(8), status=Status.PROVISIONAL)
        cafcass = Observation("L5", q1, Decimal(224), Decimal(8), status=Status.VALIDATED,
                              source="Cafcass")  # fmt: skip
        for first, second in ((own, cafcass), (cafcass, own)):
            kept = merge(first, second)
            assert kept is not None and kept.source == "Cafcass" and kept.replaced == own
        weeks = percent(unit=Unit.AVERAGE, unit_word="weeks", grain=Grain.QUARTER)
        figure = period_figure(weeks, {q1: merge(own, cafcass)}, q1)  # type: ignore[dict-item]
        assert (figure.text, figure.source) == ("28 weeks", "Cafcass")
        assert figure.note == "replaces the council's own provisional figure"

    def it_refuses_two_rows_when_neither_is_a_validated_external_figure(self) -> None:
        own = Observation("X", NOV, value=Decimal(1))
        assert merge(own, Observation("X", NOV, value=Decimal(2))) is None
        provisional = Observation("X", NOV, value=Decimal(2), source="DfE",
                                  status=Status.PROVISIONAL)  # fmt: skip
        assert merge(own, provisional) is None


RAG_CASES = [
    # value, target, tolerance, polarity, expected
    ("85", 85, 0, Polarity.HIGHER, Rag.GREEN),
    ("84.5", 85, 0, Polarity.HIGHER, Rag.GREEN),  # shows as 85%, so it meets 85%
    ("84.4", 85, 0, Polarity.HIGHER, Rag.RED),
    ("90", 85, 0, Polarity.HIGHER, Rag.GREEN),
    ("83", 85, 2, Polarity.HIGHER, Rag.AMBER),
    ("82", 85, 2, Polarity.HIGHER, Rag.RED),
    ("75", 83, 3, Polarity.HIGHER, Rag.RED),
    ("15", 15, 0, Polarity.LOWER, Rag.GREEN),
    ("10", 15, 0, Polarity.LOWER, Rag.GREEN),
    ("17", 15, 2, Polarity.LOWER, Rag.AMBER),
    ("18", 15, 2, Polarity.LOWER, Rag.RED),
    ("15.4", 15, 0, Polarity.LOWER, Rag.GREEN),  # shows as 15%
    ("15.5", 15, 0, Polarity.LOWER, Rag.RED),  # shows as 16%
    ("50", None, 0, Polarity.HIGHER, Rag.NOT_RATED),
]


def targeted(target: Target, polarity: Polarity = Polarity.HIGHER) -> Indicator:
    return percent(target=target, polarity=polarity)


@pytest.mark.parametrize(("value", "target", "tolerance", "polarity", "expected"), RAG_CASES)
def it_rates_against_target_at_displayed_precision(
    value: str, target: int | None, tolerance: int, polarity: Polarity, expected: Rag
) -> None:
    spec = (
        Target(TargetKind.NONE)
        if target is None
        else Target(TargetKind.VALUE, value=Fraction(target), tolerance=Fraction(tolerance))
    )
    indicator = targeted(spec, polarity)
    assert rate(shown(value), indicator, spec.at(None)) is expected


@pytest.mark.parametrize(
    ("value", "target", "expected"),
    [
        # the 2019 paper's acceptable range (12-20%): inside is Green
        ("20", Target(TargetKind.RANGE, low=Fraction(12), high=Fraction(20)), Rag.GREEN),
        ("12", Target(TargetKind.RANGE, low=Fraction(12), high=Fraction(20)), Rag.GREEN),
        ("21", Target(TargetKind.RANGE, low=Fraction(12), high=Fraction(20)), Rag.RED),
        ("21", Target(TargetKind.RANGE, low=Fraction(12), high=Fraction(20),
                      tolerance=Fraction(2)), Rag.AMBER),
        ("9", Target(TargetKind.RANGE, low=Fraction(12), high=Fraction(20),
                     tolerance=Fraction(2)), Rag.RED),
        # relative tolerance: 10% of a 70% target is 7 points
        ("63", Target(TargetKind.VALUE, value=Fraction(70), tolerance=Fraction(10),
                      relative=True), Rag.AMBER),
        ("62", Target(TargetKind.VALUE, value=Fraction(70), tolerance=Fraction(10),
                      relative=True), Rag.RED),
        # a floor: below it Red, between it and the target Amber
        ("75", Target(TargetKind.VALUE, value=Fraction(80), floor=Fraction(70)), Rag.AMBER),
        ("70", Target(TargetKind.VALUE, value=Fraction(80), floor=Fraction(70)), Rag.AMBER),
        ("69", Target(TargetKind.VALUE, value=Fraction(80), floor=Fraction(70)), Rag.RED),
        ("99", Target(TargetKind.AS_HIGH_AS_POSSIBLE), Rag.NOT_RATED),
        ("99", Target(TargetKind.NONE), Rag.NOT_RATED),
    ],
)  # fmt: skip
def it_rates_ranges_relative_tolerances_and_floors(
    value: str, target: Target, expected: Rag
) -> None:
    assert rate(shown(value), targeted(target), target.at(None)) is expected


def it_rates_a_lower_is_better_floor_from_above() -> None:
    spec = Target(TargetKind.VALUE, value=Fraction(20), floor=Fraction(30))
    indicator = targeted(spec, Polarity.LOWER)
    assert [rate(shown(v), indicator, Fraction(20)) for v in ("20", "30", "31")] == [
        Rag.GREEN, Rag.AMBER, Rag.RED,
    ]  # fmt: skip


def it_takes_a_profiles_target_for_the_period() -> None:
    profile = Target(
        TargetKind.PROFILE,
        profile=((Month(2026, 9), Fraction(19)), (Month(2026, 10), Fraction(18))),
    )
    indicator = percent(polarity=Polarity.LOWER, target=profile, decimals=1)
    data = counts(("2026-09", 38, 200), ("2026-10", 37, 200))
    result = compute(indicator, data, Month(2026, 10), financial_year_start=4)
    assert result.target == Fraction(18)
    assert target_text(indicator, Month(2026, 9)) == "19%"
    assert target_text(indicator, Month(2026, 10)) == "18%"


@pytest.mark.parametrize(
    ("target", "text"),
    [
        (Target(TargetKind.VALUE, value=Fraction(83)), "83%"),
        (Target(TargetKind.RANGE, low=Fraction(12), high=Fraction(20)),
         "12% to 20% (acceptable range)"),
        (Target(TargetKind.AS_HIGH_AS_POSSIBLE), "As high as possible"),
        (Target(TargetKind.NONE), "Not a target measure"),
    ],
)  # fmt: skip
def it_states_each_kind_of_target(target: Target, text: str) -> None:
    assert target_text(percent(target=target, decimals=1)) == text


def it_does_not_rate_a_figure_without_a_value() -> None:
    empty = Figure(NOV, Unit.PERCENT, 0, None, reason="no data")
    spec = Target(TargetKind.VALUE, value=Fraction(80))
    assert rate(empty, targeted(spec), Fraction(80)) is Rag.NOT_RATED


RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN]


@given(
    st.integers(0, 1000), st.integers(0, 1000), st.integers(0, 1000), st.integers(0, 50),
    st.sampled_from([Polarity.HIGHER, Polarity.LOWER]), st.booleans(), st.integers(0, 300),
)  # fmt: skip
def it_never_gives_a_better_value_a_worse_rating(
    a: int, b: int, goal: int, tolerance: int, polarity: Polarity, relative: bool, gap: int
) -> None:
    worse, better = sorted((a, b)) if polarity is Polarity.HIGHER else sorted((a, b), reverse=True)
    floor_at = Fraction(goal - gap if polarity is Polarity.HIGHER else goal + gap, 10)
    for spec in (
        Target(TargetKind.VALUE, value=Fraction(goal, 10), tolerance=Fraction(tolerance, 10),
               relative=relative),
        Target(TargetKind.VALUE, value=Fraction(goal, 10), floor=floor_at),
    ):  # fmt: skip
        indicator = targeted(spec, polarity)
        rag = [rate(shown(str(v / 10), 1), indicator, spec.value) for v in (worse, better)]
        assert RAG_ORDER.index(rag[1]) >= RAG_ORDER.index(rag[0])


@pytest.mark.parametrize(
    ("latest", "previous", "polarity", "movement", "direction"),
    [
        ("93", "89", Polarity.HIGHER, Movement.UP, Direction.IMPROVING),
        ("85", "89", Polarity.HIGHER, Movement.DOWN, Direction.DECLINING),
        ("12", "15", Polarity.LOWER, Movement.DOWN, Direction.IMPROVING),
        ("18", "15", Polarity.LOWER, Movement.UP, Direction.DECLINING),
        ("89.4", "88.6", Polarity.HIGHER, Movement.SAME, Direction.NO_CHANGE),  # both show 89%
        ("93", "89", Polarity.NONE, Movement.UP, Direction.HIGHER),
    ],
)
def it_judges_direction_of_travel_by_polarity(
    latest: str, previous: str, polarity: Polarity, movement: Movement, direction: Direction
) -> None:
    assert travel(shown(latest), shown(previous), polarity) == (movement, direction)


@pytest.mark.parametrize(
    ("latest", "previous", "direction"),
    [("19", "24", Direction.IMPROVING), ("24", "21", Direction.DECLINING),
     ("9", "11", Direction.DECLINING), ("15", "18", Direction.LOWER)],
)  # fmt: skip
def it_judges_a_range_without_polarity_by_distance_from_the_range(
    latest: str, previous: str, direction: Direction
) -> None:
    band = Target(TargetKind.RANGE, low=Fraction(12), high=Fraction(20))
    assert travel(shown(latest), shown(previous), Polarity.NONE, band)[1] is direction


def it_compares_with_the_same_period_last_year_when_asked() -> None:
    data = counts(("2025-10", 80, 100), ("2026-09", 95, 100), ("2026-10", 90, 100))
    previous = compute(percent(), data, Month(2026, 10))
    last_year = compute(percent(compare=Compare.LAST_YEAR), data, Month(2026, 10))
    assert previous.direction is Direction.DECLINING  # 95% in September
    assert last_year.direction is Direction.IMPROVING  # 80% in October 2025
    assert last_year.compared.period == Month(2025, 10)


def it_has_no_direction_without_a_previous_value() -> None:
    empty = Figure(NOV, Unit.PERCENT, 0, None, reason="no data")
    assert travel(shown("50"), empty, Polarity.HIGHER) == (Movement.NONE, Direction.NOT_APPLICABLE)


class DescribeRank:
    def it_ranks_best_first_by_polarity(self) -> None:
        values = {"A": Fraction(79), "B": Fraction(71), "C": Fraction(51)}
        assert rank(values, Polarity.HIGHER) == {"A": 1, "B": 2, "C": 3}
        assert rank(values, Polarity.LOWER) == {"A": 3, "B": 2, "C": 1}

    def it_gives_ties_the_better_rank(self) -> None:
        values = {"A": Fraction(80), "B": Fraction(70), "C": Fraction(70), "D": Fraction(60)}
        assert rank(values, Polarity.HIGHER) == {"A": 1, "B": 2, "C": 2, "D": 4}

    def it_leaves_areas_without_a_value_unranked(self) -> None:
        assert rank({"A": Fraction(1), "B": None}, Polarity.HIGHER) == {"A": 1}

    def it_does_not_rank_without_polarity(self) -> None:
        assert rank({"A": Fraction(1)}, Polarity.NONE) == {}

    @given(
        st.dictionaries(
            st.text(min_size=1, max_size=3), st.integers(0, 20) | st.none(), max_size=12
        ),
        st.randoms(),
    )
    def it_does_not_depend_on_row_order(
        self, values: dict[str, int | None], shuffle: object
    ) -> None:
        items = list(values.items())
        shuffle.shuffle(items)  # type: ignore[attr-defined]
        as_fractions = {k: None if v is None else Fraction(v) for k, v in values.items()}
        shuffled = {k: None if v is None else Fraction(v) for k, v in items}
        assert rank(as_fractions, Polarity.HIGHER) == rank(shuffled, Polarity.HIGHER)

    @given(
        st.lists(st.integers(0, 100), min_size=1, max_size=30),
        st.integers(0, 100), st.integers(0, 100), st.sampled_from([Polarity.HIGHER, Polarity.LOWER]),
    )  # fmt: skip
    def it_never_gives_a_better_value_a_worse_rank_or_band(
        self, others: list[int], a: int, b: int, polarity: Polarity
    ) -> None:
        worse, better = (
            sorted((a, b)) if polarity is Polarity.HIGHER else sorted((a, b), reverse=True)
        )
        population = [Fraction(v) for v in others]
        ranks = [
            rank({"us": Fraction(v), **{str(i): o for i, o in enumerate(population)}}, polarity)[
                "us"
            ]
            for v in (worse, better)
        ]
        assert ranks[1] <= ranks[0]
        bands = [
            quartile(Fraction(v), [*population, Fraction(v)], polarity) for v in (worse, better)
        ]
        order = [Quartile.D, Quartile.C, Quartile.B, Quartile.A]
        assert order.index(bands[1]) >= order.index(bands[0])  # type: ignore[arg-type]


class DescribeQuartile:
    @given(st.lists(st.integers(-1000, 1000), min_size=1, max_size=40), st.sampled_from([1, 2, 3]))
    def it_cuts_where_numpy_does(self, values: list[int], quarter: int) -> None:
        ours = percentile(sorted(Fraction(v) for v in values), Fraction(quarter, 4))
        assert float(ours) == pytest.approx(np.percentile(values, 25 * quarter))

    @pytest.mark.parametrize(
        ("value", "polarity", "band"),
        [(10, Polarity.HIGHER, Quartile.A), (1, Polarity.HIGHER, Quartile.D),
         (10, Polarity.LOWER, Quartile.D), (1, Polarity.LOWER, Quartile.A),
         (5, Polarity.HIGHER, Quartile.C), (6, Polarity.HIGHER, Quartile.B),
         (5, Polarity.NONE, None)],
    )  # fmt: skip
    def it_bands_by_polarity_with_a_as_the_best_quarter(
        self, value: int, polarity: Polarity, band: Quartile | None
    ) -> None:
        # 1..10: cut points 3.25, 5.5 and 7.75
        assert quartile(Fraction(value), [Fraction(v) for v in range(1, 11)], polarity) is band


def group(*neighbours: str) -> ComparatorGroup:
    return ComparatorGroup("Harrow", "Harrow", tuple((n, n) for n in neighbours))


class DescribeBenchmarking:
    def it_builds_the_comparator_group_for_each_year(self) -> None:
        year, old = FinancialYear(2009), FinancialYear(2008)
        rows = [
            BenchmarkValue("NI59", year, "Harrow", Decimal(71)),
            BenchmarkValue("NI59", year, "Ealing", Decimal(79)),
            BenchmarkValue("NI59", year, "Croydon", None, "c"),
            BenchmarkValue("NI59", year, "England", Decimal(67), level=Level.NATIONAL),
            BenchmarkValue("NI59", old, "Harrow", Decimal(99)),
        ]
        years = benchmark(percent(), rows, group("Ealing", "Croydon", "Merton"))
        assert list(years) == [old, year]
        result = years[year]
        assert (result.year, result.rank, result.rank_of) == (year, 2, 2)
        assert [(r.area, r.rank, r.figure.text) for r in result.comparators] == [
            ("Ealing", 1, "79%"), ("Harrow", 2, "71%"),
            ("Croydon", None, "not available"), ("Merton", None, "not available"),
        ]  # fmt: skip
        assert result.comparators[2].figure.reason == "suppressed"
        assert result.figures["Statistical neighbours"].text == "79%"  # mean of those with a value
        assert result.figures["England"].text == "67%"
        assert [r.area for r in result.neighbours_ranked] == ["Ealing"]
        assert (result.rank_all, result.quartile) == (None, None)  # not every authority known

    def it_ranks_among_all_authorities_when_the_data_hold_them_all(self) -> None:
        year = FinancialYear(2024)
        rows = [
            BenchmarkValue("X", year, f"LA{i}", Decimal(i), la_code=f"{i}") for i in range(1, 9)
        ]
        rows += [BenchmarkValue("X", year, "LA9", None, "c", la_code="9")]
        us = ComparatorGroup("3", "LA3", (("1", "LA1"),))
        everyone = tuple(Decimal(i) for i in range(1, 9))  # the suppressed LA has no value
        result = benchmark_year(percent(polarity=Polarity.LOWER), year, rows, us, everyone)
        assert (result.rank_all, result.rank_all_of) == (3, 8)  # the suppressed LA is unranked
        assert result.quartile is Quartile.B  # cut points 2.75, 4.5, 6.25


def it_computes_the_example_figures_of_the_paper() -> None:
    data = counts(
        ("2010-04", 48, 58), ("2010-05", 47, 61), ("2010-06", 44, 62), ("2010-07", 42, 60),
        ("2010-08", 41, 57), ("2010-09", 47, 61), ("2010-10", 51, 57), ("2010-11", 55, 59),
    )  # fmt: skip
    result = compute(percent(), data, NOV)
    assert result.latest.text_with_counts == "93% (55 of 59)"
    assert result.previous.text_with_counts == "89% (51 of 57)"
    assert result.ytd.text == "79%"
    assert result.ytd_at(Month(2010, 9)).text == "75%"
    assert (result.rag, result.direction) == (Rag.NOT_RATED, Direction.IMPROVING)
