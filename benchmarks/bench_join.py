"""Benchmark: what a tagged agenda pack costs to join, against the untagged join before it.

    python benchmarks/bench_join.py [--repeat N] [--before REV]

Builds the example's papers as PDFs once (LibreOffice), then joins the same parts into a
12-item pack with this version's `reportgen.pdf.join.assemble` (the structure trees merged,
the pages stamped as artifacts) and with the `assemble` of git revision REV (default
7e98693, the last before the pack was tagged; loaded with `git show`), taking turns, N
times each. Prints the median and the range of each, and the pack's size. Joining only:
building and converting the papers is the same work on both sides, so it is left out.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from reportgen import Workspace
from reportgen.pdf import join

ROOT = Path(__file__).resolve().parent.parent


def earlier_join(revision: str, folder: Path) -> ModuleType:
    """`reportgen/pdf/join.py` as it was at `revision`, as a module of its own."""
    source = subprocess.run(
        ["git", "show", f"{revision}:reportgen/pdf/join.py"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    path = folder / "join_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("join_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def papers(folder: Path) -> list[bytes]:
    """The example's papers as PDFs, largest first."""
    project = folder / "project"
    for part in ("config", "data"):
        shutil.copytree(ROOT / part, project / part)
    Workspace(project).build([project / "data" / "narrative"], project / "out", pdf=True)
    found = sorted((project / "out").rglob("*.pdf"), key=lambda p: -p.stat().st_size)
    return [p.read_bytes() for p in found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--before", default="7e98693")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        before = earlier_join(args.before, folder)
        pdfs = papers(folder)
        items = [pdfs[i % len(pdfs)] for i in range(12)]  # 12 items, the big ones twice
        times: dict[str, list[float]] = {"before (untagged)": [], "now (tagged)": []}
        sizes: dict[str, int] = {}
        for _ in range(args.repeat):
            for label, module in (("before (untagged)", before), ("now (tagged)", join)):
                parts = [module.Part(f"Item {n}", [pdf]) for n, pdf in enumerate(items, 1)]
                start = time.perf_counter()
                pack = module.assemble(parts, "Agenda pack")
                times[label].append(time.perf_counter() - start)
                sizes[label] = len(pack)
        pages = join.pages(pack)
        print(f"12-item pack, {pages} pages, joined {args.repeat} times each, taking turns")
        print(f"{'':20} {'median':>8} {'min':>8} {'max':>8} {'size':>10}")
        for label, found in times.items():
            print(
                f"{label:20} {statistics.median(found):7.2f}s {min(found):7.2f}s "
                f"{max(found):7.2f}s {sizes[label] / 1e6:8.2f}MB"
            )
    sys.exit(0)


if __name__ == "__main__":
    main()
