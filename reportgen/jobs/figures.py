"""The live figures a narrative may use, with what each shows today: for a picker that
inserts them, so that an officer never types a number the data already holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportgen.domain.model import Indicator
from reportgen.domain.periods import Month
from reportgen.errors import InputError
from reportgen.inputs.project import Project
from reportgen.inputs.yamlfile import load_yaml
from reportgen.paper.context import narrative_names
from reportgen.paper.narrative import NarrativeRenderer

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
    try:
        month = Month.parse(str(raw.get("period")))
    except ValueError:
        return []
    named = raw.get("indicators")
    ids = (
        [i for i in named if isinstance(i, str) and i in project.catalogue]
        if isinstance(named, list)
        else []
    )
    when = raw.get("meeting_date")
    names = narrative_names(
        project.results(ids, month),
        project.authority,
        month,
        when if isinstance(when, date) else None,
        str(raw.get("committee", "")),
    )
    renderer = NarrativeRenderer(names, ids, project.cache)
    found = []
    for indicator_id in ids:
        for attribute in ATTRIBUTES:
            expression = f"{{{{ {indicator_id}.{attribute} }}}}"
            shown = renderer.render(expression, str(narrative), None, "picker")
            if isinstance(shown, str) and shown.strip():
                found.append((project.catalogue[indicator_id], expression, shown))
    return found
