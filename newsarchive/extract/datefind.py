"""An article's dates: structured values first, the page's own text last.

Structured values (JSON-LD, meta tags, ``<time datetime>``) are ISO 8601
and kept at the precision given; `choose_date` makes the first as precise
as the page allows and checks it against the page's URL and dateline (the
dates printed under its headline, read by datetext.py), and shows a time
declared in UTC in the site's own zone where that can be known. A time
given without an offset is placed in the site's zone when the site's rules
name one. Numeric dates that read both ways ("04/05/2013") are read only
in the order the site's rules give or the archive learnt; a page that
declares nothing is dated by its dateline, then, last, by htmldate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cached_property
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from lxml.html import HtmlElement

from newsarchive.dates import parse_iso
from newsarchive.extract.datetext import Printed, ambiguous_numeric, printed_dates
from newsarchive.extract.headline import (
    STANDALONE_CHARS,
    blocks_after,
    elsewhere,
    headline_element,
    plain_text,
)

# Dates outside this range are parse accidents, not publication dates.
EARLIEST_YEAR, LATEST_YEAR = 1800, 2200
# Visible dates are looked for in at most this many date-like elements.
MAX_DATE_ELEMENTS = 8

# A time with single-digit parts ("T23:15:0Z"), which ISO 8601 parsers refuse.
_LOOSE_TIME = re.compile(r"(?<=T)(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?=\D|$)")
_DATE_LIKE = (
    '//time | //*[contains(@class, "date") or contains(@class, "time") or contains(@class, "byline")'
    ' or contains(@class, "dateline") or contains(@class, "published")]'
)


def normalize_date(value: str | None, zone: ZoneInfo | None = None) -> str | None:
    """ISO 8601 text for a date value, keeping the precision the page gave;
    a naive time is placed in `zone` when there is one."""
    if not value:
        return None
    value = _LOOSE_TIME.sub(lambda m: ":".join(part.zfill(2) for part in m.groups() if part), value.strip())
    parsed = parse_iso(value)
    if parsed is None or not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        return None
    if len(value) == 10:
        return parsed.date().isoformat()
    if parsed.tzinfo is None and zone is not None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.replace(microsecond=0).isoformat()


def guessed_date(html: str, url: str | None) -> str | None:
    """htmldate's reading of the page (markup, URL and text), date only."""
    from htmldate import find_date

    try:
        found = find_date(html, original_date=True, url=url, outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        return None
    return normalize_date(found)


# -- choosing among what the page says -------------------------------------------

# A declared date this many days or more from the date in the page's URL
# is doubted when it comes from the page's markup rather than its
# structured data (a sidebar's <time>, a guess): the URL's date wins.
URL_DOUBT_DAYS = 2
# A printed local clock is read as the declared instant in some zone when
# the two differ by whole quarter hours, give or take this much (printed
# times have no seconds), and by at most MAX_OFFSET.
CLOCK_SLACK = timedelta(minutes=1, seconds=30)
MAX_OFFSET = timedelta(hours=14)
# Characters of text after the headline where the dateline is looked for.
DATELINE_CHARS = 600
# Origins whose dates are the page's structured data, trusted over its URL.
STRUCTURED = ("json-ld", "opengraph", "meta", "twitter")
_URL_DAYS = (
    re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?=/|$)"),
    re.compile(r"(?<![\d-])((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\d])"),
    re.compile(r"/((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=/|$|[-_.])"),
)


@dataclass
class DateEvidence:
    """What a page shows besides its declared dates: the dates printed in
    its dateline (`dateline`, read only when a choice needs it: most pages
    declare a full date-time), the date in its URL, and the zone its site
    most likely keeps (`zones.site_zone`) or the user gave."""

    read_dateline: Callable[[], tuple[Printed, ...]] = tuple
    url_day: date | None = None
    site_zone: ZoneInfo | None = None
    rules_zone: ZoneInfo | None = None

    @cached_property
    def dateline(self) -> tuple[Printed, ...]:
        return self.read_dateline()


def url_day(url: str | None) -> date | None:
    """The date a URL's path carries (/2020/02/24/, /2020-02-24-), if any."""
    path = urlsplit(url).path if url else ""
    for pattern in _URL_DAYS:
        match = pattern.search(path)
        if match:
            try:
                return date(*map(int, match.groups()))
            except ValueError:
                return None
    return None


def choose_date(candidates: list[tuple[str, str]], evidence: DateEvidence) -> tuple[str | None, str | None]:
    """The article's date among normalized candidates in order of trust, and
    where it came from: the first, made as precise as another candidate or
    the dateline agreeing with it allows, doubted against the URL's date,
    and a UTC time shown in the site's own zone where that can be known."""
    if not candidates:
        return None, None
    origin, value = candidates[0]
    if (
        evidence.url_day
        and origin not in STRUCTURED
        and _days_apart(value, evidence.url_day) >= URL_DOUBT_DAYS
    ):
        agreeing = [c for c in candidates if _days_apart(c[1], evidence.url_day) == 0]
        origin, value = agreeing[0] if agreeing else ("url", evidence.url_day.isoformat())
    for other_origin, other in candidates:
        if _precision(other) > _precision(value) and _agree(value, other):
            origin, value = other_origin, other
    if _precision(value) == 1:
        timed = next((p for p in evidence.dateline if p.time and p.day.isoformat() == value), None)
        if timed is not None:
            value = normalize_date(timed.iso(), evidence.rules_zone) or value
            origin = f"{origin}+dateline"
    localized = _localized(value, evidence)
    if localized is None and evidence.url_day is not None:
        # a UTC time the page's own date contradicts, in an unknown zone
        return evidence.url_day.isoformat(), f"{origin}+url"
    return localized or value, origin


