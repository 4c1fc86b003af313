"""Live figures: officer narrative rendered in a sandboxed Jinja environment.

Each of the report's indicators is a name in the narrative (`NI59.latest`), so a paper can
never disagree with its data. Mistakes (a misspelt indicator, an unknown attribute, a
month with no data) become problems that name the file, the line and the nearest valid name.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from jinja2 import Template, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError

from reportgen.cache import Cache
from reportgen.domain.model import Authority, Direction, Quartile, Rag
from reportgen.domain.periods import FinancialYear, Period, parse_period
from reportgen.errors import Problem, did_you_mean
from reportgen.paper.sandbox import NARRATIVE_LIMITS, LimitError, SafeEnvironment
from reportgen.results.compute import IndicatorResult
from reportgen.results.figures import Figure, decimals_needed, target_figure, target_text
from reportgen.results.ranking import Benchmarking, ComparatorRow, RankRange, nth
from reportgen.results.records import Printed

_ORDINALS = (
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
)


class LiveFigureError(Exception):
    """A live figure that cannot be given: the message says why and what to write instead."""


class Benchmarks(Mapping[str, Figure]):
    """The latest year's benchmark figures by area; an unknown area names the nearest one."""

    def __init__(self, indicator_id: str, figures: Mapping[str, Figure]):
        self._id, self._figures = indicator_id, dict(figures)

    def __getitem__(self, area: str) -> Figure:
        if area not in self._figures:
            hint = did_you_mean(area, self._figures, otherwise=f"areas: {', '.join(self._figures)}")
            raise LiveFigureError(f"{self._id} has no benchmark for '{area}' — {hint}")
        return self._figures[area]

    def __iter__(self) -> Any:
        return iter(self._figures)

    def __len__(self) -> int:
        return len(self._figures)


