"""The WSGI application of `reportgen serve` (for a WSGI server of your own, set
REPORTGEN_PROJECT and DJANGO_SETTINGS_MODULE=reportgen.web.settings first)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportgen.web.settings")
application = get_wsgi_application()
