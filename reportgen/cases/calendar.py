"""Working days: Monday to Friday, less England and Wales bank holidays.

The bank holidays come from the `holidays` package (its own tables: no network), with any
the project adds (a one-off the package does not know yet, such as a coronation's).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from importlib.metadata import version

import holidays
import numpy as np
import numpy.typing as npt

HOLIDAYS_VERSION = version("holidays")  # the bank holiday tables counted with


def bank_holidays(years: Iterable[int], added: Iterable[date] = ()) -> npt.NDArray[np.datetime64]:
    """England and Wales bank holidays in `years`, with `added`, as sorted days."""
    known = holidays.country_holidays("GB", subdiv="ENG", years=sorted(set(years)))
    days = sorted({*known, *added})
    return np.array(days, dtype="datetime64[D]")


def working_days(
    start: npt.NDArray[np.datetime64],
    end: npt.NDArray[np.datetime64],
    holidays_: npt.NDArray[np.datetime64],
) -> npt.NDArray[np.int64]:
    """Working days from each start to its end: those after the start day up to and
    including the end day (the same day is 0, the next working day 1); negative when the
    end is before the start. Days, not times: both are read as dates."""
    one = np.timedelta64(1, "D")
    return np.busday_count(
        start.astype("datetime64[D]") + one,
        end.astype("datetime64[D]") + one,
        holidays=holidays_,
    )
