"""Date parsing for users' bounds and for the index."""

from __future__ import annotations

from datetime import datetime

import pytest

from newsarchive.dates import parse_bound, utc, wall_clock
from newsarchive.errors import BadDate


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2013", datetime(2013, 1, 1), datetime(2013, 12, 31, 23, 59, 59)),
        ("2013-04", datetime(2013, 4, 1), datetime(2013, 4, 30, 23, 59, 59)),
        ("2012-02", datetime(2012, 2, 1), datetime(2012, 2, 29, 23, 59, 59)),
        ("2013-04-05", datetime(2013, 4, 5), datetime(2013, 4, 5, 23, 59, 59)),
        ("2013-04-05T15:12:00", datetime(2013, 4, 5, 15, 12), datetime(2013, 4, 5, 15, 12)),
        (" 2013-04-05T15:12:00+03:00 ", datetime(2013, 4, 5, 15, 12), datetime(2013, 4, 5, 15, 12)),
    ],
)
def test_bounds(text, start, end):
    bound = parse_bound(text)
    assert (bound.start, bound.end) == (start, end)


@pytest.mark.parametrize("text", ["notadate", "2013-13", "2013-02-30", "13", "", "yesterday", "2013/04/05"])
def test_bad_bounds(text):
    with pytest.raises(BadDate, match="YYYY-MM-DD"):
        parse_bound(text)


def test_wall_clock_and_utc():
    value = "2013-04-05T23:30:00-05:00"
    assert wall_clock(value) == datetime(2013, 4, 5, 23, 30)
    assert utc(value) == datetime(2013, 4, 6, 4, 30)
    assert utc("2013-04-05") == wall_clock("2013-04-05") == datetime(2013, 4, 5)
    assert utc(None) is None and utc("garbage") is None
