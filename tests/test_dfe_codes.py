"""The DfE's suppression and missing-value codes in every reader that can meet them.

`c` (suppressed), `x` (not available), `z` (not applicable), `u` (low reliability), `k` (rounds
to zero), `low`, `:` and a blank cell mean "no value". Wherever a file can hold one, it must
never be read as 0, and must never rank, band or average as a number: in the hand-kept
benchmark files (data/benchmarks/), in the DfE's open-data files (data/dfe/: value, numerator
and denominator columns), and in the council's own indicator data (data/indicators/), where a
code is not a figure at all: the row is refused and the officer told to use status
`not available`.
"""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook

from reportgen.domain.model import Status
from reportgen.domain.periods import FinancialYear, Month
from reportgen.errors import Problems, display_path
from reportgen.inputs.dfe import _dfe_number
from reportgen.inputs.project import Project, load_project
from reportgen.jobs.build import render_report
from reportgen.jobs.plan import plan
from reportgen.results.figures import BENCHMARK_CODES

CODES = ["c", "x", "z", "u", "k", "low", ":"]
# Each code as written, and as it is kept: lower case, and "" for a blank cell.
WRITTEN = [*((code, code) for code in CODES), ("", ""), ("C", "c"), (" c ", "c"), ("LOW", "low")]
WORDS = {**BENCHMARK_CODES, "": "not available"}  # what a paper says for each


def loaded(root: Path) -> tuple[Project | None, list[str]]:
    problems = Problems()
    project = load_project(root, problems, keep_files=False)
    return project, [str(p) for p in problems.items]


def start_project(root: Path, authority: str, catalogue: str) -> Path:
    for folder in ("config", "data/indicators", "data/benchmarks", "data/dfe", "data/narrative"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "config/authority.yaml").write_text(
        "name: London Borough of Testing\nshort_name: Testing\n" + authority, encoding="utf-8"
    )
    (root / "config/indicators.yaml").write_text(catalogue, encoding="utf-8")
    return root


# ---------------------------------------------------------------------------------------
# data/benchmarks/*.csv, kept by hand

HAND_KEPT = """\
indicator,period,area,value
RR,2025-26,Testing,{Testing}
RR,2025-26,Alpha,{Alpha}
RR,2025-26,Beta,{Beta}
RR,2025-26,Gamma,{Gamma}
RR,2025-26,Delta,{Delta}
RR,2025-26,England,25
"""
HAND_KEPT_VALUES = {"Testing": "20", "Alpha": "10", "Beta": "30", "Gamma": "35", "Delta": "40"}
RR = """\
indicators:
  - id: RR
    title: Re-referrals
    unit: percent
    polarity: lower
"""  # lower is better, so a code read as 0 would come first
YEAR = FinancialYear(2025)


def hand_kept(root: Path, **values: str) -> Path:
    start_project(
        root, "statistical_neighbours: [Alpha, Beta, Gamma, Delta]\n", RR
    )  # no la_code: no DfE files
    (root / "data/indicators/rr.csv").write_text(
        "indicator,period,numerator,denominator,value,status,note,source\n"
        "RR,2026-04,12,60,,,,\nRR,2026-05,15,60,,,,\n",
        encoding="utf-8",
    )
    (root / "data/benchmarks/rr.csv").write_text(
        HAND_KEPT.format(**{**HAND_KEPT_VALUES, **values}), encoding="utf-8"
    )
    return root


