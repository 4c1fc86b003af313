"""Ranks, quartile bands and regions exactly as the DfE's Local Authority Interactive Tool
(LAIT) gives them: its own test cases, and the Harrow figures where reportgen used to differ.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from reportgen.domain.model import (
    BenchmarkValue,
    Indicator,
    Level,
    Polarity,
    Quartile,
    Unit,
)
from reportgen.domain.periods import FinancialYear, Grain, Month
from reportgen.inputs.dfe import Series, _load_cache, _store_cache
from reportgen.inputs.project import Project
from reportgen.paper.context import narrative_names
from reportgen.paper.narrative import NarrativeRenderer
from reportgen.paper.tables import comparator_table
from reportgen.results.lait import (
    Population,
    percentile,
    quartile,
    quartile_band,
    rank,
    rank_among,
)
from reportgen.results.ranking import ComparatorGroup, benchmark_year

ERROR = "Error"  # what LAIT gives for a value in no band; here a ValueError
NA = None
LOW, HIGH = Polarity.LOWER, Polarity.HIGHER
BANDS = (0, 25, 50, 75, 100)
CUSTOM_BANDS = (10, 20, NA, 40, 50)  # LAIT's "non-standard" bands, with the 50% cut NA

# LAIT's own cases for calculate_quartile_band(), copied from
# dfe-analytical-services/local-authority-interactive-tool, tests/testthat/test-fn_analysis.R
# (commit 2e30e3959a6ab8b2d22941b84764da41a40ac91b); its "Low" polarity is our LOWER and
# "High" our HIGHER. Its test 6 (an empty vector gives an empty vector) has no counterpart
# for one value.
LAIT_QUARTILE_BAND_CASES = [
    # 1. values within each quartile
    (10, BANDS, LOW, "A"), (30, BANDS, LOW, "B"), (60, BANDS, LOW, "C"), (80, BANDS, LOW, "D"),
    (10, BANDS, HIGH, "D"), (30, BANDS, HIGH, "C"), (60, BANDS, HIGH, "B"),
    (80, BANDS, HIGH, "A"),
    # 2. boundary values
    (0, BANDS, LOW, "A"), (25, BANDS, LOW, "A"), (50, BANDS, LOW, "B"), (75, BANDS, LOW, "C"),
    (100, BANDS, LOW, "D"),
    # 3. NA
    (NA, BANDS, HIGH, NA),
    # 4. outside the bands
    (-10, BANDS, LOW, ERROR), (110, BANDS, HIGH, ERROR),
    # 5. non-standard bands, one cut NA
    (15, CUSTOM_BANDS, LOW, "A"), (25, CUSTOM_BANDS, LOW, ERROR),
    (35, CUSTOM_BANDS, HIGH, ERROR), (45, CUSTOM_BANDS, LOW, "D"),
    (5, CUSTOM_BANDS, HIGH, ERROR), (55, CUSTOM_BANDS, LOW, ERROR),
    (20, CUSTOM_BANDS, HIGH, "D"),  # on the 25% cut, higher is better: the worse band
]  # fmt: skip


@pytest.mark.parametrize(("value", "cuts", "polarity", "band"), LAIT_QUARTILE_BAND_CASES)
def it_bands_as_lait_does(
    value: int | None, cuts: tuple[int | None, ...], polarity: Polarity, band: str | None
) -> None:
    exact = None if value is None else Fraction(value)
    bounds = [None if cut is None else Fraction(cut) for cut in cuts]
    if band == ERROR:
        with pytest.raises(ValueError, match="in no quartile band"):
            quartile_band(exact, bounds, polarity)
    else:
        assert quartile_band(exact, bounds, polarity) == (band and Quartile(band))


def it_gives_no_band_without_a_polarity() -> None:
    # LAIT gives "-" for a polarity other than High or Low.
    assert quartile_band(Fraction(30), [Fraction(c) for c in BANDS], Polarity.NONE) is None


# LAIT's own cases for calculate_rank(), from the same file: values in row order, polarity,
# and the ranks LAIT expects (NA: unranked). Ties take the better (minimum) rank.
LAIT_RANK_CASES = [
    ([10, 20, 30, 40, 50], LOW, [1, 2, 3, 4, 5]),  # 1. normal ranking
    ([10, 20, 20, 30, 40], HIGH, [5, 3, 3, 2, 1]),  # 2. ties
    ([10, NA, 30, 20, NA], LOW, [1, NA, 3, 2, NA]),  # 3. missing values
    ([], HIGH, []),  # 4. empty
    ([NA, NA, NA], LOW, [NA, NA, NA]),  # 5. all missing
]


@pytest.mark.parametrize(("values", "polarity", "ranks"), LAIT_RANK_CASES)
def it_ranks_as_lait_does(
    values: list[int | None], polarity: Polarity, ranks: list[int | None]
) -> None:
    areas = {str(i): None if v is None else Fraction(v) for i, v in enumerate(values)}
    ranked = rank(areas, polarity)
    assert [ranked.get(str(i)) for i in range(len(values))] == ranks
    # Ranked among all authorities (a sorted population), each value gets the same rank.
    population = sorted(v for v in areas.values() if v is not None)
    assert [
        None if v is None else rank_among(v, population, polarity) for v in areas.values()
    ] == ranks


@pytest.mark.parametrize(
    ("values", "cuts"),
    [
        # R's quantile() (type 7, LAIT's cut points): quantile(1:4), quantile(1:10),
        # quantile(c(10, 20, 30)), quantile(c(3, 1, 2, 2)).
        ([1, 2, 3, 4], ["1", "1.75", "2.5", "3.25", "4"]),
        (list(range(1, 11)), ["1", "3.25", "5.5", "7.75", "10"]),
        ([10, 20, 30], ["10", "15", "20", "25", "30"]),
        ([3, 1, 2, 2], ["1", "1.75", "2", "2.25", "3"]),
    ],
)
def it_cuts_where_r_quantile_does(values: list[int], cuts: list[str]) -> None:
    ordered = sorted(Fraction(v) for v in values)
    assert [percentile(ordered, Fraction(n, 4)) for n in range(5)] == [Fraction(c) for c in cuts]


@pytest.mark.parametrize(
    ("value", "polarity", "band"),
    [
        # 1..10: cut points 3.25, 5.5, 7.75; 1..9: 3, 5, 7, so 3, 5 and 7 are on cuts.
        (3, HIGH, Quartile.D), (5, HIGH, Quartile.C), (7, HIGH, Quartile.B), (8, HIGH, Quartile.A),
        (3, LOW, Quartile.A), (5, LOW, Quartile.B), (7, LOW, Quartile.C), (8, LOW, Quartile.D),
        (1, HIGH, Quartile.D), (9, HIGH, Quartile.A), (1, LOW, Quartile.A), (9, LOW, Quartile.D),
    ],
)  # fmt: skip
def it_puts_a_value_on_a_cut_point_in_the_band_below_it(
    value: int, polarity: Polarity, band: Quartile
) -> None:
    assert quartile(Fraction(value), [Fraction(v) for v in range(1, 10)], polarity) is band


# ---------------------------------------------------------------------------------------
# The real DfE files in data/dfe/: Harrow (old_la_code 310)


@pytest.mark.parametrize(
    ("indicator", "year", "value", "cut", "band"),
    [
        # Same carer for two years, 2022-23: 64% is the 25th percentile: D, not C.
        ("LAC2", FinancialYear(2022), 64, 1, Quartile.D),
        # Care leavers in suitable accommodation, 2022-23: 90% is the median: C, not B.
        ("CL1", FinancialYear(2022), 90, 2, Quartile.C),
        # Care leavers in education, employment or training, 2020-21: 52%, the median: C.
        ("CL2", FinancialYear(2020), 52, 2, Quartile.C),
    ],
)
def it_gives_harrow_laits_band_where_its_value_is_on_a_cut_point(
    repo_project: Project, indicator: str, year: FinancialYear, value: int, cut: int, band: Quartile
) -> None:
    assert repo_project.catalogue[indicator].polarity is Polarity.HIGHER
    benchmarking = repo_project.benchmark_years(indicator)[year]
    assert benchmarking.own.exact == value
    population = sorted(repo_project.populations[indicator][year])
    assert percentile(population, Fraction(cut, 4)) == value  # exactly on the cut
    assert benchmarking.quartile is band


def it_shows_an_outer_london_boroughs_region_as_lait_does(repo_project: Project) -> None:
    year = FinancialYear(2024)  # time_period 2025
    benchmarking = repo_project.benchmark_years("CIN1")[year]
    assert benchmarking.region == "Outer London"
    assert benchmarking.figures["Outer London"].text == "19.6%"
    assert benchmarking.figures["London"].text == "19.4%"  # still there, but not shown
    table = comparator_table(repo_project.catalogue["CIN1"], benchmarking, repo_project.authority)
    assert [row["area"] for row in table["rows"][-3:]] == [
        "Statistical neighbour average", "Outer London", "England",
    ]  # fmt: skip
    assert table["rows"][-2]["value"] == "19.6%"
    (result,) = repo_project.results(["CIN1"], Month(2026, 10))
    names = narrative_names([result], repo_project.authority, Month(2026, 10), None, "Committee")
    rendered = NarrativeRenderer(names, ["CIN1"]).render(
        "{{ CIN1.region }} in {{ CIN1.benchmark_year }}", "paper.yaml", 1, "summary"
    )
    assert rendered == "19.6% in 2024-25"


def it_falls_back_to_the_region_where_a_file_has_no_figure_for_its_part() -> None:
    # LAIT's clean_ldn_region: Outer London with no figure shows London.
    year = FinancialYear(2024)
    indicator = Indicator("RR", "Re-referrals", Unit.PERCENT, Polarity.LOWER, grain=Grain.YEAR)
    group = ComparatorGroup("310", "Harrow", (("302", "Barnet"),), region="London")
    own = BenchmarkValue("RR", year, "Harrow", Decimal("15.6"), la_code="310",
                         region="Outer London")  # fmt: skip
    london = BenchmarkValue("RR", year, "London", Decimal("19.4"), level=Level.REGION)
    outer = BenchmarkValue("RR", year, "Outer London", Decimal("19.6"), level=Level.REGION)
    coded = BenchmarkValue("RR", year, "Outer London", None, "x", level=Level.REGION)
    assert benchmark_year(indicator, year, [own, london, outer], group).region == "Outer London"
    assert benchmark_year(indicator, year, [own, london], group).region == "London"
    assert benchmark_year(indicator, year, [own, london, coded], group).region == "London"
    # A file that names only the region, as the model does, shows the region.
    plain = BenchmarkValue("RR", year, "Harrow", Decimal("15.6"), la_code="310", region="London")
    assert benchmark_year(indicator, year, [plain, london, outer], group).region == "London"


def it_keeps_only_the_authoritys_region_and_its_parts(repo_project: Project) -> None:
    regions = {row.area for row in repo_project.benchmarks["CIN1"] if row.level is Level.REGION}
    assert regions == {"London", "Inner London", "Outer London"}
    (own,) = [
        row
        for row in repo_project.benchmarks["CIN1"]
        if row.la_code == "310" and row.year == FinancialYear(2024)
    ]
    assert own.region == "Outer London"


def it_keeps_the_region_and_the_suppressed_in_the_cache(
    repo_project: Project, tmp_path: Path
) -> None:
    year = FinancialYear(2024)
    series = Series(repo_project.benchmarks["CP2"], dict(repo_project.populations["CP2"]))
    _store_cache(tmp_path, "cp2", series)
    again = _load_cache(tmp_path, "cp2")
    assert again is not None and again.rows == series.rows
    kept, read = again.populations[year], series.populations[year]
    assert isinstance(kept, Population) and isinstance(read, Population)
    assert (kept, kept.suppressed) == (read, read.suppressed)
    assert len(kept.suppressed) == 59 and {row.region for row in again.rows} >= {"Outer London"}
