"""What changed since the last meeting (pure, no I/O): ratings that moved, figures printed
before that the data now give differently, and indicators added, retired, split or merged.

The last meeting is what its paper printed (a `Snapshot`); this meeting is the results as
computed now. Nothing here is typed by an officer, so a paper cannot leave a change out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from reportgen.domain.model import Indicator, Rag, Unit
from reportgen.domain.periods import Month, Period, Span, parse_period
from reportgen.results.compute import IndicatorResult, compute, rolling_figure, withheld
from reportgen.results.figures import NOT_AVAILABLE, SUPPRESSED, Figure, Number
from reportgen.results.records import PublishedIndicator, Snapshot


@dataclass(frozen=True)
class RatingChange:
    id: str
    number: str
    title: str
    before: Rag  # as the last paper printed it
    after: Rag
    # The last paper's rating worked out again on today's data, where a correction to its
    # figures changed it: a change that comes from a correction, not from performance.
    corrected: Rag | None = None
    month: str = ""  # the last paper's period, as a reader says it: `June`, `Q1 2026-27`

    @property
    def change(self) -> str:
        """As the committee reads it: `G to R`, `n/a to R`; where a correction moved it,
        `A to G (after correcting June's figure; on today's data June was already G)`."""
        text = f"{self.before.letter} to {self.after.letter}"
        if self.corrected is None:
            return text
        when = self.month
        if self.corrected is self.after:
            now = f"on today's data {when} was already {self.after.letter}"
        else:
            now = f"on today's data {self.corrected.letter} in {when}"
        return f"{text} (after correcting {when}'s figure; {now})"


@dataclass(frozen=True)
class Correction:
    id: str
    number: str
    title: str
    period: str  # the figure as a reader names it: `Q1 2026-27 figure`, `Year to date to June 2026`
    before: str
    after: str  # the figure now, or why there is none
    reason: str  # the data row's note, or ""
    withdrawn: bool = False  # printed then, no value now
    misfit: str = ""  # where the reason does not fit the change in counts, what is wrong

    @property
    def text(self) -> str:
        """`Q1 2026-27 figure corrected from 31 weeks to 28 weeks.`; `June 2026 figure of
        85% withdrawn: no data for June 2026.`"""
        if self.withdrawn:
            return f"{self.period} of {self.before} withdrawn: {self.after}."
        return f"{self.period} corrected from {self.before} to {self.after}."


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
    (under `suppress_up_to`): what was withheld is never known, so never told. A figure it
    recorded that today's rules withhold counts as withheld, whatever version recorded it."""
    ratings: list[RatingChange] = []
    corrections: list[Correction] = []
    for result in results:
        before = since.indicator(result.indicator.id)
        if before is None:
            continue
        indicator = result.indicator
        found = list(_corrections(before, result, suppress_up_to))
        corrections.extend(found)
        rag = Rag(before.rag)
        if rag is not result.rag:
            change = RatingChange(indicator.id, indicator.number, indicator.title, rag, result.rag)
            if found:
                change = _from_correction(change, result, since.period)
            ratings.append(change)
    return Changes(
        since, tuple(ratings), tuple(corrections), review(since, results, catalogue, retired)
    )


def _corrections(
    before: PublishedIndicator, result: IndicatorResult, suppress_up_to: int
) -> Iterator[Correction]:
    """Every figure `before` printed that the data now give differently: each period's
    figure, years to date and rolling 12 months, and any that now have no value."""
    indicator = result.indicator
    start = result.financial_year_start
    printed: list[tuple[str, Period, str, Figure, str]] = []  # kind, period, then, now, counts
    for code, text in before.figures.items():
        if (period := _period(code, result)) is not None:
            printed.append(("at", period, text, result.at(period), before.counts.get(code, "")))
    to_date = dict(before.to_date)
    if before.ytd:  # the year to date to the last paper's own period
        to_date.setdefault(before.period, before.ytd)
    for code, text in to_date.items():
        if (period := _period(code, result)) is not None and indicator.has_ytd:
            printed.append(("ytd", period, text, result.ytd_at(period), ""))
    for code, text in before.rolling.items():
        if (period := _period(code, result)) is not None:
            figure = rolling_figure(indicator, result.observations, period, start)
            printed.append(("rolling", period, text, figure, ""))
    limit = suppress_up_to
    small = [
        period
        for kind, period, text, now, counts in printed
        if kind == "at" and withheld_today(indicator, text, counts, now, limit)
    ]
    for kind, period, text, now, counts in printed:
        if kind == "at":
            hidden = period in small
        else:  # a total is withheld with any of its parts: the record keeps only those printed
            hidden = bool(limit) and (
                withheld_today(indicator, text, counts, now, limit)
                or withheld(indicator, now, limit)
                or any(_within(part, now.period) for part in small)
            )
        if hidden:  # whatever version recorded it, and whatever it recorded
            text, counts = SUPPRESSED, ""
        if text == NOT_AVAILABLE or now.text == text:
            continue
        if text == SUPPRESSED and withheld(indicator, now, suppress_up_to):
            continue  # withheld then and now: whether it changed is not for telling
        name = _name_of(kind, period)
        row = result.observations.get(period) if kind == "at" else None
        reason = (row.note if row is not None else "") or (now.note if kind == "at" else "")
        withdrawn = not (now.has_value or now.suppressed)
        yield Correction(
            indicator.id,
            indicator.number,
            indicator.title,
            name,
            text,
            (now.reason or NOT_AVAILABLE) if withdrawn else now.text,
            reason,
            withdrawn,
            "" if withdrawn else _misfit(reason, counts, now),
        )


