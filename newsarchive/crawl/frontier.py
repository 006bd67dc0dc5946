"""The frontier: which discovered URLs earn a request, and what became of them.

This is the seam where the crawl meets what the archive already holds. The
frontier asks the store (an article already archived is not
fetched again; feeds and sitemaps are fetched conditionally) and bounds
endless listings by their URL pattern and every route by its depth.

It also holds the crawl's job, in a queue (crawl/queue.py; the store by
default): every URL discovered is saved in the queue before the page that led to it is marked done, in one transaction, and a
URL is done only when what it brought is stored (an article) or saved (the
links of a listing, the entries of a feed or sitemap). A crawl killed at
any moment therefore resumes with every discovered URL it had not finished
still pending, and an uninterrupted crawl and a killed-and-resumed one end
with the same articles. The scheduler (crawl/scheduler.py) serves the
pending URLs in discovery order, so the queue lives on disk, not in memory.
"""

from __future__ import annotations

import re
from collections import Counter

from newsarchive.crawl.queue import JobQueue, StoreQueue, TeamQueue
from newsarchive.dates import DateBound, now_iso, wall_clock
from newsarchive.spiders.meta import LOOP, RECHECK
from newsarchive.store import Queued, Store
from newsarchive.urls import ARTICLE, LISTING, PAGE, SKIP, canonicalize, kind_of, shape, source_of

# Listing pages of one URL pattern (a calendar's days, a section's pages)
# visited per crawl: enough to reach a month of a busy section's archive
# through its pagination; sitemaps and feeds reach the rest.
MAX_LISTINGS_PER_PATTERN = 30
# Sitemaps and feeds read per site per crawl: a sitemap index of a large
# archive lists thousands of files; the newest are enough for a crawl, and
# --since skips old ones before they are fetched.
MAX_INDEX_FILES = 200
# Index kinds fetched conditionally (ETag / Last-Modified).
CONDITIONAL_KINDS = ("feed", "sitemap")
# Kinds whose pages lead to articles: when one cannot be read, the crawl
# cannot vouch that it found everything.
INDEX_KINDS = ("sitemap", "feed", LISTING)

_PENDING, _SERVED, _DONE = "pending", "served", "done"


