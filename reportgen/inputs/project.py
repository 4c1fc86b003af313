"""Loading a project folder: config, catalogue, data, DfE files, snapshots and templates,
checked all at once into one `Project` the jobs work from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from reportgen.cache import Cache
from reportgen.domain.keys import position
from reportgen.domain.model import Authority, BenchmarkValue, Indicator, Level, Observation, Status
from reportgen.domain.periods import FinancialYear, Grain, Month
from reportgen.errors import Problem, Problems, did_you_mean, project_path
from reportgen.inputs.cases import CaseFigures, count_cases
from reportgen.inputs.catalogue import Catalogue, load_catalogue
from reportgen.inputs.config import load_authority
from reportgen.inputs.datafiles import (
    Observations,
    data_files,
    merge,
    read_benchmarks,
    read_observations,
)
from reportgen.inputs.dfe import read_dfe, read_model
from reportgen.inputs.inputfiles import input_digests, input_stamps
from reportgen.inputs.snapshots import PUBLISHED_FOLDER, read_snapshots

# The templates, which the layers above import from here.
from reportgen.inputs.templates import AGENDA_TEMPLATE as AGENDA_TEMPLATE
from reportgen.inputs.templates import BUILT_IN_TEMPLATES as BUILT_IN_TEMPLATES
from reportgen.inputs.templates import INDEX_TEMPLATE as INDEX_TEMPLATE
from reportgen.inputs.templates import template_files as template_files
from reportgen.inputs.yamlfile import YamlDocument
from reportgen.results.compute import IndicatorResult, compute
from reportgen.results.figures import BENCHMARK_CODES, NOT_AVAILABLE
from reportgen.results.ranking import Benchmarking, ComparatorGroup, benchmark
from reportgen.results.records import Snapshot

CACHE_FOLDER = Path(".cache") / "reportgen"


# Names live figures and templates use, or that Jinja gives a meaning of its own.
RESERVED_NAMES = frozenset(
    {"ind", "authority", "report", "loop", "range", "true", "false", "none", "self", "super",
     "caller", "varargs", "kwargs", "True", "False", "None"}
)  # fmt: skip


@dataclass(frozen=True)
class Project:
    """Everything a project folder holds, checked: config, catalogue, data and benchmarks."""

    root: Path
    authority: Authority
    catalogue: dict[str, Indicator]
    # Catalogue entries with problems, reported once in the catalogue (or in data/cases/).
    broken: frozenset[str]
    observations: Observations
    benchmarks: dict[str, list[BenchmarkValue]]  # by indicator id
    groups: dict[str, ComparatorGroup]  # by indicator id, for those with benchmarks
    # Every local authority's value by indicator and year, where a DfE file holds them all.
    populations: dict[str, dict[FinancialYear, tuple[Decimal, ...]]] = field(default_factory=dict)
    themes: tuple[str, ...] = ()  # the catalogue's, in the order a performance index shows
    snapshots: tuple[Snapshot, ...] = ()  # every paper published, from data/published/
    retired: dict[str, str] = field(default_factory=dict)  # id: the decision that retired it
    # The content hash of every input papers are made from, by path from the project folder.
    inputs: dict[str, str] = field(default_factory=dict)
    # What this process keeps between builds (passed in by a service; one per CLI run).
    cache: Cache = field(default_factory=Cache, repr=False, compare=False)
    keep_files: bool = True  # keep DfE extractions and chart pictures in PROJECT/.cache/
    # What loading found that does not stop a paper: records left out of case figures.
    warnings: tuple[Problem, ...] = ()

    @cached_property
    def fingerprint(self) -> str:
        """One hash of every input: projects with the same one compute the same results."""
        text = json.dumps([str(self.root), sorted(self.inputs.items())])
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def cache_folder(self) -> Path | None:
        """Where files kept between runs go, or None when the project keeps none."""
        return self.root / CACHE_FOLDER if self.keep_files else None

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    def results(
        self, ids: Iterable[str], month: Month, suppress_up_to: int = 0
    ) -> list[IndicatorResult]:
        """The computed results of the given indicators as at `month`; with
        `suppress_up_to`, small counts are withheld, as published output needs. Results
        are kept in the cache by the project's inputs: a rebuild after an edit to the words
        does not compute them again."""
        ids = tuple(ids)
        key = (self.fingerprint, ids, month, suppress_up_to)
        kept: tuple[IndicatorResult, ...] = self.cache.get_or_make(
            "results",
            key,
            lambda: tuple(self._compute(ids, month, suppress_up_to)),
            20_000 * len(ids),
        )
        return list(kept)

    def _compute(
        self, ids: Iterable[str], month: Month, suppress_up_to: int
    ) -> list[IndicatorResult]:
        return [
            compute(
                replace(self.catalogue[indicator_id], suppress_up_to=suppress_up_to)
                if suppress_up_to
                else self.catalogue[indicator_id],
                self.observations.get(indicator_id, {}),
                month,
                financial_year_start=self.authority.financial_year_start,
                benchmark_years=self.benchmark_years(indicator_id),
            )
            for indicator_id in ids
        ]

    def benchmark_years(self, indicator_id: str) -> Mapping[FinancialYear, Benchmarking]:
        """Every benchmark year of one indicator."""
        group = self.groups.get(indicator_id)
        if group is None:
            return {}
        return self.cache.get_or_make(
            "benchmarks",
            (self.fingerprint, indicator_id),
            lambda: benchmark(
                self.catalogue[indicator_id],
                self.benchmarks[indicator_id],
                group,
                self.populations.get(indicator_id),
            ),
            300 * len(self.benchmarks[indicator_id]),
        )


def load_project(
    root: Path,
    problems: Problems,
    *,
    cache: Cache | None = None,
    keep_files: bool = True,
    data: Mapping[Path, bytes] | None = None,
) -> Project | None:
    """The checked project, or None with the reasons added to `problems`.

    What is parsed and computed is kept in `cache` for the next build in this process;
    with `keep_files`, what is read from DfE files is also kept in PROJECT/.cache/ by file
    content, for the next run. `data` are indicator data files (in `data/indicators/`) by
    path as uploaded but not saved: the project is loaded as if they were there. A project
    loaded with no problems is kept in `cache` until one of its files changes.
    """
    cache = cache if cache is not None else Cache()
    stamps = input_stamps(root)
    if data is None:  # a project whose files have not changed is not read again
        stamp = (str(root.resolve()), keep_files, stamps)
        kept: Project | None = cache.get("project", stamp)
        if kept is not None:
            return kept
        found = len(problems.items)
        loaded = _load(root, problems, cache, keep_files, None)
        if loaded is not None and len(problems.items) == found:
            cache.put("project", stamp, loaded, 5_000_000)
        return loaded
    return _load(root, problems, cache, keep_files, data)


def _load(
    root: Path,
    problems: Problems,
    cache: Cache,
    keep_files: bool,
    data: Mapping[Path, bytes] | None,
) -> Project | None:
    inputs = input_digests(root, cache, root / CACHE_FOLDER if keep_files else None)
    # Files uploaded and not saved count as inputs as they will be once saved: what the
    # project computes is kept in the cache by its inputs, and must never be taken for
    # today's data's.
    for path, content in (data or {}).items():
        inputs[project_path(path, root)] = hashlib.sha256(content).hexdigest()
    config = root / "config"
    authority, authority_doc = load_authority(config / "authority.yaml", problems, cache)
    start = authority.financial_year_start if authority else 4
    loaded = load_catalogue(config / "indicators.yaml", problems, RESERVED_NAMES, start, cache)
    catalogue = loaded.indicators
    # Counted only with the authority's settings read (a broken authority.yaml is reported).
    counted = (
        count_cases(
            root,
            authority.cases,
            catalogue,
            start,
            problems,
            la_code=authority.la_code,
            cache=cache,
            keep_in=root / CACHE_FOLDER if keep_files else None,
        )
        if authority is not None
        else CaseFigures({})
    )
    files = data_files(root / "data" / "indicators")
    files = sorted({*files, *(data or {})})
    observations = read_observations(files, loaded, problems, start, data, counted.observations)
    benchmark_paths = sorted((root / "data" / "benchmarks").glob("*.csv"))
    hand = read_benchmarks(benchmark_paths, loaded, start, problems)
    dfe_folder = root / "data" / "dfe"
    if authority is not None and authority_doc is not None and authority.la_code:
        authority = _with_neighbour_model(authority, authority_doc, dfe_folder, problems, cache)
    keep = (
        frozenset([authority.la_code, *authority.neighbour_codes, authority.region])
        if authority
        else frozenset()
    )
    published = read_dfe(
        dfe_folder,
        loaded,
        problems,
        start,
        root / CACHE_FOLDER if keep_files else None,
        keep,
        cache,
    )
    snapshots = read_snapshots(root / PUBLISHED_FOLDER, problems)
    if authority is None or authority_doc is None:
        return None
    benchmarks: dict[str, list[BenchmarkValue]] = {}
    for row in hand:
        benchmarks.setdefault(row.indicator, []).append(row)
    groups: dict[str, ComparatorGroup] = {}
    own_area = _own_area(authority, authority_doc, hand, problems)
    for indicator_id in benchmarks:
        groups[indicator_id] = ComparatorGroup(
            own=own_area,
            own_name=own_area,
            neighbours=tuple((n, n) for n in authority.statistical_neighbours),
        )
    populations = {}
    for indicator_id, series in published.items():
        rows = series.rows
        indicator = catalogue[indicator_id]
        file, line, key = loaded.locate(indicator_id, "dfe")
        if indicator_id in benchmarks:
            problems.add(
                file,
                line,
                key,
                f"{indicator_id} is benchmarked from a DfE file and from data/benchmarks/",
                "remove its rows from data/benchmarks/",
            )
            continue
        if not authority.la_code:
            problems.add(
                file,
                line,
                key,
                f"{indicator_id}: the DfE files know the authority by its DfE code",
                "add `la_code:` (e.g. 310 for Harrow) to config/authority.yaml",
            )
            continue
        benchmarks[indicator_id] = rows
        populations[indicator_id] = series.populations
        groups[indicator_id] = ComparatorGroup(
            own=authority.la_code,
            own_name=authority.short_name,
            neighbours=tuple(
                zip(authority.neighbour_codes, authority.neighbour_names, strict=True)
            ),
            region=authority.region,
        )
        if indicator.grain is Grain.YEAR:
            _add_published_own(indicator, rows, authority.la_code, observations, loaded, problems)
    # Indicators whose case records could not be counted: their problems are reported there,
    # not again as missing figures in each paper that names them.
    uncounted = {i for i, ind in catalogue.items() if ind.cases and i not in counted.observations}
    return Project(
        root,
        authority,
        catalogue,
        loaded.broken | uncounted,
        observations,
        benchmarks,
        groups,
        populations,
        loaded.themes,
        snapshots,
        loaded.retired,
        inputs,
        cache,
        keep_files,
        counted.warnings,
    )


def _with_neighbour_model(
    authority: Authority,
    document: YamlDocument,
    folder: Path,
    problems: Problems,
    cache: Cache | None = None,
) -> Authority:
    """The authority with its statistical neighbours and region from the DfE model file."""
    line = document.lines.of(("la_code",))
    models = sorted(folder.glob("sn_model*.csv")) if folder.is_dir() else []
    if len(models) != 1:
        what = "no" if not models else "more than one"
        problems.add(
            document.path,
            line,
            "la_code",
            f"{what} DfE statistical neighbour model (sn_model_*.csv) in data/dfe/",
            "keep the one model file you use there, as downloaded",
        )
        return authority
    model = read_model(models[0], problems, cache)
    entry = model.get(authority.la_code)
    if entry is None:
        if model:
            by_name = [e for e in model.values() if e.name == authority.short_name]
            hint = (
                f"did you mean {by_name[0].code} ({by_name[0].name})?"
                if by_name
                else did_you_mean(authority.la_code, list(model), otherwise="")
            )
            problems.add(
                document.path,
                line,
                "la_code",
                f"{authority.la_code} is not in the DfE model {models[0].name}",
                hint or "use the authority's three-digit DfE code (old_la_code)",
            )
        return authority
    return replace(
        authority,
        neighbour_codes=entry.neighbours,
        neighbour_names=tuple(model[c].name if c in model else c for c in entry.neighbours),
        region=entry.region,
    )


def _add_published_own(
    indicator: Indicator,
    rows: list[BenchmarkValue],
    la_code: str,
    observations: Observations,
    catalogue: Catalogue,
    problems: Problems,
) -> None:
    """The authority's own published figures become its annual data: validated, from the
    DfE, replacing the council's own figure for the same year."""
    held = observations.setdefault(indicator.id, {})
    for row in rows:
        if row.la_code != la_code or row.level is not Level.LOCAL_AUTHORITY:
            continue
        reason = (
            ""
            if row.value is not None
            else f"{BENCHMARK_CODES.get(row.code, NOT_AVAILABLE)} in the DfE data"
        )
        published = Observation(
            indicator=indicator.id,
            period=row.year,
            numerator=row.numerator,
            denominator=row.denominator,
            value=row.value,
            status=Status.VALIDATED if row.value is not None else Status.NOT_AVAILABLE,
            note=reason,
            source="DfE",
        )
        own = held.get(row.year)
        if own is not None:
            merged = merge(own, published)
            if merged is None:
                file, line, key = catalogue.locate(indicator.id, "dfe")
                problems.add(
                    file,
                    line,
                    key,
                    f"{indicator.id} {row.year} is given by the DfE file and as an external "
                    "figure in data/indicators/",
                    "remove the row from data/indicators/",
                )
                continue
            published = merged
        held[row.year] = published


def _own_area(
    authority: Authority,
    document: YamlDocument,
    benchmarks: list[BenchmarkValue],
    problems: Problems,
) -> str:
    """The authority's name in the benchmark data; neighbours missing from it are problems."""
    areas = {row.area for row in benchmarks}
    own = (
        authority.short_name
        if authority.short_name in areas or authority.name not in areas
        else authority.name
    )
    if not areas:
        return own
    for index, neighbour in enumerate(authority.statistical_neighbours):
        if neighbour not in areas:
            problems.add(
                document.path,
                document.lines.of(("statistical_neighbours", index)),
                position("statistical_neighbours", index),
                f"'{neighbour}' does not appear in data/benchmarks/",
                did_you_mean(
                    neighbour,
                    sorted(areas),
                    otherwise="write the name as the benchmark data spells it",
                ),
            )
    return own
