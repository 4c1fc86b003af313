"""Writes the example project's case-level extract, data/cases/*.csv, of made-up children.

The local indicators are counted from case records: referrals, assessments, child protection
plans and section 47 enquiries as the DfE's children in need census has them; a header and
episodes of care as the SSDA903 return has them (dates DD/MM/YYYY); and the council's own
tracker of care proceedings, under its own column headings. This script makes such an extract
for the example's fictional Harrow, taken on 2 November 2026: about five thousand children,
none of them real, from April 2024 (and the cases still open then) to 1 November 2026.

It is calibrated so that the figures once typed by hand in data/indicators/scorecard-2026-27.csv
come out exactly (L1, L2 and L3 for each month from April 2025, L5 for each quarter of
2025-26 and for 2026-27 Q1), and the others plausibly (L7, L8, L9). A fixed seed, and no
iteration over sets, make the files the same byte for byte on every run. The script ends by
counting every figure again from the files it wrote, with pandas, and checking them.

Run it from the repository root: `python scripts/make_example_cases.py`.
"""

from __future__ import annotations

import bisect
import csv
import math
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

SEED = 310  # Harrow's DfE code
CASES = Path(__file__).resolve().parent.parent / "data" / "cases"
FIRST = date(2024, 4, 1)  # records run from here, with those of cases still open then
LAST = date(2026, 11, 1)  # the extract was taken the next day: nothing is dated later
MONTHS = pd.period_range("2025-04", "2026-10", freq="M")  # the months figures are counted for
DAY = timedelta(days=1)
BANK_HOLIDAYS = sorted(holidays.country_holidays("GB", subdiv="ENG", years=range(2024, 2028)))
CALENDAR = np.busdaycalendar(holidays=BANK_HOLIDAYS)

# The figures typed by hand until now: L1 (assessments in time, of those authorised), L2
# (re-referrals, of referrals) and L3 (children on a plan at month end).
TARGETS = {
    "2025-04": ((201, 238), (43, 201), None),
    "2025-05": ((214, 247), (45, 215), None),
    "2025-06": ((198, 229), (40, 197), None),
    "2025-07": ((220, 251), (44, 219), None),
    "2025-08": ((187, 214), (35, 181), None),
    "2025-09": ((209, 236), (41, 206), None),
    "2025-10": ((221, 248), (42, 211), None),
    "2025-11": ((205, 229), (39, 199), None),
    "2025-12": ((176, 199), (33, 170), None),
    "2026-01": ((218, 243), (42, 214), None),
    "2026-02": ((207, 228), (40, 205), None),
    "2026-03": ((225, 246), (44, 218), None),
    "2026-04": ((219, 242), (41, 198), 172),
    "2026-05": ((226, 247), (44, 211), 168),
    "2026-06": ((208, 233), (37, 190), 175),
    "2026-07": ((231, 254), (40, 214), 181),
    "2026-08": ((197, 219), (33, 176), 177),
    "2026-09": ((224, 245), (38, 203), 184),
    "2026-10": ((233, 252), (36, 207), 179),
}
# L5: care proceedings concluded in a financial quarter, and their total days from issue to
# final order. Cafcass's figures for 2025-26; the council's own (248 weeks) for 2026-27 Q1.
L5_TARGETS = {
    "2025-26 Q1": (9, 261 * 7),
    "2025-26 Q2": (8, 232 * 7),
    "2025-26 Q3": (11, 310 * 7),
    "2025-26 Q4": (9, 243 * 7),
    "2026-27 Q1": (8, 248 * 7),
}
COLUMNS = {
    "referrals": "LAchildID,CINreferralDate,ReferralSource,PrimaryNeedCode,CINclosureDate,"
    "ReasonForClosure",
    "assessments": "LAchildID,AssessmentActualStartDate,AssessmentInternalReviewDate,"
    "AssessmentAuthorisationDate,AssessmentFactors",
    "cp_plans": "LAchildID,CPPstartDate,CPPendDate,InitialCategoryOfAbuse,LatestCategoryOfAbuse,"
    "NumberOfPreviousCPP",
    "section47": "LAchildID,S47ActualStartDate,InitialCPCtarget,DateOfInitialCPC,ICPCnotRequired",
    "header": "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB",
    "episodes": "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
    "HOME_POST,PL_POST,URN",
    "proceedings": "Child ID,Date issued,Date of final order,Court",  # the tracker's own
}

# Codes, with rough weights for how often each is used.
SOURCES = {"1A": 4, "1B": 1, "1C": 2, "1D": 1, "2A": 17, "2B": 2, "3A": 3, "3B": 2, "3C": 1,
           "3D": 2, "3E": 4, "3F": 2, "4": 3, "5A": 6, "5B": 3, "5C": 3, "5D": 4, "6": 27,
           "7": 3, "8": 5, "9": 2, "10": 1}  # fmt: skip
NEEDS = {"N1": 52, "N2": 7, "N3": 4, "N4": 11, "N5": 12, "N6": 3, "N7": 1, "N8": 4, "N9": 6}
FACTORS = {"1B": 5, "2B": 7, "3A": 10, "3B": 16, "4A": 8, "4B": 12, "5A": 3, "6A": 3, "6B": 3,
           "7A": 2, "14A": 3, "15A": 4, "16A": 12, "17A": 10, "18C": 6, "19C": 3, "21": 4,
           "22A": 1, "24A": 4}  # fmt: skip