class BenchmarkView:
    """One benchmark year as narrative and templates see it: `X.rank_all`, `X.quartile`, …"""

    def __init__(self, indicator_id: str, benchmarking: Benchmarking | None):
        self._id = indicator_id
        self._benchmarking = benchmarking
        self._benchmarks = Benchmarks(indicator_id, benchmarking.figures if benchmarking else {})

    @property
    def benchmarks(self) -> Benchmarks:
        """The year's figures by area (`England`, the region, each neighbour), and
        `Statistical neighbours` (their mean)."""
        return self._benchmarks

    @property
    def benchmark_year(self) -> str:
        return str(self._benchmarking.year) if self._benchmarking else ""

    @property
    def comparators(self) -> tuple[ComparatorRow, ...]:
        """The authority and its neighbours, best first."""
        return self._benchmarking.comparators if self._benchmarking else ()

    @property
    def published(self) -> Figure:
        """The authority's own published figure in the benchmark year."""
        return self._require("benchmark value", "data/benchmarks/ or a DfE file").own

    @property
    def region(self) -> Figure:
        """The authority's region's figure (from the DfE statistical neighbour model)."""
        benchmarking = self._require("region figure", "a DfE file (dfe: in its catalogue entry)")
        return self.benchmarks[benchmarking.region]

    @property
    def rank(self) -> int:
        """Rank among the authority and its statistical neighbours, 1 = best."""
        benchmarking = self._require("rank", "its value in data/benchmarks/ or a DfE file")
        if benchmarking.rank is None:
            why = (
                "neither a higher nor a lower figure is better for it"
                if benchmarking.own.has_value
                else "the authority has no value"
            )
            raise LiveFigureError(f"{self._id} has no rank for {self.benchmark_year} — {why}")
        return benchmarking.rank

    @property
    def rank_of(self) -> int:
        """How many of the authority and its neighbours were ranked."""
        _ = self.rank
        assert self._benchmarking is not None
        return self._benchmarking.rank_of

    @property
    def rank_all(self) -> int:
        """Rank among all local authorities with a value, 1 = best (the DfE convention)."""
        fix = "a DfE file (dfe: in its catalogue entry)"
        rank = self._require("rank among all authorities", fix).rank_all
        if rank is None:
            raise LiveFigureError(
                f"{self._id} has no rank among all authorities for {self.benchmark_year} — "
                f"map it to {fix}; an authority with no value is not ranked"
            )
        return rank

    @property
    def rank_all_of(self) -> int:
        """How many local authorities were ranked."""
        _ = self.rank_all
        assert self._benchmarking is not None
        return self._benchmarking.rank_all_of

    @property
    def rank_words(self) -> str:
        """The rank among the authority and its neighbours: `3rd of 11`, or where
        neighbours' figures are suppressed `4th of 7 with published figures`."""
        rank, benchmarking = self.rank, self._benchmarking
        assert benchmarking is not None
        return _place(rank, benchmarking.rank_of, benchmarking.suppressed)

    @property
    def rank_all_words(self) -> str:
        """The rank among all local authorities, as `rank_words`."""
        rank, benchmarking = self.rank_all, self._benchmarking
        assert benchmarking is not None
        return _place(rank, benchmarking.rank_all_of, benchmarking.suppressed_all)

    @property
    def suppressed(self) -> int:
        """How many neighbours' figures the DfE suppressed (`c`, a count of 1 to 5)."""
        return self._require("neighbours", "data/benchmarks/ or a DfE file").suppressed

    @property
    def suppressed_all(self) -> int:
        """How many other local authorities' figures the DfE suppressed."""
        return self._require("rank among all authorities", "a DfE file").suppressed_all

    @property
    def rank_range(self) -> RankRange:
        """The ranks among the authority and its neighbours that suppressed neighbours'
        counts allow, at 1 to 5 each: `8th of 11`, `between 4th and 8th of 11` (`.best`,
        `.worst`, `.of`)."""
        return self._range(self._require("rank", "a DfE file").rank_range)

    @property
    def rank_all_range(self) -> RankRange:
        """The ranks among all local authorities that suppressed figures allow."""
        return self._range(self._require("rank among all authorities", "a DfE file").rank_all_range)

    def _range(self, allowed: RankRange | None) -> RankRange:
        if allowed is None:
            raise LiveFigureError(
                f"{self._id} has no range of ranks for {self.benchmark_year} — there is one "
                "where figures are suppressed and the DfE file gives their denominators"
            )
        return allowed

    @property
    def quartile(self) -> Quartile:
        """The DfE quartile band A (best quarter) to D among all local authorities."""
        fix = "a DfE file (dfe: in its catalogue entry)"
        band = self._require("quartile band", fix).quartile
        if band is None:
            raise LiveFigureError(
                f"{self._id} has no quartile band for {self.benchmark_year} — map it to {fix}, "
                "with a polarity; an authority with no value has no band"
            )
        return band

    @property
    def best(self) -> ComparatorRow:
        """The best-ranked statistical neighbour (`.area`, `.figure`, `.rank`)."""
        return self._ranked()[0]

    @property
    def worst(self) -> ComparatorRow:
        """The worst-ranked statistical neighbour."""
        return self._ranked()[-1]

    def _ranked(self) -> list[ComparatorRow]:
        ranked = self._require("neighbours", "data/benchmarks/ or a DfE file").neighbours_ranked
        if not ranked:
            raise LiveFigureError(f"{self._id} has no ranked neighbours for {self.benchmark_year}")
        return ranked

    def _require(self, what: str, where: str) -> Benchmarking:
        if self._benchmarking is None:
            raise LiveFigureError(f"{self._id} has no {what} — benchmark it from {where}")
        return self._benchmarking


