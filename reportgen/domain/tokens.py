"""A text box's words as the pieces an officer sees (pure: no Django, no Jinja): plain
text, a live figure (`{{ NI59.latest }}`), other template code (`{% … %}`, `{# … #}`),
and Markdown emphasis (`**bold**`, `*italic*`) holding pieces of its own. Joined back,
the pieces are the text exactly, byte for byte: `join(parts(text)) == text` for every
text, so that a box shown as pieces and saved untouched is saved unchanged.

Emphasis is read as the paper reads it (`reportgen.paper.markdown`): `\\*` is an
asterisk, a lone `*` (`5 * 3`) is text, a bullet's `* ` is text, emphasis never crosses a
blank line, and `_underscores_` are text (the paper prints them as typed). Anything in
braces that is not a whole `{{ … }}`, `{% … %}` or `{# … #}` (an unclosed `{{`, a
`{ single }`) is text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "figure", "code", "bold", "italic"]
MARKERS = {"bold": "**", "italic": "*"}
_OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
# Each atom (a figure, template code, an escape, a bullet's star) stands as one character
# of the Supplementary Private Use Area while emphasis is read, so that a figure is one
# indivisible thing and never holds a star of the emphasis around it.
_FIRST_STAND_IN = 0xF0000
_MOST_ATOMS = 0xFFFD - 0x0000
_STAND_INS = re.compile("[\U000f0000-\U000ffffd]")
_BOLD = re.compile(r"\*\*(?=\S)((?:[^*]|\*(?!\*))+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<!\*)\*(?=[^\s*])((?:[^*]|\*\*)+?)(?<=[^\s*])\*(?!\*)")
# Where an atom may start: template code, an escape, a bullet's star.
_CANDIDATE = re.compile(r"\{[{%#]|\\[\\*]|(?m:^) {0,3}\*(?!\*) +")
_LONGEST_CODE = 10_000
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Part:
    """One piece of a box's words: `text` (its words), `figure` or `code` (its source,
    exactly as written, spaces inside kept), or `bold`/`italic` (its pieces inside)."""

    kind: Kind
    source: str = ""
    inside: tuple[Part, ...] = ()

    @property
    def expression(self) -> str:
        """A figure's expression, without its braces and the spaces around it."""
        return self.source[2:-2].strip() if self.kind in ("figure", "code") else ""


def join(found: tuple[Part, ...] | list[Part]) -> str:
    """The text the pieces were read from."""
    out = []
    for part in found:
        if part.kind in MARKERS:
            marker = MARKERS[part.kind]
            out.append(marker + join(part.inside) + marker)
        else:
            out.append(part.source)
    return "".join(out)


def parts(text: str) -> tuple[Part, ...]:
    """The pieces of `text`, in order: `join(parts(text)) == text`."""
    atoms, plain = _atoms(text)
    if _STAND_INS.search(text) or len(atoms) > _MOST_ATOMS:
        return _merged(_unread(text))
    found: list[Part] = []
    position = 0
    for gap in _PARAGRAPH_BREAK.finditer(plain):
        found.extend(_emphasis(plain[position : gap.start()], atoms, bold=False, italic=False))
        found.append(Part("text", gap.group()))
        position = gap.end()
    found.extend(_emphasis(plain[position:], atoms, bold=False, italic=False))
    return _merged(found)


def _atoms(text: str) -> tuple[list[Part], str]:
    """The text's atoms (figures, code, escapes, bullet stars) and the text with each
    replaced by its stand-in character."""
    atoms: list[Part] = []
    out: list[str] = []
    position = 0
    for start, end, kind in _spans(text):
        out.append(text[position:start])
        out.append(chr(_FIRST_STAND_IN + min(len(atoms), _MOST_ATOMS)))
        atoms.append(Part(kind, text[start:end]))
        position = end
    out.append(text[position:])
    return atoms, "".join(out)


def _spans(text: str) -> list[tuple[int, int, Kind]]:
    """(start, end, kind) of every atom, in order, none overlapping."""
    found: list[tuple[int, int, Kind]] = []
    code = _Code(text)
    position = 0
    while True:
        candidate = _CANDIDATE.search(text, position)
        if candidate is None:
            return found
        start = candidate.start()
        if text[start] == "{":
            end = code.end_of(start)
            if end is None:
                position = start + 1
                continue
            kind: Kind = "figure" if text[start + 1] == "{" else "code"
            found.append((start, end, kind))
        else:
            end = candidate.end()
            found.append((start, end, "text"))
        position = end