ABUSE = {"NEG": 45, "EMO": 35, "PHY": 8, "SAB": 5, "MUL": 7}
ETHNIC = {"WBRI": 20, "WOTH": 14, "AIND": 8, "AOTH": 10, "APKN": 4, "ABAN": 1, "BAFR": 10,
          "BCRB": 4, "BOTH": 5, "MWBC": 5, "MWBA": 2, "MWAS": 3, "MOTH": 6, "CHNE": 1,
          "OOTH": 7}  # fmt: skip
MOVE_REASONS = {"CARPL": 45, "CREQB": 15, "CREQO": 12, "LAREQ": 10, "CHILD": 6, "ALLEG": 3,
                "STAND": 3, "OTHER": 6}  # fmt: skip
# Postcode sectors: of homes in Harrow, and of placements further away.
HOME = ["HA1 1", "HA1 2", "HA1 3", "HA1 4", "HA2 0", "HA2 6", "HA2 7", "HA2 8", "HA2 9", "HA3 0",
        "HA3 5", "HA3 6", "HA3 7", "HA3 8", "HA3 9", "HA5 1", "HA5 2", "HA5 4", "HA7 1", "HA7 2",
        "HA7 4", "HA8 5", "HA8 6", "HA8 8"]  # fmt: skip
AWAY = ["NW9 7", "UB6 0", "HA0 3", "WD6 4", "EN5 2", "UB3 1", "LU4 9", "MK4 2", "SL1 5", "RM8 1",
        "CT9 2", "ME7 3", "B23 6", "NN5 7"]  # fmt: skip
# Placements by age: under 2, 2 to 12, 13 to 15, 16 and 17.
PLACES = [{"U6": 50, "U5": 12, "U3": 15, "U1": 5, "P1": 5, "R3": 3},
          {"U6": 45, "U4": 25, "U3": 12, "U1": 8, "P1": 3, "K2": 2},
          {"U6": 40, "U4": 22, "U3": 8, "U1": 5, "K2": 20, "K1": 1},
          {"U6": 25, "U4": 18, "U3": 5, "K2": 12, "K3": 37, "P2": 3}]  # fmt: skip
AT_EIGHTEEN = {"E17": 3, "E5": 5, "E6": 2}


def pick(rng: random.Random, weights: dict[str, int]) -> str:
    """One of the codes, drawn by its weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def shift(day: date, workdays: int) -> date:
    """The working day that many working days after day (before it, if negative)."""
    roll = "forward" if workdays >= 0 else "backward"
    return np.busday_offset(day, workdays, roll=roll, busdaycal=CALENDAR).item()


def working_days(start: date, end: date) -> int:
    """Working days from start to end, as L1 counts them: the next working day is 1."""
    return int(np.busday_count(start + DAY, end + DAY, busdaycal=CALENDAR))


@cache
def days_of(month: pd.Period, working: bool = True) -> list[date]:
    """The month's working days (all its days if working is False)."""
    days = [d.date() for d in pd.date_range(month.start_time, month.end_time.normalize())]
    return [d for d in days if not working or np.is_busday(d, busdaycal=CALENDAR)]


@cache
def month_end(month: pd.Period) -> date:
    return month.end_time.date()


def year_before(day: date) -> date:
    """The same day a year before, as L2 looks back (29 February gives 28 February)."""
    return (pd.Timestamp(day) - pd.DateOffset(months=12)).date()


def quarter(day: date) -> str:
    """The financial quarter of a day, e.g. '2026-27 Q1' for April to June 2026."""
    year = day.year if day.month >= 4 else day.year - 1
    return f"{year}-{(year + 1) % 100:02d} Q{(day.month - 4) % 12 // 3 + 1}"


def is_open(start: date, end: date | None, day: date) -> bool:
    """Whether something from start to end (None: still open) was open at the end of day."""
    return start <= day and (end is None or end > day)


def eighteenth(born: date) -> date:
    """The 18th birthday (1 March for a child born on 29 February)."""
    if (born.month, born.day) == (2, 29):
        return date(born.year + 18, 3, 1)
    return born.replace(year=born.year + 18)


@dataclass
class Proceeding:
    child: str
    issued: date
    final: date | None  # None: still before the court


@dataclass
class Period:
    """A period of care: the legal status from each date on, and the placement moves."""

    child: str
    born: date
    start: date
    end: date | None
    leaving: str  # why it ended (REC)
    legal: dict[date, str]
    moves: dict[date, str] = field(default_factory=dict)  # date: "", or an adoptive placement


@dataclass
class Plan:
    child: str
    start: date
    end: date | None
    previous: int  # the child's plans before this one
    enquiry: date  # the section 47 enquiry that led to the conference


@dataclass(eq=False)  # each is itself: equal dates do not make two the same one
class Assessment:
    child: str
    start: date
    authorised: date | None


@dataclass(eq=False)
class Referral:
    child: str
    day: date
    closed: date | None = None
    reason: str = ""
    assessment: Assessment | None = None
    routine: bool = True  # not made for a plan or a period of care: it may lose its assessment


def make_proceedings(rng: random.Random, ids: Iterator[str]) -> list[Proceeding]:
    """Care proceedings since 2006, 7 to 12 concluded a quarter, or as L5_TARGETS has it."""
    made = []
    for first in pd.date_range("2006-04-01", "2027-04-01", freq="3MS"):
        days = [d for m in pd.period_range(first, periods=3, freq="M") for d in days_of(m)]
        count, total = L5_TARGETS.get(quarter(days[0]), (rng.randint(7, 12), 0))
        total = total or round(count * rng.uniform(27, 34) * 7)
        lengths = [rng.gauss(total / count, 45) for _ in range(count)]
        lengths = [max(90, round(x * total / sum(lengths))) for x in lengths]
        while (gap := total - sum(lengths)) != 0:  # days, adding up to the total exactly
            lengths[rng.randrange(count)] += 1 if gap > 0 else -1
        for length in lengths:
            ends = [d for d in days if np.is_busday(d - length * DAY, busdaycal=CALENDAR)]
            final = rng.choice(ends)  # and issued on a working day too
            if final - length * DAY <= LAST:
                made.append(Proceeding(next(ids), final - length * DAY, final))
    for proceeding in made:
        proceeding.final = proceeding.final if proceeding.final <= LAST else None
    return sorted(made, key=lambda p: p.issued)


