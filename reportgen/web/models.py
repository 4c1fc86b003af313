"""What the service keeps besides the project folder: every version of every file an
officer saved or uploaded, and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Version(models.Model):
    """One saved state of a project file (a narrative, a meeting or a data file): every
    save, restore and upload makes one, so nothing an officer saved is ever lost."""

    path = models.CharField(max_length=300, db_index=True)  # from the project folder
    number = models.PositiveIntegerField()  # 1, 2, … for each path
    content = models.BinaryField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    author_name = models.CharField(max_length=150, blank=True)  # kept if the user goes
    created = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)  # "saved", "restored version 2", …
    draft = models.BooleanField(default=False)  # saved with problems, on purpose
    problems = models.PositiveIntegerField(default=0)  # problems found when it was saved

    class Meta:
        ordering = ["path", "number"]
        constraints = [
            models.UniqueConstraint(fields=["path", "number"], name="one_number_per_version")
        ]
        permissions = [
            ("view_exempt", "Can see exempt (Schedule 12A) papers"),
            ("edit_papers", "Can edit papers and upload data"),
            ("read_audit", "Can read the audit log"),
            ("run_meetings", "Can set meetings' agendas"),
        ]

    @property
    def text(self) -> str:
        return bytes(self.content).decode("utf-8", errors="replace")


class AuditEntry(models.Model):
    """Who did what, when: logins, saves, restores, uploads, downloads of exempt papers,
    permission changes."""

    created = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40)
    target = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    # About an exempt paper or pack, as known when it was written (the log also checks
    # today's papers when it is read: see views.audit).
    exempt = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created", "-id"]


class Clearer(models.Model):
    """A clearance role a user holds (Chief Financial Officer, Monitoring Officer…): they
    are asked to clear the papers whose clearance list names it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    role = models.CharField(max_length=100)

    class Meta:
        ordering = ["role", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_role_once")]


class ClearanceEvent(models.Model):
    """A step of a paper's clearance: asked (by a clerk, or again after a change),
    cleared, returned with a comment, or published without it (overridden, with why)."""

    ASKED, CLEARED, RETURNED = "asked", "cleared", "returned"
    path = models.CharField(max_length=300, db_index=True)  # the narrative's
    role = models.CharField(max_length=100)
    action = models.CharField(max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(max_length=150, blank=True)
    comment = models.TextField(blank=True)
    content = models.CharField(max_length=64, blank=True)  # the paper's, at the time
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    @property
    def who(self) -> str:
        """Their full name where the service knows it, else their user name."""
        known = self.user.get_full_name() if self.user is not None else ""
        return str(known or self.username or "reportgen")


class Job(models.Model):
    """A background job (a page preview, an agenda pack, a publication): whose it is, what
    it is of, and how far it has got. A job is shown only to the user who started it, and
    only at the address of its own paper or meeting."""

    PAGES, PACK, PUBLISH = "pages", "pack", "publish"
    QUEUED, RUNNING, DONE, FAILED, REPLACED = "queued", "running", "done", "failed", "replaced"
    id = models.CharField(primary_key=True, max_length=32)  # 32 hex digits, unguessable
    kind = models.CharField(max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE)
    username = models.CharField(max_length=150, blank=True)
    target = models.CharField(max_length=300)  # the paper's or meeting's file, from the project
    exempt = models.BooleanField(default=False)  # of an exempt paper when it was started
    state = models.CharField(max_length=20, default=QUEUED, db_index=True)
    message = models.TextField(blank=True)  # why it failed, in words for the user
    worker = models.CharField(max_length=200, blank=True)  # host and process running it
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created"]
        indexes = [models.Index(fields=["user", "kind", "state"], name="jobs_of_user")]
