"""Whether a PDF holds the whole of the Word document LibreOffice made it from.

LibreOffice can lose text as it lays out pages: it has dropped the rows of a table whose
rows may not split and whose header repeats when the table starts at the foot of a page
(issue 24). So every conversion is checked: each paragraph and table cell of the document
(`reportgen.word.pieces`) must be in the PDF's text, and anything missing fails the
conversion, naming the document, what is missing and where it is.

The PDF's text is read in the order it is drawn, which for LibreOffice is the document's
order, cell by cell: by poppler's pdftotext where it is installed, else by pypdf (twenty
times slower), which reads page furniture (headers, footers, a table header repeated on a
new page: artifacts) apart. A piece may run on to the next page, past its furniture. Both
texts are normalised alike: Unicode compatibility forms (ligatures, no-break spaces), case
(a style may print capitals), soft hyphens, hyphens (and a word hyphenated at the end of a
line joined again), a tab's leader dots and runs of white space.

Each piece is matched with whole words, and each word of the PDF's text serves one piece
only, so a table row that is lost is missed even where a chart's heading repeats its words.
The document's words are aligned with the PDF's first (difflib), so that what is missing
is named where it was lost; a piece out of order is then looked for anywhere not yet taken.
Loose pieces (headers, footers, the text beside a page number) need only be somewhere.
"""

from __future__ import annotations

import bisect
import difflib
import io
import itertools
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportgen.errors import IncompletePdf, Problem
from reportgen.word.pieces import Piece, not_for_publication, pieces

SHOWN = 3  # places a message quotes; the rest are counted
# Words the PDF may print inside a piece, where it runs on to the next page: the footer,
# the next page's header, a table's header row repeated.
BETWEEN = 100
TIMEOUT = 120  # seconds for pdftotext to read one PDF
# Steps of aligning words beyond which the commonest words are not aligned (an example
# paper takes about 20,000; a hostile document of one word repeated, billions).
ALIGNING = 2_000_000
QUOTED = 70  # characters of a missing piece quoted
_HYPHENATED = re.compile(r"[-\u2010\u2011\u00ad]\s*\n\s*(?=\w)")
_HYPHENS = re.compile(r"[-\u2010\u2011\u00ad]")
# A tab's leader dots (a contents line, an agenda's page column) are drawn, not typed.
_LEADERS = re.compile(r"[.\u2024\u2026\u00b7_]{4,}")

# What pypdf and the document's reader raise on a damaged file.
_UNREADABLE = (ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError)
FIX = (
    "LibreOffice left it out as it laid out the pages, and nothing was written; look at "
    "that part of the document in LibreOffice Writer (a table row taller than a page, a "
    "table starting at the foot of a page, text in a frame that does not fit), change it "
    "or update LibreOffice, and run again"
)


@dataclass(frozen=True)
class Checked:
    """What a check found: the pieces of the document it looked for, and those missing."""

    pieces: int
    missing: tuple[Piece, ...]


def check(name: str, document: bytes, pdf: bytes, withhold: bool = False) -> int:
    """The number of pieces of `document` (a .docx) found in `pdf`, made from it;
    IncompletePdf naming `name` and what is missing if any is not there. What is missing
    is quoted unless `withhold` is set or the document is marked NOT FOR PUBLICATION: an
    exempt paper's text goes no further than its pack."""
    from pypdf.errors import PyPdfError

    try:
        found = compare(document, pdf)
    except (PyPdfError, *_UNREADABLE) as exc:
        raise IncompletePdf(
            [
                Problem(
                    name,
                    None,
                    "",
                    f"LibreOffice made a PDF of it that cannot be read ({type(exc).__name__})",
                    "run again; if it happens again, check the document opens in Word or "
                    "LibreOffice",
                )
            ]
        ) from None
    if found.missing:
        quoted = not withhold and not not_for_publication(document)
        raise IncompletePdf([missing_problem(name, found.missing, quoted)])
    return found.pieces


def problems(name: str, document: bytes, pdf: bytes, withhold: bool = False) -> list[Problem]:
    """What `check` finds wrong with the PDF, as problems (none if it is whole)."""
    try:
        check(name, document, pdf, withhold)
    except IncompletePdf as exc:
        return list(exc.problems)
    return []


def compare(document: bytes, pdf: bytes) -> Checked:
    """Which pieces of `document` (a .docx) are not in `pdf`."""
    body, furniture = printed_text(pdf)
    wanted = pieces(document)
    missing = unmatched([p for p in wanted if not p.loose], body)
    everything = body + " " + furniture
    missing += [p for p in wanted if p.loose and _key(p.text).strip() not in everything]
    return Checked(len(wanted), tuple(missing))


def missing_problem(name: str, missing: Sequence[Piece], quoted: bool = True) -> Problem:
    """One problem for a document's missing pieces: the first few places, each with what
    is missing there (unless not `quoted`), and how many more."""
    places: dict[str, list[str]] = {}
    for piece in missing:
        places.setdefault(piece.where, []).append(piece.text)
    said = [
        f"'{_quoted(' | '.join(texts))}' from {where}" if quoted else where
        for where, texts in places.items()
    ]
    more = len(said) - SHOWN
    what = "the PDF is missing " + ("" if quoted else "text from ") + ", ".join(said[:SHOWN])
    if more > 0:
        what += f", and text from {more} more place{'s' if more > 1 else ''}"
    if not quoted:
        what += " (not quoted: the document is not for publication)"
    return Problem(name, None, "", what, FIX)


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTED else text[: QUOTED - 1].rstrip() + "…"


