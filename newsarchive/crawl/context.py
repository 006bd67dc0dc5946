"""What one crawl shares among its parts (spider, middlewares, pipeline).

Scrapy builds its components from the crawler; they reach this context
through the spider, so each stays a thin adapter around library code.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsarchive.capture.warc import CaptureWriter
from newsarchive.crawl.frontier import Frontier
from newsarchive.crawl.rechecks import RecheckBook
from newsarchive.pipeline import Extraction
from newsarchive.sites.knowledge import Sites
from newsarchive.store import Store

if TYPE_CHECKING:
    from newsarchive.archive import Archive


@dataclass
class Tally:
    """Counts of what happened, for the progress line, the run row and the
    summary; every skip and error by its reason."""

    pages: int = 0  # responses received
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    not_articles: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)  # not-modified indexes, revisits...
    started: float = field(default_factory=time.monotonic)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.pages / elapsed if elapsed > 0 else 0.0


@dataclass
class CrawlContext:
    name: str  # the source's name, or the site's host
    start_urls: list[str]
    archive: Archive
    store: Store
    sites: Sites
    captures: CaptureWriter
    frontier: Frontier
    workers: Extraction  # extraction, off the reactor thread
    run_id: int
    max_articles: int | None = None
    resumed: bool = False  # continuing a crawl that was stopped
    tally: Tally = field(default_factory=Tally)
    crawl_delays: dict[str, float] = field(default_factory=dict)  # host -> seconds, from robots.txt
    fatal: str | None = None  # why the crawl had to stop (the archive cannot be written)
    rechecks: RecheckBook | None = None  # None: re-checks are off (RECHECK_ENABLED=False)
    recheck_only: bool = False  # fetch the due re-checks, nothing else


class CrawlComponent:
    """Base of the crawl's Scrapy components (middlewares, pipeline): built
    from the crawler, they reach the crawl context through its spider."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def context(self) -> CrawlContext:
        return self.crawler.spider.context

    def stop_crawl(self, problem: str) -> None:
        """Stop the crawl because the archive cannot take more (a full or
        read-only disk): nothing is gained by fetching pages to lose them."""
        from scrapy.utils.defer import deferred_from_coro

        if self.context.fatal is None:
            self.context.fatal = problem
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="archive not writable"))


class Periodic:
    """Base of the crawl's extensions that do something every few seconds
    while the spider is open (`tick`, from `start` on)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self._loop = None

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals

        extension = cls(crawler)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def start(self, every: float, *args, now: bool = False) -> None:
        from twisted.internet.task import LoopingCall

        self._loop = LoopingCall(self.tick, *args)
        self._loop.start(every, now=now)

    def opened(self, spider) -> None: ...

    def tick(self, *args) -> None: ...

    def stop(self) -> bool:
        """Stop ticking; whether it was."""
        if self._loop is not None and self._loop.running:
            self._loop.stop()
            return True
        return False

    def closed(self, spider) -> None:
        self.stop()