def care_for(rng: random.Random, child: str, start: date, age: int) -> Period:
    """A period of care under section 20 (V2), after police protection (L1) or on remand (J1)."""
    born = start - (age * 365 + rng.randint(0, 364)) * DAY
    how = pick(rng, {"V2": 85, "L1": 10, "J1": 5})
    legal = {start: how}
    if how == "L1":  # police protection lasts 72 hours; then accommodated under section 20
        legal[start + rng.randint(1, 3) * DAY] = "V2"
    stay = rng.choices([(14, 180), (181, 730), (731, 6000)], weights=[55, 36, 9])[0]
    end = start + rng.randint(*stay) * DAY
    leaving = pick(rng, {"E4A": 40, "E13": 12, "E4B": 6, "E8": 5, "E3": 4, "E41": 3})
    if how == "J1":
        end, leaving = start + rng.randint(10, 120) * DAY, "E14"
    if end >= eighteenth(born):
        end, leaving = eighteenth(born), pick(rng, AT_EIGHTEEN)
    return Period(child, born, start, end, leaving, legal)


def care_in_proceedings(rng: random.Random, proceeding: Proceeding, start: date) -> Period:
    """A child in care proceedings: an interim care order at issue, then the final order."""
    ages = [0, rng.randint(1, 4), rng.randint(5, 9), rng.randint(10, 15)]
    age = rng.choices(ages, weights=[35, 20, 20, 25])[0]
    born = start - (age * 365 + rng.randint(0, 364)) * DAY
    legal = {start: "V2", proceeding.issued: "C1"}  # just C1 if care started at the issue
    period = Period(proceeding.child, born, start, None, "", legal)
    final = proceeding.final
    if final is None:
        return period
    infant = {"E1": 45, "SGO": 25, "C2": 15, "E4A": 15}
    outcome = pick(rng, infant if age < 2 else {"C2": 60, "SGO": 15, "E41": 10, "E4A": 15})
    if outcome == "C2":  # a care order: looked after for years, often until 18
        legal[final] = "C2"
        period.end = final + max(60, round(rng.expovariate(1 / 7) * 365)) * DAY
        period.leaving = pick(rng, {"E4A": 4, "E45": 2, "E47": 2, "E41": 1, "E13": 1, "E3": 1})
    elif outcome == "E1":  # a placement order: placed for adoption, then adopted
        legal[final] = "E1"
        placed = final + rng.randint(60, 240) * DAY
        period.moves[placed] = "A5" if rng.random() < 0.3 else "A6"
        period.end = placed + rng.randint(150, 365) * DAY
        period.leaving = pick(rng, {"E11": 3, "E12": 2})
    else:  # home, or a special guardianship or child arrangements order
        period.end = final
        sgo = {"E45": 4, "E47": 3, "E48": 1}
        period.leaving = pick(rng, sgo) if outcome == "SGO" else outcome
    if period.end >= eighteenth(born):
        period.end, period.leaving = eighteenth(born), pick(rng, AT_EIGHTEEN)
    return period


def make_periods(
    rng: random.Random, ids: Iterator[str], proceedings: list[Proceeding]
) -> list[Period]:
    """Periods of care since 2006: one for each care proceedings, and others to keep about
    180 children looked after; each with placement moves, more for some children."""
    entering: dict[pd.Period, list[tuple[date, Proceeding]]] = {}
    for proceeding in proceedings:
        start = proceeding.issued - (0 if rng.random() < 0.5 else rng.randint(1, 60)) * DAY
        entering.setdefault(pd.Period(start, "M"), []).append((start, proceeding))
    periods: list[Period] = []
    for month in pd.period_range("2006-04", "2026-10", freq="M"):
        staying = sum(is_open(p.start, p.end, month_end(month)) for p in periods)
        wanted = min(15, round(4 + 0.6 * (180 - staying) + rng.gauss(0, 1.5)))
        these = entering.get(month, [])
        periods += [care_in_proceedings(rng, p, start) for start, p in these]
        for _ in range(max(2, wanted - len(these))):
            ages = [0, rng.randint(1, 9), rng.randint(10, 15), rng.randint(16, 17)]
            age = rng.choices(ages, weights=[8, 18, 44, 30])[0]
            start = rng.choice(days_of(month, working=False))
            periods.append(care_for(rng, next(ids), start, age))
    for period in periods:
        stop = min(period.end or LAST + DAY, LAST + DAY)
        rate = 1.2 if rng.random() < 0.3 else 0.2  # placement moves a year
        moves = [period.start + rng.randint(3, 60) * DAY] if rng.random() < 0.25 else []
        day = period.start  # some move on from an emergency placement; then at their rate
        while (day := day + round(rng.expovariate(rate / 365)) * DAY) < stop:
            moves.append(day)
        period.moves |= {d: "" for d in moves if period.start < d < stop and d not in period.moves}
        period.end = period.end if period.end and period.end <= LAST else None
    return periods


