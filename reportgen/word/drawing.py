"""Charts as PNG pictures, drawn with Pillow and cached by what they show.

A picture is drawn at the size the paper places it (`charts.WIDTH_CM` wide, at DPI), so a
point here is a point in print: its text is TEXT_POINTS (10 pt) or more, the title
TITLE_POINTS. A comparator chart with more bars than fit at that size is drawn taller
rather than in smaller text.

The canvas charts are drawn on is `canvas`; where each piece of a chart goes,
`chart_layout`.
"""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import PIL

from reportgen.cache import Cache
from reportgen.paper.charts import Chart
from reportgen.word.canvas import DPI as DPI
from reportgen.word.canvas import SCALE, Batch, Canvas, font_file
from reportgen.word.chart_layout import draw_chart, picture_height

# The modules whose code draws a picture (see `_style`).
_DRAWING_CODE = ("drawing.py", "canvas.py", "chart_layout.py")


def pictures(
    charts: Iterable[Chart], cache: Cache | None = None, folder: Path | None = None
) -> tuple[dict[str, bytes], list[tuple[Path, bytes]]]:
    """Each chart's PNG by its key: from `cache`, else from `folder` where it was drawn in
    an earlier run, else drawn (many at once on every core) and kept in `cache`; and the
    pictures newly drawn, by their file in `folder`, for the caller to keep there."""
    drawn: dict[str, bytes] = {}
    wanted: dict[str, Chart] = {}
    for chart in charts:
        if chart.key in drawn or chart.key in wanted:
            continue
        name = _file_name(chart)
        found = cache.get("picture", name) if cache is not None else None
        if found is None and folder is not None and (folder / name).is_file():
            found = (folder / name).read_bytes()
        if found is None:
            wanted[chart.key] = chart
        else:
            drawn[chart.key] = found
    new = []
    for chart, content in zip(wanted.values(), _draw_all(list(wanted.values())), strict=True):
        drawn[chart.key] = content
        if folder is not None:
            new.append((folder / _file_name(chart), content))
        if cache is not None:
            cache.put("picture", _file_name(chart), content, len(content))
    return drawn, new


# Fewer charts than this are drawn here: starting processes (each importing what drawing
# needs) costs more than it saves; measured break-even on two cores is about 150 charts.
_DRAW_IN_PARALLEL = 160


def _draw_all(charts: list[Chart]) -> list[bytes]:
    """Every chart's picture, on all cores when there are many: drawing is pure, so a
    picture is the same byte for byte wherever it is drawn."""
    workers = min(os.cpu_count() or 1, 8)
    if len(charts) < _DRAW_IN_PARALLEL or workers < 2:
        return _draw_together(charts)
    # Two chunks a worker: each chunk sets its text once (smaller ones set it more often),
    # and a worker done early takes the other's second.
    size = math.ceil(len(charts) / (2 * workers))
    chunks = [charts[start : start + size] for start in range(0, len(charts), size)]
    # spawn, not fork: a server's threads (and their locks) are not copied into a worker.
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return [png for drawn in pool.map(_draw_together, chunks) for png in drawn]
    except (OSError, BrokenProcessPool):  # no processes to be had: draw them here
        return _draw_together(charts)


def _draw_together(charts: Sequence[Chart]) -> list[bytes]:
    """Each chart's picture, drawn with one `Batch`: what the charts share is set once."""
    batch = Batch()
    pngs = []
    for chart in charts:
        canvas = Canvas(batch, picture_height(chart))
        draw_chart(canvas, chart)
        pngs.append(canvas.png())
    return pngs


def _file_name(chart: Chart) -> str:
    return f"{hashlib.sha256((chart.key + _style()).encode()).hexdigest()}.png"


def picture(chart: Chart) -> bytes:
    """The chart as a PNG image WIDTH_CM wide at DPI, HEIGHT_CM high (taller for a
    comparator chart with many bars)."""
    return _draw_together([chart])[0]


@dataclass(frozen=True)
class Laid:
    """A piece of text as a picture holds it: its size (the font's em) and its box
    (left, top, right, bottom), in pixels of the picture."""

    text: str
    size: float
    box: tuple[int, int, int, int]


def laid_text(chart: Chart) -> list[Laid]:
    """Every piece of text the chart's picture holds, where and how large: what a reader
    sees of it, for tests and checks (the picture itself is `picture`)."""
    canvas = Canvas(Batch(), picture_height(chart))
    draw_chart(canvas, chart)
    laid = []
    for x, y, text, font, anchor in canvas.texts:
        left, top, right, bottom = font.getbbox(text, anchor=anchor)
        box = (
            math.floor((x + left) / SCALE),
            math.floor((y + top) / SCALE),
            math.ceil((x + right) / SCALE),
            math.ceil((y + bottom) / SCALE),
        )
        laid.append(Laid(text, getattr(font, "size", 0) / SCALE, box))
    return laid


@cache
def _style() -> str:
    """What else decides a picture besides its chart: the drawing code (this module, its
    canvas and its layouts), Pillow and the font files. Part of each cached picture's
    name, so a change to any redraws it."""
    here = Path(__file__).parent
    code = hashlib.sha256(b"".join((here / n).read_bytes() for n in _DRAWING_CODE)).hexdigest()
    fonts = "|".join(str(font_file(bold)) for bold in (False, True))
    return f"{code}|{PIL.__version__}|{fonts}"
