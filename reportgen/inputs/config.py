"""The input contract: authority, indicator catalogue and narrative YAML, validated.

Each file is parsed with its line map, checked by a pydantic model that forbids unknown
keys, and every validation error becomes a `Problem` with the file, line and key path.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import (
    BaseModel,
    ValidationError,
)

from reportgen.cache import Cache
from reportgen.cases.shapes import SHAPES
from reportgen.domain.cases import CaseSettings
from reportgen.domain.keys import key_path
from reportgen.domain.model import (
    Authority,
)
from reportgen.domain.periods import FinancialYear, Month
from reportgen.domain.schema import AuthorityModel, CaseRecordsModel, NarrativeModel
from reportgen.errors import InputError, Problems, did_you_mean
from reportgen.inputs.yamlfile import YamlDocument, load_yaml

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
    return validate_part(document, document.data, (), model, problems)


def validate_part(
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


def load_authority(
    path: Path, problems: Problems, cache: Cache | None = None
) -> tuple[Authority | None, YamlDocument | None]:
    document = load_document(path, problems, cache=cache)
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
        la_code="" if model.la_code is None else str(model.la_code),
        publish_clearance=model.publish_clearance,
        suppress_up_to=model.suppress_up_to,
        header_labels=tuple(model.header_labels.given().items()) if model.header_labels else (),
        cases=_case_settings(model.case_records, model.financial_year_start, document, problems),
    )
    return authority, document


def _case_settings(
    model: CaseRecordsModel | None, start: int, document: YamlDocument, problems: Problems
) -> CaseSettings | None:
    """The `case_records:` settings; a table or a year that is not one is a problem."""
    if model is None:
        return None
    population: list[tuple[FinancialYear, Decimal]] = []
    from_dfe = model.population == "dfe"
    if isinstance(model.population, int):
        population = [(FinancialYear(1900, start), Decimal(model.population))]
    elif isinstance(model.population, dict):
        for text, number in model.population.items():
            loc = ("case_records", "population", text)
            try:
                year = FinancialYear.parse(str(text), start)
            except ValueError as exc:
                problems.add(
                    document.path,
                    document.lines.of(loc),
                    key_path(loc),
                    str(exc),
                    "write the financial year as e.g. 2026-27",
                )
                continue
            if number == "dfe":
                from_dfe = True
            else:
                population.append((year, Decimal(number)))
    for table in model.columns:
        if table not in SHAPES:
            loc = ("case_records", "columns", table)
            problems.add(
                document.path,
                document.lines.of(loc),
                key_path(loc),
                f"'{table}' is not a table of case records reportgen reads",
                did_you_mean(table, SHAPES, otherwise="use one of: " + ", ".join(SHAPES)),
            )
            continue
        for column in model.columns[table]:
            if column not in SHAPES[table].columns:
                at = ("case_records", "columns", table, column)
                problems.add(
                    document.path,
                    document.lines.of(at),
                    key_path(at),
                    f"'{column}' is not a column of {table}",
                    did_you_mean(
                        column,
                        SHAPES[table].columns,
                        otherwise="use one of: " + ", ".join(SHAPES[table].columns),
                    ),
                )
    return CaseSettings(
        extract_date=model.extract_date,
        first=Month.parse(model.first_period) if model.first_period else None,
        validated_to=Month.parse(model.validated_to) if model.validated_to else None,
        population=tuple(population),
        population_from_dfe=from_dfe,
        bank_holidays=tuple(model.bank_holidays),
        columns=tuple(
            (table, tuple(names.items())) for table, names in sorted(model.columns.items())
        ),
    )


def load_narrative(
    path: Path, problems: Problems, text: str | None = None, cache: Cache | None = None
) -> tuple[NarrativeModel | None, YamlDocument | None]:
    """The narrative in `path` (or, with `text`, that text as the file's: an edit not yet
    saved), validated; None where it cannot be read, with the reasons in `problems`."""
    document = load_document(path, problems, text, cache)
    if document is None:
        return None, None
    return validate(document, NarrativeModel, problems), document


def load_document(
    path: Path, problems: Problems, text: str | None = None, cache: Cache | None = None
) -> YamlDocument | None:
    """The YAML file at `path` (or `text` as its), parsed with its line map; None where it
    does not exist or cannot be parsed, with the reason in `problems`."""
    if text is None and not path.is_file():
        problems.add(path, None, "", "does not exist", "create it (see the README for its format)")
        return None
    try:
        return load_yaml(path, text, cache)
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