class IndicatorView(BenchmarkView):
    """An indicator as narrative and templates see it: `X.latest`, `X.rag`, `X.rank`, …

    Every public attribute here is a live figure; the narrative check offers exactly these.
    Benchmark attributes (`X.rank_all`, `X.benchmarks[…]`) are of the latest benchmark year;
    `X.year("2023-24")` gives them for another year.
    """

    def __init__(self, result: IndicatorResult, printed: set[Printed] | None = None):
        super().__init__(result.indicator.id, result.benchmarking)
        self._result = result
        # What the narrative printed beyond the latest figures, for the paper's record.
        self._printed = printed if printed is not None else set()

    @property
    def id(self) -> str:
        return self._result.indicator.id

    @property
    def title(self) -> str:
        return self._result.indicator.title

    @property
    def number(self) -> str:
        """Its number in the performance index: `16`."""
        return self._result.indicator.number

    @property
    def latest(self) -> Figure:
        return self._result.latest

    @property
    def previous(self) -> Figure:
        return self._result.previous

    @property
    def last_year(self) -> Figure:
        """The same period a year earlier."""
        return self._result.last_year

    @property
    def compared(self) -> Figure:
        """What direction of travel compares with: `previous` or `last_year`."""
        return self._result.compared

    @property
    def ytd(self) -> Figure:
        self._printed.add(Printed(self.id, "ytd", self._result.period))
        return self._result.ytd

    @property
    def rolling_12(self) -> Figure:
        """The 12 months to the latest period."""
        self._printed.add(Printed(self.id, "rolling", self._result.period))
        return self._result.rolling_12

    @property
    def rag(self) -> Rag:
        return self._result.rag

    @property
    def direction(self) -> Direction:
        return self._result.direction

    @property
    def target(self) -> Figure:
        target = target_figure(self._result.indicator, self._result.period)
        if target is None:
            raise LiveFigureError(
                f"{self.id} has no target number ({self.target_text}) — use {self.id}.target_text"
            )
        return target

    @property
    def ytd_target(self) -> Figure:
        """The target the year to date is rated against: the one target, or a profile's
        year-to-date target (README: What is computed)."""
        result = self._result
        value = result.rated_target if result.rated_on_ytd else None
        if value is None:
            raise LiveFigureError(
                f"{self.id} has no year-to-date target ({self.target_text}, rated on "
                f"{'the year to date' if result.rated_on_ytd else 'the latest figure'}) — "
                f"use {self.id}.target"
            )
        indicator = result.indicator
        return Figure(result.ytd.period, indicator.unit, decimals_needed(value, indicator.decimals),
                      value, unit_word=indicator.unit_word)  # fmt: skip

    @property
    def target_text(self) -> str:
        """The target in words: `83%`, `12% to 20% (acceptable range)`, `As high as possible`."""
        return target_text(self._result.indicator, self._result.period)

    def at(self, period: str) -> Figure:
        """The figure for a period (`2019-09`, `2019-20 Q2`, `2019-20`)."""
        parsed = self._period(period)
        self._require_data(parsed)
        self._printed.add(Printed(self.id, "at", parsed))
        return self._result.at(parsed)

    def ytd_at(self, period: str) -> Figure:
        """The year to date up to the end of a period."""
        parsed = self._period(period)
        start = self._result.financial_year_start
        self._require_data(parsed.last.financial_year(start), upto=parsed)
        self._printed.add(Printed(self.id, "ytd", parsed))
        return self._result.ytd_at(parsed)

    def year(self, year: str) -> BenchmarkView:
        """The benchmarks of another year, written `2023-24`."""
        try:
            wanted = FinancialYear.parse(year, self._result.financial_year_start)
        except ValueError as exc:
            raise LiveFigureError(str(exc)) from None
        years = self._result.benchmark_years
        if wanted not in years:
            have = ", ".join(str(y) for y in years) or "none"
            raise LiveFigureError(f"{self.id} has no benchmarks for {year} — years held: {have}")
        return BenchmarkView(self.id, years[wanted])

    def _period(self, text: str) -> Period:
        indicator = self._result.indicator
        try:
            period = parse_period(text, indicator.grain, self._result.financial_year_start)
        except ValueError as exc:
            raise LiveFigureError(str(exc)) from None
        return period

    def _require_data(self, period: Period, upto: Period | None = None) -> None:
        start = self._result.financial_year_start
        last = (upto or period).last
        parts = self._result.indicator.grain.periods(period.first, last, start)
        if not self._result.has_data(parts):
            raise LiveFigureError(
                f"{self.id} has no data for {period.label} — check the period, or add a row "
                "to data/indicators/"
            )

    def __str__(self) -> str:
        return self.title


