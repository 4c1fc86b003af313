"""Ranks where the DfE suppressed figures (`c`: a count of 1 to 5): papers say how many, that
the rank is among those with published figures, and, where the file's own counts bound the
suppressed values, which ranks they allow. Also the standing of an indicator that is not
ranked, and a DfE figure's numerator without a denominator.
"""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from conftest import REPO

from reportgen import Workspace
from reportgen.domain.model import BenchmarkValue, Indicator, Polarity, Unit
from reportgen.domain.periods import FinancialYear, Grain, Month
from reportgen.errors import Problems
from reportgen.inputs.project import Project, load_project
from reportgen.paper.charts import comparator_alt_text
from reportgen.paper.context import narrative_names
from reportgen.paper.narrative import NarrativeRenderer
from reportgen.paper.scorecard import _row
from reportgen.paper.tables import comparator_table, standing_cells
from reportgen.results.compute import IndicatorResult
from reportgen.results.lait import (
    Population,
    RankRange,
    nth,
    rank_range,
    suppressed_bounds,
)
from reportgen.results.ranking import ComparatorGroup, benchmark_year
from reportgen.results.records import published

D5 = REPO / "data/dfe/d5_cpps_at31march_by_duration_2013_to_2025.csv"
YEAR = FinancialYear(2024)  # time_period 2025, the latest in the file
HARROW = "310"


@pytest.mark.parametrize(
    ("number", "words"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (22, "22nd"), (101, "101st"), (111, "111th"), (112, "112th"), (153, "153rd")],
)  # fmt: skip
def it_writes_a_rank_as_an_ordinal_number(number: int, words: str) -> None:
    assert nth(number) == words


@pytest.mark.parametrize(
    ("unit", "denominator", "places", "bounds"),
    [
        # Reading's 2 years or more: c of 275 plans, published to one decimal place.
        (Unit.PERCENT, "275", 1, ("0.4", "1.8")),
        (Unit.PERCENT, "161", 1, ("0.6", "3.1")),  # Slough: 5 of 161 is 3.1%
        (Unit.PERCENT, "40", 0, ("3", "13")),  # 2.5% rounds half up to 3%; 12.5% to 13%
        (Unit.PERCENT, "4", 0, ("0", "100")),  # out of 4, the count may be 0 to 4
        (Unit.RATE_PER_10K, "20000", 0, ("1", "3")),  # 0.5 and 2.5 per 10,000, half up
        (Unit.COUNT, None, 0, ("1", "5")),
        (Unit.PERCENT, None, 1, None),  # no denominator: any value
        (Unit.PERCENT, "0", 1, None),
        (Unit.AVERAGE, "10", 1, None),  # an average's count is its denominator
        (Unit.NUMBER, "10", 1, None),
    ],
)
def it_bounds_a_suppressed_figure_by_its_count_of_1_to_5(
    unit: Unit, denominator: str | None, places: int, bounds: tuple[str, str] | None
) -> None:
    given = None if denominator is None else Decimal(denominator)
    expected = None if bounds is None else (Decimal(bounds[0]), Decimal(bounds[1]))
    assert suppressed_bounds(unit, given, places) == expected


LOW, HIGH = Polarity.LOWER, Polarity.HIGHER


def b(low: str, high: str) -> tuple[Decimal, Decimal]:
    return Decimal(low), Decimal(high)


@pytest.mark.parametrize(
    ("value", "polarity", "bounds", "allowed"),
    [
        # 4th of 7 published, at 3.3% where lower is better.
        ("3.3", LOW, [b("0.4", "1.8")], RankRange(5, 5, 8)),  # surely better
        ("3.3", LOW, [b("3.4", "9.0")], RankRange(4, 4, 8)),  # surely worse
        ("3.3", LOW, [b("2.0", "4.0")], RankRange(4, 5, 8)),  # either
        ("3.3", LOW, [b("3.3", "4.0")], RankRange(4, 4, 8)),  # a tie shares the rank
        ("3.3", HIGH, [b("3.3", "4.0")], RankRange(4, 5, 8)),
        ("3.3", HIGH, [b("1.0", "3.3")], RankRange(4, 4, 8)),
        ("3.3", LOW, [b("0.4", "1.8"), None], RankRange(5, 6, 9)),  # None: anything
        ("3.3", LOW, [None, None], None),  # nothing bounded: only the count is known
        ("3.3", Polarity.NONE, [b("0.4", "1.8")], None),
    ],
)
def it_gives_the_ranks_suppressed_counts_allow(
    value: str,
    polarity: Polarity,
    bounds: list[tuple[Decimal, Decimal] | None],
    allowed: RankRange | None,
) -> None:
    assert rank_range(Decimal(value), 4, 7, bounds, polarity) == allowed


