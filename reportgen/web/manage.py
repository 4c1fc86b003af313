"""Django's management commands for the service: `python -m reportgen.web.manage check --deploy`
(set REPORTGEN_PROJECT to the project folder first)."""

import os
import sys

from django.core.management import execute_from_command_line

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportgen.web.settings")
    execute_from_command_line(sys.argv)
