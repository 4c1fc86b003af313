"""Live figures in narrative: what officers can write, and what they are told when it is wrong."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from reportgen.domain.model import Indicator, Observation, Polarity, Target, TargetKind, Unit
from reportgen.domain.periods import Month
from reportgen.errors import Problem
from reportgen.paper.narrative import IndicatorView, NarrativeRenderer, ordinal
from reportgen.results.compute import compute

NOV = Month(2010, 11)


@pytest.fixture
def renderer() -> NarrativeRenderer:
    indicator = Indicator(
        "NI60",
        "Core assessments",
        Unit.PERCENT,
        Polarity.HIGHER,
        target=Target(TargetKind.VALUE, value=Fraction(83)),
    )
    rows = {
        Month(2010, 10): Observation("NI60", Month(2010, 10), Decimal(32), Decimal(42)),
        NOV: Observation("NI60", NOV, Decimal(50), Decimal(58)),
    }
    view = IndicatorView(compute(indicator, rows, NOV))
    return NarrativeRenderer({"NI60": view, "ind": {"NI60": view}}, ["NI60"])


def render(renderer: NarrativeRenderer, text: str) -> str | list[Problem]:
    return renderer.render(text, "n.yaml", 10, "summary", ())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "{{ NI60.latest }} ({{ NI60.latest.numerator }} of {{ NI60.latest.denominator }})",
            "86% (50 of 58)",
        ),
        ("{{ NI60.previous }} in {{ NI60.previous.period }}", "76% in October 2010"),
        ("{{ NI60.latest.period.month_name }}", "November"),
        ("{{ NI60.ytd }} against {{ NI60.target }}: {{ NI60.rag }}", "82% against 83%: Red"),
        ("{{ NI60.direction }}", "Improving"),
        ('{{ NI60.at("2010-10") }} / {{ NI60.ytd_at("2010-10") }}', "76% / 76%"),
        ('{{ ind["NI60"].latest.value - NI60.previous.value }} points', "10 points"),
        ("plain text, no figures & <tags>", "plain text, no figures & <tags>"),
    ],
)
def it_fills_in_live_figures(renderer: NarrativeRenderer, text: str, expected: str) -> None:
    assert render(renderer, text) == expected


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("{{ NI06.latest }}", 10, "summary: unknown name 'NI06' — did you mean 'NI60'?"),
        (
            "ok\n{{ NI60.latset }}",
            11,
            "summary: unknown attribute 'latset' — did you mean 'latest'?",
        ),
        ("{{ NI60.latest.valeu }}", 10, "unknown attribute 'valeu' — did you mean 'value'?"),
        ('{{ NI60.at("2009-01") }}', 10, "NI60 has no data for January 2009"),
        ('{{ NI60.at("Nov") }}', 10, "'Nov' is not a period"),
        ("{{ NI60.rank }}", 10, "NI60 has no rank"),
        ("{{ NI60.latest }", 10, "live figure syntax error"),
        ('{{ "".__class__.__mro__ }}', 10, "not allowed in narrative"),
        ("{{ NI60.__class__ }}", 10, "unknown attribute '__class__'"),
    ],
)
def it_reports_mistakes_with_their_line(
    renderer: NarrativeRenderer, text: str, line: int, message: str
) -> None:
    problems = render(renderer, text)
    assert isinstance(problems, list) and len(problems) == 1
    assert problems[0].line == line
    assert message in str(problems[0])


def it_reports_every_misspelt_name_at_once(renderer: NarrativeRenderer) -> None:
    problems = render(renderer, "{{ NI06.latest }}\n{{ NI60.ytdd }}\n{{ NI95.ytd }}")
    assert isinstance(problems, list)
    assert [p.line for p in problems] == [10, 12, 11]


def it_finds_the_real_line_of_a_name_in_folded_text(renderer: NarrativeRenderer) -> None:
    source = ["summary: >", "  The figure is", "  {{ NI06.latest }} today."]
    problems = renderer.render(
        "The figure is {{ NI06.latest }} today.", "n.yaml", 2, "summary", source
    )
    assert isinstance(problems, list) and problems[0].line == 3


@pytest.mark.parametrize(
    ("number", "word"),
    [(1, "first"), (3, "third"), (10, "tenth"), (11, "11th"), (22, "22nd"), (13, "13th")],
)
def it_writes_ranks_as_words(number: int, word: str) -> None:
    assert ordinal(number) == word