def it_words_a_range_of_ranks() -> None:
    assert (RankRange(8, 8, 11).text, RankRange(8, 8, 11).short) == ("8th of 11", "8th of 11")
    assert RankRange(4, 8, 11).text == "between 4th and 8th of 11"
    assert RankRange(4, 8, 11).short == "4th–8th of 11"
    assert str(RankRange(21, 22, 153)) == "between 21st and 22nd of 153"


CP = Indicator("CP", "Plans lasting 2 years or more", Unit.PERCENT, Polarity.LOWER,
               grain=Grain.YEAR, decimals=1)  # fmt: skip


def row(code: str, value: str | None, denominator: str | None = None) -> BenchmarkValue:
    return BenchmarkValue(
        "CP", YEAR, f"LA{code}", None if value is None else Decimal(value),
        "c" if value is None else "", la_code=code,
        denominator=None if denominator is None else Decimal(denominator),
    )  # fmt: skip


class DescribeBenchmarkingWithSuppressedFigures:
    def it_counts_suppressed_neighbours_and_bounds_their_ranks(self) -> None:
        rows = [row("1", "3.3"), row("2", "0.0"), row("3", "4.0"), row("4", None, "200"),
                row("5", None, "100"), row("6", None)]  # fmt: skip
        group = ComparatorGroup("1", "Us", tuple((c, f"LA{c}") for c in "23456"))
        population = Population(
            [Decimal(v) for v in ("3.3", "0.0", "4.0", "1.5")], [Decimal(200), Decimal(100), None]
        )
        result = benchmark_year(CP, YEAR, rows, group, population)
        # Published: 0.0, 3.3 (us), 4.0: 2nd of 3. LA4 is 0.5% to 2.5%, surely better;
        # LA5 1% to 5%, either; LA6 has no denominator, so either.
        assert (result.rank, result.rank_of, result.suppressed) == (2, 3, 3)
        assert result.rank_range == RankRange(3, 5, 6)
        assert result.rank_lines == ("2nd of 3", "3 suppressed", "3rd–5th of 6 with them")
        # Among all: 0.0 and 1.5 are better: 3rd of 4; the same three are suppressed.
        assert (result.rank_all, result.rank_all_of, result.suppressed_all) == (3, 4, 3)
        assert result.rank_all_range == RankRange(4, 6, 7)
        average = result.figures["Statistical neighbours"]
        assert average.exact == Fraction(2) and average.text == "2.0%"
        assert average.note == "mean of the 2 neighbours with published figures; 3 suppressed"

    def it_says_only_how_many_when_nothing_bounds_them(self) -> None:
        rows = [row("1", "3.3"), row("2", "0.0"), row("3", None)]
        group = ComparatorGroup("1", "Us", (("2", "LA2"), ("3", "LA3")))
        result = benchmark_year(CP, YEAR, rows, group, Population([Decimal("3.3"), Decimal(0)]))
        assert (result.rank, result.suppressed, result.rank_range) == (2, 1, None)
        assert result.rank_lines == ("2nd of 2", "1 suppressed")
        assert (result.suppressed_all, result.rank_all_lines) == (0, ("2 of 2",))

    def it_leaves_unsuppressed_ranks_as_they_were(self) -> None:
        rows = [row("1", "3.3"), row("2", "0.0"), row("3", "4.0")]
        group = ComparatorGroup("1", "Us", (("2", "LA2"), ("3", "LA3")))
        result = benchmark_year(CP, YEAR, rows, group, Population([Decimal("3.3")]))
        assert (result.rank_lines, result.suppressed, result.rank_range) == (("2 of 3",), 0, None)
        assert result.figures["Statistical neighbours"].note == (
            "mean of the 2 neighbours with published figures"
        )

    def it_does_not_count_the_authoritys_own_suppressed_figure(self) -> None:
        rows = [row("1", None, "100"), row("2", "0.0")]
        group = ComparatorGroup("1", "Us", (("2", "LA2"),))
        population = Population([Decimal(0)], [Decimal(100), Decimal(50)])
        result = benchmark_year(CP, YEAR, rows, group, population)
        assert (result.rank, result.suppressed, result.rank_all, result.suppressed_all) == (
            None, 0, None, 1,
        )  # fmt: skip


# ---------------------------------------------------------------------------------------
# Harrow's child protection plans lasting two years or more (d5), 2024-25


@pytest.fixture(scope="module")
def cp2(repo_project: Project) -> IndicatorResult:
    (result,) = repo_project.results(["CP2"], Month(2026, 10))
    assert result.benchmarking is not None and result.benchmarking.year == YEAR
    return result


