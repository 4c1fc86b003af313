"""The .docx written byte for byte reproducibly: every zip entry dated the paper's day, with
the same permissions, so equal inputs give equal bytes; what was compressed once is kept in
the cache by content.

`saved` writes a document docxtpl has rendered (`reportgen.word.render`) as a .docx;
`reproducible_zip` rewrites any package so.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from datetime import date
from typing import Any

from docx.opc.packuri import PackURI
from docx.opc.pkgwriter import PackageWriter

from reportgen.cache import Cache


def reproducible_zip(content: bytes, day: date, cache: Cache | None = None) -> bytes:
    """The same package with every entry dated `day`, so equal inputs give equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(content))
    entries = _DatedEntries(day, cache)
    for item in source.infolist():
        entries.add(item.filename, source.read(item.filename))
    return entries.zipped()


_PICTURES = (".png", ".jpg", ".jpeg", ".gif")
# Parts each paper has its own of (the rendered text, headers and footers, the properties,
# the relationships and the list of parts, which name its pictures): not worth keeping.
_MADE_EACH_TIME = re.compile(
    r"(?:document|header\d*|footer\d*|footnotes|core)\.xml$|\.rels$|Content_Types"
)
_DEFLATED = "deflated"


class _DatedEntries:
    """A zip of entries, each dated `day` and with the same permissions, in the bytes
    Python's zipfile writes on Linux; also python-docx's package writer
    (`write(pack_uri, blob)`).

    Written here rather than by zipfile so that what was compressed once is kept in
    `cache` by content: the parts of a template no build changes (its styles, theme and
    numbering) are not compressed again on every build."""

    def __init__(self, day: date, cache: Cache | None = None) -> None:
        self._date = (day.year - 1980) << 9 | day.month << 5 | day.day
        self._cache = cache
        self._output = io.BytesIO()
        self._central: list[bytes] = []

    def add(self, name: str, content: bytes) -> None:
        # Pictures are compressed already: stored as they are, they save time, not space.
        stored = name.lower().endswith(_PICTURES)
        if stored:
            method, data = zipfile.ZIP_STORED, content
        elif self._cache is None or _MADE_EACH_TIME.search(name):
            method, data = zipfile.ZIP_DEFLATED, _deflated(content)
        else:
            method = zipfile.ZIP_DEFLATED
            data = self._cache.get(_DEFLATED, content)
            if data is None:
                data = self._cache.put(_DEFLATED, content, _deflated(content), 2 * len(content))
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else 0x800  # the name is UTF-8
        fields = (20, 0, flags, method, 0, self._date, zlib.crc32(content), len(data))
        offset = self._output.tell()
        self._output.write(
            struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", *fields, len(content), len(encoded), 0)
        )
        self._output.write(encoded)
        self._output.write(data)
        self._central.append(
            struct.pack(
                "<4s4B4HL2L5H2L",
                b"PK\x01\x02",
                20,
                3,  # made on Unix: the permissions below are Unix's
                *fields,
                len(content),
                len(encoded),
                0,
                0,
                0,
                0,
                0o600 << 16,
                offset,
            )
            + encoded
        )

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        self.add(pack_uri.membername, blob)

    def zipped(self) -> bytes:
        """The zip of the entries added."""
        start = self._output.tell()
        self._output.write(b"".join(self._central))
        count, size = len(self._central), self._output.tell() - start
        self._output.write(
            struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, size, start, 0)
        )
        return self._output.getvalue()


def _deflated(content: bytes) -> bytes:
    """`content` compressed as zipfile compresses an entry."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return compressor.compress(content) + compressor.flush()


def saved(document: Any, day: date, cache: Cache) -> bytes:
    """The rendered document as a .docx, the same bytes as `reproducible_zip` of what
    docxtpl saves, written once: not every picture compressed, unpacked and stored again."""
    if document.crc_to_new_media or document.crc_to_new_embedded or document.zipname_to_replace:
        buffer = io.BytesIO()  # media docxtpl replaces after saving (reportgen asks for none)
        document.save(buffer)
        return reproducible_zip(buffer.getvalue(), day, cache)
    # What docxtpl's `save` and python-docx's `OpcPackage.save` do, with entries written as
    # `reproducible_zip` writes them (python-docx's steps are private; it is pinned below 2).
    document.pre_processing()
    package = document.docx.part.package
    parts = package.parts  # a walk of every relationship: once, not twice
    for part in parts:
        part.before_marshal()
    writer: Any = PackageWriter
    entries = _DatedEntries(day, cache)
    writer._write_content_types_stream(entries, parts)
    writer._write_pkg_rels(entries, package.rels)
    writer._write_parts(entries, parts)
    return entries.zipped()
