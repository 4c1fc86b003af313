"""The template context: every word, label and colour a template places (pure, no I/O).

Templates stay dumb: they only put these values where they belong. Narrative text arrives
here already rendered (live figures filled in) and becomes Word paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from reportgen import wordml
from reportgen.compute import Figure, IndicatorResult, target_figure
from reportgen.config import NarrativeModel
from reportgen.markdown import Block, parse_blocks, parse_inline
from reportgen.model import Authority, Movement, Rag, YtdMethod
from reportgen.narrative import AuthorityView, IndicatorView
from reportgen.periods import Month, long_date

# Light tints that keep black text above 4.5:1 contrast; the word is always printed too.
RAG_FILL = {Rag.GREEN: "C6EFCE", Rag.AMBER: "FFEB9C", Rag.RED: "FFC7CE", Rag.NOT_RATED: "FFFFFF"}
OWN_AREA_FILL = "DDEBF7"
PLAIN_FILL = "FFFFFF"
ARROWS = {Movement.UP: "↑", Movement.DOWN: "↓", Movement.SAME: "→", Movement.NONE: ""}
AGGREGATE_AREAS = (
    "Inner London",
    "Outer London",
    "London",
    "South East",
    "South West",
    "East of England",
    "East Midlands",
    "West Midlands",
    "Yorkshire and The Humber",
    "North West",
    "North East",
    "England",
)


def slug(text: str) -> str:
    """A file-name-safe form of a committee name: `performance-and-finance-scrutiny`."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", " and ")).strip("-")


def yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def narrative_names(
    results: Sequence[IndicatorResult], authority: Authority, narrative: NarrativeModel
) -> dict[str, Any]:
    """The names live figures may use: each indicator by id, `ind`, `authority`, `report`."""
    views = {result.indicator.id: IndicatorView(result) for result in results}
    return {
        **views,
        "ind": views,
        "authority": AuthorityView.of(authority),
        "report": {
            "period": Month.parse(narrative.period).label,
            "meeting_date": long_date(narrative.meeting_date),
            "committee": narrative.committee,
        },
    }


def build_context(
    narrative: NarrativeModel,
    texts: Mapping[str, str],
    results: Sequence[IndicatorResult],
    authority: Authority,
    names: Mapping[str, Any],
) -> dict[str, Any]:
    """Everything the Word template places.

    `texts` holds the rendered narrative by key; `names` are the live-figure names the
    narrative was rendered with (see `narrative_names`), which templates may use too.
    """
    month = Month.parse(narrative.period)
    performance = performance_table(results, month)
    comparators = [table for r in results if (table := comparator_table(r, authority))]
    numbered = ([performance] if performance["rows"] else []) + comparators
    for number, table in enumerate(numbered, start=1):
        table["caption"] = f"Table {number}: {table['caption']}"

    def rich(key: str) -> Any:
        return wordml.paragraphs(parse_blocks(texts[key]))

    return {
        **names,
        "committee": narrative.committee,
        "committee_heading": narrative.committee.upper(),
        "meeting_date": long_date(narrative.meeting_date),
        "subject": narrative.subject,
        "responsible_officer": narrative.responsible_officer,
        "portfolio_holder": narrative.portfolio_holder or "",
        "exempt": yes_no(narrative.exempt),
        "key_decision": yes_no(narrative.key_decision),
        "enclosures": ", ".join(narrative.enclosures) or "None",
        "period": month.label,
        "summary": rich("summary"),
        "recommendations": rich("recommendations"),
        "key_points": wordml.paragraphs(
            block
            for index in range(len(narrative.key_points))
            for block in _as_bullets(texts[f"key_points[{index}]"])
        ),
        "sections": [
            {"heading": texts[f"sections[{i}].heading"], "body": rich(f"sections[{i}].text")}
            for i in range(len(narrative.sections))
        ],
        "financial_implications": rich("financial_implications"),
        "risk_management_implications": rich("risk_management_implications"),
        "corporate_priorities": rich("corporate_priorities"),
        "background_papers": rich("background_papers"),
        "clearance": [
            {"role": c.role, "name": c.name, "date": long_date(c.date)} for c in narrative.clearance
        ],
        "contacts": [
            {
                "name": c.name,
                "title": c.title,
                "phone": c.phone,
                "email": c.email,
                "details": " / ".join(part for part in (c.phone, c.email) if part),
            }
            for c in narrative.contacts
        ],
        "performance": performance,
        "comparators": comparators,
    }