def d5_rows() -> dict[str, dict[str, str]]:
    """The file's 2025 local authority rows by old_la_code, read with csv alone."""
    with D5.open(encoding="utf-8-sig", newline="") as handle:
        return {
            r["old_la_code"]: r
            for r in csv.DictReader(handle)
            if r["time_period"] == "2025" and r["geographic_level"] == "Local authority"
        }


def percent(count: int, plans: str) -> Decimal:
    """`count` of `plans` as the d5 file publishes a percentage: to one place, half up."""
    return (Decimal(100 * count) / Decimal(plans)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def it_bounds_harrows_rank_from_the_d5_file_itself(
    repo_project: Project, cp2: IndicatorResult
) -> None:
    rows = d5_rows()
    own = Decimal(rows[HARROW]["2_years_or_more_percent"])  # 3.3, lower is better
    neighbours = repo_project.authority.neighbour_codes
    published = [c for c in neighbours if rows[c]["2_years_or_more_percent"] != "c"]
    hidden = [c for c in neighbours if rows[c]["2_years_or_more_percent"] == "c"]
    assert [rows[c]["la_name"] for c in hidden] == ["Barnet", "Reading", "Hounslow", "Slough"]
    # Each hides a count of 1 to 5 over its published number of plans: at most 5 of 161
    # (Slough, 3.1%), all below Harrow's 3.3%, so each would rank above Harrow.
    assert max(percent(5, rows[c]["CPP_At31"]) for c in hidden) == Decimal("3.1") < own
    better = sum(1 for c in published if Decimal(rows[c]["2_years_or_more_percent"]) < own)
    benchmarking = cp2.benchmarking
    assert benchmarking is not None
    assert (benchmarking.rank, benchmarking.rank_of) == (better + 1, len(published) + 1) == (4, 7)
    assert benchmarking.suppressed == len(hidden) == 4
    assert benchmarking.rank_range == RankRange(8, 8, 11)
    # Among all authorities: 59 suppressed; those whose 1 to 5 is surely below 3.3% (as
    # published to one place) rank above Harrow, those that may be below may.
    values = {c: r["2_years_or_more_percent"] for c, r in rows.items()}
    numbers = [Decimal(v) for v in values.values() if v not in ("c", "x", "z", ":", "")]
    suppressed = [rows[c]["CPP_At31"] for c, v in values.items() if v == "c"]
    surely = sum(1 for plans in suppressed if percent(5, plans) < own)
    maybe = sum(1 for plans in suppressed if percent(1, plans) < own)
    rank_all = 1 + sum(1 for v in numbers if v < own)
    assert (benchmarking.rank_all, benchmarking.rank_all_of) == (rank_all, len(numbers)) == (53, 94)
    assert benchmarking.suppressed_all == len(suppressed) == 59
    assert benchmarking.rank_all_range == RankRange(
        rank_all + surely, rank_all + maybe, len(numbers) + 59
    ) == RankRange(105, 112, 153)  # fmt: skip


STANDING = (
    "Harrow ranks 4th of 7 among itself and its statistical neighbours with published "
    "figures and 53rd of 94 among all local authorities with published figures (1 = best). "
    "Quartile band: C (third quarter). 4 neighbours' figures are suppressed (the DfE "
    "withholds counts of 1 to 5); counting them, at 1 to 5 each, Harrow would rank 8th of "
    "11. 59 other local authorities' figures are suppressed; counting them, at 1 to 5 each, "
    "Harrow would rank between 105th and 112th of 153. The statistical neighbour average is "
    "of the 6 neighbours with published figures."
)


def it_says_in_the_comparator_table_what_is_suppressed(
    repo_project: Project, cp2: IndicatorResult
) -> None:
    assert cp2.benchmarking is not None
    table = comparator_table(cp2.indicator, cp2.benchmarking, repo_project.authority)
    assert table["standing"] == STANDING
    rows = [(r["rank"], r["area"], r["value"]) for r in table["rows"]]
    assert rows[7:] == [
        ("–", "Barnet", "Suppressed"), ("–", "Hounslow", "Suppressed"),
        ("–", "Reading", "Suppressed"), ("–", "Slough", "Suppressed"),
        ("–", "Statistical neighbour average (6 with published figures)", "2.8%"),
        ("–", "Outer London", "3.8%"), ("–", "England", "2.3%"),
    ]  # fmt: skip


def it_prints_short_rank_cells(cp2: IndicatorResult) -> None:
    assert cp2.benchmarking is not None
    cells = [cell.text for cell in _row(cp2, [cp2.period], dated=False)]
    assert cells[-1] == "4th of 7\n4 suppressed\n8th of 11 with them\nBand C"
    assert standing_cells(cp2.benchmarking) == [
        "4th of 7, 4 suppressed, 8th of 11 with them",
        "53rd of 94, 59 suppressed, 105th–112th of 153 with them",
        "C",
    ]
    assert published(cp2, []).rank == "4th of 7; 4 suppressed; 8th of 11 with them"


def it_says_so_in_the_charts_alt_text(cp2: IndicatorResult) -> None:
    assert cp2.benchmarking is not None
    assert comparator_alt_text(cp2, cp2.benchmarking, "Harrow").startswith(
        "Child protection plans at 31 March that had lasted two years or more in 2024-25: "
        "Harrow 3.3%, ranked 4th of 7 among itself and its statistical neighbours with "
        "published figures (1 = best). 4 neighbours' figures are suppressed (the DfE "
        "withholds counts of 1 to 5); counting them, at 1 to 5 each, Harrow would rank 8th "
        "of 11. Neighbours ranged from"
    )


def render(project: Project, result: IndicatorResult, text: str) -> str:
    names = narrative_names([result], project.authority, Month(2026, 10), None, "Committee")
    rendered = NarrativeRenderer(names, [result.indicator.id]).render(text, "p.yaml", 1, "key")
    assert isinstance(rendered, str), rendered
    return rendered


def it_gives_narrative_the_rank_with_what_is_suppressed(
    repo_project: Project, cp2: IndicatorResult
) -> None:
    text = (
        "{{ CP2.rank_words }}; {{ CP2.suppressed }} suppressed; {{ CP2.rank_range }} | "
        "{{ CP2.rank_all_words }}; {{ CP2.suppressed_all }}; {{ CP2.rank_all_range }} "
        "({{ CP2.rank_all_range.best }} to {{ CP2.rank_all_range.worst }}) | "
        "{{ CP2.rank }} of {{ CP2.rank_of }} | "
        "{{ CP2.benchmarks['Statistical neighbours'].note }}"
    )
    assert render(repo_project, cp2, text) == (
        "4th of 7 with published figures; 4 suppressed; 8th of 11 | "
        "53rd of 94 with published figures; 59; between 105th and 112th of 153 (105 to 112) | "
        "4 of 7 | mean of the 6 neighbours with published figures; 4 suppressed"
    )
    (cin1,) = repo_project.results(["CIN1"], Month(2026, 10))
    assert (
        render(repo_project, cin1, "{{ CIN1.rank_words }}, {{ CIN1.suppressed }}") == "3rd of 11, 0"
    )
    problems = NarrativeRenderer(
        narrative_names([cin1], repo_project.authority, Month(2026, 10), None, "C"), ["CIN1"]
    ).render("{{ CIN1.rank_range }}", "p.yaml", 1, "key")
    assert isinstance(problems, list)
    assert problems[0].what == "CIN1 has no range of ranks for 2024-25"


# ---------------------------------------------------------------------------------------
# Kent: an indicator with no better direction, and a numerator without a denominator


@pytest.fixture(scope="module")
def kent(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("kent") / "council"
    Workspace(root).init("886")
    problems = Problems()
    loaded = load_project(root, problems, keep_files=False)
    assert loaded is not None and not problems.items, problems.items
    return loaded


def it_says_an_indicator_with_no_better_direction_is_not_ranked(kent: Project) -> None:
    (result,) = kent.results(["LAC4"], Month(2026, 10))
    assert result.indicator.polarity is Polarity.NONE and result.benchmarking is not None
    assert result.benchmarking.own.text == "53 per 10,000"  # Kent has a value
    table = comparator_table(result.indicator, result.benchmarking, kent.authority)
    assert table["standing"] == (
        "Kent is not ranked: neither a higher nor a lower figure is better for this indicator."
    )
    problems = NarrativeRenderer(
        narrative_names([result], kent.authority, Month(2026, 10), None, "C"), ["LAC4"]
    ).render("{{ LAC4.rank }}", "p.yaml", 1, "key")
    assert isinstance(problems, list)
    assert (problems[0].what, problems[0].fix) == (
        "LAC4 has no rank for 2024-25",
        "neither a higher nor a lower figure is better for it",
    )


def it_keeps_a_numerator_whose_mapping_has_no_denominator(kent: Project) -> None:
    # CL2 maps care_leaver_count as its numerator and no denominator: Kent's 610 care
    # leavers aged 19 to 21 in education, employment or training, 51%.
    assert kent.catalogue["CL2"].dfe is not None and not kent.catalogue["CL2"].dfe.denominator
    (result,) = kent.results(["CL2"], Month(2026, 10))
    assert render(kent, result, "{{ CL2.published }} ({{ CL2.published.numerator }})") == (
        "51% (610)"
    )
    # The latest figure, the same DfE row, keeps its count too.
    assert render(kent, result, "{{ CL2.latest }} ({{ CL2.latest.numerator }})") == "51% (610)"
    assert result.benchmarking is not None
    own = result.benchmarking.own
    assert own.numerator == 610 and own.denominator is None and own.text_with_counts == "51%"
