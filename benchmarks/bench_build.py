"""Benchmark: the 2011 paper built by reportgen, against docxtpl alone and pandoc.

    python3 benchmarks/bench_build.py [--repeat N] [--cold-repeat N] [--warmup N]

Works on a copy of the example project in a temporary folder, and writes only there.

- warm, in one process (issue 12, item 7): each round edits one word of the narrative's
  summary (a different word each round) and rebuilds the paper with
  `reportgen.Workspace(project, cache).build(texts={narrative: edited}, write=False)`, one
  `reportgen.Cache` kept throughout, as a service does for a preview. The baseline is a
  bare docxtpl render of the same template with that round's context (worked out before
  the clock starts), given the same kind of cache: a Jinja environment that compiles each
  template source once, and docxtpl's clean-up of each part's XML kept from the first
  render. That is docxtpl at its best in a long-running process. The two alternate
  (reportgen, docxtpl, reportgen, …) after a warm-up.
  Target: reportgen's median at most 1.3x docxtpl's.
- cold, a new process each run: `python3 -m reportgen build <the 2011 paper> --out TEMP`
  against (a) a minimal script that imports docxtpl, opens the same template, renders the
  same context (dumped to JSON beforehand, with the same strings) and saves, and (b) pandoc
  turning markdown with the paper's text into .docx with the template as reference document.
  The project's `.cache/` is kept between runs, as on a council's machine; a fourth column
  times reportgen with `.cache/` removed before each run (every DfE file read again), and a
  fifth only starts Python and imports the libraries reportgen is built on (docxtpl,
  pydantic, PyYAML, typer): the floor no build of reportgen's can go below.
  Python's bytecode cache is on for every Python run (this sandbox turns it off with
  PYTHONDONTWRITEBYTECODE). Alternated run by run after a warm-up.
  Target: reportgen's median at most 2.0x the minimal docxtpl script's.

Each table gives the median time of each, and the spread of the per-round ratio
(min, lower quartile, upper quartile, max). After the warm table, the median of each step
of a warm build (load_project, plan, compose, render); after the cold one, what importing
each package costs the command (`python -X importtime`): where the time goes.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, Template

import reportgen
from reportgen.errors import Problems
from reportgen.inputs.project import load_project
from reportgen.jobs.compose import Paper, compose
from reportgen.jobs.plan import plan
from reportgen.word.render import document_text, placed_names, render

ROOT = Path(__file__).resolve().parent.parent
PAPER = Path("data") / "narrative" / "2011-01-18-ni59-ni60.yaml"
WORD = "updated"  # in the summary: "P&F members asked to be updated on action taken …"
WARM_TARGET, COLD_TARGET = 1.3, 2.0


def copy_project(folder: Path) -> Path:
    """A copy of the example project (config, data, any templates) inside `folder`."""
    project = folder / "project"
    for part in ("config", "data", "templates"):
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, project / part)
    return project


def edited(text: str, round_: int) -> str:
    """The narrative with one word of its summary changed, differently for each round."""
    assert text.count(WORD) == 1, f"'{WORD}' should be in the summary once"
    return text.replace(WORD, f"{WORD}{round_}")


# -- warm ------------------------------------------------------------------------------------


class _CompiledOnce(Environment):
    """A plain Jinja environment keeping each compiled template source, as a long-running
    process would."""

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self.compiled: dict[str, Template] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self.compiled:
            self.compiled[source] = super().from_string(source)
        return self.compiled[source]


class _PatchedOnce(DocxTemplate):  # type: ignore[misc]
    """docxtpl's template, reusing its clean-up of each part's XML from a shared dict."""

    def __init__(self, template: Path, patched: dict[str, str]) -> None:
        super().__init__(template)
        self.patched = patched

    def patch_xml(self, src_xml: str) -> str:
        if src_xml not in self.patched:
            self.patched[src_xml] = super().patch_xml(src_xml)
        return self.patched[src_xml]


def prepared(project: Path, texts: dict[Path, str] | None = None) -> Paper:
    """The 2011 paper's template and context (from `texts` where given), as reportgen
    hands them to its renderer."""
    problems = Problems()
    loaded = load_project(project, problems)
    assert loaded is not None and not problems, [str(p) for p in problems.items]
    paths = [] if texts else [project / PAPER]
    report = plan(loaded, paths, project / "out", problems, texts=texts)[0]
    ready = compose(loaded, report, problems)
    assert ready is not None and not problems, [str(p) for p in problems.items]
    return ready


def warm(project: Path, rounds: int, warmup: int) -> tuple[list[float], list[float]]:
    """(reportgen, docxtpl) seconds per round, alternating."""
    narrative = project / PAPER
    text = narrative.read_text(encoding="utf-8")
    total = warmup + rounds
    contexts = [prepared(project, {narrative: edited(text, i)}) for i in range(total)]
    template = contexts[0].template
    cache = reportgen.Cache()
    environment, patched = _CompiledOnce(), dict[str, str]()

    def ours(round_: int) -> bytes:
        texts = {narrative: edited(text, round_)}
        built = (
            reportgen.Workspace(project, cache)
            .build([], project / "out", write=False, texts=texts)
            .reports
        )
        return built[0].content

    def bare(round_: int) -> bytes:
        document = _PatchedOnce(template, patched)
        document.render(contexts[round_].context, jinja_env=environment)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    check_same_text(ours(0), bare(0))
    times: tuple[list[float], list[float]] = ([], [])
    for round_ in range(1, total):
        for action, kept in ((ours, times[0]), (bare, times[1])):
            started = time.perf_counter()
            action(round_)
            kept.append(time.perf_counter() - started)
    return times[0][warmup - 1 :], times[1][warmup - 1 :]


def phases(project: Path, rounds: int) -> dict[str, list[float]]:
    """Seconds per round of each step of a warm build after an edit, as `reportgen.build`
    runs them, with one cache: where reportgen's time goes."""
    narrative = project / PAPER
    text = narrative.read_text(encoding="utf-8")
    cache = reportgen.Cache()
    times: dict[str, list[float]] = {}

    def step(name: str, action: Callable[..., Any], *arguments: Any, **options: Any) -> Any:
        started = time.perf_counter()
        result = action(*arguments, **options)
        times.setdefault(name, []).append(time.perf_counter() - started)
        return result

    out = project / "out"
    for round_ in range(rounds + 3):  # the first three not counted
        problems, texts = Problems(), {narrative: edited(text, round_)}
        loaded = step("load_project", load_project, project, problems, cache=cache)
        report = step("plan", plan, loaded, [], out, problems, texts=texts)[0]
        ready = step("compose", compose, loaded, report, problems, Problems())
        step("render (word/render.py)", render, ready.template, ready.context,
             ready.properties, ready.pictures, cache)  # fmt: skip
    return {name: runs[3:] for name, runs in times.items()}


