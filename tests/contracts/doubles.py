"""Deliberately broken backends: each has one fault a real backend could
have, and the contract suites must catch every one of them."""

from __future__ import annotations

from newsarchive.crawl.queue import FRONTIERS, StoreQueue
from newsarchive.index import ENGINES
from newsarchive.index.api import Batch, SearchPage, SearchRequest
from newsarchive.index.whoosh import WhooshEngine
from newsarchive.store import BACKENDS
from newsarchive.store.sqlite import SQLiteStore, path_of


class _SQLiteDouble(SQLiteStore):
    scheme = ""

    @classmethod
    def open(cls, target):
        made = super().open(cls._path(target))
        made.url = target
        return made

    @classmethod
    def exists(cls, url):
        return cls._path(url).is_file()

    @classmethod
    def _path(cls, url: str):
        return path_of("sqlite" + url[len(cls.scheme) :])


class NoRevisions(_SQLiteDouble):
    """Forgets the version an edit replaces."""

    scheme = "no-revisions"

    def put(self, article, *, now, capture=None, keep_revision=True, changes=(), detail=None):
        return super().put(article, now=now, capture=capture, keep_revision=False)


class WholeHistory(_SQLiteDouble):
    """Hands a follower every change, not each article's latest."""

    scheme = "whole-history"

    def changes_since(self, seq, limit=None):
        from newsarchive.store import Change

        rows = self._db.execute(
            "SELECT seq, article_id FROM changes WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit or -1)
        )
        return [Change(row[0], row[1]) for row in rows]


class DoneBeforeFound(_SQLiteDouble):
    """Marks a page done but loses what it found (a killed crawl would
    never resume those)."""

    scheme = "done-before-found"

    def frontier_save(self, job, found, done=()):
        return super().frontier_save(job, [], done)


class NoEvidenceVotes(_SQLiteDouble):
    """Counts an article's vote again each time it is noted."""

    scheme = "double-votes"

    def note_evidence(self, source, fact, article_id, value):
        return super().note_evidence(source, fact, f"{article_id}-{self.last_seq()}-{value}", value)


STORES = {
    double.scheme: f"{__name__}:{double.__name__}"
    for double in (NoRevisions, WholeHistory, DoneBeforeFound, NoEvidenceVotes)
}


# -- index engines -------------------------------------------------------------


class KeepsDeleted(WhooshEngine):
    """Never drops an article the store deleted."""

    def apply(self, batch: Batch) -> None:
        super().apply(Batch(batch.seq, batch.put, []))


class PageTotal(WhooshEngine):
    """Reports the hits on the page as the total."""

    def search(self, request: SearchRequest) -> SearchPage:
        page = super().search(request)
        return page._replace(total=len(page.hits))


class ForgetsHowFar(WhooshEngine):
    """Applies changes but never records how far it got."""

    def apply(self, batch: Batch) -> None:
        state = self.state()
        super().apply(Batch(state.seq if state else 0, batch.put, batch.delete))


ENGINE_DOUBLES = {
    key: f"{__name__}:{double.__name__}"
    for key, double in (
        ("keeps-deleted", KeepsDeleted),
        ("page-total", PageTotal),
        ("forgets-how-far", ForgetsHowFar),
    )
}


# -- frontier queues -------------------------------------------------------------


class NewestFirst(StoreQueue):
    """Serves the newest discoveries first (a stack, not a queue)."""

    def next(self, job, *, after, limit):
        pending = [q for q in self.store.frontier_next(job, after=0, limit=1_000_000) if q.id > after]
        return sorted(pending, key=lambda q: -q.id)[:limit]


class LeavesClosedJobs(StoreQueue):
    """Never forgets a finished job."""

    def close(self, job):
        pass


class SavesFindsLater(StoreQueue):
    """Marks pages done at once but keeps what they found for later: a
    crawl killed in between never resumes those."""

    def __init__(self, store):
        super().__init__(store)
        self.held = []

    def save(self, job, found, done=()):
        found = list(found)
        super().save(job, self.held, done)
        self.held = found


QUEUE_DOUBLES = {
    key: f"{__name__}:{double.__name__}"
    for key, double in (
        ("newest-first", NewestFirst),
        ("leaves-closed-jobs", LeavesClosedJobs),
        ("saves-finds-later", SavesFindsLater),
    )
}


def register() -> None:
    BACKENDS.update(STORES)
    ENGINES.update(ENGINE_DOUBLES)
    FRONTIERS.update(QUEUE_DOUBLES)
    import stores

    for scheme in STORES:
        stores.FRESH[scheme] = lambda directory, scheme=scheme: (
            scheme + stores.FRESH["sqlite"](directory)[len("sqlite") :]
        )
