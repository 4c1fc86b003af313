"""reportgen: committee papers on children's social care performance, from data to Word.

The public API (see "Using reportgen from Python" in the README): every name in `__all__`.
A `Workspace` is one project folder, and its methods are the jobs (`reportgen.api`). The
command line and the web service call these and nothing else of reportgen's.
"""

from reportgen.api.files import check_accessibility, check_yaml_text, is_meeting_file
from reportgen.api.pdfs import Progress
from reportgen.api.results import (
    Built,
    Checked,
    DataCheck,
    LiveFigure,
    PaperCheck,
    PublishedMeeting,
)
from reportgen.api.starting import HouseStyle, NewPaperChoices
from reportgen.api.workspace import Workspace
from reportgen.cache import Cache
from reportgen.domain import tokens
from reportgen.domain.clearance import ClearanceStatus, RoleClearance, same_role
from reportgen.domain.fields import FIELDS as NARRATIVE_FIELDS
from reportgen.domain.fields import Declared as DeclaredField
from reportgen.domain.fields import Field as NarrativeField
from reportgen.domain.fields import fields as narrative_fields
from reportgen.errors import (
    Conflict,
    IncompletePdf,
    InputError,
    Problem,
    Problems,
    ReportgenError,
    TemplateError,
    ToolError,
)
from reportgen.inputs.papers import MeetingSummary, PaperSummary
from reportgen.inputs.project import Project
from reportgen.jobs.build import BuiltReport
from reportgen.jobs.explain import Explanation
from reportgen.jobs.listing import PUBLIC_FOLDER
from reportgen.jobs.publish import Published, PublishStatus
from reportgen.jobs.uploads import MAX_SUPPLIED
from reportgen.pdf.pictures import page_pictures
from reportgen.store import MANIFEST, share_outputs_as
from reportgen.version import __version__

__all__ = [
    "MANIFEST",
    "MAX_SUPPLIED",
    "NARRATIVE_FIELDS",
    "PUBLIC_FOLDER",
    "Built",
    "BuiltReport",
    "Cache",
    "Checked",
    "ClearanceStatus",
    "Conflict",
    "DataCheck",
    "DeclaredField",
    "Explanation",
    "HouseStyle",
    "IncompletePdf",
    "InputError",
    "LiveFigure",
    "MeetingSummary",
    "NarrativeField",
    "NewPaperChoices",
    "PaperCheck",
    "PaperSummary",
    "Problem",
    "Problems",
    "Progress",
    "Project",
    "PublishStatus",
    "Published",
    "PublishedMeeting",
    "ReportgenError",
    "RoleClearance",
    "TemplateError",
    "ToolError",
    "Workspace",
    "__version__",
    "check_accessibility",
    "check_yaml_text",
    "is_meeting_file",
    "narrative_fields",
    "page_pictures",
    "same_role",
    "share_outputs_as",
    "tokens",
]
