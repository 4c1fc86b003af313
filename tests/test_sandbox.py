"""The sandbox narrative and templates render in: what it lets through and what it stops."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from reportgen.domain.model import Indicator, Observation, Polarity, Unit
from reportgen.domain.periods import Month
from reportgen.paper.narrative import IndicatorView, NarrativeRenderer
from reportgen.paper.sandbox import LimitError
from reportgen.results.compute import compute
from reportgen.word.render import environment

TEMPLATES = environment(None)  # the sandbox templates render in

JUNE = Month(2026, 6)


def renderer() -> NarrativeRenderer:
    indicator = Indicator(id="A", title="Assessments", unit=Unit.PERCENT, polarity=Polarity.HIGHER)
    result = compute(
        indicator,
        {JUNE: Observation("A", JUNE, numerator=Decimal(55), denominator=Decimal(59))},
        JUNE,
    )
    return NarrativeRenderer({"A": IndicatorView(result), "when": date(2026, 6, 30)}, ["A"])


def narrative(text: str) -> str:
    """The text rendered, or its first problem as `line: key: what`."""
    rendered = renderer().render(text, "n.yaml", 10, "summary")
    if isinstance(rendered, list):
        return f"{rendered[0].line}: {rendered[0].key}: {rendered[0].what}"
    return rendered


ALLOWED = [
    ("{{ A.latest }} ({{ A.latest.numerator }} of {{ A.latest.denominator }})", "93% (55 of 59)"),
    ("{{ A.latest.period.month_name.upper() }}", "JUNE"),
    ("{{ A.rag }}", "Not rated"),
    ("{{ A.at('2026-06') }}", "93%"),
    ("{{ (A.latest.value - 90) * 2 }}", "6"),
    ("{{ [A.title, 'and more'] | join(', ') }}", "Assessments, and more"),
    ("{% for word in A.title.split('s') %}{{ word }}.{% endfor %}", "A..e..ment.."),
    ("{{ 2 ** 10 }} {{ 'ab' * 3 }} {{ 'x' ~ 'y' }} {{ '%5.1f' % 2.25 }}", "1024 ababab xy   2.2"),
    ("{{ when.year }} {{ 3 | ordinal }}", "2026 third"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "printed"), ALLOWED)
def it_lets_live_figures_and_plain_expressions_through(text: str, printed: str) -> None:
    assert narrative(text) == printed


REFUSED = [
    # No globals at all: each is an unknown name.
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "10: summary: unknown name 'cycler'"),
    ("{{ range(10) }}", "10: summary: unknown name 'range'"),
    ("{{ lipsum(1000000) }}", "10: summary: unknown name 'lipsum'"),
    ("{{ namespace(a=1) }}", "10: summary: unknown name 'namespace'"),
    ("{{ joiner() }}", "10: summary: unknown name 'joiner'"),
    ("{{ dict(a=1) }}", "10: summary: unknown name 'dict'"),
    # Private parts and what is not a figure.
    ("{{ A.__class__ }}", "10: summary: unknown attribute '__class__'"),
    ("{{ A._result }}", "10: summary: unknown attribute '_result'"),
    ("{{ A.title.__class__.__mro__ }}", "10: summary: that expression is not allowed in narrative"),
    ("{{ when.strftime('%Y') }}", "10: summary: that expression is not allowed in narrative"),
    ("{{ A.title.format(1) }}", "10: summary: that expression is not allowed in narrative"),
    ("{{ '{:>999999999}'.format(1) }}", "10: summary: that expression is not allowed in narrative"),
    ("{{ 'x'.ljust(10**9) }}", "10: summary: that expression is not allowed in narrative"),
    ("{{ 'x'.replace('', 'yy') }}", "10: summary: that expression is not allowed in narrative"),
    ("{{ [1].append(2) }}", "10: summary: that expression is not allowed in narrative"),
    # Sizes and time.
    ("{{ 10**(10**10) }}", "10: summary: this text is too much to work out: the power 10 ** 10000000000 is too large"),
    ("{{ 2 ** 5000 }}", "10: summary: this text is too much to work out: the power 2 ** 5000 is too large"),
    ('{{ "a" * 10**9 }}', "10: summary: this text is too much to work out: it makes a text or list longer than 100,000 characters or items"),
    ("{{ [1] * 10**8 }}", "10: summary: this text is too much to work out: it makes a text or list longer than 100,000 characters or items"),
    ("{{ '%999999999d' % 1 }}", "10: summary: this text is too much to work out: its % format asks for a width of a thousand characters or more"),
    ("{{ '%.*f' % (5000, 1) }}", "10: summary: this text is too much to work out: its % format asks for a width of a thousand characters or more"),
    ("{% set s = 'abcdefghij' * 10000 %}{{ s ~ s }}", "10: summary: this text is too much to work out: it makes a text or list longer than 100,000 characters or items"),
    ("{{ 'a' * 99999 + 'bb' }}", "10: summary: this text is too much to work out: it makes a text or list longer than 100,000 characters or items"),
    ("{% for c in 'x' * 1000 %}{% for d in 'x' * 1000 %}{% endfor %}{% endfor %}", "10: summary: this text is too much to work out: it takes more than 50,000 steps (loops, calls or lookups)"),
    ("{% for c in 'x' * 400 %}{{ 'y' * 9000 }}{% endfor %}", "10: summary: this text is too much to work out: it makes more than 1,000,000 characters"),
    ("line\n{% include 'x' %}", "11: summary: cannot work out this expression (no loader for this environment specified)"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "problem"), REFUSED)
def it_stops_what_could_run_code_read_files_or_hang(text: str, problem: str) -> None:
    started = time.monotonic()
    assert narrative(text).startswith(problem)
    assert time.monotonic() - started < 5


def it_stops_a_loop_that_runs_out_of_time(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter(range(0, 10**9, 1))
    monkeypatch.setattr("reportgen.paper.sandbox.time.monotonic", lambda: next(clock))
    assert narrative("{% for c in 'x' * 900 %}{{ c }}{% endfor %}") == (
        "10: summary: this text is too much to work out: it takes more than 2 seconds to work out"
    )


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("{{ cycler.__init__.__globals__ }}", UndefinedError),
        ("{{ subject.__class__ }}", SecurityError),
        ("{{ range(3) }}", UndefinedError),
        ("{{ subject.format(1) }}", SecurityError),
        ("{{ picture._document }}", SecurityError),
        ("{{ 10 ** 100000 }}", LimitError),
        (
            "{% for a in subject * 2000 %}{% for b in subject * 2000 %}{% endfor %}{% endfor %}",
            LimitError,
        ),
    ],
)
def it_renders_templates_in_the_same_sandbox(source: str, error: type[Exception]) -> None:
    from reportgen.word.chart_pictures import Picture

    template = TEMPLATES.from_string(source)
    context = {"subject": "Performance", "picture": Picture(None, b"", "")}
    with pytest.raises(error):
        template.render(context)


def it_lets_a_template_place_its_values() -> None:
    template = TEMPLATES.from_string(
        "{% for row in rows %}{{ row.name | upper }} {{ row.value }}; {% endfor %}{{ 2 | ordinal }}"
    )
    rows = [{"name": "a & b", "value": 1}, {"name": "c", "value": 2}]
    assert template.render(rows=rows) == "A &amp; B 1; C 2; second"


def it_reports_a_hostile_template_at_the_template(tmp_path: Path) -> None:
    import zipfile

    from reportgen.errors import TemplateError
    from reportgen.inputs.project import BUILT_IN_TEMPLATES
    from reportgen.word.render import DocumentProperties, render

    source = BUILT_IN_TEMPLATES / "agenda.docx"
    hostile = tmp_path / "agenda.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(hostile, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(
                    b"{{ committee }}",
                    b"{{ cycler.__init__.__globals__.os.popen(&quot;touch pwned&quot;).read() }}",
                    1,
                )
            zout.writestr(item, data)
    properties = DocumentProperties("t", "s", "a", "k", "en-GB", date(2026, 1, 1))
    with pytest.raises(TemplateError) as caught:
        render(hostile, {"authority": "London Borough of Harrow"}, properties)
    (problem,) = caught.value.problems
    assert problem.file.endswith("agenda.docx")
    assert problem.what == "the template uses a name reports do not have"
    assert problem.key == "cycler"
    assert not Path("pwned").exists()