def _public(cls: type) -> list[str]:
    return sorted(name for name in dir(cls) if not name.startswith("_"))


ATTRIBUTES = _public(IndicatorView)
FIGURE_NAMES = (
    "latest", "previous", "last_year", "compared", "ytd", "rolling_12", "target", "ytd_target",
)  # fmt: skip
FIGURE_ATTRIBUTES = sorted({*_public(Figure), *(f.name for f in fields(Figure))})


def _place(rank: int, of: int, suppressed: int) -> str:
    return f"{nth(rank)} of {of}" + (" with published figures" if suppressed else "")


def ordinal(number: int) -> str:
    """`3` → `third` up to ten, then `11th`, `22nd`, …"""
    if 1 <= number <= len(_ORDINALS):
        return _ORDINALS[number - 1]
    return nth(number)


@dataclass(frozen=True)
class AuthorityView:
    name: str
    short_name: str
    statistical_neighbours: tuple[str, ...]

    @classmethod
    def of(cls, authority: Authority) -> AuthorityView:
        return cls(authority.name, authority.short_name, authority.statistical_neighbours)


# Live figures: only the report's names, in the sandbox every text from an input file gets.
_ENV = SafeEnvironment(
    NARRATIVE_LIMITS,
    filters={"ordinal": ordinal},
    autoescape=False,
    keep_trailing_newline=True,
    # A count a figure does not have (withheld, or never given) reads as such.
    finalize=lambda value: "not available" if value is None else value,
)


class NarrativeRenderer:
    """Renders narrative text with the live figures of one report.

    Misspelt names and attributes are found before rendering, all of them, each with its
    line; anything that fails while rendering (a month with no data) is reported too.
    """

    def __init__(
        self, names: Mapping[str, Any], indicator_ids: Iterable[str], cache: Cache | None = None
    ):
        self.names = dict(names)
        self.indicator_ids = list(indicator_ids)
        self.cache = cache

    def render(
        self, text: str, file: str, first_line: int | None, key: str, source: Sequence[str] = ()
    ) -> str | list[Problem]:
        """The text with its expressions filled in, or the problems that stop it.

        `source` is the file's lines, used to find the line of a name in folded text.
        """
        if "{{" not in text and "{%" not in text and "{#" not in text:
            return text
        where = _Where(file, first_line, key, source)
        try:
            template, facts = (
                self.cache.get_or_make("narrative", text, lambda: _compile(text), 50 * len(text))
                if self.cache is not None
                else _compile(text)
            )
        except TemplateSyntaxError as exc:
            return [
                where.problem(
                    exc.lineno,
                    f"live figure syntax error: {exc.message}",
                    "check the {{ }} around the expression",
                )
            ]
        problems = [
            where.problem(line, what, fix, token) for line, what, fix, token in self._check(facts)
        ]
        if problems:
            return problems
        try:
            return str(template.render(self.names))
        except Exception as exc:  # every failure inside an expression becomes a problem
            what, fix = self._explain(exc)
            return [where.problem(_template_line(exc), what, fix)]

    def _check(self, facts: _Facts) -> Iterator[tuple[int, str, str, str]]:
        """(line, what, fix, token) for each unknown name or attribute in a narrative text."""
        known = set(self.names) | facts.stored | set(_ENV.globals)
        for line, name in facts.loaded:
            if name not in known:
                indicators = ", ".join(self.indicator_ids) or "none"
                fix = did_you_mean(
                    name, self.names, otherwise=f"this report's indicators are: {indicators}"
                )
                yield line, f"unknown name '{name}'", fix, name
        for line, name, figure, attribute in facts.attributes:
            if not isinstance(self.names.get(name), IndicatorView):
                continue
            if figure and figure not in FIGURE_NAMES:
                continue
            choices = FIGURE_ATTRIBUTES if figure else ATTRIBUTES
            if attribute not in choices:
                fix = did_you_mean(
                    attribute, choices, otherwise=f"valid here: {', '.join(choices)}"
                )
                yield line, f"unknown attribute '{attribute}'", fix, attribute

    def _explain(self, exc: Exception) -> tuple[str, str]:
        message = str(exc)
        if isinstance(exc, LiveFigureError):
            what, _, fix = message.partition(" — ")
            return what, fix or "see the README for the live figures"
        if isinstance(exc, LimitError):
            return (
                f"this text is too much to work out: {exc}",
                "use live figures as the README shows them, without long loops or large numbers",
            )
        if isinstance(exc, SecurityError):
            return (
                "that expression is not allowed in narrative",
                "use only the live figures in the README",
            )
        if isinstance(exc, RecursionError):
            return (
                "this text calls itself without end",
                "remove the macro that calls itself",
            )
        if isinstance(exc, UndefinedError):
            return message, "see the README for the live figures"
        if isinstance(exc, TypeError) and "NoneType" in message:
            return (
                "a figure in this expression has no value",
                "check its period has data, or use the figure itself, which prints 'not available'",
            )
        return f"cannot work out this expression ({message})", "check the expression"


