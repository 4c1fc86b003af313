"""The surface a chart is drawn on: a Pillow picture drawn at twice its size and halved,
which gives smooth lines and text in a few milliseconds a chart. Charts drawn together
share a `Batch`, which sets each piece of text once (tick labels, months and area names
recur) for `Canvas` to lay on the halved picture.

Colours are the Okabe–Ito palette, which readers with any common colour-vision deficiency
can tell apart. Text is Arial where the machine has it, else its metric twin Liberation
Sans, so charts read in the same face as the paper. Sizes are in points of print
(TEXT_POINTS, TITLE_POINTS), a picture being as wide as the paper places it, at DPI.
"""

from __future__ import annotations

import io
import itertools
import math
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from reportgen.paper.charts import WIDTH_CM

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


class Batch:
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


class Canvas:
    def __init__(self, batch: Batch, height: int) -> None:
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


@cache
def _font(size: int, bold: bool) -> Font:
    path = font_file(bold)
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(path), size)


@cache
def font_file(bold: bool) -> Path | None:
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
