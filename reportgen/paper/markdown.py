"""The small Markdown subset officers write in narrative (pure, no I/O).

Paragraphs are separated by blank lines; lines starting with `- ` are bullet items;
`**bold**` and `*italic*` work inside both; a backslash keeps an asterisk literal (`\\*`).
A paragraph starting `COMMITTEE DECISION:` records a decision, set apart from the text.
Anything else is plain text, so a lone `*` or an unclosed `**` prints as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_ESCAPED_STAR = "\ue000"  # a private-use character stands in for `\*` while parsing
_ESCAPED_BACKSLASH = "\ue001"
_BULLET = re.compile(r"^ {0,3}[-*•] +(.*)$")
# Bold may hold a single `*` (an italic) and italic a pair (a bold), nothing else with stars:
# a search from one `*` stops soon after, and a long run of stars costs linear time.
_BOLD = re.compile(r"\*\*(?=\S)((?:[^*]|\*(?!\*))+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<!\*)\*(?=[^\s*])((?:[^*]|\*\*)+?)(?<=[^\s*])\*(?!\*)")
_DECISION = re.compile(r"^(?:\*\*)?committee decision:(?:\*\*)?\s*", re.IGNORECASE)
DECISION_LABEL = "COMMITTEE DECISION:"


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Block:
    kind: Literal["paragraph", "bullet", "decision"]
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def parse_blocks(text: str) -> list[Block]:
    """Paragraphs and bullet items, in order; a single line break inside one is a space."""
    blocks: list[Block] = []
    kind: Literal["paragraph", "bullet"] | None = None
    lines: list[str] = []

    def flush() -> None:
        if kind is None or not lines:
            return
        text = " ".join(lines)
        decision = _DECISION.match(text) if kind == "paragraph" else None
        if decision:
            runs = (Run(DECISION_LABEL, bold=True), Run(" "), *parse_inline(text[decision.end() :]))
            blocks.append(Block("decision", runs))
        else:
            blocks.append(Block(kind, parse_inline(text)))

    for raw in text.splitlines():
        line = raw.strip()
        bullet = _BULLET.match(raw)
        if not line:
            flush()
            kind, lines = None, []
        elif bullet and not raw.lstrip().startswith("**"):
            flush()
            kind, lines = "bullet", [bullet.group(1).strip()]
        else:
            if kind is None:
                kind = "paragraph"
            lines.append(line)
    flush()
    return blocks


def parse_inline(text: str) -> tuple[Run, ...]:
    """Runs of plain, bold and italic text."""
    text = text.replace("\\\\", _ESCAPED_BACKSLASH).replace("\\*", _ESCAPED_STAR)
    runs = _merge(_inline(text, bold=False, italic=False))
    return tuple(
        Run(r.text.replace(_ESCAPED_STAR, "*").replace(_ESCAPED_BACKSLASH, "\\"), r.bold, r.italic)
        for r in runs
    )


def _inline(text: str, *, bold: bool, italic: bool) -> list[Run]:
    runs: list[Run] = []
    position = 0
    ahead = _Ahead(text, bold=bold, italic=italic)
    while position < len(text):
        match = ahead.first(position)
        if match is None:
            break
        emphasis, found = match
        if found.start() > position:
            runs.append(Run(text[position : found.start()], bold, italic))
        runs.extend(
            _inline(
                found.group(1),
                bold=bold or emphasis == "bold",
                italic=italic or emphasis == "italic",
            )
        )
        position = found.end()
    if position < len(text):
        runs.append(Run(text[position:], bold, italic))
    return runs


class _Ahead:
    """The next bold and next italic span from a position on. Each search's answer is kept
    while it still lies ahead, and a search that found nothing is not made again, so a text
    of many stars is read in linear time."""

    def __init__(self, text: str, *, bold: bool, italic: bool) -> None:
        self.text = text
        self.patterns = {"bold": None if bold else _BOLD, "italic": None if italic else _ITALIC}
        self.found: dict[str, re.Match[str] | None] = {}

    def first(self, position: int) -> tuple[str, re.Match[str]] | None:
        candidates = []
        for emphasis, pattern in self.patterns.items():
            if pattern is None:
                continue
            known = self.found.get(emphasis, ...)
            if known is ... or (known is not None and known.start() < position):
                known = self.found[emphasis] = pattern.search(self.text, position)
            if known is not None:
                candidates.append((emphasis, known))
        if not candidates:
            return None
        return min(candidates, key=lambda c: (c[1].start(), c[0] != "bold"))


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        else:
            merged.append(run)
    return merged
