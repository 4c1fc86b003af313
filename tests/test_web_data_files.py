"""Data files: which papers an upload changes (their printed figures compared, in the
library)."""

from __future__ import annotations

from pathlib import Path

import pytest
import web
from web import PUBLIC

from reportgen import Workspace

NAME = "assessments-2010-11.csv"
OCTOBER_PAPER = "2010-12-07-corporate-parenting-update"  # NI59 and NI60 as at 2010-10
NOVEMBER_PAPER = PUBLIC  # NI59 and NI60 as at 2010-11
ORIGINAL = (web.REPO / "data/indicators" / NAME).read_bytes()
# The file with one change each: a row for a month after both papers' periods, and
# November's and October's NI59 figures restated.
EDITS = {
    "unchanged": ORIGINAL,
    "a December row": ORIGINAL + b"NI59,2010-12,50,60,,provisional,\n",
    "November restated": ORIGINAL.replace(b"NI59,2010-11,55,59", b"NI59,2010-11,50,59"),
    "October restated": ORIGINAL.replace(b"NI59,2010-10,51,57", b"NI59,2010-10,40,57"),
}


@pytest.mark.parametrize(
    ("edit", "papers"),
    [
        ("unchanged", []),
        ("a December row", []),  # no paper prints December: their rebuilt figures are the same
        ("November restated", [NOVEMBER_PAPER]),
        ("October restated", [OCTOBER_PAPER, NOVEMBER_PAPER]),  # November's prints October
    ],
)
def it_lists_the_papers_whose_printed_figures_change(example: Path, edit, papers) -> None:
    checked = Workspace(example).check_data(NAME, EDITS[edit])
    assert [path.stem for path in checked.changed] == papers


def it_never_takes_an_unsaved_files_figures_for_todays(example: Path) -> None:
    import reportgen

    cache = reportgen.Cache()  # one, as the service keeps between requests
    assert Workspace(example, cache).check_data(NAME, EDITS["November restated"]).changed
    paper = example / "data/narrative" / f"{NOVEMBER_PAPER}.yaml"
    shown = {f.expression: f.shows for f in Workspace(example, cache).live_figures(paper)}
    assert shown["{{ NI59.latest }}"] == "93%"  # 55 of 59, not the upload's 50 of 59
