"""The service under test: Django set up once per test run on a copy of the example
project (its own database in the copy's `.reportgen/`), with one user per role."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-test-password-7"
ROLES = {  # user name: (role, may see exempt papers)
    "officer": ("officer", False),
    "officer-exempt": ("officer", True),
    "clerk": ("clerk", True),
    "clerk-plain": ("clerk", False),
    "admin": ("admin", True),
}
PUBLIC = "2011-01-18-ni59-ni60"
EXEMPT = "2026-11-04-high-cost-placements"
MEETING = "2026-11-04-children-and-young-people-scrutiny-panel"
_ready: Path | None = None


def project() -> Path:
    """The project the service serves in this test run, set up on first use."""
    global _ready
    if _ready is None:
        root = Path(tempfile.mkdtemp(prefix="reportgen-web-")) / "project"
        root.mkdir()
        for folder in ("config", "data"):
            shutil.copytree(REPO / folder, root / folder)
        os.environ["REPORTGEN_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
        from reportgen.web import server

        server.setup(root)
        from django.contrib.auth.models import User

        from reportgen.web.roles import add_user

        for name, (role, exempt) in ROLES.items():
            if not User.objects.filter(username=name).exists():
                add_user(name, role, PASSWORD, exempt)
        _ready = root
    return _ready


def reset_file(relative: str) -> None:
    """Puts a project file back as the example has it."""
    shutil.copyfile(REPO / relative, project() / relative)
