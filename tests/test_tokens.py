"""A box's words as pieces (live figures, template code, emphasis, text) and back: the
pieces joined are the text exactly, for every live figure the README lists, for emphasis,
for braces that are not figures, for every box of every example narrative and for any
text at all; and the editor's rich view of them escapes whatever an officer wrote."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import reportgen
from reportgen.domain.tokens import Part, join, parts, readable

REPO = Path(__file__).resolve().parent.parent
NARRATIVES = sorted((REPO / "data" / "narrative").glob("*.yaml"))


def readme_figures() -> list[str]:
    """Every `{{ … }}` the README's "Live figures" section shows an officer."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### Live figures", 1)[1].split("\n## ", 1)[0]
    found = re.findall(r"`(\{\{.*?\}\})`", section)
    return sorted({f.replace("\\|", "|") for f in found})


def kinds(found: tuple[Part, ...]) -> list[str]:
    return [p.kind for p in found]


def it_finds_the_readmes_live_figures() -> None:
    found = readme_figures()
    assert len(found) >= 30
    assert '{{ NI59.ytd.value - NI59.ytd_at("2010-09").value }}' in found
    assert "{{ NI59.rank | ordinal }}" in found


@pytest.mark.parametrize("figure", readme_figures())
def it_keeps_each_readme_figure_as_one_piece(figure: str) -> None:
    assert parts(figure) == (Part("figure", figure),)
    sentence = f"It rose to {figure}, and **{figure}** then *{figure}*.\n"
    found = parts(sentence)
    assert join(found) == sentence
    assert kinds(found) == ["text", "figure", "text", "bold", "text", "italic", "text"]
    assert found[3].inside == (Part("figure", figure),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**FOR INFORMATION**", ["bold"]),
        ("a *word* here", ["text", "italic", "text"]),
        ("*one* and **two**", ["italic", "text", "bold"]),
        ("*an **inner** bold*", ["italic"]),
        ("5 * 3 and 4 * 2", ["text"]),  # a lone star is text, as the paper prints it
        ("an \\*escaped\\* star", ["text"]),
        ("**unclosed bold", ["text"]),
        ("* a bullet *point*", ["text", "italic"]),  # a bullet's star is text
        ("**across\na line**", ["bold"]),
        ("**not across\n\na paragraph**", ["text"]),
        ("snake_case and _underscores_", ["text"]),  # the paper prints them as typed
        ("{{ x }}** y **", ["figure", "text"]),
    ],
)
def it_reads_emphasis_as_the_paper_prints_it(text: str, expected: list[str]) -> None:
    found = parts(text)
    assert join(found) == text
    assert kinds(found) == expected


def it_keeps_a_figure_exactly_as_written() -> None:
    for figure in ("{{NI59.latest}}", "{{  NI59.latest\n  }}", '{{ "}}" }}', "{{ '%}' }}"):
        assert parts(figure) == (Part("figure", figure),), figure
    assert parts("{% if x %}yes{% endif %}") == (
        Part("code", "{% if x %}"),
        Part("text", "yes"),
        Part("code", "{% endif %}"),
    )
    assert parts("{# a note #}") == (Part("code", "{# a note #}"),)


@pytest.mark.parametrize(
    "text",
    [
        "{ not a figure }",
        "{{ without an end",
        "stray }} and %} and #}",
        "{% unclosed",
        "{# unclosed",
        '{{ "an unclosed string }}',
        "{{{ x }}}",
        "{}{}{{}",
        "a lone { brace",
        "",
    ],
)
def it_leaves_braces_that_are_not_figures_as_text(text: str) -> None:
    found = parts(text)
    assert join(found) == text
    assert "figure" not in kinds(found) or text == "{{{ x }}}"


def it_keeps_every_line_break_and_space() -> None:
    text = "  First line,\n\n  - a bullet {{ NI59.latest }}\n    continued\r\n\n\nend \t"
    assert join(parts(text)) == text


