"""An article's dates: structured values first, the page's own text last.

Structured values (JSON-LD, meta tags, ``<time datetime>``) are ISO 8601
and kept at the precision given. A time given without an offset is placed
in the site's time zone when the site's rules name one. Visible numeric
dates ("04/05/2013") are read only in the order the site's rules give, as
their order cannot be told from the text; htmldate is the last resort.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from lxml.html import HtmlElement

from newsarchive.dates import parse_iso

# Dates outside this range are parse accidents, not publication dates.
EARLIEST_YEAR, LATEST_YEAR = 1800, 2200
# Visible dates are looked for in at most this many date-like elements.
MAX_DATE_ELEMENTS = 8

_NUMERIC = re.compile(r"\b(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})\b(?:[^\d]{1,12}?(\d{1,2})[:.h](\d{2})\b)?")
_DATE_LIKE = (
    '//time | //*[contains(@class, "date") or contains(@class, "time") or contains(@class, "byline")'
    ' or contains(@class, "dateline") or contains(@class, "published")]'
)


def normalize_date(value: str | None, zone: ZoneInfo | None = None) -> str | None:
    """ISO 8601 text for a date value, keeping the precision the page gave;
    a naive time is placed in `zone` when there is one."""
    if not value:
        return None
    value = value.strip()
    parsed = parse_iso(value)
    if parsed is None or not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        return None
    if len(value) == 10:
        return parsed.date().isoformat()
    if parsed.tzinfo is None and zone is not None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.replace(microsecond=0).isoformat()


def read_numeric_date(text: str, order: str) -> datetime | None:
    """The first numeric date in `text`, read in the given order."""
    for match in _NUMERIC.finditer(text):
        first, second, third, hour, minute = match.groups()
        if len(first) == 4:
            year, month, day = first, second, third
        elif order == "MDY":
            month, day, year = first, second, third
        elif order == "DMY":
            day, month, year = first, second, third
        else:
            continue
        year_number = int(year) + (2000 if len(year) == 2 else 0)
        try:
            return (
                datetime(year_number, int(month), int(day), int(hour or 0), int(minute or 0))
                if hour
                else datetime(year_number, int(month), int(day))
            )
        except ValueError:
            continue
    return None


def visible_date(tree: HtmlElement, order: str) -> str | None:
    """A date printed in the page's date-like elements, read in `order`."""
    for element in tree.xpath(_DATE_LIKE)[:MAX_DATE_ELEMENTS]:
        found = read_numeric_date(element.text_content(), order)
        if found is not None:
            return found.date().isoformat() if found.hour == found.minute == 0 else found.isoformat()
    return None


def guessed_date(html: str, url: str | None) -> str | None:
    """htmldate's reading of the page (markup, URL and text), date only."""
    from htmldate import find_date

    try:
        found = find_date(html, original_date=True, url=url, outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        return None
    return normalize_date(found)
