"""reportgen: committee papers on children's social care performance, from data to Word.

The public API (see "Using reportgen from Python" in the README): every name in `__all__`.
The command line and the web service call these and nothing else of reportgen's.
"""

from reportgen.api import (
    MANIFEST,
    BuiltReport,
    Cache,
    Checked,
    Project,
    Published,
    benchmark_tables,
    build,
    check,
    check_accessibility,
    copy_templates,
    history,
    indicators_table,
    init,
    is_meeting_file,
    load_project,
    pack,
    publish,
    templates,
)
from reportgen.errors import (
    InputError,
    Problem,
    Problems,
    ReportgenError,
    TemplateError,
    ToolError,
)
from reportgen.version import __version__

__all__ = [
    "MANIFEST",
    "BuiltReport",
    "Cache",
    "Checked",
    "InputError",
    "Problem",
    "Problems",
    "Project",
    "Published",
    "ReportgenError",
    "TemplateError",
    "ToolError",
    "__version__",
    "benchmark_tables",
    "build",
    "check",
    "check_accessibility",
    "copy_templates",
    "history",
    "indicators_table",
    "init",
    "is_meeting_file",
    "load_project",
    "pack",
    "publish",
    "templates",
]
