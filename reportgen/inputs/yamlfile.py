"""Reading YAML with the line of every key, so that problems can point at the line."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reportgen.cache import Cache
from reportgen.domain.keys import key_path
from reportgen.errors import InputError, Problem, Problems, display_path
from reportgen.inputs.textfile import decode

try:  # libyaml is several times faster and keeps the same marks
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]


@dataclass
class Lines:
    """Where each key or item of a YAML document is: 1-based line numbers by key path."""

    key_lines: dict[Path_, int] = field(default_factory=dict)
    text_lines: dict[Path_, int] = field(default_factory=dict)

    def of(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.key_lines:
                return self.key_lines[path]
            path = path[:-1]
        return self.key_lines.get((), None)

    def text_start(self, path: Path_) -> int | None:
        """The line where the text of a scalar starts (the line after `|` for a block)."""
        return self.text_lines.get(tuple(path)) or self.of(path)


@dataclass
class YamlDocument:
    path: Path
    data: Any
    lines: Lines
    source_lines: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return display_path(self.path)


# Bounds on a YAML file from someone else: its size, how deep it nests, and how many values
# its aliases (`*name`, repeating what `&name` marks) may add, so a "billion laughs" of
# nested aliases is refused at once instead of filling the memory.
MAX_BYTES = 5_000_000
MAX_DEPTH = 40
MAX_ALIASED = 10_000


class _Loader(_BaseLoader):
    """The safe loader, with values that cannot be used (a date that does not exist, a
    number that is not finite or too long to print) refused at their line."""


class _Unusable(yaml.constructor.ConstructorError):
    """A value that parses as YAML but that reportgen cannot use: said with its key."""

    def __init__(self, node: yaml.Node, what: str, fix: str) -> None:
        super().__init__(None, None, what, node.start_mark)
        self.node, self.fix = node, fix


def _timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise _Unusable(
            node,
            f"'{node.value}' is not a real date ({exc})",
            "write a date that exists, as YYYY-MM-DD",
        ) from None


def _float(loader: _Loader, node: yaml.ScalarNode) -> Any:
    value = yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)
    if not math.isfinite(value):
        raise _Unusable(node, f"'{node.value}' is not a number reportgen can use", _PLAIN_NUMBER)
    return value


def _int(loader: _Loader, node: yaml.ScalarNode) -> Any:
    if len(str(node.value)) > MAX_DIGITS:
        raise _Unusable(node, f"'{node.value[:20]}…' is too long to be a number", _PLAIN_NUMBER)
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


_PLAIN_NUMBER = "write a plain number, such as 85 or 2.5"
MAX_DIGITS = 20
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Loader.add_constructor("tag:yaml.org,2002:float", _float)
_Loader.add_constructor("tag:yaml.org,2002:int", _int)


def load_yaml(path: Path, text: str | None = None, cache: Cache | None = None) -> YamlDocument:
    """The parsed document with its line map; a syntax error raises InputError with its line.
    With `text`, that text is parsed as the file's (an edit not yet saved): nothing is read.
    With `cache`, a text parsed before is not parsed again (callers never change the data)."""
    name = display_path(path)
    try:
        size = path.stat().st_size if text is None else len(text.encode("utf-8"))
        if size > MAX_BYTES:
            raise InputError(
                [
                    Problem(
                        name,
                        None,
                        "",
                        f"is {size / 1_000_000:.0f} MB, too large for a YAML file of reportgen's",
                        "check it is the right file: config, narrative and meeting files are "
                        "a few kilobytes",
                    )
                ]
            )
        if text is None:
            text = decode(path.read_bytes(), name)
    except OSError as exc:
        raise InputError(
            [Problem(name, None, "", f"cannot be read ({exc.strerror})", "check the path")]
        ) from None
    if cache is None:
        return _parse(path, name, text)
    # A rebuild after an edit to one narrative does not parse the unchanged config again.
    return cache.get_or_make(
        "yaml", (str(path), text), lambda: _parse(path, name, text), 3 * len(text)
    )


def _parse(path: Path, name: str, text: str) -> YamlDocument:
    deep = _bracket_depth(text)
    if deep is not None:
        raise InputError([_too_deep(name, deep)])
    loader = _Loader(text)
    node: yaml.Node | None = None
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_bounds(node, name)
        data = loader.construct_document(node) if node is not None else None
    except _Unusable as exc:
        line = exc.node.start_mark.line + 1
        key = key_path(_path_to(node, exc.node)) if node is not None else ""
        raise InputError([Problem(name, line, key, str(exc.problem), exc.fix)]) from None
    except yaml.MarkedYAMLError as exc:
        raise InputError([_syntax_problem(name, text, exc)]) from None
    except yaml.reader.ReaderError as exc:
        raise InputError([_unreadable(name, text, exc.position)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, None, "", f"is not valid YAML ({exc})", "")]) from None
    except RecursionError:
        raise InputError([_too_deep(name, None)]) from None
    finally:
        loader.dispose()
    lines = Lines()
    problems = Problems()
    if node is not None:
        lines.key_lines[()] = node.start_mark.line + 1
        _walk(node, (), lines, problems, path)
    problems.raise_if_any()
    return YamlDocument(path, data, lines, tuple(text.splitlines()))


def _path_to(root: yaml.Node, target: yaml.Node) -> Path_:
    """The key path of `target` in the document under `root` (the first place it is)."""
    stack: list[tuple[yaml.Node, Path_]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key is target:  # a key that cannot be used (a date that does not exist)
                    return (*path, str(key.value))
                stack.append((value, (*path, str(key.value))))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*path, i)) for i, item in enumerate(node.value))
    return ()


def _unreadable(name: str, text: str, position: int) -> Problem:
    """A character YAML does not allow (a NUL, a control character), at its line and column."""
    found = _CONTROL.search(text)
    position = found.start() if found else position
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    character = text[position] if position < len(text) else ""
    return Problem(
        name,
        line,
        "",
        f"column {column}: character {ord(character):#06x} is not allowed in a text file"
        if character
        else "has a character that is not allowed in a text file",
        "check it is the right file, and save it as UTF-8 text",
    )


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _bracket_depth(text: str) -> int | None:
    """The line where brackets (`[`, `{`) first nest deeper than MAX_DEPTH, or None.

    Checked on the text before the YAML parser sees it: libyaml reads nested brackets by
    recursion in C, which tens of thousands deep would overflow the stack. Brackets in
    quoted text count too, which only errs on the safe side."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for found in _BRACKETS.finditer(text):
        depth = depth + 1 if found.group() in "[{" else max(depth - 1, 0)
        if depth > MAX_DEPTH:
            return text.count("\n", 0, found.start()) + 1
    return None