def placements(period: Period) -> list[tuple[date, date | None]]:
    """The period's placements, from and to: each move starts one."""
    starts = [period.start, *sorted(d for d in period.moves if d <= LAST)]
    return list(zip(starts, [*starts[1:], period.end], strict=True))


def steady_moves(rng: random.Random, periods: list[Period]) -> None:
    """Adds or takes away a placement move in each month so that 9% to 11% of the children
    looked after at its end had 3 or more placements in the 12 months to then (L9). Changes
    are within the month, so that they cannot change the months before."""
    for k, month in enumerate(MONTHS):
        day, since = month_end(month), year_before(month_end(month)) + DAY
        earliest = since if k == 0 else max(since, month_end(month - 1) + DAY)

        def recent(period: Period, day: date = day, since: date = since) -> int:
            return sum(s <= day and (e is None or e >= since) for s, e in placements(period))

        here = [p for p in periods if is_open(p.start, p.end, day)]
        many = [p for p in here if recent(p) >= 3]
        while len(many) < math.ceil(0.09 * len(here)):  # one more move for a child with two
            period = rng.choice([p for p in here if recent(p) == 2])
            first = max(earliest, period.start + DAY)
            free = [d for d in days_of(month, False) if d >= first and d not in period.moves]
            period.moves[rng.choice(free)] = ""
            many.append(period)
        while len(many) > math.floor(0.11 * len(here)):  # one fewer for a child with three

            def this_month(period: Period, day: date = day, earliest: date = earliest) -> list:
                return [d for d, k in period.moves.items() if earliest <= d <= day and not k]

            moved = [p for p in many if recent(p) == 3 and this_month(p)]
            if not moved:  # leave it: verify() checks it is under 12%
                break
            period = rng.choice(moved)
            del period.moves[rng.choice(this_month(period))]
            many.remove(period)


def make_plans(rng: random.Random, ids: Iterator[str]) -> list[Plan]:
    """Child protection plans since 2021: 15 to 25 start a month, 15% to 25% of them a
    child's second or later; then ends moved so that month ends have L3's counts."""
    plans: list[Plan] = []
    latest: dict[str, Plan] = {}
    for month in pd.period_range("2021-04", "2026-10", freq="M"):
        target = TARGETS.get(str(month), (0, 0, None))[2] or 176
        staying = sum(is_open(p.start, p.end, month_end(month)) for p in plans)
        starts = min(25, max(15, round(20 + 0.5 * (target - staying - 20) + rng.gauss(0, 2))))
        repeats = rng.randint(math.ceil(0.15 * starts), math.floor(0.25 * starts))
        for i, day in enumerate(sorted(rng.choice(days_of(month)) for _ in range(starts))):
            # A repeat comes 4 to 24 months after the last plan ended; from April 2025, after
            # a plan in the extract, so that L7 sees it.
            since = day - 730 * DAY
            if day >= MONTHS[0].start_time.date():
                since = max(since, FIRST)
            back = [c for c, p in latest.items() if p.end and since <= p.end <= day - 120 * DAY]
            child = rng.choice(back) if i < repeats and back else next(ids)
            days = rng.choices([(60, 120), (121, 330), (331, 600), (601, 900)], [12, 68, 17, 3])[0]
            end = shift(day + rng.randint(*days) * DAY, 0)  # at a review conference
            previous = latest[child].previous + 1 if child in latest else 0
            enquiry = shift(day, -rng.randint(5, 15))
            latest[child] = Plan(child, day, end if end <= LAST else None, previous, enquiry)
            plans.append(latest[child])
    for k, month in enumerate(MONTHS):
        day, before = month_end(month), month_end(month - 1)
        count = sum(is_open(p.start, p.end, day) for p in plans)
        target = TARGETS[str(month)][2] or min(max(count, 165), 185)
        while count < target:  # a plan (a child's last) ending this month goes on to the next
            ending = [p for p in plans if p.end and before < p.end <= day and latest[p.child] is p]
            plan = rng.choice(ending)
            plan.end = rng.choice(days_of(month + 1)) if k + 1 < len(MONTHS) else None
            count += 1
        while count > target:  # a plan ending next month (at the extract: open) ends this month
            later = [
                p for p in plans if is_open(p.start, p.end, day) and p.start < before - 30 * DAY
            ]
            if k + 1 < len(MONTHS):
                later = [p for p in later if p.end and p.end <= month_end(month + 1)]
            rng.choice(later).end = rng.choice(days_of(month)[1:])
            count -= 1
    return plans


def assessment_length(rng: random.Random, in_time: bool) -> int:
    """Working days: most in time take 20 to 45, a few under 10; most late ones just over 45."""
    if not in_time:
        return round(rng.triangular(46, 80, 50))
    return rng.randint(1, 10) if rng.random() < 0.05 else round(rng.triangular(20, 45, 40))


def assessment(rng: random.Random, child: str, start: date, in_time: bool) -> Assessment | None:
    """An assessment from start (none if that is after the extract; still open if it would
    be authorised after it)."""
    authorised = shift(start, assessment_length(rng, in_time))
    if start > LAST:
        return None
    return Assessment(child, start, authorised if authorised <= LAST else None)


def referral_for(
    rng: random.Random, child: str, day: date, start: date, end: date | None, reason: str
) -> Referral:
    """The referral on day that led to a plan or a period of care from start, closed after
    it ended, and its assessment."""
    closed = end + rng.randint(0, 30) * DAY if end else None
    referral = Referral(child, day, routine=False)
    if closed and closed <= LAST:
        referral.closed, referral.reason = closed, reason
    started = min(shift(day, rng.randint(0, 2)), start)
    referral.assessment = assessment(rng, child, started, rng.random() < 0.9)
    return referral