def normalised(text: str) -> str:
    """`text` as compared: whole words between single spaces, with a space at each end."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _HYPHENS.sub("", _HYPHENATED.sub("", text))
    text = _LEADERS.sub(" ", text)
    return " " + " ".join(text.split()) + " "


def _key(text: str) -> str:
    return normalised(text)


def printed_text(pdf: bytes) -> tuple[str, str]:
    """The PDF's text, normalised: what its pages print in the order it is drawn, and its
    page furniture (artifacts: headers, footers, repeated table headers) where it is read
    apart. Read by poppler's pdftotext where it is installed (twenty times as fast: the
    service has it for page pictures), else by pypdf, which reads artifacts apart."""
    reader = pdftotext()
    if reader is not None:
        try:
            read = subprocess.run(
                [reader, "-raw", "-enc", "UTF-8", "-nopgbrk", "-", "-"],
                input=pdf, capture_output=True, timeout=TIMEOUT, check=False,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired):
            read = None
        if read is not None and read.returncode == 0:
            return normalised(read.stdout.decode("utf-8", errors="replace")), " "
    return _read_by_pypdf(pdf)


def pdftotext() -> str | None:
    """poppler's pdftotext program, if it is installed."""
    return shutil.which("pdftotext")


def _read_by_pypdf(pdf: bytes) -> tuple[str, str]:
    from pypdf import PdfReader

    reading = _Reading()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        reading.marked.clear()
        page.extract_text(visitor_operand_before=reading.operator, visitor_text=reading.text)
        reading.body.append("\n")
        reading.furniture.append("\n")
    return normalised("".join(reading.body)), normalised("".join(reading.furniture))


class _Reading:
    """The text read from a PDF's pages so far, the artifacts' apart."""

    def __init__(self) -> None:
        self.body: list[str] = []
        self.furniture: list[str] = []
        self.marked: list[bool] = []  # for each marked-content sequence open: an artifact?

    def operator(self, operator: bytes, operands: Any, *_: Any) -> None:
        if operator in (b"BDC", b"BMC"):
            self.marked.append(bool(operands) and operands[0] == "/Artifact")
        elif operator == b"EMC" and self.marked:
            self.marked.pop()

    def text(self, said: str, *_: Any) -> None:
        (self.furniture if any(self.marked) else self.body).append(said)


def unmatched(wanted: Sequence[Piece], text: str) -> list[Piece]:
    """The pieces not found in `text`, each word of which serves one piece. The document's
    words are aligned with the PDF's (difflib, longest runs first); a piece whose words
    are all aligned, in order and close together, is found where it is; the rest are
    looked for anywhere not taken, longest first (a short piece taking a word out of a
    paragraph would miss the paragraph). Where some are missing so, all are matched again
    longest first, anywhere: what is missing both ways is missing, as the first way names
    it (the lost row, not a chart's heading that repeats the row's words)."""
    keyed = [(piece, words) for piece in wanted if (words := _key(piece.text).split())]
    printed = text.split()
    document = [word for _, words in keyed for word in words]
    at = _aligned(document, printed)
    taken = [False] * len(printed)
    later = []
    start = 0
    for piece, words in keyed:
        where = at[start : start + len(words)]
        start += len(words)
        if (
            min(where) >= 0
            and all(a < b for a, b in itertools.pairwise(where))
            and where[-1] - where[0] < len(words) + BETWEEN
        ):
            for index in where:
                taken[index] = True
        else:
            later.append((piece, words))
    missing = _anywhere(later, printed, taken)
    if missing and not _anywhere(keyed, printed, [False] * len(printed)):
        return []
    return missing


def _aligned(document: list[str], printed: list[str]) -> list[int]:
    """Where each word of the document is in the PDF's words (-1 where it is not), as
    difflib aligns them. Its work grows with how often each word recurs: where that is
    beyond ALIGNING (a hostile document of one word many times over), words that make up
    more than one in a hundred are left to be found anywhere."""
    counts = Counter(printed)
    work = sum(counts[word] for word in document)
    matcher = difflib.SequenceMatcher(None, document, printed, autojunk=work > ALIGNING)
    at = [-1] * len(document)
    for start, found, size in matcher.get_matching_blocks():
        at[start : start + size] = range(found, found + size)
    return at


def _anywhere(
    keyed: Sequence[tuple[Piece, list[str]]], printed: list[str], taken: list[bool]
) -> list[Piece]:
    """The pieces whose words are not side by side in `printed` where none is `taken`,
    matched longest first; `taken` is marked with what is found. Each search for a text
    goes on from where the last search for it ended: what it passed stays taken."""
    text = " " + " ".join(printed) + " "
    spaces = list(itertools.accumulate((len(word) + 1 for word in printed[:-1]), initial=0))
    resume: dict[str, int] = {}
    missing = []
    for piece, words in sorted(keyed, key=lambda pair: -len(" ".join(pair[1]))):
        key = " " + " ".join(words) + " "
        at = text.find(key, resume.get(key, 0))
        while at >= 0:
            first = bisect.bisect_left(spaces, at)  # the space before word n is the nth
            if not any(taken[first : first + len(words)]):
                break
            at = text.find(key, at + 1)
        if at < 0:
            missing.append(piece)
            resume[key] = len(text)
            continue
        taken[first : first + len(words)] = [True] * len(words)
        resume[key] = at + 1
    order = {id(piece): index for index, (piece, _) in enumerate(keyed)}
    return sorted(missing, key=lambda piece: order[id(piece)])
