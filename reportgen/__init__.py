"""reportgen: committee papers on children's social care performance, from data to Word.

The public API (see "Using reportgen from Python" in the README): every name in `__all__`,
defined in `reportgen.api`. The command line and the web service call these and nothing
else of reportgen's.
"""

from reportgen.api import *  # noqa: F403 - the public API is api's __all__
from reportgen.api import __all__ as _api
from reportgen.version import __version__

__all__ = [*_api, "__version__"]
