"""Rounding half up from exact values, and how figures print."""

from decimal import Decimal
from fractions import Fraction

import pytest

from reportgen.domain.numbers import format_decimal, parse_number, round_half_up


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Fraction(1, 8) * 100, 0, "13"),  # 12.5 → 13, not banker's 12
        (Fraction(5, 8) * 100, 0, "63"),  # 62.5 → 63, not a float's 62.4999
        (Fraction(3, 8) * 100, 0, "38"),
        (Fraction(55, 59) * 100, 0, "93"),
        (Fraction(51, 57) * 100, 0, "89"),
        (Fraction(1, 8), 2, "0.13"),
        (Fraction(1, 3) * 100, 1, "33.3"),
        (Fraction(2, 3) * 100, 1, "66.7"),
        (Fraction(-5, 8) * 100, 0, "-63"),  # halves go away from zero
        (Fraction(0), 0, "0"),
        (Fraction(0), 2, "0.00"),
        (Fraction(Decimal("2.675")), 2, "2.68"),  # a float would give 2.67
        (Fraction(Decimal("1.005")), 2, "1.01"),
    ],
)
def it_rounds_half_up_from_exact_values(value: Fraction, decimals: int, expected: str) -> None:
    assert str(round_half_up(value, decimals)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("55", Decimal(55)), ("93.2", Decimal("93.2")), ("1,234", Decimal(1234)), (" 7 ", Decimal(7))],
)
def it_reads_numbers_exactly(text: str, expected: Decimal) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["93%", "n/a", "", "NaN", "Infinity", "1.2.3"])
def it_refuses_what_is_not_a_number(text: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parse_number(text)


def it_formats_with_thousands_separators() -> None:
    assert format_decimal(Decimal(1234), 0) == "1,234"
    assert format_decimal(Decimal("1234.5"), 1) == "1,234.5"