class DescribeHandKeptBenchmarks:
    @pytest.mark.parametrize(("written", "code"), WRITTEN, ids=repr)
    def it_reads_a_code_as_no_value_and_never_ranks_or_averages_it(
        self, tmp_path: Path, written: str, code: str
    ) -> None:
        project, problems = loaded(hand_kept(tmp_path, Gamma=written))
        assert problems == [] and project is not None
        gamma = next(row for row in project.benchmarks["RR"] if row.area == "Gamma")
        assert (gamma.value, gamma.code) == (None, code)
        year = project.benchmark_years("RR")[YEAR]
        # Alpha 10, Testing 20, Beta 30, Delta 40 are ranked; Gamma comes last, unranked.
        assert [(row.area, row.rank) for row in year.comparators] == [
            ("Alpha", 1), ("Testing", 2), ("Beta", 3), ("Delta", 4), ("Gamma", None),
        ]  # fmt: skip
        assert (year.rank, year.rank_of) == (2, 4)
        average = year.figures["Statistical neighbours"]
        assert average.exact == Fraction(10 + 30 + 40, 3)
        suppressed = "; 1 suppressed" if code == "c" else ""
        assert average.note == f"mean of the 3 neighbours with published figures{suppressed}"
        shown = year.comparators[-1].figure
        assert (shown.exact, shown.value, shown.text) == (None, None, "not available")
        assert shown.reason == WORDS[code]

    @pytest.mark.parametrize(("written", "code"), WRITTEN, ids=repr)
    def it_leaves_the_authority_unranked_when_its_own_value_is_a_code(
        self, tmp_path: Path, written: str, code: str
    ) -> None:
        project, problems = loaded(hand_kept(tmp_path, Testing=written))
        assert problems == [] and project is not None
        year = project.benchmark_years("RR")[YEAR]
        assert (year.own.value, year.own.reason, year.rank) == (None, WORDS[code], None)
        assert year.rank_of == 4  # the four neighbours
        assert year.figures["Statistical neighbours"].exact == Fraction(10 + 30 + 35 + 40, 4)

    def it_prints_the_comparators_without_the_suppressed_one(self, tmp_path: Path) -> None:
        root = hand_kept(tmp_path, Alpha="c")  # read as 0 it would be ranked best
        (root / "data/narrative/paper.yaml").write_text(
            NARRATIVE.format(
                indicators="RR",
                summary="Rank ⟨{{ RR.rank }}⟩ of ⟨{{ RR.rank_of }}⟩; neighbours "
                "⟨{{ RR.benchmarks['Statistical neighbours'] }}⟩; best ⟨{{ RR.best.area }}⟩; "
                "Alpha ⟨{{ RR.benchmarks['Alpha'] }}⟩.",
            ),
            encoding="utf-8",
        )
        assert paper_text(root) == (
            "Rank ⟨1⟩ of ⟨4⟩; neighbours ⟨35%⟩; best ⟨Beta⟩; Alpha ⟨not available⟩."
        )

    @pytest.mark.parametrize("written", ["n/a", "5%", "-", "supp", "0c"])
    def it_refuses_what_is_neither_a_number_nor_a_code(self, tmp_path: Path, written: str) -> None:
        _, problems = loaded(hand_kept(tmp_path, Gamma=written))
        assert (
            f"{display_path(tmp_path / 'data/benchmarks/rr.csv')}:5: value: '{written}' is not a "
            "number — write a number, leave it empty, or use a DfE code: c, x, z, u, k, low, :"
        ) in problems


NARRATIVE = """\
template: information_report
committee: Test Committee
meeting_date: 2026-07-01
subject: Test paper
responsible_officer: Officer
exempt: false
key_decision: false
period: 2026-05
indicators: [{indicators}]
summary: |
  {summary}
recommendations: |
  **FOR INFORMATION**
contacts:
  - name: A Officer
    title: Performance
    email: a@example.org
"""


def paper_text(root: Path, published: bool = True) -> str:
    """The live-figure paragraph (the summary, marked with ⟨⟩) of data/narrative/paper.yaml."""
    problems = Problems()
    project = load_project(root, problems, keep_files=False)
    assert project is not None, problems.items
    (report,) = plan(project, [root / "data/narrative/paper.yaml"], root / "out", problems)
    built = render_report(project, report, problems, Problems(), published=published)
    assert built is not None and not problems.items, problems.items
    document = docx.Document(io.BytesIO(built.content))
    return next(p.text for p in document.paragraphs if "⟨" in p.text)


# ---------------------------------------------------------------------------------------
# data/dfe/*.csv, as downloaded

