"""What the pack's stamps (`stamps`) and its structure (`structure`) both do to a pypdf
writer's pages: add an object, and draw before and after a page's content without reading or
rewriting it, so that its marked content stays as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pypdf is imported when a pack is made, not by every run
    from pypdf import PageObject, PdfWriter
    from pypdf.generic import IndirectObject


def add_object(writer: PdfWriter, obj: Any) -> IndirectObject:
    """The object added to the writer as an indirect object (pypdf's own way to do so)."""
    added: IndirectObject = writer._add_object(obj)
    return added


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return add_object(writer, stream)


def surround(writer: PdfWriter, page: PageObject, before: bytes, after: bytes) -> None:
    """The page's content with `before` drawn first and `after` last, each a stream of its
    own: the content itself is not read or rewritten, so its marked content stays as it is."""
    from pypdf.generic import ArrayObject, IndirectObject, NameObject

    contents = page.get("/Contents")
    found = contents.get_object() if contents is not None else ArrayObject()
    kept = list(found) if isinstance(found, ArrayObject) else [contents]
    streams = [c if isinstance(c, IndirectObject) else add_object(writer, c) for c in kept]
    page[NameObject("/Contents")] = ArrayObject(
        [_stream(writer, before), *streams, _stream(writer, after)]
    )
