"""Benchmark: building the example report, against a bare docxtpl render of the same template.

    python benchmarks/bench_build.py [--repeat N]

Measures, on this machine:
- warm: `reportgen.pipeline.build` in-process (load, check, compute, live figures, render,
  package), repeated, against `DocxTemplate(...).render(context)` + save with the very same
  context; the ratio is reportgen's overhead (target: at most 1.5x);
- cold: the wall time of the `reportgen build` command in a new process (target: under 1.5 s).
Run from the repository root; it writes only to a temporary folder.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined

from reportgen.errors import Problems
from reportgen.inputs.project import load_project
from reportgen.jobs.build import build, plan, prepare

ROOT = Path(__file__).resolve().parent.parent
NARRATIVE = ROOT / "data" / "narrative" / "2011-01-18-ni59-ni60.yaml"


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    action()  # warm-up: imports, caches, first compile
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def bare_docxtpl(out: Path) -> Callable[[], object]:
    problems = Problems()
    project = load_project(ROOT, problems)
    assert project is not None and not problems
    report = plan(project, [NARRATIVE], out, problems)[0]
    prepared = prepare(project, report, problems)
    assert prepared is not None
    env = Environment(autoescape=True, undefined=StrictUndefined)

    def render() -> bytes:
        document = DocxTemplate(prepared.template)
        document.render(prepared.context, jinja_env=env)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    return render


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--cold-runs", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        ours = timed(lambda: build(ROOT, [NARRATIVE], out, write=False), args.repeat)
        bare = timed(bare_docxtpl(out), args.repeat)
        command = shutil.which("reportgen") or sys.exit("install reportgen first: pip install -e .")
        # With the bytecode cache on, as on a council's machine (this sandbox turns it off).
        environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cold = []
        for _ in range(args.cold_runs + 1):
            start = time.perf_counter()
            subprocess.run(
                [command, "build", str(NARRATIVE), "--project", str(ROOT), "--out", str(out)],
                check=True, capture_output=True, env=environment,
            )  # fmt: skip
            cold.append(time.perf_counter() - start)
        cold = cold[1:]  # the first run wrote the bytecode cache

    ours_ms, bare_ms = statistics.median(ours) * 1000, statistics.median(bare) * 1000
    ratio = ours_ms / bare_ms
    cold_s = statistics.median(cold)
    print(f"warm reportgen build (median of {args.repeat}): {ours_ms:7.1f} ms")
    print(f"warm bare docxtpl render (median of {args.repeat}): {bare_ms:7.1f} ms")
    print(f"overhead: {ratio:.2f}x  (target <= 1.5x)  {'ok' if ratio <= 1.5 else 'MISSED'}")
    print(f"cold `reportgen build` (median of {args.cold_runs}): {cold_s:.2f} s  (target < 1.5 s)  "
          f"{'ok' if cold_s < 1.5 else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()
