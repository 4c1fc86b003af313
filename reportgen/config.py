"""The input contract: authority, indicator catalogue and narrative YAML, validated.

Each file is parsed with its line map, checked by a pydantic model that forbids unknown
keys, and every validation error becomes a `Problem` with the file, line and key path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from reportgen.errors import InputError, Problems, did_you_mean
from reportgen.model import (
    Authority,
    Compare,
    DfeSource,
    Indicator,
    Measure,
    Polarity,
    RagOn,
    Target,
    TargetKind,
    Unit,
)
from reportgen.numbers import parse_number, to_fraction
from reportgen.periods import Grain, Month, Period
from reportgen.yamlfile import YamlDocument, key_path, load_yaml

ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AuthorityModel(_Strict):
    name: str
    short_name: str
    financial_year_start: int = Field(4, ge=1, le=12)
    la_code: int | None = Field(None, ge=100, le=999)
    statistical_neighbours: list[str] = []
    publish_clearance: bool = True  # false: officers' clearance only in the internal version
    suppress_up_to: int = Field(5, ge=0, le=10)  # published counts 1 to this are suppressed


class DfeModel(_Strict):
    file: str
    filters: dict[str, str] = {}
    value: str
    numerator: str = ""
    denominator: str = ""
    time_period_month: int = Field(3, ge=1, le=12)

    @field_validator("filters", mode="before")
    @classmethod
    def _filters_are_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        return value


_OLD_YTD = ("ratio", "latest", "sum", "mean", "none")


class IndicatorModel(_Strict):
    id: str
    title: str
    unit: Literal["percent", "count", "rate_per_10k", "average", "number"]
    unit_word: str = ""
    polarity: Literal["higher", "lower", "none"]
    grain: Literal["month", "quarter", "year"] = "month"
    measure: Literal["flow", "snapshot"] = "flow"
    ytd: bool = True
    # Numbers, words, a range or a profile: read by _target, which words its own errors.
    target: Any = None
    tolerance: Any = 0
    floor: Decimal | None = None
    decimals: int = Field(0, ge=0, le=4)
    rag_on: Literal["ytd", "latest"] | None = None
    compare: Literal["previous", "last_year"] = "previous"
    dfe: DfeModel | None = None
    number: int | str | None = None
    theme: str | None = None
    replaces: list[str] = []
    decision: str = ""

    @field_validator("ytd", mode="before")
    @classmethod
    def _ytd_as_first_written(cls, value: Any) -> Any:
        # The first README wrote the method: say what replaced it, not only "yes or no".
        if isinstance(value, str) and value.strip().lower() in _OLD_YTD:
            written = "false" if value.strip().lower() == "none" else "true"
            raise ValueError(
                f"'{value}' is no longer a ytd method: `ytd` is now true or false, and the "
                f"method follows from `unit` and `measure`; write `ytd: {written}`"
            )
        return value

    @field_validator("id")
    @classmethod
    def _id_is_a_name(cls, value: str) -> str:
        if not ID_RE.match(value):
            raise ValueError(
                f"'{value}' cannot be used as a name in narrative: use letters, digits and _ "
                "only, starting with a letter (e.g. NI59)"
            )
        return value


# The themes a performance index groups indicators under, in its order, unless the
# catalogue lists its own.
DEFAULT_THEMES = (
    "Early help",
    "Safeguarding",
    "Looked-after children",
    "Care leavers",
    "Education",
    "Workforce",
)
NUMBER_RE = re.compile(r"^\d+[a-z]?(/\d+[a-z]?)*$")


class RetiredModel(_Strict):
    id: str
    decision: str = ""


class CatalogueModel(_Strict):
    themes: list[str] = list(DEFAULT_THEMES)
    retired: list[RetiredModel] = []  # indicators taken out, with the decision that did it
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


class ScorecardModel(_Strict):
    title: str = "Performance index"
    periods: int = Field(3, ge=1, le=4)  # how many recent periods each row shows
    placement: Literal["section", "document"] = "section"
    charts: bool | list[str] = True  # every indicator's charts, none, or these

    @property
    def separate(self) -> bool:
        """Whether the index is its own document rather than a section of the paper."""
        return self.placement == "document"


class NarrativeModel(_Strict):
    template: str
    committee: str
    meeting_date: date
    subject: str
    wards: str = "All"
    responsible_officer: str
    portfolio_holder: str | None = None
    exempt: bool = False
    exempt_paragraph: int | None = Field(None, ge=1, le=7)  # of Schedule 12A, LGA 1972
    key_decision: bool = False
    enclosures: list[str] = []
    period: str
    indicators: list[str] = []
    comparators: list[str] | None = None  # comparator tables for these (default: all)
    summary: str
    recommendations: str
    key_points: list[str] = []
    sections: list[SectionModel] = []
    alternative_options: str = "None."
    consultation: str = "None."
    timetable: str = "None."
    financial_implications: str = "None."
    legal_implications: str = "None."
    equalities_implications: str = "None."
    crime_and_disorder_implications: str = "None."
    risk_management_implications: str = "None."
    corporate_priorities: str = "None."
    clearance: list[ClearanceModel] = []
    contacts: list[ContactModel] = []
    background_papers: str = "None."
    scorecard: ScorecardModel | None = None
    rating_changes: dict[str, str] = {}  # the officer's narrative for each rating change
    corrections: dict[str, str] = {}  # the officer's words on an indicator's corrections

    @field_validator("period")
    @classmethod
    def _period_is_a_month(cls, value: str) -> str:
        Month.parse(value)
        return value

    @model_validator(mode="after")
    def _exempt_says_why(self) -> NarrativeModel:
        if self.exempt and self.exempt_paragraph is None:
            raise ValueError(
                "an exempt report must say which paragraph of Schedule 12A to the Local "
                "Government Act 1972 it relies on: add `exempt_paragraph:` (1 to 7)"
            )
        if self.exempt_paragraph is not None and not self.exempt:
            raise ValueError(
                "exempt_paragraph is given but the report is not exempt: set `exempt: true`, "
                "or remove exempt_paragraph"
            )
        return self


class AgendaItemModel(_Strict):
    title: str | None = None  # default: a paper's subject
    narrative: str | None = None  # a narrative file reportgen builds the paper from
    file: str | None = None  # a paper supplied as .pdf or .docx
    exempt_paragraph: int | None = Field(None, ge=1, le=7)  # a supplied paper that is exempt

    @model_validator(mode="after")
    def _one_paper(self) -> AgendaItemModel:
        if self.exempt_paragraph is not None and not self.file:
            raise ValueError(
                "exempt_paragraph marks a supplied paper exempt; a paper reportgen builds "
                "says so in its narrative: remove it here, or set `exempt:` in the narrative"
            )
        if self.narrative and self.file:
            raise ValueError(
                "an item has one paper: give `narrative:` (a paper reportgen builds) or "
                "`file:` (a supplied .pdf or .docx), not both"
            )
        if not self.title and not self.narrative:
            raise ValueError("an item needs a title: add `title: …`")
        return self


class MeetingModel(_Strict):
    committee: str
    date: date
    time: str
    venue: str
    supplementary: bool = False  # a pack of late items
    items: list[AgendaItemModel]


# Narrative fields whose text may hold Markdown and live figures, by key path pattern.
NARRATIVE_TEXT_FIELDS = (
    "summary",
    "recommendations",
    "alternative_options",
    "consultation",
    "timetable",
    "financial_implications",
    "legal_implications",
    "equalities_implications",
    "crime_and_disorder_implications",
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
        la_code="" if model.la_code is None else str(model.la_code),
        publish_clearance=model.publish_clearance,
        suppress_up_to=model.suppress_up_to,
    )
    return authority, document


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
) -> Catalogue:
    """The indicator catalogue; duplicate ids, reserved names and entries whose keys do not
    fit together are problems."""
    document = _load(path, problems)
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
        item = _validate_part(document, raw, ("indicators", index), IndicatorModel, problems)
        if item is None:
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
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
        entry = _Entry(document, index, item, problems)
        indicator = entry.indicator(financial_year_start, themes)
        if indicator is None:
            broken.add(item.id)
            continue
        number = indicator.number or str(index + 1)
        if number in numbers:
            key = f"indicators[{index}].number"
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
                f"retired[{index}].id",
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
                f"themes[{index}]",
                f"'{theme}' is listed twice",
                "list each theme once, in the order the performance index shows them",
            )
            continue
        seen.append(theme)
    return seen


@dataclass
class _Entry:
    """One catalogue entry that passed the model: checks that its keys fit together."""

    document: YamlDocument
    index: int
    item: IndicatorModel
    problems: Problems
    ok: bool = True

    def add(self, key: str, what: str, fix: str) -> None:
        loc: tuple[str | int, ...] = ("indicators", self.index, *key.split("."))
        self.problems.add(
            self.document.path,
            self.document.lines.of(loc),
            key_path(loc),
            f"{self.item.id}: {what}",
            fix,
        )
        self.ok = False

    def indicator(self, financial_year_start: int, themes: list[str]) -> Indicator | None:
        item = self.item
        unit, polarity, grain = Unit(item.unit), Polarity(item.polarity), Grain(item.grain)
        if unit is Unit.AVERAGE and not item.unit_word:
            self.add("unit", "an average needs its unit word", "add e.g. `unit_word: weeks`")
        if item.unit_word and unit in (Unit.PERCENT, Unit.RATE_PER_10K):
            self.add(
                "unit_word",
                f"a {item.unit.replace('_', ' ')} prints its own unit",
                "remove unit_word",
            )
        measure = Measure(item.measure)
        if unit is Unit.NUMBER and measure is Measure.FLOW and item.ytd and grain is not Grain.YEAR:
            self.add(
                "measure",
                "a plain number cannot be added up into a year to date",
                "set `measure: snapshot` or `ytd: false`",
            )
        target = self._target(polarity, grain, financial_year_start)
        dfe = None
        if item.dfe is not None:
            dfe = DfeSource(
                file=item.dfe.file,
                value=item.dfe.value,
                filters=tuple(item.dfe.filters.items()),
                numerator=item.dfe.numerator,
                denominator=item.dfe.denominator,
                time_period_month=item.dfe.time_period_month,
            )
        number = "" if item.number is None else str(item.number).strip()
        if item.number is not None and (
            isinstance(item.number, bool) or not NUMBER_RE.match(number)
        ):
            self.add(
                "number",
                f"'{item.number}' is not an indicator number",
                "write a whole number (16), or numbers joined by / (27/28)",
            )
        theme = self._theme(themes)
        if not self.ok or target is None:
            return None
        return Indicator(
            id=item.id,
            title=item.title,
            unit=unit,
            polarity=polarity,
            grain=grain,
            measure=measure,
            ytd=item.ytd,
            target=target,
            decimals=item.decimals,
            rag_on=None if item.rag_on is None else RagOn(item.rag_on),
            compare=Compare(item.compare),
            unit_word=item.unit_word,
            dfe=dfe,
            number=number,
            theme=theme,
            replaces=tuple(item.replaces),
            decision=item.decision,
        )

    def _theme(self, themes: list[str]) -> str:
        if self.item.theme is None:
            return ""
        by_case = {theme.casefold(): theme for theme in themes}
        theme = by_case.get(self.item.theme.strip().casefold())
        if theme is None:
            self.add(
                "theme",
                f"'{self.item.theme}' is not one of the catalogue's themes",
                did_you_mean(
                    self.item.theme,
                    themes,
                    otherwise=f"use one of: {', '.join(themes)} (or list it under `themes:`)",
                ),
            )
            return ""
        return theme

    def _target(self, polarity: Polarity, grain: Grain, start: int) -> Target | None:
        item = self.item
        raw = item.target
        tolerance, relative = self._tolerance()
        floor = None if item.floor is None else to_fraction(item.floor)
        target: Target | None
        words = {
            kind.value: kind
            for kind in TargetKind
            if kind.value not in ("value", "profile", "range")
        }
        if raw is None or (isinstance(raw, str) and raw.strip().lower() == "none"):
            target = Target(TargetKind.NONE)
        elif isinstance(raw, bool):
            self.add("target", "must be a number, a range, a profile or words", _TARGET_FORMS)
            return None
        elif isinstance(raw, int | float):
            target = Target(TargetKind.VALUE, value=to_fraction(raw))
        elif isinstance(raw, str):
            kind = words.get(raw.strip().lower())
            if kind is None:
                fix = did_you_mean(raw.strip().lower(), list(words), otherwise=_TARGET_FORMS)
                self.add("target", f"'{raw}' is not a target", fix)
                return None
            target = Target(kind)
        elif isinstance(raw, dict) and set(raw) == {"range"}:
            target = self._range(raw["range"])
        elif isinstance(raw, dict) and set(raw) == {"profile"}:
            target = self._profile(raw["profile"], grain, start)
        else:
            self.add("target", "must be a number, a range, a profile or words", _TARGET_FORMS)
            return None
        if target is None:
            return None
        target = replace(target, tolerance=tolerance, relative=relative, floor=floor)
        self._fits(target, polarity)
        return target

    def _fits(self, target: Target, polarity: Polarity) -> None:
        """Problems where a target's kind, polarity, tolerance and floor disagree."""
        kind = target.kind
        if kind in (TargetKind.VALUE, TargetKind.PROFILE) and polarity is Polarity.NONE:
            self.add(
                "target",
                "a target needs a polarity saying which way is better",
                "set polarity: higher or polarity: lower, or remove the target",
            )
        wanted = {
            TargetKind.AS_HIGH_AS_POSSIBLE: Polarity.HIGHER,
            TargetKind.AS_LOW_AS_POSSIBLE: Polarity.LOWER,
        }.get(kind)
        if wanted is not None and polarity is not wanted:
            self.add(
                "target",
                f"'{kind.value}' needs `polarity: {wanted.value}`",
                f"set polarity: {wanted.value}",
            )
        if not target.rated and (target.tolerance or target.floor is not None):
            self.add(
                "tolerance" if target.tolerance else "floor",
                "only a rated target (a number, a profile or a range) has a tolerance or floor",
                "remove it, or give a target",
            )
        if target.floor is None:
            return
        if target.tolerance:
            self.add("floor", "give a tolerance or a floor, not both", "remove one of them")
        if kind is TargetKind.RANGE:
            self.add("floor", "an acceptable range has no floor", "use tolerance instead")
            return
        targets = [target.value] if kind is TargetKind.VALUE else [v for _, v in target.profile]
        higher = polarity is Polarity.HIGHER
        if any(
            t is not None and (target.floor >= t if higher else target.floor <= t) for t in targets
        ):
            side = "below" if higher else "above"
            self.add(
                "floor",
                f"the floor must be {side} the target (polarity: {polarity.value})",
                f"set a floor {side} the target: beyond it is Red, between it and the target Amber",
            )

    def _tolerance(self) -> tuple[Fraction, bool]:
        raw = self.item.tolerance
        text = str(raw).strip()
        relative = text.endswith("%")
        try:
            value = parse_number(text.removesuffix("%")) if not isinstance(raw, bool) else None
        except ValueError:
            value = None
        if value is None or value < 0:
            self.add(
                "tolerance",
                f"'{raw}' is not a tolerance",
                "write a number (3: three points either side) or a percent of the target (10%)",
            )
            return Fraction(0), False
        return Fraction(value), relative

    def _range(self, raw: Any) -> Target | None:
        numbers = raw if isinstance(raw, list) else []
        values = [
            to_fraction(n)
            for n in numbers
            if isinstance(n, int | float) and not isinstance(n, bool)
        ]
        if len(numbers) != 2 or len(values) != 2 or values[0] >= values[1]:
            self.add(
                "target.range",
                "must be two numbers, lowest first",
                "write e.g. `target: {range: [12, 20]}`",
            )
            return None
        return Target(TargetKind.RANGE, low=values[0], high=values[1])

    def _profile(self, raw: Any, grain: Grain, start: int) -> Target | None:
        if not isinstance(raw, dict) or not raw:
            self.add(
                "target.profile",
                "must be a period and target on each line",
                f"write e.g. `{grain.example}: 20` under profile",
            )
            return None
        profile: dict[Period, Fraction] = {}
        for text, value in raw.items():
            try:
                period = grain.parse(str(text), start)
            except ValueError as exc:
                self.add(
                    f"target.profile.{text}",
                    str(exc),
                    f"this indicator's data are by {grain.value}",
                )
                continue
            if not isinstance(value, int | float) or isinstance(value, bool):
                self.add(
                    f"target.profile.{text}",
                    f"'{value}' is not a number",
                    "write a number without %",
                )
                continue
            profile[period] = to_fraction(value)
        if not self.ok:
            return None
        years = sorted({p.last.financial_year(start) for p in profile})
        for year in years:
            missing = [
                p.code for p in grain.periods(year.first, year.last, start) if p not in profile
            ]
            if missing:
                self.add(
                    "target.profile",
                    f"the profile for {year} misses {', '.join(missing)}",
                    "give a target for every period of each year in the profile",
                )
        if not self.ok:
            return None
        return Target(
            TargetKind.PROFILE, profile=tuple(sorted(profile.items(), key=lambda kv: kv[0].last))
        )


_TARGET_FORMS = (
    "write a number (83), `{range: [12, 20]}`, `{profile: {2019-04: 20, …}}`, "
    "`as high as possible`, `as low as possible` or `none`"
)


def load_narrative(
    path: Path, problems: Problems, text: str | None = None
) -> tuple[NarrativeModel | None, YamlDocument | None]:
    """The narrative in `path` (or, with `text`, that text as the file's: an edit not yet
    saved), validated; None where it cannot be read, with the reasons in `problems`."""
    document = _load(path, problems, text)
    if document is None:
        return None, None
    return validate(document, NarrativeModel, problems), document


def _load(path: Path, problems: Problems, text: str | None = None) -> YamlDocument | None:
    if text is None and not path.is_file():
        problems.add(path, None, "", "does not exist", "create it (see the README for its format)")
        return None
    try:
        return load_yaml(path, text)
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
