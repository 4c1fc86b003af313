"""Figures counted from case records by a catalogue entry's `cases:` rule, vectorised in
pandas: every period at once for a flow, one array pass a period for a snapshot.

A table arrives read and checked (`reportgen.inputs.cases`): one row a record, `child` a
whole-number code for the child, each date column as datetime64 (NaT where blank), other
columns as text, `line` its line in the file and `left_out` why a record is left out of
every figure ("" when it is used). Nothing here reads a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from reportgen.cases.calendar import working_days
from reportgen.domain.cases import CaseRule, TimeUnit
from reportgen.domain.model import Unit
from reportgen.domain.periods import FinancialYear, Grain, Period

Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Counted:
    """One period's figures: the engine's numerator, denominator or value."""

    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    counted: int = 0  # records (or children) counted
    available: bool = True  # False: nothing to divide by (no records, no population)


@dataclass(frozen=True)
class Explained:
    """How one period's figure was counted: each step, and the records behind it."""

    steps: tuple[tuple[str, int], ...]
    figure: Counted
    records: pd.DataFrame  # one row a record in the period: child, line, dates, counted, meets


@dataclass(frozen=True)
class Context:
    """What a rule needs besides its table."""

    unit: Unit
    grain: Grain
    start_month: int  # the financial year's first month
    holidays: npt.NDArray[np.datetime64]
    population: dict[FinancialYear, Decimal]  # children 0 to 17, for rates per 10,000


def figures(
    rule: CaseRule, table: pd.DataFrame, periods: Sequence[Period], context: Context
) -> dict[Period, Counted]:
    """Each period's figures under `rule`."""
    used = _used(rule, table)
    if rule.snapshot:
        return _snapshots(rule, used, periods, context)
    return _flows(rule, used, periods, context)


def explain(rule: CaseRule, table: pd.DataFrame, period: Period, context: Context) -> Explained:
    """The steps and the records behind one period's figure."""
    steps: list[tuple[str, int]] = [(f"records in {rule.table}", len(table))]
    left = table["left_out"] != ""
    if left.any():
        for reason, count in table.loc[left, "left_out"].value_counts().sort_index().items():
            steps.append((f"left out: {reason}", int(count)))
    kept = table[~left]
    used = _used(rule, table)
    if rule.filters:
        said = "; ".join(f"{c} is {' or '.join(v)}" for c, v in rule.filters)
        steps.append((f"left out: not matching the filter ({said})", len(kept) - len(used)))
    if rule.snapshot:
        figure, rows, numbered = _snapshot_explained(rule, used, period, context)
    else:
        figure, rows, numbered = _flow_explained(rule, used, period, context)
    steps += numbered
    return Explained(tuple(steps), figure, rows)


# --- which records a rule reads --------------------------------------------------------


def _used(rule: CaseRule, table: pd.DataFrame) -> pd.DataFrame:
    """The records a rule reads: not left out, and matching its filter."""
    keep = table["left_out"].to_numpy() == ""
    for column, values in rule.filters:
        keep &= table[column].isin(values).to_numpy()
    return table[keep]


def _days(dates: pd.Series) -> npt.NDArray[np.datetime64]:
    days: npt.NDArray[np.datetime64] = dates.to_numpy(dtype="datetime64[ns]").astype(
        "datetime64[D]"
    )
    return days


def _period_index(
    days: npt.NDArray[np.datetime64], grain: Grain, start: int
) -> npt.NDArray[np.int64]:
    """A whole number for the period of each day (months since January 1970, or quarters
    or financial years counted the same way); arbitrary for NaT, which the caller leaves
    out."""
    months = days.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    if grain is Grain.MONTH:
        return months
    shifted = months - (start - 1)
    return np.floor_divide(shifted, 3 if grain is Grain.QUARTER else 12)


def _index_of(period: Period, grain: Grain, start: int) -> int:
    first = period.first
    day = np.array([f"{first.year:04d}-{first.month:02d}-01"], dtype="datetime64[D]")
    return int(_period_index(day, grain, start)[0])


def _bounds(period: Period) -> tuple[np.datetime64, np.datetime64]:
    """The first and last day of a period."""
    first, last = period.first, period.last
    begin = np.datetime64(f"{first.year:04d}-{first.month:02d}-01", "D")
    after = np.datetime64(f"{last.year:04d}-{last.month:02d}", "M") + np.timedelta64(1, "M")
    return begin, after.astype("datetime64[D]") - np.timedelta64(1, "D")


# --- what a rule measures of each record -----------------------------------------------


