"""Page numbers and marks stamped on a pack's pages (`join.assemble`).

Page numbers go in the bottom margin's lowest strip, centred, in Helvetica 9 pt, on every
page including the front sheet, so that "page 17" means the same page to every reader. A
part may carry a mark ("NOT FOR PUBLICATION"), stamped in the top margin of each of its pages
that does not print it already, in Helvetica Bold 10 pt. Stamps are artifacts: marked
content a screen reader passes over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportgen.pdf.writing import add_object, surround

if TYPE_CHECKING:  # pypdf is imported when a pack is made, not by every run
    from pypdf import PageObject, PdfWriter
    from pypdf.generic import IndirectObject

STAMP_SIZE = 9  # points
STAMP_FROM_BOTTOM = 16  # points: below the papers' own footers
MARK_SIZE = 10  # points
MARK_FROM_TOP = 24  # points, to the baseline: above the papers' own text
# Helvetica's and Helvetica Bold's widths (1/1000 em) of the characters stamps use.
_WIDTHS = {**dict.fromkeys("0123456789", 556), " ": 278, "P": 667, "a": 556, "g": 556,
           "e": 556, "o": 556, "f": 278}  # fmt: skip
_BOLD_WIDTHS = {**dict.fromkeys("0123456789", 556), **dict.fromkeys("ABCDHKNRUX", 722),
                **dict.fromkeys("EPSVY", 667), **dict.fromkeys("FTZ", 611), " ": 278,
                "G": 778, "I": 278, "J": 556, "L": 611, "M": 833, "O": 778, "Q": 778,
                "W": 944}  # fmt: skip


class Stamper:
    """Stamps text on pages as pagination artifacts, in Helvetica (regular and bold) added
    once to the writer."""

    def __init__(self, writer: PdfWriter) -> None:
        self.writer = writer
        self.fonts: dict[str, IndirectObject] = {}

    def stamp(self, page: PageObject, footer: str, header: str = "") -> None:
        """`footer` centred at the foot of the page and `header` (if any) at its head, as
        the page is shown (its /Rotate taken into account)."""
        box = page.cropbox
        left, bottom = float(box.left), float(box.bottom)
        width, height = float(box.width), float(box.height)
        turn = page.rotation % 360
        # From the page as shown (its lower left corner at 0 0) to the page's own space.
        matrix = {
            0: (1, 0, 0, 1, left, bottom),
            90: (0, 1, -1, 0, left + width, bottom),
            180: (-1, 0, 0, -1, left + width, bottom + height),
            270: (0, -1, 1, 0, left, bottom + height),
        }.get(turn, (1, 0, 0, 1, left, bottom))
        shown_width, shown_height = (height, width) if turn in (90, 270) else (width, height)
        cm = " ".join(f"{n:.2f}" for n in matrix)
        drawn = [
            self._line(page, "Helvetica", footer, STAMP_SIZE, shown_width, STAMP_FROM_BOTTOM,
                       "Footer", cm)
        ]  # fmt: skip
        if header:
            baseline = shown_height - MARK_FROM_TOP
            drawn.append(
                self._line(page, "Helvetica-Bold", header, MARK_SIZE, shown_width, baseline,
                           "Header", cm)
            )  # fmt: skip
        surround(self.writer, page, b"q\n", ("\nQ\n" + "".join(drawn)).encode("latin-1"))

    def _line(
        self, page: PageObject, font: str, text: str, size: int, width: float, y: float,
        where: str, cm: str,
    ) -> str:  # fmt: skip
        widths = _BOLD_WIDTHS if font.endswith("Bold") else _WIDTHS
        x = (width - sum(widths.get(c, 722) for c in text) * size / 1000) / 2
        name = self._font(page, font)
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return (
            f"/Artifact <</Type /Pagination /Subtype /{where}>> BDC\n"
            f"q {cm} cm BT 0 g /{name} {size} Tf {x:.2f} {y:.2f} Td ({escaped}) Tj ET Q\n"
            "EMC\n"
        )

    def _font(self, page: PageObject, font: str) -> str:
        """The name the page's resources give `font` (added to them under a name of its own)."""
        from pypdf.generic import DictionaryObject, NameObject

        if font not in self.fonts:
            self.fonts[font] = add_object(
                self.writer,
                DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Font"),
                        NameObject("/Subtype"): NameObject("/Type1"),
                        NameObject("/BaseFont"): NameObject(f"/{font}"),
                        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                    }
                ),
            )
        reference = self.fonts[font]
        resources: Any = page.get("/Resources")
        if resources is None:
            resources = DictionaryObject()
            page[NameObject("/Resources")] = resources
        resources = resources.get_object()
        fonts: Any = resources.get("/Font")
        if fonts is None:
            fonts = DictionaryObject()
            resources[NameObject("/Font")] = fonts
        fonts = fonts.get_object()
        base = "Stamp" + font.replace("-", "")
        for number in range(1000):
            name = base if number == 0 else f"{base}{number}"
            if fonts.get(f"/{name}") in (None, reference):
                fonts[NameObject(f"/{name}")] = reference
                return name
        raise ValueError("a page with a thousand stamp fonts")  # pragma: no cover