OWN, NEIGHBOURS, OTHERS = "100", [str(code) for code in range(101, 111)], ["111", "112"]
MODEL_HEADER = "old_la_code,la_name,region_ind,region_name," + ",".join(
    f"SN_{n},SN_{n}P" for n in range(1, 11)
)
DFE_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,rr_count,referral_count,rr_percent"
)
DFE_CATALOGUE = """\
indicators:
  - id: CIN
    title: Re-referrals within 12 months
    unit: percent
    polarity: lower
    grain: year
    decimals: 1
    dfe:
      file: referrals.csv
      value: rr_percent
      numerator: rr_count
      denominator: referral_count
"""
# Every authority's published figures: (count, referrals, percent); 101 is a neighbour.
DFE_VALUES = {
    OWN: ("200", "1000", "20.0"),
    **{code: (str(10 * i), "100", f"{10 * i}.0") for i, code in enumerate(NEIGHBOURS, start=1)},
    "111": ("5", "100", "5.0"),
    "112": ("95", "100", "95.0"),
}


def name_of(code: str) -> str:
    return "Testing" if code == OWN else f"Borough {code}"


def dfe_project(root: Path, code: str, **cells: str) -> Path:
    """A project whose DfE file has `cells` (column: text) in authority `code`'s row."""
    start_project(root, f"la_code: {OWN}\n", DFE_CATALOGUE)
    model = [MODEL_HEADER]
    for la in [OWN, *NEIGHBOURS, *OTHERS]:
        near = [n for n in [OWN, *NEIGHBOURS] if n != la][:10]
        model.append(f"{la},{name_of(la)},3,London," + ",".join(f"{n},Close" for n in near))
    (root / "data/dfe/sn_model_test_wide.csv").write_text("\n".join(model) + "\n", "utf-8")
    lines = [
        DFE_HEADER,
        "2025,Reporting year,National,E92000001,England,,,,,,5000,25000,20.0",
        "2025,Reporting year,Regional,E92000001,England,E12000007,London,,,,900,4000,22.5",
    ]
    for la, (count, referrals, percent) in DFE_VALUES.items():
        row = {"rr_count": count, "referral_count": referrals, "rr_percent": percent}
        if la == code:
            row.update(cells)
        lines.append(
            f"2025,Reporting year,Local authority,E92000001,England,E12000007,London,{la},"
            f"E09000{la},{name_of(la)},{row['rr_count']},{row['referral_count']},"
            f"{row['rr_percent']}"
        )
    (root / "data/dfe/referrals.csv").write_text("\n".join(lines) + "\n", "utf-8")
    return root


DFE_YEAR = FinancialYear(2024)  # time_period 2025: the year to 31 March 2025


@pytest.mark.parametrize(
    ("text", "read"),
    [
        *((code, (None, code)) for code in CODES),
        ("", (None, "")), ("  ", (None, "")), ("C", (None, "c")), (" low ", (None, "low")),
        ("0", (Decimal(0), "")), ("12.5", (Decimal("12.5"), "")), ("1,234", (Decimal(1234), "")),
        ("n/a", None), ("5%", None), ("-", None),
    ],
    ids=repr,
)  # fmt: skip
def it_reads_a_dfe_cell_as_a_number_a_code_or_neither(
    text: str, read: tuple[Decimal | None, str] | None
) -> None:
    assert _dfe_number(text) == read