def _measure(rule: CaseRule, used: pd.DataFrame, context: Context) -> Measured:
    """For each record: whether it can be measured, its duration (days or working days;
    None when the rule measures none), whether it meets the measure, and why one that
    cannot be measured is left out."""
    n = len(used)
    measurable = np.ones(n, dtype=bool)
    reasons = pd.Series("", index=used.index, dtype=object)
    meets = np.zeros(n, dtype=bool)
    length: npt.NDArray[np.float64] | None = None
    part = rule.within or rule.duration
    if part is not None:
        start, end = used[part.start], used[part.end]
        for column, values in ((part.start, start), (part.end, end)):
            blank = values.isna().to_numpy()
            reasons[blank & (reasons == "").to_numpy()] = f"no {column}"
            measurable &= ~blank
        length = np.full(n, np.nan)
        begin, finish = _days(start[measurable]), _days(end[measurable])
        if part.unit is TimeUnit.WORKING_DAYS:
            length[measurable] = working_days(begin, finish, context.holidays)
        else:
            length[measurable] = (finish - begin).astype(np.int64)
        if rule.within is not None:
            limit = rule.within.limit
            if rule.within.unit is TimeUnit.MONTHS:
                latest = start[measurable] + pd.DateOffset(months=limit)
                meets[measurable] = (end[measurable] <= latest).to_numpy()
            else:
                days = limit * 7 if rule.within.unit is TimeUnit.WEEKS else limit
                meets[measurable] = length[measurable] <= days
    if rule.previous is not None:
        meets = _has_previous(used, rule.in_period, rule.previous.months)
    return measurable, length, meets, reasons


def _has_previous(used: pd.DataFrame, column: str, months: int) -> Bools:
    """Whether the record's child has a record dated strictly earlier: on or after the
    same day `months` months before (`months` 0: ever)."""
    dated = used[[column, "child"]].dropna()
    pairs = dated.drop_duplicates().sort_values(["child", column])
    child = pairs["child"].to_numpy()
    day = pairs[column]
    same = np.r_[False, child[1:] == child[:-1]]
    before = day.shift(1)
    if months:
        earliest = day - pd.DateOffset(months=months)
        found = same & (before >= earliest).to_numpy()
    else:
        found = same
    lookup = pd.Series(found, index=pd.MultiIndex.from_frame(pairs[["child", column]]))
    keys = pd.MultiIndex.from_frame(used[["child", column]])
    found_: Bools = lookup.reindex(keys, fill_value=False).to_numpy(dtype=bool)
    return found_


# --- flows: records whose date falls in the period -------------------------------------


Measured = tuple[Bools, npt.NDArray[np.float64] | None, Bools, pd.Series]  # see _measure


def _flows(
    rule: CaseRule,
    used: pd.DataFrame,
    periods: Sequence[Period],
    context: Context,
    measured: Measured | None = None,
) -> dict[Period, Counted]:
    if not periods:
        return {}
    measurable, length, meets, _ = measured if measured else _measure(rule, used, context)
    dates = used[rule.in_period]
    dated = dates.notna().to_numpy() & measurable
    index = _period_index(_days(dates), context.grain, context.start_month)
    wanted = {_index_of(p, context.grain, context.start_month): p for p in periods}
    low, high = min(wanted), max(wanted)
    inside = dated & (index >= low) & (index <= high)
    slot = index[inside] - low
    size = high - low + 1
    counted: npt.NDArray[Any]
    meeting: npt.NDArray[Any]
    total: npt.NDArray[Any]
    if rule.children:
        child = used["child"].to_numpy()[inside]
        pairs = pd.DataFrame({"slot": slot, "child": child, "meets": meets[inside]})
        counted = np.bincount(pairs.drop_duplicates(["slot", "child"])["slot"], minlength=size)
        met = pairs[pairs["meets"]].drop_duplicates(["slot", "child"])["slot"]
        meeting = np.bincount(met, minlength=size)
        total = np.zeros(size)
    else:
        counted = np.bincount(slot, minlength=size)
        meeting = np.bincount(slot, weights=meets[inside].astype(float), minlength=size)
        lengths = length[inside] if length is not None else np.zeros(int(inside.sum()))
        total = np.bincount(slot, weights=lengths, minlength=size)
    return {
        period: _counted(
            int(counted[i - low]), int(meeting[i - low]), total[i - low], period, rule, context
        )
        for i, period in wanted.items()
    }


def _flow_explained(
    rule: CaseRule, used: pd.DataFrame, period: Period, context: Context
) -> tuple[Counted, pd.DataFrame, list[tuple[str, int]]]:
    first, last = _bounds(period)
    day = _days(used[rule.in_period])
    inside = (day >= first) & (day <= last)
    measured = _measure(rule, used, context)
    measurable, length, meets, reasons = measured
    steps = [(f"{rule.in_period} in {period.label}", int(inside.sum()))]
    for reason, count in reasons[inside & ~measurable].value_counts().sort_index().items():
        steps.append((f"left out: {reason}", int(count)))
    counted_rows = inside & measurable
    rows = _rows(rule, used, inside, counted_rows, meets, length, reasons)
    figure = _flows(rule, used, [period], context, measured)[period]
    steps += _result_steps(rule, figure, context)
    return figure, rows, steps


