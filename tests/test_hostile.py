"""Hostile and bad input, through the real command line: every case is refused with a message,
never a crash, a hang, a run shell command, a written file or a leaked figure.

The harness (tests/hostile.py):
- A session fixture copies the example project (config/, data/, templates/), builds every
  paper, publishes the 4 November 2026 performance report and packs its meeting, so that
  there are earlier good papers, packs and published records to protect, and the caches are
  warm.
- Each case copies that project (with .cache/), plants its bad input, and runs
  `python3 -m reportgen ARGS` in a subprocess, from the project folder (so paths print
  relative), with REPORTGEN_DEBUG unset, a 60 s time limit (a hang fails) and a 3 GiB
  address-space limit (RLIMIT_AS; cases that run LibreOffice, `pack` and `build --pdf`,
  get no RLIMIT_AS: reportgen's own resident memory is watched instead).
- Every file under the project (but .cache/) and in a folder beside it is hashed before and
  after: a refused run must leave all of them, out/ and data/published/ included, byte for
  byte as they were, and create nothing.
- Hostile shell commands touch a marker file beside the project, which must never exist.
- Cases run two at a time (one per core) from one thread; each test then judges one case.

Each case is a row: an id, what it plants, the arguments, and what must happen:
- `Refuse(file, line, key, fragments)`: exit 1, no traceback, and a problem line
  `FILE:LINE: KEY: what — fix` with that file, line and key (None: not checked), a fix after
  " — ", and the (few, loose) fragments.
- `Survive()`: where refusing and accepting are both reasonable: exit 0 or 1 in time,
  without a crash; if refused, a problem line and nothing written.
- `NoLeak(forbidden)`: exit 0 or 1 without a crash, and no forbidden text in any public
  document written (.docx read with python-docx and from its XML, .pdf with pdftotext).
- `Accept(present, absent)`: input that is fine (CRLF, a BOM, a header-only data file).

Decisions recorded here: an empty (0-byte) data file is refused (an export that failed); a
data file with its header row and no rows is accepted (nothing to report yet).

Set HOSTILE_KEEP=1 to keep every case's project copy for a look afterwards, and
HOSTILE_SUMMARY=FILE to write one line a case (how it ended, exit code, time, verdict and
the first lines of its stderr).
"""

from __future__ import annotations

import io
import os
import re
import shutil
from pathlib import Path

import pytest
from hostile import (
    LAST_LINE,
    REPO,
    SOME_LINE,
    Accept,
    Case,
    NoLeak,
    Outcome,
    Plant,
    Refuse,
    Survive,
    Where,
    append,
    chain,
    copy,
    docx_with_field,
    edit_zip,
    encrypted_pdf,
    failures,
    field_paragraph,
    fifo,
    in_template,
    insert,
    laughs,
    mkdir,
    nothing,
    random_bytes,
    remove,
    replace,
    replace_bytes,
    run_cases,
    symlink,
    template_paragraph,
    typed,
    write,
    xlsx,
    zip_bomb,
)

from reportgen import Workspace

NI = "data/narrative/2011-01-18-ni59-ni60.yaml"
PERF = "data/narrative/2026-11-04-childrens-performance-report.yaml"
EXEMPT = "data/narrative/2026-11-04-high-cost-placements.yaml"
SCORE = "data/narrative/2026-12-08-childrens-services-scorecard.yaml"
MEETING = "data/meetings/2026-11-04-children-and-young-people-scrutiny-panel.yaml"
PANEL = "out/2026-11-04-children-and-young-people-scrutiny-panel"
AUTHORITY = "config/authority.yaml"
CATALOGUE = "config/indicators.yaml"
ASSESS = "data/indicators/assessments-2010-11.csv"
SCORECARD = "data/indicators/scorecard-2026-27.csv"
BENCHMARKS = "data/benchmarks/assessments-2009-10.csv"
DFE = "data/dfe/la_cla_placement_stability.csv"  # Harrow's LAC2 row is line 944
SNAPSHOT = (
    "data/published/2026-09-09-children-and-young-people-scrutiny-panel/"
    "2026-09-09-childrens-performance-report.json"
)
TEMPLATE = "templates/information_report.docx"

BUILD_NI = ("build", NI)
BUILD_PERF = ("build", PERF)
BUILD_SCORE = ("build", SCORE)
PACK = ("pack", MEETING)
FAST = 15  # seconds: YAML bombs must fail fast

# Loose fragments, so that wording can still change.
REFUSED = re.compile(
    r"not allowed|may not|unsafe|unknown|not have|no filter|"
    r"too (much|large|long|big|many|deep)|more than|limit",
    re.I,
)  # refused as not allowed, too large, or an unknown name
TOO_MUCH = re.compile(r"too (much|large|long|big|many|deep)|more than|limit", re.I)
NESTED = re.compile(r"nest|deep|depth", re.I)
SIZE = re.compile(r"large|long|big|size|MB", re.I)
OUTSIDE = re.compile(r"outside|link", re.I)
ALIAS = "alias"
KEY_FILE = re.compile(r"[^:—]*file[^:—]*: ")  # `items[2].file`, `item 3 file`, …
KEY_NARRATIVE = re.compile(r"[^:—]*narrative[^:—]*: ")


def column(prefix: str) -> re.Pattern[str]:
    """The 1-based column of a byte that follows `prefix` on its line, as a whole number."""
    return re.compile(rf"\b{len(prefix.encode()) + 1}\b")


# --- Hostile expressions ---------------------------------------------------------------------
# (id, expression, expected key or None, fragments). MARKER is the file a shell command would
# create. In a Word template an unknown name is the problem's key; in narrative, the field's.

