"""The indicator review: what was added, retired, replaced, split or merged (pure)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from reportgen.domain.model import Indicator, Observation, Polarity, Unit
from reportgen.domain.periods import Month
from reportgen.inputs.snapshots import dump
from reportgen.results.changes import compare
from reportgen.results.compute import compute
from reportgen.results.records import PublishedIndicator, Snapshot, previous, published

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


def snapshot_printing(figure: str, *, exempt: bool = False, paper: str = "paper") -> Snapshot:
    (printed,) = snapshot_of(indicator("A", "1")).indicators
    figures = {code: figure for code in printed.figures}
    return Snapshot(
        paper, "Panel", date(2026, 7, 1), "2026-06", "test", {},
        (replace(printed, figures=figures, ytd=figure),), exempt,
    )  # fmt: skip


def corrections(since: Snapshot, count: int, limit: int = 5) -> list[str]:
    a = indicator("A", "1")
    now = compute(
        replace(a, suppress_up_to=limit) if limit else a,
        {JUNE: Observation("A", JUNE, value=Decimal(count))},
        JUNE,
    )
    return [c.text for c in compare(since, [now], {"A": a}, {}, 5).corrections]


def it_never_tells_a_figure_that_was_withheld() -> None:
    withheld = snapshot_printing("[c]")
    # Withheld then and withheld now (in the public paper, or under the rule in the internal
    # one): whether it changed is not told.
    assert corrections(withheld, 3) == []
    assert corrections(withheld, 3, limit=0) == []
    # Withheld then, and a figure the public may see now: the data changed, and the earlier
    # figure stays withheld.
    # (Here the year to date is June alone, so it was printed and changed alike.)
    assert corrections(withheld, 12) == [
        "June 2026 figure corrected from [c] to 12.",
        "Year to date to June 2026 corrected from [c] to 12.",
    ]
    # A total withheld now is not told as it was either: whether it was withheld then
    # depends on its parts then, which the record does not keep.
    assert corrections(snapshot_printing("7"), 3) == ["June 2026 figure corrected from 7 to [c]."]


def it_withholds_a_recorded_total_with_a_part_the_rules_withhold_today() -> None:
    """An earlier version recorded May's real 3 and the year to date it is part of, where
    the public saw `[c]` for both; May is 13 now. Told as recorded, the year to date less
    April and June would give May's 3 away."""
    a = indicator("A", "1")
    months = {Month(2026, 4): 500, Month(2026, 5): 13, JUNE: 600}
    now = compute(
        replace(a, suppress_up_to=5),
        {m: Observation("A", m, value=Decimal(v)) for m, v in months.items()},
        JUNE,
    )
    (printed,) = snapshot_of(a).indicators
    recorded = replace(
        printed, figures={"2026-04": "500", "2026-05": "3", "2026-06": "600"}, ytd="1,103"
    )
    since = Snapshot("paper", "Panel", date(2026, 7, 1), "2026-06", "0.0.9", {}, (recorded,))
    assert [c.text for c in compare(since, [now], {"A": a}, {}, 5).corrections] == [
        "May 2026 figure corrected from [c] to 13.",
        "Year to date to June 2026 corrected from [c] to 1,113.",
    ]


def it_bases_a_public_paper_only_on_public_papers() -> None:
    public = snapshot_printing("7", paper="a-public")
    exempt = snapshot_printing("9", exempt=True, paper="b-exempt")  # the same meeting, later name
    both = (public, exempt)
    assert previous(both, "Panel", date(2026, 9, 1), public=True) is public
    assert previous(both, "Panel", date(2026, 9, 1), public=False) is exempt
    assert previous((exempt,), "Panel", date(2026, 9, 1), public=True) is None


def it_checks_a_snapshot_from_before_exempt_was_recorded_as_it_did() -> None:
    public = snapshot_printing("7")
    assert "exempt" not in dump(public)
    assert '"exempt": true' in dump(replace(public, exempt=True))
    assert replace(public, exempt=True).check != public.check


@pytest.mark.parametrize(
    ("counts", "now", "told"),
    [
        ({}, (2, 40), []),  # no counts kept, withheld today: withheld then too
        ({}, (20, 40), ["June 2026 figure corrected from 40% to 50%."]),
        ({"2026-06": "3 of 8"}, (20, 40), ["June 2026 figure corrected from [c] to 50%."]),
        ({"2026-06": "16 of 40"}, (2, 40), ["June 2026 figure corrected from 40% to [c]."]),
    ],
    ids=["no-counts-withheld-now", "no-counts", "small-counts", "counts"],
)
def it_withholds_a_recorded_percentage_by_its_counts_or_else_by_todays(
    counts: dict[str, str], now: tuple[int, int], told: list[str]
) -> None:
    a = Indicator(id="A", title="Measure A", unit=Unit.PERCENT, polarity=Polarity.NONE, number="1")
    row = Observation("A", JUNE, numerator=Decimal(now[0]), denominator=Decimal(now[1]))
    result = compute(replace(a, suppress_up_to=5), {JUNE: row}, JUNE)
    recorded = PublishedIndicator(
        "A", "1", "Measure A", "2026-06", "Not rated", "", "", "", "", "",
        {"2026-06": "40%"}, counts,
    )  # fmt: skip
    since = Snapshot("paper", "Panel", date(2026, 7, 1), "2026-06", "0.0.9", {}, (recorded,))
    assert [c.text for c in compare(since, [result], {"A": a}, {}, 5).corrections] == told
