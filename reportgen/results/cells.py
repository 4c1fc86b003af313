"""How a figure is written in a table cell, shared by every table a paper has (pure)."""

from __future__ import annotations

from reportgen.domain.model import Movement, Rag, Status, TargetKind
from reportgen.domain.periods import Grain
from reportgen.results.compute import IndicatorResult
from reportgen.results.figures import Figure, exact_text, target_text

# Light tints that keep black text above 4.5:1 contrast; the word is always printed too.
RAG_FILL = {Rag.GREEN: "C6EFCE", Rag.AMBER: "FFEB9C", Rag.RED: "FFC7CE", Rag.NOT_RATED: "FFFFFF"}
ARROWS = {Movement.UP: "↑", Movement.DOWN: "↓", Movement.SAME: "→", Movement.NONE: ""}
NO_VALUE = "–"


def direction_text(result: IndicatorResult) -> str:
    """Direction in words with its arrow: `↑ Improving`; where only figures from two
    sources could be compared, saying so: `↓ Improving (council's own against DfE)`."""
    text = f"{ARROWS[result.movement]} {result.direction}".strip()
    if result.mixed:
        text += f" ({_whose(result.latest)} against {_whose(result.compared)})"
    return text


def _whose(figure: Figure) -> str:
    return figure.source or "council's own"


def target_cell(result: IndicatorResult) -> str:
    """The target the rating was judged against: `90%`; for a year to date rated against
    a profile, the year-to-date target and, on a second line, the latest period's."""
    indicator = result.indicator
    text = target_text(indicator, result.period)
    if not (result.rated_on_ytd and indicator.target.kind is TargetKind.PROFILE):
        return text
    if result.rated_target is None:
        return f"No year-to-date target\n({text} for {result.period.short_label})"
    ytd = exact_text(indicator, result.rated_target)
    return f"{ytd} year to date\n({text} for {result.period.short_label})"


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
