"""Benchmark: a 40-indicator performance report with 80 charts, cold and after a narrative edit.

    python benchmarks/bench_charts.py [--repeat N]

Builds a temporary project for Harrow (la_code 310) with the example's DfE files and 40
indicators, every one benchmarked from a DfE file (so each has a comparator chart): 20
monthly with two years of local data (a trend for this year, last year as a faint line, and
a target) and 20 annual (their trend is their published years). Its narrative uses the
performance_report template, with the performance index and all 80 charts in the paper.

Times, each as the wall time of the `reportgen build` command in a new process, with Python's
bytecode cache on as on a council's machine (this sandbox sets PYTHONDONTWRITEBYTECODE, which
would add about 0.1 s of compiling reportgen's own modules to every run):
- cold: no cache at all (DfE files read and extracted, every chart drawn) (target: < 4 s);
- narrative edit: the narrative's summary changed, everything else cached (target: < 1 s);
- drawing alone: the paper's charts drawn in this process, together (as a build draws them,
  sharing their text), in milliseconds a chart, with the PNGs' mean size.
Each round runs all three, so that a busy machine slows each alike.
Run from the repository root; it writes only to a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dfe import catalogue  # the DfE mappings, one per measure
from bench_scale import charts_of  # the charts a paper shows, none drawn

from reportgen.word import drawing

ROOT = Path(__file__).resolve().parent.parent
INDICATORS = 40

NARRATIVE = """template: performance_report
committee: Children and Young People Scrutiny Panel
meeting_date: 2026-11-04
subject: Performance Report
responsible_officer: Corporate Director, People
period: 2026-10
indicators: [{ids}]
recommendations: Members of the panel to discuss and comment on the contents of the report.
summary: |
  {summary} The first indicator stands at {{{{ D1.latest }}}}.
contacts:
  - name: Performance Team
    title: Head of Performance
"""


def project_files(project: Path) -> int:
    """Writes the benchmark project; returns how many charts its paper should hold."""
    for folder in ("config", "data/dfe", "data/indicators", "data/narrative"):
        (project / folder).mkdir(parents=True)
    shutil.copy(ROOT / "config" / "authority.yaml", project / "config")
    for file in (ROOT / "data" / "dfe").glob("*.csv"):
        shutil.copy(file, project / "data" / "dfe")
    text, count = catalogue(ROOT / "data" / "dfe")
    assert count >= INDICATORS, count
    # Harrow's figures for care leavers aged 17 and 18 are suppressed in every year, so
    # those would have no trend: the 40 are taken from the other measures.
    entries = [
        entry
        for entry in text.removeprefix("indicators:\n").split("\n\n")
        if "17 to 18 years" not in entry
    ][:INDICATORS]
    rows = ["indicator,period,numerator,denominator,value,status,note,source"]
    for number, entry in enumerate(entries, start=1):
        entry = entries[number - 1] = re.sub(r"id: D\d+", f"id: D{number}", entry, count=1)
        if number % 2 == 0:
            continue
        # Every other indicator is monthly, with local data and a target.
        entries[number - 1] = entry.replace(
            "    grain: year\n", "    grain: month\n    target: 50\n    tolerance: 5\n"
        )
        for month in range(19):
            year, index = divmod(3 + month, 12)
            period = f"{2025 + year}-{index + 1:02d}"
            rows.append(f"D{number},{period},,,{40 + (number * 7 + month * 3) % 20},,,")
    (project / "config" / "indicators.yaml").write_text(
        "indicators:\n" + "\n\n".join(entries) + "\n", encoding="utf-8"
    )
    (project / "data" / "indicators" / "local.csv").write_text(
        "\n".join(rows) + "\n", encoding="utf-8"
    )
    write_narrative(project, "The report summarises performance.")
    return 2 * INDICATORS


def write_narrative(project: Path, summary: str) -> None:
    ids = ", ".join(f"D{n}" for n in range(1, INDICATORS + 1))
    (project / "data" / "narrative" / "report.yaml").write_text(
        NARRATIVE.format(ids=ids, summary=summary), encoding="utf-8"
    )


def timed_build(project: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one `reportgen build`; CPU time (user + system) barely moves
    when a shared machine is busy, so it is printed beside the wall time."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "reportgen", "build", "--project", str(project)],
        check=True,
        capture_output=True,
        env=environment,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        project = Path(temporary)
        charts = project_files(project)
        timed_build(project)  # writes the bytecode cache, once
        shown = charts_of(project, project / "data" / "narrative" / "report.yaml")
        cold, edited, drawn_alone = [], [], []
        for run in range(args.repeat):
            shutil.rmtree(project / ".cache", ignore_errors=True)
            cold.append(timed_build(project))
            write_narrative(project, f"The report summarises performance (edit {run}).")
            edited.append(timed_build(project))
            started = time.perf_counter()
            pngs = drawing._draw_together(shown)
            drawn_alone.append((time.perf_counter() - started) / len(shown))
        drawn = len(list((project / ".cache" / "reportgen" / "charts").glob("*.png")))
        paper = next((project / "out").rglob("*.docx"))
        print(f"{INDICATORS} indicators, {charts} charts expected, {drawn} drawn and cached")
        print(f"paper: {paper.stat().st_size / 1e6:.2f} MB")
        for label, runs, target in (("cold", cold, 4.0), ("narrative edit", edited, 1.0)):
            times = [wall for wall, _ in runs]
            median = statistics.median(times)
            cpu = statistics.median(cpu for _, cpu in runs)
            verdict = "ok" if median < target else "OVER TARGET"
            print(
                f"{label:>14}: median {median:.2f} s (min {min(times):.2f}, max {max(times):.2f}) "
                f"over {len(times)} runs, CPU {cpu:.2f} s; target < {target} s: {verdict}"
            )
        print(
            f" drawing alone: median {statistics.median(drawn_alone) * 1000:.2f} ms a chart "
            f"(min {min(drawn_alone) * 1000:.2f}, max {max(drawn_alone) * 1000:.2f}) over "
            f"{len(drawn_alone)} runs of {len(shown)} charts; "
            f"PNG {statistics.mean(map(len, pngs)) / 1024:.1f} KiB a chart"
        )


if __name__ == "__main__":
    main()
