"""The pipeline: a project folder and narrative files in, finished Word papers out.

`load_project` reads and checks config and data; `build` renders every report in memory
and only then writes them, so a run with any problem writes nothing at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reportgen import __version__, drawing, render, snapshot
from reportgen.changes import Changes, compare
from reportgen.compute import (
    BENCHMARK_CODES,
    NOT_AVAILABLE,
    Benchmarking,
    ComparatorGroup,
    IndicatorResult,
    benchmark,
    compute,
    latest_period,
)
from reportgen.config import (
    NARRATIVE_TEXT_FIELDS,
    AgendaItemModel,
    Catalogue,
    MeetingModel,
    NarrativeModel,
    load_authority,
    load_catalogue,
    load_narrative,
    validate,
)
from reportgen.context import PLACES, build_context, index_settings, narrative_names, slug
from reportgen.datafiles import (
    Observations,
    data_files,
    merge,
    read_benchmarks,
    read_observations,
)
from reportgen.dfe import read_dfe, read_model
from reportgen.digests import digest_of
from reportgen.errors import (
    InputError,
    Problem,
    Problems,
    ReportgenError,
    did_you_mean,
    display_path,
)
from reportgen.literals import TypedFigures
from reportgen.lock import project_lock
from reportgen.model import Authority, BenchmarkValue, Indicator, Level, Observation, Status
from reportgen.narrative import NarrativeRenderer
from reportgen.paths import OutsideProject, inside, is_inside, template_name
from reportgen.pdf import convert as convert_to_pdf
from reportgen.periods import FinancialYear, Grain, Month, long_date
from reportgen.scorecard import recent_periods
from reportgen.snapshot import PublishedIndicator, Snapshot
from reportgen.yamlfile import Lines, YamlDocument, load_yaml

CACHE_FOLDER = Path(".cache") / "reportgen"
BUILT_IN_TEMPLATES = Path(__file__).parent / "templates"  # the house styles reportgen ships
INDEX_TEMPLATE = "performance_index.docx"  # a performance index sent as its own document
AGENDA_TEMPLATE = "agenda.docx"  # the front sheet of an agenda pack
PUBLISHED_FOLDER = Path("data") / "published"
_NOT_PAPERS = ("performance_index", "agenda")  # templates that are not a paper's style
REPLACED = "replaced"  # the folder a replaced snapshot is kept in, beside its successor
NOT_FOR_PUBLICATION = "NOT FOR PUBLICATION"  # how an exempt paper is marked, inside and out
# The mark as exempt papers carry it, in capitals at the start of a line: minutes that say an
# item was "not for publication" in a sentence are not themselves exempt.
_MARKED_EXEMPT = re.compile(r"^\W*NOT\s+FOR\s+PUBLICATION\b", re.MULTILINE)
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
    broken: frozenset[str]  # catalogue entries with problems, reported once in the catalogue
    observations: Observations
    benchmarks: dict[str, list[BenchmarkValue]]  # by indicator id
    groups: dict[str, ComparatorGroup]  # by indicator id, for those with benchmarks
    # Every local authority's value by indicator and year, where a DfE file holds them all.
    populations: dict[str, dict[FinancialYear, tuple[Decimal, ...]]] = field(default_factory=dict)
    themes: tuple[str, ...] = ()  # the catalogue's, in the order a performance index shows
    cache: bool = True  # keep DfE extractions and chart pictures in PROJECT/.cache/
    snapshots: tuple[Snapshot, ...] = ()  # every paper published, from data/published/
    retired: dict[str, str] = field(default_factory=dict)  # id: the decision that retired it
    _benchmarked: dict[str, Mapping[FinancialYear, Benchmarking]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    def results(
        self, ids: Iterable[str], month: Month, suppress_up_to: int = 0
    ) -> list[IndicatorResult]:
        """The computed results of the given indicators as at `month`; with
        `suppress_up_to`, small counts are withheld, as published output needs."""
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
        if indicator_id not in self._benchmarked:
            self._benchmarked[indicator_id] = benchmark(
                self.catalogue[indicator_id],
                self.benchmarks[indicator_id],
                group,
                self.populations.get(indicator_id),
            )
        return self._benchmarked[indicator_id]


@dataclass(frozen=True)
class Report:
    """One narrative file, validated, with where its paper (and a separate performance
    index, when the narrative asks for one) goes."""

    source: Path
    narrative: NarrativeModel
    document: YamlDocument
    output: Path

    @property
    def index_output(self) -> Path | None:
        scorecard = self.narrative.scorecard
        if scorecard is None or not scorecard.separate:
            return None
        return self.output.with_name(f"{self.output.stem}-appendix.docx")


@dataclass(frozen=True)
class BuiltReport:
    """A report's finished files: its paper first, then any separate appendix; and what it
    printed, indicator by indicator, for a snapshot if it is published."""

    report: Report
    files: tuple[tuple[Path, bytes], ...]
    printed: tuple[PublishedIndicator, ...] = ()

    @property
    def content(self) -> bytes:
        return self.files[0][1]


def load_project(root: Path, problems: Problems, *, cache: bool = True) -> Project | None:
    """The checked project, or None with the reasons added to `problems`.

    With `cache`, what is read from DfE files is kept in PROJECT/.cache/ by file content.
    """
    _check_input_files(root)
    config = root / "config"
    authority, authority_doc = load_authority(config / "authority.yaml", problems)
    start = authority.financial_year_start if authority else 4
    loaded = load_catalogue(config / "indicators.yaml", problems, RESERVED_NAMES, start)
    catalogue = loaded.indicators
    observations = read_observations(
        data_files(root / "data" / "indicators"), loaded, problems, start
    )
    benchmark_paths = sorted((root / "data" / "benchmarks").glob("*.csv"))
    hand = read_benchmarks(benchmark_paths, loaded, start, problems)
    dfe_folder = root / "data" / "dfe"
    if authority is not None and authority_doc is not None and authority.la_code:
        authority = _with_neighbour_model(authority, authority_doc, dfe_folder, problems)
    keep = (
        frozenset([authority.la_code, *authority.neighbour_codes, authority.region])
        if authority
        else frozenset()
    )
    published = read_dfe(
        dfe_folder, loaded, problems, start, root / CACHE_FOLDER if cache else None, keep
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
    return Project(
        root,
        authority,
        catalogue,
        loaded.broken,
        observations,
        benchmarks,
        groups,
        populations,
        loaded.themes,
        cache,
        snapshots,
        loaded.retired,
    )


INPUT_FOLDERS = ("config", "data", "templates")
_INPUT_SUFFIXES = (".csv", ".xlsx", ".yaml", ".yml", ".docx", ".pdf", ".json")


def _check_input_files(root: Path) -> None:
    """Raises InputError, before any input is read, for an entry in the project's input
    folders that reportgen must not read: a link that leads out of the project (or round in
    a loop), or something that is not a file (a pipe, a device), which could hang a read."""
    problems = Problems()
    for folder in INPUT_FOLDERS:
        for top, folders, files in os.walk(root / folder):  # never into a linked folder
            for name in (*folders, *files):
                path = Path(top) / name
                if path.is_symlink() and not is_inside(root, path):
                    problems.add(
                        path,
                        None,
                        "",
                        "is a link that leads outside the project folder (or round in a loop)",
                        "put a copy of the file itself here instead of the link",
                    )
                elif name in files and not path.is_file():
                    problems.add(
                        path,
                        None,
                        "",
                        "is not a file reportgen can read (a pipe, a device, or a broken link)",
                        "remove it: reportgen reads only files",
                    )
                elif name in folders and name.lower().endswith(_INPUT_SUFFIXES):
                    problems.add(
                        path,
                        None,
                        "",
                        "is a folder with the name of a file",
                        "rename the folder, or put the file itself here",
                    )
    problems.raise_if_any()


def read_snapshots(folder: Path, problems: Problems) -> tuple[Snapshot, ...]:
    """Every paper published in the project; a damaged or edited one is a problem."""
    if not folder.is_dir():
        return ()
    found = []
    for path in sorted(folder.rglob("*.json")):
        if REPLACED in path.relative_to(folder).parts:
            continue
        parsed = _read_snapshot(path, problems)
        if parsed is not None:
            found.append(parsed)
    return tuple(found)


def _read_snapshot(path: Path, problems: Problems) -> Snapshot | None:
    """One snapshot. JSON reads fast; only a snapshot with something wrong is read again
    as YAML (JSON is YAML) for the line of each problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        data = None
    if data is not None:
        quiet = Problems()
        parsed = snapshot.parse(YamlDocument(path, data, Lines()), quiet)
        if parsed is not None:
            return parsed
    try:
        return snapshot.parse(load_yaml(path), problems)
    except InputError as exc:
        problems.extend(exc.problems)
        return None