_COUNT = re.compile(r"-?\d{1,3}(?:,\d{3})*(?:\.\d+)?|-?\d+(?:\.\d+)?")


def withheld_today(
    indicator: Indicator, text: str, counts: str, now: Figure, suppress_up_to: int
) -> bool:
    """Whether a figure a snapshot recorded (`text`, with its `counts`, `198 of 233`, where
    it kept them) is one today's rules withhold (`[c]`), whichever version recorded it: an
    earlier one kept the real small count the public saw as `[c]`. Where the record does not
    keep what the rule looks at (a percentage without its counts), it is withheld if the
    figure for the same period is withheld today."""
    if not suppress_up_to or text in (SUPPRESSED, NOT_AVAILABLE):
        return False
    recorded: Figure | None = None
    if indicator.unit is Unit.COUNT:
        if (match := _COUNT.match(text)) is not None:
            exact = Fraction(Decimal(match.group(0).replace(",", "")))
            recorded = replace(now, exact=exact, numerator=None, denominator=None)
    elif counts:
        numerator, _, denominator = counts.partition(" of ")
        try:
            parts = [Number(Decimal(n.replace(",", ""))) for n in (numerator, denominator)]
        except ArithmeticError:
            parts = []
        if len(parts) == 2:
            recorded = replace(now, exact=Fraction(1), numerator=parts[0], denominator=parts[1])
    if recorded is None:
        return withheld(indicator, now, suppress_up_to)
    return withheld(indicator, replace(recorded, suppressed=False), suppress_up_to)


def _within(part: Period, total: Period | Span | None) -> bool:
    return total is not None and total.first <= part.first and part.last <= total.last


def _period(code: str, result: IndicatorResult) -> Period | None:
    """The period a record names, of the indicator's grain or a longer one; None where the
    indicator's grain changed since (they are not the same figures)."""
    try:
        return parse_period(code, result.indicator.grain, result.financial_year_start)
    except ValueError:
        return None


def _name_of(kind: str, period: Period) -> str:
    if kind == "ytd":
        return f"Year to date to {period.last.label}"
    if kind == "rolling":
        return f"12 months to {period.last.label}"
    return f"{period.label} figure"


# A number of records and what was done with them, within a few words: bounded, so that a
# long note (data come from other people) is searched in time linear in its length.
_CLAIM = re.compile(
    r"(?<![\d,.])(\d{1,3}(?:,\d{3})*|\d+)\b[^.;]{0,80}?\b(added|removed|withdrawn|deleted|"
    r"taken out|included|excluded)\b",
    re.IGNORECASE,
)
_NOTE_READ = 500  # characters of a note searched for a claim: a reason is a sentence or two


def _misfit(reason: str, printed_counts: str, now: Figure) -> str:
    """What is wrong where a note's count of records added or removed does not fit the
    change in the figure's counts since they were printed (`12 assessments … were added`
    when the cases did not change and those in time rose by 10), or ""."""
    match = _CLAIM.search(reason[:_NOTE_READ])
    if match is None or not printed_counts or now.numerator is None or now.denominator is None:
        return ""
    numerator_then, _, denominator_then = printed_counts.partition(" of ")
    try:
        then = (
            Decimal(numerator_then.replace(",", "")),
            Decimal(denominator_then.replace(",", "")),
        )
    except ArithmeticError:
        return ""
    claimed = Decimal(match.group(1).replace(",", ""))
    if match.group(2).lower() in ("removed", "withdrawn", "deleted", "taken out", "excluded"):
        claimed = -claimed
    if Decimal(now.denominator) - then[1] == claimed:
        return ""
    return (
        f"the note says {match.group(0)!r}, but the cases counted "
        f"{_moved(then[1], now.denominator)} and those meeting the measure "
        f"{_moved(then[0], now.numerator)}"
    )


def _moved(then: Decimal, now: Decimal) -> str:
    """`went from 198 to 208 (+10)`, or `did not change (233)`."""
    if now == then:
        return f"did not change ({Number(now)!s})"
    return f"went from {Number(then)!s} to {Number(now)!s} ({Decimal(now) - then:+,})"


def _from_correction(change: RatingChange, result: IndicatorResult, month: str) -> RatingChange:
    """The change, told apart where the last paper's own rating is different on today's
    data: then the change comes (at least partly) from correcting its figures."""
    try:
        then = Month.parse(month)
    except ValueError:
        return change
    again = compute(
        result.indicator,
        result.observations,
        then,
        financial_year_start=result.financial_year_start,
    )
    if again.rag is change.before:
        return change
    when = then.label.split()[0] if again.period == then else again.period.label
    return replace(change, corrected=again.rag, month=when)


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
