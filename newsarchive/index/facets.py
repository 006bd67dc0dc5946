"""Facets and timelines as people ask for them, from what engines count.

Engines count matches per source, author, section and day (the date
printed on the article); a month is the sum of its days, and a timeline
is the days summed per day, ISO week or month, every period from the
first match to the last listed, empty ones as 0 (a gap is the point of
drawing it). Pure functions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from newsarchive.index.api import ranked

# What `search --facets` offers, and the engine field each is counted from.
FACETS = {"source": "source", "author": "author", "section": "section", "month": "day"}
PERIODS = ("day", "week", "month")


def engine_fields(wanted: Iterable[str]) -> list[str]:
    """The engine fields that answer these facets (each once)."""
    return list(dict.fromkeys(FACETS[name] for name in wanted))


def parse_facets(text: str) -> list[str]:
    """The facets a comma-separated list names; ValueError naming the
    ones that are not offered."""
    wanted = [name.strip().lower() for name in text.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in FACETS]
    if unknown or not wanted:
        raise ValueError(
            f"unknown facet {', '.join(map(repr, unknown)) or 'list'}: give some of {', '.join(FACETS)}"
        )
    return list(dict.fromkeys(wanted))


def facet_counts(counts: Mapping[str, Sequence[tuple[str, int]]], wanted: Iterable[str]) -> dict:
    """Each wanted facet's (value, count) pairs, most first."""
    return {name: _rolled(counts[FACETS[name]], name) for name in wanted}


def _rolled(pairs: Sequence[tuple[str, int]], name: str) -> list[tuple[str, int]]:
    if name != "month":
        return list(pairs)
    months: Counter[str] = Counter()
    for day, count in pairs:
        months[day[:7]] += count
    return ranked(months.items())


def period_of(day: date, period: str) -> str:
    """The label of the period a day falls in: 2026-03-05, 2026-W10, 2026-03."""
    if period == "month":
        return day.strftime("%Y-%m")
    if period == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


def timeline(day_counts: Sequence[tuple[str, int]], period: str) -> list[tuple[str, int]]:
    """Matches per period, in time order, from the first to the last
    period with any (those between with none as 0)."""
    days = {date.fromisoformat(day): count for day, count in day_counts}
    if not days:
        return []
    sums: Counter[str] = Counter()
    for day, count in days.items():
        sums[period_of(day, period)] += count
    first, last = min(days), max(days)
    step = timedelta(days=1)
    labels: list[str] = []
    day = first
    while day <= last:
        label = period_of(day, period)
        if not labels or labels[-1] != label:
            labels.append(label)
        day += step if period == "day" else _next_period(day, period) - day
    return [(label, sums.get(label, 0)) for label in labels]


def _next_period(day: date, period: str) -> date:
    if period == "week":
        return day + timedelta(days=7 - day.weekday())
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)