class DescribeDfeFiles:
    @pytest.mark.parametrize(("written", "code"), WRITTEN, ids=repr)
    def it_never_ranks_bands_or_averages_a_neighbours_code(
        self, tmp_path: Path, written: str, code: str
    ) -> None:
        project, problems = loaded(dfe_project(tmp_path, "101", rr_percent=written))
        assert problems == [] and project is not None
        (row,) = [r for r in project.benchmarks["CIN"] if r.la_code == "101"]
        assert (row.value, row.code) == (None, code)
        year = project.benchmark_years("CIN")[DFE_YEAR]
        # Neighbours 102 to 110 are 20.0 to 100.0; the council's 20.0 ties with 102's.
        assert (year.rank, year.rank_of) == (1, 10)
        assert year.comparators[-1].area == "Borough 101"
        assert (year.comparators[-1].rank, year.comparators[-1].figure.value) == (None, None)
        assert year.comparators[-1].figure.reason == WORDS[code]
        assert year.figures["Statistical neighbours"].exact == Fraction(sum(range(20, 101, 10)), 9)
        population = project.populations["CIN"][DFE_YEAR]
        assert len(population) == 12 and Decimal(0) not in population  # 13 authorities, 1 code
        # Among all 12 with a value: 111 (5.0) is better, 102 ties: 2nd of 12.
        assert (year.rank_all, year.rank_all_of) == (2, 12)

    @pytest.mark.parametrize("column", ["rr_count", "referral_count"])
    @pytest.mark.parametrize(("written", "code"), WRITTEN, ids=repr)
    def it_keeps_a_code_in_a_count_column_as_no_count(
        self, tmp_path: Path, written: str, code: str, column: str
    ) -> None:
        project, problems = loaded(dfe_project(tmp_path, "101", **{column: written}))
        assert problems == [] and project is not None
        (row,) = [r for r in project.benchmarks["CIN"] if r.la_code == "101"]
        field = "numerator" if column == "rr_count" else "denominator"
        assert getattr(row, field) is None
        assert row.value == Decimal("10.0")  # the published percentage still stands
        comparators = project.benchmark_years("CIN")[DFE_YEAR].comparators
        figure = next(row.figure for row in comparators if row.area == "Borough 101")
        assert (figure.numerator, figure.denominator, figure.text) == (None, None, "10.0%")
        assert figure.text_with_counts == "10.0%"

    @pytest.mark.parametrize(("written", "code"), WRITTEN, ids=repr)
    def it_reports_the_councils_own_code_as_no_value_in_words(
        self, tmp_path: Path, written: str, code: str
    ) -> None:
        cells = {"rr_percent": written, "rr_count": written}
        project, problems = loaded(dfe_project(tmp_path, OWN, **cells))
        assert problems == [] and project is not None
        year = project.benchmark_years("CIN")[DFE_YEAR]
        assert (year.own.value, year.rank, year.rank_all, year.quartile) == (None,) * 4
        assert year.rank_of == 10 and year.rank_all_of == 0
        assert len(project.populations["CIN"][DFE_YEAR]) == 12  # the other 12 authorities
        own = project.observations["CIN"][DFE_YEAR]
        assert (own.value, own.numerator, own.status) == (None, None, Status.NOT_AVAILABLE)
        (result,) = project.results(["CIN"], Month(2026, 10))
        assert (result.latest.value, result.latest.text) == (None, "not available")
        words = WORDS[code]
        assert result.latest.why_not == (
            "Not available in the DfE data"
            if words == "not available"
            else f"Not available: {words} in the DfE data"
        )

    def it_refuses_a_cell_that_is_neither(self, tmp_path: Path) -> None:
        _, problems = loaded(dfe_project(tmp_path, "101", rr_percent="n/a"))
        # Said at the DfE file's line and column, with both ways out.
        assert any(
            ": rr_percent: 'n/a' (Borough 101 2025) is neither a number nor a DfE code — check "
            "the file is as the DfE published it, and that CIN's dfe.value in the catalogue "
            "names a column of numbers" in p
            for p in problems
        ), problems


# ---------------------------------------------------------------------------------------
# data/indicators/*.csv and *.xlsx: the council's own figures

OWN_DATA = """\
indicators:
  - id: CC
    title: Children missing from care
    unit: count
    polarity: lower
  - id: PP
    title: Assessments in time
    unit: percent
    polarity: higher
"""
DATA_HEADER = ["indicator", "period", "numerator", "denominator", "value", "status", "note"]
# (case, the row with a code, the column it is in)
CODED_ROWS = [
    *((f"value {code}", ["CC", "2026-05", "", "", code, "", ""], "value") for code in CODES),
    ("numerator c", ["PP", "2026-05", "c", "40", "", "", ""], "numerator"),
    ("denominator c", ["PP", "2026-05", "3", "c", "", "", ""], "denominator"),
    ("value C, validated", ["CC", "2026-05", "", "", "C", "validated", ""], "value"),
    ("value c, not available", ["CC", "2026-05", "", "", "c", "not available", "suppressed"],
     "value"),
]  # fmt: skip
# The rows whose problem must say what to write instead, and in which file format.
TOLD = [("value c", False), ("value :", False), ("numerator c", False),
        ("denominator c", False), ("value c", True)]  # fmt: skip


