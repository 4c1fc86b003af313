"""Counting indicators from case records at scale: 100,000 episodes and 50,000 assessments.

Every `cases:` indicator of the example's catalogue (L1, L2, L3, L5, L7, L8, L9) is counted
for 24 months (November 2024 to October 2026) from synthetic tables of that size, made
here with a fixed seed. Two ways, taking turns, the same work each time:
- counted: a new process's first run, nothing kept (read, check and count every table);
- kept: a new process's run on an unchanged extract (the files hashed, the figures read
  from PROJECT/.cache/reportgen/).
The peak memory of a counted run is measured in a process of its own.

    python benchmarks/bench_cases.py [--runs 7]

Targets (issue 16): counted ≤ 2 s on 2 cores, kept ≤ 0.1 s, memory ≤ 500 MB.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from reportgen.cache import Cache
from reportgen.errors import Problems
from reportgen.inputs.cases import CACHE_NAME, count_cases
from reportgen.inputs.catalogue import load_catalogue
from reportgen.inputs.config import load_authority

REPO = Path(__file__).resolve().parent.parent
SEED = 16
START, END = np.datetime64("2024-04-01"), np.datetime64("2026-11-01")


def _dates(rng: np.random.Generator, n: int) -> np.ndarray:
    span = int((END - START).astype(int))
    return START + rng.integers(0, span, n).astype("timedelta64[D]")


def _iso(days: np.ndarray) -> pd.Series:
    return pd.Series(days).dt.strftime("%Y-%m-%d").fillna("")


def _uk(days: np.ndarray) -> pd.Series:
    return pd.Series(days).dt.strftime("%d/%m/%Y").fillna("")


def _clip(days: np.ndarray) -> np.ndarray:
    """Dates after the extract become blank (still open)."""
    out = days.astype("datetime64[ns]").copy()
    out[days >= END] = np.datetime64("NaT")
    return out


def make_tables(folder: Path, episodes: int = 100_000, assessments: int = 50_000) -> None:
    """Tables of the given size, in the specifications' shapes, into `folder`."""
    rng = np.random.default_rng(SEED)
    folder.mkdir(parents=True, exist_ok=True)
    children = np.array([f"HB{n:07d}" for n in range(60_000)])
    # Referrals and assessments: one child each, dates spread over the extract.
    who = children[rng.integers(0, 40_000, assessments)]
    referred = _dates(rng, assessments)
    pd.DataFrame({"LAchildID": who, "CINreferralDate": _iso(referred)}).drop_duplicates(
        ["LAchildID", "CINreferralDate"]
    ).to_csv(folder / "referrals.csv", index=False)
    start = referred + rng.integers(0, 5, assessments).astype("timedelta64[D]")
    done = _clip(start + rng.integers(5, 90, assessments).astype("timedelta64[D]"))
    pd.DataFrame(
        {
            "LAchildID": who,
            "AssessmentActualStartDate": _iso(start),
            "AssessmentAuthorisationDate": _iso(done),
        }
    ).drop_duplicates(["LAchildID", "AssessmentActualStartDate"]).to_csv(
        folder / "assessments.csv", index=False
    )
    plans = assessments // 5
    planned = _dates(rng, plans)
    ended = _clip(planned + rng.integers(30, 700, plans).astype("timedelta64[D]"))
    pd.DataFrame(
        {
            "LAchildID": children[rng.integers(0, 40_000, plans)],
            "CPPstartDate": _iso(planned),
            "CPPendDate": _iso(ended),
        }
    ).drop_duplicates(["LAchildID", "CPPstartDate"]).to_csv(folder / "cp_plans.csv", index=False)
    # Episodes: each child's run one after another, from a start in the extract's years.
    owner = np.sort(rng.integers(0, 25_000, episodes))
    first = np.r_[True, owner[1:] != owner[:-1]]
    length = rng.integers(5, 60, episodes).astype("timedelta64[D]")
    begin = (
        START - np.timedelta64(400, "D") + rng.integers(0, 300, episodes).astype("timedelta64[D]")
    )
    offset = pd.Series(length).groupby(owner).cumsum().to_numpy() - length
    group_first = np.maximum.accumulate(np.where(first, np.arange(episodes), 0))
    decom = begin[group_first] + offset
    dec = _clip(decom + length)
    last = np.r_[owner[1:] != owner[:-1], True]
    dec[last & (rng.random(episodes) < 0.5)] = np.datetime64("NaT")
    keep = decom < END
    pd.DataFrame(
        {
            "CHILD": children[owner][keep],
            "DECOM": _uk(decom[keep]),
            "RNE": rng.choice(["S", "P", "L", "T", "B"], episodes)[keep],
            "DEC": _uk(dec[keep]),
        }
    ).to_csv(folder / "episodes.csv", index=False)
    issued = _dates(rng, 3_000)
    ordered = _clip(issued + rng.integers(100, 400, 3_000).astype("timedelta64[D]"))
    pd.DataFrame(
        {
            "Child ID": children[rng.integers(0, 60_000, 3_000)],
            "Date issued": _iso(issued),
            "Date of final order": _iso(ordered),
            "Court": "East London Family Court",
        }
    ).drop_duplicates(["Child ID", "Date issued"]).to_csv(folder / "proceedings.csv", index=False)


def make_project(root: Path) -> Path:
    shutil.copytree(REPO / "config", root / "config")
    (root / "data").mkdir()
    shutil.copytree(REPO / "data" / "dfe", root / "data" / "dfe")
    authority = root / "config" / "authority.yaml"
    authority.write_text(
        authority.read_text().replace("first_period: 2025-04", "first_period: 2024-11")
    )
    make_tables(root / "data" / "cases")
    return root


def count(root: Path, keep: bool) -> float:
    """Seconds to count every case indicator in a fresh cache (as a new process would)."""
    problems = Problems()
    authority, _ = load_authority(root / "config" / "authority.yaml", problems)
    catalogue = load_catalogue(root / "config" / "indicators.yaml", problems).indicators
    assert authority is not None and not problems.items, problems.items
    began = time.perf_counter()
    found = count_cases(
        root,
        authority.cases,
        catalogue,
        authority.financial_year_start,
        problems,
        la_code=authority.la_code,
        cache=Cache(),
        keep_in=root / ".cache" / "reportgen" if keep else None,
    )
    took = time.perf_counter() - began
    assert not problems.items, problems.items[:3]
    assert len(found.observations) == 7 and len(found.observations["L1"]) == 24
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # one counted run, for its peak memory
        count(args.child, keep=False)
        return
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder))
        sizes = {
            p.stem: len(pd.read_csv(p, dtype=str)) for p in sorted((root / "data/cases").iterdir())
        }
        print("rows:", ", ".join(f"{name} {n:,}" for name, n in sizes.items()))
        count(root, keep=True)  # warm the disk cache the kept runs read; not timed
        assert list((root / ".cache" / "reportgen").glob(f"{CACHE_NAME}*.json"))
        times: dict[str, list[float]] = {"counted": [], "kept": []}
        for _ in range(args.runs):  # interleaved: each way meets the same machine state
            times["counted"].append(count(root, keep=False))
            times["kept"].append(count(root, keep=True))
        for name, taken in times.items():
            print(
                f"{name:8} median {statistics.median(taken):.3f} s  "
                f"min {min(taken):.3f}  max {max(taken):.3f}  ({len(taken)} runs)"
            )
        child = subprocess.run([sys.executable, __file__, "--child", str(root)], check=True)
        assert child.returncode == 0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak memory of a counted run (whole process): {peak:.0f} MB")


if __name__ == "__main__":
    main()
