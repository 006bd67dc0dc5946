"""Dates: parse what pages and users write, convert for the index.

Pure functions. Article dates are kept as the ISO 8601 text the page gave
(with its own UTC offset, or date-only when the page has no time); these
helpers turn that text into the two forms the index needs.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from newsarchive.errors import BadDate

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_iso(value: str | None) -> datetime | None:
    """An ISO 8601 date or date-time, or None when it is not one."""
    if not value:
        return None
    value = value.strip()
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), datetime.min.time())
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def wall_clock(value: str | None) -> datetime | None:
    """The date-time as printed on the page (its local time, naive).

    Date filters compare against this, so an article dated April 5 on its
    own page is found by ``--until 2013-04-05`` whatever its time zone.
    """
    parsed = parse_iso(value)
    return parsed.replace(tzinfo=None) if parsed else None


def utc(value: str | None) -> datetime | None:
    """The instant in UTC (naive, as Whoosh wants it); a naive value is
    taken to be UTC already."""
    parsed = parse_iso(value)
    if parsed is None:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class DateBound(NamedTuple):
    """A user's date bound: the first and last moment of the period named."""

    start: datetime
    end: datetime


def parse_bound(text: str) -> DateBound:
    """Read ``2013``, ``2013-04``, ``2013-04-05`` or a full ISO date-time.

    Raises BadDate with a message that shows the accepted forms.
    """
    value = text.strip()
    try:
        if match := _YEAR.match(value):
            year = int(match.group(1))
            return DateBound(datetime(year, 1, 1), datetime(year, 12, 31, 23, 59, 59))
        if match := _MONTH.match(value):
            year, month = int(match.group(1)), int(match.group(2))
            import calendar

            last = calendar.monthrange(year, month)[1]
            return DateBound(datetime(year, month, 1), datetime(year, month, last, 23, 59, 59))
        parsed = parse_iso(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadDate(f"'{text}' is not a date: use YYYY, YYYY-MM, YYYY-MM-DD or an ISO 8601 date-time")
    parsed = parsed.replace(tzinfo=None)
    if len(value) == 10:
        return DateBound(parsed, parsed + timedelta(days=1) - timedelta(seconds=1))
    return DateBound(parsed, parsed)