_BRACKETS = re.compile(r"[\[\]{}]")


def _check_bounds(root: yaml.Node, name: str) -> None:
    """Refuses a document that nests deeper than MAX_DEPTH, whose aliases add more than
    MAX_ALIASED values, or that contains itself; walks each node once."""
    sizes: dict[int, int] = {}  # values under a node, counting what aliases repeat
    distinct = 0
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    open_nodes: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        children = _children(node)
        if done:
            open_nodes.discard(id(node))
            sizes[id(node)] = _weight(node) + sum(sizes[id(c)] for c in children)
            continue
        if id(node) in sizes:
            continue  # an alias of a node already measured
        if id(node) in open_nodes:
            raise InputError(
                [
                    Problem(
                        name,
                        node.start_mark.line + 1,
                        "",
                        "an alias (*name) repeats a value that contains it",
                        "write the values out instead of the alias",
                    )
                ]
            )
        if depth > MAX_DEPTH:
            raise InputError([_too_deep(name, node.start_mark.line + 1)])
        distinct += _weight(node)
        open_nodes.add(id(node))
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in children)
    if sizes[id(root)] - distinct > MAX_ALIASED:
        anchored = _first_alias_target(root)
        raise InputError(
            [
                Problem(
                    name,
                    anchored,
                    "",
                    f"aliases (*name) repeat more than {MAX_ALIASED:,} values (or 100 "
                    "characters of text for each)",
                    "write the values out, or use fewer aliases",
                )
            ]
        )


def _weight(node: yaml.Node) -> int:
    """A value, counted as one more for each 100 characters of text it holds."""
    return 1 + (len(node.value) // 100 if isinstance(node, yaml.ScalarNode) else 0)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _first_alias_target(root: yaml.Node) -> int | None:
    """The line of the first value that an alias repeats."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return int(node.start_mark.line) + 1
        seen.add(id(node))
        stack.extend(reversed(_children(node)))
    return None


def _too_deep(name: str, line: int | None) -> Problem:
    return Problem(
        name,
        line,
        "",
        f"is nested more than {MAX_DEPTH} levels deep",
        "check the indentation and brackets: reportgen's files nest a few levels",
    )


def _walk(node: yaml.Node, path: Path_, lines: Lines, problems: Problems, file: Path) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in seen:
                problems.add(
                    file,
                    line,
                    key_path((*path, key)),
                    f"is given twice (first on line {seen[key]})",
                    "keep one of them",
                )
            seen[key] = line
            child = (*path, key)
            lines.key_lines[child] = line
            _record_text_start(value_node, child, lines)
            _walk(value_node, child, lines, problems, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines.key_lines[child] = item.start_mark.line + 1
            _record_text_start(item, child, lines)
            _walk(item, child, lines, problems, file)


def _record_text_start(node: yaml.Node, path: Path_, lines: Lines) -> None:
    if isinstance(node, yaml.ScalarNode):
        block = node.style in ("|", ">")
        lines.text_lines[path] = node.start_mark.line + (2 if block else 1)


def _syntax_problem(name: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    problem = exc.problem or "syntax error"
    if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
        problem += f" ({exc.context} that starts on line {exc.context_mark.line + 1})"
    source = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
    if "\t" in source or "'\\t'" in problem:
        fix = "indent with spaces, not tabs"
    elif "{{" in source or "{%" in source:
        fix = (
            "text with live figures must be in quotes or in a | block "
            "(write `key: |` and the text indented on the lines below)"
        )
    elif "mapping values are not allowed" in problem:
        fix = "text containing ': ' must be in quotes or in a | block"
    else:
        fix = "check the indentation and quoting on this line and the one before"
    return Problem(name, line, "", f"YAML syntax error: {problem}", fix)
