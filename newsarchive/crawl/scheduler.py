"""Scrapy's scheduler, served from the crawl's frontier in the store.

Scrapy's own scheduler keeps its queue in memory, or on disk in a job
directory that is written at a clean shutdown only: a crawl killed with
SIGKILL loses the requests it had queued while the URLs stay marked as
seen, so a resumed crawl never finds them again. Here the queue is the
frontier's table: the spider saves what it discovers there, and requests
are built from it in discovery order (breadth first), a few at a time, so
memory stays flat however large the site.

What Scrapy itself schedules is kept in memory and goes first: robots.txt,
retries (the same URL again, with its retry count) and redirects (a new
URL, saved in the frontier before it is asked for).
"""

from __future__ import annotations

from collections import deque

from scrapy import Request

from newsarchive.spiders.meta import LOOP, QUEUED, WAKE
from newsarchive.store import Queued
from newsarchive.urls import canonicalize


class FrontierScheduler:
    def __init__(self, crawler):
        self.crawler = crawler
        self._live: deque[Request] = deque()
        self._ready: deque[Queued] = deque()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def _spider(self):
        return self.crawler.spider

    @property
    def _frontier(self):
        return self._spider.context.frontier

    def open(self, spider) -> None:
        return None

    def close(self, reason: str) -> None:
        self._live.clear()
        self._ready.clear()

    def __len__(self) -> int:
        return len(self._live) + len(self._ready)

    def has_pending_requests(self) -> bool:
        if self._live or self._ready:
            return True
        self._ready.extend(self._frontier.next())
        # In a shared job, while others hold URLs this crawl waits (the
        # engine asks again every few seconds): they may find more, or die
        # and leave theirs.
        return bool(self._ready) or self._frontier.others_working()

    def enqueue_request(self, request: Request) -> bool:
        if request.meta.get(WAKE):  # its work is done: the engine is awake
            return True
        queued: Queued | None = request.meta.get(QUEUED)
        if queued is None:  # robots.txt, asked for by the spider itself
            self._live.append(request)
            return True
        if canonicalize(request.url) == queued.url:  # a retry
            self._live.append(request)
            return True
        target, why = self._frontier.redirected(queued, request.url)
        if target is None:
            # A loop is dropped (Scrapy's request_dropped signal counts it);
            # an archived or out-of-bounds target is a skip, counted already.
            return why != LOOP
        request.meta[QUEUED] = target
        self._live.append(request)
        return True

    def next_request(self) -> Request | None:
        if self._live:
            return self._live.popleft()
        if not self._ready:
            self._ready.extend(self._frontier.next())
        if self._ready:
            return self._spider.request_for(self._ready.popleft())
        return None
