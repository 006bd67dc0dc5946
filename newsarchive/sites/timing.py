"""When a source is due: `every = "30m"` or `cron = "*/30 * * * *"`.

Pure. A schedule answers one question: given when the last run started
(or that there was none), when is the next one due? Asking it from the
last run's start, not from each missed slot, is what makes a scheduler
that was down for a day run a missed crawl once, not forty-eight times.
Cron expressions are read by croniter (the standard five fields).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from newsarchive.errors import BadInput

_DURATION = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?)\s*$", re.I
)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Shorter intervals would hammer a site and are surely a typo.
MIN_INTERVAL_SECONDS = 1


def parse_every(text: str) -> float:
    """Seconds in "30m", "1h", "2 days", "45s"."""
    match = _DURATION.match(str(text))
    if not match:
        raise BadInput(f'every = {text!r} is not a duration: write e.g. "30m", "1h", "2d" or "45s"')
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)[0].lower()]
    if seconds < MIN_INTERVAL_SECONDS:
        raise BadInput(f"every = {text!r} is shorter than {MIN_INTERVAL_SECONDS} s")
    return seconds


def check_cron(expression: str) -> str:
    from croniter import croniter

    if not croniter.is_valid(expression) or len(expression.split()) != 5:
        raise BadInput(
            f"cron = {expression!r} is not a cron expression: five fields, minute hour day month weekday,"
            ' e.g. "*/30 * * * *"'
        )
    return expression


@dataclass(frozen=True)
class Schedule:
    every: float | None = None  # seconds
    cron: str | None = None

    @classmethod
    def of(cls, every: str | None = None, cron: str | None = None) -> Schedule | None:
        if every and cron:
            raise BadInput("give a source either every or cron, not both")
        if every:
            return cls(every=parse_every(every))
        if cron:
            return cls(cron=check_cron(cron))
        return None

    def next_due(self, last_start: datetime | None) -> datetime:
        """When the next run is due; a source never run is due at once."""
        if last_start is None:
            return datetime.min.replace(tzinfo=UTC)
        if self.every is not None:
            return last_start + timedelta(seconds=self.every)
        from croniter import croniter

        return croniter(self.cron, last_start).get_next(datetime)

    def describe(self) -> str:
        if self.every is not None:
            return f"every {_human(self.every)}"
        return f"cron {self.cron}"


def _human(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"
