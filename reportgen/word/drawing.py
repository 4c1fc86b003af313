"""Charts as PNG pictures, drawn with Pillow and cached by what they show.

A picture is drawn at the size the paper places it (`charts.WIDTH_CM` wide, at DPI), so a
point here is a point in print: its text is TEXT_POINTS (10 pt) or more, the title
TITLE_POINTS. A comparator chart with more bars than fit at that size is drawn taller
rather than in smaller text.

Drawn at twice the size and halved, which gives smooth lines and text in a few
milliseconds a chart: charts drawn together set each piece of text once (tick labels,
months and area names recur) and lay it on the halved picture. Colours are the Okabe–Ito
palette, which readers with any common colour-vision deficiency can tell apart; nothing
is told by colour alone (the authority's bar is also hatched and labelled, lines differ in
pattern and are named in a legend).
Text is Arial where the machine has it, else its metric twin Liberation Sans, so charts
read in the same face as the paper.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import math
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont

from reportgen.cache import Cache
from reportgen.paper.charts import (
    HEIGHT_CM,
    WIDTH_CM,
    Bar,
    Chart,
    ComparatorChart,
    TrendChart,
)

DPI = 200
SCALE = 2
TEXT_POINTS = 10.0  # every piece of text at least this size in print
TITLE_POINTS = 11.0

BLUE = (0, 114, 178)
SKY = (86, 180, 233)
ORANGE = (230, 159, 0)
GREY = (140, 140, 140)
BAND = (225, 225, 225)
GRID = (215, 215, 215)
BLACK = (0, 0, 0)
TEXT = (33, 33, 33)
WHITE = (255, 255, 255)

_FONTS = {
    False: ("arial.ttf", "Arial.ttf", "LiberationSans-Regular.ttf", "DejaVuSans.ttf"),
    True: ("arialbd.ttf", "Arial Bold.ttf", "LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
}
_FONT_FOLDERS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".fonts",
    Path("/Library/Fonts"),
    Path("/System/Library/Fonts/Supplemental"),
    Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts",
)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
Colour = tuple[int, int, int]


def _palette() -> bytes:
    """Every colour, each blend of a colour with another by quarters (a line's edge, halved,
    covers a quarter, a half or three quarters of a pixel) and 17 greys for text's smooth
    edges: a chart's PNG in these colours looks the same as in its own (closer than an
    adaptive palette of 64, which shifts white and the band) and is quick to map."""
    greys = (WHITE, TEXT, GREY, BAND, GRID, BLACK)
    colours = (*greys, BLUE, SKY, ORANGE)
    blends = [
        tuple(round(a + (b - a) * quarter / 4) for a, b in zip(one, other, strict=True))
        for one, other in itertools.combinations(colours, 2)
        if one not in greys or other not in greys  # a blend of greys is on the ramp
        for quarter in (1, 2, 3)
    ]
    ramp = [(v, v, v) for v in (round(255 * step / 16) for step in range(17))]
    return bytes(itertools.chain.from_iterable(dict.fromkeys([*colours, *blends, *ramp])))


_PALETTE = _palette()


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
    """Each chart's picture, drawn with one `_Batch`: what the charts share is set once."""
    batch = _Batch()
    pngs = []
    for chart in charts:
        canvas = _Canvas(batch, _height(chart))
        _draw(canvas, chart)
        pngs.append(canvas.png())
    return pngs


def _draw(canvas: _Canvas, chart: Chart) -> None:
    if isinstance(chart, TrendChart):
        _trend(canvas, chart)
    else:
        _comparator(canvas, chart)


# A comparator chart's bars each need this much height: text of TEXT_POINTS with room
# between rows. Beyond HEIGHT_CM's worth, the picture grows.
_BAR_POINTS = 11.5
_COMPARATOR_FRAME_POINTS = 70.0  # title, legend (two rows) and axis labels