# --- snapshots: records open on the period's last day ----------------------------------


@dataclass(frozen=True)
class _Open:
    """A table's records as arrays, for a snapshot on any day: computed once a rule."""

    begin: npt.NDArray[np.datetime64]
    end: npt.NDArray[np.datetime64]
    child: npt.NDArray[np.int64]
    runs: pd.DataFrame | None  # child, begin, end of each run of records (`at_least`)

    @classmethod
    def of(cls, rule: CaseRule, used: pd.DataFrame) -> _Open:
        begin, end = _days(used[rule.open_from]), _days(used[rule.open_to])
        child = used["child"].to_numpy()
        return cls(begin, end, child, _runs(rule, used) if rule.at_least else None)


def _snapshots(
    rule: CaseRule, used: pd.DataFrame, periods: Sequence[Period], context: Context
) -> dict[Period, Counted]:
    records = _Open.of(rule, used)
    return {p: _open_on(rule, records, p, context)[0] for p in periods}


def _open_on(
    rule: CaseRule, records: _Open, period: Period, context: Context
) -> tuple[Counted, Bools, Bools, npt.NDArray[np.int64] | None]:
    """The period's figure; which records are open on its last day, which meet the
    measure, and each child's runs of records in the window (`at_least`)."""
    _, day = _bounds(period)
    begin, end, child = records.begin, records.end, records.child
    open_ = ~np.isnat(begin) & (begin <= day) & (np.isnat(end) | (end > day))
    meets = np.zeros(len(begin), dtype=bool)
    counts = None
    if rule.at_least is not None and records.runs is not None:
        counts = _runs_overlapping(rule, records.runs, day, int(child.max(initial=-1)) + 1)
        meets = counts[child] >= rule.at_least.records
    if rule.children:
        counted = int(np.unique(child[open_]).size)
        meeting = int(np.unique(child[open_ & meets]).size)
    else:
        counted, meeting = int(open_.sum()), int((open_ & meets).sum())
    return _counted(counted, meeting, 0.0, period, rule, context), open_, meets, counts


def _snapshot_explained(
    rule: CaseRule, used: pd.DataFrame, period: Period, context: Context
) -> tuple[Counted, pd.DataFrame, list[tuple[str, int]]]:
    records = _Open.of(rule, used)
    figure, open_, meets, counts = _open_on(rule, records, period, context)
    _, day = _bounds(period)
    steps = [(f"open on {pd.Timestamp(day).strftime('%-d %B %Y')}", int(open_.sum()))]
    steps += _result_steps(rule, figure, context)
    length = None if counts is None else counts[records.child].astype(float)
    reasons = pd.Series("", index=used.index, dtype=object)
    rows = _rows(rule, used, open_, open_, meets, length, reasons)
    return figure, rows, steps


def _runs(rule: CaseRule, used: pd.DataFrame) -> pd.DataFrame:
    """Each child's runs of records: a record matching `at_least.continues` that starts
    the day the one before it ended continues that one's run."""
    assert rule.at_least is not None
    frame = used[used[rule.open_from].notna()].sort_values(["child", rule.open_from])
    child = frame["child"].to_numpy()
    begin, end = _days(frame[rule.open_from]), _days(frame[rule.open_to])
    continues = np.zeros(len(frame), dtype=bool)
    if rule.at_least.continues:
        continues[:] = True
        for column, values in rule.at_least.continues:
            continues &= frame[column].isin(values).to_numpy()
    follows = np.r_[False, (child[1:] == child[:-1]) & (begin[1:] == end[:-1])]
    run = np.cumsum(~(continues & follows))
    runs = pd.DataFrame({"run": run, "child": child, "begin": begin, "end": end})
    return runs.groupby("run").agg(
        child=("child", "first"), begin=("begin", "first"), end=("end", "last")
    )


def _runs_overlapping(
    rule: CaseRule, runs: pd.DataFrame, day: np.datetime64, size: int
) -> npt.NDArray[np.int64]:
    """How many of each child's runs overlap the `at_least.months` to `day`, by child."""
    assert rule.at_least is not None
    window = (
        ((pd.Timestamp(day) - pd.DateOffset(months=rule.at_least.months)) + pd.Timedelta(days=1))
        .to_datetime64()
        .astype("datetime64[D]")
    )
    run_end = runs["end"].to_numpy(dtype="datetime64[D]")
    overlapping = (runs["begin"].to_numpy(dtype="datetime64[D]") <= day) & (
        np.isnat(run_end) | (run_end >= window)
    )
    return np.bincount(runs["child"].to_numpy()[overlapping], minlength=size)