def check_same_text(ours: bytes, theirs: bytes) -> None:
    """Both documents hold the same text (blank lines aside): the same work was done."""
    lines = [[line for line in document_text(d).splitlines() if line] for d in (ours, theirs)]
    assert lines[0] == lines[1], "reportgen and the baseline rendered different text"


# -- cold ------------------------------------------------------------------------------------

MINIMAL_DOCXTPL = '''\
import json
import sys

from docxtpl import DocxTemplate
from markupsafe import Markup


class Paragraphs(Markup):
    """Word paragraphs, with the lettered variant a template may ask for."""


def restored(value):
    if isinstance(value, dict):
        if "__markup__" in value:
            markup = Paragraphs(value["__markup__"])
            markup.lettered = Markup(value.get("lettered", ""))
            return markup
        return {key: restored(item) for key, item in value.items()}
    if isinstance(value, list):
        return [restored(item) for item in value]
    return value


template, context, out = sys.argv[1:]
with open(context, encoding="utf-8") as file:
    values = restored(json.load(file))
document = DocxTemplate(template)
document.render(values, autoescape=True)
document.save(out)
'''


def as_json(value: Any) -> Any:
    """A context value as JSON: Word markup (paragraphs, tables) as its text, marked."""
    if hasattr(value, "__html__"):
        marked = {"__markup__": str(value.__html__())}
        if hasattr(value, "lettered"):
            marked["lettered"] = str(value.lettered)
        return marked
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"no JSON for {type(value).__name__} in the context")


def markdown(text: str) -> str:
    """The paper's text as markdown paragraphs, every character read as typed."""
    special = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]<>#+-.!|$~^&"})
    lines = [line.translate(special) for line in text.splitlines() if line.strip()]
    return "\n\n".join(lines) + "\n"


def run(command: Sequence[str | Path], environment: dict[str, str]) -> float:
    """Wall seconds of `command` in a new process."""
    started = time.perf_counter()
    arguments = [str(part) for part in command]
    subprocess.run(arguments, check=True, capture_output=True, env=environment)
    return time.perf_counter() - started