class _Code:
    """Where a `{{ … }}`, `{% … %}` or `{# … #}` starting at a place ends, its quoted
    strings read as Jinja reads them (a `}}` in quotes does not end it). Each search for
    a closing `}}` is kept while it lies ahead, so a text of many unclosed braces is read
    in linear time."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.closing: dict[str, int] = {}
        self.quotes = [i for i, c in enumerate(text) if c in "'\""]

    def end_of(self, start: int) -> int | None:
        closer = _OPENERS[self.text[start : start + 2]]
        close = self._next(closer, start + 2)
        if close < 0:
            return None
        first_quote = bisect.bisect_left(self.quotes, start + 2)
        if closer == "#}" or first_quote == len(self.quotes) or self.quotes[first_quote] >= close:
            return close + 2
        return self._scanned(start + 2, closer)

    def _next(self, closer: str, position: int) -> int:
        kept = self.closing.get(closer)
        if kept is None or (0 <= kept < position):
            kept = self.text.find(closer, position)
            self.closing[closer] = kept
        return kept

    def _scanned(self, position: int, closer: str) -> int | None:
        """The end of the code, read a character at a time (as far as _LONGEST_CODE)."""
        text, quote = self.text, ""
        last = min(len(text), position + _LONGEST_CODE)
        while position < last:
            c = text[position]
            if quote:
                position += 2 if c == "\\" else 1
                quote = "" if c == quote else quote
                continue
            if text.startswith(closer, position):
                return position + 2
            quote = c if c in "'\"" else ""
            position += 1
        return None


def _unread(text: str) -> list[Part]:
    """The text as its atoms and the plain text between them, no emphasis read: for a
    text holding the stand-ins' own characters, or too many atoms to stand in for."""
    out: list[Part] = []
    position = 0
    for start, end, kind in _spans(text):
        out.extend((Part("text", text[position:start]), Part(kind, text[start:end])))
        position = end
    out.append(Part("text", text[position:]))
    return out


def _emphasis(plain: str, atoms: list[Part], *, bold: bool, italic: bool) -> list[Part]:
    """The pieces of a stretch of text with stand-ins, emphasis read as the paper reads it:
    the nearest span first, bold before italic where both start at one place."""
    found: list[Part] = []
    patterns: dict[Kind, re.Pattern[str] | None] = {
        "bold": None if bold else _BOLD,
        "italic": None if italic else _ITALIC,
    }
    ahead: dict[Kind, re.Match[str] | Literal[False] | None] = {}
    position = 0
    while position < len(plain):
        for kind, pattern in patterns.items():
            kept = ahead.get(kind, False)
            # A search's answer still ahead is the answer from here too; one that found
            # nothing will find nothing later either.
            if pattern is not None and (kept is False or (kept and kept.start() < position)):
                ahead[kind] = pattern.search(plain, position)
        matches = [(m.start(), k != "bold", k, m) for k, m in ahead.items() if m]
        if not matches:
            break
        _, _, kind, match = min(matches, key=lambda m: (m[0], m[1]))
        found.extend(_expanded(plain[position : match.start()], atoms))
        inner = _emphasis(
            match.group(1), atoms, bold=bold or kind == "bold", italic=italic or kind == "italic"
        )
        found.append(Part(kind, inside=_merged(inner)))
        position = match.end()
    found.extend(_expanded(plain[position:], atoms))
    return found


def _expanded(plain: str, atoms: list[Part]) -> list[Part]:
    """A stretch without emphasis, its stand-ins put back as their atoms."""
    out: list[Part] = []
    position = 0
    for stand_in in _STAND_INS.finditer(plain):
        out.append(Part("text", plain[position : stand_in.start()]))
        out.append(atoms[ord(stand_in.group()) - _FIRST_STAND_IN])
        position = stand_in.end()
    out.append(Part("text", plain[position:]))
    return out


def _merged(found: list[Part]) -> tuple[Part, ...]:
    """Neighbouring texts as one, and no empty text."""
    out: list[Part] = []
    for part in found:
        if part.kind == "text" and not part.source:
            continue
        if part.kind == "text" and out and out[-1].kind == "text":
            out[-1] = Part("text", out[-1].source + part.source)
        else:
            out.append(part)
    return tuple(out)


_INDICATOR = re.compile(r"""\bind\[\s*["']([A-Za-z]\w*)["']\s*\]""")
_LETTERS_DIGITS = re.compile(r"\b(NI)(\d+)\b")  # national indicators are said "NI 59"
_WORDS = {"ytd": "year to date", "rag": "rating", "ordinal": "in words"}
_STRING = re.compile(r"""^\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*$""")


def readable(part: Part) -> str:
    """A figure's expression in words, for an officer who has never seen one written:
    `NI59.ytd.value - NI59.ytd_at("2010-09").value` is `NI 59 ytd value − NI 59 ytd at
    2010-09 value`; a number meant as typed (`{{ "85%" }}`) is `85%, as typed`."""
    expression = part.expression
    if part.kind == "code":
        return f"Template code: {' '.join(expression.lstrip('%#-').split())}"
    fixed = _STRING.match(expression)
    if fixed:
        return f"{fixed.group(1) if fixed.group(1) is not None else fixed.group(2)}, as typed"
    words = _INDICATOR.sub(r"\1", expression)
    words = _LETTERS_DIGITS.sub(r"\1 \2", words)
    words = re.sub(r"""["'()\[\]._]""", " ", words)
    words = words.replace("|", ",").replace(" - ", " − ")
    words = " ".join(_WORDS.get(word, word) for word in words.split())
    return re.sub(r"\s+,", ",", words) or "Empty live figure"