def make_referrals(
    rng: random.Random, ids: Iterator[str], plans: list[Plan], periods: list[Period]
) -> list[Referral]:
    """The referrals that led to plans and periods of care; then, from October 2023 (six
    months to settle), routine ones to make each month's L2 with them."""
    made = []
    for p in plans:
        day = shift(p.enquiry, -rng.randint(0, 3))
        made.append(referral_for(rng, p.child, day, p.enquiry, p.end, "RC7"))
    orders = {"E11": "RC1", "E12": "RC1", "E41": "RC3", "E45": "RC4", "E47": "RC4", "E48": "RC4"}
    for p in periods:
        emergency = p.legal[p.start] in ("L1", "J1")
        day = max(p.born, p.start - (0 if emergency else rng.randint(0, 45)) * DAY)
        made.append(referral_for(rng, p.child, day, p.start, p.end, orders.get(p.leaving, "RC7")))
    made = [r for r in made if r.closed is None or r.closed >= FIRST]
    dates: dict[str, list[date]] = {}
    for r in made:
        dates.setdefault(r.child, []).append(r.day)
    routine: list[Referral] = []  # in date order
    routine_days: list[date] = []
    latest: dict[str, Referral] = {}
    for month in pd.period_range("2023-10", "2026-10", freq="M"):
        _, (again, count), _ = TARGETS.get(str(month), (0, (0, 0), 0))
        if not count:
            count = round(rng.gauss(205, 12))
            again = round(count * rng.uniform(0.17, 0.22))
        these = [r for r in made if pd.Period(r.day, "M") == month]
        back = sum(any(year_before(r.day) <= d < r.day for d in dates[r.child]) for r in these)
        flags = [True] * (again - back) + [False] * (count - again - len(these) + back)
        rng.shuffle(flags)
        days = sorted(rng.choice(days_of(month, rng.random() < 0.95)) for _ in flags)
        for re_referral, day in zip(flags, days, strict=True):
            lo = bisect.bisect_left(routine_days, year_before(day))
            if re_referral:  # a child referred in the year before, that referral closed
                pool = [r.child for r in routine[lo:] if latest[r.child] is r and r.closed]
                pool = [c for c in pool if latest[c].closed < day]
            elif rng.random() < 0.4:  # a child last referred over a year before
                pool = [r.child for r in routine[:lo] if latest[r.child] is r and r.closed]
            else:  # a child not referred before
                pool = []
            assert pool or not re_referral or month < MONTHS[0], f"no child to refer on {day}"
            referral = Referral(rng.choice(pool) if pool else next(ids), day)
            if rng.random() < 0.93:
                started = shift(day, rng.randint(0, 3))
                referral.assessment = assessment(rng, referral.child, started, rng.random() < 0.92)
            if referral.assessment is None:  # no further action
                referral.closed, referral.reason = day + rng.randint(0, 10) * DAY, "RC8"
            elif authorised := referral.assessment.authorised:
                if rng.random() < 0.6:  # closed after the assessment
                    referral.closed = authorised + rng.randint(0, 14) * DAY
                    referral.reason = pick(rng, {"RC8": 7, "RC9": 3})
                else:  # helped as a child in need for a while
                    referral.closed = authorised + rng.randint(30, 360) * DAY
                    referral.reason = pick(rng, {"RC7": 19, "RC5": 1})
            if referral.closed and referral.closed > LAST:
                referral.closed, referral.reason = None, ""
            routine.append(referral)
            routine_days.append(day)
            latest[referral.child] = referral
    return made + [r for r in routine if r.closed is None or r.closed >= FIRST]


def balance_assessments(rng: random.Random, referrals: list[Referral]) -> list[Assessment]:
    """The referrals' assessments, some taken away and others added during open cases so that
    each month from April 2024 has L1's counts (before April 2025: about 235, 89% in time)."""
    assessments = [r.assessment for r in referrals if r.assessment]
    by_child: dict[str, list[Assessment]] = {}
    for a in assessments:
        by_child.setdefault(a.child, []).append(a)
    long_open = [r for r in referrals if r.closed is None or r.closed - r.day > 60 * DAY]
    for month in pd.period_range(FIRST, "2026-10", freq="M"):
        (in_time, count), _, _ = TARGETS.get(str(month), ((0, 0), 0, 0))
        if not count:
            count = round(rng.gauss(235, 10))
            in_time = round(count * rng.uniform(0.86, 0.92))
        done = [a for a in assessments if a.authorised and pd.Period(a.authorised, "M") == month]
        first, last = month.start_time.date(), month_end(month)
        open_then = [r for r in long_open if r.day < last - 14 * DAY]
        open_then = [r for r in open_then if r.closed is None or r.closed >= first]
        for timely, wanted in ((True, in_time), (False, count - in_time)):
            these = [a for a in done if (working_days(a.start, a.authorised) <= 45) == timely]
            ids = {id(a) for a in these}
            spare = [r for r in referrals if r.routine and id(r.assessment) in ids]
            for r in rng.sample(spare, max(0, len(these) - wanted)):  # no assessment after all
                assessments.remove(r.assessment)
                by_child[r.child].remove(r.assessment)
                closed = r.day + rng.randint(0, 10) * DAY
                r.assessment, r.closed, r.reason = None, None, ""
                if closed <= LAST:
                    r.closed, r.reason = closed, "RC8"
            for _ in range(wanted - len(these)):  # another assessment during an open case
                pool: list[Referral] = []
                while not pool:
                    done_on = rng.choice(days_of(month))
                    made = Assessment("", shift(done_on, -assessment_length(rng, timely)), done_on)
                    pool = [
                        r
                        for r in open_then
                        if r.day <= made.start - 14 * DAY
                        and (r.closed is None or r.closed >= done_on)
                        and all(
                            done_on < a.start or (a.authorised or LAST) < made.start
                            for a in by_child.get(r.child, [])
                        )
                    ]
                made.child = rng.choice(pool).child
                assessments.append(made)
                by_child.setdefault(made.child, []).append(made)
    return [a for a in assessments if a.authorised is None or a.authorised >= FIRST]


