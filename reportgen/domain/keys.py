"""Where a value is in an input file, as messages say it (pure): keys as the officer typed
them, positions in lists counted from 1 in words (`key point 2`, `section 3 text`)."""

from __future__ import annotations

from collections.abc import Sequence


def key_path(path: Sequence[str | int]) -> str:
    """A key path as an officer reads it, positions counted from 1: `key point 2`,
    `section 3 text`, `indicator 2 target.profile.2010-02-30`."""
    said = ""
    after_position = False
    for part in path:
        if isinstance(part, int):
            head, _, name = said.rpartition(".")
            said = f"{head}.{_one(name)}" if head else _one(name)
            said += f" {part + 1}"
            after_position = True
        else:
            said += (" " if after_position else ".") + str(part) if said else str(part)
            after_position = False
    return said


def position(name: str, index: int, *rest: str) -> str:
    """`key_path` of one list entry: `position("sections", 2, "text")` is `section 3 text`."""
    return key_path((name, index, *rest))


def _one(name: str) -> str:
    """The name of one entry of a list key: `key_points` → `key point`."""
    words = name.replace("_", " ")
    if words.endswith("ies"):
        return words[:-3] + "y"
    return words[:-1] if words.endswith("s") and not words.endswith("ss") else words
