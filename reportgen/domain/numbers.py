"""Exact arithmetic, rounding half up and formatting of figures (pure, no I/O).

Values are kept as `Fraction`s from the moment they are read, so that 5 of 8 is exactly
62.5% and rounds to 63%, never to 62% through a binary float that is really 62.4999.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction


def parse_number(text: str) -> Decimal:
    """The exact value of a number written in a data file (`55`, `93.2`, `1,234`).

    Raises ValueError for anything else, including `93%` and `n/a`.
    """
    cleaned = text.strip().replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not a number") from None
    if not value.is_finite():
        raise ValueError(f"'{text}' is not a number")
    if value and not -LARGEST < value.adjusted() < LARGEST:
        raise ValueError(f"'{text[:20]}' is too large or too small to be a figure")
    return value


LARGEST = 15  # powers of ten: no figure in a paper is a quadrillion, or a quadrillionth


def to_fraction(value: int | float | Decimal | Fraction) -> Fraction:
    """An exact value; a float is taken by its shortest decimal form (`0.1` is one tenth)."""
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(value)


def round_half_up(value: Fraction, decimals: int = 0) -> Decimal:
    """`value` rounded to `decimals` places, halves away from zero (62.5 → 63, -62.5 → -63)."""
    scaled = abs(value) * 10**decimals
    whole = math.floor(scaled + Fraction(1, 2))
    rounded = Decimal(whole).scaleb(-decimals)
    if value < 0 and whole:
        rounded = -rounded
    return rounded.quantize(Decimal(1).scaleb(-decimals))


def format_decimal(value: Decimal, decimals: int) -> str:
    """A rounded value with thousands separators: `1,234`, `93.5`."""
    return f"{value:,.{decimals}f}"
