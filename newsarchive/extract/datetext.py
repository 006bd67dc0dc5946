"""Dates and times as pages print them: "13. Mai 2026 um 15:44",
"February 24, 2020 | 9:25pm", "Do 25.04.24 | 14:07 Uhr".

Pure functions over text. They never decide an article's date on their
own: structured values (JSON-LD, meta tags) do that. What is printed adds
what the structured values lack, and checks them: the time of a date
declared without one, and the local clock that tells which time zone a
time declared in UTC belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

# Month names and their usual abbreviations in the languages most news is
# written in; each maps to its month's number.
_MONTH_NAMES = {
    1: "january jan januar jänner janvier janv enero ene gennaio gen janeiro januari",
    2: "february feb februar février févr fevrier febrero febbraio fevereiro fev februari",
    3: "march mar märz maerz mär mars marzo março maart mrt",
    4: "april apr avril abril aprile",
    5: "may mai mayo maggio mag maio mei",
    6: "june jun juni juin junio giugno giu junho",
    7: "july jul juli juillet juil julio luglio lug julho",
    8: "august aug août aout agosto ago augustus",
    9: "september sep sept septembre septiembre setiembre settembre set setembro",
    10: "october oct oktober okt octobre octubre ottobre ott outubro out",
    11: "november nov novembre noviembre novembro",
    12: "december dec dezember dez décembre déc decembre diciembre dic dicembre dezembro",
}
MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names.split()}
_MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))

_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\d.])(\d{{1,2}})(?:\.|º|er)?\s*(?:de\s+)?({_MONTH})\.?,?\s*(?:de\s+|del\s+)?(\d{{4}})(?!\d)", re.I
)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.I)
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})([./])(\d{1,2})\2(\d{4}|\d{2})(?![\d.]\d)")
_ISO_DAY = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
# A time right after a date: "15:25", "14:07 Uhr", "9:25pm", "11:30 p.m.",
# "18h37"; only words and separators (no digits) between the two.
_TIME = re.compile(
    r"^[^\d]{0,24}?(?<!\d)(\d{1,2})(?::|h(?=\d\d)|\.(?=\d\d\s*uhr))(\d{2})(?::\d{2})?(?!\d)"
    r"(?:\s*(?:uhr|h\b))?(?:\s*([ap])\.?\s?m\b\.?)?"
    r"(?:\s*\(?(?:(?:GMT|UTC)\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?|([+\-−])(\d{2}):?(\d{2})|([A-Z]{1,5})\b))?",
    re.I,
)
# Zone names printed after times: fixed offsets, or a zone whose offset
# depends on the date. Where one reading dominates news (CST is America's);
# IST, which three countries use, is left out.
ZONE_NAMES: dict[str, float | str] = {
    "utc": 0, "gmt": 0, "z": 0, "wet": 0, "west": 1, "bst": 1, "cet": 1, "cest": 2, "mez": 1, "mesz": 2,
    "eet": 2, "eest": 3, "msk": 3, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6,
    "pst": -8, "pdt": -7, "akst": -9, "akdt": -8, "hst": -10, "jst": 9, "kst": 9, "aest": 10, "aedt": 11,
    "acst": 9.5, "awst": 8, "nzst": 12, "nzdt": 13, "sgt": 8, "hkt": 8,
    "et": "America/New_York", "ct": "America/Chicago", "mt": "America/Denver", "pt": "America/Los_Angeles",
}  # fmt: skip
# How far after a date its time may be printed.
TIME_REACH = 40


@dataclass(frozen=True)
class Printed:
    """A date (and time, if printed) found in a page's text, where."""

    day: date
    time: tuple[int, int] | None
    at: int  # offset in the text
    offset: timedelta | None = None  # the UTC offset printed with the time, if any

    @property
    def clock(self) -> datetime | None:
        """The printed date and time (the page's local clock), if a time was printed."""
        return datetime(self.day.year, self.day.month, self.day.day, *self.time) if self.time else None

    def iso(self) -> str:
        """ISO 8601: the day, or the time (with its offset when printed)."""
        clock = self.clock
        if clock is None:
            return self.day.isoformat()
        return (clock.replace(tzinfo=timezone(self.offset)) if self.offset is not None else clock).isoformat()


