"""Template filters that put the library's messages in an officer's words (see
reportgen.web.plain): `{% load plain %}`, then `{{ problem.what|plain }}`,
`{{ problem.key|field }}` or `{{ problem|problem }}`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

import reportgen
from reportgen.web import editing
from reportgen.web import plain as wording

register = template.Library()


@register.filter(name="plain")
def plain(text: Any) -> str:
    """The text with its code (backticks, YAML keys, commands) put in words."""
    return wording.words(str(text)) if text else ""


@register.filter(name="field")
def field(key: Any) -> str:
    """A problem's field, as the officer's word for it."""
    return wording.field(str(key)) if key else ""


@register.filter(name="problem")
def problem(found: Any) -> str:
    """A whole problem in plain words: line, field, what is wrong and the fix."""
    return wording.problem(found)


@register.filter(name="figures")
def figures(text: Any) -> SafeString:
    """The text with each live figure shown as its label, not its code."""
    return mark_safe(wording.figures(str(text or "")))  # escaped in wording


@register.filter(name="paper_words")
def paper_words(text: Any) -> list[tuple[str, SafeString]] | None:
    """A version's words part by part ("Summary", "Key point 2", …), each with its live
    figures as labels; None where the text cannot be read as a paper's."""
    data = editing.parse(str(text))
    if data is None:
        return None
    return [
        (f.label, mark_safe(wording.figures(f.text)))  # escaped in wording
        for f in reportgen.narrative_fields(data)
        if f.text.strip()
    ]


@register.filter(name="paper_file")
def paper_file(path: Any) -> str:
    """A file a problem is in, as a person names it."""
    return wording.place(path)
