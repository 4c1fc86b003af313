"""What changed since the last meeting (pure, no I/O): ratings that moved, figures printed
before that the data now give differently, and indicators added, retired, split or merged.

The last meeting is what its paper printed (a `Snapshot`); this meeting is the results as
computed now. Nothing here is typed by an officer, so a paper cannot leave a change out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reportgen.domain.model import Indicator, Rag
from reportgen.results.compute import IndicatorResult, withheld
from reportgen.results.figures import NOT_AVAILABLE, SUPPRESSED
from reportgen.results.records import Snapshot


@dataclass(frozen=True)
class RatingChange:
    id: str
    number: str
    title: str
    before: Rag
    after: Rag

    @property
    def change(self) -> str:
        """As the committee reads it: `G to R`, `n/a to R`."""
        return f"{self.before.letter} to {self.after.letter}"


@dataclass(frozen=True)
class Correction:
    id: str
    number: str
    title: str
    period: str  # as a reader says it: `Q1 2026-27`
    before: str
    after: str
    reason: str  # the data row's note, or ""

    @property
    def text(self) -> str:
        """`Q1 2026-27 figure corrected from 31 weeks to 28 weeks.`"""
        return f"{self.period} figure corrected from {self.before} to {self.after}."


@dataclass(frozen=True)
class ReviewItem:
    kind: str  # added, retired, replaced, split, merged
    text: str
    decision: str  # the committee decision that made it, or ""


@dataclass(frozen=True)
class Changes:
    """Everything that changed between the last published paper and this one."""

    since: Snapshot
    ratings: tuple[RatingChange, ...]
    corrections: tuple[Correction, ...]
    review: tuple[ReviewItem, ...]


def compare(
    since: Snapshot,
    results: Sequence[IndicatorResult],
    catalogue: Mapping[str, Indicator],
    retired: Mapping[str, str],
    suppress_up_to: int = 0,
) -> Changes:
    """This paper's results against what `since` printed. `retired` gives the committee
    decision that retired each indicator no longer in the catalogue.

    A figure `since` withheld (`[c]`) is compared only with one the public may see now
    (under `suppress_up_to`): what was withheld is never known, so never told."""
    ratings, corrections = [], []
    for result in results:
        before = since.indicator(result.indicator.id)
        if before is None:
            continue
        indicator = result.indicator
        rag = Rag(before.rag)
        if rag is not result.rag:
            ratings.append(
                RatingChange(indicator.id, indicator.number, indicator.title, rag, result.rag)
            )
        for code, printed in before.figures.items():
            try:
                period = indicator.grain.parse(code, result.financial_year_start)
            except ValueError:  # the indicator's grain changed since: not the same figures
                continue
            if printed == NOT_AVAILABLE or not result.has_data([period]):
                continue
            now = result.at(period)
            if printed == SUPPRESSED and withheld(indicator, now, suppress_up_to):
                continue  # withheld then and now: whether it changed is not for telling
            if (now.has_value or now.suppressed) and now.text != printed:
                reason = result.observations[period].note if period in result.observations else ""
                corrections.append(
                    Correction(
                        indicator.id,
                        indicator.number,
                        indicator.title,
                        period.label,
                        printed,
                        now.text,
                        reason or now.note,
                    )
                )
    return Changes(
        since, tuple(ratings), tuple(corrections), review(since, results, catalogue, retired)
    )


def review(
    since: Snapshot,
    results: Sequence[IndicatorResult],
    catalogue: Mapping[str, Indicator],
    retired: Mapping[str, str],
) -> tuple[ReviewItem, ...]:
    """Indicators added, retired, replaced, split or merged since `since`."""
    before = {i.id: i for i in since.indicators}
    now = [r.indicator for r in results]
    now_ids = {i.id for i in now}
    items: list[ReviewItem] = []
    replaced: set[str] = set()
    for indicator in now:
        if indicator.id in before:
            continue
        old = [before[i] for i in indicator.replaces if i in before]
        replaced.update(o.id for o in old)
        if len(old) > 1:
            names = _and([o.number for o in old])
            text = f"Indicators {names} merged into indicator {_name(indicator)}."
            items.append(ReviewItem("merged", text, indicator.decision))
        elif old:
            into = [i for i in now if old[0].id in i.replaces and i.id not in before]
            if len(into) > 1:
                if indicator is into[0]:
                    parts = _and([_name(i) for i in into])
                    text = f"Indicator {old[0].number} ({old[0].title}) split into {parts}."
                    items.append(ReviewItem("split", text, indicator.decision))
            else:
                text = f"Indicator {old[0].number} replaced by indicator {_name(indicator)}."
                items.append(ReviewItem("replaced", text, indicator.decision))
        else:
            items.append(
                ReviewItem("added", f"Indicator {_name(indicator)} added.", indicator.decision)
            )
    for gone in since.indicators:
        if gone.id in now_ids or gone.id in replaced:
            continue
        text = f"Indicator {gone.number} ({gone.title}) retired."
        items.append(ReviewItem("retired", text, retired.get(gone.id, "")))
    return tuple(items)


def _name(indicator: Indicator) -> str:
    return f"{indicator.number} ({indicator.title})"


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
