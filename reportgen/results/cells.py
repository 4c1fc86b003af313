"""How a figure is written in a table cell, shared by every table a paper has (pure)."""

from __future__ import annotations

from reportgen.domain.model import Movement, Rag, Status
from reportgen.domain.periods import Grain
from reportgen.results.compute import IndicatorResult
from reportgen.results.figures import Figure

# Light tints that keep black text above 4.5:1 contrast; the word is always printed too.
RAG_FILL = {Rag.GREEN: "C6EFCE", Rag.AMBER: "FFEB9C", Rag.RED: "FFC7CE", Rag.NOT_RATED: "FFFFFF"}
ARROWS = {Movement.UP: "↑", Movement.DOWN: "↓", Movement.SAME: "→", Movement.NONE: ""}
NO_VALUE = "–"


def direction_text(result: IndicatorResult) -> str:
    """Direction in words with its arrow: `↑ Improving`."""
    return f"{ARROWS[result.movement]} {result.direction}".strip()


def figure_cell(
    figure: Figure, counts: bool = True, dated: bool = False, narrow: bool = False
) -> str:
    """A figure in a table cell: the value (`93% (55 of 59)`, never wrapping inside the
    counts) and, on a second line, its period where the column heading does not give it,
    and whether it is provisional or whose it is (each on its own line in a `narrow`
    cell). A figure without a value says why."""
    if not figure.has_value:
        lines = [figure.why_not]
    else:
        text = figure.text_with_counts if counts else figure.text
        lines = [text.replace(" of ", "\u00a0of\u00a0")]
    details = [period_label(figure)] if dated else []
    if figure.has_value and figure.source:
        details.append(figure.source)
    elif figure.has_value and figure.status is Status.PROVISIONAL:
        details.append("provisional")
    if details:
        lines.extend(details) if narrow else lines.append(", ".join(details))
    return "\n".join(lines)


def ytd_cell(result: IndicatorResult) -> str:
    """The year to date, or why an indicator has none."""
    if result.indicator.grain is Grain.YEAR:
        return "Annual figure"
    if not result.indicator.has_ytd:
        return "No year to date"
    return figure_cell(result.ytd, counts=False)


def benchmark_cell(figure: Figure | None) -> str:
    """A published comparator's figure, or why it has none (`Suppressed`)."""
    if figure is None:
        return NO_VALUE
    return figure.text if figure.has_value else figure.reason.capitalize()


def period_label(figure: Figure) -> str:
    return figure.period.short_label if figure.period is not None else ""