def _with_neighbour_model(
    authority: Authority, document: YamlDocument, folder: Path, problems: Problems
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
            f"{what} DfE statistical neighbour model (sn_model_*.csv) in {display_path(folder)}/",
            "keep the one model file you use there, as downloaded",
        )
        return authority
    model = read_model(models[0], problems)
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


def narrative_files(
    root: Path | None,
    paths: Sequence[Path],
    problems: Problems,
    published: frozenset[str] = frozenset(),
    skipped: list[Path] | None = None,
) -> list[Path]:
    """The narrative files named, with folders expanded to the .yaml files inside them;
    each must be inside the project at `root`. A folder leaves out the papers already
    `published` (by file stem; they go in `skipped`): naming one builds it again."""
    files: list[Path] = []
    for path in paths:
        if root is not None and not is_inside(root, path):
            problems.add(
                path,
                None,
                "",
                "is outside the project folder",
                f"keep narrative files in {display_path(root / 'data' / 'narrative')}/",
            )
            continue
        if path.is_dir():
            found = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            if not found:
                problems.add(
                    path,
                    None,
                    "",
                    "has no narrative .yaml files",
                    "name a narrative file or a folder holding them",
                )
            for file in found:
                if file.stem in published:
                    if skipped is not None:
                        skipped.append(file)
                else:
                    files.append(file)
        elif path.is_file():
            files.append(path)
        else:
            problems.add(
                path,
                None,
                "",
                "does not exist",
                "check the path (narrative files are usually in data/narrative/)",
            )
    return files


def plan(
    project: Project | None,
    paths: Sequence[Path],
    out: Path,
    problems: Problems,
    root: Path | None = None,
    skipped: list[Path] | None = None,
    texts: Mapping[Path, str] | None = None,
) -> list[Report]:
    """The valid reports among `paths` (each inside the project at `root`, which defaults
    to the project's); every problem with them goes to `problems`. Papers published
    already, found in a folder, are left out and listed in `skipped`."""
    reports: list[Report] = []
    outputs: dict[Path, Path] = {}
    root = root or (project.root if project is not None else None)
    published = frozenset(s.paper for s in project.snapshots) if project else frozenset()
    texts = texts or {}
    named = [p for p in paths if p not in texts]
    files = [*narrative_files(root, named, problems, published, skipped), *texts]
    for path in files:
        if root is not None and path in texts and not is_inside(root, path):
            problems.add(
                path, None, "", "is outside the project folder", "keep narrative in the project"
            )
            continue
        narrative, document = load_narrative(path, problems, texts.get(path))
        if document is None or project is None:
            continue
        # Checked even when other keys are wrong, so that every problem shows in one run.
        fits = _narrative_fits(project, document, problems)
        if narrative is None or not fits:
            continue
        folder = f"{narrative.meeting_date.isoformat()}-{slug(narrative.committee)}"
        output = out / folder / f"{path.stem}.docx"
        if output in outputs:
            problems.add(
                path,
                None,
                "",
                f"would write the same file as {display_path(outputs[output])}",
                "rename one of the narrative files",
            )
            continue
        outputs[output] = path
        report = Report(path, narrative, document, output)
        if report.index_output is not None:
            outputs[report.index_output] = path
        reports.append(report)
    return reports