def placement(
    rng: random.Random, period: Period, day: date, home: str, kind: str
) -> dict[str, str]:
    """A placement from day suited to the child's age: its type, provider, postcode and URN."""
    age = (day - period.born).days // 365
    place = kind or pick(rng, PLACES[(age >= 2) + (age >= 13) + (age >= 16)])
    fixed = {"P1": "PR0", "U1": "PR1", "U2": "PR1", "U3": "PR1", "A5": "PR1", "K1": "PR2"}
    private = {"U4": 0.45, "U5": 0.2, "U6": 0.45, "A6": 0.3}.get(place, 0.9)
    provider = fixed.get(place) or ("PR4" if rng.random() < private else "PR1")
    if provider == "PR1" and place in ("K2", "A6") and rng.random() < 0.5:
        provider = "PR5"  # a voluntary children's home or adoption agency
    nearby = provider in ("PR0", "PR1") and place not in ("K1", "A6")
    post = home if place == "P1" else rng.choice(HOME + AWAY[:6] if nearby else AWAY)
    urn = "XXXXXXX"  # placements no Ofsted registration covers
    if place in ("K1", "K2"):
        urn = f"SC{rng.randint(400_000, 499_999)}"
    elif place.startswith("U"):  # the fostering service: the council's own, or an agency
        urn = "SC480310" if provider == "PR1" else f"SC48{rng.randint(1_000, 9_999)}"
    return {"PLACE": place, "PLACE_PROVIDER": provider, "PL_POST": post, "URN": urn}


def episodes(rng: random.Random, period: Period) -> list[dict]:
    """The period's episodes (from April 2024): a new one at each change of legal status or
    placement, or both."""
    home, need = rng.choice(HOME), pick(rng, {"N1": 62, "N4": 8, "N5": 9, "N8": 14, "N6": 4})
    rows: list[dict] = []  # with "until", the end as a date
    status, place = "", {}
    for day in sorted(d for d in set(period.legal) | set(period.moves) if d <= LAST):
        moved = not rows or day in period.moves
        changed = bool(rows) and period.legal.get(day, status) != status
        if not moved and not changed:
            continue
        kind = period.moves.get(day, "")
        if kind == "A5" and place.get("PLACE") not in ("U4", "U5", "U6"):
            kind = "A6"  # placed for adoption with new carers: the child was not fostered
        rne = {(True, False): "P", (False, True): "L", (True, True): "B"}[moved, changed]
        if kind == "A5":  # placed for adoption with the foster carers: the same carers and home
            rne = "U" if changed else "T"
            place = placement(rng, period, day, home, kind) | {"PL_POST": place["PL_POST"]}
        elif moved:
            place = placement(rng, period, day, home, kind)
        status = period.legal.get(day, status)
        if rows:
            rows[-1] |= {"DEC": dmy(day), "REC": "X1", "until": day}
        reason = "" if not moved or not rows else "CARPL" if kind else pick(rng, MOVE_REASONS)
        rows.append(
            {"CHILD": period.child, "DECOM": dmy(day), "RNE": rne if rows else "S", "LS": status}
            | {"CIN": need, "DEC": "", "REC": "", "REASON_PLACE_CHANGE": reason, "HOME_POST": home}
            | place
            | {"until": None}
        )
    if period.end:
        rows[-1] |= {"DEC": dmy(period.end), "REC": period.leaving, "until": period.end}
    return [row for row in rows if row["until"] is None or row["until"] >= FIRST]


def iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def dmy(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def write(name: str, rows: list[list[str]]) -> None:
    """A table as UTF-8 CSV under its header line, its rows by child and then first date."""

    def order(row: list[str]) -> tuple[str, str, list[str]]:
        day = row[1] if "/" not in row[1] else row[1][6:] + row[1][3:5] + row[1][:2]
        return row[0], day, row

    with open(CASES / f"{name}.csv", "w", encoding="utf-8", newline="") as file:
        out = csv.writer(file, lineterminator="\n")
        out.writerow(COLUMNS[name].split(","))
        out.writerows(sorted(rows, key=order))


def write_tables(
    rng: random.Random,
    referrals: list[Referral],
    assessments: list[Assessment],
    plans: list[Plan],
    periods: list[Period],
    proceedings: list[Proceeding],
) -> None:
    """Writes the seven tables, drawing the codes that no figure depends on."""
    CASES.mkdir(parents=True, exist_ok=True)
    rows = []
    for r in referrals:
        source, need = pick(rng, SOURCES), pick(rng, NEEDS)
        rows.append([r.child, iso(r.day), source, need, iso(r.closed), r.reason])
    write("referrals", rows)
    rows = []
    for a in assessments:
        review = shift(a.start, rng.randint(5, 15)) if rng.random() < 0.6 else None
        if review and (review > LAST or (a.authorised and review >= a.authorised)):
            review = None
        factors = {pick(rng, FACTORS) for _ in range(rng.randint(1, 3))} if a.authorised else set()
        factors = sorted(factors, key=lambda code: (int(code.rstrip("ABC")), code))
        rows.append([a.child, iso(a.start), iso(review), iso(a.authorised), ",".join(factors)])
    write("assessments", rows)
    rows = []
    for p in (p for p in plans if p.end is None or p.end >= FIRST):
        first = pick(rng, ABUSE)
        latest = first if rng.random() < 0.85 else pick(rng, ABUSE)
        rows.append([p.child, iso(p.start), iso(p.end), first, latest, str(p.previous)])
    write("cp_plans", rows)
    # Section 47 enquiries: those that led to a conference and a plan, and some during
    # assessments that found no conference was needed.
    enquiries = [(p.child, p.enquiry, p.start) for p in plans]
    enquiries += [(a.child, shift(a.start, rng.randint(0, 3)), None) for a in assessments]
    rows, seen = [], set()
    for child, day, conference in enquiries:
        if (child, day) in seen:
            continue
        seen.add((child, day))
        if day >= FIRST and shift(day, 15) <= LAST and (conference or rng.random() < 0.12):
            target = shift(day, 15)
            not_required = "false" if conference else "true"
            rows.append([child, iso(day), iso(target), iso(conference), not_required])
    write("section47", rows)
    rows, header = [], []
    for period in periods:
        these = episodes(rng, period)
        rows += [[e[column] for column in COLUMNS["episodes"].split(",")] for e in these]
        if these:
            age = (LAST - period.born).days / 365
            girl = rng.random() < 0.45
            mother = girl and age > 16 and rng.random() < 0.03
            baby = period.born + (15 * 365 + rng.randint(0, 365)) * DAY if mother else None
            upn = f"{rng.choice('ABCDEFGHJKLMNPQRTUVWXYZ')}310{rng.randint(0, 10**9 - 1):09d}"
            row = [period.child, "2" if girl else "1", dmy(period.born), pick(rng, ETHNIC)]
            header.append([*row, "UN1" if age < 5 else upn, "1" if mother else "", dmy(baby)])
    write("episodes", rows)
    write("header", header)
    courts = {"West London": 7, "Central": 2, "East London": 1}
    rows = []
    for p in (p for p in proceedings if p.final is None or p.final >= FIRST):
        court = pick(rng, courts) + " Family Court"
        rows.append([p.child, iso(p.issued), iso(p.final), court])
    write("proceedings", rows)


def verify() -> None:
    """Counts every figure again from the files written, by the rules alone, and checks it;
    then checks that the records keep their returns' rules."""
    t = {n: pd.read_csv(CASES / f"{n}.csv", dtype=str, keep_default_na=False) for n in COLUMNS}
    r, a, c, e, p = (
        t[n] for n in ("referrals", "assessments", "cp_plans", "episodes", "proceedings")
    )

    def dates(column: pd.Series, form: str = "%Y-%m-%d") -> pd.Series:
        return pd.to_datetime(column.where(column != ""), format=form)

    def day_after(column: pd.Series) -> np.ndarray:
        return (column + pd.Timedelta(days=1)).to_numpy().astype("datetime64[D]")

    r["day"] = dates(r.CINreferralDate)
    a["start"], a["done"] = dates(a.AssessmentActualStartDate), dates(a.AssessmentAuthorisationDate)
    c["start"], c["end"] = dates(c.CPPstartDate), dates(c.CPPendDate)
    e["start"], e["end"] = dates(e.DECOM, "%d/%m/%Y"), dates(e.DEC, "%d/%m/%Y")
    p["issued"], p["final"] = dates(p["Date issued"]), dates(p["Date of final order"])
    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(2024, 2028))
    bank_days = np.array(sorted(bank), dtype="datetime64[D]")

    def by_month(flags: pd.Series, days: pd.Series) -> pd.DataFrame:
        return flags.groupby(days.dt.to_period("M").astype(str)).agg(["sum", "count"])

    # L1: assessments authorised in the month, and those in 45 working days or fewer.
    done = a[a.done.notna()]
    took = np.busday_count(day_after(done.start), day_after(done.done), holidays=bank_days)
    l1 = by_month(pd.Series(took <= 45, index=done.index), done.done)
    # L2: referrals in the month, and those of a child referred in the 12 months before.
    pairs = r[["LAchildID", "day"]].reset_index().merge(r[["LAchildID", "day"]], on="LAchildID")
    back = pairs[
        (pairs.day_y < pairs.day_x) & (pairs.day_y >= pairs.day_x - pd.DateOffset(months=12))
    ]
    l2 = by_month(pd.Series(r.index.isin(back["index"]), index=r.index), r.day)
    # L7: plans starting in the month, and those of a child with a plan that started before.
    l7 = by_month(c.start > c.groupby("LAchildID").start.transform("min"), c.start)
    # L9's placements: an episode continues one if it changes the legal status only (RNE L)
    # and starts the day the last ended.
    e = e.sort_values(["CHILD", "start"])
    continues = (e.RNE == "L") & (e.start == e.groupby("CHILD").end.shift())
    e["placement"] = (~continues).groupby(e.CHILD).cumsum()
    starts = e.drop_duplicates(["CHILD", "placement"])[["CHILD", "placement", "start"]]
    ends = e.drop_duplicates(["CHILD", "placement"], keep="last")[["CHILD", "placement", "end"]]
    placements = starts.merge(ends)
    table = pd.DataFrame(index=[str(m) for m in MONTHS])
    for month in table.index:
        day = pd.Timestamp(month_end(pd.Period(month)))
        since = day - pd.DateOffset(months=12) + pd.Timedelta(days=1)
        table.loc[month, ["L1 in time", "L1 of"]] = l1.loc[month].to_numpy()
        table.loc[month, ["L2 again", "L2 of"]] = l2.loc[month].to_numpy()
        table.loc[month, "L3"] = c[(c.start <= day) & ~(c.end <= day)].LAchildID.nunique()
        table.loc[month, ["L7 again", "L7 of"]] = l7.loc[month].to_numpy()
        looked_after = e[(e.start <= day) & ~(e.end <= day)].CHILD.unique()
        recent = placements[(placements.start <= day) & ~(placements.end < since)]
        many = (recent.CHILD.value_counts().reindex(looked_after) >= 3).sum()
        table.loc[month, ["L8", "L9 3+"]] = len(looked_after), many
    table = table.astype(int)
    print(table.to_string())
    # L5: care proceedings concluded in each financial quarter, and their days.
    concluded = p[p.final.notna()]
    year = concluded.final.dt.year - (concluded.final.dt.month < 4)
    number = (concluded.final.dt.month - 4) % 12 // 3 + 1
    years = year.astype(str) + "-" + (year % 100 + 1).astype(str).str.zfill(2)
    days = (concluded.final - concluded.issued).dt.days.rename("days")
    l5 = days.groupby(years + " Q" + number.astype(str)).agg(["count", "sum"]).rename_axis("")
    l5["weeks"] = (l5["sum"] / 7).round(1)
    l5["average"] = (l5["sum"] / 7 / l5["count"]).round(1)
    print(l5.to_string())

    for month, (l1_, l2_, l3) in TARGETS.items():
        figures = table.loc[month]
        assert (figures["L1 in time"], figures["L1 of"]) == l1_, f"L1 {month}"
        assert (figures["L2 again"], figures["L2 of"]) == l2_, f"L2 {month}"
        assert figures["L3"] == l3 or (l3 is None and 160 <= figures["L3"] <= 190), f"L3 {month}"
        assert 15 <= figures["L7 of"] <= 25, f"L7 {month}"
        assert 0.15 <= figures["L7 again"] / figures["L7 of"] <= 0.25, f"L7 {month}"
        assert 170 <= figures["L8"] <= 190, f"L8 {month}"
        assert 0.08 <= figures["L9 3+"] / figures["L8"] <= 0.12, f"L9 {month}"
    for label, (count, total, _, average) in l5.iterrows():
        assert L5_TARGETS.get(label, (count, total)) == (count, total), f"L5 {label}"
        assert label == "2026-27 Q3" or (7 <= count <= 12 and 26 <= average <= 35), label
    assert set(L5_TARGETS) <= set(l5.index)

    # The records' rules: nothing after 1 November 2026; a child's records of one kind on
    # different dates; nothing ending before it started; an assessment after a referral;
    # a child's plans, and episodes, one after another; a header row for each child in care.
    for name, frame in t.items():
        for column in COLUMNS[name].split(",")[1:]:
            values = frame[column]
            iso_ = dates(values[values.str.fullmatch(r"\d{4}-\d\d-\d\d")])
            dmy_ = dates(values[values.str.fullmatch(r"\d\d/\d\d/\d{4}")], "%d/%m/%Y")
            assert (pd.concat([iso_, dmy_]) <= pd.Timestamp(LAST)).all(), f"{name}.{column}"
        if name != "header":
            assert not frame.duplicated(COLUMNS[name].split(",")[:2]).any(), name
    assert not (dates(r.CINclosureDate) < r.day).any() and not (a.done < a.start).any()
    assert (a.start >= a.LAchildID.map(r.groupby("LAchildID").day.min())).all()
    c = c.sort_values(["LAchildID", "start"])
    assert not (c.groupby("LAchildID").end.shift() > c.start).any(), "plans overlap"
    assert (c.groupby("LAchildID").cumcount() <= c.NumberOfPreviousCPP.astype(int)).all()
    same_child = e.CHILD.shift(-1) == e.CHILD
    assert (same_child.eq(False) | (e.end <= e.start.shift(-1))).all(), "episodes overlap"
    assert ((e.REC == "X1") == (same_child & (e.start.shift(-1) == e.end))).all()
    assert sorted(t["header"].CHILD) == sorted(e.CHILD.unique()), "a header row for each child"
    children = pd.concat([frame.iloc[:, 0] for frame in t.values()])
    assert children.str.fullmatch(r"HR\d{7}").all()
    # make_example_history.py makes 10 of June 2026's assessments late by moving their
    # authorisation to 30 June; 10 that were in time must have started early enough.
    june = done[(took <= 45) & (done.done.dt.to_period("M") == pd.Period("2026-06"))]
    to_30_june = np.busday_count(day_after(june.start), "2026-07-01", holidays=bank_days)
    assert (to_30_june > 45).sum() >= 10
    rows = {name: len(frame) for name, frame in t.items()}
    print(f"rows: {rows}; children: {children.nunique()}")


def main() -> None:
    began = time.perf_counter()
    rng = random.Random(SEED)
    ids = (f"HR{n:07d}" for n in rng.sample(range(10_000, 1_000_000), 30_000))
    proceedings = make_proceedings(rng, ids)
    periods = make_periods(rng, ids, proceedings)
    steady_moves(rng, periods)
    plans = make_plans(rng, ids)
    referrals = make_referrals(rng, ids, plans, periods)
    assessments = balance_assessments(rng, referrals)
    write_tables(rng, referrals, assessments, plans, periods, proceedings)
    print(f"wrote {CASES} in {time.perf_counter() - began:.1f} s")
    verify()


if __name__ == "__main__":
    main()
