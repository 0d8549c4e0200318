"""Facts about a report that cannot be true yet: a year after next year, a future file time.

Why: the newest report of an agency and year is the one that counts; a typo (2102 for
2021) or a clock set wrong must not make a report "newest". Such a value is flagged and
not trusted, never silently corrected.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from etl.result import Report

FUTURE_SLACK_S = 24 * 3600  # clocks and time zones differ by hours, not by days


def latest_plausible_year(now: float | None = None) -> int:
    """A report covers a past year; next year is allowed for reports filed early."""
    return datetime.fromtimestamp(time.time() if now is None else now, tz=UTC).year + 1


def distrust_future_year(report: Report, now: float | None = None) -> Report:
    """The report with a year after next year removed (NULL) and a warning."""
    year = report.year
    limit = latest_plausible_year(now)
    if isinstance(year, int) and year > limit:
        report.year = None
        report.warnings.append(f"metadata: report year {year} is after {limit}; not used")
    return report


def is_future(mtime: float, now: float | None = None) -> bool:
    """A file time more than a day ahead of the clock."""
    return mtime > (time.time() if now is None else now) + FUTURE_SLACK_S
