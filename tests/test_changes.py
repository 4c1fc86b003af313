"""The indicator review: what was added, retired, replaced, split or merged (pure)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from reportgen.changes import compare
from reportgen.compute import compute
from reportgen.model import Indicator, Observation, Polarity, Unit
from reportgen.periods import Month
from reportgen.snapshot import Snapshot, published

JUNE = Month(2026, 6)


def indicator(
    id_: str, number: str, replaces: tuple[str, ...] = (), decision: str = ""
) -> Indicator:
    return Indicator(
        id=id_, title=f"Measure {id_}", unit=Unit.COUNT, polarity=Polarity.NONE,
        number=number, replaces=replaces, decision=decision,
    )  # fmt: skip


def results(*indicators: Indicator):  # type: ignore[no-untyped-def]
    return [
        compute(i, {JUNE: Observation(i.id, JUNE, value=Decimal(10))}, JUNE) for i in indicators
    ]


def snapshot_of(*indicators: Indicator) -> Snapshot:
    return Snapshot(
        "paper", "Panel", date(2026, 7, 1), "2026-06", "test", {},
        tuple(published(r, [r.period]) for r in results(*indicators)),
    )  # fmt: skip


def review(before: list[Indicator], now: list[Indicator], retired: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    changes = compare(snapshot_of(*before), results(*now), {i.id: i for i in now}, retired or {})
    return [(item.kind, item.text, item.decision) for item in changes.review]


def it_names_an_indicator_added_with_its_decision() -> None:
    assert review([indicator("A", "1")], [indicator("A", "1"), indicator("B", "2", decision="To add B.")]) == [
        ("added", "Indicator 2 (Measure B) added.", "To add B."),
    ]  # fmt: skip


def it_names_a_split_once_and_a_merge() -> None:
    old = [indicator("A", "23"), indicator("B", "7"), indicator("C", "15")]
    now = [
        indicator("A1", "23a", ("A",), "To split 23."),
        indicator("A2", "23b", ("A",), "To split 23."),
        indicator("BC", "41", ("B", "C"), "To combine 7 and 15."),
    ]
    assert review(old, now) == [
        ("split", "Indicator 23 (Measure A) split into 23a (Measure A1) and 23b (Measure A2).",
         "To split 23."),
        ("merged", "Indicators 7 and 15 merged into indicator 41 (Measure BC).",
         "To combine 7 and 15."),
    ]  # fmt: skip


def it_names_a_replacement_and_a_retirement_with_its_decision() -> None:
    old = [indicator("A", "1"), indicator("B", "2")]
    now = [indicator("A2", "3", ("A",))]
    assert review(old, now, {"B": "To stop B."}) == [
        ("replaced", "Indicator 1 replaced by indicator 3 (Measure A2).", ""),
        ("retired", "Indicator 2 (Measure B) retired.", "To stop B."),
    ]
