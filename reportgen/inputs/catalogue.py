"""The indicator catalogue (`config/indicators.yaml`): each entry validated (its keys
checked together by `reportgen.inputs.indicator_entry`), ids and numbers each used once,
retired entries kept with the decision that retired them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from reportgen.cache import Cache
from reportgen.domain.keys import key_path, position
from reportgen.domain.model import Indicator
from reportgen.domain.schema import DEFAULT_THEMES, CatalogueModel, IndicatorModel
from reportgen.errors import Problems
from reportgen.inputs.config import load_document, validate, validate_part
from reportgen.inputs.indicator_entry import IndicatorEntry
from reportgen.inputs.yamlfile import YamlDocument


@dataclass(frozen=True)
class Catalogue:
    """The valid indicators by id, and the ids of entries that had problems (already reported).

    `document` and `positions` let later checks (DfE files, data rows) point at the entry.
    """

    indicators: dict[str, Indicator]
    broken: frozenset[str] = frozenset()
    document: YamlDocument | None = None
    positions: dict[str, int] = field(default_factory=dict)
    themes: tuple[str, ...] = DEFAULT_THEMES
    retired: dict[str, str] = field(default_factory=dict)  # id: the decision that retired it

    def locate(self, indicator_id: str, *keys: str | int) -> tuple[Path, int | None, str]:
        """(file, line, key) of a key inside an indicator's entry."""
        index = self.positions.get(indicator_id, 0)
        loc: tuple[str | int, ...] = ("indicators", index, *keys)
        if self.document is None:
            return Path("config/indicators.yaml"), None, key_path(loc)
        return self.document.path, self.document.lines.of(loc), key_path(loc)


def load_catalogue(
    path: Path,
    problems: Problems,
    reserved: frozenset[str] = frozenset(),
    financial_year_start: int = 4,
    cache: Cache | None = None,
) -> Catalogue:
    """The indicator catalogue; duplicate ids, reserved names and entries whose keys do not
    fit together are problems."""
    document = load_document(path, problems, cache=cache)
    if document is None:
        return Catalogue({})
    model = validate(document, CatalogueModel, problems)
    if model is None:
        return Catalogue({}, document=document)
    catalogue: dict[str, Indicator] = {}
    positions: dict[str, int] = {}
    broken: set[str] = set()
    themes = _themes(document, model.themes, problems)
    numbers: dict[str, str] = {}
    for index, raw in enumerate(model.indicators):
        item = validate_part(document, raw, ("indicators", index), IndicatorModel, problems)
        if item is None:
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                broken.add(raw["id"])
            continue
        line = document.lines.of(("indicators", index, "id"))
        key = position("indicators", index, "id")
        if item.id in catalogue:
            problems.add(
                path, line, key, f"'{item.id}' is used twice", "give each indicator its own id"
            )
            continue
        if item.id in reserved:
            problems.add(
                path,
                line,
                key,
                f"'{item.id}' is a name reportgen already uses in narrative",
                "choose another id",
            )
            continue
        entry = IndicatorEntry(document, index, item, problems)
        indicator = entry.indicator(financial_year_start, themes)
        if indicator is None:
            broken.add(item.id)
            continue
        number = indicator.number or str(index + 1)
        if number in numbers:
            key = position("indicators", index, "number")
            problems.add(
                path,
                document.lines.of(("indicators", index, "number")) or line,
                key,
                f"{item.id}: number {number} is already {numbers[number]}'s"
                + ("" if indicator.number else " (an entry without `number:` takes its position)"),
                "give each indicator its own number",
            )
            broken.add(item.id)
            continue
        numbers[number] = item.id
        catalogue[item.id] = replace(indicator, number=number)
        positions[item.id] = index
    retired = {r.id: r.decision for r in model.retired}
    for index, gone in enumerate(model.retired):
        if gone.id in catalogue:
            problems.add(
                path,
                document.lines.of(("retired", index, "id")),
                position("retired", index, "id"),
                f"{gone.id} is retired but still in the catalogue",
                "remove its entry under indicators, or take it off the retired list",
            )
    return Catalogue(
        catalogue, frozenset(broken - set(catalogue)), document, positions, tuple(themes), retired
    )


def _themes(document: YamlDocument, themes: list[str], problems: Problems) -> list[str]:
    """The catalogue's themes, each once."""
    seen: list[str] = []
    for index, theme in enumerate(themes):
        if theme.casefold() in (t.casefold() for t in seen):
            problems.add(
                document.path,
                document.lines.of(("themes", index)),
                position("themes", index),
                f"'{theme}' is listed twice",
                "list each theme once, in the order the performance index shows them",
            )
            continue
        seen.append(theme)
    return seen
