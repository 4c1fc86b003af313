"""Benchmark: comparing a meeting with the previous one, 200 indicators, 5 years of history.

    python benchmarks/bench_history.py [--repeat N]

Writes 30 published snapshots (six meetings a year for five years) of 200 monthly indicators
each into a temporary data/published/ folder, as `reportgen publish` would, then times, in a
new Python process each run so that nothing is warm:
- reading and checking every snapshot (as every build does, so that a damaged one is never
  missed), finding the committee's previous meeting, and comparing this meeting's results
  with it: rating changes, corrections and indicator review (target: < 0.3 s).
This meeting's data revise a tenth of the indicators' earlier months, move ratings, add five
indicators and retire five. Start-up, imports and computing this meeting's results (which
any build does) are reported separately.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

STEP = """
import json, sys, time
started = time.perf_counter()
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from reportgen.domain.model import Indicator, Observation, Polarity, Target, TargetKind, Unit
from reportgen.domain.periods import Month
from reportgen.errors import Problems
from reportgen.inputs.snapshots import dump, read_snapshots
from reportgen.paper.scorecard import recent_periods
from reportgen.results.changes import compare
from reportgen.results.compute import compute
from reportgen.results.records import Snapshot, previous, published

folder, write = Path(sys.argv[1]), sys.argv[2] == "write"
COMMITTEE = "Children and Young People Scrutiny Panel"


def catalogue(first, count):
    return {
        f"P{n}": Indicator(
            id=f"P{n}", title=f"Indicator {n}", unit=Unit.PERCENT,
            polarity=Polarity.HIGHER if n % 2 else Polarity.LOWER, number=str(n),
            target=Target(TargetKind.VALUE, value=Fraction(60 + n % 30), tolerance=Fraction(3)),
        )
        for n in range(first, first + count)
    }


def data(indicators, months, revised):
    held = {}
    for i, indicator in enumerate(indicators.values()):
        rows = {}
        for m, month in enumerate(months):
            numerator = 40 + (i * 7 + m * 13) % 50 + (5 if revised and i % 10 == 0 else 0)
            rows[month] = Observation(indicator.id, month, Decimal(numerator), Decimal(100),
                                      note="revised" if revised and i % 10 == 0 else "")
        held[indicator.id] = rows
    return held


months = [Month(2021, 4).shifted(i) for i in range(60)]
if write:
    indicators = catalogue(1, 200)
    held = data(indicators, months, revised=False)
    for meeting in range(30):
        as_at = months[2 * meeting]
        results = [compute(ind, held[ind.id], as_at) for ind in indicators.values()]
        day = date(2021, 5, 1) + timedelta(days=61 * meeting)
        record = Snapshot(
            paper=f"{day}-performance-report", committee=COMMITTEE, meeting_date=day,
            period=as_at.code, reportgen="bench", inputs={"config/indicators.yaml": "0" * 64},
            indicators=tuple(published(r, recent_periods(r.period, 3)) for r in results),
        )
        path = folder / f"{day}-panel" / f"{day}-performance-report.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(record), encoding="utf-8")
    sys.exit(0)

imported = time.perf_counter()
indicators = catalogue(6, 200)  # five retired (P1-P5), five added (P201-P205)
held = data(indicators, months, revised=True)
results = [compute(ind, held[ind.id], months[-1]) for ind in indicators.values()]
computed = time.perf_counter()
problems = Problems()
snapshots = read_snapshots(folder, problems)
assert not problems.items, problems.items[:3]
since = previous(snapshots, COMMITTEE, date(2026, 6, 1), public=True)
changes = compare(since, results, indicators, {})
done = time.perf_counter()
print(json.dumps({"imports": imported - started, "results": computed - imported,
                  "step": done - computed, "snapshots": len(snapshots),
                  "ratings": len(changes.ratings), "corrections": len(changes.corrections),
                  "review": len(changes.review)}))
"""


def run(folder: Path, mode: str) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-c", STEP, str(folder), mode], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output) if output else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        run(folder, "write")
        files = sorted(folder.rglob("*.json"))
        size = sum(f.stat().st_size for f in files)
        runs = [run(folder, "compare") for _ in range(args.repeat)]
    first = runs[0]
    print(f"{int(first['snapshots'])} snapshots of 200 indicators ({size / 1e6:.1f} MB)")
    print(
        f"changes found: {int(first['ratings'])} rating changes, "
        f"{int(first['corrections'])} corrections, {int(first['review'])} review items"
    )
    steps = [r["step"] for r in runs]
    median = statistics.median(steps)
    verdict = "ok" if median < 0.3 else "OVER TARGET"
    print(
        f"compare: median {median:.3f} s (min {min(steps):.3f}, max {max(steps):.3f}) over "
        f"{len(steps)} runs; target < 0.3 s: {verdict}"
    )
    for key in ("imports", "results"):
        print(f"{key} (not in the step): median {statistics.median(r[key] for r in runs):.3f} s")


if __name__ == "__main__":
    main()
