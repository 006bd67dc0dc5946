"""The frontier: which discovered URLs earn a request, and what became of them.

This is the seam where the crawl meets what the archive already holds. The
embedded frontier asks the SQLite store (an article already archived is not
fetched again; feeds and sitemaps are fetched conditionally) and bounds
endless listings by their URL pattern. A shared frontier for many crawler
processes would answer the same questions from a shared store.
"""

from __future__ import annotations

import re
from collections import Counter

from newsarchive.dates import DateBound, now_iso, wall_clock
from newsarchive.spiders.links import ARTICLE, LISTING, PAGE, SKIP, kind_of, shape
from newsarchive.store import Store
from newsarchive.urls import canonicalize, source_of

# Listing pages of one URL pattern (a calendar's days, a section's pages)
# visited per crawl: enough to reach a month of a busy section's archive
# through its pagination; sitemaps and feeds reach the rest.
MAX_LISTINGS_PER_PATTERN = 30
# Index kinds fetched conditionally (ETag / Last-Modified).
CONDITIONAL_KINDS = ("feed", "sitemap")


class Frontier:
    def __init__(
        self,
        store: Store,
        scope: set[str],
        *,
        since: DateBound | None = None,
        max_per_pattern: int = MAX_LISTINGS_PER_PATTERN,
        allow: tuple[str, ...] = (),
        deny: tuple[str, ...] = (),
    ):
        self.allow = [re.compile(p) for p in allow]
        self.deny = [re.compile(p) for p in deny]
        self.store = store
        self.scope = scope
        self.since = since
        self.max_per_pattern = max_per_pattern
        self.skipped: Counter = Counter()  # distinct URLs not fetched, by reason
        self._shapes: Counter = Counter()
        self._judged: set[str] = set()
        self._validators: dict[str, tuple[str, str | None, str | None]] = {}

    def in_scope(self, url: str) -> bool:
        return source_of(url) in self.scope

    def admit(
        self, url: str, *, kind: str | None = None, published: str | None = None
    ) -> tuple[str, str | None]:
        """(canonical URL, None) when the URL earns a request, else
        (canonical URL, why not); the reason is counted."""
        url = canonicalize(url)
        kind = kind or kind_of(url)
        reason = self._reason(url, kind, published)
        if reason and url not in self._judged:
            self._judged.add(url)
            self.skipped[reason] += 1
        return url, reason

    def _reason(self, url: str, kind: str, published: str | None) -> str | None:
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
        if kind == LISTING:
            key = shape(url)
            self._shapes[key] += 1
            if self._shapes[key] > self.max_per_pattern:
                return "listing pattern limit"
            return None
        if kind in ("feed", "sitemap", "robots"):
            return None
        if self.store.is_archived(url):
            return "already archived"
        state = self.store.url_state(url)
        if state and state["article_id"]:
            return "already archived"
        if state and state["reason"] and state["last_fetched"]:
            return "known not to be an article"
        return None

    def known(self, kind: str, root: str) -> list[str]:
        """The feeds or sitemaps of a site fetched on earlier crawls."""
        return self.store.urls_of_kind(kind, root)

    def validators(self, url: str, kind: str) -> dict[str, str]:
        """Headers for a conditional GET of a feed or sitemap fetched before."""
        if kind not in CONDITIONAL_KINDS:
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
        status: int,
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
            url, kind=kind, now=now_iso(), status=status, fetched=True, etag=etag,
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
        self.store.record_url(url, kind=kind, now=now_iso(), status=status, reason=reason)
