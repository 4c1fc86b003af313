"""How a figure counted from case records was counted, for `reportgen explain`: the rule
in words, the records left at each step, and the child-level list behind it as CSV bytes
for the analyst (never part of a paper)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from reportgen.cases.compute import Counted, rule_words
from reportgen.domain.model import Indicator, Observation, Status, Unit
from reportgen.domain.numbers import format_decimal, round_half_up
from reportgen.errors import InputError, Problem, did_you_mean
from reportgen.inputs.cases import explain_figure
from reportgen.inputs.project import Project
from reportgen.results.figures import with_unit


@dataclass(frozen=True)
class Explanation:
    """How one figure was counted from case records."""

    indicator: str
    title: str
    period: str  # its label: "September 2026"
    file_name: str  # of the child-level list: "SA45-2026-09.csv"
    rule: tuple[str, ...]  # the rule in words, a line each
    steps: tuple[tuple[str, int], ...]  # each step and the records (or children) it counts
    figure: str  # "224 of 245: 91%"
    in_papers: str = ""  # when the papers give something else: an external figure, none
    records: Path | None = None  # where the child-level list was written


def explain(project: Project, indicator_id: str, period: str) -> tuple[Explanation, bytes]:
    """The explanation of one period's figure, and its child-level list as CSV. Raises
    InputError for an indicator not counted from case records or a period not its own."""
    indicator = project.catalogue.get(indicator_id)
    counted = [i for i, ind in project.catalogue.items() if ind.cases is not None]
    if indicator is None or indicator.cases is None:
        what = (
            f"'{indicator_id}' is not in the indicator catalogue"
            if indicator is None
            else f"{indicator_id} is not counted from case records"
        )
        listed = "name one with `cases:` in config/indicators.yaml: " + ", ".join(counted)
        fix = did_you_mean(indicator_id, counted, otherwise="") or (
            listed if counted else "give an indicator `cases:` (see the README)"
        )
        raise InputError([Problem("", None, "", what, fix)])
    start = project.authority.financial_year_start
    try:
        when = indicator.grain.parse(period, start)
    except ValueError as exc:
        fix = f"{indicator.id} is by {indicator.grain.value}: write it as {indicator.grain.written}"
        raise InputError([Problem("", None, "period", str(exc), fix)]) from None
    explained = explain_figure(
        project.root, project.authority.cases, indicator, when, start, project.authority.la_code
    )
    explanation = Explanation(
        indicator.id,
        indicator.title,
        when.label,
        f"{indicator.id}-{when.code.replace(' ', '-')}.csv",
        rule_words(indicator.cases, indicator.unit),
        explained.steps,
        counted_words(indicator, explained.figure),
        in_papers(indicator, project.observations.get(indicator.id, {}).get(when)),
    )
    records = explained.records
    safe = records.rename(columns=lambda name: csv_safe(str(name))).map(csv_safe)
    return explanation, safe.to_csv(index=False).encode()


# What a spreadsheet opening the CSV would take for a formula (OWASP, "CSV Injection"):
# text that starts with = + - @, a tab or a carriage return. A plain number (`-3` working
# days, from dates the wrong way round) is data: Excel reads it as the number it is.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def csv_safe(cell: object) -> object:
    """The cell as the analyst's list writes it: text a spreadsheet would run as a formula
    with a single quote before it, the rest of it kept; numbers, plain numbers written as
    text and all other text as they are."""
    if (
        isinstance(cell, str)
        and cell.startswith(_FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(cell)
    ):
        return f"'{cell}"
    return cell


def in_papers(indicator: Indicator, given: Observation | None) -> str:
    """What the papers give instead of the counted figure, when a row in data/indicators/
    replaces it (a validated external figure) or withholds it; empty when they give it."""
    if given is None:
        return ""
    if given.external:
        shown = counted_words(indicator, Counted(given.numerator, given.denominator, given.value))
        return f"the papers give {given.source}'s validated figure, which replaces it: {shown}"
    if given.status is Status.NOT_AVAILABLE:
        reason = f" ({given.note})" if given.note else ""
        return f"the papers give no figure: data/indicators/ marks it not available{reason}"
    return ""


def counted_words(indicator: Indicator, figure: Counted) -> str:
    """The figure as a paper would give it, with its counts: "224 of 245: 91%"."""
    if not figure.available:
        return "no figure: nothing to count in the period"
    if figure.value is not None:
        return with_unit(format_decimal(figure.value, 0), indicator.unit, indicator.unit_word)
    assert figure.numerator is not None and figure.denominator is not None
    ratio = Fraction(figure.numerator) / Fraction(figure.denominator)
    if indicator.unit is Unit.PERCENT:
        ratio *= 100
    elif indicator.unit is Unit.RATE_PER_10K:
        ratio *= 10_000
    value = format_decimal(round_half_up(ratio, indicator.decimals), indicator.decimals)
    shown = with_unit(value, indicator.unit, indicator.unit_word)
    if indicator.unit is Unit.AVERAGE:
        total = format_decimal(round_half_up(Fraction(figure.numerator), 1), 1)
        return f"{total} {indicator.unit_word} over {figure.denominator:,}: {shown}"
    return f"{figure.numerator:,} of {figure.denominator:,}: {shown}"