class Frontier:
    def __init__(
        self,
        store: Store,
        job: str,
        scope: set[str],
        *,
        queue: JobQueue | None = None,
        since: DateBound | None = None,
        max_per_pattern: int = MAX_LISTINGS_PER_PATTERN,
        max_index_files: int = MAX_INDEX_FILES,
        max_depth: int = 0,
        allow: tuple[str, ...] = (),
        deny: tuple[str, ...] = (),
    ):
        self.allow = [re.compile(p) for p in allow]
        self.deny = [re.compile(p) for p in deny]
        self.store = store
        self.queue = queue if queue is not None else StoreQueue(store)
        self.job = job
        self.scope = scope
        self.since = since
        self.max_per_pattern = max_per_pattern
        self.max_index_files = max_index_files
        self.max_depth = max_depth  # 0: no limit
        self.skipped: Counter = Counter()  # distinct URLs not fetched, by reason
        self.missed: Counter = Counter()  # pages that could not be fetched or read, by reason
        self._judged: set[str] = set()
        self._validators: dict[str, tuple[str, str | None, str | None]] = {}
        self._state: dict[str, str] = {}
        self._shapes: Counter = Counter()
        self._index_files = 0
        self._unsaved: list[Queued] = []
        self._cursor = 0  # queue place of the last URL served
        self._open = False  # serving from the queue (robots.txt was read)

    # -- the job ---------------------------------------------------------------

    def load(self) -> bool:
        """Read the job a stopped crawl left; whether there was one."""
        for url, kind, state in self.queue.states(self.job):
            self._state[url] = state
            self._count(url, kind)
        return bool(self._state)

    def _count(self, url: str, kind: str) -> None:
        if kind == LISTING:
            self._shapes[shape(url)] += 1
        elif kind in CONDITIONAL_KINDS:
            self._index_files += 1

    def restart(self, url: str, kind: str = LISTING, depth: int = 1) -> Queued:
        """A start page: fetched on every run, resumed or not, for what is new."""
        url = canonicalize(url)
        if url not in self._state:
            self._count(url, kind)
        self._state[url] = _PENDING
        entry = Queued(url, kind, depth)
        self._unsaved.append(entry)
        return entry

    def discover(
        self,
        url: str,
        *,
        depth: int,
        kind: str | None = None,
        published: str | None = None,
        hints: dict | None = None,
    ) -> Queued | None:
        """The queue entry for a URL found on a page, feed or sitemap when it
        earns a request, else None (known already, or skipped and counted).
        Entries are kept when the page that found them is `save`d."""
        url = canonicalize(url)
        if url in self._state:
            return None
        kind = kind or kind_of(url)
        reason = self._reason(url, kind, published, depth)
        if reason:
            if url not in self._judged:
                self._judged.add(url)
                self.skipped[reason] += 1
            return None
        self._count(url, kind)
        self._state[url] = _PENDING
        entry = Queued(url, kind, depth, hints)
        self._unsaved.append(entry)
        return entry

    def recheck(self, url: str, article_id: str, depth: int = 1) -> Queued | None:
        """An archived article due for a re-check, queued in this job (once)."""
        url = canonicalize(url)
        if url in self._state or not self.in_scope(url):
            return None
        self._state[url] = _PENDING
        entry = Queued(url, RECHECK, depth, {"recheck": article_id})
        self._unsaved.append(entry)
        return entry

    def save(self, *done: tuple[str, str | None]) -> list[Queued]:
        """Keep what was discovered, and mark `(url, outcome)` pages done,
        in one transaction; what was kept."""
        for url, _ in done:
            self._state[url] = _DONE
        found, self._unsaved = self._unsaved, []
        if found or done:
            self.queue.save(self.job, found, done)
        return found

    def done(self, url: str, outcome: str | None = None) -> None:
        self.save((url, outcome))

    def miss(self, url: str, kind: str, reason: str) -> None:
        """A page that could not be fetched or read: done, and counted
        against the crawl's completeness."""
        self.missed[f"{'listing' if kind in INDEX_KINDS else 'page'}: {reason}"] += 1
        self.done(url, reason)

    def redirected(self, source: Queued, target_url: str) -> tuple[Queued | None, str | None]:
        """A redirect from a queued URL: (the target's entry, None) when the
        target earns a request (it keeps the source's depth and hints), else
        (None, why not). The source is done either way."""
        target = canonicalize(target_url)
        # A page's kind is judged again where it lands: a short link that
        # looks like a listing (/?p=123) may lead to an article, an article
        # that was taken down to its section. Feeds and sitemaps stay what
        # they were.
        kind = source.kind if source.kind in CONDITIONAL_KINDS else kind_of(target)
        why = LOOP if target in self._state else self._reason(target, kind, None, 0)
        entry = None
        if why is None:
            entry = Queued(target, kind, source.depth, source.hints, (*source.via, source.url))
            self._state[target] = _SERVED
            self._unsaved.append(entry)
        elif article_id := self.store.resolve(target):
            # The old address of an archived article: never asked again.
            self.fetched(source.url, source.kind, None, article_id=article_id)
        if why not in (None, LOOP) and target not in self._judged:
            self._judged.add(target)
            self.skipped[why] += 1
        self.save((source.url, f"redirected to {target}"))
        return entry, why

    def open(self) -> None:
        """robots.txt was read: queued URLs may be served now."""
        self._open = True

    def next(self, limit: int = 64) -> list[Queued]:
        """Pending URLs not yet served in this run, in discovery order."""
        if not self._open:
            return []
        self.save()
        served: list[Queued] = []
        while not served:
            batch = self.queue.next(self.job, after=self._cursor, limit=limit)
            if not batch:
                return []
            self._cursor = batch[-1].id
            for entry in batch:
                # A shared queue hands out what other crawlers found too.
                if self.shared or self._state.get(entry.url) == _PENDING:
                    self._state[entry.url] = _SERVED
                    served.append(entry)
        return served

    def pending(self) -> int:
        """URLs of the job still to fetch (saved as pending)."""
        self.save()
        return self.queue.pending(self.job)

    def others_working(self) -> bool:
        """Whether other crawlers hold URLs of this (shared) job: what they
        find, or leave when they die, is this crawler's to fetch too."""
        return isinstance(self.queue, TeamQueue) and self.queue.held_elsewhere(self.job) > 0

    @property
    def shared(self) -> bool:
        """Whether other crawlers may work this job at once (a team queue)."""
        return isinstance(self.queue, TeamQueue)

    def join(self, run_id: int, *, stale: float) -> None:
        self.queue.join(run_id, stale=stale)

    def close(self) -> None:
        """The job is over: the next crawl starts afresh (a shared job, once
        no crawler has anything of it left)."""
        self.queue.close(self.job)

    # -- admission ---------------------------------------------------------------

    def in_scope(self, url: str) -> bool:
        return source_of(url) in self.scope

    def _reason(self, url: str, kind: str, published: str | None, depth: int) -> str | None:
        if not self.in_scope(url):
            return "offsite"
        if kind == SKIP:
            return "not a page (asset or utility)"
        if kind != "robots" and any(p.search(url) for p in self.deny):
            return "denied by the source's rules"
        if kind in (ARTICLE, PAGE) and self.allow and not any(p.search(url) for p in self.allow):
            return "not allowed by the source's rules"
        if published and self.since:
            moment = wall_clock(published)
            if moment is not None and moment < self.since.start:
                return "older than --since"
        if self.max_depth and depth > self.max_depth:
            return "too deep (DEPTH_LIMIT)"
        if kind == LISTING:
            if self._shapes[shape(url)] >= self.max_per_pattern:
                return "listing pattern limit"
            return None
        if kind in CONDITIONAL_KINDS:
            return "sitemap and feed limit" if self._index_files >= self.max_index_files else None
        if kind == "robots":
            return None
        if self.store.is_archived(url):
            return "already archived"
        state = self.store.url_state(url)
        if state and state["article_id"]:
            return "already archived"
        if state and state["reason"] and state["last_fetched"]:
            return "known not to be an article"
        return None

    # -- what became of each URL (kept across crawls) ------------------------------

    def known(self, kind: str, root: str) -> list[str]:
        """The feeds or sitemaps of a site fetched on earlier crawls."""
        return self.store.urls_of_kind(kind, root)

    def validators(self, url: str, kind: str) -> dict[str, str]:
        """Headers for a conditional GET of a feed, a sitemap or a re-checked
        article fetched before."""
        if kind not in CONDITIONAL_KINDS and kind != RECHECK:
            return {}
        state = self.store.url_state(url)
        headers = {}
        if state and state["etag"]:
            headers["If-None-Match"] = state["etag"]
        if state and state["last_modified"]:
            headers["If-Modified-Since"] = state["last_modified"]
        return headers

    def fetched(
        self,
        url: str,
        kind: str,
        status: int | None,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        reason: str | None = None,
        article_id: str | None = None,
    ) -> None:
        if kind in CONDITIONAL_KINDS:
            # Validators are kept only once the crawl completes: a crawl
            # killed after reading a feed has not yet fetched what it lists,
            # and the next one must read the feed again, not get a 304.
            self.store.record_url(url, kind=kind, now=now_iso(), status=status)
            if status == 200:
                self._validators[url] = (kind, etag, last_modified)
            return
        self.store.record_url(
            url, kind=ARTICLE if kind == RECHECK else kind, now=now_iso(), status=status, fetched=True, etag=etag,
            last_modified=last_modified, reason=reason, article_id=article_id,
        )  # fmt: skip

    def commit(self) -> None:
        """The crawl completed: keep the feeds' and sitemaps' validators."""
        for url, (kind, etag, last_modified) in self._validators.items():
            self.store.record_url(
                url,
                kind=kind,
                now=now_iso(),
                status=200,
                fetched=True,
                etag=etag,
                last_modified=last_modified,
            )
        self._validators.clear()

    def failed(self, url: str, kind: str, reason: str, status: int | None = None) -> None:
        kind = ARTICLE if kind == RECHECK else kind
        self.store.record_url(url, kind=kind, now=now_iso(), status=status, reason=reason)