def own_data(root: Path, row: list[str], excel: bool) -> Path:
    start_project(root, "", OWN_DATA)
    rows = [DATA_HEADER, ["CC", "2026-04", "", "", "7", "", ""], row]
    if excel:
        book = Workbook()
        for cells in rows:
            book.active.append([int(c) if c.isdigit() else c or None for c in cells])
        book.save(root / "data/indicators/data.xlsx")
        return root / "data/indicators/data.xlsx"
    path = root / "data/indicators/data.csv"
    path.write_text("\n".join(",".join(cells) for cells in rows) + "\n", encoding="utf-8")
    return path


class DescribeIndicatorData:
    @pytest.mark.parametrize("excel", [False, True], ids=["csv", "xlsx"])
    @pytest.mark.parametrize(
        ("row", "column"), [c[1:] for c in CODED_ROWS], ids=[c[0] for c in CODED_ROWS]
    )
    def it_refuses_a_dfe_code_rather_than_read_it_as_a_figure(
        self, tmp_path: Path, row: list[str], column: str, excel: bool
    ) -> None:
        path = own_data(tmp_path, row, excel)
        problems = Problems()
        project = load_project(tmp_path, problems, keep_files=False)
        assert [(p.file, p.line, p.key) for p in problems.items] == [
            (display_path(path), 3, column)
        ]
        assert project is not None
        assert Month(2026, 5) not in project.observations.get(row[0], {})  # left out, not 0
        assert project.observations["CC"][Month(2026, 4)].value == Decimal(7)

    @pytest.mark.parametrize(
        ("row", "column", "excel"),
        [(*case[1:], excel) for name, excel in TOLD for case in CODED_ROWS if case[0] == name],
        ids=[f"{name}-{'xlsx' if excel else 'csv'}" for name, excel in TOLD],
    )
    def it_tells_the_officer_to_mark_the_row_not_available(
        self, tmp_path: Path, row: list[str], column: str, excel: bool
    ) -> None:
        # A figure the council may not print is still a figure in its own data: the row says
        # why there is none (status `not available`, the reason in `note`), not a DfE code.
        path = own_data(tmp_path, row, excel)
        problems = Problems()
        load_project(tmp_path, problems, keep_files=False)
        (problem,) = problems.items
        assert (problem.file, problem.line, problem.key) == (display_path(path), 3, column)
        code = row[DATA_HEADER.index(column)]
        assert f"'{code}'" in problem.what
        assert "status" in problem.fix and "not available" in problem.fix

    def it_says_how_to_give_a_row_without_figures(self, tmp_path: Path) -> None:
        path = own_data(tmp_path, ["CC", "2026-05", "", "", "", "", ""], excel=False)
        _, problems = loaded(tmp_path)
        assert problems == [
            f"{display_path(path)}:3: value: the row has no figures — give numerator and denominator, or "
            "value, or set status to not available with a note"
        ]

    def it_accepts_a_not_available_row_and_prints_it_in_words(self, tmp_path: Path) -> None:
        own_data(
            tmp_path,
            ["CC", "2026-05", "", "", "", "not available", "withheld by the police"],
            excel=False,
        )
        project, problems = loaded(tmp_path)
        assert problems == [] and project is not None
        (result,) = project.results(["CC"], Month(2026, 5), suppress_up_to=5)
        assert result.latest.why_not == "Not available: withheld by the police"
        assert (result.latest.text, result.ytd.text) == ("not available", "7")
        assert result.ytd.note == "excludes May 2026 (no value)"
