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
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from reportgen.compute import ComparatorRow, Figure, IndicatorResult, target_figure
from reportgen.errors import Problem, did_you_mean
from reportgen.model import Authority, Direction, Rag
from reportgen.periods import Month

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


class IndicatorView:
    """An indicator as narrative and templates see it: `X.latest`, `X.rag`, `X.rank`, …

    Every public attribute here is a live figure; the narrative check offers exactly these.
    """

    def __init__(self, result: IndicatorResult):
        self._result = result
        benchmarking = result.benchmarking
        self._benchmarks = Benchmarks(
            result.indicator.id, benchmarking.figures if benchmarking else {}
        )

    @property
    def id(self) -> str:
        return self._result.indicator.id

    @property
    def title(self) -> str:
        return self._result.indicator.title

    @property
    def latest(self) -> Figure:
        return self._result.latest

    @property
    def previous(self) -> Figure:
        return self._result.previous

    @property
    def ytd(self) -> Figure:
        return self._result.ytd

    @property
    def rag(self) -> Rag:
        return self._result.rag

    @property
    def direction(self) -> Direction:
        return self._result.direction

    @property
    def benchmarks(self) -> Benchmarks:
        """The latest benchmark year's figures by area, and "Statistical neighbours"."""
        return self._benchmarks

    @property
    def comparators(self) -> tuple[ComparatorRow, ...]:
        """The authority and its neighbours, best first."""
        benchmarking = self._result.benchmarking
        return benchmarking.comparators if benchmarking else ()

    @property
    def benchmark_year(self) -> str:
        benchmarking = self._result.benchmarking
        return str(benchmarking.year) if benchmarking else ""

    def at(self, period: str) -> Figure:
        """The figure for the month written `YYYY-MM`."""
        month = self._month(period)
        self._require_data([month], month.label)
        return self._result.at(month)

    def ytd_at(self, period: str) -> Figure:
        """The year to date as at the month written `YYYY-MM`."""
        month = self._month(period)
        months = month.financial_year(self._result.financial_year_start).months_to(month)
        self._require_data(months, f"{months[0].label} to {month.label}")
        return self._result.ytd_at(month)

    @property
    def target(self) -> Figure:
        target = target_figure(self._result.indicator)
        if target is None:
            raise LiveFigureError(f"{self.id} has no target — add a target to its catalogue entry")
        return target

    @property
    def rank(self) -> int:
        """Rank among the authority and its statistical neighbours, 1 = best."""
        rank = self._result.benchmarking.rank if self._result.benchmarking else None
        if rank is None:
            raise LiveFigureError(
                f"{self.id} has no rank — add the authority's value to data/benchmarks/"
            )
        return rank

    @property
    def rank_of(self) -> int:
        """How many areas were ranked."""
        _ = self.rank
        assert self._result.benchmarking is not None
        return self._result.benchmarking.rank_of

    @property
    def best(self) -> ComparatorRow:
        """The best-ranked area of the comparator group (`.area`, `.figure`, `.rank`)."""
        return self._ranked()[0]

    @property
    def worst(self) -> ComparatorRow:
        return self._ranked()[-1]

    def _ranked(self) -> list[ComparatorRow]:
        ranked = [row for row in self.comparators if row.rank is not None]
        if not ranked:
            raise LiveFigureError(
                f"{self.id} has no ranked comparators — add data/benchmarks/ rows"
            )
        return ranked

    def _month(self, period: str) -> Month:
        try:
            return Month.parse(period)
        except ValueError as exc:
            raise LiveFigureError(str(exc)) from None

    def _require_data(self, months: list[Month], span: str) -> None:
        if not self._result.has_data(months):
            raise LiveFigureError(
                f"{self.id} has no data for {span} — check the month, or add a row to "
                "data/indicators/"
            )

    def __str__(self) -> str:
        return self.title


def _public(cls: type) -> list[str]:
    return sorted(name for name in vars(cls) if not name.startswith("_"))


ATTRIBUTES = _public(IndicatorView)
FIGURE_NAMES = ("latest", "previous", "ytd", "target")
FIGURE_ATTRIBUTES = sorted({*_public(Figure), *(f.name for f in fields(Figure))})


def ordinal(number: int) -> str:
    """`3` → `third` up to ten, then `11th`, `22nd`, …"""
    if 1 <= number <= len(_ORDINALS):
        return _ORDINALS[number - 1]
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


@dataclass(frozen=True)
class AuthorityView:
    name: str
    short_name: str
    statistical_neighbours: tuple[str, ...]

    @classmethod
    def of(cls, authority: Authority) -> AuthorityView:
        return cls(authority.name, authority.short_name, authority.statistical_neighbours)


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    env.filters["ordinal"] = ordinal
    return env


_ENV = _environment()


class NarrativeRenderer:
    """Renders narrative text with the live figures of one report.

    Misspelt names and attributes are found before rendering, all of them, each with its
    line; anything that fails while rendering (a month with no data) is reported too.
    """

    def __init__(self, names: Mapping[str, Any], indicator_ids: Iterable[str]):
        self.names = dict(names)
        self.indicator_ids = list(indicator_ids)

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
            template, facts = _compile(text)
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
            return what, fix
        if isinstance(exc, SecurityError):
            return (
                "that expression is not allowed in narrative",
                "use only the live figures in the README",
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


@lru_cache(maxsize=4096)
def _compile(text: str) -> tuple[Template, _Facts]:
    """Compiled narrative and what it refers to; rebuilds after an edit reuse the unchanged."""
    tree = _ENV.parse(text)
    return _ENV.from_string(tree), _Facts.of(tree)


def _template_line(exc: BaseException) -> int | None:
    """The narrative line an error happened on, from Jinja's rewritten traceback."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename == "<template>":
            return frame.lineno
    return None
