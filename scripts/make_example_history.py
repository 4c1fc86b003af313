"""Writes the example's earlier published paper, data/published/2026-09-09-…/…yaml.

The 4 November 2026 performance report compares itself with what the committee was sent on
9 September 2026 (as at June 2026). That paper was made from the data as they were then:
- Cafcass had not yet validated Q1, so it printed the council's own 31 weeks;
- June's assessment figure was 198 of 233, before 10 assessments recorded as late were
  found to have been completed in time (here they are authorised on 30 June again, in the
  case records, data/cases/assessments.csv);
- it still reported two team caseloads (17 and 18), since merged into indicator 15;
- and indicator 19, quorate child protection conferences, since retired.
This script rebuilds that state in a temporary copy of the project, publishes the paper
there with `reportgen publish`, and copies its snapshot into data/published/. Run it from
the repository root: `python scripts/make_example_history.py`.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import holidays
import numpy as np

from reportgen import Workspace
from reportgen.inputs.snapshots import PUBLISHED_FOLDER

ROOT = Path(__file__).resolve().parent.parent
NARRATIVE = """template: performance_report
committee: Children and Young People Scrutiny Panel
meeting_date: 2026-09-09
subject: Performance Report
responsible_officer: Corporate Director, People
portfolio_holder: Portfolio Holder for Children's Services
period: 2026-06
indicators: [L4, L1, L2, CIN1, L3, L6, CP1, CP2, L5, LAC1, LAC2, LAC3, LAC4, CL1, CL2, WF3, WF4,
             WF2]
recommendations: Members of the panel to discuss and comment on the contents of the report.
summary: The report summarises performance information up to quarter 1 ({{ L5.latest.period }}).
contacts:
  - name: Performance Team
    title: Head of Performance, Policy and Partnerships
"""
THEN = """
  - id: L6
    number: 19
    theme: Safeguarding
    title: Child protection conferences that were quorate
    unit: percent
    polarity: higher
    target: 95
    tolerance: 5

  - id: WF3
    number: 17
    theme: Workforce
    title: Average caseload of workers for children subject to a child protection plan
    unit: average
    unit_word: cases per worker
    polarity: lower
    measure: snapshot
    decimals: 1
    target: 15
    tolerance: 2

  - id: WF4
    number: 18
    theme: Workforce
    title: Average caseload of workers for looked-after children
    unit: average
    unit_word: cases per worker
    polarity: lower
    measure: snapshot
    decimals: 1
    target: 15
    tolerance: 2
"""
THEN_DATA = """indicator,period,numerator,denominator,value,status,note,source
L6,2026-04,44,46,,validated,,
L6,2026-05,41,45,,validated,,
L6,2026-06,39,44,,validated,,
WF3,2026-04,262,17,,validated,,
WF3,2026-05,270,17.5,,validated,,
WF3,2026-06,281,17,,validated,,
WF4,2026-04,301,19,,validated,,
WF4,2026-05,296,19,,validated,,
WF4,2026-06,309,19.5,,validated,,
"""


def record_late(assessments: Path) -> None:
    """Puts back the 30 June authorisation recorded for 10 of June 2026's assessments that
    were in fact authorised in time, making them late (over 45 working days)."""
    bank = sorted(holidays.country_holidays("GB", subdiv="ENG", years=range(2024, 2028)))

    def working_days(start: str, end: str) -> int:  # as L1 counts them
        day = timedelta(days=1)
        ends = (date.fromisoformat(start) + day, date.fromisoformat(end) + day)
        return int(np.busday_count(*ends, holidays=bank))

    with assessments.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    in_time = [
        row
        for row in rows
        if row["AssessmentAuthorisationDate"].startswith("2026-06")
        and working_days(row["AssessmentActualStartDate"], row["AssessmentAuthorisationDate"]) <= 45
        and working_days(row["AssessmentActualStartDate"], "2026-06-30") > 45
    ]
    for row in in_time[:10]:
        row["AssessmentAuthorisationDate"] = "2026-06-30"
    with assessments.open("w", encoding="utf-8", newline="") as file:
        out = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
        out.writeheader()
        out.writerows(rows)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        then = Path(folder)
        for part in ("config", "data"):
            shutil.copytree(ROOT / part, then / part)
        shutil.rmtree(then / PUBLISHED_FOLDER, ignore_errors=True)
        shutil.rmtree(then / "data" / "narrative")
        (then / "data" / "narrative").mkdir()
        catalogue = then / "config" / "indicators.yaml"
        text = catalogue.read_text(encoding="utf-8")
        text = text[: text.index("\n# Indicators the committee stopped")]  # nothing retired yet
        catalogue.write_text(text.rstrip("\n") + "\n" + THEN, encoding="utf-8")
        record_late(then / "data" / "cases" / "assessments.csv")
        data = then / "data" / "indicators" / "scorecard-2026-27.csv"
        rows = data.read_text(encoding="utf-8").splitlines()
        # June's note came with the correction, and Cafcass's Q1 and Q2 rows later still.
        later = ("L1,2026-06,", "L5,2026-27 Q1,224,", "L5,2026-27 Q2,")
        rows = [row for row in rows if not row.startswith(later)]
        data.write_text("\n".join(rows) + "\n", encoding="utf-8")
        (then / "data" / "indicators" / "caseloads-2026-27.csv").write_text(
            THEN_DATA, encoding="utf-8"
        )
        narrative = then / "data" / "narrative" / "2026-09-09-childrens-performance-report.yaml"
        narrative.write_text(NARRATIVE, encoding="utf-8")
        (published,) = Workspace(then).publish([narrative], then / "out")
        target = ROOT / published.path.relative_to(then)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(published.path, target)
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
