"""Year to date, RAG, direction of travel and rank, as tables of cases and as properties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen.compute import (
    Figure,
    benchmark,
    compute,
    month_figure,
    rank,
    rate,
    travel,
    ytd_figure,
)
from reportgen.model import (
    BenchmarkValue,
    Direction,
    Indicator,
    Movement,
    Observation,
    Polarity,
    Rag,
    Status,
    Unit,
    YtdMethod,
)
from reportgen.periods import FinancialYear, Month

NOV = Month(2010, 11)


def percent(ytd: YtdMethod = YtdMethod.RATIO, **changes: object) -> Indicator:
    fields: dict[str, object] = {
        "id": "NI59", "title": "Initial assessments", "unit": Unit.PERCENT,
        "polarity": Polarity.HIGHER, "ytd": ytd,
    }  # fmt: skip
    fields.update(changes)
    return Indicator(**fields)  # type: ignore[arg-type]


def counts(*rows: tuple[str, int, int]) -> dict[Month, Observation]:
    return {
        Month.parse(m): Observation("NI59", Month.parse(m), Decimal(n), Decimal(d))
        for m, n, d in rows
    }


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

    def it_sums_counts_and_takes_the_latest_snapshot(self) -> None:
        rows = {
            Month(2010, m): Observation("X", Month(2010, m), value=Decimal(v))
            for m, v in ((4, 10), (5, 20), (6, 5))
        }
        count = percent(unit=Unit.COUNT)
        assert (
            ytd_figure(percent(YtdMethod.SUM, unit=Unit.COUNT), rows, Month(2010, 6)).text == "35"
        )
        assert (
            ytd_figure(percent(YtdMethod.LATEST, unit=Unit.COUNT), rows, Month(2010, 6)).text == "5"
        )
        assert ytd_figure(count, rows, Month(2010, 6)).has_value is False

    def it_gives_no_value_with_a_reason_for_a_zero_denominator(self) -> None:
        data = counts(("2010-04", 0, 0))
        assert month_figure(percent(), data, Month(2010, 4)).reason.startswith(
            "no cases in April 2010"
        )
        ytd = ytd_figure(percent(), data, Month(2010, 4))
        assert (ytd.has_value, ytd.text) == (False, "not available")

    def it_says_when_there_is_no_data(self) -> None:
        assert ytd_figure(percent(), {}, NOV).reason == "no data from April 2010 to November 2010"
        assert month_figure(percent(), {}, NOV).reason == "no data for November 2010"

    def it_keeps_a_not_available_row_as_no_value_with_its_note(self) -> None:
        row = Observation(
            "NI59", NOV, status=Status.NOT_AVAILABLE, note="supplied by Cafcass, not yet received"
        )
        figure = month_figure(percent(), {NOV: row}, NOV)
        assert figure.reason == "supplied by Cafcass, not yet received"

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
    ("50", 50, 0, Polarity.NONE, Rag.NOT_RATED),
    ("50", None, 0, Polarity.HIGHER, Rag.NOT_RATED),
]


@pytest.mark.parametrize(("value", "target", "tolerance", "polarity", "expected"), RAG_CASES)
def it_rates_against_target_at_displayed_precision(
    value: str, target: int | None, tolerance: int, polarity: Polarity, expected: Rag
) -> None:
    goal = None if target is None else Fraction(target)
    assert rate(shown(value), goal, Fraction(tolerance), polarity) is expected


def it_does_not_rate_a_figure_without_a_value() -> None:
    empty = Figure(NOV, Unit.PERCENT, 0, None, reason="no data")
    assert rate(empty, Fraction(80), Fraction(0), Polarity.HIGHER) is Rag.NOT_RATED


RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN]


@given(
    st.integers(0, 1000), st.integers(0, 1000), st.integers(0, 1000), st.integers(0, 50),
    st.sampled_from([Polarity.HIGHER, Polarity.LOWER]),
)  # fmt: skip
def it_never_gives_a_better_value_a_worse_rating(
    a: int, b: int, target: int, tolerance: int, polarity: Polarity
) -> None:
    worse, better = sorted((a, b)) if polarity is Polarity.HIGHER else sorted((a, b), reverse=True)
    rag = [
        rate(shown(str(v / 10), 1), Fraction(target, 10), Fraction(tolerance, 10), polarity)
        for v in (worse, better)
    ]
    assert RAG_ORDER.index(rag[1]) >= RAG_ORDER.index(rag[0])


@pytest.mark.parametrize(
    ("latest", "previous", "polarity", "movement", "direction"),
    [
        ("93", "89", Polarity.HIGHER, Movement.UP, Direction.IMPROVING),
        ("85", "89", Polarity.HIGHER, Movement.DOWN, Direction.DECLINING),
        ("12", "15", Polarity.LOWER, Movement.DOWN, Direction.IMPROVING),
        ("18", "15", Polarity.LOWER, Movement.UP, Direction.DECLINING),
        ("89.4", "88.6", Polarity.HIGHER, Movement.SAME, Direction.NO_CHANGE),  # both show 89%
        ("93", "89", Polarity.NONE, Movement.UP, Direction.NOT_APPLICABLE),
    ],
)
def it_judges_direction_of_travel_by_polarity(
    latest: str, previous: str, polarity: Polarity, movement: Movement, direction: Direction
) -> None:
    assert travel(shown(latest), shown(previous), polarity) == (movement, direction)


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

    def it_builds_the_comparator_group_from_the_latest_year(self) -> None:
        year, old = FinancialYear(2009), FinancialYear(2008)
        rows = [
            BenchmarkValue("NI59", year, "Harrow", Decimal(71)),
            BenchmarkValue("NI59", year, "Ealing", Decimal(79)),
            BenchmarkValue("NI59", year, "Croydon", None, "c"),
            BenchmarkValue("NI59", year, "England", Decimal(67)),
            BenchmarkValue("NI59", old, "Harrow", Decimal(99)),
        ]
        result = benchmark(percent(), rows, "Harrow", ["Ealing", "Croydon", "Merton"])
        assert result is not None
        assert (result.year, result.rank, result.rank_of) == (year, 2, 2)
        assert [(r.area, r.rank, r.figure.text) for r in result.comparators] == [
            ("Ealing", 1, "79%"), ("Harrow", 2, "71%"),
            ("Croydon", None, "not available"), ("Merton", None, "not available"),
        ]  # fmt: skip
        assert result.comparators[2].figure.reason == "suppressed"
        assert (
            result.figures["Statistical neighbours"].text == "79%"
        )  # the mean of those with a value
        assert result.figures["England"].text == "67%"


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
