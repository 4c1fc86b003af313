"""Two versions of a paper compared as its words, the way Word's track changes shows them:
each part of the paper (summary, key point 2, section 1 text, …) that changed, its words
added and removed marked. The YAML is compared only for analysts."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import reportgen
from reportgen.web import editing

# A word, or a live figure or template code whole (`{{ NI59.latest }}`), or the space between.
_WORDS = re.compile(r"[^\s{]*(?:\{\{.*?\}\}|\{%.*?%\})\S*|\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "added", "removed"
    text: str


@dataclass(frozen=True)
class Part:
    """One part of the paper that changed, with its words in order."""

    label: str  # "Summary", "Key point 2"
    pieces: list[Piece]


def compared(old: str, new: str) -> list[Part] | None:
    """The parts of the paper whose words differ between the texts `old` and `new`, in
    the paper's order; None where either cannot be read as a paper's fields."""
    before, after = editing.parse(old), editing.parse(new)
    if before is None or after is None:
        return None
    was = {f.key: f for f in reportgen.narrative_fields(before)}
    now = {f.key: f for f in reportgen.narrative_fields(after)}
    keys = list(now) + [k for k in was if k not in now]
    parts = []
    for key in keys:
        a, b = was.get(key), now.get(key)
        old_text, new_text = (a.text if a else ""), (b.text if b else "")
        if old_text.split() != new_text.split():
            label = (b or a).label  # type: ignore[union-attr]
            parts.append(Part(label, words(old_text, new_text)))
    return parts


def words(old: str, new: str) -> list[Piece]:
    """`new` against `old`, word by word: runs of words kept, added and removed."""
    a, b = _WORDS.findall(" ".join(old.split())), _WORDS.findall(" ".join(new.split()))
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", "".join(b[j1:j2])))
    return pieces