# fmt: off
ESCAPES = [
    ("cycler-globals-os-popen", '{{ cycler.__init__.__globals__.os.popen("touch MARKER").read() }}', "cycler"),
    ("lipsum-globals-os-popen", '{{ lipsum.__globals__["os"].popen("touch MARKER").read() }}', "lipsum"),
    ("joiner-globals-os-system", '{{ joiner.__init__.__globals__.os.system("touch MARKER") }}', "joiner"),
    ("namespace-globals-os-system", '{{ namespace.__init__.__globals__.os.system("touch MARKER") }}', "namespace"),
    ("lipsum-globals", "{{ lipsum.__globals__ }}", "lipsum"),
    ("config-object", "{{ config }}", "config"),
    ("request-object", "{{ request }}", "request"),
]
DUNDERS = [
    ("str-mro-subclasses", "{{ ''.__class__.__mro__[1].__subclasses__() }}"),
    ("subclasses-popen-loop", '{% for c in "".__class__.__mro__[1].__subclasses__() %}{% if c.__name__ == "Popen" %}{{ c(["touch", "MARKER"]) }}{% endif %}{% endfor %}'),
    ("self-template-context", "{{ self._TemplateReference__context }}"),
    ("self-builtins-import", '{{ self.__init__.__globals__.__builtins__.__import__("os").system("touch MARKER") }}'),
    ("subscript-dunder", '{{ ""["__class__"]["__mro__"] }}'),
    ("loop-globals", "{% for x in [1] %}{{ loop.__class__.__init__.__globals__ }}{% endfor %}"),
    ("macro-globals", "{% macro m() %}{% endmacro %}{{ m.__init__.__globals__ }}"),
    ("attr-filter", '{{ ""|attr("__class__") }}'),
    ("format-field-walk", '{{ "{0.__class__.__base__.__subclasses__}".format("") }}'),
]
LOADERS = [
    ("include", '{% include "x" %}'),
    ("include-etc-passwd", '{% include "/etc/passwd" %}'),
    ("extends-config", '{% extends "../config/authority.yaml" %}'),
    ("import", '{% import "x" as x %}{{ x }}'),
]
DOUBLING = '{% set s = "a" %}' + "{% set s = s ~ s %}" * 40 + "{{ s|length }}"
HUGE = [
    ("range-list", "{{ range(10**9)|list }}"),
    ("nested-range-loops", "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"),
    ("string-times-1e9", '{{ "a" * 10**9 }}'),
    ("list-times-1e9", "{{ [1] * 10**9 }}"),
    ("power-tower", "{{ 10**(10**10) }}"),
    ("percent-format-width", '{{ "%999999999d" % 1 }}'),
    ("recursive-macro", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}"),
    ("squaring-macro", "{% macro sq(n, k) %}{% if k %}{{ sq(n * n, k - 1) }}{% else %}{{ n }}{% endif %}{% endmacro %}{{ sq(9, 40) }}"),
    ("string-doubling-40-times", DOUBLING),
    ("ljust-1e9", '{{ "x".ljust(10**9) }}'),
    ("format-width-1e9", '{{ "{:>999999999}".format(1) }}'),
    ("center-filter-1e9", '{{ "x"|center(999999999) }}'),
    ("triple-loop-1000", '{% for c in "x"*1000 %}{% for d in "x"*1000 %}{% for e in "x"*1000 %}{% endfor %}{% endfor %}{% endfor %}'),
    ("loop-printing-1e7", "{% for i in range(10**7) %}xxxxxxxxxx{% endfor %}"),
]
# Only narrative has live figures: these reach for reportgen's own objects.
LIVE_FIGURES = [
    ("indicator-class", "{{ NI59.__class__ }}"),
    ("indicator-private-result", "{{ NI59._result }}"),
    ("indicator-init-globals", "{{ NI59.__init__.__globals__ }}"),
    ("method-function-globals", "{{ NI59.at.__func__.__globals__ }}"),
    ("period-subclasses", "{{ NI59.latest.period.__class__.__subclasses__() }}"),
    ("ind-mapping-class", "{{ ind.__class__.__base__ }}"),
    ("report-dict", "{{ report.__dict__ }}"),
    ("reduce-ex", "{{ NI59.__reduce_ex__(2) }}"),
    ("authority-name-format", "{{ authority.name.format }}"),
    ("format-reaches-indicator", '{{ "{0.__class__.__init__.__globals__}".format(NI59) }}'),
    ("mutate-neighbours", "{{ authority.statistical_neighbours.clear() }}"),
    ("mutate-report", '{{ report.update(period="x") }}'),
]
# Expressions that fail while working out: a message, never a crash.
FAILING = [
    ("division-by-zero", "{{ 1 / 0 }}", None),
    ("float-overflow", "{{ 2.0 ** 100000 }}", TOO_MUCH),
    ("value-to-a-huge-power", "{{ NI59.latest.value ** 100000 }}", TOO_MUCH),
    ("huge-period-argument", '{{ NI59.at("2010-09" * 100000) }}', None),
    ("indicator-as-period", "{{ NI59.ytd_at(NI59) }}", None),
    ("lipsum-million", "{{ lipsum(1000000) }}", None),
]
# fmt: on


def summary(expression: str) -> Plant:
    """The expression on line 19 of the NI59/60 paper's summary (a | block from line 18)."""
    return insert(NI, 19, "  " + expression)


# fmt: off
def expression_cases() -> list[Case]:
    cases: list[Case] = []
    # In a Word template, where `{{ subject }}` was (build fails, naming the template).
    for name, expression, key in ESCAPES:
        cases.append(Case(f"template-{name}", in_template("information_report", expression), BUILD_NI, Refuse(TEMPLATE, None, key)))
    for name, expression in DUNDERS + HUGE:
        fragments = () if "macro" in name else (REFUSED,)
        cases.append(Case(f"template-{name}", in_template("information_report", expression), BUILD_NI, Refuse(TEMPLATE, None, None, fragments)))
    for name, expression in LOADERS:
        cases.append(Case(f"template-{name}", in_template("information_report", expression), BUILD_NI, Refuse(TEMPLATE)))
    # In narrative: `data/narrative/…yaml:19: summary: …`.
    for name, expression, key in ESCAPES:
        cases.append(Case(f"narrative-{name}", summary(expression), BUILD_NI, Refuse(NI, 19, "summary", (key,))))
    for name, expression in DUNDERS + LIVE_FIGURES + LOADERS:
        cases.append(Case(f"narrative-{name}", summary(expression), BUILD_NI, Refuse(NI, 19, "summary")))
    for name, expression in HUGE:
        fragments = () if "macro" in name else (REFUSED,)
        cases.append(Case(f"narrative-{name}", summary(expression), BUILD_NI, Refuse(NI, 19, "summary", fragments)))
    for name, expression, fragment in FAILING:
        fragments = (fragment,) if fragment else ()
        cases.append(Case(f"narrative-{name}", summary(expression), BUILD_NI, Refuse(NI, 19, "summary", fragments)))
    return cases
# fmt: on


