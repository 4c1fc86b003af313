"""The Markdown subset officers write: paragraphs, bullets, bold and italic."""

import time

import pytest

from reportgen.paper.markdown import Block, Run, parse_blocks, parse_inline
from reportgen.paper.wordml import paragraphs


def it_splits_paragraphs_on_blank_lines_and_joins_lines_within_one() -> None:
    blocks = parse_blocks("First line\nsame paragraph.\n\nSecond.")
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "First line same paragraph."),
        ("paragraph", "Second."),
    ]


def it_reads_bullets_with_continuation_lines() -> None:
    blocks = parse_blocks("Factors:\n\n- one\n- two\n  continued\n\nAfter.")
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "Factors:"),
        ("bullet", "one"),
        ("bullet", "two continued"),
        ("paragraph", "After."),
    ]


def it_reads_bold_and_italic_even_nested() -> None:
    assert parse_inline("a **b *c* d** e") == (
        Run("a "), Run("b ", bold=True), Run("c", bold=True, italic=True),
        Run(" d", bold=True), Run(" e"),
    )  # fmt: skip


def it_leaves_lone_and_escaped_asterisks_as_typed() -> None:
    assert parse_inline("5 * 3 and **unclosed") == (Run("5 * 3 and **unclosed"),)
    assert parse_inline(r"\*not italic\*") == (Run("*not italic*"),)


def it_makes_word_paragraphs_with_escaped_text_and_real_styles() -> None:
    xml = str(paragraphs([Block("bullet", (Run("P&F <draft>", bold=True),))]))
    assert '<w:pStyle w:val="ListBullet"/>' in xml
    assert "<w:b/>" in xml
    assert "P&amp;F &lt;draft&gt;" in xml
    assert "*" not in xml


def it_sets_a_committee_decision_apart_in_its_place() -> None:
    blocks = parse_blocks("Members were invited to decide.\n\ncommittee decision: To *split* 23.")
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "Members were invited to decide."),
        ("decision", "COMMITTEE DECISION: To split 23."),
    ]
    assert blocks[1].runs[0] == Run("COMMITTEE DECISION:", bold=True)
    assert Run("split", italic=True) in blocks[1].runs
    assert '<w:pStyle w:val="CommitteeDecision"/>' in str(paragraphs(blocks))


def it_letters_paragraphs_where_the_template_asks() -> None:
    text = paragraphs(parse_blocks("Note the report.\n\n- a bullet\n\nAgree the plan."))
    assert text.lettered.count('w:val="LetteredList"') == 2
    assert text.lettered.count('w:val="ListBullet"') == 1
    assert str(text).count('w:val="BodyText"') == 2


def it_reads_bold_inside_italic_and_italic_inside_bold() -> None:
    assert parse_inline("*e **f** g* and **a *b* c**") == (
        Run("e ", italic=True), Run("f", bold=True, italic=True), Run(" g", italic=True),
        Run(" and "),
        Run("a ", bold=True), Run("b", bold=True, italic=True), Run(" c", bold=True),
    )  # fmt: skip


@pytest.mark.parametrize(
    "text", ["*" * 100_000, "**a" * 30_000, "*a" * 50_000, "a**" * 40_000, "*a**" * 30_000]
)
def it_reads_long_runs_of_stars_in_linear_time(text: str) -> None:
    started = time.monotonic()
    parse_blocks(text)
    assert time.monotonic() - started < 2
