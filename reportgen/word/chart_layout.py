"""Where each piece of a chart goes on its canvas (`canvas`): the trend chart's lines,
band, targets and gaps, the comparator chart's bars and England line, their legends and
their axes with round ticks.

Nothing is told by colour alone: the authority's bar is also hatched and labelled, lines
differ in pattern and are named in a legend. A comparator chart with more bars than fit at
the paper's size is drawn taller rather than in smaller text.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal

from PIL import Image, ImageDraw

from reportgen.paper.charts import HEIGHT_CM, Bar, Chart, ComparatorChart, TrendChart
from reportgen.word.canvas import (
    BAND,
    BLACK,
    BLUE,
    DPI,
    GREY,
    GRID,
    ORANGE,
    SCALE,
    SKY,
    TEXT,
    TEXT_POINTS,
    TITLE_POINTS,
    WHITE,
    Canvas,
    Colour,
    Font,
)


def draw_chart(canvas: Canvas, chart: Chart) -> None:
    if isinstance(chart, TrendChart):
        _trend(canvas, chart)
    else:
        _comparator(canvas, chart)


# A comparator chart's bars each need this much height: text of TEXT_POINTS with room
# between rows. Beyond HEIGHT_CM's worth, the picture grows.
_BAR_POINTS = 11.5
_COMPARATOR_FRAME_POINTS = 70.0  # title, legend (two rows) and axis labels


def picture_height(chart: Chart) -> int:
    """The picture's height in pixels of the drawing."""
    height = HEIGHT_CM / 2.54 * 72  # in points
    if isinstance(chart, ComparatorChart):
        height = max(height, _COMPARATOR_FRAME_POINTS + _BAR_POINTS * len(chart.bars))
    return round(height / 72 * DPI) * SCALE


def _trend(canvas: Canvas, chart: TrendChart) -> None:
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
    ticks = axis_ticks(highest, floor)
    labels = [tick_label(t, ticks, chart.unit) for t in ticks]
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


def _comparator(canvas: Canvas, chart: ComparatorChart) -> None:
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
    ticks = axis_ticks(max(numbers, default=1))
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
            (x(tick), bottom + canvas.px(4)), tick_label(tick, ticks, chart.unit), font, "ma"
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
    canvas: Canvas,
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


def _hatch(canvas: Canvas, box: tuple[float, float, float, float]) -> None:
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


def axis_ticks(highest: float, lowest: float = 0.0) -> list[float]:
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


def tick_label(value: float, ticks: Sequence[float], unit: str) -> str:
    step = Decimal(repr(round(ticks[1] - ticks[0], 10))).normalize()
    decimals = max(0, -int(step.as_tuple().exponent))
    return f"{value:,.{decimals}f}{unit}"


def _fit(canvas: Canvas, text: str, font: Font, width: float) -> str:
    """`text`, shortened with an ellipsis to fit `width`."""
    if canvas.text_size(text, font)[0] <= width:
        return text
    while text and canvas.text_size(text + "…", font)[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"
