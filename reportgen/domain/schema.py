"""The input contract as pydantic models (pure): the keys of authority, catalogue,
narrative and meeting files, their types and the values they allow.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from reportgen.domain.periods import Month

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
    # The council's own words for header lines, for every paper (a narrative's win).
    header_labels: HeaderLabelsModel | None = None
    case_records: CaseRecordsModel | None = None  # the case-level extract in data/cases/


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


def _texts(value: Any) -> Any:
    """A filter's values as text, one or a list: codes such as `1` are read as `"1"`."""
    if not isinstance(value, dict):
        return value
    return {
        str(k): [str(v) for v in vs] if isinstance(vs, list) else str(vs) for k, vs in value.items()
    }


class FromToModel(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    start: str = Field(alias="from")
    to: str


class WithinModel(FromToModel):
    days: int | None = Field(None, ge=0, le=3650)
    working_days: int | None = Field(None, ge=0, le=2600)
    weeks: int | None = Field(None, ge=0, le=520)
    months: int | None = Field(None, ge=0, le=120)

    @property
    def limits(self) -> dict[str, int]:
        """The limits given, by unit: exactly one once validated."""
        units = ("days", "working_days", "weeks", "months")
        return {u: getattr(self, u) for u in units if getattr(self, u) is not None}

    @model_validator(mode="after")
    def _one_limit(self) -> WithinModel:
        if len(self.limits) != 1:
            raise ValueError(
                "give one limit: days, working_days, weeks or months (e.g. `working_days: 45`)"
            )
        return self


class PreviousModel(_Strict):
    months: int = Field(ge=1, le=120)


class AtLeastModel(_Strict):
    records: int = Field(ge=1, le=100)
    months: int = Field(12, ge=1, le=120)
    continues: dict[str, str | list[str]] = {}

    _continues_are_text = field_validator("continues", mode="before")(
        classmethod(lambda cls, value: _texts(value))
    )


class CasesModel(_Strict):
    """How an indicator is counted from case-level records in data/cases/."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    table: str
    filter: dict[str, str | list[str]] = {}
    in_period: str | None = None
    open: FromToModel | None = None
    count: Literal["records", "children"] = "records"
    within: WithinModel | None = None
    previous: Literal["ever"] | PreviousModel | None = None
    at_least: AtLeastModel | None = None
    duration: FromToModel | None = None
    first: str | None = Field(None, alias="from")

    _filter_is_text = field_validator("filter", mode="before")(
        classmethod(lambda cls, value: _texts(value))
    )

    @field_validator("first")
    @classmethod
    def _first_is_a_month(cls, value: str | None) -> str | None:
        if value is not None:
            Month.parse(value)
        return value


class CaseRecordsModel(_Strict):
    """The project's case-level extract (`case_records:` in authority.yaml)."""

    extract_date: date
    first_period: str | None = None
    validated_to: str | None = None
    population: Literal["dfe"] | int | dict[str, int | Literal["dfe"]] | None = None
    bank_holidays: list[date] = []
    columns: dict[str, dict[str, str]] = {}

    @field_validator("first_period", "validated_to")
    @classmethod
    def _is_a_month(cls, value: str | None) -> str | None:
        if value is not None:
            Month.parse(str(value))
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
    cases: CasesModel | None = None
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


Day = date  # for a field called `date`


class ClearanceModel(_Strict):
    """A role whose clearance the paper needs. Given with `name` and `date`, the clearance
    was recorded by hand; a role alone is cleared by a sign-off (see SignOffModel)."""

    role: str = Field(min_length=1)
    name: str = ""
    date: Day | None = None

    @model_validator(mode="before")
    @classmethod
    def _a_role_alone(cls, value: Any) -> Any:
        return {"role": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _name_and_date_together(self) -> ClearanceModel:
        if bool(self.name) != (self.date is not None):
            raise ValueError(
                "give both `name` and `date` for a clearance recorded by hand, or the role "
                "alone for one cleared in reportgen serve"
            )
        return self

    @property
    def signed(self) -> bool:
        """Whether the clearance was recorded by hand, in the narrative itself."""
        return self.date is not None


class SignOffModel(_Strict):
    """One clearer's sign-off of a paper, as reportgen serve records it."""

    role: str = Field(min_length=1)
    name: str = Field(min_length=1)
    date: date
    content: str = Field(pattern=r"^[0-9a-f]{64}$")  # the narrative's content when cleared


class SignOffsModel(_Strict):
    about: str = ""
    signoffs: list[SignOffModel] = []


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


# The header lines each built-in house style prints, with its labels, as the reference papers
# word them. A narrative's `header_labels` rewords any of them, e.g. the 2011 paper's
# "Scrutiny Lead Member area" for "Portfolio Holder"; a template of the council's own may
# place any of these lines (`labels.<line>`), with the information report's words by default.
HOUSE_LABELS: dict[str, dict[str, str]] = {
    "information_report": {
        "meeting_date": "Date of Meeting",
        "subject": "Subject",
        "key_decision": "Key Decision",
        "responsible_officer": "Responsible Officer",
        "portfolio_holder": "Portfolio Holder",
        "exempt": "Exempt",
        "enclosures": "Enclosures",
    },
    "performance_report": {
        "committee": "Committee",
        "meeting_date": "Date",
        "wards": "Wards",
        "subject": "Subject",
        "responsible_officer": "Lead officer",
        "portfolio_holder": "Lead member",
        "contact_officer": "Contact officer",
    },
}
DEFAULT_LABELS = {
    **HOUSE_LABELS["performance_report"],
    **HOUSE_LABELS["information_report"],
}
LABEL_LENGTH = 30  # a label fits the information report's label column (6 cm)


class HeaderLabelsModel(_Strict):
    """How the header block names its lines, where a paper's words differ from its house
    style's: `portfolio_holder: Scrutiny Lead Member area`."""

    committee: str | None = None
    meeting_date: str | None = None
    wards: str | None = None
    subject: str | None = None
    key_decision: str | None = None
    responsible_officer: str | None = None
    portfolio_holder: str | None = None
    exempt: str | None = None
    enclosures: str | None = None
    contact_officer: str | None = None

    @field_validator("*")
    @classmethod
    def _a_short_line(cls, value: str | None) -> str | None:
        if value is None:
            return None
        label = value.strip().removesuffix(":").strip()
        if not label or "\n" in label:
            raise ValueError(
                "a label must be one line of text: write the words the header prints before "
                "the colon, e.g. `Scrutiny Lead Member area`"
            )
        if len(label) > LABEL_LENGTH:
            raise ValueError(
                f"'{label}' is longer than {LABEL_LENGTH} characters, more than the header's "
                f"label column holds: shorten it"
            )
        return label

    def given(self) -> dict[str, str]:
        """The lines given a label of their own, by key."""
        return {key: value for key, value in self.model_dump().items() if value is not None}


AuthorityModel.model_rebuild()


class NarrativeModel(_Strict):
    template: str
    committee: str
    meeting_date: date
    subject: str
    wards: str = "All"
    responsible_officer: str
    portfolio_holder: str | None = None
    header_labels: HeaderLabelsModel | None = None  # where not the house style's words
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

    @field_validator("header_labels")
    @classmethod
    def _lines_the_house_style_prints(
        cls, value: HeaderLabelsModel | None, info: ValidationInfo
    ) -> HeaderLabelsModel | None:
        template = info.data.get("template")
        lines = HOUSE_LABELS.get(template) if isinstance(template, str) else None
        if value is None or lines is None:
            return value
        for key in value.given():
            if key not in lines:
                raise ValueError(
                    f"the {template} template prints no {key} line: remove `{key}:` from "
                    f"header_labels (its lines: {', '.join(lines)})"
                )
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
    membership: list[str] = []  # the committee's members, as the front sheet lists them
    contact: ContactModel | None = None  # the democratic services officer for the meeting
    items: list[AgendaItemModel]
