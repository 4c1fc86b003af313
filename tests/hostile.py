"""The harness behind test_hostile.py: plant bad input in a copy of a built project, run the
real command line in a subprocess with a time and a memory limit, and record what it did.

A case is an id, a `plant` function that spoils a project copy (given a `Where`), the
command's arguments, and what must happen (`Refuse`, `Survive`, `NoLeak` or `Accept`).
`run_cases` runs the cases two at a time (one process per core) from a single thread, so
that `preexec_fn` is safe to use, and returns an `Outcome` for each: exit code, output,
every file written outside `.cache/`, and the text of the documents to search for leaks.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 60  # seconds: a command still running after this has hung
MEMORY = 3 << 30  # bytes of address space (RLIMIT_AS), or of memory for LibreOffice cases
WORKERS = 2
SOME_LINE = "some"  # Refuse(line=SOME_LINE): the problem must give a line, any line
LAST_LINE = "last"  # Refuse(line=LAST_LINE): the file's last line (a row added at its end)

# A problem line as the command line prints it: `FILE[:LINE]: [KEY: ]what — fix`.
PROBLEM_LINE = re.compile(r"^(?!warning: )\S[^:]*(:\d+)?: .+ — .+")
# What else a refused run may print on stderr: warnings, and the count at the end.
OTHER_LINE = re.compile(r"^warning: .+ — .+|^\d+ problems? found\b")


# --- What a case expects ---------------------------------------------------------------------


@dataclass(frozen=True)
class Refuse:
    """Exit 1, nothing written, and a problem line naming `file` (a project-relative path
    as printed, or a regex; None: any line with the fragments), at `line` (None: not
    checked; SOME_LINE: any; LAST_LINE: the file's last line once planted; a tuple: one of
    them), with `key` (the text after the location starts `KEY: `; a
    regex is matched there instead; None: not checked), a fix after " — ", and each of
    `fragments` (text, case-insensitive, or a regex) somewhere in the line."""

    file: str | re.Pattern[str] | None
    line: int | tuple[int, ...] | str | None = None
    key: str | re.Pattern[str] | None = None
    fragments: tuple[str | re.Pattern[str], ...] = ()

    def matches(self, text: str) -> bool:
        if text.startswith("warning: ") or " — " not in text:
            return False
        rest = text
        if self.file is not None:
            pattern = self.file if isinstance(self.file, re.Pattern) else re.escape(self.file)
            pattern = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
            found = re.match(rf"(?:{pattern}):(?:(\d+):)? ?", text)
            if not found:
                return False
            number = int(found.group(1)) if found.group(1) else None
            if self.line == SOME_LINE and number is None:
                return False
            if isinstance(self.line, int) and number != self.line:
                return False
            if isinstance(self.line, tuple) and number not in self.line:
                return False
            rest = text[found.end() :]
        if isinstance(self.key, str) and not rest.startswith(f"{self.key}: "):
            return False
        if isinstance(self.key, re.Pattern) and not self.key.match(rest):
            return False
        for fragment in self.fragments:
            if isinstance(fragment, re.Pattern):
                if not fragment.search(text):
                    return False
            elif fragment.lower() not in text.lower():
                return False
        return True

    def __str__(self) -> str:
        file = self.file.pattern if isinstance(self.file, re.Pattern) else self.file
        line = "|".join(map(str, self.line)) if isinstance(self.line, tuple) else self.line
        where = f"{file or '…'}" + (f":{line}" if line is not None else "")
        key = self.key.pattern if isinstance(self.key, re.Pattern) else self.key
        text = f"{where}: {key + ': ' if key else ''}… — …"
        if self.fragments:
            shown = [f.pattern if isinstance(f, re.Pattern) else f for f in self.fragments]
            text += f"   (containing {', '.join(map(repr, shown))})"
        return text


@dataclass(frozen=True)
class Survive:
    """Exit 0 or 1 in time, without a crash; if 1, with a problem line and nothing written.
    For inputs where refusing and accepting are both reasonable."""


@dataclass(frozen=True)
class NoLeak:
    """Exit 0 or 1 without a crash (if 1: a problem line, nothing written); none of
    `forbidden` in any public document the command wrote (names starting with one of `skip`
    are not public: the exempt pack)."""

    forbidden: tuple[str, ...]
    skip: tuple[str, ...] = ("exempt-",)


@dataclass(frozen=True)
class Accept:
    """Exit 0: input that is fine. Each of `present` is in the documents written, none of
    `absent` is."""

    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


Expectation = Refuse | Survive | NoLeak | Accept


@dataclass(frozen=True)
class Case:
    id: str
    plant: Callable[[Where], object]
    args: tuple[str, ...]
    expect: Expectation
    seconds: float = TIMEOUT  # less for input that must fail fast (YAML bombs)

    def __repr__(self) -> str:
        return f"Case({self.id!r})"

    @property
    def libreoffice(self) -> bool:
        """Whether the command runs LibreOffice (then no RLIMIT_AS: it maps a lot)."""
        return self.args[0] == "pack" or "--pdf" in self.args


# --- Planting bad input ----------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """A case's folders: `root`, the project copy (also the working folder); `outside`, a
    folder beside it for files outside the project; `marker`, a file that a hostile shell
    command would create and so must never exist."""

    root: Path
    outside: Path
    marker: Path

    def __truediv__(self, relative: str) -> Path:
        return self.root / relative

    def text(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")

    def run(self, *args: str) -> None:
        """Runs reportgen as a setup step of a case; it must succeed."""
        done = subprocess.run(
            [sys.executable, "-m", "reportgen", *args],
            cwd=self.root,
            env=environment(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT * 3,
            check=False,
        )
        assert done.returncode == 0, f"setup `reportgen {' '.join(args)}` failed:\n{done.stderr}"

    def fill(self, text: str) -> str:
        """`text` with MARKER and OUTSIDE spelt out for this case."""
        return text.replace("MARKER", str(self.marker)).replace("OUTSIDE", str(self.outside))

    def path(self, name: str) -> Path:
        """A path of the project, or (written OUTSIDE/…, or absolute) outside it."""
        path = Path(self.fill(name))
        return path if path.is_absolute() else self.root / path


Plant = Callable[[Where], object]


def chain(*plants: Plant) -> Plant:
    def plant(where: Where) -> None:
        for each in plants:
            each(where)

    return plant


def typed(*ids: str) -> Plant:
    """Makes indicators counted from case records typed again (conftest.type_counted), so
    that a figure can be planted in a data row."""
    from conftest import type_counted

    def plant(where: Where) -> None:
        type_counted(where.root, *ids)

    return plant


def nothing(where: Where) -> None:
    """Plants nothing (the bad input is in the command's arguments)."""


def replace(relative: str, old: str, new: str | Callable[[], str]) -> Plant:
    """Replaces the first `old` (which must be there) with `new` (or what it makes, for
    very long text); MARKER and OUTSIDE in `new` are spelt out."""

    def plant(where: Where) -> None:
        text = where.text(relative)
        assert old in text, f"{old!r} not in {relative}"
        added = where.fill(new() if callable(new) else new)
        (where / relative).write_text(text.replace(old, added, 1), encoding="utf-8")

    return plant


def replace_bytes(relative: str, old: bytes, new: bytes) -> Plant:
    def plant(where: Where) -> None:
        content = (where / relative).read_bytes()
        assert old in content, f"{old!r} not in {relative}"
        (where / relative).write_bytes(content.replace(old, new, 1))

    return plant


def insert(relative: str, line: int, text: str | bytes | Callable[[], str]) -> Plant:
    """Inserts `text` (one or more whole lines; or what it makes) so that it starts on line
    `line`."""

    def plant(where: Where) -> None:
        content = (where / relative).read_bytes()
        made = text() if callable(text) else text
        added = made if isinstance(made, bytes) else where.fill(made).encode()
        lines = content.splitlines(keepends=True)
        assert len(lines) >= line - 1, f"{relative} has only {len(lines)} lines"
        lines.insert(line - 1, added if added.endswith(b"\n") else added + b"\n")
        (where / relative).write_bytes(b"".join(lines))

    return plant


def append(relative: str, text: str | bytes) -> Plant:
    """Adds `text` as the file's last line(s)."""

    def plant(where: Where) -> None:
        path = where / relative
        content = path.read_bytes()
        added = text if isinstance(text, bytes) else where.fill(text).encode()
        if content and not content.endswith(b"\n"):
            content += b"\n"
        path.write_bytes(content + added + (b"" if added.endswith(b"\n") else b"\n"))

    return plant


def write(relative: str, content: str | bytes | Callable[[Where], bytes]) -> Plant:
    """Writes a file of the project (its folders made as needed)."""

    def plant(where: Where) -> None:
        path = where.path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            path.write_bytes(content(where))
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(where.fill(content), encoding="utf-8")

    return plant


def copy(source: str, destination: str) -> Plant:
    """Copies a file of the project (or, with OUTSIDE in `destination`, to outside it)."""

    def plant(where: Where) -> None:
        target = where.path(destination)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(where / source, target)

    return plant


def remove(relative: str) -> Plant:
    def plant(where: Where) -> None:
        path = where / relative
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()

    return plant


def symlink(relative: str, target: str) -> Plant:
    """Makes `relative` (replacing any file there) a link to `target` (MARKER and OUTSIDE
    spelt out)."""

    def plant(where: Where) -> None:
        path = where.path(relative)
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir():
            shutil.rmtree(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(where.fill(target))

    return plant


def mkdir(relative: str) -> Plant:
    def plant(where: Where) -> None:
        path = where / relative
        if path.is_file():
            path.unlink()
        path.mkdir(parents=True, exist_ok=True)

    return plant


def fifo(relative: str) -> Plant:
    def plant(where: Where) -> None:
        os.mkfifo(where / relative)

    return plant


def edit_zip(relative: str, part: str, change: Callable[[Where, bytes], bytes | None]) -> Plant:
    """Rewrites one part of a zip file (a .docx or .xlsx); `change` returns the part's new
    content, or None to leave it out."""

    def plant(where: Where) -> None:
        path = where / relative
        with zipfile.ZipFile(path) as old:
            parts = [(info, old.read(info)) for info in old.infolist()]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
            for info, content in parts:
                if info.filename == part:
                    changed = change(where, content)
                    if changed is None:
                        continue
                    content = changed
                new.writestr(info.filename, content)
        path.write_bytes(buffer.getvalue())

    return plant


def xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def in_template(template: str, expression: str, placeholder: str = "{{ subject }}") -> Plant:
    """Puts `expression` (MARKER spelt out) in a Word template where `placeholder` was."""

    def change(where: Where, xml: bytes) -> bytes:
        text = xml.decode()
        assert placeholder in text, f"{placeholder} not in {template}"
        return text.replace(placeholder, xml_text(where.fill(expression)), 1).encode()

    return edit_zip(f"templates/{template}.docx", "word/document.xml", change)


def template_paragraph(
    template: str, expression: str, part: str = "word/document.xml", *, xml: bool = False
) -> Plant:
    """Adds a paragraph holding `expression` (or, with `xml`, the paragraph's own Word XML)
    at the end of a Word template's body, or of a footer."""
    end = "</w:ftr>" if "footer" in part else "<w:sectPr"

    def change(where: Where, content: bytes) -> bytes:
        text = content.decode()
        paragraph = (
            expression
            if xml
            else f'<w:p><w:r><w:t xml:space="preserve">{xml_text(where.fill(expression))}'
            "</w:t></w:r></w:p>"
        )
        index = text.rindex(end)
        return (text[:index] + paragraph + text[index:]).encode()

    return edit_zip(f"templates/{template}.docx", part, change)


def field_paragraph(instruction: str) -> str:
    """Word XML for a paragraph that is one field, e.g. INCLUDETEXT "/etc/passwd", showing
    stale placeholder text as its result until the field is updated."""
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {xml_text(instruction)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Minutes</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


# --- Making bad files ------------------------------------------------------------------------


def random_bytes(size: int, seed: int = 1) -> bytes:
    import random

    return random.Random(seed).randbytes(size)


def laughs(key: str, indent: str = "", levels: int = 9) -> str:
    """`key:` holding a "billion laughs": each level nine aliases of the one before."""
    lines = [f"{indent}{key}:", f"{indent}  - &l0 [" + ", ".join(["lol"] * 9) + "]"]
    for level in range(1, levels):
        lines.append(f"{indent}  - &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def zip_bomb(relative: str) -> Plant:
    """Makes a Word document's main part unpack to over a gigabyte (of spaces)."""

    def plant(where: Where) -> None:
        path = where / relative
        with zipfile.ZipFile(path) as old:
            parts = [(info.filename, old.read(info)) for info in old.infolist()]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new:
            for name, content in parts:
                if name != "word/document.xml":
                    new.writestr(name, content)
                    continue
                head, tail = content.split(b"<w:body>", 1)
                with new.open(name, "w", force_zip64=True) as part:
                    part.write(head + b"<w:body>")
                    spaces = b" " * (1 << 20)
                    for _ in range(1100):
                        part.write(spaces)
                    part.write(tail)

    return plant


def encrypted_pdf(where: Where, source: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(where / source).pages:
        writer.add_page(page)
    writer.encrypt("pw")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx_with_field(instruction: str) -> Callable[[Where], bytes]:
    """A Word document (from the example's information report template) whose body is one
    field, e.g. INCLUDETEXT "/etc/passwd", with stale placeholder text as its result."""

    def make(where: Where) -> bytes:
        with zipfile.ZipFile(where / "templates/information_report.docx") as old:
            parts = [(info.filename, old.read(info)) for info in old.infolist()]
        body = f"<w:body>{field_paragraph(instruction)}<w:sectPr/></w:body>"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
            for name, content in parts:
                if name == "word/document.xml":
                    text = content.decode()
                    start, stop = text.index("<w:body>"), text.index("</w:body>") + 9
                    content = (text[:start] + body + text[stop:]).encode()
                new.writestr(name, content)
        return buffer.getvalue()

    return make


# --- Running ---------------------------------------------------------------------------------


def environment() -> dict[str, str]:
    """The test's environment, without REPORTGEN_DEBUG, importing this checkout's reportgen
    (whichever copy pip last installed)."""
    env = {k: v for k, v in os.environ.items() if k != "REPORTGEN_DEBUG"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def _limit_memory() -> None:  # runs in the child between fork and exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file, folder and link under `folder` (but not in `.cache/`) by relative path:
    a file's sha256, a link's target; other kinds (a FIFO) by kind, never opened."""
    found: dict[str, str] = {}
    for top, folders, files in os.walk(folder):
        here = Path(top)
        if here == folder and ".cache" in folders:
            folders.remove(".cache")
        for name in [*folders, *files]:
            path = here / name
            relative = str(path.relative_to(folder))
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                found[relative] = f"link to {os.readlink(path)}"
            elif stat.S_ISDIR(mode):
                found[relative] = "folder"
            elif stat.S_ISREG(mode):
                digest = hashlib.sha256()
                with path.open("rb") as handle:
                    for chunk in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(chunk)
                found[relative] = digest.hexdigest()
            else:
                found[relative] = f"special file {stat.S_IFMT(mode):o}"
    return found


def document_text(path: Path) -> str:
    """All the text a reader could see in a .docx (body, tables, headers, footers, alt text,
    properties) or a .pdf, or a text file's text; whitespace made single spaces."""
    text = ""
    try:
        if path.suffix == ".docx":
            text = _docx_text(path)
        elif path.suffix == ".pdf":
            text = subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, text=True, timeout=TIMEOUT
            ).stdout
        else:
            text = path.read_text(encoding="utf-8", errors="replace")
    except Exception as exc:  # an unreadable output is reported, not a harness crash
        text = f"<unreadable: {exc!r}>"
    return normalise(text)


def normalise(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    texts: list[str] = []

    def tables(items: Iterable[object]) -> None:
        for table in items:
            for row in table.rows:  # type: ignore[attr-defined]
                for cell in row.cells:
                    texts.extend(p.text for p in cell.paragraphs)
                    tables(cell.tables)

    texts.extend(p.text for p in document.paragraphs)
    tables(document.tables)
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer, section.even_page_header,
                     section.even_page_footer):  # fmt: skip
            texts.extend(p.text for p in part.paragraphs)
            tables(part.tables)
    # Everything else in the package: footnotes, text boxes, alt text, properties.
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.endswith(".xml"):
                xml = package.read(name).decode("utf-8", errors="replace")
                texts.extend(re.findall(r'(?:descr|title)="([^"]*)"', xml))
                xml = re.sub(r"<w:p[ >/]", "\n<", xml)
                texts.append(re.sub(r"<[^>]+>", "", xml))
    return "\n".join(texts)


@dataclass
class Outcome:
    case: Case
    command: str
    folder: Path
    expect: Expectation  # the case's, with LAST_LINE made a number    returncode: int | None = None
    ended: str = "exited"  # or "hang", "memory", "harness error"
    seconds: float = 0.0
    stdout: str = ""
    stderr: str = ""
    written: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # output document -> its text
    marker: bool = False

    def report(self, failures: Sequence[str]) -> str:
        def clip(text: str, most: int = 3000) -> str:
            return text if len(text) <= most else text[:most] + f"\n… ({len(text):,} characters)"

        lines = [
            f"case {self.case.id}: " + "; ".join(failures),
            f"$ cd {self.folder / 'project'} && {self.command}   (HOSTILE_KEEP=1 keeps it)",
            f"{self.ended}, exit code {self.returncode}, after {self.seconds:.1f} s",
        ]
        if isinstance(self.expect, Refuse):
            lines.append(f"expected: exit 1 and a problem line {self.expect}")
        lines += ["--- stderr ---", clip(self.stderr), "--- stdout ---", clip(self.stdout)]
        if self.written:
            lines += ["--- written ---", *self.written[:40]]
        return "\n".join(lines)


class _Job:
    """One case: its project copy planted, its command running."""

    def __init__(self, case: Case, base: Path, folder: Path) -> None:
        self.case = case
        self.folder = folder
        self.where = Where(folder / "project", folder / "outside", folder / "pwned")
        command = [sys.executable, "-m", "reportgen", *case.args]
        self.outcome = Outcome(
            case, "python3 -m reportgen " + " ".join(case.args), folder, case.expect
        )
        self.process: subprocess.Popen[bytes] | None = None
        try:
            shutil.copytree(base, self.where.root, symlinks=True)
            self.where.outside.mkdir()
            case.plant(self.where)
            self.outcome.expect = _resolved(case.expect, self.where)
            self.before = self._fingerprint()
        except Exception as exc:
            self.outcome.ended = "harness error"
            self.outcome.stderr = f"planting the case failed: {exc!r}"
            return
        self.out = (folder / "stdout").open("wb")
        self.err = (folder / "stderr").open("wb")
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            command,
            cwd=self.where.root,
            env=environment(),
            stdin=subprocess.DEVNULL,
            stdout=self.out,
            stderr=self.err,
            start_new_session=True,  # its own process group, so a hang is ended whole
            preexec_fn=None if case.libreoffice else _limit_memory,
        )

    def _fingerprint(self) -> dict[str, str]:
        found = {f"{k}": v for k, v in fingerprint(self.where.root).items()}
        found.update({f"../outside/{k}": v for k, v in fingerprint(self.where.outside).items()})
        return found

    def done(self) -> bool:
        if self.process is None or self.process.poll() is not None:
            return True
        elapsed = time.monotonic() - self.started
        if elapsed > self.case.seconds:
            self._end("hang")
            return True
        if self.case.libreoffice and _resident(self.process.pid) > MEMORY:
            self._end("memory")  # no RLIMIT_AS here: watch reportgen's own memory instead
            return True
        return False

    def _end(self, why: str) -> None:
        assert self.process is not None
        self.outcome.ended = why
        os.killpg(self.process.pid, signal.SIGKILL)  # its group: never reaped until wait()
        self.process.wait()

    def finish(self) -> Outcome:
        outcome = self.outcome
        if self.process is None:
            return outcome
        outcome.seconds = time.monotonic() - self.started
        outcome.returncode = self.process.returncode if outcome.ended == "exited" else None
        self.out.close()
        self.err.close()
        outcome.stdout = (self.folder / "stdout").read_text(encoding="utf-8", errors="replace")
        outcome.stderr = (self.folder / "stderr").read_text(encoding="utf-8", errors="replace")
        outcome.marker = self.where.marker.exists()
        after = self._fingerprint()
        for path in sorted(set(self.before) | set(after)):
            was, now = self.before.get(path), after.get(path)
            if was != now:
                what = "new" if was is None else "removed" if now is None else "changed"
                outcome.written.append(f"{what} {path}")
        if isinstance(self.case.expect, NoLeak | Accept):
            outcome.texts = self._documents(after)
        return outcome

    def _documents(self, after: dict[str, str]) -> dict[str, str]:
        """The text of every document the command wrote: those it names (`wrote PATH`) and
        any new or changed .docx or .pdf."""
        named = [
            line.removeprefix("wrote ").strip()
            for line in self.outcome.stdout.splitlines()
            if line.startswith("wrote ")
        ]
        changed = [w.split(" ", 1)[1] for w in self.outcome.written if not w.startswith("rem")]
        texts = {}
        for name in dict.fromkeys([*named, *changed]):
            path = self.where.root / name
            if path.suffix in (".docx", ".pdf") and path.is_file() and not path.is_symlink():
                texts[name] = document_text(path)
        return texts


def _resolved(expect: Expectation, where: Where) -> Expectation:
    """`expect` with LAST_LINE made the number of the expected file's last line."""
    if isinstance(expect, Refuse) and expect.line == LAST_LINE:
        assert isinstance(expect.file, str), "LAST_LINE needs the file's path"
        lines = where.path(expect.file).read_bytes().splitlines()
        return dataclasses.replace(expect, line=len(lines))
    return expect


class Outcomes(dict[str, Outcome]):
    """Outcomes by case id (shown briefly when a test fails)."""

    def __repr__(self) -> str:
        return f"<{len(self)} outcomes>"


def _resident(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(found.group(1)) * 1024 if found else 0


def run_cases(cases: Sequence[Case], base: Path, scratch: Path, *, keep: bool = False) -> Outcomes:
    """Runs every case, WORKERS at a time, each in its own copy of `base` under `scratch`
    (deleted afterwards unless `keep`). Returns the outcomes by case id."""
    waiting = deque(cases)
    running: list[_Job] = []
    outcomes = Outcomes()
    while waiting or running:
        while waiting and len(running) < WORKERS:
            case = waiting.popleft()
            running.append(_Job(case, base, scratch / case.id))
        time.sleep(0.05)
        for job in [j for j in running if j.done()]:
            running.remove(job)
            try:
                outcomes[job.case.id] = job.finish()
            except Exception as exc:
                job.outcome.ended = "harness error"
                job.outcome.stderr += f"\nrecording the outcome failed: {exc!r}"
                outcomes[job.case.id] = job.outcome
            if not keep:
                shutil.rmtree(job.folder, ignore_errors=True)
    return outcomes


# --- Judging ---------------------------------------------------------------------------------


def failures(outcome: Outcome) -> list[str]:
    """What is wrong with an outcome, in words; empty when the case passes."""
    case, expect = outcome.case, outcome.expect
    if outcome.ended == "harness error":
        return ["the test harness failed"]
    found: list[str] = []
    if outcome.ended != "exited":
        found.append(f"{outcome.ended} (limit {case.seconds:g} s, {MEMORY >> 30} GiB)")
    both = outcome.stdout + outcome.stderr
    if "Traceback" in both or "failed unexpectedly" in both:
        found.append("it crashed (a traceback or 'failed unexpectedly')")
    if outcome.marker:
        found.append("a hostile shell command ran (the marker file exists)")
    problems = [line for line in outcome.stderr.splitlines() if PROBLEM_LINE.match(line)]
    refused = outcome.returncode == 1
    if isinstance(expect, Refuse):
        if outcome.returncode == 0:
            found.append("exit code 0: the bad input was accepted")
        if not any(expect.matches(line) for line in outcome.stderr.splitlines()):
            found.append("no problem line as expected")
    elif isinstance(expect, Accept):
        if outcome.returncode != 0:
            found.append(f"exit code {outcome.returncode}: good input was refused")
        everything = "\n".join(outcome.texts.values())
        if outcome.returncode == 0 and not outcome.texts:
            found.append("no document was written")
        found += [
            f"{t!r} is not in the documents"
            for t in expect.present
            if normalise(t) not in everything
        ]
        found += [f"{t!r} is in the documents" for t in expect.absent if normalise(t) in everything]
    elif refused and not problems:
        found.append("exit code 1 without a problem line `FILE:LINE: KEY: what — fix`")
    stray = [
        line
        for line in outcome.stderr.splitlines()
        if line.strip() and not PROBLEM_LINE.match(line) and not OTHER_LINE.match(line)
    ]
    if refused and stray:
        found.append(f"stderr has lines that are not problems: {stray[0][:80]!r}")
    if isinstance(expect, NoLeak):
        for name, text in outcome.texts.items():
            if Path(name).name.startswith(expect.skip):
                continue
            found += [f"{t!r} leaked into {name}" for t in expect.forbidden if normalise(t) in text]
    if (refused or isinstance(expect, Refuse)) and outcome.written:
        found.append("a refused run wrote files: " + ", ".join(outcome.written[:5]))
    if outcome.returncode not in (0, 1, None):
        crash = ": reportgen failed unexpectedly" if outcome.returncode == 2 else ""
        found.append(f"exit code {outcome.returncode}{crash}")
    return found