# fmt: off
CASES: list[Case] = [
    *expression_cases(),
    # --- Hostile expressions elsewhere: other templates, a footer, other narrative fields ---
    Case("template-in-footer", template_paragraph("information_report", ESCAPES[0][1], "word/footer1.xml"), BUILD_NI, Refuse(TEMPLATE, None, "cycler")),
    Case("template-new-paragraph-loops", template_paragraph("information_report", HUGE[1][1]), BUILD_NI, Refuse(TEMPLATE)),
    Case("template-performance-report", in_template("performance_report", "{{ lipsum.__globals__ }}"), BUILD_PERF, Refuse("templates/performance_report.docx", None, "lipsum")),
    Case("template-performance-index", in_template("performance_index", DUNDERS[0][1], "{{ scorecard.heading }}"), BUILD_SCORE, Refuse("templates/performance_index.docx", None, None, (REFUSED,))),
    Case("template-agenda-popen", in_template("agenda", ESCAPES[0][1], "{{ committee }}"), PACK, Refuse("templates/agenda.docx", None, "cycler")),
    Case("template-build-pdf-popen", in_template("information_report", ESCAPES[0][1]), ("build", "--pdf", NI), Refuse(TEMPLATE, None, "cycler")),
    Case("template-syntax-error", in_template("information_report", "{{ subject "), BUILD_NI, Refuse(TEMPLATE)),
    Case("template-safe-filter", in_template("information_report", "{{ subject|safe }}"), BUILD_NI, Refuse(TEMPLATE)),
    Case("template-unclosed-if", in_template("information_report", "{% if subject %}{{ subject }}"), BUILD_NI, Refuse(TEMPLATE)),
    Case("narrative-key-point-popen", insert(NI, 28, "    " + ESCAPES[0][1]), BUILD_NI, Refuse(NI, 28, "key point 1", ("cycler",))),
    Case("narrative-key-point-loops", insert(NI, 28, "    " + HUGE[1][1]), BUILD_NI, Refuse(NI, 28, "key point 1")),
    Case("narrative-section-doubling", insert(NI, 86, "      " + DOUBLING), BUILD_NI, Refuse(NI, 86, "section 3 text", (TOO_MUCH,))),
    Case("narrative-rating-change-subclasses", insert(PERF, 67, "    " + DUNDERS[0][1]), BUILD_PERF, Refuse(PERF, 67, "rating_changes.L1", (REFUSED,))),
    Case("narrative-exempt-paper-popen", insert(EXEMPT, 14, "  " + ESCAPES[0][1]), ("build", EXEMPT), Refuse(EXEMPT, 14, "summary", ("cycler",))),
    Case("publish-hostile-summary", insert(PERF, 21, "  " + HUGE[1][1]), ("publish", PERF), Refuse(PERF, 21, "summary")),
    Case("check-hostile-summary", summary(HUGE[4][1]), ("check", NI), Refuse(NI, 19, "summary", (TOO_MUCH,))),
    # --- A narrative's template: only a file in templates/ --------------------------------------
    Case("template-name-parent-path", chain(copy(TEMPLATE, "OUTSIDE/x.docx"), replace(NI, "template: information_report", "template: ../../outside/x")), BUILD_NI, Refuse(NI, 4, "template")),
    Case("template-name-absolute-path", chain(copy(TEMPLATE, "OUTSIDE/evil.docx"), replace(NI, "template: information_report", "template: OUTSIDE/evil")), BUILD_NI, Refuse(NI, 4, "template")),
    Case("template-name-backslashes", chain(copy(TEMPLATE, "OUTSIDE/x.docx"), replace(NI, "template: information_report", r"template: ..\..\outside\x")), BUILD_NI, Refuse(NI, 4, "template")),
    Case("template-name-into-config", chain(copy(TEMPLATE, "config/x.docx"), replace(NI, "template: information_report", "template: ../config/x")), BUILD_NI, Refuse(NI, 4, "template")),
    Case("template-name-through-templates", chain(copy(TEMPLATE, "config/x.docx"), replace(NI, "template: information_report", "template: templates/../config/x")), BUILD_NI, Refuse(NI, 4, "template")),
    Case("template-name-nul-byte", replace(NI, "template: information_report", 'template: "information_report\\0"'), BUILD_NI, Refuse(NI, 4, "template")),
    Case("template-name-empty", replace(NI, "template: information_report", 'template: ""'), BUILD_NI, Refuse(NI, 4, "template")),
    Case("template-name-list", replace(NI, "template: information_report", "template: [information_report]"), BUILD_NI, Refuse(NI, 4, "template")),
    Case("template-symlink-named-by-narrative", chain(copy(TEMPLATE, "OUTSIDE/evil.docx"), symlink("templates/evil.docx", "OUTSIDE/evil.docx"), replace(NI, "template: information_report", "template: evil")), BUILD_NI, Refuse(re.compile(r"templates/evil\.docx|" + re.escape(NI)), None, None, (OUTSIDE,))),
    # --- Templates that are not Word documents --------------------------------------------------
    Case("template-xlsx-renamed", write(TEMPLATE, xlsx([["a", "b"]])), BUILD_NI, Refuse(TEMPLATE)),
    Case("template-dotx-content-type", edit_zip(TEMPLATE, "[Content_Types].xml", lambda w, x: x.replace(b"document.main+xml", b"template.main+xml")), BUILD_NI, Refuse(TEMPLATE)),
    Case("template-without-document-part", edit_zip(TEMPLATE, "word/document.xml", lambda w, x: None), BUILD_NI, Refuse(TEMPLATE)),
    Case("template-truncated-xml", edit_zip(TEMPLATE, "word/document.xml", lambda w, x: x[: len(x) // 2]), BUILD_NI, Refuse(TEMPLATE)),
    Case("template-random-bytes", write(TEMPLATE, random_bytes(20_000)), BUILD_NI, Refuse(TEMPLATE)),
    Case("template-empty-file", write(TEMPLATE, b""), BUILD_NI, Refuse(TEMPLATE)),
    Case("template-is-a-folder", chain(remove(TEMPLATE), mkdir(TEMPLATE)), BUILD_NI, Refuse(TEMPLATE)),
    Case("template-symlink-outside", chain(copy(TEMPLATE, "OUTSIDE/t.docx"), symlink(TEMPLATE, "OUTSIDE/t.docx")), BUILD_NI, Refuse(TEMPLATE, None, None, (OUTSIDE,))),
    Case("template-zip-bomb", zip_bomb(TEMPLATE), BUILD_NI, Refuse(TEMPLATE)),
    # --- Meetings: supplied papers and narratives only from inside the project -----------------
    Case("supplied-parent-path", chain(copy(f"{PANEL}/2026-11-04-childrens-performance-report.docx", "OUTSIDE/x.docx"), replace(MEETING, "file: supplied/2026-09-09-minutes.pdf", "file: ../../../outside/x.docx")), PACK, Refuse(MEETING, 13, KEY_FILE)),
    Case("supplied-absolute-path", chain(copy("data/meetings/supplied/2026-09-09-minutes.pdf", "OUTSIDE/minutes.pdf"), replace(MEETING, "file: supplied/2026-09-09-minutes.pdf", "file: OUTSIDE/minutes.pdf")), PACK, Refuse(MEETING, 13, KEY_FILE)),
    Case("supplied-symlink-outside", chain(copy("data/meetings/supplied/2026-09-09-minutes.pdf", "OUTSIDE/minutes.pdf"), symlink("data/meetings/supplied/link.pdf", "OUTSIDE/minutes.pdf"), replace(MEETING, "supplied/2026-09-09-minutes.pdf", "supplied/link.pdf")), PACK, Refuse(re.compile(re.escape(MEETING) + "|data/meetings/supplied/link.pdf"), None, None, (OUTSIDE,))),
    Case("supplied-symlink-proc-environ", chain(symlink("data/meetings/supplied/env.pdf", "/proc/self/environ"), replace(MEETING, "supplied/2026-09-09-minutes.pdf", "supplied/env.pdf")), PACK, Refuse(re.compile(re.escape(MEETING) + "|data/meetings/supplied/env.pdf"), None, None, (OUTSIDE,))),
    Case("supplied-symlink-etc-passwd", chain(symlink("data/meetings/supplied/passwd.docx", "/etc/passwd"), replace(MEETING, "supplied/2026-09-09-minutes.pdf", "supplied/passwd.docx")), PACK, Refuse(re.compile(re.escape(MEETING) + "|data/meetings/supplied/passwd.docx"), None, None, (OUTSIDE,))),
    Case("supplied-random-docx", chain(write("data/meetings/supplied/paper.docx", random_bytes(30_000)), replace(MEETING, "supplied/2026-09-09-minutes.pdf", "supplied/paper.docx")), PACK, Refuse(MEETING, 13, KEY_FILE)),
    Case("supplied-xlsx-as-docx", chain(write("data/meetings/supplied/paper.docx", xlsx([["a"]])), replace(MEETING, "supplied/2026-09-09-minutes.pdf", "supplied/paper.docx")), PACK, Refuse(MEETING, 13, KEY_FILE)),
    Case("supplied-random-pdf", write("data/meetings/supplied/2026-09-09-minutes.pdf", b"%PDF-1.7\n" + random_bytes(30_000)), PACK, Refuse(MEETING, 13, KEY_FILE)),
    Case("supplied-truncated-pdf", lambda w: (p := w / "data/meetings/supplied/2026-09-09-minutes.pdf").write_bytes(p.read_bytes()[: p.stat().st_size // 2]), PACK, Refuse(MEETING, 13, KEY_FILE)),
    Case("supplied-empty-pdf", write("data/meetings/supplied/2026-09-09-minutes.pdf", b""), PACK, Refuse(MEETING, 13, KEY_FILE)),
    Case("supplied-encrypted-pdf", write("data/meetings/supplied/2026-09-09-minutes.pdf", lambda w: encrypted_pdf(w, "data/meetings/supplied/2026-09-09-minutes.pdf")), PACK, Refuse(MEETING, 13, KEY_FILE)),
    Case("supplied-fifo", chain(fifo("data/meetings/supplied/pipe.pdf"), replace(MEETING, "supplied/2026-09-09-minutes.pdf", "supplied/pipe.pdf")), PACK, Refuse("data/meetings/supplied/pipe.pdf")),
    Case("supplied-folder", replace(MEETING, "file: supplied/2026-09-09-minutes.pdf", "file: supplied"), PACK, Refuse(MEETING, 13, KEY_FILE)),
    # reportgen's own exempt paper, attached as a supplied paper to a public item.
    Case("supplied-exempt-docx", chain(copy(f"{PANEL}/2026-11-04-high-cost-placements.docx", "data/meetings/supplied/placements.docx"), replace(MEETING, "supplied/2026-09-09-minutes.pdf", "supplied/placements.docx")), PACK, Refuse(MEETING, 13, KEY_FILE)),
    Case("supplied-exempt-pdf", chain(copy(f"{PANEL}/exempt-agenda-pack.pdf", "data/meetings/supplied/placements.pdf"), replace(MEETING, "supplied/2026-09-09-minutes.pdf", "supplied/placements.pdf")), PACK, Refuse(MEETING, 13, KEY_FILE)),
    Case("meeting-narrative-parent-path", chain(copy(PERF, "OUTSIDE/paper.yaml"), replace(MEETING, "narrative: ../narrative/2026-11-04-childrens-performance-report.yaml", "narrative: ../../../outside/paper.yaml")), PACK, Refuse(MEETING, 14, KEY_NARRATIVE)),
    Case("meeting-narrative-absolute-path", chain(copy(PERF, "OUTSIDE/paper.yaml"), replace(MEETING, "narrative: ../narrative/2026-11-04-childrens-performance-report.yaml", "narrative: OUTSIDE/paper.yaml")), PACK, Refuse(MEETING, 14, KEY_NARRATIVE)),
    Case("meeting-narrative-symlink-outside", chain(copy(PERF, "OUTSIDE/paper.yaml"), remove(PERF), symlink(PERF, "OUTSIDE/paper.yaml")), PACK, Refuse(re.compile(re.escape(MEETING) + "|" + re.escape(PERF)), None, None, (OUTSIDE,))),
    Case("meeting-impossible-date", replace(MEETING, "date: 2026-11-04", "date: 2026-02-30"), PACK, Refuse(MEETING, 6, "date")),
    Case("meeting-month-13", replace(MEETING, "date: 2026-11-04", "date: 2026-13-04"), PACK, Refuse(MEETING, 6, "date")),
    Case("meeting-billion-laughs", replace(MEETING, "venue: Committee Room 1, Civic Centre\n", laughs("venue")), PACK, Refuse(MEETING, SOME_LINE, None, (ALIAS,)), FAST),
    Case("meeting-windows-1252", replace_bytes(MEETING, b"Declarations of", b"Declarations \x96 of"), PACK, Refuse(MEETING, 11, None, ("UTF-8", column("  - title: Declarations ")))),
    Case("pack-etc-passwd", nothing, ("pack", "/etc/passwd"), Refuse("/etc/passwd")),
    Case("pack-meeting-outside-project", copy(MEETING, "OUTSIDE/meeting.yaml"), ("pack", "../outside/meeting.yaml"), Refuse(re.compile(r"\S*outside/meeting\.yaml"), None, None, ("outside",))),
    # --- Links, pipes and folders where data files should be ------------------------------------
    Case("indicators-symlink-outside", chain(write("OUTSIDE/extra.csv", "indicator,period,numerator,denominator,value,status,note\nL4,2027-01,,,100,validated,\n"), symlink("data/indicators/extra.csv", "OUTSIDE/extra.csv")), BUILD_NI, Refuse("data/indicators/extra.csv", None, None, (OUTSIDE,))),
    Case("indicators-symlink-etc-passwd", symlink("data/indicators/passwd.csv", "/etc/passwd"), BUILD_NI, Refuse("data/indicators/passwd.csv")),
    Case("indicators-symlink-dev-zero", symlink("data/indicators/zero.csv", "/dev/zero"), BUILD_NI, Refuse("data/indicators/zero.csv")),
    Case("indicators-symlink-loop", symlink("data/indicators/loop.csv", "loop.csv"), BUILD_NI, Refuse("data/indicators/loop.csv")),
    Case("indicators-fifo", fifo("data/indicators/pipe.csv"), BUILD_NI, Refuse("data/indicators/pipe.csv")),
    Case("indicators-folder-named-csv", mkdir("data/indicators/old.csv"), BUILD_NI, Refuse("data/indicators/old.csv")),
    Case("indicators-folder-is-a-link", lambda w: (shutil.copytree(w / "data/indicators", w.outside / "indicators"), shutil.rmtree(w / "data/indicators"), (w / "data/indicators").symlink_to(w.outside / "indicators")), BUILD_NI, Refuse("data/indicators", None, None, (OUTSIDE,))),
    Case("dfe-symlink-outside", chain(copy(DFE, "OUTSIDE/dfe.csv"), symlink(DFE, "OUTSIDE/dfe.csv")), BUILD_SCORE, Refuse(DFE, None, None, (OUTSIDE,))),
    Case("benchmarks-symlink-outside", chain(copy(BENCHMARKS, "OUTSIDE/b.csv"), symlink(BENCHMARKS, "OUTSIDE/b.csv")), BUILD_NI, Refuse(BENCHMARKS, None, None, (OUTSIDE,))),
    Case("authority-symlink-outside", chain(copy(AUTHORITY, "OUTSIDE/a.yaml"), symlink(AUTHORITY, "OUTSIDE/a.yaml")), BUILD_NI, Refuse(AUTHORITY, None, None, (OUTSIDE,))),
    Case("narrative-symlink-outside", chain(copy(NI, "OUTSIDE/n.yaml"), symlink("data/narrative/extra.yaml", "OUTSIDE/n.yaml")), ("build",), Refuse("data/narrative/extra.yaml", None, None, (OUTSIDE,))),
    Case("snapshot-symlink-outside", chain(copy(SNAPSHOT, "OUTSIDE/s.json"), symlink(SNAPSHOT, "OUTSIDE/s.json")), BUILD_PERF, Refuse(SNAPSHOT, None, None, (OUTSIDE,))),
    Case("authority-is-a-folder", chain(remove(AUTHORITY), mkdir(AUTHORITY)), BUILD_NI, Refuse(AUTHORITY)),
    Case("narrative-is-a-folder", mkdir("data/narrative/2027-01-01-draft.yaml"), ("build",), Refuse("data/narrative/2027-01-01-draft.yaml")),
    # --- YAML bombs: fail fast, with the file and line ---------------------------------------
    Case("narrative-billion-laughs", replace(NI, "enclosures: []\n", laughs("enclosures")), BUILD_NI, Refuse(NI, SOME_LINE, None, (ALIAS,)), FAST),
    Case("narrative-billion-laughs-unknown-key", insert(NI, 17, laughs("extra")), BUILD_NI, Refuse(NI, SOME_LINE, None, (ALIAS,)), FAST),
    Case("authority-billion-laughs", replace(AUTHORITY, "statistical_neighbours:\n", laughs("statistical_neighbours")), BUILD_NI, Refuse(AUTHORITY, SOME_LINE, None, (ALIAS,)), FAST),
    Case("catalogue-billion-laughs", replace(CATALOGUE, "themes:\n", laughs("themes")), BUILD_NI, Refuse(CATALOGUE, SOME_LINE, None, (ALIAS,)), FAST),
    Case("narrative-one-megabyte-alias-5000-times", replace(NI, "key_points:\n", lambda: "key_points:\n  - &big " + "x" * 1_000_000 + "\n" + "  - *big\n" * 5000), BUILD_NI, Refuse(NI, SOME_LINE), FAST),
    Case("narrative-20000-nested-brackets", replace(NI, "enclosures: []", "enclosures: " + "[" * 20_000 + "]" * 20_000), BUILD_NI, Refuse(NI, 14, None, (NESTED,)), FAST),
    Case("narrative-5000-nested-mappings", replace(NI, "enclosures: []", "enclosures: " + "{a: " * 5000 + "b" + "}" * 5000), BUILD_NI, Refuse(NI, 14, None, (NESTED,)), FAST),
    Case("catalogue-20000-nested-brackets", replace(CATALOGUE, "themes:\n", "themes: " + "[" * 20_000 + "]" * 20_000 + "\nthemes_old:\n"), BUILD_NI, Refuse(CATALOGUE, 4, None, (NESTED,)), FAST),
    Case("narrative-50-megabytes", replace(NI, "summary: |\n", lambda: "summary: |\n" + ("  " + "all work and no play " * 5 + "\n") * 470_000), BUILD_NI, Refuse(NI, None, None, (SIZE,)), FAST),
    Case("snapshot-100000-nested-brackets", write(SNAPSHOT, '{"indicators": ' + "[" * 100_000 + "]" * 100_000 + "}"), BUILD_PERF, Refuse(SNAPSHOT, None, None, (NESTED,)), FAST),
    # --- Impossible dates -----------------------------------------------------------------------
    Case("narrative-february-30", replace(NI, "meeting_date: 2011-01-18", "meeting_date: 2011-02-30"), BUILD_NI, Refuse(NI, 6, "meeting_date")),
    Case("narrative-month-13", replace(NI, "meeting_date: 2011-01-18", "meeting_date: 2011-13-07"), BUILD_NI, Refuse(NI, 6, "meeting_date")),
    Case("narrative-clearance-february-29", replace(NI, "date: 2011-01-07", "date: 2011-02-29"), BUILD_NI, Refuse(NI, 139, "clearance 1 date")),
    Case("narrative-period-as-impossible-date", replace(NI, "period: 2010-11", "period: 2010-02-30"), BUILD_NI, Refuse(NI, 15, "period")),
    Case("catalogue-profile-impossible-date", replace(CATALOGUE, "    target: 83", "    target: {profile: {2010-02-30: 80}}"), BUILD_NI, Refuse(CATALOGUE, 28, re.compile(r"indicator 2 target"))),
    Case("authority-impossible-date", append(AUTHORITY, "founded: 1965-02-30"), BUILD_NI, Refuse(AUTHORITY, LAST_LINE, "founded")),
    # --- Indicator data (CSV): accepted silently today -----------------------------------------
    Case("csv-unclosed-quote", insert(ASSESS, 10, 'NI59,2010-12,5,9,,,"oops'), BUILD_NI, Refuse(ASSESS, 10, None, ("quote",))),
    Case("csv-unquoted-comma", append(ASSESS, "NI59,2010-12,5,9,,validated,late, see note"), BUILD_NI, Refuse(ASSESS, LAST_LINE)),
    Case("csv-windows-1252-dash", append(ASSESS, b"NI59,2010-12,5,9,,validated,late \x96 see note"), BUILD_NI, Refuse(ASSESS, LAST_LINE, None, ("UTF-8", column("NI59,2010-12,5,9,,validated,late ")))),
    Case("csv-windows-1252-pound", append(SCORECARD, b"L4,2026-11,,,5,validated,\xa3 cost,"), BUILD_NI, Refuse(SCORECARD, LAST_LINE, None, ("UTF-8", column("L4,2026-11,,,5,validated,")))),
    Case("csv-utf16", lambda w: (w / ASSESS).write_bytes((w / ASSESS).read_text().encode("utf-16")), BUILD_NI, Refuse(ASSESS, 1)),
    Case("csv-negative-numerator", append(ASSESS, "NI59,2010-12,-5,9,,,"), BUILD_NI, Refuse(ASSESS, LAST_LINE, "numerator")),
    Case("csv-negative-denominator", append(ASSESS, "NI59,2010-12,5,-9,,,"), BUILD_NI, Refuse(ASSESS, LAST_LINE, "denominator")),
    Case("csv-fractional-numerator", append(ASSESS, "NI59,2010-12,5.5,9,,,"), BUILD_NI, Refuse(ASSESS, LAST_LINE, "numerator")),
    Case("csv-infinity-numerator", append(ASSESS, "NI59,2010-12,Infinity,9,,,"), BUILD_NI, Refuse(ASSESS, LAST_LINE, "numerator")),
    Case("csv-nul-byte", append(ASSESS, b"NI59,2010-12,5\x00,9,,,"), BUILD_NI, Refuse(ASSESS, LAST_LINE)),
    Case("csv-empty-file", write("data/indicators/empty.csv", b""), BUILD_NI, Refuse("data/indicators/empty.csv")),
    Case("csv-1e400", append(SCORECARD, "L4,2026-11,,,1e400,validated,,"), BUILD_NI, Refuse(SCORECARD, LAST_LINE, "value")),
    Case("csv-nan", append(SCORECARD, "L4,2026-11,,,nan,validated,,"), BUILD_NI, Refuse(SCORECARD, LAST_LINE, "value")),
    Case("csv-inf", append(SCORECARD, "L4,2026-11,,,inf,validated,,"), BUILD_NI, Refuse(SCORECARD, LAST_LINE, "value")),
    Case("csv-5000-digit-count", append(SCORECARD, "L4,2026-11,,," + "9" * 5000 + ",validated,,"), BUILD_NI, Refuse(SCORECARD, LAST_LINE, "value")),
    Case("csv-excel-error-value", append(SCORECARD, "L4,2026-11,,,#DIV/0!,validated,,"), BUILD_NI, Refuse(SCORECARD, LAST_LINE, "value")),
    Case("csv-month-13", append(ASSESS, "NI59,2010-13,5,9,,,"), BUILD_NI, Refuse(ASSESS, LAST_LINE, "period")),
    Case("csv-month-00", append(ASSESS, "NI59,2010-00,5,9,,,"), BUILD_NI, Refuse(ASSESS, LAST_LINE, "period")),
    Case("csv-line-count-after-a-two-line-note", chain(insert(ASSESS, 10, 'NI59,2010-12,5,9,,validated,"first line\nsecond line"'), append(ASSESS, "NI59,2011-01,lots,9,,,")), BUILD_NI, Refuse(ASSESS, (10, 20))),
    Case("csv-column-given-twice", replace(ASSESS, "numerator,denominator", "numerator,numerator"), BUILD_NI, Refuse(ASSESS, 1, "numerator")),
    Case("csv-semicolons", write("data/indicators/extra.csv", "indicator;period;numerator;denominator\nNI59;2010-12;5;9\n"), BUILD_NI, Refuse("data/indicators/extra.csv", 1)),
    Case("benchmarks-windows-1252", append(BENCHMARKS, b"NI59,2008-09,Barnet\x92s,71"), BUILD_NI, Refuse(BENCHMARKS, LAST_LINE, None, ("UTF-8", column("NI59,2008-09,Barnet")))),
    Case("benchmarks-nan", append(BENCHMARKS, "NI59,2008-09,Barnet,nan"), BUILD_NI, Refuse(BENCHMARKS, LAST_LINE, "value")),
    # --- Indicator data (Excel) -----------------------------------------------------------------
    Case("xlsx-damaged-sheet", chain(write("data/indicators/extra.xlsx", xlsx([["indicator", "period", "numerator", "denominator"], ["NI59", "2010-12", 5, 9]])), edit_zip("data/indicators/extra.xlsx", "xl/worksheets/sheet1.xml", lambda w, x: x[: len(x) // 2])), BUILD_NI, Refuse("data/indicators/extra.xlsx")),
    Case("xlsx-random-bytes", write("data/indicators/extra.xlsx", random_bytes(10_000)), BUILD_NI, Refuse("data/indicators/extra.xlsx")),
    Case("xlsx-password-protected", write("data/indicators/extra.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random_bytes(10_000)), BUILD_NI, Refuse("data/indicators/extra.xlsx")),
    Case("xlsx-formula", write("data/indicators/extra.xlsx", xlsx([["indicator", "period", "numerator", "denominator"], ["NI59", "2010-12", "=1/0", 9]])), BUILD_NI, Refuse("data/indicators/extra.xlsx", 2, "numerator")),
    Case("xlsx-empty-workbook", write("data/indicators/extra.xlsx", xlsx([])), BUILD_NI, Refuse("data/indicators/extra.xlsx")),
    # --- DfE files as downloaded, damaged: name the DfE file and its line ---------------------
    Case("dfe-random-bytes", write(DFE, random_bytes(50_000)), BUILD_SCORE, Refuse(DFE)),
    Case("dfe-empty-file", write(DFE, b""), BUILD_SCORE, Refuse(DFE)),
    Case("dfe-truncated-mid-row", lambda w: (w / DFE).write_bytes(b"".join((w / DFE).read_bytes().splitlines(keepends=True)[:1000]) + (w / DFE).read_bytes().splitlines()[1000][:60]), BUILD_SCORE, Refuse(DFE, 1001)),
    Case("dfe-bad-time-period", replace(DFE, "2025,Reporting year,Local authority,E92000001,England,E13000002,Outer London,310,Harrow", "2023/24,Reporting year,Local authority,E92000001,England,E13000002,Outer London,310,Harrow"), BUILD_SCORE, Refuse(DFE, 944, "time_period")),
    Case("dfe-nul-byte", replace_bytes(DFE, b"310,Harrow,E09000015", b"310,Harrow\x00,E09000015"), BUILD_SCORE, Refuse(DFE, 944)),
    Case("dfe-windows-1252", replace_bytes(DFE, b"310,Harrow,E09000015", b"310,Harrow\x92,E09000015"), BUILD_SCORE, Refuse(DFE, 944, None, ("UTF-8", column("2025,Reporting year,Local authority,E92000001,England,E13000002,Outer London,310,Harrow")))),
    Case("dfe-1e400", replace(DFE, "Living with the same carer for at least 2 years,24,65", "Living with the same carer for at least 2 years,24,1e400"), BUILD_SCORE, Refuse(DFE, 944, "children_percent")),
    Case("dfe-utf16", lambda w: (w / DFE).write_bytes((w / DFE).read_text(encoding="utf-8-sig").encode("utf-16")), BUILD_SCORE, Refuse(DFE, 1)),
    Case("dfe-neighbour-model-random-bytes", write("data/dfe/sn_model_2025_wide.csv", random_bytes(20_000)), BUILD_SCORE, Refuse("data/dfe/sn_model_2025_wide.csv")),
    # --- Config ---------------------------------------------------------------------------------
    Case("authority-financial-year-start-13", replace(AUTHORITY, "financial_year_start: 4", "financial_year_start: 13"), BUILD_NI, Refuse(AUTHORITY, 4, "financial_year_start")),
    Case("authority-unknown-la-code", replace(AUTHORITY, "la_code: 310", "la_code: 99999"), BUILD_SCORE, Refuse(AUTHORITY, 7, "la_code")),
    Case("authority-suppress-negative", append(AUTHORITY, "suppress_up_to: -1"), BUILD_NI, Refuse(AUTHORITY, LAST_LINE, "suppress_up_to")),
    Case("authority-suppress-nan", append(AUTHORITY, "suppress_up_to: .nan"), BUILD_NI, Refuse(AUTHORITY, LAST_LINE, "suppress_up_to")),
    Case("authority-top-level-list", write(AUTHORITY, "- name: Harrow\n"), BUILD_NI, Refuse(AUTHORITY)),
    Case("authority-empty-file", write(AUTHORITY, ""), BUILD_NI, Refuse(AUTHORITY)),
    Case("authority-windows-1252", replace_bytes(AUTHORITY, b"London Borough of Harrow", b"London Borough of Harrow \x96 Civic Centre"), BUILD_NI, Refuse(AUTHORITY, 2, None, ("UTF-8", column("name: London Borough of Harrow ")))),
    Case("catalogue-decimals-million", replace(CATALOGUE, "    decimals: 0\n\n  - id: NI60", "    decimals: 1000000\n\n  - id: NI60"), BUILD_NI, Refuse(CATALOGUE, 20, "indicator 1 decimals")),
    Case("catalogue-decimals-negative", replace(CATALOGUE, "    decimals: 0\n\n  - id: NI60", "    decimals: -5\n\n  - id: NI60"), BUILD_NI, Refuse(CATALOGUE, 20, "indicator 1 decimals")),
    Case("catalogue-target-nan", replace(CATALOGUE, "    target: 83", "    target: .nan"), BUILD_NI, Refuse(CATALOGUE, 28, "indicator 2 target")),
    Case("catalogue-target-inf", replace(CATALOGUE, "    target: 83", "    target: .inf"), BUILD_NI, Refuse(CATALOGUE, 28, "indicator 2 target")),
    Case("catalogue-tolerance-overflows", replace(CATALOGUE, "    tolerance: 3 ", "    tolerance: 1.0e+400 "), BUILD_NI, Refuse(CATALOGUE, 29, "indicator 2 tolerance")),
    Case("catalogue-dfe-file-parent-path", replace(CATALOGUE, "file: c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv", "file: ../../../etc/passwd"), BUILD_SCORE, Refuse(CATALOGUE, 48, "indicator 3 dfe.file")),
    Case("catalogue-dfe-file-absolute", replace(CATALOGUE, "file: c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv", "file: /etc/passwd"), BUILD_SCORE, Refuse(CATALOGUE, 48, "indicator 3 dfe.file")),
    Case("catalogue-dfe-file-not-in-dfe-folder", replace(CATALOGUE, "file: c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv", "file: ../indicators/scorecard-2026-27.csv"), BUILD_SCORE, Refuse(CATALOGUE, 48, "indicator 3 dfe.file")),
    Case("catalogue-id-self", replace(CATALOGUE, "  - id: NI59", "  - id: self"), BUILD_NI, Refuse(CATALOGUE, 13, "indicator 1 id")),
    Case("catalogue-id-loop", replace(CATALOGUE, "  - id: NI59", "  - id: loop"), BUILD_NI, Refuse(CATALOGUE, 13, "indicator 1 id")),
    Case("catalogue-windows-1252", replace_bytes(CATALOGUE, b"NI 59 Initial assessments", b"NI 59 \x96 Initial assessments"), BUILD_NI, Refuse(CATALOGUE, 16, None, ("UTF-8", column("    title: NI 59 ")))),
    # --- Narrative: other crashes and silent acceptances --------------------------------------
    Case("narrative-windows-1252", replace_bytes(NI, "additional £84k".encode(), b"additional \xa384k"), BUILD_NI, Refuse(NI, 125, None, ("UTF-8", column("  In response to the pressures on this service an additional ")))),
    Case("narrative-nul-byte", replace_bytes(NI, b"Performance Update on National", b"Performance Update\x00 on National"), BUILD_NI, Refuse(NI, 8)),
    Case("narrative-top-level-list", write(NI, "- template: information_report\n"), BUILD_NI, Refuse(NI)),
    Case("narrative-empty-file", write(NI, ""), BUILD_NI, Refuse(NI)),
    Case("narrative-utf16", lambda w: (w / NI).write_bytes((w / NI).read_text().encode("utf-16-le")), BUILD_NI, Refuse(NI, None, None, ("UTF-8",))),
    Case("narrative-python-object-tag", replace(NI, "exempt: false", 'exempt: !!python/object/apply:os.system ["touch MARKER"]'), BUILD_NI, Refuse(NI, 12)),
    Case("narrative-include-tag", replace(NI, "background_papers: |\n  None.", "background_papers: !include /etc/passwd"), BUILD_NI, Refuse(NI, 147)),
    Case("narrative-two-yaml-documents", append(NI, "---\ntemplate: performance_report"), BUILD_NI, Refuse(NI, SOME_LINE)),
    Case("narrative-exempt-paragraph-99", replace(EXEMPT, "exempt_paragraph: 3", "exempt_paragraph: 99"), ("build", EXEMPT), Refuse(EXEMPT, 10, "exempt_paragraph")),
    Case("narrative-index-of-a-million-periods", replace(PERF, "  periods: 3", "  periods: 1000000"), BUILD_PERF, Refuse(PERF, 15, "scorecard.periods")),
    Case("authority-python-object-tag", replace(AUTHORITY, "la_code: 310", 'la_code: !!python/object/apply:os.system ["touch MARKER"]'), BUILD_NI, Refuse(AUTHORITY, 7)),
    Case("catalogue-python-name-tag", replace(CATALOGUE, "    decimals: 0\n\n  - id: NI60", "    decimals: !!python/name:os.system\n\n  - id: NI60"), BUILD_NI, Refuse(CATALOGUE, 20)),
    Case("meeting-python-object-tag", replace(MEETING, "time: 7.00 pm", 'time: !!python/object/new:subprocess.Popen [["touch", "MARKER"]]'), PACK, Refuse(MEETING, 7)),
    # --- Published snapshots, damaged -----------------------------------------------------------
    Case("snapshot-random-bytes", write(SNAPSHOT, random_bytes(5000)), BUILD_PERF, Refuse(SNAPSHOT)),
    Case("snapshot-empty-file", write(SNAPSHOT, b""), BUILD_PERF, Refuse(SNAPSHOT)),
    Case("history-from-a-damaged-snapshot", write(SNAPSHOT, random_bytes(5000)), ("history", "--indicator", "L5"), Refuse(SNAPSHOT)),
    Case("snapshot-windows-1252", replace_bytes(SNAPSHOT, b"Young People Scrutiny", b"Young People \x96 Scrutiny"), BUILD_PERF, Refuse(SNAPSHOT, 4, None, ("UTF-8", column('  "committee": "Children and Young People ')))),
    # --- The command line ---------------------------------------------------------------------
    Case("build-dev-zero", nothing, ("build", "/dev/zero"), Refuse("/dev/zero")),
    Case("build-etc-passwd", nothing, ("build", "/etc/passwd"), Refuse("/etc/passwd")),
    Case("build-proc-self-environ", nothing, ("build", "/proc/self/environ"), Refuse("/proc/self/environ")),
    Case("build-narrative-outside-project", copy(NI, "OUTSIDE/evil.yaml"), ("build", "../outside/evil.yaml"), Refuse(re.compile(r"\S*outside/evil\.yaml"), None, None, ("outside",))),
    Case("build-out-is-a-file", write("notes.txt", "minutes\n"), ("build", NI, "--out", "notes.txt"), Refuse(None, None, None, ("notes.txt",))),
    Case("build-out-dev-null", nothing, ("build", NI, "--out", "/dev/null"), Refuse(None, None, None, ("/dev/null",))),
    Case("build-out-meeting-folder-is-a-file", write("papers/2011-01-18-performance-and-finance-scrutiny-sub-committee", "x\n"), ("build", NI, "--out", "papers"), Refuse("papers/2011-01-18-performance-and-finance-scrutiny-sub-committee")),
    Case("build-out-paper-is-a-folder", mkdir("papers/2011-01-18-performance-and-finance-scrutiny-sub-committee/2011-01-18-ni59-ni60.docx"), ("build", NI, "--out", "papers"), Refuse("papers/2011-01-18-performance-and-finance-scrutiny-sub-committee/2011-01-18-ni59-ni60.docx")),
    Case("build-project-is-a-file", write("notes.txt", "minutes\n"), ("build", "-p", "notes.txt"), Refuse(None, None, None, ("notes.txt",))),
    Case("indicators-period-year-zero", nothing, ("indicators", "--period", "0000-01"), Refuse(None, None, None, ("--period",))),
    Case("indicators-period-huge-year", nothing, ("indicators", "--period", "99999999999999999999-01"), Refuse(None, None, None, ("--period",))),
    Case("history-dunder-indicator", nothing, ("history", "--indicator", "__class__"), Refuse(None, None, None, ("--indicator",))),
    Case("accessibility-random-bytes", write("bad.docx", random_bytes(20_000)), ("accessibility", "bad.docx"), Refuse("bad.docx")),
    Case("accessibility-xlsx-renamed", write("sheet.docx", xlsx([["a"]])), ("accessibility", "sheet.docx"), Refuse("sheet.docx")),
    Case("accessibility-dev-zero", nothing, ("accessibility", "/dev/zero"), Refuse("/dev/zero")),
    # --- Either answer is fine, but in time and without a crash --------------------------------
    Case("markdown-bold-backtracking", summary("**a" * 20_000), BUILD_NI, Survive()),
    Case("markdown-100000-stars", summary("*" * 100_000 + "a"), BUILD_NI, Survive()),
    Case("markdown-1000-nested-bullets", insert(NI, 19, lambda: "".join("  " + "  " * i + "- level\n" for i in range(1000))), BUILD_NI, Survive()),
    Case("narrative-million-character-key-point", insert(NI, 27, "  - " + "word " * 200_000), BUILD_NI, Survive()),
    Case("narrative-20000-key-points", insert(NI, 27, "  - point\n" * 20_000), BUILD_NI, Survive()),
    Case("narrative-50000-live-figures", summary("{{ NI59.latest }} " * 50_000), BUILD_NI, Survive()),
    Case("csv-200000-character-note", append(ASSESS, "NI59,2010-12,5,9,,validated," + "n" * 200_000), BUILD_NI, Survive()),
    Case("csv-old-mac-line-endings", lambda w: (w / ASSESS).write_bytes((w / ASSESS).read_bytes().replace(b"\n", b"\r")), BUILD_NI, Survive()),
    Case("xlsx-claims-a-million-rows", chain(write("data/indicators/extra.xlsx", xlsx([["indicator", "period", "numerator", "denominator"], ["NI59", "2010-12", 5, 9]])), edit_zip("data/indicators/extra.xlsx", "xl/worksheets/sheet1.xml", lambda w, x: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', x))), BUILD_NI, Survive()),
]
# fmt: on


# --- Leaks: withheld and exempt figures never reach a public document -------------------------

NEXT_MEETING = "data/meetings/2026-12-09-children-and-young-people-scrutiny-panel.yaml"


def next_meeting(where: Where) -> None:
    """The December meeting: its performance report (as at October, without words on
    changes yet) and its agenda, for `pack`."""
    text = where.text(PERF)
    text = text.replace("meeting_date: 2026-11-04", "meeting_date: 2026-12-09")
    text = text.replace("period: 2026-09", "period: 2026-10")
    text = text[: text.index("rating_changes:")] + text[text.index("alternative_options:") :]
    (where / "data/narrative/2026-12-09-childrens-performance-report.yaml").write_text(text)
    (where / NEXT_MEETING).write_text(
        "committee: Children and Young People Scrutiny Panel\ndate: 2026-12-09\n"
        "time: 7.00 pm\nvenue: Committee Room 1, Civic Centre\nitems:\n"
        "  - title: Apologies for absence\n"
        "  - narrative: ../narrative/2026-12-09-childrens-performance-report.yaml\n"
    )


def published_then_corrected(narrative: str, old: str, new: str, *publish: str) -> Plant:
    """Publishes `narrative` with the data row `old` changed to `new`, then puts the data
    back, so that the next meeting's paper corrects the figure."""

    def plant(where: Where) -> None:
        data = where.text(SCORECARD)
        (where / SCORECARD).write_text(data.replace(old, new, 1))
        where.run("publish", narrative, *publish)
        (where / SCORECARD).write_text(data)
        next_meeting(where)

    return plant


SMALL_L4 = replace(SCORECARD, "L4,2026-09,,,1488,", "L4,2026-09,,,3,")  # a count of 3
SMALL_L1 = chain(
    typed("L1"), replace(SCORECARD, "L1,2026-09,224,245,", "L1,2026-09,3,7,")
)  # 3 of 7


def leak(name: str, plant: Plant, expression: str, *forbidden: str) -> Case:
    """A live figure in the public performance report's summary (line 21) that tries to
    reveal a withheld small count; the public pack must not show it."""
    return Case(
        f"leak-{name}", chain(plant, insert(PERF, 21, "  " + expression)), PACK, NoLeak(forbidden)
    )


# fmt: off
LEAKS = [
    # (a) The 4 November paper withheld September's 3 contacts as [c]; the data now say 1,488:
    # the December pack must not print "corrected from 3 to 1,488".
    Case("leak-correction-of-a-withheld-figure", published_then_corrected(PERF, "L4,2026-09,,,1488,", "L4,2026-09,,,3,", "--replace"), ("pack", NEXT_MEETING), NoLeak(("from 3 to", "corrected from 3 "))),
    # (b) The exempt paper of the same meeting printed a figure (7,777 contacts) the public
    # paper never did: the December public pack must not correct "from 7,777".
    Case("leak-figure-from-an-exempt-snapshot", chain(replace(EXEMPT, "period: 2026-09\n", "period: 2026-09\nindicators: [L4]\n"), published_then_corrected(EXEMPT, "L4,2026-09,,,1488,", "L4,2026-09,,,7777,")), ("pack", NEXT_MEETING), NoLeak(("7,777", "7777"))),
    leak("withheld-count-arithmetic", SMALL_L4, "{{ L4.latest.value * 1000 + 5 }}", "3005", "3,005"),
    leak("withheld-count-comparison", SMALL_L4, "{% if L4.latest.value == 3 %}EXACTLYTHREE{% endif %}{% if L4.latest.value < 5 %}BELOWFIVE{% endif %}", "EXACTLYTHREE", "BELOWFIVE"),
    leak("withheld-count-through-filters", SMALL_L4, "{{ [L4.latest.value, 123000]|sum }} {{ [L4.at('2026-09').value]|max + 321000 }}", "123003", "123,003", "321003", "321,003"),
    leak("withheld-count-by-year-to-date-difference", SMALL_L4, '{{ L4.ytd.value - L4.ytd_at("2026-08").value + 444000 }}', "444003", "444,003"),
    leak("withheld-numerator-arithmetic", SMALL_L1, "{{ L1.latest.numerator + 777000 }}", "777003", "777,003"),
    leak("withheld-numerator-by-subtraction", SMALL_L1, '{{ L1.at("2026-27 Q2").numerator - L1.at("2026-07").numerator - L1.at("2026-08").numerator + 999000 }}', "999003", "999,003"),
    leak("withheld-text-with-counts", SMALL_L1, "{{ L1.latest.text_with_counts }} and {{ L1.latest.numerator }} of {{ L1.latest.denominator }}", "3 of 7"),
    # A supplied paper or a template whose field pulls in a file of the computer.
    Case("leak-supplied-paper-includes-etc-passwd", chain(write("data/meetings/supplied/2026-09-09-minutes.docx", docx_with_field('INCLUDETEXT "/etc/passwd"')), replace(MEETING, "2026-09-09-minutes.pdf", "2026-09-09-minutes.docx")), PACK, NoLeak(("root:x:0:0",))),
    Case("leak-template-includes-etc-passwd", template_paragraph("information_report", field_paragraph('INCLUDETEXT "/etc/passwd"'), xml=True), ("build", "--pdf", NI), NoLeak(("root:x:0:0",), skip=())),
]
# fmt: on

# --- Input that is fine, and must stay fine ---------------------------------------------------

# fmt: off
ACCEPTED = [
    Case("crlf-narrative", lambda w: (w / NI).write_bytes((w / NI).read_bytes().replace(b"\n", b"\r\n")), BUILD_NI, Accept(("Performance Update on National Indicators",))),
    Case("crlf-data", lambda w: (w / ASSESS).write_bytes((w / ASSESS).read_bytes().replace(b"\n", b"\r\n")), BUILD_NI, Accept()),
    Case("crlf-config", lambda w: (w / AUTHORITY).write_bytes((w / AUTHORITY).read_bytes().replace(b"\n", b"\r\n")), BUILD_NI, Accept(("London Borough of Harrow",))),
    Case("bom-narrative", lambda w: (w / NI).write_bytes(b"\xef\xbb\xbf" + (w / NI).read_bytes()), BUILD_NI, Accept()),
    Case("bom-data", lambda w: (w / ASSESS).write_bytes(b"\xef\xbb\xbf" + (w / ASSESS).read_bytes()), BUILD_NI, Accept()),
    Case("header-only-data-file", write("data/indicators/2027-28.csv", "indicator,period,numerator,denominator,value,status,note\n"), BUILD_NI, Accept()),
    Case("word-xml-in-narrative-prints-as-typed", summary("</w:t></w:r><w:r><w:t>INJECTED & <b>bold</b>"), BUILD_NI, Accept(("</w:t></w:r><w:r><w:t>INJECTED & <b>bold</b>",))),
    Case("braces-from-a-live-figure-are-not-rendered-again", summary('{{ "{{ 123456 * 2 }}" }}'), BUILD_NI, Accept(("{{ 123456 * 2 }}",), ("246912",))),
    Case("braces-in-the-subject-print-as-typed", replace(NI, "  Assessments (NI59 and NI60)", "  Assessments (NI59 and NI60) {{ 7 * 191 }}"), BUILD_NI, Accept(("{{ 7 * 191 }}",), ("1337",))),
    # Minutes that say in a sentence that an item was not for publication are not exempt.
    Case("supplied-minutes-mentioning-not-for-publication", chain(write("data/meetings/supplied/minutes.docx", lambda w: minutes("Item 9 was not for publication, and the panel went into private session.")), replace(MEETING, "supplied/2026-09-09-minutes.pdf", "supplied/minutes.docx")), PACK, Accept(("Item 9 was not for publication",))),
    Case("emoji-and-right-to-left-text", replace(NI, "P&F members asked", "P&F members 📈 (تقرير) asked"), BUILD_NI, Accept(("P&F members 📈 (تقرير) asked",))),
]
# fmt: on


def minutes(text: str) -> bytes:
    """A plain Word document of one paragraph, as another department would supply."""
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


ALL = [*CASES, *LEAKS, *ACCEPTED]
assert len({c.id for c in ALL}) == len(ALL), "case ids must be unique"


# --- Fixtures and tests -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project, built, with the 4 November report published and its meeting
    packed: earlier good output for every case to protect."""
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice is needed for the packs")
    root = tmp_path_factory.mktemp("hostile-base")
    for folder in ("config", "data"):
        shutil.copytree(REPO / folder, root / folder)
    Workspace(root).copy_templates()  # the project's own copies, for cases to plant things in
    where = Where(root, root, root / "unused")
    where.run("build")
    where.run("publish", PERF)
    where.run("pack", MEETING)
    assert (root / PANEL / "agenda-pack.pdf").is_file()
    assert (root / PANEL / "exempt-agenda-pack.pdf").is_file()
    assert len(list((root / "data/published").rglob("*.json"))) == 2
    assert len(list((root / "out").rglob("*.docx"))) == 6
    return root


@pytest.fixture(scope="session")
def outcomes(
    built: Path, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> dict[str, Outcome]:
    """Every selected case's outcome, run two at a time before the first is judged."""
    selected = {
        item.callspec.params["case"].id
        for item in request.session.items
        if hasattr(item, "callspec") and "case" in item.callspec.params
    }
    cases = [c for c in ALL if c.id in selected]
    keep = bool(os.environ.get("HOSTILE_KEEP"))
    outcomes = run_cases(cases, built, tmp_path_factory.mktemp("hostile"), keep=keep)
    if summary := os.environ.get("HOSTILE_SUMMARY"):  # one line a case, for a quick look
        Path(summary).write_text(
            "".join(
                f"{o.case.id}\t{o.ended}\t{o.returncode}\t{o.seconds:.1f}\t"
                f"{'FAIL: ' + '; '.join(found) if (found := failures(o)) else 'ok'}\t"
                f"{' | '.join(o.stderr.splitlines()[:2])}\n"
                for o in outcomes.values()
            ),
            encoding="utf-8",
        )
    return outcomes


@pytest.mark.parametrize("case", CASES + LEAKS, ids=lambda c: c.id)
def it_refuses_hostile_and_bad_input(outcomes: dict[str, Outcome], case: Case) -> None:
    outcome = outcomes[case.id]
    found = failures(outcome)
    assert not found, outcome.report(found)


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda c: c.id)
def it_accepts_input_that_is_fine(outcomes: dict[str, Outcome], case: Case) -> None:
    outcome = outcomes[case.id]
    found = failures(outcome)
    assert not found, outcome.report(found)
