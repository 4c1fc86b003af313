"""Benchmarks from the DfE's published files: cross-checked against the files themselves,
and every way a catalogue mapping can be wrong."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, SCORECARD, SCORECARD_NARRATIVE, edit

from reportgen import Workspace
from reportgen.domain.periods import FinancialYear, Month
from reportgen.errors import InputError, Problems
from reportgen.inputs.project import load_project

DFE = REPO / "data" / "dfe"
HARROW = "310"


def problems_of(project: Path) -> list[str]:
    problems = Problems()
    load_project(project, problems)
    return [str(p.relative_to(project)) for p in problems.items]


def published(file: str, column: str, **filters: str) -> dict[str, dict[str, str]]:
    """{time_period: {old_la_code: value}} for local authority rows, read with csv alone."""
    with (DFE / file).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        if row["geographic_level"] != "Local authority":
            continue
        if all(row[k] == v for k, v in filters.items()):
            found.setdefault(row["time_period"], {})[row["old_la_code"]] = row[column]
    return found


def independent_rank_and_band(
    values: dict[str, str], code: str, higher_is_better: bool
) -> tuple[int, int, str]:
    """Rank and quartile band as LAIT computes them, with numpy: a value on a cut point
    takes the band below it (the better one where lower is better, the worse where higher
    is)."""
    numbers = {c: float(v) for c, v in values.items() if v.replace(".", "", 1).isdigit()}
    ours = numbers[code]
    better = sum(1 for v in numbers.values() if (v > ours if higher_is_better else v < ours))
    q1, q2, q3 = np.percentile(list(numbers.values()), [25, 50, 75])
    if higher_is_better:
        band = "A" if ours > q3 else "B" if ours > q2 else "C" if ours > q1 else "D"
    else:
        band = "A" if ours <= q1 else "B" if ours <= q2 else "C" if ours <= q3 else "D"
    return better + 1, len(numbers), band


CROSS_CHECKS = [
    # indicator, file, column, filters, higher is better, time_period month
    ("CIN1", "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
     "rereferral_percent", {}, False, 3),
    ("CP2", "d5_cpps_at31march_by_duration_2013_to_2025.csv", "2_years_or_more_percent", {},
     False, 3),
    ("LAC1", "la_cla_placement_stability.csv", "children_percent",
     {"cla_group": "CLA on 31 March",
      "placement_stability": "With 3 or more placements during the year"}, False, 3),
    ("CL2", "la_care_leavers_activity.csv", "care_leaver_percent",
     {"care_leaver_age": "19 to 21 years",
      "breakdown": "Total in education, employment or training"}, True, 3),
    ("WF2", "csww_indicators_2017_to_2025.csv", "agency_rate_fte", {}, False, 9),
]  # fmt: skip


@pytest.fixture(scope="module")
def example_project() -> object:
    problems = Problems()
    loaded = load_project(REPO, problems, keep_files=False)
    assert not problems.items
    return loaded


@pytest.mark.parametrize(
    ("indicator", "file", "column", "filters", "higher", "month"), CROSS_CHECKS
)
def it_ranks_and_bands_every_year_as_computed_independently_from_the_file(
    example_project: object,
    indicator: str,
    file: str,
    column: str,
    filters: dict[str, str],
    higher: bool,
    month: int,
) -> None:
    years = example_project.benchmark_years(indicator)  # type: ignore[attr-defined]
    by_period = published(file, column, **filters)
    assert len(years) == len(by_period)
    for period, values in by_period.items():
        year = Month(int(period), month).financial_year()
        benchmarking = years[year]
        if not values.get(HARROW, "").replace(".", "", 1).isdigit():
            assert benchmarking.rank_all is None and benchmarking.quartile is None
            continue
        rank, of, band = independent_rank_and_band(values, HARROW, higher)
        assert (benchmarking.rank_all, benchmarking.rank_all_of) == (rank, of), period
        assert str(benchmarking.quartile) == band, period


def it_takes_the_neighbours_and_region_from_the_dfe_model(example_project: object) -> None:
    authority = example_project.authority  # type: ignore[attr-defined]
    assert authority.neighbour_codes == (
        "317", "312", "302", "307", "320", "870", "313", "315", "871", "826",
    )  # fmt: skip
    assert authority.neighbour_names[:3] == ("Redbridge", "Hillingdon", "Barnet")
    assert authority.region == "London"
    latest = example_project.benchmark_years("LAC2")[FinancialYear(2024)]  # type: ignore[attr-defined]
    assert {row.area for row in latest.comparators} == {
        "Harrow", "Redbridge", "Hillingdon", "Barnet", "Ealing", "Waltham Forest", "Reading",
        "Hounslow", "Merton", "Slough", "Milton Keynes",
    }  # fmt: skip
    # The neighbour average is the mean of the ten neighbours' published values.
    values = published(
        "la_cla_placement_stability.csv",
        "children_percent",
        cla_group="Children looked after continuously for at least 2.5 years on "
        "31 March aged under 16 years",
        placement_stability="Living with the same carer for at least 2 years",
    )
    neighbours = [float(values["2025"][c]) for c in authority.neighbour_codes]
    average = latest.figures["Statistical neighbours"].exact
    assert float(average) == pytest.approx(sum(neighbours) / len(neighbours))
    assert latest.figures["London"].text == "68%"
    assert latest.figures["England"].text == "69%"


def it_keeps_dfe_codes_as_no_value_never_zero(example_project: object) -> None:
    years = example_project.benchmark_years("CP2")  # type: ignore[attr-defined]
    latest = years[max(years)]
    suppressed = [row for row in latest.comparators if row.figure.note == "c"]
    assert suppressed, "some of Harrow's neighbours have suppressed figures for CP2"
    for row in suppressed:
        assert (row.figure.value, row.rank, row.figure.reason) == (None, None, "suppressed")
    values = published("d5_cpps_at31march_by_duration_2013_to_2025.csv", "2_years_or_more_percent")
    numbers = [v for v in values["2025"].values() if v.replace(".", "", 1).isdigit()]
    assert latest.rank_all_of == len(numbers) < len(values["2025"])


def it_uses_the_published_figure_as_the_councils_own_annual_figure(
    example_project: object,
) -> None:
    results = example_project.results(["CIN1", "LAC2"], Month(2026, 10))  # type: ignore[attr-defined]
    cin1, lac2 = results
    # 2024-25: the DfE's validated 15.6% replaced the council's own provisional 16.1%.
    assert cin1.previous.text_with_counts == "15.6% (355 of 2,281)"
    assert (cin1.previous.source, cin1.previous.note) == (
        "DfE", "replaces the council's own provisional figure",
    )  # fmt: skip
    # 2025-26 is not published yet: the council's own provisional figure is the latest.
    assert (str(cin1.latest.period), cin1.latest.text, cin1.latest.status_text) == (
        "2025-26", "15.2%", "provisional",
    )  # fmt: skip
    assert (lac2.latest.text, lac2.latest.status_text) == ("65%", "validated (DfE)")


def it_builds_the_scorecard_with_dfe_figures(project: Path) -> None:
    import docx

    Workspace(project).build([SCORECARD_NARRATIVE], project / "out")
    paper = docx.Document(str(project / SCORECARD))
    text = "\n".join(p.text for p in paper.paragraphs)
    assert "The last published figure, for 2024-25, was 15.6%, 21st lowest of 153" in text
    assert "(quartile band A), against 22.6% in England" in text
    assert "below the statistical neighbour average of 70% (rated Amber)" in text
    assert "agency social workers were 39.8% of the workforce" in text
    assert "(best: Redbridge, 8.0%), rated Red" in text
    assert "the Q2 2026-27 figure is not yet available (figure not yet available from Cafcass)" in (
        text
    )
    performance = [[c.text for c in row.cells] for row in paper.tables[0].rows]
    assert performance[0][1:3] == ["Latest", "Compared with"]  # periods differ by row
    by_title = {row[0]: row for row in performance}
    proceedings = by_title["Average time to complete care proceedings"]
    assert proceedings[1] == "Not available: figure not yet available from Cafcass\nQ2 2026-27"
    assert proceedings[2] == "28 weeks\nQ1 2026-27, Cafcass"
    repeat = by_title["Child protection plans starting in the year that were a second or "
                      "subsequent plan"]  # fmt: skip
    assert repeat[4:7] == ["12% to 20%\nacceptable range", "Green", "↓ Lower"]
    agency = by_title["Agency social workers (full-time equivalent) as a share of all social "
                      "workers"]  # fmt: skip
    assert agency[1:] == ["39.8%\n2025-26, DfE", "37.1%\n2024-25, DfE", "Annual figure", "20%",
                          "Red", "↑ Declining"]  # fmt: skip
    standing = "Harrow ranks 2 of 11 among itself and its statistical neighbours and 12 of 152"
    assert standing in text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "      file: la_care_leavers_activity.csv",
            "      file: la_care_leaver_activity.csv",
            "config/indicators.yaml:178: indicator 11 dfe.file: CL2: no DfE file "
            "'la_care_leaver_activity.csv' — did you mean 'la_care_leavers_activity.csv'?",
        ),
        (
            "        breakdown: Total in education, employment or training",
            "        breakdown: Total in education employment or training",
            "indicator 11 dfe.filters.breakdown: CL2: no row of la_care_leavers_activity.csv "
            "has breakdown 'Total in education employment or training' — did you mean "
            "'Total in education, employment or training'?",
        ),
        (
            "        care_leaver_age: 19 to 21 years\n        breakdown: Total in education",
            "        care_leaver_ages: 19 to 21 years\n        breakdown: Total in education",
            "indicator 11 dfe.filters.care_leaver_ages: CL2: la_care_leavers_activity.csv has "
            "no column 'care_leaver_ages' — did you mean 'care_leaver_age'?",
        ),
        (
            "        care_leaver_age: 19 to 21 years\n        breakdown: Total in education",
            "        breakdown: Total in education",
            "indicator 11 dfe.filters: CL2: the filters select several rows of "
            "la_care_leavers_activity.csv for England 2025 — add a filter on care_leaver_age",
        ),
        (
            "      value: care_leaver_percent\n      numerator: care_leaver_count\n\n  - id: WF1",
            "      value: care_leaver_pct\n      numerator: care_leaver_count\n\n  - id: WF1",
            "indicator 11 dfe.value: CL2: la_care_leavers_activity.csv has no column "
            "'care_leaver_pct' — did you mean 'care_leaver_percent'?",
        ),
    ],
)
def it_reports_a_wrong_dfe_mapping_naming_the_catalogue_entry(
    project: Path, old: str, new: str, message: str
) -> None:
    edit(project / "config/indicators.yaml", old, new)
    problems = problems_of(project)
    assert any(message in p for p in problems), problems


def it_reports_filters_that_together_select_nothing(project: Path) -> None:
    # Each value exists in its column, but no row has both.
    edit(
        project / "config/indicators.yaml",
        "        placement_stability: With 3 or more placements during the year",
        "        placement_stability: Living with the same carer for at least 2 years",
    )
    assert any(
        "indicator 6 dfe.filters: LAC1: the filters select no rows of "
        "la_cla_placement_stability.csv — check the filter values together" in p
        for p in problems_of(project)
    )


def it_reports_an_authority_code_that_is_not_in_the_model(project: Path) -> None:
    edit(project / "config/authority.yaml", "la_code: 310", "la_code: 999")
    assert (
        "config/authority.yaml:7: la_code: 999 is not in the DfE model sn_model_2025_wide.csv "
        "— did you mean 310 (Harrow)?" in problems_of(project)
    )


def it_needs_la_code_for_dfe_files(project: Path) -> None:
    edit(project / "config/authority.yaml", "la_code: 310\n", "")
    problems = problems_of(project)
    assert any(
        "CIN1: the DfE files know the authority by its DfE code — add `la_code:`" in p
        for p in problems
    ), problems


def it_reads_a_new_download_instead_of_the_cache(project: Path) -> None:
    loaded = load_project(project, Problems())
    assert loaded is not None
    before = loaded.benchmark_years("WF2")[FinancialYear(2025)].own.text
    path = project / "data/dfe/csww_indicators_2017_to_2025.csv"
    text = path.read_text(encoding="utf-8")
    harrow = next(
        line for line in text.splitlines() if line.startswith("2025,") and ",310," in line
    )
    cells = harrow.split(",")
    cells[20] = "12.5"  # agency_rate_fte
    path.write_text(text.replace(harrow, ",".join(cells)), encoding="utf-8")
    reloaded = load_project(project, Problems())
    assert reloaded is not None
    assert (before, reloaded.benchmark_years("WF2")[FinancialYear(2025)].own.text) == (
        "39.8%", "12.5%",
    )  # fmt: skip


def it_reports_an_annual_period_that_does_not_parse(project: Path) -> None:
    with (project / "data/indicators/scorecard-2026-27.csv").open("a", encoding="utf-8") as f:
        f.write("CIN1,2025/26,1,2,,provisional,,\n")
    problems = problems_of(project)
    assert any(
        "period: '2025/26' is not a financial year written YYYY-YY (e.g. 2009-10) — CIN1 has "
        "one row per year: write it as YYYY-YY" in p
        for p in problems
    ), problems


def it_refuses_to_build_with_a_broken_mapping_and_writes_nothing(project: Path) -> None:
    edit(project / "config/indicators.yaml", "value: agency_rate_fte", "value: agency_rate")
    with pytest.raises(InputError):
        Workspace(project).build([SCORECARD_NARRATIVE], project / "out")
    assert not (project / "out").exists()
