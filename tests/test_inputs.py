"""Reading config, data and benchmarks: what is accepted, and what each mistake is called."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import NARRATIVE, edit
from openpyxl import Workbook

from reportgen import Workspace
from reportgen.errors import InputError

DATA = Path("data/indicators/assessments-2010-11.csv")


def problems_of(project: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        Workspace(project).build([project / NARRATIVE], project / "out")
    return [str(p) for p in caught.value.problems]


def it_reads_indicator_data_from_excel(project: Path) -> None:
    rows = (project / DATA).read_text().splitlines()
    (project / DATA).unlink()
    book = Workbook()
    sheet = book.active
    for line in rows:
        cells = line.split(",")
        if cells[0] != "indicator":
            cells[2], cells[3] = int(cells[2]), int(cells[3])  # numbers as Excel stores them
        sheet.append(cells)
    sheet["B9"].value = __import__("datetime").datetime(2010, 11, 1)  # a month Excel made a date
    book.save(project / "data/indicators/assessments.xlsx")
    built = Workspace(project).build([project / NARRATIVE], project / "out", write=False).reports
    assert len(built) == 1


def it_points_at_the_row_of_an_excel_file(project: Path) -> None:
    book = Workbook()
    book.active.append(["indicator", "period", "numerator", "denominator", "value"])
    book.active.append(["NI59", "2010-12", "lots", 5, None])
    book.save(project / "data/indicators/extra.xlsx")
    assert (
        "data/indicators/extra.xlsx:2: numerator: 'lots' is not a number — write a plain number such as 55 or 93.2 (no % sign)"
        in problems_of(project)
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("NI59,2010-04,48,58,,validated,", "is given twice (also line 2)"),
        (
            "NI59,2010-03,48,58,80,,",
            "value: the row gives both counts and a value — give either numerator and denominator, or value, not both",
        ),
        (
            "NI59,2010-03,48,,,,",
            "denominator: is empty — give both numerator and denominator for NI59",
        ),
        (
            "NI59,2010-03,,,80,,",
            "value: NI59 adds up its periods from counts (a percent flow) — give numerator and denominator instead of value",
        ),
        ("NI59,2010-03,,,,,", "value: the row has no figures"),
        (
            "NI59,2010-03,-1,5,,,",
            "numerator: -1 is below zero — counts and values cannot be below zero",
        ),
        ("NI59,2010-03,1,5,,final,", "status: 'final' is not a status"),
        ("NI59,2010-03,1,5,,validatd,", "did you mean 'validated'?"),
        (
            "NI59,March 2010,1,5,,,",
            "period: 'March 2010' is not a month written YYYY-MM (e.g. 2010-11) — NI59 has one row per month: write it as YYYY-MM",
        ),
        ("NI59,2010-03,1,5,,not available,", "status: a row marked not available has figures"),
    ],
)
def it_reports_each_bad_data_row(project: Path, row: str, message: str) -> None:
    with (project / DATA).open("a") as handle:
        handle.write(row + "\n")
    problems = problems_of(project)
    assert any(p.startswith(f"{DATA}:18: ") and message in p for p in problems), problems


def it_accepts_a_not_available_row_with_its_reason(project: Path) -> None:
    with (project / DATA).open("a") as handle:
        handle.write("NI59,2010-12,,,,not available,awaiting the validated return\n")
    assert Workspace(project).build([project / NARRATIVE], project / "out", write=False).reports


def it_reports_an_unknown_column_with_a_hint(project: Path) -> None:
    edit(project / DATA, "numerator,denominator", "numerater,denominator")
    assert f"{DATA}:1: numerater: unknown column — did you mean 'numerator'?" in problems_of(
        project
    )


def it_reads_dfe_codes_in_benchmarks_as_no_value(project: Path) -> None:
    path = project / "data/benchmarks/assessments-2009-10.csv"
    edit(path, "NI59,2009-10,Barnet,68", "NI59,2009-10,Barnet,c")
    built = Workspace(project).build([project / NARRATIVE], project / "out", write=False).reports
    assert built  # Barnet is unranked, shown as "Suppressed"; Harrow is still third


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("NI59,2009/10,Harrow,71", "period: '2009/10' is not a financial year written YYYY-YY"),
        ("NI59,2009-11,Harrow,71", "the second year must follow the first"),
        ("NI59,2008-09,Harrow,71%", "value: '71%' is not a number"),
        ("NI59,2009-10,Harrow,70", "Harrow NI59 2009-10 is given twice (also line 2)"),
        (
            "NI5,2008-09,Harrow,70",
            "indicator: 'NI5' is not in the indicator catalogue — did you mean 'NI59'?",
        ),
    ],
)
def it_reports_each_bad_benchmark_row(project: Path, row: str, message: str) -> None:
    path = project / "data/benchmarks/assessments-2009-10.csv"
    with path.open("a") as handle:
        handle.write(row + "\n")
    problems = problems_of(project)
    assert any(
        p.startswith("data/benchmarks/assessments-2009-10.csv:28: ") and message in p
        for p in problems
    ), problems


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "  - id: NI60",
            "  - id: NI59",
            "config/indicators.yaml:22: indicator 2 id: 'NI59' is used twice",
        ),
        ("  - id: NI60", "  - id: report", "is a name reportgen already uses in narrative"),
        ("  - id: NI60", "  - id: self", "is a name reportgen already uses in narrative"),
        (
            "    tolerance: 3 ",
            "    ytd: ratio\n    tolerance: 3 ",
            "config/indicators.yaml:29: indicator 2 ytd: 'ratio' is no longer a ytd method — "
            "`ytd` is now true or false, and the method follows from `unit` and `measure`; "
            "write `ytd: true`",
        ),
        (
            "    tolerance: 3 ",
            "    ytd: none\n    tolerance: 3 ",
            "config/indicators.yaml:29: indicator 2 ytd: 'none' is no longer a ytd method — "
            "`ytd` is now true or false, and the method follows from `unit` and `measure`; "
            "write `ytd: false`",
        ),
        (
            "  - id: NI60",
            "  - id: NI 60",
            "indicator 2 id: 'NI 60' cannot be used as a name in narrative",
        ),
        (
            "    polarity: higher\n    target: 83",
            "    polarity: none\n    target: 83",
            "indicator 2 target: NI60: a target needs a polarity",
        ),
        ("    tolerance: 3 ", "    tolerance: -3 ", "indicator 2 tolerance: NI60: '-3' is not a"),
        (
            "    polarity: higher     # a higher percentage is better",
            "    polarity: higher\n    grain: weekly",
            "indicator 1 grain: 'weekly' is not allowed — use one of: month, quarter, year",
        ),
        (
            "    target: as high as possible",
            "    target: as hihg as possible",
            "indicator 1 target: NI59: 'as hihg as possible' is not a target — did you mean "
            "'as high as possible'?",
        ),
        (
            "    target: as high as possible",
            "    target: as low as possible",
            "indicator 1 target: NI59: 'as low as possible' needs `polarity: lower`",
        ),
        ("    tolerance: 3 ", "    tolerance: ten ", "indicator 2 tolerance: NI60: 'ten' is not"),
        (
            "    tolerance: 3 ",
            "    floor: 90\n    #",
            "indicator 2 floor: NI60: the floor must be below the target (polarity: higher)",
        ),
        (
            "    target: 83",
            "    target: {range: [20, 12]}",
            "indicator 2 target.range: NI60: must be two numbers, lowest first",
        ),
        (
            "    target: 83",
            "    target:\n      profile: {2010-04: 80, 2010-05: 81}",
            "indicator 2 target.profile: NI60: the profile for 2010-11 misses 2010-06, 2010-07",
        ),
        (
            "    target: 83",
            "    target:\n      profile: {2010-13: 80}",
            "indicator 2 target.profile.2010-13: NI60: '2010-13' is not a month",
        ),
        (
            "    unit: percent\n    polarity: higher\n    target: 83",
            "    unit: average\n    polarity: higher\n    target: 83",
            "indicator 2 unit: NI60: an average needs its unit word — add e.g. `unit_word: weeks`",
        ),
        (
            "    unit: percent\n    polarity: higher     #",
            "    polarity: higher     #",
            "indicator 1 unit: is required in indicator 1 — add `unit: …`",
        ),
        (
            "    theme: Care leavers\n    title: Care leavers aged 19 to 21 in suitable",
            "    theme: Care leaver\n    title: Care leavers aged 19 to 21 in suitable",
            "config/indicators.yaml:153: indicator 10 theme: CL1: 'Care leaver' is not one "
            "of the catalogue's themes — did you mean 'Care leavers'?",
        ),
        (
            "    number: 14\n",
            "    number: 13\n",
            "config/indicators.yaml:169: indicator 11 number: CL2: number 13 is already CL1's "
            "— give each indicator its own number",
        ),
        (
            "    number: 14\n",
            "    number: fourteen\n",
            "indicator 11 number: CL2: 'fourteen' is not an indicator number — write a whole "
            "number (16), or numbers joined by / (27/28)",
        ),
        (
            "  - Education\n",
            "  - Education\n  - Safeguarding\n",
            "config/indicators.yaml:10: theme 6: 'Safeguarding' is listed twice",
        ),
    ],
)
def it_reports_catalogue_mistakes(project: Path, old: str, new: str, message: str) -> None:
    edit(project / "config/indicators.yaml", old, new)
    problems = problems_of(project)
    assert any(message in p for p in problems), problems


def it_reports_a_key_given_twice_and_tabs(project: Path) -> None:
    edit(
        project / "config/authority.yaml", "short_name: Harrow", "short_name: Harrow\nname: Harrow"
    )
    assert (
        "config/authority.yaml:4: name: is given twice (first on line 2) — keep one of them"
        in problems_of(project)
    )
    edit(project / "config/authority.yaml", "  - Barnet", "\t- Barnet")
    assert any("indent with spaces, not tabs" in p for p in problems_of(project))


def it_reports_missing_config(project: Path) -> None:
    (project / "config/authority.yaml").unlink()
    assert (
        "config/authority.yaml: does not exist — create it (see the README for its format)"
        in problems_of(project)
    )


def it_takes_counts_as_whole_numbers_but_an_average_over_part_time_workers(project: Path) -> None:
    data = project / "data/indicators/scorecard-2026-27.csv"
    with data.open("a") as handle:  # 150 weeks over 7.5: an average's denominator may be FTE
        handle.write("L5,2026-27 Q4,150,7.5,,provisional,,\n")
    Workspace(project).build([project / NARRATIVE], project / "out", write=False)
    with data.open("a") as handle:
        handle.write("L4,2027-03,,,5.5,provisional,,\n")
    assert any(
        ":21: value: 5.5 is not a whole number, and L4 counts children or cases — write the "
        "count as a whole number" in p
        for p in problems_of(project)
    )


def it_hashes_a_file_again_when_it_changes_whatever_the_kept_hashes_say(project: Path) -> None:
    # File hashes are kept in .cache/ by stamp (size, time, inode), so a command need not
    # read every DfE file to hash it; a file saved since, or a broken index, must not make
    # the manifest record a hash the file does not have.
    import hashlib
    import json

    def recorded(name: str) -> str:
        manifest = next((project / "out").rglob("manifest.json"))
        inputs: dict[str, str] = json.loads(manifest.read_text(encoding="utf-8"))["inputs"]
        return inputs[name]

    data = "data/indicators/scorecard-2026-27.csv"
    Workspace(project).build([project / NARRATIVE], project / "out")
    index = project / ".cache" / "reportgen" / "digests.json"
    kept = json.loads(index.read_text(encoding="utf-8"))
    assert any(entry[0].endswith(data) for entry in kept)
    with (project / data).open("a", encoding="utf-8") as file:
        file.write("\n")  # saved since: another size and time
    Workspace(project).build([project / NARRATIVE], project / "out")
    assert recorded(data) == hashlib.sha256((project / data).read_bytes()).hexdigest()
    wrong = [[*entry[:4], "0" * 64] for entry in json.loads(index.read_text(encoding="utf-8"))]
    index.write_text(json.dumps([*wrong, ["x", "y"], 5]), encoding="utf-8")  # broken
    Workspace(project).build([project / NARRATIVE], project / "out")
    assert recorded(data) == hashlib.sha256((project / data).read_bytes()).hexdigest()
