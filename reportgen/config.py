"""The input contract: authority, indicator catalogue and narrative YAML, validated.

Each file is parsed with its line map, checked by a pydantic model that forbids unknown
keys, and every validation error becomes a `Problem` with the file, line and key path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from reportgen.errors import InputError, Problems, did_you_mean
from reportgen.model import Authority, Indicator, Polarity, RagOn, Unit, YtdMethod
from reportgen.numbers import to_fraction
from reportgen.periods import Month
from reportgen.yamlfile import YamlDocument, key_path, load_yaml

ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AuthorityModel(_Strict):
    name: str
    short_name: str
    financial_year_start: int = Field(4, ge=1, le=12)
    statistical_neighbours: list[str] = []


class IndicatorModel(_Strict):
    id: str
    title: str
    unit: Literal["percent", "count", "average"]
    polarity: Literal["higher", "lower", "none"]
    target: Decimal | None = None
    tolerance: Decimal = Field(Decimal(0), ge=0)
    ytd: Literal["ratio", "sum", "latest", "none"]
    decimals: int = Field(0, ge=0, le=4)
    rag_on: Literal["ytd", "latest"] | None = None

    @field_validator("id")
    @classmethod
    def _id_is_a_name(cls, value: str) -> str:
        if not ID_RE.match(value):
            raise ValueError(
                f"'{value}' cannot be used as a name in narrative: use letters, digits and _ "
                "only, starting with a letter (e.g. NI59)"
            )
        return value


class CatalogueModel(_Strict):
    # Items are validated one by one (see load_catalogue), so one bad entry does not
    # make every data row of the other indicators an error too.
    indicators: list[dict[str, Any]]


class SectionModel(_Strict):
    heading: str
    text: str


class ClearanceModel(_Strict):
    role: str
    name: str
    date: date


class ContactModel(_Strict):
    name: str
    title: str
    phone: str = ""
    email: str = ""


class NarrativeModel(_Strict):
    template: str
    committee: str
    meeting_date: date
    subject: str
    responsible_officer: str
    portfolio_holder: str | None = None
    exempt: bool = False
    key_decision: bool = False
    enclosures: list[str] = []
    period: str
    indicators: list[str] = []
    summary: str
    recommendations: str
    key_points: list[str] = []
    sections: list[SectionModel] = []
    financial_implications: str = "None."
    risk_management_implications: str = "None."
    corporate_priorities: str = "None."
    clearance: list[ClearanceModel] = []
    contacts: list[ContactModel] = []
    background_papers: str = "None."

    @field_validator("period")
    @classmethod
    def _period_is_a_month(cls, value: str) -> str:
        Month.parse(value)
        return value


# Narrative fields whose text may hold Markdown and live figures, by key path pattern.
NARRATIVE_TEXT_FIELDS = (
    "summary",
    "recommendations",
    "financial_implications",
    "risk_management_implications",
    "corporate_priorities",
    "background_papers",
)

Model = TypeVar("Model", bound=BaseModel)


def validate(document: YamlDocument, model: type[Model], problems: Problems) -> Model | None:
    """The document as `model`, or None after adding one problem per validation error."""
    if not isinstance(document.data, dict):
        problems.add(
            document.path,
            1,
            "",
            "is empty" if document.data is None else "must be a set of `key: value` lines",
            "see the README for the keys this file takes",
        )
        return None
    return _validate_part(document, document.data, (), model, problems)


def _validate_part(
    document: YamlDocument,
    data: Any,
    prefix: tuple[str | int, ...],
    model: type[Model],
    problems: Problems,
) -> Model | None:
    """`data` (found at `prefix` in the document) as `model`, or None after adding problems."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        # A misspelt key is reported once, as unknown with a hint, not also as missing.
        hinted = {
            (
                tuple(e["loc"][:-1]),
                did_you_mean(str(e["loc"][-1]), _field_names(model, e["loc"][:-1])),
            )
            for e in errors
            if e["type"] == "extra_forbidden"
        }
        for error in errors:
            loc = tuple(error["loc"])
            if error["type"] == "missing" and (loc[:-1], f"did you mean '{loc[-1]}'?") in hinted:
                continue
            _add_validation_problem(document, model, error, problems, prefix)
        return None


def load_authority(path: Path, problems: Problems) -> tuple[Authority | None, YamlDocument | None]:
    document = _load(path, problems)
    if document is None:
        return None, None
    model = validate(document, AuthorityModel, problems)
    if model is None:
        return None, document
    authority = Authority(
        name=model.name,
        short_name=model.short_name,
        financial_year_start=model.financial_year_start,
        statistical_neighbours=tuple(model.statistical_neighbours),
    )
    return authority, document


@dataclass(frozen=True)
class Catalogue:
    """The valid indicators by id, and the ids of entries that had problems (already reported)."""

    indicators: dict[str, Indicator]
    broken: frozenset[str] = frozenset()