# --- figures and words ------------------------------------------------------------------


def _counted(
    counted: int, meeting: int, total: float, period: Period, rule: CaseRule, context: Context
) -> Counted:
    unit, whole = context.unit, Decimal(counted)
    if unit is Unit.COUNT:
        return Counted(value=whole, counted=counted)
    if unit is Unit.RATE_PER_10K:
        population = context.population.get(_year(period, context.start_month))
        return Counted(whole, population, counted=counted, available=population is not None)
    if not counted:
        return Counted(counted=0, available=False)
    if unit is Unit.AVERAGE:
        assert rule.duration is not None
        days = Decimal(round(total))
        summed = days / 7 if rule.duration.unit is TimeUnit.WEEKS else days
        return Counted(summed, whole, counted=counted)
    return Counted(Decimal(meeting), whole, counted=counted)


def _year(period: Period, start: int) -> FinancialYear:
    return period if isinstance(period, FinancialYear) else period.last.financial_year(start)


def _result_steps(rule: CaseRule, figure: Counted, context: Context) -> list[tuple[str, int]]:
    steps: list[tuple[str, int]] = []
    if rule.children:
        steps.append(("children, each counted once", figure.counted))
    if context.unit is Unit.PERCENT and figure.numerator is not None:
        steps.append((f"meeting it: {_meets_words(rule)}", int(figure.numerator)))
    return steps


def _meets_words(rule: CaseRule) -> str:
    """What a record (or child) counted in the numerator meets."""
    if rule.within is not None:
        w = rule.within
        return f"{w.end} within {w.limit} {w.unit.words} of {w.start}"
    if rule.previous is not None:
        if rule.previous.months:
            return f"an earlier record within {rule.previous.months} months"
        return "an earlier record (second or subsequent)"
    assert rule.at_least is not None
    return (
        f"{rule.at_least.records} or more records in the "
        f"{rule.at_least.months} months to the period's end"
    )


def _rows(
    rule: CaseRule,
    used: pd.DataFrame,
    in_scope: Bools,
    counted: Bools,
    meets: Bools,
    length: npt.NDArray[np.float64] | None,
    reasons: pd.Series,
) -> pd.DataFrame:
    """The records in the period, for the analyst: child, line, dates, counted, meets."""
    frame = used.loc[in_scope, ["child_id", "line", *rule.dates]].copy()
    for column in rule.dates:
        frame[column] = frame[column].dt.strftime("%Y-%m-%d").fillna("")
    frame["counted"] = np.where(counted[in_scope], "yes", "no")
    frame["meets"] = np.where(meets[in_scope] & counted[in_scope], "yes", "no")
    if length is not None:
        measured = pd.Series(length[in_scope], index=frame.index).astype("Int64")
        frame["measure"] = measured.astype(str).replace("<NA>", "")
    frame["left_out"] = reasons[in_scope]
    return frame.rename(columns={"child_id": "child"}).sort_values(["child", "line"])


def rule_words(rule: CaseRule, unit: Unit) -> tuple[str, ...]:
    """The rule in plain words, a line each, as `reportgen explain` prints it."""
    lines = [f"table: {rule.table}"]
    if rule.filters:
        lines.append("only: " + "; ".join(f"{c} is {' or '.join(v)}" for c, v in rule.filters))
    if rule.snapshot:
        lines.append(
            f"counts: records open on the period's last day ({rule.open_from} on or before "
            f"it, {rule.open_to} blank or after it)"
        )
    else:
        lines.append(f"counts: records whose {rule.in_period} falls in the period")
    if rule.children:
        lines.append("each child counted once")
    if unit is Unit.PERCENT:
        lines.append(f"meeting it (numerator): {_meets_words(rule)}")
    elif unit is Unit.AVERAGE:
        assert rule.duration is not None
        lines.append(
            f"average: {rule.duration.unit.words} from {rule.duration.start} to {rule.duration.end}"
        )
    elif unit is Unit.RATE_PER_10K:
        lines.append("rate: per 10,000 children (the child population of the year)")
    if rule.within is not None and rule.within.unit is TimeUnit.WORKING_DAYS:
        lines.append(
            "working days: Monday to Friday less England and Wales bank holidays, counted "
            "from the day after the start to the end day"
        )
    if rule.previous is not None and rule.previous.months:
        lines.append(
            f"within {rule.previous.months} months: an earlier record dated on or after the "
            f"same day {rule.previous.months} months before"
        )
    return tuple(lines)
