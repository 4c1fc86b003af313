"""Benchmark: a 12-item agenda pack, and what one LibreOffice process saves per paper.

    python benchmarks/bench_pack.py [--repeat N]

Copies the example project to a temporary folder and adds a meeting of 12 items: 10 papers
reportgen builds (the example's performance report and nine information reports on its
scorecard, for the same meeting) and 2 supplied PDFs. Then measures, on this machine:
- `reportgen pack` of the meeting, the wall time of the command in a new process (papers
  built, converted to PDF by one LibreOffice process, joined, bookmarked, numbered)
  (target: < 20 s);
- the cost of one more paper: converting 1 and then 10 papers in one LibreOffice process,
  against starting LibreOffice once per paper.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reportgen.pdf.convert import convert

ROOT = Path(__file__).resolve().parent.parent
SCORECARD = "data/narrative/2026-12-08-childrens-services-scorecard.yaml"
PERFORMANCE = "data/narrative/2026-11-04-childrens-performance-report.yaml"


def project_files(project: Path) -> Path:
    """The example with a 12-item meeting; returns the meeting file."""
    for part in ("config", "data"):
        shutil.copytree(ROOT / part, project / part)
    text = (ROOT / SCORECARD).read_text(encoding="utf-8")
    text = text.replace(
        "committee: Children's Services Scrutiny Sub-Committee",
        "committee: Children and Young People Scrutiny Panel",
    ).replace("meeting_date: 2026-12-08", "meeting_date: 2026-11-04")
    items = [f"  - narrative: ../narrative/{Path(PERFORMANCE).name}"]
    for number in range(1, 10):
        name = f"2026-11-04-scorecard-{number}.yaml"
        (project / "data" / "narrative" / name).write_text(
            text.replace("Performance Scorecard", f"Performance Scorecard, part {number}"),
            encoding="utf-8",
        )
        items.append(f"  - narrative: ../narrative/{name}")
    items += [
        "  - title: Minutes of the previous meeting\n    file: supplied/2026-09-09-minutes.pdf",
        "  - title: Work programme\n    file: supplied/2026-09-09-minutes.pdf",
    ]
    meeting = project / "data" / "meetings" / "bench.yaml"
    meeting.write_text(
        "committee: Children and Young People Scrutiny Panel\ndate: 2026-11-04\n"
        "time: 7.00 pm\nvenue: Committee Room 1\nitems:\n" + "\n".join(items) + "\n",
        encoding="utf-8",
    )
    return meeting


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as temporary:
        project = Path(temporary)
        meeting = project_files(project)
        command = [sys.executable, "-m", "reportgen", "pack", str(meeting), "-p", str(project)]
        subprocess.run(command, check=True, capture_output=True, env=environment)  # warm-up
        packs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=environment)
            packs.append(time.perf_counter() - started)
        written = next(project.rglob("agenda-pack.pdf"))
        pages = subprocess.run(
            ["pdfinfo", str(written)], check=True, capture_output=True, text=True
        ).stdout
        papers = sorted((project / "out").rglob("*.docx")) or []
        if not papers:
            subprocess.run(
                [sys.executable, "-m", "reportgen", "build", "-p", str(project)],
                check=True, capture_output=True, env=environment,
            )  # fmt: skip
            papers = sorted((project / "out").rglob("*.docx"))
        documents = [(p.name, p.read_bytes()) for p in papers[:10]]
        profile = project / "profile"
        convert(documents[:1], profile)  # LibreOffice's profile, made once
        timings = {}
        for label, batch in (("1 paper", documents[:1]), ("10 papers", documents)):
            started = time.perf_counter()
            convert(batch, profile)
            timings[label] = time.perf_counter() - started
        started = time.perf_counter()
        for document in documents:
            convert([document], profile)
        separately = time.perf_counter() - started
    median = statistics.median(packs)
    count = next(line for line in pages.splitlines() if line.startswith("Pages:")).split()[-1]
    verdict = "ok" if median < 20 else "OVER TARGET"
    print(f"12-item pack ({count} pages): median {median:.2f} s (min {min(packs):.2f}, max "
          f"{max(packs):.2f}) over {len(packs)} runs; target < 20 s: {verdict}")  # fmt: skip
    one, ten = timings["1 paper"], timings["10 papers"]
    print(f"one LibreOffice process: 1 paper {one:.2f} s, 10 papers {ten:.2f} s, "
          f"{(ten - one) / 9:.2f} s for each paper more")  # fmt: skip
    print(f"one process per paper: 10 papers {separately:.2f} s, "
          f"{separately / len(documents):.2f} s a paper")  # fmt: skip


if __name__ == "__main__":
    main()
