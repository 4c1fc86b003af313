"""Charts as PNG pictures, drawn with Pillow and cached by what they show.

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
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from decimal import Decimal
from functools import cache
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont

from reportgen.cache import Cache
from reportgen.paper.charts import HEIGHT_CM, WIDTH_CM, Chart, ComparatorChart, TrendChart

DPI = 200
SCALE = 2

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
        canvas = _Canvas(batch)
        if isinstance(chart, TrendChart):
            _trend(canvas, chart)
        else:
            _comparator(canvas, chart)
        pngs.append(canvas.png())
    return pngs


def _file_name(chart: Chart) -> str:
    return f"{hashlib.sha256((chart.key + _style()).encode()).hexdigest()}.png"


def picture(chart: Chart) -> bytes:
    """The chart as a PNG image of WIDTH_CM × HEIGHT_CM at DPI."""
    return _draw_together([chart])[0]


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
    def __init__(self, batch: _Batch) -> None:
        self.batch = batch
        self.texts: list[tuple[int, int, str, Font, str]] = []
        self.width = round(WIDTH_CM / 2.54 * DPI) * SCALE
        self.height = round(HEIGHT_CM / 2.54 * DPI) * SCALE
        self.image = Image.new("RGB", (self.width, self.height), WHITE)
        self.draw = ImageDraw.Draw(self.image)
        self.pad = self.px(10)

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
    title_font, font, small = canvas.font(10, bold=True), canvas.font(8.5), canvas.font(8)
    pad = canvas.pad
    canvas.text((pad, pad), chart.title, title_font)
    legend: list[tuple[str, Colour, int, bool]] = [(chart.values_label, BLUE, 0, True)]
    if chart.last_year:
        legend.append((chart.last_year_label, GREY, canvas.px(3), False))
    if chart.target_label:
        legend.append((chart.target_label, BLACK, canvas.px(4), False))
    legend_top = pad + canvas.text_size("Ag", title_font)[1] + canvas.px(6)
    _legend(canvas, legend_top, legend, band=chart.band_label)

    numbers = [v for v in (*chart.values, *chart.last_year, *chart.target) if v is not None]
    if chart.band:
        numbers.extend(chart.band)
    # A line need not start at zero: where every value is well above it, the axis starts
    # nearer them, but never spans less than a quarter of the highest value.
    highest, lowest = max(numbers, default=1), min(numbers, default=0)
    floor = 0.0 if lowest < highest / 2 else min(lowest - (highest - lowest) / 10, highest * 0.75)
    ticks = _ticks(highest, floor)
    labels = [_tick_label(t, ticks, chart.unit) for t in ticks]
    left = pad + max(canvas.text_size(label, small)[0] for label in labels) + canvas.px(5)
    right = canvas.width - pad - canvas.px(6)
    top = legend_top + canvas.text_size("Ag", font)[1] + canvas.px(14)
    bottom = canvas.height - pad - canvas.text_size("Ag", small)[1] - canvas.px(5)

    def y(value: float) -> float:
        return bottom - (value - ticks[0]) / (ticks[-1] - ticks[0]) * (bottom - top)

    step = (right - left) / len(chart.x_labels)

    def x(index: int) -> float:
        return left + (index + 0.5) * step

    if chart.band:
        canvas.draw.rectangle((left, y(chart.band[1]), right, y(chart.band[0])), fill=BAND)
    for tick, label in zip(ticks, labels, strict=True):
        canvas.draw.line([(left, y(tick)), (right, y(tick))], fill=GRID, width=canvas.px(0.6))
        canvas.text((left - canvas.px(4), y(tick)), label, small, anchor="rm")
    for index, label in enumerate(chart.x_labels):
        canvas.text((x(index), bottom + canvas.px(4)), label, small, anchor="ma")
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
    latest = max(i for i, v in enumerate(chart.values) if v is not None)
    value = chart.values[latest]
    assert value is not None
    label_font = canvas.font(8.5, bold=True)
    width, height = canvas.text_size(chart.latest_label, label_font)
    lx = min(max(x(latest), left + width / 2), canvas.width - pad - width / 2)
    ly = max(y(value) - canvas.px(6), top + height)
    canvas.draw.rectangle(
        (lx - width / 2 - 4, ly - height - 6, lx + width / 2 + 4, ly + 2), fill=WHITE
    )
    canvas.text((lx, ly), chart.latest_label, label_font, anchor="ms")
    canvas.draw.line([(left, bottom), (right, bottom)], fill=TEXT, width=canvas.px(0.8))


def _comparator(canvas: _Canvas, chart: ComparatorChart) -> None:
    title_font, font, small = canvas.font(10, bold=True), canvas.font(8.5), canvas.font(8)
    bold = canvas.font(8.5, bold=True)
    pad = canvas.pad
    canvas.text((pad, pad), chart.title, title_font)
    legend_top = pad + canvas.text_size("Ag", title_font)[1] + canvas.px(6)
    legend: list[tuple[str, Colour, int, bool]] = []
    if chart.england_label:
        legend.append((chart.england_label, BLACK, canvas.px(4), False))
    _legend(
        canvas,
        legend_top,
        legend,
        boxes=[(chart.own_label, ORANGE, True), ("Statistical neighbours", SKY, False)],
    )

    labels = [bar.label for bar in chart.bars]
    label_width = max(canvas.text_size(label, bold)[0] for label in labels)
    left = pad + min(label_width, int(canvas.width * 0.34)) + canvas.px(6)
    top = legend_top + canvas.text_size("Ag", font)[1] + canvas.px(12)
    bottom = canvas.height - pad - canvas.text_size("Ag", small)[1] - canvas.px(5)
    numbers = [bar.value for bar in chart.bars if bar.value is not None]
    if chart.england is not None:
        numbers.append(chart.england)
    ticks = _ticks(max(numbers, default=1) * 1.12)
    value_room = max(canvas.text_size(bar.text, small)[0] for bar in chart.bars)
    right = canvas.width - pad - value_room - canvas.px(4)

    def x(value: float) -> float:
        return left + (value - ticks[0]) / (ticks[-1] - ticks[0]) * (right - left)

    for tick in ticks:
        canvas.draw.line([(x(tick), top), (x(tick), bottom)], fill=GRID, width=canvas.px(0.6))
        canvas.text(
            (x(tick), bottom + canvas.px(4)), _tick_label(tick, ticks, chart.unit), small, "ma"
        )
    row = (bottom - top) / max(len(chart.bars), 1)
    for index, bar in enumerate(chart.bars):
        middle = top + (index + 0.5) * row
        name_font = bold if bar.own else font
        name = _fit(canvas, bar.label, name_font, left - pad - canvas.px(6))
        canvas.text((left - canvas.px(6), middle), name, name_font, anchor="rm")
        if bar.value is None:
            canvas.text((left + canvas.px(4), middle), bar.text, small, anchor="lm")
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
    # Value labels last, on white, so that the England line never runs through one.
    for index, bar in enumerate(chart.bars):
        if bar.value is None:
            continue
        middle = top + (index + 0.5) * row
        label_font = bold if bar.own else small
        start = max(x(bar.value), left + 1) + canvas.px(4)
        width = canvas.text_size(bar.text, label_font)[0]
        canvas.draw.rectangle(
            (start - 2, middle - row * 0.36, start + width + 2, middle + row * 0.36), fill=WHITE
        )
        canvas.text((start, middle), bar.text, label_font, "lm")
    canvas.draw.line([(left, top), (left, bottom)], fill=TEXT, width=canvas.px(0.8))


def _legend(
    canvas: _Canvas,
    top: int,
    lines: Sequence[tuple[str, Colour, int, bool]],
    band: str = "",
    boxes: Sequence[tuple[str, Colour, bool]] = (),
) -> None:
    """One row of keys: shaded boxes, then line samples (solid, or dashed), each named."""
    font = canvas.font(8.5)
    x = canvas.pad
    height = canvas.text_size("Ag", font)[1]
    middle = top + height / 2 + canvas.px(1)
    sample = canvas.px(16)
    for label, colour, hatched in boxes:
        box = (x, middle - height / 2, x + canvas.px(10), middle + height / 2)
        canvas.draw.rectangle(box, fill=colour)
        if hatched:
            _hatch(canvas, box)
        x = box[2] + canvas.px(3)
        canvas.text((x, middle), label, font, anchor="lm")
        x += canvas.text_size(label, font)[0] + canvas.px(10)
    if band:
        box = (x, middle - height / 2, x + canvas.px(10), middle + height / 2)
        canvas.draw.rectangle(box, fill=BAND)
        x = box[2] + canvas.px(3)
        canvas.text((x, middle), band, font, anchor="lm")
        x += canvas.text_size(band, font)[0] + canvas.px(10)
    for label, colour, dash, marker in lines:
        width = canvas.px(2.2) if marker else canvas.px(1.5)
        canvas.line([(x, middle), (x + sample, middle)], colour, width, dash=dash)
        if marker:
            r = canvas.px(2.6)
            cx = x + sample / 2
            canvas.draw.ellipse((cx - r, middle - r, cx + r, middle + r), fill=colour)
        x += sample + canvas.px(3)
        canvas.text((x, middle), label, font, anchor="lm")
        x += canvas.text_size(label, font)[0] + canvas.px(10)


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
    """Four or five round axis ticks from at or below `lowest` to at or above `highest`."""
    if highest - lowest < 1e-6:  # all values equal (all 0, say): an axis round them
        lowest, highest = min(lowest, 0.0), max(highest, lowest + 1)
    raw = (highest - lowest) / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(lowest / step + 1e-9) * step
    count = max(math.ceil((highest - start) / step - 1e-9), 1)
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