@pytest.mark.parametrize("path", NARRATIVES, ids=lambda p: p.stem)
def it_gives_back_every_box_of_every_example_narrative(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert join(parts(text)) == text
    data = yaml.safe_load(text)
    boxes = reportgen.narrative_fields(data, form=True)
    assert boxes
    for box in boxes:
        assert join(parts(box.text)) == box.text, box.label


@given(st.text(alphabet="{}%#*\\_ \n\t\"'ab5\U000f0001", max_size=80))
def it_gives_back_any_text_exactly(text: str) -> None:
    assert join(parts(text)) == text


def it_reads_a_long_hostile_text_in_time() -> None:
    for text in ("{{" * 20_000, "{{ '" * 10_000, "*a " * 20_000, "**" * 20_000):
        started = time.perf_counter()
        assert join(parts(text)) == text
        assert time.perf_counter() - started < 2


@pytest.mark.parametrize(
    ("figure", "words"),
    [
        ("{{ NI59.latest }}", "NI 59 latest"),
        ('{{ ind["NI59"].ytd }}', "NI 59 year to date"),
        ("{{ NI59.rank | ordinal }}", "NI 59 rank, in words"),
        (
            '{{ NI59.ytd.value - NI59.ytd_at("2010-09").value }}',
            "NI 59 year to date value − NI 59 year to date at 2010-09 value",
        ),
        ("{{ authority.short_name }}", "authority short name"),
        ('{{ "85%" }}', "85%, as typed"),
    ],
)
def it_says_a_figure_in_words(figure: str, words: str) -> None:
    assert readable(parts(figure)[0]) == words


@pytest.fixture(scope="module")
def editor():
    sys.path.insert(0, str(Path(__file__).parent))
    import web

    web.project()
    from reportgen.web import editor

    return editor


def it_escapes_whatever_the_officer_wrote(editor) -> None:
    text = '<script>alert("x")</script> & {{ "<b>\\"" }} **<i>\'q\'</i>**'
    shown = str(editor.rich_html(text, {}))
    assert "<script>" not in shown and "<i>" not in shown and "<b>" not in shown
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; " in shown
    assert 'data-source="{{ &quot;&lt;b&gt;\\&quot;&quot; }}"' in shown
    assert "<strong>&lt;i&gt;&#x27;q&#x27;&lt;/i&gt;</strong>" in shown


def it_labels_a_figure_with_what_it_shows_today(editor) -> None:
    shown = str(editor.rich_html("Rose to {{NI59.latest}}.", {"NI59.latest": "93%"}))
    assert shown == (
        'Rose to <span class="figure-token figure-token--figure" contenteditable="false" '
        'data-source="{{NI59.latest}}">NI 59 latest: 93%</span>.'
    )
    other = str(editor.rich_html("{{ authority.short_name }}", {}))
    assert ">Live figure: authority short name</span>" in other


def it_shows_the_editor_with_its_figures_as_tokens_and_the_plain_form(editor) -> None:
    """Every figure a token labelled with what it shows today (those the picker lists, and
    the others: a rank in words, the council's name); without scripts, the plain form.
    (How long the page takes is measured by benchmarks/bench_month.py, not here.)"""
    import web
    from django.test import Client

    client = Client()
    assert client.login(username="officer", password=web.PASSWORD)
    page = client.get(f"/papers/{web.PUBLIC}/").content.decode()
    assert page.count('class="figure-token') >= 20
    assert ">NI 59 rank, in words: third</span>" in page
    assert ">authority short name: Harrow</span>" in page
    assert ">85%, as typed</span>" in page
    # Without scripts the page is the plain form: each box a textarea of the file's text,
    # the words-and-tokens view hidden.
    plain = re.search(r'<textarea id="key_points-0" name="key_points-0"[^>]*>([^<]*)<', page)
    assert plain and "{{ NI59.latest }}" in plain.group(1)
    assert '<div class="rich" hidden role="textbox"' in page
