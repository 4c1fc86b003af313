"""The one Jinja environment for text written by other people: narrative and Word templates.

Both are rendered in a sandbox that reaches only what a paper needs. Nothing in it can run
code, touch a file or hang the process:
- no globals (`range`, `lipsum`, `cycler`, `joiner`, `namespace`, `dict` are gone); the
  filters are a short list that cannot make large output from small input;
- attributes only of plain values (text, numbers, dates, lists, mappings) and of
  reportgen's own read-only views, never one starting with `_`; only their methods, and
  a few harmless text methods, can be called;
- arithmetic, repetition, joining and `%` formatting are bounded in size;
- every loop, call and output counts against a budget of iterations, characters and time
  for each render, so that nested loops or recursion stop with a clear message.

A limit broken raises `LimitError`, a `SecurityError`, which callers report as a problem
with the text's file and line.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from numbers import Number
from typing import Any

from jinja2 import StrictUndefined, Template, Undefined, nodes
from jinja2.exceptions import SecurityError
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup


@dataclass(frozen=True)
class Limits:
    """What one render may use: seconds, loop iterations and calls, characters of output,
    characters in any one text or items in any one list, and bits in any one whole number."""

    seconds: float
    steps: int
    output: int
    length: int = 1_000_000
    bits: int = 4096


class LimitError(SecurityError):
    """A render went past one of its limits."""


# Text methods that cannot make text much longer than what they are given.
_TEXT_METHODS = frozenset(
    ["capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha",
     "isdecimal", "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper", "lower",
     "lstrip", "partition", "removeprefix", "removesuffix", "rfind", "rindex", "rpartition",
     "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title",
     "upper"]
)  # fmt: skip
_MAPPING_METHODS = frozenset({"get", "items", "keys", "values"})
# Filters that cannot make large output from small input (no padding, repeating, indenting,
# replacing or formatting), and no `attr`, `map` or `safe`.
_FILTERS = frozenset(
    ["abs", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
     "int", "join", "last", "length", "list", "lower", "max", "min", "reject", "rejectattr",
     "reverse", "round", "select", "selectattr", "sort", "string", "sum", "title", "trim",
     "unique", "upper", "wordcount"]
)  # fmt: skip
_PLAIN = (str, int, float, bool, Decimal, Fraction, date, datetime, type(None), Markup)
_CONTAINERS = (list, tuple, dict)
# Format widths or precisions of four digits or more, or taken from the arguments (`*`).
_WIDE_FORMAT = re.compile(r"%[-+ #0]*(\*|\d{4,})|%[-+ #0]*\d*\.(\*|\d{4,})")


@dataclass
class _Budget:
    limits: Limits
    deadline: float
    steps: int = 0
    output: int = 0

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > self.limits.steps:
            raise LimitError(
                f"it takes more than {self.limits.steps:,} steps (loops, calls or lookups)"
            )
        if self.steps % 256 == 0 and time.monotonic() > self.deadline:
            raise LimitError(f"it takes more than {self.limits.seconds:g} seconds to work out")

    def emit(self, text: str) -> None:
        self.output += len(text)
        if self.output > self.limits.output:
            raise LimitError(f"it makes more than {self.limits.output:,} characters")


_BUDGET: ContextVar[_Budget | None] = ContextVar("reportgen_render_budget", default=None)


def _budget() -> _Budget:
    budget = _BUDGET.get()
    if budget is None:  # rendered outside a BoundedTemplate's render: one budget per call
        raise LimitError("a template was rendered without a budget")
    return budget


class BoundedTemplate(Template):
    """A template whose every render runs under its environment's `Limits`."""

    environment: SafeEnvironment

    def render(self, *args: Any, **kwargs: Any) -> str:
        limits = self.environment.limits
        token = _BUDGET.set(_Budget(limits, time.monotonic() + limits.seconds))
        try:
            return super().render(*args, **kwargs)
        finally:
            _BUDGET.reset(token)


