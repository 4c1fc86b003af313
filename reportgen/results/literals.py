"""Numbers typed into narrative that should be live figures (pure, no I/O).

An officer who types `93%` instead of `{{ NI59.latest }}` writes a paper that stops agreeing
with its data the moment the data change. This finds such numbers: percentages, counts
written `55 of 59`, and numbers followed by an indicator's unit word (`28 weeks`), outside
`{{ }}` and `{% %}`. Each is compared with every figure the report's indicators have now,
and with what the last published paper printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from reportgen.domain.periods import long_date
from reportgen.results.compute import IndicatorResult
from reportgen.results.figures import Figure
from reportgen.results.records import Snapshot

_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


@dataclass(frozen=True)
class Literal:
    """A number typed in narrative, where it is in the text, and what to do about it."""

    text: str
    offset: int  # lines after the text's first line
    what: str
    fix: str


class TypedFigures:
    """Finds numbers typed in narrative, against one report's figures (worked out once)."""

    def __init__(self, results: Sequence[IndicatorResult], since: Snapshot | None):
        self.known = _figures(results)
        self.published = _published(since, results) if since else {}
        self.since = long_date(since.meeting_date) if since else ""
        units = sorted({r.indicator.unit_word for r in results if r.indicator.unit_word})
        suffix = "|".join(
            ["%", r"\s+of\s+(?:" + _NUMBER + ")", *(rf"\s+{re.escape(u)}" for u in units)]
        )
        self.pattern = re.compile(rf"(?<![\w.,£$])(?:{_NUMBER})(?:{suffix})(?![\w%])")

    def find(self, text: str) -> list[Literal]:
        """The numbers typed in `text` that are, were, or look like figures."""
        if not any(c.isdigit() for c in text):
            return []
        blanked = _EXPRESSION.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
        return [
            self._literal(
                re.sub(r"\s+", " ", match.group(0)), blanked.count("\n", 0, match.start())
            )
            for match in self.pattern.finditer(blanked)
        ]

    def _literal(self, typed: str, offset: int) -> Literal:
        if typed in self.known:
            return Literal(
                typed,
                offset,
                f"'{typed}' is typed, so it will not follow the data",
                f"write {{{{ {self.known[typed][0]} }}}}",
            )
        if typed in self.published:
            indicator_id, period, now = self.published[typed]
            return Literal(
                typed,
                offset,
                f"'{typed}' is {indicator_id}'s {period} figure as the {self.since} paper "
                f"printed it; the data now give {now}",
                f'write {{{{ {indicator_id}.at("{period}") }}}} or another live figure',
            )
        return Literal(
            typed,
            offset,
            f"'{typed}' matches no figure of this report's indicators",
            "check it, or write it as a live figure (README: Live figures)",
        )


def _figures(results: Iterable[IndicatorResult]) -> dict[str, list[str]]:
    """Every figure the report's indicators have, as printed, with the live figure that
    prints it: `93%` → `NI59.latest`, `55 of 59` → `NI59.latest.numerator` …"""
    known: dict[str, list[str]] = {}
    for result in results:
        name = result.indicator.id
        figures: dict[str, Figure] = {
            "latest": result.latest,
            "previous": result.previous,
            "last_year": result.last_year,
            "ytd": result.ytd,
            "rolling_12": result.rolling_12,
        }
        benchmarking = result.benchmarking
        if benchmarking is not None:
            figures["published"] = benchmarking.own
            for area, figure in benchmarking.figures.items():
                figures[f'benchmarks["{area}"]'] = figure
        for attribute, figure in figures.items():
            if not figure.has_value:
                continue
            known.setdefault(figure.text, []).append(f"{name}.{attribute}")
            if figure.numerator is not None and figure.denominator is not None:
                counts = f"{figure.numerator} of {figure.denominator}"
                known.setdefault(counts, []).append(
                    f"{name}.{attribute}.numerator }}}} of {{{{ {name}.{attribute}.denominator"
                )
        if result.target is not None:
            target = Figure(None, result.indicator.unit, 0, result.target)
            for decimals in range(result.indicator.decimals + 1):
                shown = Figure(
                    None, target.unit, decimals, target.exact, unit_word=result.indicator.unit_word
                ).text
                known.setdefault(shown, []).append(f"{name}.target")
    return known


def _published(
    since: Snapshot, results: Iterable[IndicatorResult]
) -> Mapping[str, tuple[str, str, str]]:
    """Figures the last paper printed that the data now give differently: printed text →
    (indicator, period, the figure now)."""
    by_id = {r.indicator.id: r for r in results}
    printed: dict[str, tuple[str, str, str]] = {}
    for indicator in since.indicators:
        result = by_id.get(indicator.id)
        if result is None:
            continue
        for code, figure in indicator.figures.items():
            try:
                period = result.indicator.grain.parse(code, result.financial_year_start)
            except ValueError:  # the indicator's grain changed since
                continue
            now = result.at(period)
            if now.has_value and now.text != figure:
                printed.setdefault(figure, (indicator.id, code, now.text))
    return printed
