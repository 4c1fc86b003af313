"""Benchmark: a performance report of 640 indicators, and 200 papers in one run.

    python3 benchmarks/bench_scale.py [--repeat N] [--sizes 80,160,320,640] [--papers 200]

Works in temporary folders only. The project is made from the example's: its authority, its
DfE files and its 16 scorecard indicators (monthly, quarterly and annual ones, most
benchmarked from a DfE file) with their data; the other indicators are monthly percentages,
each with 18 months of figures and benchmarks (the authority, its neighbours, England) of
its own, so that no two charts are the same. The narrative is the example's performance
report in outline: the performance_report template with a performance index listing every
indicator with its charts (a trend for each, a comparator chart for each benchmarked one),
and a live figure in the summary. Measures:

(a) cold: `python3 -m reportgen build` in a new process with no `.cache/` (every DfE file
    read, every chart drawn, many at once on all cores), 640 indicators. Target: <= 12 s.
    Beside it, the same with every chart drawn in the one process, to show what drawing in
    parallel gains on this machine; then drawing alone, 24 to 384 charts, on all cores
    (`drawing._draw_all` made to use its pool) against drawn together in this process, to
    show where the pool starts to pay (`_DRAW_IN_PARALLEL`).
    How many cores were free (another process may be busy) is measured before and after.
(b) rebuild after a narrative edit, in one process with one `reportgen.Cache`: each round
    changes one word of the narrative file's summary and calls `reportgen.build` (writing
    the paper), at 80, 160, 320 and 640 indicators. Target: <= 3 s at 640, and linear: the
    time per indicator about the same at every size.
(c) memory: `python3 -m reportgen build` of a folder of 200 papers (copies of the 2011 paper
    for other meetings) in a new process; its peak resident memory, and the same for 1, 50
    and 100 papers, to show how it grows. Target: <= 150 MB at 200 papers.

Python's bytecode cache is on for every run in a new process (this sandbox turns it off
with PYTHONDONTWRITEBYTECODE).
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import yaml

import reportgen
from reportgen.errors import Problems
from reportgen.inputs.project import load_project
from reportgen.jobs.compose import compose
from reportgen.jobs.plan import plan
from reportgen.paper.charts import Chart
from reportgen.word import drawing

ROOT = Path(__file__).resolve().parent.parent
BASE = ("L4", "L1", "L2", "CIN1", "L3", "CP1", "CP2", "L5")
BASE += ("LAC1", "LAC2", "LAC3", "LAC4", "CL1", "CL2", "WF1", "WF2")
WORD = "summarises"
COLD_TARGET, EDIT_TARGET, MEMORY_TARGET = 12.0, 3.0, 150.0

NARRATIVE = """template: performance_report
committee: Children and Young People Scrutiny Panel
meeting_date: 2026-11-04
subject: Performance Report
responsible_officer: Corporate Director, People
period: 2026-09
indicators: [{ids}]
scorecard:
  title: "Appendix 1: Performance index"
  periods: 3
recommendations: Members of the panel to discuss and comment on the contents of the report.
summary: |
  The report {word} performance information up to quarter 2 ({{{{ L1.latest.period }}}}),
  with the performance index and charts of each of its {count} indicators.
contacts:
  - name: Performance Team
    title: Head of Performance