class SafeEnvironment(SandboxedEnvironment):
    """A sandbox that reaches only plain values and reportgen's views, within `limits`."""

    template_class = BoundedTemplate
    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})
    intercepted_unops = frozenset({"-", "+"})

    def __init__(
        self,
        limits: Limits,
        *,
        filters: dict[str, Callable[..., Any]] | None = None,
        finalize: Callable[[Any], Any] | None = None,
        **options: Any,
    ) -> None:
        self.limits = limits
        self._shown = finalize or (lambda value: value)
        super().__init__(undefined=StrictUndefined, finalize=self._finalize, **options)
        self.globals.clear()
        self.filters = {name: f for name, f in self.filters.items() if name in _FILTERS}
        self.filters.update(filters or {})
        self.filters["bounded_loop"] = _bounded_loop
        self.filters["bounded_join"] = _bounded_join
        self.tests = {name: test for name, test in self.tests.items() if name != "callable"}

    def _finalize(self, value: Any) -> Any:
        value = self._shown(value)
        if isinstance(value, str):
            _budget().emit(value)
        return value

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _bounded(super()._parse(source, name, filename))

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Undefined):
            return obj  # `cycler.x` fails as `cycler` is undefined, not as unsafe
        return super().getattr(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        _budget().step()
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, str):
            return attr in _TEXT_METHODS
        if isinstance(obj, dict):
            return attr in _MAPPING_METHODS
        if isinstance(obj, _PLAIN + _CONTAINERS):
            return not callable(value)  # `.year` of a date, `.numerator` of a Fraction
        return _is_view(obj) or isinstance(obj, LoopContext)

    def is_safe_callable(self, obj: Any) -> bool:
        if isinstance(obj, Macro):
            return True
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        if owner is None or name.startswith("_"):
            return False
        if isinstance(owner, str):
            return name in _TEXT_METHODS
        if isinstance(owner, dict):
            return name in _MAPPING_METHODS
        return _is_view(owner) or isinstance(owner, LoopContext)

    def wrap_str_format(self, value: Any) -> None:
        return None  # `format` is not one of the text methods offered

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _budget().step()
        if isinstance(__obj, Undefined):
            return __obj()  # `range(3)` fails as `range` is undefined, not as unsafe
        for value in (*args, *kwargs.values()):
            _check_size(value, __self.limits)
        return _check_size(super().call(__context, __obj, *args, **kwargs), __self.limits)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _budget().step()
        _check_operands(operator, left, right, self.limits)
        return _check_size(super().call_binop(context, operator, left, right), self.limits)

    def call_unop(self, context: Any, operator: str, arg: Any) -> Any:
        _budget().step()
        return super().call_unop(context, operator, arg)


def _is_view(obj: Any) -> bool:
    """Whether `obj` is one of reportgen's own values, which have no side effects."""
    module = type(obj).__module__
    return module.startswith("reportgen.") and not getattr(obj, "_not_for_templates", False)


def _bounded(tree: nodes.Template) -> nodes.Template:
    """The parsed template with every loop counted and every `~` join bounded."""
    for loop in list(tree.find_all(nodes.For)):
        loop.iter = nodes.Filter(loop.iter, "bounded_loop", [], [], None, None, lineno=loop.lineno)
    for concat in list(tree.find_all(nodes.Concat)):
        joined = nodes.Filter(
            nodes.List(concat.nodes, lineno=concat.lineno),
            "bounded_join",
            [],
            [],
            None,
            None,
            lineno=concat.lineno,
        )
        concat.nodes = [joined]
    return tree


def _bounded_loop(items: Iterable[Any]) -> Iterator[Any]:
    budget = _budget()
    for item in items:
        budget.step()
        yield item


def _bounded_join(parts: list[Any]) -> str:
    limits = _budget().limits
    if sum(len(p) if isinstance(p, str) else 0 for p in parts) > limits.length:
        raise LimitError(_too_long(limits))
    return "".join(str(p) for p in parts)


def _check_operands(operator: str, left: Any, right: Any, limits: Limits) -> None:
    """Refuses an operation whose result would be too large to make."""
    numbers = isinstance(left, Number) and isinstance(right, Number)
    if operator == "**" and numbers:
        power = abs(Fraction(str(right))) if isinstance(right, Decimal | float) else abs(right)
        if power > 1000 or _bits(left) * power > limits.bits:
            raise LimitError(f"the power {left} ** {right} is too large")
    repeated = _repeated_length(left, right) if operator == "*" else 0
    if operator == "+" and isinstance(left, str | list | tuple) and type(right) is type(left):
        repeated = len(left) + len(right)
    if repeated > limits.length:
        raise LimitError(_too_long(limits))
    whole = isinstance(left, int) and isinstance(right, int)
    if operator == "*" and whole and _bits(left) + _bits(right) > limits.bits:
        raise LimitError("it makes a number too large to print")
    if operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
        raise LimitError("its % format asks for a width of a thousand characters or more")


def _repeated_length(left: Any, right: Any) -> int:
    """The length of `text * n` or `list * n` (either way round); 0 for numbers."""
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and isinstance(count, int):
            return len(sequence) * count
    return 0


def _check_size(value: Any, limits: Limits) -> Any:
    if isinstance(value, str | list | tuple | dict) and len(value) > limits.length:
        raise LimitError(_too_long(limits))
    if isinstance(value, int | Fraction) and _bits(value) > limits.bits:
        raise LimitError("it makes a number too large to print")
    return value


def _too_long(limits: Limits) -> str:
    return f"it makes a text or list longer than {limits.length:,} characters or items"


def _bits(number: Any) -> int:
    if isinstance(number, bool):
        return 1
    if isinstance(number, int):
        return number.bit_length()
    if isinstance(number, Fraction):
        return max(number.numerator.bit_length(), number.denominator.bit_length())
    return 64


# A narrative text is a few paragraphs: a second, and room for tables of figures in loops.
NARRATIVE_LIMITS = Limits(seconds=2, steps=50_000, output=1_000_000, length=100_000)
# A Word template renders a whole paper: a performance index of hundreds of indicators.
TEMPLATE_LIMITS = Limits(seconds=60, steps=20_000_000, output=200_000_000, length=50_000_000)
