"""The project's data and set-up: uploaded indicator data, the tables of results and
benchmarks, how a figure counted from case records was counted, what was published for an
indicator, templates, a new council's project, and tidying after a killed process."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl

from reportgen.api.base import ProjectFolder
from reportgen.api.results import DataCheck
from reportgen.domain.model import Indicator
from reportgen.domain.schema import DEFAULT_LABELS, HOUSE_LABELS
from reportgen.errors import InputError, Problem, Problems, did_you_mean
from reportgen.inputs import project as projects
from reportgen.inputs.datafiles import DATA_COLUMNS
from reportgen.inputs.project import BUILT_IN_TEMPLATES, Project
from reportgen.jobs import explain as explaining
from reportgen.jobs import history as histories
from reportgen.jobs import listing, starter, tables, uploads
from reportgen.jobs.explain import Explanation
from reportgen.store import project_lock, sweep_temporaries, transaction, write_atomically


class DataFiles(ProjectFolder):
    """A workspace's data, tables and set-up."""

    def check_data(self, name: str, content: bytes) -> DataCheck:
        """Checks an indicator data file (CSV or XLSX) uploaded as `name`, as if it were in
        `data/indicators/`, without writing it: InputError with every problem (each with
        its row) if it is not good. Lists the papers that would print other figures with
        it: each composed with today's data and with the file, and what it prints
        compared (not which indicators' rows differ)."""
        before = self.project()
        path, after = self._with_data(name, content)
        with self._relative():
            return DataCheck(path, uploads.changed_papers(before, after))

    def replace_data(self, name: str, content: bytes) -> Path:
        """Checks an uploaded indicator data file (as `check_data`, without comparing the
        papers) and, if it is good, puts it in `data/indicators/` in place of any file of
        that name. Returns its path."""
        path = self._with_data(name, content)[0]
        with transaction(self.root) as writes:
            writes.add(path, content)
        return path

    def check_data_deletion(self, name: str) -> DataCheck:
        """What deleting the data file `name` from `data/indicators/` would change, without
        deleting it: the papers that would print other figures (or none) without its rows,
        compared as `check_data` compares them. InputError if there is no such file."""
        path = uploads.data_path(self.root, name)
        if not path.is_file():
            problem = Problem("", None, "file", f"there is no data file '{name}'", "")
            raise InputError([problem])
        before = self.project()
        headings = b",".join(c.encode() for c in DATA_COLUMNS) + b"\n"
        if path.suffix.lower() == ".xlsx":
            book = openpyxl.Workbook()
            book.active.append(list(DATA_COLUMNS))
            kept = io.BytesIO()
            book.save(kept)
            headings = kept.getvalue()
        with self._relative():
            problems = Problems()  # a file of headings only: the project as without it
            after = projects.load_project(
                self.root, problems, cache=self.cache, data={path: headings}
            )
            changed = uploads.changed_papers(before, after) if after else []
            return DataCheck(path, changed)

    def delete_data(self, name: str) -> Path:
        """Deletes the data file `name` from `data/indicators/`, under the project's lock.
        Returns its path; InputError if there is no such file."""
        path = uploads.data_path(self.root, name)
        with project_lock(self.root):
            if not path.is_file():
                problem = Problem("", None, "file", f"there is no data file '{name}'", "")
                raise InputError([problem])
            path.unlink()
        return path

    def _with_data(self, name: str, content: bytes) -> tuple[Path, Project]:
        """Where the file uploaded as `name` goes, and the project loaded as if it were
        there; InputError with every problem."""
        path = uploads.data_path(self.root, name)
        with self._relative():
            problems = Problems()
            after = projects.load_project(
                self.root, problems, cache=self.cache, data={path: content}
            )
            problems.raise_if_any()
            assert after is not None
        return path, after

    def indicators_table(self, period: str) -> tuple[str, list[list[str]]]:
        """A title, and every indicator's computed results as at the month `period`
        (YYYY-MM), headings first."""
        return tables.indicators_table(self.project(), period)

    def benchmark_tables(
        self, indicator: str, year: str | None = None
    ) -> tuple[dict[str, Any], list[list[str]]]:
        """An indicator's comparator table for a benchmark year (by default the latest),
        and its benchmarks year by year."""
        return tables.benchmark_tables(self.project(), indicator, year)

    def history(self, indicator_id: str) -> list[list[str]]:
        """What was published for one indicator, meeting by meeting, headings first."""
        with self._relative():
            return histories.history(self.project(), indicator_id)

    def explain(
        self, indicator_id: str, period: str, *, csv: Path | None = None, write: bool = True
    ) -> Explanation:
        """How `period`'s figure of an indicator counted from case records was counted: the
        rule, the records at each step, and (with `write`) the child-level list behind it
        in `csv` (by default out/explain/<id>-<period>.csv) for the analyst; never in a
        paper. Raises InputError."""
        with self._relative():
            explained, records = explaining.explain(self.project(), indicator_id, period)
            if write:
                target = csv or self.root / "out" / "explain" / explained.file_name
                with project_lock(self.root):
                    write_atomically(target, records)
                explained = replace(explained, records=target)
            return explained

    def init(self, la_code: str, dfe: Path | None = None) -> list[Path]:
        """Writes a new council's project into the workspace's folder (new or empty) for
        the authority with DfE code `la_code`: its neighbours and region from the DfE
        model, the DfE files (from `dfe`, as downloaded; by default the example's) with a
        starter catalogue, sample monthly data, two papers and a meeting. Returns the
        files written."""
        files = starter.create(self.root, la_code, dfe)
        with transaction(self.root) as writes:
            for path, content in files.items():
                writes.add(path, content)
        return list(files)

    def templates(self) -> dict[str, Path]:
        """The templates the project's papers can use, by name: the project's own in
        `templates/`, else reportgen's built-in house style of that name."""
        return projects.template_files(self.root)

    def catalogue(self) -> list[Indicator]:
        """The catalogue's indicators (each with its id, title and theme), theme by theme
        in the catalogue's order of themes, those of no theme last; within a theme, in
        the catalogue's order."""
        project = self.project()
        order = {theme: i for i, theme in enumerate(project.themes)}
        found = list(project.catalogue.values())
        return sorted(found, key=lambda i: order.get(i.theme, len(order)))

    def header_labels(self, template: str) -> dict[str, str]:
        """The header lines the template called `template` prints, each with the house
        style's label for it (`portfolio_holder`: "Portfolio Holder"), for a paper to word
        its own; a council's own template may print any of them."""
        return dict(HOUSE_LABELS.get(template, DEFAULT_LABELS))

    def copy_templates(self, names: Sequence[str] = ()) -> list[Path]:
        """Copies built-in templates (all, or those `names`) into the project's
        `templates/` for the council to edit in Word; a template the project has already
        is left alone. Returns the files written."""
        built_in = {p.stem: p for p in sorted(BUILT_IN_TEMPLATES.glob("*.docx"))}
        problems = Problems()
        for name in names:
            if name.removesuffix(".docx") not in built_in:
                fix = did_you_mean(name, built_in, otherwise=f"built-in: {', '.join(built_in)}")
                problems.add("", None, "", f"'{name}' is not a built-in template", fix)
        problems.raise_if_any()
        wanted = [n.removesuffix(".docx") for n in names] or list(built_in)
        copied = []
        with transaction(self.root) as writes:
            for name in wanted:
                target = self.root / "templates" / f"{name}.docx"
                if not target.exists():
                    writes.add(target, built_in[name].read_bytes())
                    copied.append(target)
        return copied

    def remove_temporaries(self, before: float) -> list[Path]:
        """Removes the temporary files a process killed mid-write left in the project's
        out/, public/ and .reportgen/ folders (only reportgen's own, last changed before
        `before`, a time.time()): a publish killed half-way leaves a whole exempt pack in
        one. The files removed."""
        folders = [self.root / "out", self.root / listing.PUBLIC_FOLDER, self.root / ".reportgen"]
        return sweep_temporaries(self.root, folders, before)
