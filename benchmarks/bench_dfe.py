"""Benchmark: loading every DfE file and computing every indicator for every year.

    python benchmarks/bench_dfe.py [--dfe FOLDER] [--repeat N]

Builds a temporary project for Harrow (la_code 310) whose catalogue maps every measure of every
DfE file in FOLDER (default: ../shared/data/dfe, else the example's data/dfe), then times, each
in a new Python process so that nothing is warm in memory:
- cold: loading the project with an empty cache (reading and extracting every file), then the
  benchmarks of every indicator for every year and every indicator's results (target: < 2 s);
- cached: the same step again, reading the extractions from the cache (target: < 0.2 s).
The time is measured inside the process, for the step itself; start-up and imports are
reported separately.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Per file: the filter columns, and the measures to map (value, numerator, denominator).
FILES = {
    "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv": (
        [],
        [("rereferral_percent", "rereferral_count", "referral_count"),
         ("no_further_action_percent", "no_further_action_count", "referral_count"),
         ("not_in_need_percent", "not_in_need_count", "referral_count"),
         ("rereferral_child_percent", "rereferral_child_count", "referral_child_count")],
    ),
    "d3_cpps_subsequent_plan_2013_to_2025.csv": (
        [], [("CPP_subsequent_percent", "CPP_subsequent", "CPP_start")],
    ),
    "d5_cpps_at31march_by_duration_2013_to_2025.csv": (
        [],
        [("3_months_or_less_percent", "3_months_or_less", "CPP_At31"),
         ("1_year_less_than_2_years_percent", "1_year_less_than_2_years", "CPP_At31"),
         ("2_years_or_more_percent", "2_years_or_more", "CPP_At31")],
    ),
    "la_cla_placement_stability.csv": (
        ["cla_group", "placement_stability"], [("children_percent", "children_count", "")],
    ),
    "la_care_leavers_accommodation_suitability.csv": (
        ["care_leaver_age", "breakdown"], [("care_leaver_percent", "care_leaver_count", "")],
    ),
    "la_care_leavers_activity.csv": (
        ["care_leaver_age", "breakdown"], [("care_leaver_percent", "care_leaver_count", "")],
    ),
    "la_conviction_health_outcome_cla.csv": (
        ["characteristic", "breakdown"], [("children_percent", "children_count", "")],
    ),
    "cla_number_and_rate_per_10k_children.csv": (
        ["population_type"], [("rate_per_10000", "children_count", "population_estimate")],
    ),
    "csww_indicators_2017_to_2025.csv": (
        [],
        [("caseload_fte", "cases", "case_holders_fte"), ("agency_rate_fte", "", ""),
         ("vacancy_rate_fte", "", ""), ("turnover_rate_fte", "", ""),
         ("absence_rate_fte", "", "")],
    ),
}  # fmt: skip

STEP = """
import json, sys, time
started = time.perf_counter()
from pathlib import Path
from reportgen.errors import Problems
from reportgen.domain.periods import Month
from reportgen.inputs.project import load_project
imported = time.perf_counter()
problems = Problems()
project = load_project(Path(sys.argv[1]), problems)
assert project is not None and not problems.items, [str(p) for p in problems.items]
# Every year's benchmarking, worked out (papers ask only for the years they show).
years = sum(len(list(project.benchmark_years(i).values())) for i in project.catalogue)
results = project.results(project.catalogue, Month(2026, 10))
done = time.perf_counter()
print(json.dumps({"imports": imported - started, "step": done - imported, "years": years,
                  "indicators": len(results)}))
"""


def catalogue(folder: Path) -> tuple[str, int]:
    """A catalogue mapping every measure of every file, one indicator per filter combination."""
    entries = []
    for name, (filters, measures) in FILES.items():
        with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        combinations = sorted({tuple(row[f] for f in filters) for row in rows})
        for values in combinations:
            for value, numerator, denominator in measures:
                sample = [r[value] for r in rows if tuple(r[f] for f in filters) == values]
                if not any(v.replace(".", "", 1).isdigit() for v in sample):
                    continue  # a breakdown with no figures for this measure
                number = len(entries) + 1
                lines = [
                    f"  - id: D{number}",
                    f"    title: {json.dumps(f'{name} {value} {values}')}",
                    "    unit: number",
                    "    polarity: higher",
                    "    grain: year",
                    "    measure: snapshot",
                    "    dfe:",
                    f"      file: {name}",
                    f"      value: {json.dumps(value)}",
                ]
                if numerator:
                    lines.append(f"      numerator: {json.dumps(numerator)}")
                if denominator:
                    lines.append(f"      denominator: {json.dumps(denominator)}")
                if name.startswith("csww"):
                    lines.append("      time_period_month: 9")
                if filters:
                    lines.append("      filters:")
                    lines += [
                        f"        {f}: {json.dumps(v)}"
                        for f, v in zip(filters, values, strict=True)
                    ]
                entries.append("\n".join(lines))
    return "indicators:\n" + "\n\n".join(entries) + "\n", len(entries)


def run(project: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-c", STEP, str(project)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output)  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shared = ROOT.parent / "shared" / "data" / "dfe"
    parser.add_argument(
        "--dfe", type=Path, default=shared if shared.is_dir() else ROOT / "data/dfe"
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        project = Path(temporary)
        (project / "config").mkdir()
        (project / "data" / "dfe").mkdir(parents=True)
        (project / "config" / "authority.yaml").write_text(
            "name: London Borough of Harrow\nshort_name: Harrow\nla_code: 310\n", encoding="utf-8"
        )
        text, count = catalogue(args.dfe)
        (project / "config" / "indicators.yaml").write_text(text, encoding="utf-8")
        files = sorted(args.dfe.glob("*.csv"))
        size = sum(f.stat().st_size for f in files)
        for file in files:
            shutil.copy(file, project / "data" / "dfe" / file.name)
        cold, cached = [], []
        for _ in range(args.repeat):
            shutil.rmtree(project / ".cache", ignore_errors=True)
            cold.append(run(project))
            cached.append(run(project))
        first = cold[0]
        print(f"{len(files)} DfE files ({size / 1e6:.1f} MB) from {args.dfe}")
        print(f"{count} indicators mapped; {first['years']} indicator-years benchmarked")
        for label, runs, target in (("cold", cold, 2.0), ("cached", cached, 0.2)):
            steps = [r["step"] for r in runs]
            median = statistics.median(steps)
            verdict = "ok" if median < target else "OVER TARGET"
            print(
                f"{label:>6}: median {median:.3f} s (min {min(steps):.3f}, max {max(steps):.3f}) "
                f"over {len(steps)} runs; target < {target} s: {verdict}"
            )
        imports = statistics.median(r["imports"] for r in cold + cached)
        print(f"imports (not in the step): median {imports:.3f} s")


if __name__ == "__main__":
    main()
