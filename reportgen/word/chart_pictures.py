"""Charts placed in a document being rendered as inline pictures, each with its chart's
description as alt text: a chart in the template's context becomes a `Picture`, which makes
its picture in the document when the template places it.

Pictures are placed as python-docx's `new_pic_inline` places them (the same part names,
relationship ids and shape ids, so the same bytes), each in constant time.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any, Protocol

from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart
from docx.shared import Cm, Length
from lxml import etree

from reportgen.paper.charts import WIDTH_CM, ComparatorChart, TrendChart


class Placing(Protocol):
    """The document being rendered, as a picture sees it (`reportgen.word.render`'s)."""

    @property
    def current_rendering_part(self) -> Any: ...

    def pictures(self) -> Pictures: ...


class Picture:
    """A chart as an inline picture with alt text, made when the template places it."""

    _not_for_templates = True  # a template places it; it reaches nothing through it

    def __init__(self, document: Placing, png: bytes, alt_text: str) -> None:
        self._document, self._png, self._alt_text = document, png, alt_text

    def __html__(self) -> str:
        part = self._document.current_rendering_part
        inline = self._document.pictures().inline(part, self._png, Cm(WIDTH_CM))
        for element in (inline.docPr, *inline.xpath(".//pic:cNvPr")):
            element.set("descr", self._alt_text)
        # No space round the picture: two charts fit side by side on a landscape page.
        for side in ("distT", "distB", "distL", "distR"):
            inline.set(side, "0")
        xml = etree.tostring(inline, encoding="unicode")
        return f'</w:t></w:r><w:r><w:drawing>{xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'


class Pictures:
    """Places pictures in one document as python-docx's `new_pic_inline` does, with the
    same part names, relationship ids and shape ids, so the same bytes; but each in
    constant time. python-docx looks for a new picture among those in the document by
    hashing every one of them, and names it by scanning every other name: a paper with a
    thousand charts spent most of its time there."""

    def __init__(self, package: Any) -> None:
        self._parts = package.image_parts
        self._seen = 0  # how many of the package's image parts are in the two below
        self._by_sha1: dict[str, ImagePart] = {}
        self._numbers: set[int | None] = set()  # of the parts' names, image<number>.png
        self._free = 1  # the lowest number no image part's name may have
        self._made: set[ImagePart] = set()
        self._related: dict[tuple[Any, ImagePart], str] = {}  # rId by (story part, picture)
        self._free_rid: dict[Any, int] = {}  # the lowest rId number each part may have free
        self._shape_ids: dict[Any, int] = {}

    def rendering(self) -> None:
        """A part starts rendering: its XML, and so its next shape id, may have changed;
        it stays the same while the part renders (pictures go into the rendered text)."""
        self._shape_ids.clear()

    def inline(self, part: Any, png: bytes, width: Length) -> CT_Inline:
        """The picture of `png`, `width` wide, to place in story part `part`."""
        image_part = self._image_part(Image.from_blob(png))
        rid = self._relate(part, image_part)
        image = image_part.image
        cx, cy = image.scaled_dimensions(width, None)
        if part not in self._shape_ids:
            self._shape_ids[part] = part.next_id
        return CT_Inline.new_pic_inline(self._shape_ids[part], rid, image.filename, cx, cy)

    def _image_part(self, image: Image) -> ImagePart:
        """The package's part holding `image`, added if it has none: the first with the
        same SHA-1, else a new one named with the lowest free number."""
        if len(self._parts) > self._seen:  # the template's own pictures
            for part in itertools.islice(self._parts, self._seen, None):
                self._by_sha1.setdefault(part.sha1, part)
                self._numbers.add(part.partname.idx)
            self._seen = len(self._parts)
        sha1 = image.sha1
        found = self._by_sha1.get(sha1)
        if found is not None:
            return found
        while self._free in self._numbers:
            self._free += 1
        name = PackURI(f"/word/media/image{self._free}.{image.ext}")
        made: ImagePart = ImagePart.from_image(image, name)
        self._parts.append(made)
        self._seen += 1
        self._by_sha1[sha1] = made
        self._numbers.add(self._free)
        self._made.add(made)
        return made

    def _relate(self, part: Any, image_part: ImagePart) -> str:
        """The rId of `part`'s relationship to `image_part`, added if it has none, with
        the lowest free rId."""
        rid = self._related.get((part, image_part))
        if rid is not None:
            return rid
        if image_part in self._made:  # only ever related here
            number = self._free_rid.get(part, 1)
            while f"rId{number}" in part.rels:
                number += 1
            self._free_rid[part] = number + 1
            rid = f"rId{number}"
            part.rels.add_relationship(RELATIONSHIP_TYPE.IMAGE, image_part, rid)
        else:  # a picture of the template's: the part may be related to it already
            rid = part.relate_to(image_part, RELATIONSHIP_TYPE.IMAGE)
        self._related[part, image_part] = rid
        return rid


def with_pictures(value: Any, document: Placing, pictures: Mapping[str, bytes]) -> Any:
    """The context with every chart replaced by its picture."""
    if isinstance(value, TrendChart | ComparatorChart):
        return Picture(document, pictures[value.key], value.alt_text)
    if isinstance(value, dict):
        return {k: with_pictures(v, document, pictures) for k, v in value.items()}
    if isinstance(value, list):
        return [with_pictures(v, document, pictures) for v in value]
    return value