"""


def environment() -> dict[str, str]:
    """This process's environment with Python's bytecode cache on."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def scale_project(folder: Path, size: int) -> Path:
    """A project of `size` indicators in `folder`; returns its narrative file.

    The first 16 are the example's scorecard (monthly and quarterly ones from the council's
    data, annual ones from the DfE files); the rest are monthly percentages, each with its
    own 18 months of data and its own benchmarks for 2025-26 (the authority, its ten
    statistical neighbours and England), so that every chart in the paper is different."""
    assert size >= len(BASE)
    for part in ("config", "data/indicators", "data/benchmarks", "data/narrative"):
        (folder / part).mkdir(parents=True)
    shutil.copy(ROOT / "config" / "authority.yaml", folder / "config")
    shutil.copytree(ROOT / "data" / "dfe", folder / "data" / "dfe")
    shutil.copy(ROOT / "data" / "indicators" / "scorecard-2026-27.csv", folder / "data/indicators")
    example = yaml.safe_load((ROOT / "config" / "indicators.yaml").read_text(encoding="utf-8"))
    authority = yaml.safe_load((ROOT / "config" / "authority.yaml").read_text(encoding="utf-8"))
    areas = [authority["short_name"], *authority["statistical_neighbours"], "England"]
    entries = {entry["id"]: entry for entry in example["indicators"]}
    indicators = [
        {k: v for k, v in entries[base].items() if k not in ("replaces", "decision")}
        for base in BASE
    ]
    data = ["indicator,period,numerator,denominator,value,status,note,source"]
    benchmarks = ["indicator,period,area,value"]
    themes = example["themes"]
    for number in range(len(BASE) + 1, size + 1):
        new = f"D{number}"
        indicators.append(
            {
                "id": new,
                "number": number,
                "theme": themes[number % len(themes)],
                "title": f"Children's services measure {number}, per cent of cases in time",
                "unit": "percent",
                "polarity": "higher" if number % 3 else "lower",
                "decimals": 1,
                "target": 60 + number % 30,
                "tolerance": 5,
            }
        )
        figures = random.Random(number)  # the same figures on every run
        for month in range(18):
            year, index = divmod(3 + month, 12)
            cases = figures.randint(60, 200)
            in_time = cases * figures.randint(40, 95) // 100
            data.append(f"{new},{2025 + year}-{index + 1:02d},{in_time},{cases},,validated,,")
        for area in areas:
            benchmarks.append(f"{new},2025-26,{area},{figures.uniform(30, 95):.1f}")
    catalogue = {"themes": themes, "indicators": indicators}
    (folder / "config" / "indicators.yaml").write_text(
        yaml.safe_dump(catalogue, sort_keys=False, allow_unicode=True, width=200), "utf-8"
    )
    (folder / "data" / "indicators" / "measures.csv").write_text("\n".join(data) + "\n", "utf-8")
    (folder / "data" / "benchmarks" / "measures-2025-26.csv").write_text(
        "\n".join(benchmarks) + "\n", "utf-8"
    )
    narrative = folder / "data" / "narrative" / "performance-report.yaml"
    ids = [entry["id"] for entry in indicators]
    narrative.write_text(narrative_text(ids, WORD), encoding="utf-8")
    return narrative


def narrative_text(ids: list[str], word: str) -> str:
    return NARRATIVE.format(ids=", ".join(ids), word=word, count=len(ids))


def edit(narrative: Path, round_: int) -> None:
    """Changes one word of the summary, differently each round."""
    text = narrative.read_text(encoding="utf-8")
    start = text.index("The report ") + len("The report ")
    end = text.index(" ", start)
    narrative.write_text(f"{text[:start]}{WORD}{round_}{text[end:]}", encoding="utf-8")


def build_command(project: Path, *, serial: bool = False) -> list[str]:
    """`reportgen build` of the project in a new process; `serial` draws every chart in it."""
    if serial:
        code = (
            "import reportgen.word.drawing as d; d._DRAW_IN_PARALLEL = 1 << 30; "
            "from reportgen.cli import main; main()"
        )
        start = [sys.executable, "-c", code]
    else:
        start = [sys.executable, "-m", "reportgen"]
    return [*start, "build", "--project", str(project), "--out", str(project / "out")]


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=environment())
    return time.perf_counter() - started


# -- (a) cold --------------------------------------------------------------------------------


def cold(folder: Path, size: int, rounds: int) -> dict[str, list[float]]:
    """Seconds of a cold build, charts drawn on all cores and in one process, alternating."""
    project = folder / f"cold-{size}"
    scale_project(project, size)
    timed(build_command(project))  # writes the bytecode cache once
    times: dict[str, list[float]] = {"charts on all cores": [], "charts in one process": []}
    for _ in range(rounds):
        for name, serial in (("charts on all cores", False), ("charts in one process", True)):
            shutil.rmtree(project / ".cache", ignore_errors=True)
            shutil.rmtree(project / "out", ignore_errors=True)
            times[name].append(timed(build_command(project, serial=serial)))
    pictures = len(list((project / ".cache" / "reportgen" / "charts").glob("*.png")))
    paper = next((project / "out").rglob("*.docx"))
    print(f"\n{size} indicators: {pictures} charts, paper {paper.stat().st_size / 1e6:.1f} MB")
    return times


def charts_of(project: Path, narrative: Path) -> list[Chart]:
    """The charts the project's paper shows, worked out as a build does, none drawn."""
    wanted: list[Chart] = []

    def not_drawn(charts: list[Chart]) -> list[bytes]:
        wanted.extend(charts)
        return [b""] * len(charts)

    problems = Problems()
    loaded = load_project(project, problems, keep_files=False)
    assert loaded is not None, [str(p) for p in problems.items]
    report = plan(loaded, [narrative], project / "out", problems)[0]
    real, drawing._draw_all = drawing._draw_all, not_drawn
    try:
        compose(loaded, report, problems)
    finally:
        drawing._draw_all = real
    return wanted