def load_catalogue(
    path: Path, problems: Problems, reserved: frozenset[str] = frozenset()
) -> Catalogue:
    """The indicator catalogue; duplicate ids and reserved names are problems."""
    document = _load(path, problems)
    if document is None:
        return Catalogue({})
    model = validate(document, CatalogueModel, problems)
    if model is None:
        return Catalogue({})
    catalogue: dict[str, Indicator] = {}
    broken: set[str] = set()
    for index, raw in enumerate(model.indicators):
        item = _validate_part(document, raw, ("indicators", index), IndicatorModel, problems)
        if item is None:
            if isinstance(raw.get("id"), str):
                broken.add(raw["id"])
            continue
        line = document.lines.of(("indicators", index, "id"))
        key = f"indicators[{index}].id"
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
        if item.polarity == "none" and item.target is not None:
            problems.add(
                path,
                document.lines.of(("indicators", index, "target")),
                f"indicators[{index}].target",
                "a target needs a polarity saying which way is better",
                "set polarity: higher or polarity: lower, or remove the target",
            )
        catalogue[item.id] = Indicator(
            id=item.id,
            title=item.title,
            unit=Unit(item.unit),
            polarity=Polarity(item.polarity),
            ytd=YtdMethod(item.ytd),
            target=None if item.target is None else to_fraction(item.target),
            tolerance=to_fraction(item.tolerance),
            decimals=item.decimals,
            rag_on=None if item.rag_on is None else RagOn(item.rag_on),
        )
    return Catalogue(catalogue, frozenset(broken - set(catalogue)))


def load_narrative(
    path: Path, problems: Problems
) -> tuple[NarrativeModel | None, YamlDocument | None]:
    document = _load(path, problems)
    if document is None:
        return None, None
    return validate(document, NarrativeModel, problems), document


def _load(path: Path, problems: Problems) -> YamlDocument | None:
    if not path.is_file():
        problems.add(path, None, "", "does not exist", "create it (see the README for its format)")
        return None
    try:
        return load_yaml(path)
    except InputError as exc:
        problems.extend(exc.problems)
        return None


_TYPE_WORDS = {
    "string_type": ("must be text", "put the value in quotes"),
    "bool_type": ("must be yes or no", "write true or false"),
    "bool_parsing": ("must be yes or no", "write true or false"),
    "int_type": ("must be a whole number", "write a number such as 4"),
    "int_parsing": ("must be a whole number", "write a number such as 4"),
    "int_from_float": ("must be a whole number", "write a number such as 4"),
    "decimal_type": ("must be a number", "write a number such as 85 or 2.5, without %"),
    "decimal_parsing": ("must be a number", "write a number such as 85 or 2.5, without %"),
    "list_type": ("must be a list", "write each item on its own line starting with '- '"),
    "dict_type": ("must be a set of `key: value` lines", "indent the keys under it"),
    "model_type": ("must be a set of `key: value` lines", "indent the keys under it"),
    "date_type": ("must be a date", "write it as YYYY-MM-DD, e.g. 2011-01-18"),
    "date_parsing": ("must be a date", "write it as YYYY-MM-DD, e.g. 2011-01-18"),
    "date_from_datetime_parsing": (
        "is not a valid date",
        "write it as YYYY-MM-DD, e.g. 2011-01-18",
    ),
    "date_from_datetime_inexact": ("must be a date without a time", "write it as YYYY-MM-DD"),
}


def _add_validation_problem(
    document: YamlDocument,
    model: type[BaseModel],
    error: Any,
    problems: Problems,
    prefix: tuple[str | int, ...] = (),
) -> None:
    model_loc = tuple(error["loc"])
    loc = prefix + model_loc
    kind = error["type"]
    given = error.get("input")
    line = document.lines.of(loc)
    key = key_path(loc)
    if kind == "missing":
        parent = key_path(loc[:-1])
        where = f" in {parent}" if parent else ""
        problems.add(document.path, line, key, f"is required{where}", f"add `{loc[-1]}: …`")
    elif kind == "extra_forbidden":
        valid = _field_names(model, model_loc[:-1])
        fix = did_you_mean(
            str(loc[-1]), valid, otherwise=f"remove it; valid keys here: {', '.join(valid)}"
        )
        problems.add(document.path, line, key, "unknown key", fix)
    elif kind in ("literal_error", "enum"):
        expected = re.findall(r"'([^']*)'", error.get("ctx", {}).get("expected", ""))
        fix = did_you_mean(str(given), expected, otherwise="")
        choices = f"use one of: {', '.join(expected)}"
        problems.add(
            document.path,
            line,
            key,
            f"'{given}' is not allowed",
            f"{fix} ({choices})" if fix else choices,
        )
    elif kind in _TYPE_WORDS:
        what, fix = _TYPE_WORDS[kind]
        shown = "" if isinstance(given, dict | list) else f" (got '{given}')"
        problems.add(document.path, line, key, what + shown, fix)
    elif kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
        what, _, fix = message.partition(": ")
        problems.add(document.path, line, key, what, fix or "correct the value")
    elif kind.startswith(("greater_than", "less_than")):
        problems.add(document.path, line, key, f"{given} is out of range", error["msg"].lower())
    else:  # pragma: no cover - a message pydantic words itself
        problems.add(document.path, line, key, str(error["msg"]), "correct the value")


def _field_names(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The valid keys of the (nested) model at `loc`."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = current.model_fields[part].annotation
        args = getattr(annotation, "__args__", ())
        current = next(
            (a for a in args if isinstance(a, type) and issubclass(a, BaseModel)), annotation
        )
    return list(current.model_fields)