def _height(chart: Chart) -> int:
    """The picture's height in pixels of the drawing."""
    height = HEIGHT_CM / 2.54 * 72  # in points
    if isinstance(chart, ComparatorChart):
        height = max(height, _COMPARATOR_FRAME_POINTS + _BAR_POINTS * len(chart.bars))
    return round(height / 72 * DPI) * SCALE


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
    canvas = _Canvas(_Batch(), _height(chart))
    _draw(canvas, chart)
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
    """What else decides a picture besides its chart: this drawing code, Pillow and the
    font files. Part of each cached picture's name, so a change to any redraws it."""
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    fonts = "|".join(str(_font_file(bold)) for bold in (False, True))
    return f"{code}|{PIL.__version__}|{fonts}"


class _Batch:
    """What the charts drawn in one call share: each piece of text, set once, and its size;
    and the palette. It lives for the one call, not the process; and each thing it keeps
    depends only on its key, so a picture is the same whatever was drawn before it."""

    def __init__(self) -> None:
        self.masks: dict[tuple[str, Font, str, int, int], tuple[Image.Image, int, int]] = {}
        self.sizes: dict[tuple[str, Font], tuple[int, int]] = {}
        self.palette = Image.new("P", (1, 1))
        self.palette.putpalette(_PALETTE)

    def mask(
        self, text: str, font: Font, anchor: str, x: int, y: int
    ) -> tuple[Image.Image, int, int]:
        """`text` set at (x, y) of the drawing and halved, with where its corner goes in the
        halved picture: as if set in the drawing and halved with it, at a quarter of the
        cost. How text halves depends only on whether x and y are odd."""
        odd = (x % SCALE, y % SCALE)
        found = self.masks.get((text, font, anchor, *odd))
        if found is None:
            left, top, right, bottom = (int(v) for v in font.getbbox(text, anchor=anchor))
            # From and to whole pixels of the halved picture (one at least: a space has no ink).
            left, top = (left + odd[0]) // SCALE, (top + odd[1]) // SCALE
            width = max(math.ceil((right + odd[0]) / SCALE) - left, 1)
            height = max(math.ceil((bottom + odd[1]) / SCALE) - top, 1)
            mask = Image.new("L", (width * SCALE, height * SCALE))
            corner = (odd[0] - left * SCALE, odd[1] - top * SCALE)
            ImageDraw.Draw(mask).text(corner, text, fill=255, font=font, anchor=anchor)
            found = self.masks[text, font, anchor, *odd] = mask.reduce(SCALE), left, top
        return found


