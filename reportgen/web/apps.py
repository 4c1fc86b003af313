"""The Django app of reportgen's web service."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "reportgen.web"
    label = "web"
    verbose_name = "reportgen"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from reportgen.web import audit  # noqa: F401 - connects the login receivers