def cold(folder: Path, project: Path, rounds: int) -> dict[str, list[float]]:
    """Seconds per run of each contender, alternating, after one warm-up run of each."""
    ready = prepared(project)
    names = placed_names(ready.template) or frozenset()
    (folder / "context.json").write_text(
        json.dumps({name: as_json(ready.context[name]) for name in sorted(names)}),
        encoding="utf-8",
    )
    (folder / "minimal_docxtpl.py").write_text(MINIMAL_DOCXTPL, encoding="utf-8")
    built = (
        reportgen.Workspace(project)
        .build([project / PAPER], folder / "check", write=False)
        .reports[0]
    )
    (folder / "paper.md").write_text(markdown(document_text(built.content)), encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = folder / "out"
    pandoc = shutil.which("pandoc")
    reportgen_build = [sys.executable, "-m", "reportgen", "build", project / PAPER]
    reportgen_build += ["--project", project, "--out", out]
    script = [sys.executable, folder / "minimal_docxtpl.py", ready.template]
    script += [folder / "context.json", folder / "docxtpl.docx"]
    contenders: dict[str, Callable[[], float]] = {
        "reportgen build": lambda: run(reportgen_build, environment),
        "minimal docxtpl script": lambda: run(script, environment),
    }
    if pandoc:
        markdown_to_word = [pandoc, folder / "paper.md", "-o", folder / "pandoc.docx"]
        markdown_to_word += ["--reference-doc", ready.template]
        contenders["pandoc"] = lambda: run(markdown_to_word, environment)
    else:
        print("pandoc is not installed (apt-get install -y pandoc): left out", file=sys.stderr)

    def first_build() -> float:
        shutil.rmtree(project / ".cache", ignore_errors=True)
        return contenders["reportgen build"]()

    contenders["reportgen build, no .cache/"] = first_build
    # What no build of reportgen's can go below: starting Python and importing the
    # libraries it stands on (docxtpl, pydantic, PyYAML, typer), doing nothing with them.
    libraries = "import docxtpl, pydantic.main, yaml, typer"
    contenders["imports of its libraries"] = lambda: run(
        [sys.executable, "-c", libraries], environment
    )

    for contender in contenders.values():
        contender()  # writes the bytecode caches and the project's .cache/
    produced = (out / "2011-01-18-performance-and-finance-scrutiny-sub-committee").glob("*.docx")
    check_same_text(next(produced).read_bytes(), (folder / "docxtpl.docx").read_bytes())
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, contender in contenders.items():
            times[name].append(contender())
    return times


# -- tables ----------------------------------------------------------------------------------


def spread(ratios: Sequence[float]) -> str:
    """min, quartiles and max of per-round ratios."""
    low, _, high = statistics.quantiles(ratios, n=4, method="inclusive")
    return f"{min(ratios):.2f} / {low:.2f} / {high:.2f} / {max(ratios):.2f}"


def table(title: str, times: dict[str, list[float]], base: str, target: float) -> None:
    """Medians in milliseconds, and each contender's ratio to `base`: of the medians, and
    the spread of the per-round ratios; the first contender is held to `target`."""
    print(f"\n{title}")
    print(f"{'':28} {'median':>9} {'min':>9} {'max':>9}   {'ratio':>6}   "
          f"per-round ratio min / Q1 / Q3 / max")  # fmt: skip
    for name, runs in times.items():
        line = f"{name:28} {ms(statistics.median(runs))} {ms(min(runs))} {ms(max(runs))}"
        if name != base:
            ratios = [a / b for a, b in zip(runs, times[base], strict=True)]
            line += f"   {statistics.median(runs) / statistics.median(times[base]):5.2f}x   "
            line += spread(ratios)
        print(line)
    first = next(iter(times))
    ratio = statistics.median(times[first]) / statistics.median(times[base])
    verdict = "met" if ratio <= target else "NOT MET"
    print(f"target: {first} at most {target}x {base}: {ratio:.2f}x, {verdict}")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:6.1f} ms"


def import_costs(project: Path, out: Path, shown: int = 12) -> list[tuple[float, str]]:
    """Milliseconds each top-level package takes to import (its own modules' time) in
    `reportgen build` of the paper, by `python -X importtime`, largest first."""
    command = [sys.executable, "-X", "importtime", "-m", "reportgen", "build", str(project / PAPER)]
    command += ["--project", str(project), "--out", str(out)]
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    lines = subprocess.run(command, check=True, capture_output=True, text=True, env=environment)
    spent: dict[str, float] = {}
    for line in lines.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            package = parts[2].strip().split(".")[0]
            spent[package] = spent.get(package, 0) + int(parts[0]) / 1000
    return sorted(((t, p) for p, t in spent.items()), reverse=True)[:shown]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="warm rounds (default 30)")
    parser.add_argument("--cold-repeat", type=int, default=15, help="cold rounds (default 15)")
    parser.add_argument("--warmup", type=int, default=5, help="warm rounds not counted")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        project = copy_project(folder)
        ours, bare = warm(project, args.repeat, args.warmup)
        table(
            f"warm: rebuild after a narrative edit, in one process ({args.repeat} rounds)",
            {"reportgen.build": ours, "bare docxtpl": bare},
            "bare docxtpl",
            WARM_TARGET,
        )
        print("where a warm reportgen build goes (median of each step):")
        for name, runs in phases(project, args.repeat).items():
            print(f"  {name:26} {ms(statistics.median(runs))}")
        times = cold(folder, project, args.cold_repeat)
        table(
            f"cold: a new process for each paper ({args.cold_repeat} rounds)",
            times,
            "minimal docxtpl script",
            COLD_TARGET,
        )
        print("imports of `reportgen build` by package (python -X importtime, own time):")
        costs = import_costs(project, folder / "out")
        print("  " + ", ".join(f"{package} {spent:.0f} ms" for spent, package in costs))


if __name__ == "__main__":
    main()
