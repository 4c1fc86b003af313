"""What was published for one indicator, meeting by meeting, from the snapshots."""

from __future__ import annotations

from reportgen.domain.periods import long_date
from reportgen.errors import (
    InputError,
    Problem,
    did_you_mean,
)
from reportgen.inputs.project import Project


def history(project: Project, indicator_id: str) -> list[list[str]]:
    """What was published for one indicator, meeting by meeting, headings first."""
    if indicator_id not in project.catalogue:
        known = {i.id for s in project.snapshots for i in s.indicators}
        if indicator_id not in known:
            fix = did_you_mean(
                indicator_id, [*project.catalogue, *known], otherwise="see the list of indicators"
            )
            raise InputError(
                [Problem("", None, "indicator", f"unknown indicator '{indicator_id}'", fix)]
            )
    rows = [["Meeting", "Committee", "Period", "Latest", "Year to date", "Target", "RAG",
             "Direction", "Rank"]]  # fmt: skip
    for record in sorted(project.snapshots, key=lambda s: (s.meeting_date, s.paper)):
        printed = record.indicator(indicator_id)
        if printed is None:
            continue
        rank = f"{printed.rank} (band {printed.band})" if printed.band else printed.rank
        period = printed.period
        if indicator_id in project.catalogue:  # as a reader says it: Q1 2026-27
            indicator = project.catalogue[indicator_id]
            period = indicator.grain.parse(period, project.authority.financial_year_start).label
        rows.append(
            [
                long_date(record.meeting_date),
                record.committee,
                period,
                printed.figures.get(printed.period, ""),
                printed.ytd or "–",
                printed.target,
                printed.rag,
                printed.direction,
                rank or "–",
            ]
        )
    return rows