@dataclass(frozen=True)
class Prepared:
    """What the renderer needs for one paper: its template, context, properties and the
    pictures of its charts; and the separate index's template where there is one."""

    template: Path
    context: dict[str, Any]
    properties: render.DocumentProperties
    pictures: dict[str, bytes]
    index_template: Path | None = None
    printed: tuple[PublishedIndicator, ...] = ()


def prepare(
    project: Project,
    report: Report,
    problems: Problems,
    warnings: Problems | None = None,
    published: bool = False,
    record: bool = False,
) -> Prepared | None:
    """Computes results and fills in live figures; None with the reasons added to `problems`.
    What a paper may print but should not (a rating change nobody explains) goes to
    `warnings`. With `record`, what the public version prints is kept for a snapshot."""
    narrative = report.narrative
    month = Month.parse(narrative.period)
    # Published output withholds small counts; an exempt paper shows the real figures.
    public_limit = 0 if narrative.exempt else project.authority.suppress_up_to
    limit = public_limit if published else 0
    results = project.results(narrative.indicators, month, limit)
    since = snapshot.previous(
        project.snapshots, narrative.committee, narrative.meeting_date, public=not narrative.exempt
    )
    changes = (
        compare(since, results, project.catalogue, project.retired, public_limit) if since else None
    )
    template = _template_path(project, narrative.template)
    # Only a paper that shows what changed must explain it.
    explained = changes if "changes" in (render.placed_names(template) or ()) else None
    if not _explained(report, explained, problems, Problems() if warnings is None else warnings):
        return None
    names = narrative_names(results, project.authority, narrative)
    renderer = NarrativeRenderer(names, narrative.indicators)
    texts: dict[str, str] = {}
    found: list[Problem] = []
    for key, path in _text_fields(narrative):
        text = _lookup(narrative, path)
        rendered = renderer.render(
            text,
            display_path(report.source),
            report.document.lines.text_start(path),
            key,
            report.document.source_lines,
        )
        if isinstance(rendered, list):
            found.extend(rendered)
        else:
            texts[key] = rendered
    if found:
        problems.extend(found)
        return None
    if warnings is not None:
        _typed_figures(report, results, since, warnings)
    separate = report.index_output is not None
    index = separate or "scorecard" in (render.placed_names(template) or ())
    context = build_context(
        narrative,
        texts,
        results,
        project.authority,
        names,
        project.themes,
        index=index,
        changes=changes,
        published=published,
    )
    charts = [
        chart
        for item in context["scorecard"].get("charts", [])
        for chart in (item["trend"], item["comparison"])
        if chart
    ]
    folder = project.root / CACHE_FOLDER / "charts" if project.cache else None
    properties = render.DocumentProperties(
        title=narrative.subject,
        subject=narrative.committee,
        author=project.authority.name,
        keywords=", ".join(narrative.indicators),
        language="en-GB",
        date=narrative.meeting_date,
        status=NOT_FOR_PUBLICATION if narrative.exempt else "",
    )
    printed: tuple[PublishedIndicator, ...] = ()
    if record:  # what the public saw: a withheld figure stays withheld in the record
        shown = index_settings(narrative).periods if index else 1
        public = (
            results
            if limit == public_limit
            else project.results(narrative.indicators, month, public_limit)
        )
        printed = tuple(snapshot.published(r, recent_periods(r.period, shown)) for r in public)
    return Prepared(
        template,
        context,
        properties,
        drawing.pictures(charts, folder),
        _template_path(project, INDEX_TEMPLATE) if separate else None,
        printed,
    )


def render_report(
    project: Project,
    report: Report,
    problems: Problems,
    warnings: Problems | None = None,
    published: bool = False,
    record: bool = False,
) -> BuiltReport | None:
    """The paper (and its separate index) as .docx bytes, or None with the reasons added
    to `problems`. The `published` version is the one for the public pack; with `record`,
    it carries what the public version printed, for a snapshot."""
    prepared = prepare(project, report, problems, warnings, published, record)
    if prepared is None:
        return None
    try:
        paper = render.render(
            prepared.template, prepared.context, prepared.properties, prepared.pictures
        )
        files = [(report.output, paper)]
        if prepared.index_template is not None and report.index_output is not None:
            title = f"{prepared.context['scorecard']['title']}: {report.narrative.subject}"
            index = render.render(
                prepared.index_template,
                prepared.context,
                replace(prepared.properties, title=title),
                prepared.pictures,
            )
            files.append((report.index_output, index))
    except ReportgenError as exc:
        problems.extend(exc.problems)
        return None
    return BuiltReport(report, tuple(files), prepared.printed)


def build(
    root: Path,
    paths: Sequence[Path],
    out: Path,
    *,
    write: bool = True,
    strict: bool = False,
    warnings: Problems | None = None,
    pdf: bool = False,
    record: bool = False,
    skipped: list[Path] | None = None,
    texts: Mapping[Path, str] | None = None,
) -> list[BuiltReport]:
    """Checks everything, renders every report, and (with `write`) writes them all, with a
    manifest per meeting folder; with `pdf`, a PDF of each document too.

    Raises InputError listing every problem found; nothing is written in that case.
    Warnings go to `warnings`, or count as problems when `strict`. `texts` are narratives
    by path as edited but not saved: built from that text (a preview: with `write` False,
    nothing is read from those files or written).
    """
    problems, found = Problems(), Problems()
    project = load_project(root, problems)
    reports = plan(project, paths, out, problems, root, skipped, texts)
    problems.raise_if_any()
    assert project is not None, "load_project reports why when it returns None"
    built = []
    for report in reports:
        result = render_report(project, report, problems, found, record=record)
        if result is not None:
            built.append(result)
    if strict:
        problems.extend(found.items)
    elif warnings is not None:
        warnings.extend(found.items)
    problems.raise_if_any()
    if pdf:
        built = _with_pdfs(built, root / CACHE_FOLDER / "libreoffice" if project.cache else None)
    if write:
        with project_lock(root):
            _writable(path for item in built for path, _ in item.files)
            for item in built:
                for path, content in item.files:
                    _write(path, content)
            _write_manifests(root, built)
    return built