@dataclass(frozen=True)
class _Where:
    """Turns a line inside a narrative text into a line of its YAML file."""

    file: str
    first_line: int | None
    key: str
    source: Sequence[str]

    def problem(self, template_line: int | None, what: str, fix: str, token: str = "") -> Problem:
        line = self.first_line
        if line is not None and template_line:
            line += template_line - 1
        if line is not None and token:
            # Folded text (`>`) joins lines before Jinja sees it: find the token's real line.
            for number in range(line, min(line + 200, len(self.source) + 1)):
                if re.search(rf"\b{re.escape(token)}\b", self.source[number - 1]):
                    line = number
                    break
        return Problem(self.file, line, self.key, what, fix)


@dataclass(frozen=True)
class _Facts:
    """What a narrative text refers to: names read and set, and `X.attr` / `X.fig.attr` uses."""

    loaded: tuple[tuple[int, str], ...]
    stored: frozenset[str]
    attributes: tuple[tuple[int, str, str, str], ...]  # line, name, figure ("" if none), attr

    @classmethod
    def of(cls, tree: nodes.Template) -> _Facts:
        names = list(tree.find_all(nodes.Name))
        attributes = []
        for node in tree.find_all(nodes.Getattr):
            if isinstance(node.node, nodes.Name):
                attributes.append((node.lineno, node.node.name, "", node.attr))
            elif isinstance(node.node, nodes.Getattr) and isinstance(node.node.node, nodes.Name):
                attributes.append((node.lineno, node.node.node.name, node.node.attr, node.attr))
        return cls(
            loaded=tuple((n.lineno, n.name) for n in names if n.ctx == "load"),
            stored=frozenset(n.name for n in names if n.ctx in ("store", "param")),
            attributes=tuple(attributes),
        )


def _compile(text: str) -> tuple[Template, _Facts]:
    """Compiled narrative and what it refers to (kept in a cache: rebuilds after an edit
    reuse the text that did not change)."""
    tree = _ENV.parse(text)
    return _ENV.from_string(tree), _Facts.of(tree)


def _template_line(exc: BaseException) -> int | None:
    """The narrative line an error happened on, from Jinja's rewritten traceback."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == "<template>":
            return frame.lineno
    return None
