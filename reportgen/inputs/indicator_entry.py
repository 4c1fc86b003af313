"""One entry of the indicator catalogue (`config/indicators.yaml`), once it has passed the
model: its keys checked together (unit and measure, number, theme, target, tolerance and
floor, a `cases:` rule against its table) and made into an `Indicator`. The catalogue as a
whole (ids, numbers, themes, retired entries) is `reportgen.inputs.catalogue`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from reportgen.cases.shapes import SHAPES
from reportgen.domain.cases import AtLeast, CaseRule, Duration, Previous, TimeUnit, Within
from reportgen.domain.keys import key_path
from reportgen.domain.model import (
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
from reportgen.domain.numbers import parse_number, to_fraction
from reportgen.domain.periods import Grain, Month, Period
from reportgen.domain.schema import NUMBER_RE, CasesModel, IndicatorModel
from reportgen.errors import Problems, did_you_mean
from reportgen.inputs.yamlfile import YamlDocument


def _choices(given: dict[str, str | list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A `filter:` or `continues:` mapping: each column and the values it may have."""
    return tuple((c, tuple(v) if isinstance(v, list) else (v,)) for c, v in given.items())


@dataclass
class IndicatorEntry:
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
        cases = (
            self._cases(unit, grain, measure, financial_year_start)
            if item.cases is not None
            else None
        )
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
            cases=cases,
            number=number,
            theme=theme,
            replaces=tuple(item.replaces),
            decision=item.decision,
        )

    def _cases(self, unit: Unit, grain: Grain, measure: Measure, start: int) -> CaseRule | None:
        """The entry's `cases:` rule, its keys checked against the table and the unit."""
        given = self.item.cases
        assert given is not None
        shape = SHAPES.get(given.table)
        if shape is None:
            self.add(
                "cases.table",
                f"'{given.table}' is not a table of case records reportgen reads",
                did_you_mean(given.table, SHAPES, otherwise="use one of: " + ", ".join(SHAPES)),
            )
            return None
        if self.item.dfe is not None:
            self.add(
                "cases",
                "is counted from case records and read from a DfE file",
                "keep one of `cases:` and `dfe:`",
            )
        dates = self._case_dates(given)
        for key, column in dates:
            if column not in shape.dates:
                self.add(
                    key,
                    f"'{column}' is not a date column of {given.table}",
                    did_you_mean(
                        column, shape.dates, otherwise="use one of: " + ", ".join(shape.dates)
                    ),
                )
        if (given.in_period is None) == (given.open is None):
            self.add(
                "cases",
                "needs either `in_period:` (records whose date falls in the period) or "
                "`open:` (records open on the period's last day), not both",
                "e.g. `in_period: AssessmentAuthorisationDate`, or `open: {from: DECOM, to: DEC}`",
            )
            return None
        snapshot = given.open is not None
        if snapshot and measure is not Measure.SNAPSHOT:
            self.add(
                "measure",
                "counts records open at the period's end (`cases: open:`)",
                "set `measure: snapshot`",
            )
        if not snapshot and measure is Measure.SNAPSHOT:
            self.add(
                "measure",
                "counts records in each period (`cases: in_period:`)",
                "remove `measure: snapshot`, or count records open with `open:`",
            )
        children = given.count == "children"
        if children and not snapshot and self.item.ytd and grain is not Grain.YEAR:
            self.add(
                "cases.count",
                "children counted once a period cannot be added up into a year to date "
                "(a child in two months would count twice)",
                "set `ytd: false`, or count records",
            )
        measures = {
            "within": given.within,
            "previous": given.previous,
            "at_least": given.at_least,
            "duration": given.duration,
        }
        named = [key for key, part in measures.items() if part is not None]
        wanted = {
            Unit.PERCENT: ("within", "previous", "at_least"),
            Unit.AVERAGE: ("duration",),
        }.get(unit, ())
        if unit is Unit.NUMBER:
            self.add(
                "unit",
                "a plain number cannot be counted from case records",
                "use count, percent, rate_per_10k or average",
            )
        elif len(named) != (1 if wanted else 0) or any(m not in wanted for m in named):
            said = {
                Unit.PERCENT: "a percent needs one of `within:`, `previous:` or `at_least:` "
                "(what the records it counts must meet)",
                Unit.AVERAGE: "an average needs `duration: {from: …, to: …}`",
            }.get(
                unit,
                f"a {unit.value.replace('_', ' ')} counts records and measures nothing of them",
            )
            self.add(
                f"cases.{named[0]}" if named else "cases",
                said,
                "see the README's “Indicators from case records”",
            )
        if given.at_least is not None and not snapshot:
            self.add(
                "cases.at_least",
                "counts the records of children open at the period's end",
                "count with `open: {from: …, to: …}`",
            )
        span = None
        if given.duration is not None:
            span = {"days": TimeUnit.DAYS, "weeks": TimeUnit.WEEKS}.get(self.item.unit_word)
            if span is None:
                self.add(
                    "unit_word",
                    "an average duration is in days or weeks",
                    "write `unit_word: weeks` or `unit_word: days`",
                )
        first = Month.parse(given.first) if given.first else None
        if first is not None and grain is not Grain.MONTH and grain.of(first, start).first != first:
            self.add(
                "cases.from",
                f"{first.code} does not start a {grain.value}",
                f"give the first month of a {grain.value}",
            )
        if not self.ok:
            return None
        within = None
        if given.within is not None:
            ((unit_name, limit),) = given.within.limits.items()
            within = Within(given.within.start, given.within.to, limit, TimeUnit(unit_name))
        return CaseRule(
            table=given.table,
            filters=_choices(given.filter),
            in_period=given.in_period or "",
            open_from=given.open.start if given.open else "",
            open_to=given.open.to if given.open else "",
            children=children,
            within=within,
            previous=None
            if given.previous is None
            else Previous(0 if given.previous == "ever" else given.previous.months),
            at_least=None
            if given.at_least is None
            else AtLeast(
                given.at_least.records,
                given.at_least.months,
                _choices(given.at_least.continues),
            ),
            duration=None
            if given.duration is None or span is None
            else Duration(given.duration.start, given.duration.to, span),
            first=first,
        )

    @staticmethod
    def _case_dates(given: CasesModel) -> list[tuple[str, str]]:
        """(key, column) of every date a `cases:` rule names."""
        found = [("cases.in_period", given.in_period or "")]
        for part, model in (
            ("open", given.open),
            ("within", given.within),
            ("duration", given.duration),
        ):
            if model is not None:
                found += [(f"cases.{part}.from", model.start), (f"cases.{part}.to", model.to)]
        return [(key, column) for key, column in found if column]

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
        elif isinstance(raw, dict) and set(raw) in ({"profile"}, {"profile", "ytd"}):
            target = self._profile(raw["profile"], grain, start)
            if target is not None and "ytd" in raw:
                ytd = self._profile(raw["ytd"], grain, start, "target.ytd")
                target = None if ytd is None else replace(target, ytd_profile=ytd.profile)
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

    def _profile(
        self, raw: Any, grain: Grain, start: int, key: str = "target.profile"
    ) -> Target | None:
        if not isinstance(raw, dict) or not raw:
            self.add(
                key,
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
                    f"{key}.{text}",
                    str(exc),
                    f"this indicator's data are by {grain.value}",
                )
                continue
            if not isinstance(value, int | float) or isinstance(value, bool):
                self.add(
                    f"{key}.{text}",
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
                    key,
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