class _Canvas:
    def __init__(self, batch: _Batch, height: int) -> None:
        self.batch = batch
        self.texts: list[tuple[int, int, str, Font, str]] = []
        self.width = round(WIDTH_CM / 2.54 * DPI) * SCALE
        self.height = height
        self.image = Image.new("RGB", (self.width, self.height), WHITE)
        self.draw = ImageDraw.Draw(self.image)
        self.pad = self.px(6)

    def px(self, points: float) -> int:
        """Points (1/72 inch) as pixels of the drawing."""
        return round(points / 72 * DPI * SCALE)

    def font(self, points: float, bold: bool = False) -> Font:
        return _font(self.px(points), bold)

    def text_size(self, text: str, font: Font) -> tuple[int, int]:
        size = self.batch.sizes.get((text, font))
        if size is None:
            left, top, right, bottom = self.draw.textbbox((0, 0), text, font=font)
            size = self.batch.sizes[text, font] = int(right - left), int(bottom - top)
        return size

    def text(self, xy: tuple[float, float], text: str, font: Font, anchor: str = "la") -> None:
        """Laid on the halved picture after everything else (over any line that crosses
        it), at a whole pixel of the drawing: each piece of text is set by FreeType, the
        slowest part of a chart, once a batch."""
        self.texts.append((round(xy[0]), round(xy[1]), text, font, anchor))

    def line(
        self, points: Sequence[tuple[float, float]], colour: Colour, width: int, dash: int = 0
    ) -> None:
        if dash:
            for start, end in itertools.pairwise(points):
                _dashes(self.draw, start, end, colour, width, dash)
        else:
            self.draw.line(list(points), fill=colour, width=width, joint="curve")

    def png(self) -> bytes:
        # A chart has few colours: in `_PALETTE` it looks the same, is a third of the size
        # and encodes five times as fast.
        image = self.image.reduce(SCALE)
        for x, y, text, font, anchor in self.texts:
            mask, left, top = self.batch.mask(text, font, anchor, x, y)
            image.paste(TEXT, (x // SCALE + left, y // SCALE + top), mask)
        image = image.quantize(palette=self.batch.palette, dither=Image.Dither.NONE)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", dpi=(DPI, DPI), compress_level=3)
        return buffer.getvalue()


def _trend(canvas: _Canvas, chart: TrendChart) -> None:
    title_font, font = canvas.font(TITLE_POINTS, bold=True), canvas.font(TEXT_POINTS)
    pad = canvas.pad
    canvas.text((pad, pad), chart.title, title_font)
    legend: list[tuple[str, Colour, int, bool]] = [(chart.values_label, BLUE, 0, True)]
    if chart.last_year:
        legend.append((chart.last_year_label, GREY, canvas.px(3), False))
    if chart.target_label:
        legend.append((chart.target_label, BLACK, canvas.px(4), False))
    legend_top = pad + canvas.text_size("Ag", title_font)[1] + canvas.px(5)
    legend_bottom = _legend(canvas, legend_top, legend, band=chart.band_label)

    numbers = [v for v in (*chart.values, *chart.last_year, *chart.target) if v is not None]
    if chart.band:
        numbers.extend(chart.band)
    # A line need not start at zero: where every value is well above it, the axis starts
    # nearer them, but never spans less than a quarter of the highest value.
    highest, lowest = max(numbers, default=1), min(numbers, default=0)
    floor = 0.0 if lowest < highest / 2 else min(lowest - (highest - lowest) / 10, highest * 0.75)
    ticks = _ticks(highest, floor)
    labels = [_tick_label(t, ticks, chart.unit) for t in ticks]
    left = pad + max(canvas.text_size(label, font)[0] for label in labels) + canvas.px(5)
    right = canvas.width - pad - canvas.px(6)
    line_height = canvas.text_size("Ag", font)[1]
    # Room above the top tick for the latest value's label.
    top = legend_bottom + line_height + canvas.px(8)
    bottom = canvas.height - pad - line_height - canvas.px(5)

    def y(value: float) -> float:
        return bottom - (value - ticks[0]) / (ticks[-1] - ticks[0]) * (bottom - top)

    step = (right - left) / len(chart.x_labels)

    def x(index: int) -> float:
        return left + (index + 0.5) * step

    if chart.band:
        canvas.draw.rectangle((left, y(chart.band[1]), right, y(chart.band[0])), fill=BAND)
    for tick, label in zip(ticks, labels, strict=True):
        canvas.draw.line([(left, y(tick)), (right, y(tick))], fill=GRID, width=canvas.px(0.6))
        canvas.text((left - canvas.px(4), y(tick)), label, font, anchor="rm")
    for index, label in enumerate(chart.x_labels):
        canvas.text((x(index), bottom + canvas.px(4)), label, font, anchor="ma")
    for index, target in enumerate(chart.target):
        if target is not None:
            canvas.line(
                [(x(index) - step / 2, y(target)), (x(index) + step / 2, y(target))],
                BLACK,
                canvas.px(1.2),
                dash=canvas.px(4),
            )
    for run in _runs(chart.last_year):
        canvas.line([(x(i), y(v)) for i, v in run], GREY, canvas.px(1.5), dash=canvas.px(3))
    for run in _runs(chart.values):
        points = [(x(i), y(v)) for i, v in run]
        if len(points) > 1:
            canvas.line(points, BLUE, canvas.px(2.2))
        for px, py in points:
            r = canvas.px(2.6)
            canvas.draw.ellipse((px - r, py - r, px + r, py + r), fill=BLUE, outline=WHITE)
    # A period with no figure is a gap in the line, marked where its point would be on
    # the axis: a reader sees it is missing, not zero or forgotten.
    for index in chart.gaps:
        width, height = canvas.text_size(chart.gap_label, font)
        gx, gy = x(index), bottom - canvas.px(3)
        canvas.draw.rectangle(
            (gx - width / 2 - 4, gy - height - 6, gx + width / 2 + 4, gy + 2), fill=WHITE
        )
        canvas.text((gx, gy), chart.gap_label, font, anchor="ms")
    latest = max(i for i, v in enumerate(chart.values) if v is not None)
    value = chart.values[latest]
    assert value is not None
    label_font = canvas.font(TEXT_POINTS, bold=True)
    width, height = canvas.text_size(chart.latest_label, label_font)
    lx = min(max(x(latest), left + width / 2), canvas.width - pad - width / 2)
    ly = max(y(value) - canvas.px(6), legend_bottom + height + canvas.px(3))
    canvas.draw.rectangle(
        (lx - width / 2 - 4, ly - height - 6, lx + width / 2 + 4, ly + 2), fill=WHITE
    )
    canvas.text((lx, ly), chart.latest_label, label_font, anchor="ms")
    canvas.draw.line([(left, bottom), (right, bottom)], fill=TEXT, width=canvas.px(0.8))


def _comparator(canvas: _Canvas, chart: ComparatorChart) -> None:
    title_font, font = canvas.font(TITLE_POINTS, bold=True), canvas.font(TEXT_POINTS)
    bold = canvas.font(TEXT_POINTS, bold=True)
    pad = canvas.pad
    canvas.text((pad, pad), chart.title, title_font)
    legend_top = pad + canvas.text_size("Ag", title_font)[1] + canvas.px(5)
    legend: list[tuple[str, Colour, int, bool]] = []
    if chart.england_label:
        legend.append((chart.england_label, BLACK, canvas.px(4), False))
    legend_bottom = _legend(
        canvas,
        legend_top,
        legend,
        boxes=[(chart.own_label, ORANGE, True), ("Statistical neighbours", SKY, False)],
    )

    labels = [bar.label for bar in chart.bars]
    label_width = max(canvas.text_size(label, bold)[0] for label in labels)
    left = pad + min(label_width, int(canvas.width * 0.34)) + canvas.px(6)
    line_height = canvas.text_size("Ag", font)[1]
    top = legend_bottom + canvas.px(8)
    bottom = canvas.height - pad - line_height - canvas.px(5)
    numbers = [bar.value for bar in chart.bars if bar.value is not None]
    if chart.england is not None:
        numbers.append(chart.england)
    ticks = _ticks(max(numbers, default=1))
    gap = canvas.px(4)
    line_room = canvas.px(2)  # the England line's half width, and a little air
    edge = canvas.width - pad

    def label_font(bar: Bar) -> Font:
        return bold if bar.own else font

    def layout(right: float) -> tuple[Callable[[float], float], list[float]]:
        """The value axis ending at `right`, and where each bar's value label starts: just
        past its bar, or past the England line where the label would lie across it."""

        def x(value: float) -> float:
            return left + (value - ticks[0]) / (ticks[-1] - ticks[0]) * (right - left)

        england = x(chart.england) if chart.england is not None else None
        starts = []
        for bar in chart.bars:
            start = (max(x(bar.value), left + 1) if bar.value is not None else left) + gap
            width = canvas.text_size(bar.text, label_font(bar))[0]
            if (
                england is not None
                and start - 2 < england + line_room
                and (start + width + 2 > england - line_room)
            ):
                start = england + line_room + gap
            starts.append(start)
        return x, starts

    # The axis ends where every label still fits inside the picture (moving a label past
    # the England line may need more room than the widest label alone).
    right = float(edge - max(canvas.text_size(bar.text, label_font(bar))[0] for bar in chart.bars))
    right -= gap
    for _ in range(8):
        x, starts = layout(right)
        overflow = max(
            start + canvas.text_size(bar.text, label_font(bar))[0] - edge
            for bar, start in zip(chart.bars, starts, strict=True)
        )
        if overflow <= 0:
            break
        right -= overflow + 1

    for tick in ticks:
        canvas.draw.line([(x(tick), top), (x(tick), bottom)], fill=GRID, width=canvas.px(0.6))
        canvas.text(
            (x(tick), bottom + canvas.px(4)), _tick_label(tick, ticks, chart.unit), font, "ma"
        )
    row = (bottom - top) / max(len(chart.bars), 1)
    for index, bar in enumerate(chart.bars):
        middle = top + (index + 0.5) * row
        name_font = label_font(bar)
        name = _fit(canvas, bar.label, name_font, left - pad - canvas.px(6))
        canvas.text((left - canvas.px(6), middle), name, name_font, anchor="rm")
        if bar.value is None:
            continue
        box = (left, middle - row * 0.36, max(x(bar.value), left + 1), middle + row * 0.36)
        canvas.draw.rectangle(box, fill=ORANGE if bar.own else SKY)
        if bar.own:
            _hatch(canvas, box)
    if chart.england is not None:
        canvas.line(
            [(x(chart.england), top - canvas.px(4)), (x(chart.england), bottom)],
            BLACK,
            canvas.px(1.4),
            dash=canvas.px(4),
        )
    # Value labels (and why a bar has none) beside the bars, on white over the grid, and
    # clear of the England line (see `layout`).
    for index, (bar, start) in enumerate(zip(chart.bars, starts, strict=True)):
        middle = top + (index + 0.5) * row
        width = canvas.text_size(bar.text, label_font(bar))[0]
        canvas.draw.rectangle(
            (start - 2, middle - row * 0.36, start + width + 2, middle + row * 0.36), fill=WHITE
        )
        canvas.text((start, middle), bar.text, label_font(bar), "lm")
    canvas.draw.line([(left, top), (left, bottom)], fill=TEXT, width=canvas.px(0.8))


def _legend(
    canvas: _Canvas,
    top: int,
    lines: Sequence[tuple[str, Colour, int, bool]],
    band: str = "",
    boxes: Sequence[tuple[str, Colour, bool]] = (),
) -> int:
    """Keys in rows, as many as fit across the picture: shaded boxes, then line samples
    (solid, or dashed), each named. Returns where the last row ends."""
    font = canvas.font(TEXT_POINTS)
    height = canvas.text_size("Ag", font)[1]
    sample, box_width, space = canvas.px(16), canvas.px(10), canvas.px(3)
    keys: list[tuple[str, int, Callable[[float, float], None]]] = []

    def box(colour: Colour, hatched: bool) -> Callable[[float, float], None]:
        def draw(x: float, middle: float) -> None:
            shape = (x, middle - height / 2, x + box_width, middle + height / 2)
            canvas.draw.rectangle(shape, fill=colour)
            if hatched:
                _hatch(canvas, shape)

        return draw

    def line(colour: Colour, dash: int, marker: bool) -> Callable[[float, float], None]:
        def draw(x: float, middle: float) -> None:
            width = canvas.px(2.2) if marker else canvas.px(1.5)
            canvas.line([(x, middle), (x + sample, middle)], colour, width, dash=dash)
            if marker:
                r = canvas.px(2.6)
                cx = x + sample / 2
                canvas.draw.ellipse((cx - r, middle - r, cx + r, middle + r), fill=colour)

        return draw

    for label, colour, hatched in boxes:
        keys.append((label, box_width, box(colour, hatched)))
    if band:
        keys.append((band, box_width, box(BAND, False)))
    for label, colour, dash, marker in lines:
        keys.append((label, sample, line(colour, dash, marker)))

    edge = canvas.width - canvas.pad
    x, row_top = float(canvas.pad), float(top)
    for label, key_width, draw in keys:
        room = edge - canvas.pad - key_width - space
        label = _fit(canvas, label, font, room)  # only a key wider than the picture
        width = key_width + space + canvas.text_size(label, font)[0]
        if x > canvas.pad and x + width > edge:  # a new row
            x, row_top = float(canvas.pad), row_top + height + canvas.px(4)
        middle = row_top + height / 2 + canvas.px(1)
        draw(x, middle)
        canvas.text((x + key_width + space, middle), label, font, anchor="lm")
        x += width + canvas.px(10)
    return round(row_top + height + canvas.px(2))


def _hatch(canvas: _Canvas, box: tuple[float, float, float, float]) -> None:
    """Diagonal lines across a box: the authority's bar is marked by pattern as well as
    colour."""
    x0, y0, x1, y1 = (round(v) for v in box)
    width, height = x1 - x0, y1 - y0
    if width <= 0 or height <= 0:
        return
    layer = Image.new("L", (width, height), 0)
    lines = ImageDraw.Draw(layer)
    for offset in range(-height, width, canvas.px(3.5)):
        lines.line([(offset, height), (offset + height, 0)], fill=255, width=canvas.px(0.9))
    canvas.image.paste(TEXT, (x0, y0, x1, y1), mask=layer)


def _dashes(
    draw: ImageDraw.ImageDraw,
    start: tuple[float, float],
    end: tuple[float, float],
    colour: Colour,
    width: int,
    dash: int,
) -> None:
    length = math.dist(start, end)
    if length == 0:
        return
    dx, dy = (end[0] - start[0]) / length, (end[1] - start[1]) / length
    position = 0.0
    while position < length:
        stop = min(position + dash, length)
        draw.line(
            [
                (start[0] + dx * position, start[1] + dy * position),
                (start[0] + dx * stop, start[1] + dy * stop),
            ],
            fill=colour,
            width=width,
        )
        position += dash * 1.8


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """Consecutive points with values: a line breaks where a period has none."""
    runs: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for index, value in enumerate(values):
        if value is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((index, value))
    if current:
        runs.append(current)
    return runs


def _ticks(highest: float, lowest: float = 0.0) -> list[float]:
    """Round axis ticks from at or below `lowest` to the nearest round value at or above
    `highest`, three to six steps (0 to 100 for a highest value of 97, not 0 to 150). Every
    round step divides 100, so a percentage axis passes 100% only where a value does."""
    if highest - lowest < 1e-6:  # all values equal (all 0, say): an axis round them
        lowest, highest = min(lowest, 0.0), max(highest, lowest + 1)
    span = highest - lowest
    best: tuple[tuple[bool, float, float], float, float, int] | None = None
    first = math.floor(math.log10(span / 8))
    for step in (m * 10.0**power for power in range(first, first + 3) for m in (1, 2, 2.5, 5)):
        start = math.floor(lowest / step + 1e-9) * step
        count = max(math.ceil((highest - start) / step - 1e-9), 1)
        if not 3 <= count <= 6:
            continue
        top = round(start + count * step, 10)
        # Labels without a decimal win where any step gives them (10, 15, 20, 25 over 10,
        # 12.5, … 22.5), then the lowest top, then the fewest ticks.
        rank = (step % 1 != 0, top, -step)
        if best is None or rank < best[0]:
            best = (rank, step, start, count)
    assert best is not None  # a round step lies between a sixth and a third of any span
    _, step, start, count = best
    return [round(start + i * step, 10) for i in range(count + 1)]


def _tick_label(value: float, ticks: Sequence[float], unit: str) -> str:
    step = Decimal(repr(round(ticks[1] - ticks[0], 10))).normalize()
    decimals = max(0, -int(step.as_tuple().exponent))
    return f"{value:,.{decimals}f}{unit}"


def _fit(canvas: _Canvas, text: str, font: Font, width: float) -> str:
    """`text`, shortened with an ellipsis to fit `width`."""
    if canvas.text_size(text, font)[0] <= width:
        return text
    while text and canvas.text_size(text + "…", font)[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"


@cache
def _font(size: int, bold: bool) -> Font:
    path = _font_file(bold)
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(path), size)


@cache
def _font_file(bold: bool) -> Path | None:
    for name in _FONTS[bold]:
        for folder in _FONT_FOLDERS:
            if not folder.is_dir():
                continue
            direct = folder / name
            if direct.is_file():
                return direct
            found = next(folder.rglob(name), None)
            if found is not None:
                return found
    return None