def _with_pdfs(built: list[BuiltReport], profile: Path | None) -> list[BuiltReport]:
    """Each report with a PDF beside each of its documents, all from one LibreOffice run."""
    documents = [(display_path(path), content) for item in built for path, content in item.files]
    pdfs = iter(convert_to_pdf(documents, profile))
    return [
        replace(
            item,
            files=item.files
            + tuple((path.with_suffix(".pdf"), next(pdfs)) for path, _ in item.files),
        )
        for item in built
    ]


MANIFEST = "manifest.json"


def _write_manifests(root: Path, built: Sequence[BuiltReport]) -> None:
    """A manifest in each meeting folder written to (see `_write_manifest`)."""
    folders: dict[Path, set[Path]] = {}
    for item in built:
        folders.setdefault(item.report.output.parent, set()).add(item.report.source)
    for folder, sources in folders.items():
        _write_manifest(root, folder, sources)


def _write_manifest(root: Path, folder: Path, sources: Iterable[Path]) -> None:
    """`manifest.json` in a meeting folder: the tool's version, the hash of every input
    (config, data, templates, and `sources`: the narrative or meeting files) and of every
    paper and pack in the folder. The same inputs give the same manifest."""
    outputs = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
        if path.suffix in (".docx", ".pdf") and not path.name.startswith(".")
    }
    inputs = {**_inputs(root), **snapshot.digests(set(sources), root)}
    manifest = {
        "reportgen": __version__,
        "inputs": dict(sorted(inputs.items())),
        "outputs": outputs,
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    _write(folder / MANIFEST, text.encode("utf-8"))


@dataclass(frozen=True)
class Published:
    """One paper published: where its snapshot is, and whether it is new, the same as
    before (`unchanged`), or replaces an earlier one (kept in `replaced`)."""

    built: BuiltReport
    path: Path
    status: str
    replaced: Path | None = None


def publish(
    root: Path, paths: Sequence[Path], out: Path, *, replace: bool = False
) -> list[Published]:
    """Builds the reports as final (warnings count as problems), writes them, and records
    what each printed in data/published/. A meeting published before with other figures is
    refused unless `replace` (the earlier snapshot is then kept in a `replaced` folder)."""
    with project_lock(root):  # the check of earlier snapshots, and every write
        built = build(root, paths, out, write=False, strict=True, record=True)
        problems = Problems()
        inputs = _inputs(root)
        plans: list[tuple[Published, str]] = []
        for item in built:
            report = item.report
            narrative = report.narrative
            record = Snapshot(
                paper=report.output.stem,
                committee=narrative.committee,
                meeting_date=narrative.meeting_date,
                period=narrative.period,
                reportgen=__version__,
                inputs={**inputs, **snapshot.digests([report.source], root)},
                indicators=item.printed,
                exempt=narrative.exempt,
            )
            path = (
                root / PUBLISHED_FOLDER / report.output.parent.name / f"{report.output.stem}.json"
            )
            earlier = _earlier(path, problems)
            if earlier is None:
                plans.append((Published(item, path, "published"), snapshot.dump(record)))
            elif earlier.indicators == record.indicators and earlier.period == record.period:
                plans.append((Published(item, path, "unchanged"), ""))
            elif not replace:
                changed = [i.id for i in record.indicators if earlier.indicator(i.id) != i] or [
                    "the period"
                ]
                problems.add(
                    path,
                    None,
                    "",
                    f"{narrative.meeting_date} was published before with other figures "
                    f"({', '.join(changed)})",
                    "publish with --replace to record the new figures (the earlier snapshot is "
                    f"kept in {display_path(path.parent / REPLACED)}/)",
                )
            else:
                kept = _free_name(path.parent / REPLACED, path.stem)
                plans.append((Published(item, path, "replaced", kept), snapshot.dump(record)))
        problems.raise_if_any()
        _writable(
            [*(path for item in built for path, _ in item.files), *(p.path for p, _ in plans)]
        )
        for item in built:
            for path, content in item.files:
                _write(path, content)
        _write_manifests(root, built)
        for published, text in plans:
            if published.replaced is not None:
                _write(published.replaced, published.path.read_bytes())
            if text:
                _write(published.path, text.encode("utf-8"))
        return [published for published, _ in plans]


def history(root: Path, indicator_id: str) -> list[list[str]]:
    """What was published for one indicator, meeting by meeting, headings first."""
    problems = Problems()
    project = load_project(root, problems)
    problems.raise_if_any()
    assert project is not None
    if indicator_id not in project.catalogue:
        known = {i.id for s in project.snapshots for i in s.indicators}
        if indicator_id not in known:
            fix = did_you_mean(
                indicator_id, [*project.catalogue, *known], otherwise="see `reportgen indicators`"
            )
            raise InputError(
                [Problem("--indicator", None, "", f"unknown indicator '{indicator_id}'", fix)]
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


@dataclass(frozen=True)
class _Item:
    number: int
    title: str
    exempt: str  # the Schedule 12A paragraph, or "" for a public item
    documents: tuple[tuple[str, bytes], ...]  # (name, .docx content) to convert
    pdfs: tuple[bytes, ...]  # supplied PDFs


def pack(root: Path, meeting: Path, out: Path) -> list[Path]:
    """The meeting's agenda pack as one PDF: a front sheet listing the items, then each
    item's paper in order, bookmarked, page numbers stamped through it. Exempt papers go
    only in a separate exempt pack; the public pack lists their titles. Papers are their
    published versions. Returns the packs written, under OUT/<meeting>/."""
    from reportgen.pack import Part, assemble  # pypdf: only a pack needs it

    project, model, items = _meeting(root, meeting, out)
    kind = "Supplementary agenda" if model.supplementary else "Agenda"
    fronts = [_front_sheet(project, model, items, kind, exempt=False)]
    if any(i.exempt for i in items):
        fronts.append(_front_sheet(project, model, items, f"Exempt {kind.lower()}", exempt=True))
    documents = [*fronts, *(d for i in items for d in i.documents)]
    profile = root / CACHE_FOLDER / "libreoffice" if project.cache else None
    converted = iter(convert_to_pdf(documents, profile))
    front_pdfs = [next(converted) for _ in fronts]
    item_pdfs = {i.number: [next(converted) for _ in i.documents] + list(i.pdfs) for i in items}
    folder = out / f"{model.date.isoformat()}-{slug(model.committee)}"
    name = "supplementary-agenda-pack" if model.supplementary else "agenda-pack"
    written = []

    def parts(front: bytes, exempt: bool) -> list[Part]:
        return [Part("", [front])] + [
            Part(f"Item {i.number}: {i.title}", item_pdfs[i.number])
            for i in items
            if bool(i.exempt) is exempt and item_pdfs[i.number]
        ]

    public = parts(front_pdfs[0], exempt=False)
    when = f"{model.committee}, {long_date(model.date)}"
    packs = [(folder / f"{name}.pdf", public, f"{kind}: {when}")]
    if len(fronts) > 1:
        packs.append(
            (
                folder / f"exempt-{name}.pdf",
                parts(front_pdfs[1], exempt=True),
                f"Exempt {kind.lower()}: {when}",
            )
        )
    contents = [(path, assemble(parts, title)) for path, parts, title in packs]
    with project_lock(root):
        _writable(path for path, _ in contents)
        for path, content in contents:
            _write(path, content)
            written.append(path)
        sources = [meeting, *((meeting.parent / e.narrative) for e in model.items if e.narrative)]
        _write_manifest(root, folder, sources)
    return [*written, folder / MANIFEST]


def check_meeting(root: Path, meeting: Path, out: Path) -> int:
    """Checks a meeting file as `pack` would, without converting or writing anything: its
    keys, every item, the supplied files and the papers they name (built as published).
    Returns how many items it has; raises InputError with every problem found."""
    return len(_meeting(root, meeting, out)[2])


def is_meeting_file(path: Path) -> bool:
    """Whether `path` is a meeting file (it has `items:` and no `template:`), not a
    narrative; a file that cannot be read is left for the narrative reader to report."""
    try:
        data = load_yaml(path).data
    except InputError:
        return False
    return isinstance(data, dict) and "items" in data and "template" not in data


def _meeting(root: Path, meeting: Path, out: Path) -> tuple[Project, MeetingModel, list[_Item]]:
    """The project, the meeting and each agenda item with its paper; InputError with every
    problem found, in the meeting file and in the papers it names."""
    problems = Problems()
    document = load_yaml(meeting)  # a syntax error raises InputError with its line
    model = validate(document, MeetingModel, problems)
    project = load_project(root, problems)
    data = document.data if isinstance(document.data, dict) else {}
    raw, header = data.get("items"), model
    if header is None:  # a wrong item: the meeting itself may still be right
        try:
            header = MeetingModel.model_validate({**data, "items": []})
        except ValidationError:
            header = None
    entries: list[tuple[int, AgendaItemModel]] = []
    for index, entry in enumerate(raw if isinstance(raw, list) else []):
        try:  # each item that is right is checked too, so that every problem shows at once
            entries.append((index, AgendaItemModel.model_validate(entry)))
        except ValidationError:
            continue  # reported with the meeting's own problems
    items = [
        item
        for index, entry in entries
        if project is not None
        and (item := _agenda_item(project, document, header, index, entry, out, problems))
    ]
    problems.raise_if_any()
    assert project is not None and model is not None
    return project, model, items


def _agenda_item(
    project: Project,
    document: YamlDocument,
    meeting: MeetingModel | None,
    index: int,
    entry: AgendaItemModel,
    out: Path,
    problems: Problems,
) -> _Item | None:
    """One agenda item with its paper: built (the published version) from a narrative, or
    a supplied file; None with the reasons added to `problems`."""
    folder = document.path.parent
    given = entry.narrative or entry.file
    where: tuple[str | int, ...] = ("items", index, "narrative" if entry.narrative else "file")
    key = f"items[{index}].{where[-1]}"
    path: Path | None = None
    if given:
        try:
            path = inside(project.root, folder, given)
        except OutsideProject as exc:
            problems.add(
                document.path,
                document.lines.of(where),
                key,
                str(exc),
                "put the file in the project (supplied papers in data/meetings/supplied/) and "
                "give its path from the meeting file's folder",
            )
            return None
    if entry.narrative and path is not None:
        reports = plan(project, [path], out, problems)
        if not reports:
            return None
        report = reports[0]
        narrative = report.narrative
        if meeting is not None and (
            narrative.committee != meeting.committee or narrative.meeting_date != meeting.date
        ):
            problems.add(
                document.path,
                document.lines.of(where),
                key,
                f"this paper is for the {narrative.committee} on {narrative.meeting_date}",
                f"give the {meeting.committee} paper for {meeting.date}, or correct the "
                "narrative's committee and meeting_date",
            )
            return None
        found = Problems()
        built = render_report(project, report, problems, found, published=True)
        problems.extend(found.items)  # a published paper explains every change
        if built is None:
            return None
        exempt = str(narrative.exempt_paragraph) if narrative.exempt else ""
        documents = tuple((display_path(p), content) for p, content in built.files)
        return _Item(index + 1, entry.title or narrative.subject, exempt, documents, ())
    exempt = "" if entry.exempt_paragraph is None else str(entry.exempt_paragraph)
    if path is None:
        return _Item(index + 1, entry.title or "", exempt, (), ())
    paper = _supplied(path, exempt, document, where, key, problems)
    if paper is None:
        return None
    if path.suffix.lower() == ".pdf":
        return _Item(index + 1, entry.title or "", exempt, (), (paper,))
    return _Item(index + 1, entry.title or "", exempt, ((display_path(path), paper),), ())


def _supplied(
    path: Path,
    exempt: str,
    document: YamlDocument,
    where: tuple[str | int, ...],
    key: str,
    problems: Problems,
) -> bytes | None:
    """A supplied paper's content, checked: a .pdf or .docx that opens, and not marked
    NOT FOR PUBLICATION unless its item is exempt; None with the reason in `problems`."""
    from reportgen.pack import UnreadablePdf, pdf_text

    line = document.lines.of(where)
    suffix = path.suffix.lower()
    if suffix not in (".pdf", ".docx") or not path.is_file():
        problems.add(
            document.path,
            line,
            key,
            f"{display_path(path)} is not a .pdf or .docx file that exists",
            "give the path of the supplied paper, from the meeting file's folder",
        )
        return None
    content = path.read_bytes()
    try:
        text = pdf_text(content) if suffix == ".pdf" else render.document_text(content)
    except (UnreadablePdf, ValueError) as exc:
        fix = (
            "save it again as a PDF without a password (File > Save as PDF)"
            if suffix == ".pdf"
            else "open it in Word and save it as a Word Document (.docx)"
        )
        problems.add(document.path, line, key, f"{display_path(path)} {exc}", fix)
        return None
    if not exempt and _MARKED_EXEMPT.search(text):
        problems.add(
            document.path,
            line,
            key,
            f"{display_path(path)} is marked NOT FOR PUBLICATION, and this item is public",
            "add `exempt_paragraph:` (1 to 7, the Schedule 12A paragraph) under the item to "
            "put it in the exempt pack, or supply the public version of the paper",
        )
        return None
    return content


def _front_sheet(
    project: Project, meeting: MeetingModel, items: Sequence[_Item], kind: str, exempt: bool
) -> tuple[str, bytes]:
    """The front sheet of a pack as a .docx: the meeting and every item; the public one
    names an exempt item but says it is not for publication."""
    listed = []
    for item in items:
        if exempt and not item.exempt:
            continue
        note = ""
        if item.exempt and not exempt:
            note = (
                "Not for publication: exempt information under paragraph "
                f"{item.exempt} of Part 1 of Schedule 12A to the Local Government Act 1972."
            )
        elif not item.documents and not item.pdfs:
            note = "No paper."
        listed.append({"number": str(item.number), "title": item.title, "note": note})
    context = {
        "committee": meeting.committee,
        "date": long_date(meeting.date),
        "meeting_date": long_date(meeting.date),
        "time": meeting.time,
        "venue": meeting.venue,
        "pack_title": kind,
        "items": listed,
    }
    properties = render.DocumentProperties(
        title=f"{kind}: {meeting.committee}, {long_date(meeting.date)}",
        subject=meeting.committee,
        author=project.authority.name,
        keywords="agenda",
        language="en-GB",
        date=meeting.date,
    )
    content = render.render(_template_path(project, AGENDA_TEMPLATE), context, properties)
    return (f"{kind} front sheet", content)


def _inputs(root: Path) -> dict[str, str]:
    """The content hash of every input a paper is made from: config, data, and every
    template it can use (a built-in one as `reportgen/templates/NAME.docx`)."""
    folders = ["config", "data/indicators", "data/dfe", "data/benchmarks"]
    paths = [
        path
        for folder in folders
        if (root / folder).is_dir()
        for path in (root / folder).iterdir()
        if path.is_file() and not path.name.startswith((".", "~$"))
    ]
    templates = template_files(root).values()
    own = [p for p in templates if p.parent != BUILT_IN_TEMPLATES]
    built_in = {
        f"reportgen/templates/{p.name}": digest_of(p)[0]
        for p in templates
        if p.parent == BUILT_IN_TEMPLATES
    }
    return {**snapshot.digests([*paths, *own], root), **built_in}


def _earlier(path: Path, problems: Problems) -> Snapshot | None:
    return _read_snapshot(path, problems) if path.is_file() else None


def _free_name(folder: Path, stem: str) -> Path:
    number = 1
    while (folder / f"{stem}-{number}.json").exists():
        number += 1
    return folder / f"{stem}-{number}.json"


def _writable(paths: Iterable[Path]) -> None:
    """Raises InputError, before anything is written, if a file to write is a folder or
    would go in a folder that is a file (`--out` naming a file, say)."""
    problems = Problems()
    for path in paths:
        if path.is_dir():
            problems.add(path, None, "", "is a folder, where a file is to be written", _MOVE_IT)
        blocked = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        if blocked is not None:
            problems.add(blocked, None, "", "is a file, where a folder is needed", _MOVE_IT)
    problems.raise_if_any()


_MOVE_IT = "move or rename it, or give another output folder (--out)"


def _write(path: Path, content: bytes) -> None:
    try:
        render.write_atomically(path, content)
    except PermissionError:
        raise InputError(
            [
                Problem(
                    display_path(path),
                    None,
                    "",
                    "cannot be replaced (it may be open in Word)",
                    "close it and run again; the earlier version is unchanged",
                )
            ]
        ) from None
    except OSError as exc:
        raise InputError(
            [
                Problem(
                    display_path(path),
                    None,
                    "",
                    f"cannot be written ({exc.strerror})",
                    "check there is room on the disk and that the folder can be written to",
                )
            ]
        ) from None


def _narrative_fits(project: Project, document: YamlDocument, problems: Problems) -> bool:
    """Whether the template, indicators and period a narrative names exist in the project.

    Reads the raw YAML, so it works even when other keys failed validation; values of the
    wrong type are left to the validation messages.
    """
    raw = document.data if isinstance(document.data, dict) else {}
    ok = True
    template = raw.get("template")
    try:
        found = _template_path(project, template) if isinstance(template, str) else None
    except OutsideProject as exc:
        problems.add(
            document.path,
            document.lines.of(("template",)),
            "template",
            str(exc),
            "write the name of a template in templates/, without a folder, e.g. information_report",
        )
        return False
    if found is not None and found.exists() and not found.is_file():
        problems.add(
            document.path,
            document.lines.of(("template",)),
            "template",
            f"{display_path(found)} is a folder, not a Word template",
            "rename the folder, or put the template (.docx) there",
        )
        return False
    if isinstance(template, str) and found is not None and not found.is_file():
        available = [n for n in template_files(project.root) if n not in _NOT_PAPERS]
        fix = did_you_mean(
            template.removesuffix(".docx"),
            available,
            otherwise=f"the templates are: {', '.join(available)} (put your own in "
            f"{display_path(project.templates)}/)",
        )
        problems.add(
            document.path,
            document.lines.of(("template",)),
            "template",
            f"template '{template}' does not exist",
            fix,
        )
        ok = False
    elif isinstance(template, str):
        ok = _fields_placed(project, document, template, problems) and ok
    try:
        month: Month | None = Month.parse(str(raw.get("period")))
    except ValueError:
        month = None
    indicators = raw.get("indicators")
    named = indicators if isinstance(indicators, list) else []
    scorecard = raw.get("scorecard")
    chosen = {
        ("comparators",): raw.get("comparators"),
        ("scorecard", "charts"): scorecard.get("charts") if isinstance(scorecard, dict) else None,
    }
    for loc, ids in chosen.items():
        for index, indicator_id in enumerate(ids if isinstance(ids, list) else []):
            if indicator_id not in named:
                problems.add(
                    document.path,
                    document.lines.of((*loc, index)),
                    f"{'.'.join(loc)}[{index}]",
                    f"'{indicator_id}' is not one of this report's indicators",
                    did_you_mean(str(indicator_id), [str(n) for n in named], otherwise="")
                    or "list it under indicators too",
                )
                ok = False
    for index, indicator_id in enumerate(named):
        if not isinstance(indicator_id, str):
            continue
        line = document.lines.of(("indicators", index))
        key = f"indicators[{index}]"
        if indicator_id in project.broken:
            ok = False
        elif indicator_id in project.retired and indicator_id not in project.catalogue:
            decision = project.retired[indicator_id]
            problems.add(
                document.path,
                line,
                key,
                f"{indicator_id} was retired from the catalogue"
                + (f" ({decision.rstrip('.')})" if decision else ""),
                "a paper that names it cannot be built again; what it printed is kept in "
                "data/published/ (see `reportgen history`). For a new paper, remove it or "
                "use the indicator that replaced it",
            )
            ok = False
        elif indicator_id not in project.catalogue:
            fix = did_you_mean(
                indicator_id, project.catalogue, otherwise="add it to config/indicators.yaml"
            )
            problems.add(document.path, line, key, f"unknown indicator '{indicator_id}'", fix)
            ok = False
        elif month is not None:
            indicator = project.catalogue[indicator_id]
            held = project.observations.get(indicator_id, {})
            start = project.authority.financial_year_start
            period = latest_period(indicator, held, month, start)
            if period not in held:
                problems.add(
                    document.path,
                    line,
                    key,
                    f"{indicator_id} has no data for {period.label}",
                    f"add a row for {period.code} to data/indicators/ (with status "
                    "`not available` and the reason if it has not come), or change period",
                )
                ok = False
    return ok


def _typed_figures(
    report: Report,
    results: Sequence[IndicatorResult],
    since: Snapshot | None,
    warnings: Problems,
) -> None:
    """Warns of numbers typed in narrative that are, or were, figures: they would not follow
    the data."""
    typed_figures = TypedFigures(results, since)
    for key, path in _text_fields(report.narrative):
        start = report.document.lines.text_start(path)
        for typed in typed_figures.find(_lookup(report.narrative, path)):
            line = start + typed.offset if start is not None else None
            warnings.add(report.document.path, line, key, typed.what, typed.fix)


def _explained(
    report: Report, changes: Changes | None, problems: Problems, warnings: Problems
) -> bool:
    """Whether the narrative's words on rating changes and corrections fit the changes:
    words for an indicator the paper lacks are errors; a rating change with no words, or
    words for a change that did not happen, are warnings (errors with --strict)."""
    narrative, document = report.narrative, report.document
    changed = {c.id: c for c in changes.ratings} if changes else {}
    corrected = {c.id for c in changes.corrections} if changes else set()
    since = f"the {long_date(changes.since.meeting_date)} meeting" if changes else ""
    ok = True
    for group, happened, what in (
        ("rating_changes", set(changed), "its rating did not change"),
        ("corrections", corrected, "none of its published figures changed"),
    ):
        for indicator_id in getattr(narrative, group):
            line = document.lines.of((group, indicator_id))
            key = f"{group}.{indicator_id}"
            if indicator_id not in narrative.indicators:
                fix = did_you_mean(indicator_id, narrative.indicators, otherwise="")
                problems.add(
                    document.path,
                    line,
                    key,
                    f"'{indicator_id}' is not one of this report's indicators",
                    fix or "use the id of an indicator under indicators",
                )
                ok = False
            elif changes is None:
                warnings.add(
                    document.path,
                    line,
                    key,
                    f"no earlier paper of the {narrative.committee} has been published, so "
                    "there is nothing to compare with",
                    "remove it, or publish the earlier paper with `reportgen publish`",
                )
            elif indicator_id not in happened:
                warnings.add(document.path, line, key, f"{what} since {since}", "remove it")
    for indicator_id, change in changed.items():
        if indicator_id not in narrative.rating_changes:
            warnings.add(
                document.path,
                document.lines.of(
                    ("rating_changes",)
                    if ("rating_changes",) in document.lines.key_lines
                    else ("indicators",)
                ),
                f"rating_changes.{indicator_id}",
                f"indicator {change.number} ({change.title}) changed {change.change} since "
                f"{since} and the paper does not say why",
                f"add `{indicator_id}: …` under rating_changes with the reason and the action",
            )
    return ok


def _fields_placed(
    project: Project, document: YamlDocument, template: str, problems: Problems
) -> bool:
    """Whether the template has a place for every house-style field the narrative sets."""
    placed = render.placed_names(_template_path(project, template))
    if placed is None:
        return True  # not a Word document: the renderer says so
    raw = document.data if isinstance(document.data, dict) else {}
    name = template.removesuffix(".docx")
    ok = True
    for key in raw:
        if key not in PLACES or PLACES[key] & placed:
            continue
        scorecard = raw.get("scorecard")
        if key == "scorecard" and isinstance(scorecard, dict):
            if scorecard.get("placement") == "document":
                continue
            fix = "add `placement: document` under scorecard to send the index as its own document"
        else:
            fix = "remove it"
        others = [
            name
            for name, path in template_files(project.root).items()
            if name not in _NOT_PAPERS and PLACES[key] & (render.placed_names(path) or frozenset())
        ]
        if others:
            fix += f", or use `template: {others[0]}`, which has a place for it"
        problems.add(
            document.path,
            document.lines.of((key,)),
            key,
            f"the {name} template has no place for {key}",
            fix,
        )
        ok = False
    separate = (
        isinstance(raw.get("scorecard"), dict) and raw["scorecard"].get("placement") == "document"
    )
    if separate and not _template_path(project, INDEX_TEMPLATE).is_file():
        problems.add(
            document.path,
            document.lines.of(("scorecard", "placement")),
            "scorecard.placement",
            f"a separate index needs templates/{INDEX_TEMPLATE}",
            "restore it (`reportgen templates copy performance_index`), or use "
            "`placement: section`",
        )
        ok = False
    return ok


def _template_path(project: Project, template: str) -> Path:
    """The named template's file: the project's own in templates/ where it has one, else
    reportgen's built-in house style of that name (else the project's path, which does
    not exist). OutsideProject if the name is not a plain name, or the project's file is a
    link that leads out of the project."""
    file = template_name(template)
    if file is None:
        raise OutsideProject(f"'{template}' is not a template name")
    own = inside(project.root, project.templates, file)
    if not own.exists() and (BUILT_IN_TEMPLATES / file).is_file():
        return BUILT_IN_TEMPLATES / file
    return own


def template_files(root: Path) -> dict[str, Path]:
    """Every template a project can use, by name: the built-in house styles, and the
    project's own in templates/, which replace built-in ones of the same name."""
    found = {p.stem: p for p in sorted(BUILT_IN_TEMPLATES.glob("*.docx"))}
    folder = root / "templates"
    if folder.is_dir():
        found |= {p.stem: p for p in sorted(folder.glob("*.docx")) if not p.name.startswith("~$")}
    return found


def copy_templates(root: Path, names: Sequence[str] = ()) -> list[Path]:
    """Copies built-in templates (all, or those `names`) into the project's templates/
    for the council to edit in Word; a template the project has already is left alone.
    Returns the files written."""
    built_in = {p.stem: p for p in sorted(BUILT_IN_TEMPLATES.glob("*.docx"))}
    problems = Problems()
    for name in names:
        if name.removesuffix(".docx") not in built_in:
            fix = did_you_mean(name, built_in, otherwise=f"built-in: {', '.join(built_in)}")
            problems.add(name, None, "", "is not a built-in template", fix)
    problems.raise_if_any()
    wanted = [n.removesuffix(".docx") for n in names] or list(built_in)
    targets = [(built_in[n], root / "templates" / f"{n}.docx") for n in wanted]
    with project_lock(root):
        copied = [(source, target) for source, target in targets if not target.exists()]
        _writable(target for _, target in copied)
        for source, target in copied:
            _write(target, source.read_bytes())
    return [target for _, target in copied]


def _text_fields(narrative: NarrativeModel) -> list[tuple[str, tuple[str | int, ...]]]:
    """(key, path) of every narrative text that may hold Markdown and live figures."""
    fields: list[tuple[str, tuple[str | int, ...]]] = [
        (key, (key,)) for key in NARRATIVE_TEXT_FIELDS
    ]
    fields += [(f"key_points[{i}]", ("key_points", i)) for i in range(len(narrative.key_points))]
    for group in ("rating_changes", "corrections"):
        fields += [(f"{group}.{i}", (group, i)) for i in getattr(narrative, group)]
    for i in range(len(narrative.sections)):
        fields += [
            (f"sections[{i}].heading", ("sections", i, "heading")),
            (f"sections[{i}].text", ("sections", i, "text")),
        ]
    return fields


def _lookup(narrative: NarrativeModel, path: tuple[str | int, ...]) -> str:
    value: Any = narrative
    for part in path:
        value = (
            value[part]
            if isinstance(part, int) or isinstance(value, dict)
            else getattr(value, part)
        )
    return str(value)


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
                f"statistical_neighbours[{index}]",
                f"'{neighbour}' does not appear in data/benchmarks/",
                did_you_mean(
                    neighbour,
                    sorted(areas),
                    otherwise="write the name as the benchmark data spells it",
                ),
            )
    return own
