"""The service under test: Django set up once per test run on a copy of the example
project (its own database in the copy's `.reportgen/`, or the one REPORTGEN_DATABASE_URL
names), with one user per role."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-test-password-7"
ROLES = {  # user name: (role, may see exempt papers)
    "officer": ("officer", False),
    "officer-exempt": ("officer", True),
    "clerk": ("clerk", True),
    "clerk-plain": ("clerk", False),
    "admin": ("admin", True),
    "cfo": ("clearer", True),
    "monitoring-plain": ("clearer", False),
}
NAMES = {"cfo": "Dawn Okafor", "clerk": "Sam Ellis"}
CLEARS = {"cfo": ("Chief Financial Officer",), "monitoring-plain": ("Monitoring Officer",)}
PUBLIC = "2011-01-18-ni59-ni60"
EXEMPT = "2026-11-04-high-cost-placements"
MEETING = "2026-11-04-children-and-young-people-scrutiny-panel"
_ready: Path | None = None
# The jobs are run by `reportgen worker` processes (.ci/scale-out starts them, on PostgreSQL
# and Redis), not at once in the request: a test asks after its job until it has finished.
EXTERNAL = os.environ.get("REPORTGEN_EXTERNAL_WORKERS", "").strip() not in ("", "0")
_STATUS = re.compile(r'hx-get="(/[^"]+/(?:pages|pack)/[0-9a-f]{32})"')


def project() -> Path:
    """The project the service serves in this test run, set up on first use: a copy of the
    example, or, with external workers, the copy REPORTGEN_PROJECT names, which they serve."""
    global _ready
    if _ready is None:
        if EXTERNAL:
            root = Path(os.environ["REPORTGEN_PROJECT"])
        else:
            root = Path(tempfile.mkdtemp(prefix="reportgen-web-")) / "project"
            root.mkdir()
            for folder in ("config", "data"):
                shutil.copytree(REPO / folder, root / folder)
        os.environ["REPORTGEN_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
        from reportgen.web import server

        server.setup(root)
        from django.contrib.auth.models import User
        from django.test.utils import override_settings

        # The production hasher (PBKDF2, half a second a password) for each of the suite's
        # sign-ins is minutes of CI; the sign-in's guards are tested by counting hashes
        # (test_web_production), not by timing them. A PBKDF2 password still verifies.
        fast = "django.contrib.auth.hashers.MD5PasswordHasher"
        slow = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
        override_settings(PASSWORD_HASHERS=[fast, slow]).enable()

        from reportgen.web.roles import add_user

        for name, (role, exempt) in ROLES.items():
            if not User.objects.filter(username=name).exists():
                add_user(
                    name,
                    role,
                    PASSWORD,
                    exempt,
                    f"{name}@example.org",
                    CLEARS.get(name, ()),
                    NAMES.get(name, ""),
                )
        _ready = root
    return _ready


def finished(client: Any, page: str, timeout: float = 300) -> str:
    """The page of a background job once it has finished: `page` itself when the job ran
    in the request; else its status page, asked for every half second as the browser does."""
    deadline = time.monotonic() + timeout
    while found := _STATUS.search(page):
        assert time.monotonic() < deadline, f"the job did not finish in {timeout} s: {page}"
        time.sleep(0.5)
        page = client.get(found.group(1)).content.decode()
    return page


def reset_file(relative: str) -> None:
    """Puts a project file back as the example has it."""
    shutil.copyfile(REPO / relative, project() / relative)
