"""The workspace: one council's project folder, and what a person can do with it. The
command line, each web process, the worker and a script each hold one.

Each method loads the project (through the workspace's cache), calls a job and returns a
value; those that write hand their bytes to the store, which writes them all together
under the project's lock, or nothing. Every problem a caller can cause raises a
`ReportgenError` (`InputError`, `TemplateError`, `ToolError`) whose problems name files
from the project folder (`data/narrative/x.yaml`). The methods live by what they are
about: papers (`api.papers`), meetings and publishing (`api.meetings`), clearance
(`api.clearing`), data and set-up (`api.data`), starting a paper (`api.starting`).
"""

from __future__ import annotations

from reportgen.api.clearing import Clearing
from reportgen.api.data import DataFiles
from reportgen.api.meetings import Meetings
from reportgen.api.starting import Starting


class Workspace(Starting, Meetings, Clearing, DataFiles):
    """A project folder and what this process keeps of it between calls:
    `Workspace(root, cache)`. A long-running process makes one `Cache` and hands it to
    every workspace it opens: parsed files, compiled templates, DfE extractions, chart
    pictures and checked texts are then kept between builds."""
