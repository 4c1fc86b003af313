"""Months, quarters and financial years: how they are written, labelled and found."""

from __future__ import annotations

import pytest

from reportgen.domain.periods import FinancialYear, Grain, Month, Quarter, Span, parse_period


@pytest.mark.parametrize(
    ("text", "grain", "label", "first", "last"),
    [
        ("2019-09", Grain.MONTH, "September 2019", "2019-09", "2019-09"),
        ("2019-20 Q2", Grain.QUARTER, "Q2 2019-20", "2019-07", "2019-09"),
        ("2019-20 Q4", Grain.QUARTER, "Q4 2019-20", "2020-01", "2020-03"),
        ("2019-20", Grain.YEAR, "2019-20", "2019-04", "2020-03"),
    ],
)
def it_reads_each_grain_and_knows_its_months(
    text: str, grain: Grain, label: str, first: str, last: str
) -> None:
    period = grain.parse(text)
    assert (period.label, period.first.code, period.last.code) == (label, first, last)
    assert period.code == text


def it_starts_quarters_and_years_at_the_configured_month() -> None:
    quarter = Quarter.parse("2019-20 Q1", start_month=1)
    assert (quarter.first.code, quarter.last.code) == ("2019-01", "2019-03")
    assert Month(2019, 2).financial_year(1) == FinancialYear(2019, 1)


@pytest.mark.parametrize(
    ("grain", "month", "expected"),
    [
        (Grain.MONTH, Month(2026, 10), "October 2026"),
        (Grain.QUARTER, Month(2026, 10), "Q2 2026-27"),  # Q3 is not over
        (Grain.QUARTER, Month(2026, 12), "Q3 2026-27"),
        (Grain.YEAR, Month(2026, 10), "2025-26"),
        (Grain.YEAR, Month(2027, 3), "2026-27"),
    ],
)
def it_finds_the_last_complete_period_as_at_a_month(
    grain: Grain, month: Month, expected: str
) -> None:
    assert grain.at(month).label == expected


def it_steps_back_a_period_and_a_year() -> None:
    q1 = Quarter.parse("2019-20 Q1")
    assert (q1.previous().label, q1.year_earlier().label) == ("Q4 2018-19", "Q1 2018-19")
    assert Month(2019, 1).previous() == Month(2018, 12)
    assert Span.rolling_12(Month(2026, 10)).first == Month(2025, 11)


def it_reads_an_ambiguous_period_by_the_indicators_grain_first() -> None:
    # 2010-11 is both November 2010 and the financial year 2010-11.
    assert parse_period("2010-11", Grain.MONTH) == Month(2010, 11)
    assert parse_period("2010-11", Grain.YEAR) == FinancialYear(2010)
    assert parse_period("2010-11 Q3", Grain.MONTH) == Quarter(FinancialYear(2010), 3)
    with pytest.raises(ValueError, match="write a quarter as 2019-20 Q2, a year as 2019-20"):
        parse_period("Q3", Grain.QUARTER)


@pytest.mark.parametrize("text", ["2019-21", "2019-20 Q5", "19-20", "2019-13"])
def it_refuses_what_is_not_a_period(text: str) -> None:
    with pytest.raises(ValueError):
        parse_period(text, Grain.MONTH)
