"""The live figures a narrative may use, with what each shows today: for a picker that
inserts them, so that an officer never types a number the data already holds."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from reportgen.domain.model import Indicator
from reportgen.errors import InputError
from reportgen.inputs.project import Project
from reportgen.inputs.yamlfile import load_yaml
from reportgen.jobs.checks import raw_renderer

# What the picker offers for each indicator, in this order; one the indicator cannot
# show (no benchmarks, no target) is left out.
ATTRIBUTES = (
    "latest",
    "latest.period",
    "previous",
    "ytd",
    "target",
    "rag",
    "direction",
    "rank",
    "quartile",
    "benchmark_year",
    "title",
)


def live_figures(
    project: Project, narrative: Path, text: str | None = None
) -> list[tuple[Indicator, str, str]]:
    """(indicator, `{{ ID.attribute }}`, what it shows) for each indicator the narrative
    names, as at its period; nothing where the period or indicators cannot be read."""
    try:
        data = load_yaml(narrative, text, project.cache).data
    except InputError:
        return []
    raw = data if isinstance(data, dict) else {}
    renderer = raw_renderer(project, raw)
    if renderer is None:
        return []
    found = []
    for indicator_id in renderer.indicator_ids:
        for attribute in ATTRIBUTES:
            expression = f"{{{{ {indicator_id}.{attribute} }}}}"
            shown = renderer.render(expression, str(narrative), None, "picker")
            if isinstance(shown, str) and shown.strip():
                found.append((project.catalogue[indicator_id], expression, shown))
    return found


def figure_values(
    project: Project, narrative: Path, text: str | None, expressions: Iterable[str]
) -> dict[str, str]:
    """What each live figure of `expressions` (`{{ NI59.rank | ordinal }}`, `{{
    authority.short_name }}`) shows as at the narrative's period, by expression; one that
    cannot be worked out (a mistake in it, no period yet) is left out."""
    try:
        data = load_yaml(narrative, text, project.cache).data
    except InputError:
        return {}
    renderer = raw_renderer(project, data if isinstance(data, dict) else {})
    if renderer is None:
        return {}
    shown = {}
    for expression in expressions:
        value = renderer.render(expression, str(narrative), None, "editor")
        if isinstance(value, str) and value.strip():
            shown[expression] = value
    return shown