def drawing_only(folder: Path, counts: list[int], rounds: int) -> dict[int, list[float]]:
    """For each number of charts, (drawn by `_draw_all` on all cores, whatever their
    number) over (drawn together in this process, as `_draw_all` draws fewer than
    `_DRAW_IN_PARALLEL`), per round."""
    project = folder / "charts"
    charts = charts_of(project, scale_project(project, max(counts) // 2 + len(BASE)))
    ratios: dict[int, list[float]] = {count: [] for count in counts}
    threshold, drawing._DRAW_IN_PARALLEL = drawing._DRAW_IN_PARALLEL, 0
    try:
        for _ in range(rounds):
            for count in counts:
                started = time.perf_counter()
                drawing._draw_all(charts[:count])
                pool = time.perf_counter() - started
                started = time.perf_counter()
                drawing._draw_together(charts[:count])
                ratios[count].append(pool / (time.perf_counter() - started))
    finally:
        drawing._DRAW_IN_PARALLEL = threshold
    return ratios


def _spin(count: int) -> int:
    total = 0
    for number in range(count):
        total += number
    return total


def cores_free() -> float:
    """How many of the machine's cores this benchmark has to itself just now: a loop run
    on every core at once, against the same loop alone."""
    workers = os.cpu_count() or 1
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=spawn) as pool:
        list(pool.map(_spin, [1] * workers))  # the workers started
        started = time.perf_counter()
        _spin(5_000_000)
        alone = time.perf_counter() - started
        started = time.perf_counter()
        list(pool.map(_spin, [5_000_000] * workers))
        together = time.perf_counter() - started
    return workers * alone / together


# -- (b) rebuild after an edit ---------------------------------------------------------------


def rebuilds(folder: Path, size: int, rounds: int) -> tuple[float, list[float]]:
    """(the first build's seconds, each rebuild's after an edit) in one process, one cache."""
    project = folder / f"edit-{size}"
    narrative = scale_project(project, size)
    cache = reportgen.Cache()
    started = time.perf_counter()
    reportgen.Workspace(project, cache).build([narrative])
    first = time.perf_counter() - started
    times = []
    for round_ in range(rounds + 1):
        edit(narrative, round_)
        started = time.perf_counter()
        reportgen.Workspace(project, cache).build([narrative])
        times.append(time.perf_counter() - started)
    return first, times[1:]  # the first rebuild compiles the edited text's new templates


# -- (c) memory ------------------------------------------------------------------------------

MEASURE = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

PAPER = ROOT / "data" / "narrative" / "2011-01-18-ni59-ni60.yaml"
IMPORT_ONLY = "import reportgen.cli"


def papers_project(folder: Path, count: int) -> Path:
    """A copy of the example project whose narrative folder holds `count` copies of the
    2011 paper, each for a meeting of its own (so no two write the same file)."""
    for part in ("config", "data"):
        shutil.copytree(ROOT / part, folder / part, ignore=shutil.ignore_patterns("narrative"))
    narratives = folder / "data" / "narrative"
    narratives.mkdir()
    text = PAPER.read_text(encoding="utf-8")
    committees = ("Performance and Finance Scrutiny Sub-Committee", "Cabinet", "Scrutiny Panel")
    for number in range(count):
        day = date(2011, 1, 18) + timedelta(days=7 * (number // len(committees)))
        committee = committees[number % len(committees)]
        paper = text.replace("meeting_date: 2011-01-18", f"meeting_date: {day.isoformat()}")
        paper = paper.replace(f"committee: {committees[0]}", f"committee: {committee}")
        (narratives / f"{day.isoformat()}-paper-{number:03d}.yaml").write_text(paper, "utf-8")
    return narratives


def peak_memory(folder: Path, count: int) -> tuple[float, float, float, float, int]:
    """Building `count` papers in a new process, twice: (peak resident MB and seconds of
    the first run, with no `.cache/`, the same of the second, and bytes of papers)."""
    project = folder / f"papers-{count}"
    narratives = papers_project(project, count)
    command = [sys.executable, "-c", MEASURE, *build_command(project)]
    command[-4:-4] = [str(narratives)]  # build NARRATIVES --project … --out …
    first, first_seconds = measured(command)
    again, again_seconds = measured(command)
    papers = list((project / "out").rglob("*.docx"))
    assert len(papers) == count
    return first, first_seconds, again, again_seconds, sum(p.stat().st_size for p in papers)


def measured(command: list[str]) -> tuple[float, float]:
    """(peak resident MB, seconds) of a `MEASURE` command."""
    started = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=environment())
    return int(done.stdout.split()[-1]) / 1024, time.perf_counter() - started


def imports_memory() -> float:
    """Peak resident MB of a process that only imports reportgen's command line."""
    peak, _ = measured([sys.executable, "-c", MEASURE, sys.executable, "-c", IMPORT_ONLY])
    return peak


# -- tables ----------------------------------------------------------------------------------


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else "NOT MET"


def quartiles(values: list[float]) -> str:
    if len(values) < 2:
        return f"{values[0]:.2f} s"
    low, _, high = statistics.quantiles(values, n=4, method="inclusive")
    return f"{min(values):.2f} / {low:.2f} / {high:.2f} / {max(values):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds of each measure")
    parser.add_argument("--sizes", default="80,160,320,640", help="indicator counts for (b)")
    parser.add_argument("--papers", type=int, default=200, help="papers for (c)")
    parser.add_argument("--only", choices=["cold", "edit", "memory"], action="append")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    only = args.only or ["cold", "edit", "memory"]
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        if "cold" in only:
            print(f"cores: {os.cpu_count()}, of which free before (a): {cores_free():.1f}")
            times = cold(folder, max(sizes), args.repeat)
            print(f"(a) cold build, new process, no .cache/ ({args.repeat} rounds, alternating)")
            print(f"{'':24} {'median':>8}   min / Q1 / Q3 / max")
            for name, runs in times.items():
                print(f"{name:24} {statistics.median(runs):6.2f} s   {quartiles(runs)}")
            ratios = [
                a / b
                for a, b in zip(
                    times["charts in one process"], times["charts on all cores"], strict=True
                )
            ]
            median = statistics.median(times["charts on all cores"])
            print(
                f"drawing on all cores: one process takes {statistics.median(ratios):.2f}x as "
                f"long (per round {min(ratios):.2f} to {max(ratios):.2f}x)"
            )
            print(f"target: <= {COLD_TARGET} s: {median:.2f} s, {verdict(median, COLD_TARGET)}")
            print(f"cores free after (a): {cores_free():.1f}")
            counts = [24, 48, 96, 192, 384]
            rounds = min(args.repeat, 3)
            print(f"drawing alone: time on all cores over time in this process "
                  f"(median of {rounds} rounds; below 1 the pool helps)")  # fmt: skip
            for count, ratios in drawing_only(folder, counts, rounds).items():
                print(f"  {count:>4} charts: {statistics.median(ratios):.2f}")
        if "edit" in only:
            print(f"\n(b) rebuild after a narrative edit, one process, one Cache ({args.repeat} "
                  "rounds each)")  # fmt: skip
            print(f"{'indicators':>10} {'first build':>12} {'rebuild':>9} {'per indicator':>14}"
                  f"   min / Q1 / Q3 / max")  # fmt: skip
            medians = {}
            for size in sizes:
                first, runs = rebuilds(folder, size, args.repeat)
                medians[size] = statistics.median(runs)
                print(f"{size:>10} {first:10.2f} s {medians[size]:7.2f} s "
                      f"{medians[size] / size * 1000:10.2f} ms   {quartiles(runs)}")  # fmt: skip
            largest = max(sizes)
            steps = [medians[b] / medians[a] for a, b in itertools.pairwise(sizes)]
            print("time ratio for each doubling: " + ", ".join(f"{s:.2f}" for s in steps))
            print(f"target: <= {EDIT_TARGET} s at {largest}: {medians[largest]:.2f} s, "
                  f"{verdict(medians[largest], EDIT_TARGET)}")  # fmt: skip
        if "memory" in only:
            print("\n(c) peak memory of one `reportgen build` of a folder of papers, a new process")
            print(f"{'papers':>7}   first run, no .cache/   again, .cache/ kept   papers written")
            results = {}
            for count in sorted({1, args.papers // 4, args.papers // 2, args.papers}):
                results[count] = peak_memory(folder, count)
                first, first_seconds, again, again_seconds, written = results[count]
                print(f"{count:>7}   {first:6.1f} MB {first_seconds:6.2f} s     {again:6.1f} MB "
                      f"{again_seconds:6.2f} s   {written / 1e6:8.1f} MB")  # fmt: skip
            print(f"importing reportgen's command line alone: {imports_memory():.1f} MB")
            counts = sorted(results)
            peak = max(results[args.papers][0], results[args.papers][2])
            growth = (results[counts[-1]][2] - results[counts[0]][2]) / (counts[-1] - counts[0])
            print(f"growth (.cache/ kept): {growth * 1000:.0f} kB of peak memory for each paper")
            print(f"target: <= {MEMORY_TARGET:.0f} MB at {args.papers} papers: {peak:.1f} MB, "
                  f"{verdict(peak, MEMORY_TARGET)}")  # fmt: skip


if __name__ == "__main__":
    main()
