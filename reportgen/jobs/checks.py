"""Checks of a narrative against its project: the template, indicators and period it
names, the live figures it types by hand, the rating changes it must explain, and the
fields its template places.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reportgen.domain.fields import fields
from reportgen.domain.keys import key_path, position
from reportgen.domain.periods import Month, long_date
from reportgen.domain.schema import NarrativeModel
from reportgen.errors import Problems, did_you_mean, project_path
from reportgen.inputs.paths import OutsideProject
from reportgen.inputs.project import Project
from reportgen.inputs.templates import INDEX_TEMPLATE, NOT_PAPERS, template_files, template_path
from reportgen.inputs.yamlfile import YamlDocument
from reportgen.paper.context import PLACES, narrative_names
from reportgen.paper.narrative import NarrativeRenderer
from reportgen.results.changes import Changes
from reportgen.results.compute import IndicatorResult, latest_period
from reportgen.results.literals import TypedFigures
from reportgen.results.records import Snapshot
from reportgen.word import render


def narrative_fits(project: Project, document: YamlDocument, problems: Problems) -> bool:
    """Whether the template, indicators and period a narrative names exist in the project.

    Reads the raw YAML, so it works even when other keys failed validation; values of the
    wrong type are left to the validation messages.
    """
    raw = document.data if isinstance(document.data, dict) else {}
    ok = True
    template = raw.get("template")
    try:
        found = template_path(project, template) if isinstance(template, str) else None
    except OutsideProject as exc:
        problems.add(
            document.path,
            document.lines.of(("template",)),
            "template",
            str(exc),
            "write the name of a template in templates/, without a folder, e.g. information_report",
        )
        return False
    if found is not None and found.exists() and not found.is_file():
        problems.add(
            document.path,
            document.lines.of(("template",)),
            "template",
            f"{project_path(found, project.root)} is a folder, not a Word template",
            "rename the folder, or put the template (.docx) there",
        )
        return False
    if isinstance(template, str) and found is not None and not found.is_file():
        available = [n for n in template_files(project.root) if n not in NOT_PAPERS]
        fix = did_you_mean(
            template.removesuffix(".docx"),
            available,
            otherwise=f"the templates are: {', '.join(available)} (put your own in templates/)",
        )
        problems.add(
            document.path,
            document.lines.of(("template",)),
            "template",
            f"template '{template}' does not exist",
            fix,
        )
        ok = False
    elif isinstance(template, str):
        ok = _fields_placed(project, document, template, problems) and ok
    try:
        month: Month | None = Month.parse(str(raw.get("period")))
    except ValueError:
        month = None
    indicators = raw.get("indicators")
    named = indicators if isinstance(indicators, list) else []
    scorecard = raw.get("scorecard")
    chosen = {
        ("comparators",): raw.get("comparators"),
        ("scorecard", "charts"): scorecard.get("charts") if isinstance(scorecard, dict) else None,
    }
    for loc, ids in chosen.items():
        for index, indicator_id in enumerate(ids if isinstance(ids, list) else []):
            if indicator_id not in named:
                problems.add(
                    document.path,
                    document.lines.of((*loc, index)),
                    key_path((*loc, index)),
                    f"'{indicator_id}' is not one of this report's indicators",
                    did_you_mean(str(indicator_id), [str(n) for n in named], otherwise="")
                    or "list it under indicators too",
                )
                ok = False
    for index, indicator_id in enumerate(named):
        if not isinstance(indicator_id, str):
            continue
        line = document.lines.of(("indicators", index))
        key = position("indicators", index)
        if indicator_id in project.broken:
            ok = False
        elif indicator_id in project.retired and indicator_id not in project.catalogue:
            decision = project.retired[indicator_id]
            problems.add(
                document.path,
                line,
                key,
                f"{indicator_id} was retired from the catalogue"
                + (f" ({decision.rstrip('.')})" if decision else ""),
                "a paper that names it cannot be built again; what it printed is kept in "
                "data/published/ (see `reportgen history`). For a new paper, remove it or "
                "use the indicator that replaced it",
            )
            ok = False
        elif indicator_id not in project.catalogue:
            fix = did_you_mean(
                indicator_id, project.catalogue, otherwise="add it to config/indicators.yaml"
            )
            problems.add(document.path, line, key, f"unknown indicator '{indicator_id}'", fix)
            ok = False
        elif month is not None:
            indicator = project.catalogue[indicator_id]
            held = project.observations.get(indicator_id, {})
            start = project.authority.financial_year_start
            period = latest_period(indicator, held, month, start)
            if period not in held:
                problems.add(
                    document.path,
                    line,
                    key,
                    f"{indicator_id} has no data for {period.label}",
                    f"add a row for {period.code} to data/indicators/ (with status "
                    "`not available` and the reason if it has not come), or change period",
                )
                ok = False
    return ok


def typed_figures(
    narrative: NarrativeModel,
    document: YamlDocument,
    results: Sequence[IndicatorResult],
    since: Snapshot | None,
    warnings: Problems,
) -> None:
    """Warns of numbers typed in narrative that are, or were, figures: they would not follow
    the data."""
    typed = TypedFigures(results, since)
    for field in fields(narrative.model_dump(), figures=True):
        start = document.lines.text_start(field.path)
        for found in typed.find(field.text):
            line = start + found.offset if start is not None else None
            warnings.add(document.path, line, field.key, found.what, found.fix)


def explained(
    narrative: NarrativeModel,
    document: YamlDocument,
    changes: Changes | None,
    problems: Problems,
    warnings: Problems,
) -> bool:
    """Whether the narrative's words on rating changes and corrections fit the changes:
    words for an indicator the paper lacks are errors; a rating change with no words, or
    words for a change that did not happen, are warnings (errors with --strict)."""
    changed = {c.id: c for c in changes.ratings} if changes else {}
    corrected = {c.id for c in changes.corrections} if changes else set()
    since = f"the {long_date(changes.since.meeting_date)} meeting" if changes else ""
    ok = True
    for group, happened, what in (
        ("rating_changes", set(changed), "its rating did not change"),
        ("corrections", corrected, "none of its published figures changed"),
    ):
        for indicator_id in getattr(narrative, group):
            line = document.lines.of((group, indicator_id))
            key = f"{group}.{indicator_id}"
            if indicator_id not in narrative.indicators:
                fix = did_you_mean(indicator_id, narrative.indicators, otherwise="")
                problems.add(
                    document.path,
                    line,
                    key,
                    f"'{indicator_id}' is not one of this report's indicators",
                    fix or "use the id of an indicator under indicators",
                )
                ok = False
            elif changes is None:
                warnings.add(
                    document.path,
                    line,
                    key,
                    f"no earlier paper of the {narrative.committee} has been published, so "
                    "there is nothing to compare with",
                    "remove it, or publish the earlier paper with `reportgen publish`",
                )
            elif indicator_id not in happened:
                warnings.add(document.path, line, key, f"{what} since {since}", "remove it")
    for correction in changes.corrections if changes else ():
        if correction.misfit:
            warnings.add(
                document.path,
                document.lines.of(
                    ("corrections", correction.id)
                    if ("corrections", correction.id) in document.lines.key_lines
                    else ("indicators",)
                ),
                f"corrections.{correction.id}",
                f"{correction.period} of indicator {correction.number} changed from "
                f"{correction.before} to {correction.after}, and {correction.misfit}",
                "check the note on that row of data/indicators/, which the paper prints as "
                "the reason",
            )
    for indicator_id, change in changed.items():
        if indicator_id not in narrative.rating_changes:
            warnings.add(
                document.path,
                document.lines.of(
                    ("rating_changes",)
                    if ("rating_changes",) in document.lines.key_lines
                    else ("indicators",)
                ),
                f"rating_changes.{indicator_id}",
                f"indicator {change.number} ({change.title}) changed {change.change} since "
                f"{since} and the paper does not say why",
                f"add `{indicator_id}: …` under rating_changes with the reason and the action",
            )
    return ok


def _fields_placed(
    project: Project, document: YamlDocument, template: str, problems: Problems
) -> bool:
    """Whether the template has a place for every house-style field the narrative sets."""
    placed = render.placed_names(template_path(project, template), project.cache)
    if placed is None:
        return True  # not a Word document: the renderer says so
    raw = document.data if isinstance(document.data, dict) else {}
    name = template.removesuffix(".docx")
    ok = True
    for key in raw:
        if key not in PLACES or PLACES[key] & placed:
            continue
        scorecard = raw.get("scorecard")
        if key == "scorecard" and isinstance(scorecard, dict):
            if scorecard.get("placement") == "document":
                continue
            fix = "add `placement: document` under scorecard to send the index as its own document"
        else:
            fix = "remove it"
        others = [
            name
            for name, path in template_files(project.root).items()
            if name not in NOT_PAPERS
            and PLACES[key] & (render.placed_names(path, project.cache) or frozenset())
        ]
        if others:
            fix += f", or use `template: {others[0]}`, which has a place for it"
        problems.add(
            document.path,
            document.lines.of((key,)),
            key,
            f"the {name} template has no place for {key}",
            fix,
        )
        ok = False
    separate = (
        isinstance(raw.get("scorecard"), dict) and raw["scorecard"].get("placement") == "document"
    )
    if separate and not template_path(project, INDEX_TEMPLATE).is_file():
        problems.add(
            document.path,
            document.lines.of(("scorecard", "placement")),
            "scorecard.placement",
            f"a separate index needs templates/{INDEX_TEMPLATE}",
            "restore it (`reportgen templates copy performance_index`), or use "
            "`placement: section`",
        )
        ok = False
    return ok


def live_figures_of_raw(project: Project, document: YamlDocument, problems: Problems) -> None:
    """The live figures of a narrative whose other keys are wrong, checked all the same
    (so that a missing key and a misspelt figure show in one run), where its period and
    indicators can be read."""
    raw = document.data if isinstance(document.data, dict) else {}
    named = raw.get("indicators")
    if not isinstance(named, list) or not all(
        isinstance(i, str) and i in project.catalogue for i in named
    ):
        return
    renderer = raw_renderer(project, raw)
    if renderer is None:
        return
    for field in fields(raw, figures=True):
        if not field.written:
            continue
        start = document.lines.text_start(field.path)
        rendered = renderer.render(
            field.text, str(document.path), start, field.key, document.source_lines
        )
        if isinstance(rendered, list):
            problems.extend(rendered)


def raw_renderer(project: Project, raw: dict[str, Any]) -> NarrativeRenderer | None:
    """The live figures of a narrative not yet validated, from its period and the known
    indicators it names; None where its period cannot be read."""
    try:
        month = Month.parse(str(raw.get("period")))
    except ValueError:
        return None
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
    return NarrativeRenderer(names, ids, project.cache)
