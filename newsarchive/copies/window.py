"""The fingerprints of the articles around some days, held in memory to
find an article's copy candidates.

A story's copies run within days of it (finder.WINDOW_DAYS), so linking
needs the fingerprints of a few days at a time: they are read from the
store a day range at a time, kept while in use, and dropped when the days
linked move on (an import of a year of pages holds a few weeks' worth at
most). Stamps say what was recorded since the window last looked, so
what another process linked in the meantime is found too.
"""

from __future__ import annotations

from newsarchive.copies.finder import WINDOW_DAYS

# Prints held at most (~3 KB each), beside the days being linked: past it,
# the days least recently linked around are let go.
MOST_PRINTS = 20_000


class PrintWindow:
    def __init__(self, store, window_days: int = WINDOW_DAYS, most_prints: int = MOST_PRINTS):
        self.window = window_days
        self.most_prints = most_prints
        self.stamp = store.copy_stamp()  # prints recorded after it are read by `refresh`
        self._days: dict[int, int] = {}  # loaded day -> when last used
        self._clock = 0
        self._prints: dict[str, tuple[int, tuple[int, ...], str]] = {}  # id -> (day, bands, body)
        self._by_day: dict[int, set[str]] = {}
        self._by_band: dict[int, str | set[str]] = {}  # most keys name one article
        self._by_body: dict[str, set[str]] = {}

    def refresh(self, store) -> None:
        """Take in what was recorded since the window last looked."""
        for found in store.copy_prints(after=self.stamp):
            if found.day in self._days:
                self.put(found.article_id, found.day, found.bands, found.body)
            self.stamp = max(self.stamp, found.stamp)

    def candidates(self, store, day: int, bands, body: str) -> set[str]:
        """Articles within the window of `day` sharing a band or the body."""
        self._load(store, day)
        found = set(self._by_body.get(body, ()))
        for band in bands:
            held = self._by_band.get(band)
            if isinstance(held, str):
                found.add(held)
            elif held:
                found |= held
        return {i for i in found if abs(self._prints[i][0] - day) <= self.window}

    def put(self, article_id: str, day: int, bands, body: str) -> None:
        """Hold an article's print (replacing one held for it before), if
        its day is held."""
        self._drop(article_id)
        if day not in self._days:
            return
        self._prints[article_id] = (day, tuple(bands), body)
        self._by_day.setdefault(day, set()).add(article_id)
        self._by_body.setdefault(body, set()).add(article_id)
        for band in bands:
            held = self._by_band.get(band)
            if held is None:
                self._by_band[band] = article_id
            elif isinstance(held, str):
                self._by_band[band] = {held, article_id}
            else:
                held.add(article_id)

    def _drop(self, article_id: str) -> None:
        old = self._prints.pop(article_id, None)
        if old is None:
            return
        day, bands, body = old
        if day in self._by_day:  # else the whole day is being let go
            self._by_day[day].discard(article_id)
        self._by_body[body].discard(article_id)
        if not self._by_body[body]:
            del self._by_body[body]
        for band in bands:
            held = self._by_band.get(band)
            if held == article_id:
                del self._by_band[band]
            elif isinstance(held, set):
                held.discard(article_id)
                if len(held) == 1:
                    self._by_band[band] = next(iter(held))

    def _load(self, store, day: int) -> None:
        wanted = range(day - self.window, day + self.window + 1)
        self._clock += 1
        missing = [d for d in wanted if d not in self._days]
        for held in wanted:
            self._days[held] = self._clock
        if missing:
            fresh = set(missing)
            for found in store.copy_prints(days=(min(missing), max(missing))):
                if found.day in fresh:
                    self.put(found.article_id, found.day, found.bands, found.body)
        while len(self._prints) > self.most_prints:
            oldest = min(self._days, key=self._days.__getitem__)
            if self._days[oldest] == self._clock:  # the days linked around now stay
                break
            del self._days[oldest]
            for article_id in list(self._by_day.pop(oldest, ())):
                self._drop(article_id)
