"""Statutory officers' clearance of a paper (pure): which roles must clear it, who has,
and whether a sign-off still holds for the paper as it is now.

A sign-off records the content of the narrative it cleared (a hash of every key but the
clearance list itself, so a comment or a blank line changes nothing). A paper changed
after its clearance no longer matches: its clearance is out of date, and the paper prints
the role as not yet cleared.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from reportgen.domain.schema import NarrativeModel, SignOffModel


class ClearanceStatus(StrEnum):
    """A role's clearance of a paper as it is now; the value is the state in words."""

    CLEARED = "cleared"
    OUT_OF_DATE = "out of date"  # cleared before the paper changed
    NOT_CLEARED = "not cleared"


NOT_YET = "Not yet cleared"  # what the paper prints for a role without a sign-off


def content_of(narrative: NarrativeModel) -> str:
    """The hash a sign-off records: the narrative's content without its clearance list."""
    data = narrative.model_dump(mode="json", exclude={"clearance"})
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def same_role(one: str, other: str) -> bool:
    return one.casefold().split() == other.casefold().split()


@dataclass(frozen=True)
class RoleClearance:
    """One role of a paper's clearance list: cleared (by `name` on `date`), out of date
    (cleared by them before the paper changed), or not cleared."""

    role: str
    status: ClearanceStatus
    name: str = ""
    date: date | None = None

    @property
    def cleared(self) -> bool:
        return self.status is ClearanceStatus.CLEARED


def clearance(narrative: NarrativeModel, signoffs: Sequence[SignOffModel]) -> list[RoleClearance]:
    """Each role the narrative names, with its state given the sign-offs recorded."""
    content = content_of(narrative)
    found = []
    for entry in narrative.clearance:
        if entry.signed:
            found.append(RoleClearance(entry.role, ClearanceStatus.CLEARED, entry.name, entry.date))
            continue
        signed = [s for s in signoffs if same_role(s.role, entry.role)]
        current = [s for s in signed if s.content == content]
        if current:
            last = current[-1]
            found.append(RoleClearance(entry.role, ClearanceStatus.CLEARED, last.name, last.date))
        elif signed:
            last = signed[-1]
            found.append(
                RoleClearance(entry.role, ClearanceStatus.OUT_OF_DATE, last.name, last.date)
            )
        else:
            found.append(RoleClearance(entry.role, ClearanceStatus.NOT_CLEARED))
    return found


def is_cleared(roles: Sequence[RoleClearance]) -> bool:
    """Whether every role has cleared the paper as it is (a paper naming none is)."""
    return all(r.cleared for r in roles)
