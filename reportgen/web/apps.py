"""The Django app of reportgen's web service."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "reportgen.web"
    label = "web"
    verbose_name = "reportgen"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The login receivers connect; the background tasks register with huey, so that a
        # job worker knows a task whichever process put it in the queue.
        from reportgen.web import audit, tasks  # noqa: F401
