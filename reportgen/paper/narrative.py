"""Live figures: officer narrative rendered in a sandboxed Jinja environment.

Each of the report's indicators is a name in the narrative (`NI59.latest`), so a paper can
never disagree with its data. Mistakes (a misspelt indicator, an unknown attribute, a
month with no data) become problems that name the file, the line and the nearest valid name.
What each name offers (`IndicatorView` and the rest) is `reportgen.paper.live_figures`.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Template, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError

from reportgen.cache import Cache
from reportgen.errors import Problem, did_you_mean
from reportgen.paper.live_figures import (
    ATTRIBUTES,
    FIGURE_ATTRIBUTES,
    FIGURE_NAMES,
    LiveFigureError,
)

# The views, which the layers above import from here.
from reportgen.paper.live_figures import AuthorityView as AuthorityView
from reportgen.paper.live_figures import IndicatorView as IndicatorView
from reportgen.paper.live_figures import ordinal as ordinal
from reportgen.paper.sandbox import NARRATIVE_LIMITS, LimitError, SafeEnvironment

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