def results_table(results: Sequence[IndicatorResult]) -> list[list[str]]:
    """The computed results as rows of text for the terminal, headings first."""
    rows = [["ID", "Latest", "Previous", "Year to date", "Target", "RAG", "Direction", "Rank"]]
    for result in results:
        target = target_figure(result.indicator)
        benchmarking = result.benchmarking
        rank = "–"
        if benchmarking is not None and benchmarking.rank is not None:
            rank = f"{benchmarking.rank} of {benchmarking.rank_of}"
        rows.append(
            [
                result.indicator.id,
                result.latest.text_with_counts,
                result.previous.text_with_counts,
                result.ytd.text,
                target.text if target else "–",
                str(result.rag),
                str(result.direction),
                rank,
            ]
        )
    return rows


def performance_table(results: Sequence[IndicatorResult], month: Month) -> dict[str, Any]:
    """The performance table: headings naming the periods, and one row per indicator."""
    year = month.financial_year(results[0].financial_year_start if results else 4)
    rows = []
    for result in results:
        indicator = result.indicator
        target = target_figure(indicator)
        arrow = ARROWS[result.movement]
        rows.append(
            {
                "id": indicator.id,
                "indicator": indicator.title,
                "latest": _cell(result.latest),
                "previous": _cell(result.previous),
                "ytd": "No year to date"
                if indicator.ytd is YtdMethod.NONE
                else _cell(result.ytd, counts=False),
                "target": target.text if target else "No target",
                "rag": str(result.rag),
                "rag_fill": RAG_FILL[result.rag],
                "direction": f"{arrow} {result.direction}".strip(),
            }
        )
    return {
        "caption": f"Performance as at {month.label}",
        "latest_heading": month.short_label,
        "previous_heading": month.previous().short_label,
        "ytd_heading": f"Year to date {year.code}",
        "rows": rows,
    }


def comparator_table(result: IndicatorResult, authority: Authority) -> dict[str, Any] | None:
    """The comparator table of one indicator, best first, the authority marked."""
    benchmarking = result.benchmarking
    if benchmarking is None:
        return None
    rows = [
        {
            "rank": str(row.rank) if row.rank is not None else "–",
            "area": f"{row.area} (this authority)" if row.is_own else row.area,
            "value": row.figure.text if row.figure.has_value else row.figure.reason.capitalize(),
            "fill": OWN_AREA_FILL if row.is_own else PLAIN_FILL,
        }
        for row in benchmarking.comparators
    ]
    for area in ("Statistical neighbours", *AGGREGATE_AREAS):
        figure = benchmarking.figures.get(area)
        if figure is not None:
            label = "Statistical neighbour average" if area == "Statistical neighbours" else area
            rows.append({"rank": "–", "area": label, "value": figure.text, "fill": PLAIN_FILL})
    if benchmarking.rank is not None:
        standing = (
            f"{authority.short_name} ranks {benchmarking.rank} of {benchmarking.rank_of} "
            "among itself and its statistical neighbours (1 = best)."
        )
    else:
        standing = f"{authority.short_name} is not ranked: it has no value for {benchmarking.year}."
    return {
        "id": result.indicator.id,
        "caption": f"{result.indicator.title}: statistical neighbours, {benchmarking.year}",
        "year": str(benchmarking.year),
        "standing": standing,
        "rows": rows,
    }


def _cell(figure: Figure, counts: bool = True) -> str:
    """A figure in a table cell: `93% (55 of 59)`, wrapping after `93%` in a narrow cell and
    never inside the counts; a figure without a value says so in words."""
    if not figure.has_value:
        return "Not available"
    if not counts:
        return figure.text
    return figure.text_with_counts.replace(" of ", "\u00a0of\u00a0")


def _as_bullets(text: str) -> list[Block]:
    """A key point is one bullet; further paragraphs inside it stay bullets of their own."""
    blocks = parse_blocks(text)
    return [Block("bullet", block.runs) for block in blocks] or [
        Block("bullet", parse_inline(text))
    ]