def _precision(value: str) -> int:
    """1 a day, 2 a time without offset, 3 a time with its offset."""
    parsed = parse_iso(value)
    if parsed is None or len(value) == 10:
        return 1
    return 3 if parsed.tzinfo is not None else 2


def _agree(value: str, other: str) -> bool:
    """Whether two values name the same moment, as far as the less precise
    one says (the same day, the same wall clock, the same instant)."""
    a, b = parse_iso(value), parse_iso(other)
    if a is None or b is None:
        return False
    if min(_precision(value), _precision(other)) == 1:
        return a.date() == b.date()
    if a.tzinfo is None or b.tzinfo is None:
        return abs(a.replace(tzinfo=None) - b.replace(tzinfo=None)) <= timedelta(seconds=60)
    return abs(a - b) <= timedelta(seconds=60)


def _days_apart(value: str, day: date) -> int:
    parsed = parse_iso(value)
    return abs((parsed.date() - day).days) if parsed else 10**6


def _localized(value: str, evidence: DateEvidence) -> str | None:
    """A time declared in UTC, shown in the zone the site keeps when that
    can be known: the user's rule for the site, a local clock the page
    prints for the same instant, or the site's likely zone (when it does not
    contradict the date in the URL). The instant never changes."""
    parsed = parse_iso(value)
    if parsed is None or parsed.tzinfo is None or parsed.utcoffset() != timedelta(0):
        return value
    if evidence.rules_zone is not None:
        return parsed.astimezone(evidence.rules_zone).isoformat()
    offset = local_offset(parsed, evidence.dateline)
    if offset is not None:
        return parsed.astimezone(timezone(offset)).isoformat()
    if evidence.site_zone is not None:
        local = parsed.astimezone(evidence.site_zone)
        if evidence.url_day is None or local.date() == evidence.url_day:
            return local.isoformat()
    if evidence.url_day is not None and _days_apart(value, evidence.url_day) == 1:
        # The page's own date is the day before or after: it lives in a
        # zone nothing names. Its date, as it prints it, is what is known.
        return None
    return value


def local_offset(instant: datetime, printed: tuple[Printed, ...]) -> timedelta | None:
    """The UTC offset of a local clock printed for `instant`: a printed date
    and time that is the instant moved by a whole zone's offset."""
    utc_clock = instant.astimezone(UTC).replace(tzinfo=None, second=0)
    for found in printed:
        if found.clock is None:
            continue
        if found.offset is not None:  # printed with its zone: the same instant, or another time
            if abs(found.clock - found.offset - utc_clock) <= CLOCK_SLACK:
                return found.offset
            continue
        delta = found.clock - utc_clock
        offset = round(delta / timedelta(minutes=15)) * timedelta(minutes=15)
        if abs(delta - offset) <= CLOCK_SLACK and offset in ZONE_OFFSETS:
            return offset
    return None


# The UTC offsets zones keep: whole hours from -12 to +14, and the few half
# and quarter hours in use.
ZONE_OFFSETS = {timedelta(hours=h) for h in range(-12, 15)} | {
    timedelta(hours=h, minutes=m)
    for h, m in (
        (-9, -30),
        (-3, -30),
        (3, 30),
        (4, 30),
        (5, 30),
        (6, 30),
        (9, 30),
        (10, 30),
        (5, 45),
        (8, 45),
        (12, 45),
    )
}


def dateline(tree: HtmlElement, order: str | None = None, title: str = "") -> tuple[Printed, ...]:
    """The dates (and times) printed where a page prints its own (see
    `dateline_texts`)."""
    return tuple(found for text in dateline_texts(tree, title) for found in printed_dates(text, order))


def dateline_texts(tree: HtmlElement, title: str = "") -> list[str]:
    """The texts where a page prints its own date: the lines after its
    headline (the <h1> that shows `title`), those standing on their own
    before those inside sentences, then its date-like elements; never
    captions, asides, menus or teasers of other stories."""
    blocks = []
    heading = headline_element(tree, title)
    if heading is not None:
        after = blocks_after(heading, DATELINE_CHARS)
        blocks += [text for text in after if len(text) <= STANDALONE_CHARS]
        blocks += [text for text in after if len(text) > STANDALONE_CHARS]
    blocks += [
        plain_text(element)
        for element in tree.xpath(_DATE_LIKE)[:MAX_DATE_ELEMENTS]
        if not elsewhere(element)
    ]
    return [" ".join(text.split()) for text in blocks]


def order_vote(published: str | None, texts: list[str]) -> str | None:
    """How the site writes numeric dates, as this page shows it: "DMY" or
    "MDY" when the page prints its declared date as a numeric date that
    could be read either way (4/5/2013 for April 5 or May 4), else None."""
    declared = parse_iso(published)
    if declared is None or declared.day == declared.month or declared.day > 12:
        return None
    for first, second, year in (found for text in texts for found in ambiguous_numeric(text)):
        if year != declared.year:
            continue
        if (first, second) == (declared.month, declared.day):
            return "MDY"
        if (first, second) == (declared.day, declared.month):
            return "DMY"
    return None