def printed_dates(text: str, order: str | None = None) -> list[Printed]:
    """Dates printed in `text`, in order, each with the time printed right
    after it. Numeric dates are read day first unless `order` is "MDY" (or
    the numbers allow one reading only); a numeric date that could be read
    both ways is skipped when no order is known."""
    found: dict[int, Printed] = {}
    for match in _DAY_MONTH_YEAR.finditer(text):
        _add(found, text, match, int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))
    for match in _MONTH_DAY_YEAR.finditer(text):
        _add(found, text, match, int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2)))
    for match in _ISO_DAY.finditer(text):
        _add(found, text, match, int(match.group(1)), int(match.group(2)), int(match.group(3)))
    for match in _NUMERIC.finditer(text):
        first, separator, second, year = match.groups()
        day, month = _numeric_order(int(first), int(second), separator, order)
        if day:
            _add(found, text, match, int(year) + (2000 if len(year) == 2 else 0), month, day)
    return [found[at] for at in sorted(found)]


def ambiguous_numeric(text: str) -> list[tuple[int, int, int]]:
    """(first, second, year) of each numeric date in `text` that could be
    read day first or month first (both numbers 12 or less, slashes or
    dashes: dotted dates are day first everywhere)."""
    found = []
    for match in _NUMERIC.finditer(text):
        first, separator, second, year = match.groups()
        if separator != "." and int(first) <= 12 and int(second) <= 12:
            found.append((int(first), int(second), int(year) + (2000 if len(year) == 2 else 0)))
    return found


def _numeric_order(first: int, second: int, separator: str, order: str | None) -> tuple[int, int]:
    """(day, month) of a numeric date, or (0, 0) when it cannot be told."""
    if first > 12 or second > 12:
        return (first, second) if first > 12 else (second, first)
    if order == "MDY":
        return second, first
    if order == "DMY" or separator == ".":  # dotted dates are day first wherever they are written
        return first, second
    return 0, 0


def _add(found: dict[int, Printed], text: str, match: re.Match, year: int, month: int, day: int) -> None:
    try:
        when = date(year, month, day)
    except ValueError:
        return
    if match.start() in found or not 1900 <= year <= 2200:
        return
    time, offset = _time_after(text[match.end() : match.end() + TIME_REACH], when)
    found[match.start()] = Printed(when, time, match.start(), offset)


def _time_after(text: str, day: date) -> tuple[tuple[int, int] | None, timedelta | None]:
    """The time printed at the start of `text`, and its UTC offset if printed."""
    match = _TIME.match(text)
    if not match:
        return None, None
    hour, minute, meridiem, sign, hours, minutes, bare_sign, bare_hours, bare_minutes, name = match.groups()
    hour, minute = int(hour), int(minute)
    if meridiem:
        if not 1 <= hour <= 12:
            return None, None
        hour = hour % 12 + (12 if meridiem.lower() == "p" else 0)
    if hour > 23 or minute > 59:
        return None, None
    offset = None
    if sign or bare_sign:
        sign, hours, minutes = (sign, hours, minutes) if sign else (bare_sign, bare_hours, bare_minutes)
        offset = (-1 if sign in "-−" else 1) * timedelta(hours=int(hours), minutes=int(minutes or 0))
    elif name and name.isupper() and name.lower() in ZONE_NAMES:  # zone names are printed in capitals
        known = ZONE_NAMES[name.lower()]
        if isinstance(known, str):
            offset = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(known)).utcoffset()
        else:
            offset = timedelta(hours=known)
    if offset is not None and abs(offset) > timedelta(hours=14):
        offset = None
    return (hour, minute), offset
