"""The archive pipeline: each fetched page through extract, store, index.

The same path as `add`, fed by the crawl: extraction (pure, CPU-bound) runs
in worker processes (workers.py) so the downloader keeps going; the row is
stored from the reactor thread; the index follows in batches, in a worker
process of its own, whenever the writer lock is free; site boilerplate is
learnt as pages come.
"""

from __future__ import annotations

import asyncio
import sqlite3

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from newsarchive.crawl.context import CrawlComponent
from newsarchive.dates import now_iso
from newsarchive.storage import storage_problem
from newsarchive.workers import IndexFollower

# Index updates come after at least this many stored articles and this many
# seconds: each Whoosh commit writes a segment and merges small ones, so on a
# fast crawl a count alone would spend more time merging than indexing; on a
# polite one (a page a second or slower) the count is what decides. Measured
# on a 1,000-article local site: every 10 s left the whole index to the end
# (96 pages/s), every 3 s keeps it following (117 pages/s), every batch of 25
# at once fights the crawl for the cores (80 pages/s).
INDEX_EVERY = 25
INDEX_INTERVAL = 3.0
# Pages between two rounds of boilerplate learning.
LEARN_EVERY = 100
# How long a periodic index update waits for the writer lock before leaving
# the batch to the next one (the final update at the end waits longer).
PERIODIC_LOCK_WAIT = 0.5


class ArchivePipeline(CrawlComponent):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._follower: IndexFollower | None = None
        self._pages = 0

    @property
    def _index(self) -> IndexFollower:
        if self._follower is None:
            self._follower = IndexFollower(
                self.context.archive,
                every=INDEX_EVERY,
                interval=INDEX_INTERVAL,
                wait=PERIODIC_LOCK_WAIT,
                purpose="indexing a crawl",
            )
        return self._follower

    async def process_item(self, item):
        context = self.context
        url = item["url"]
        rules = context.sites.rules_for(url)
        hints = item.get("hints")
        outcome = await context.workers.extract(
            item["body"], url, item.get("content_type"), now_iso(), rules, hints
        )
        self._pages += 1
        queued = item["queued"]
        if outcome[0] == "refused":
            reason = outcome[1]
            context.tally.not_articles[reason] += 1
            context.frontier.fetched(url, item["kind"], item["status"], reason=reason)
            context.frontier.done(queued.url, reason)
            return {"url": url, "status": "skipped", "reason": reason}
        article = context.sites.finish(outcome[1])
        try:
            result = context.store.put(article, now=now_iso(), capture=item.get("capture"))
        except (sqlite3.DatabaseError, OSError) as error:
            problem = storage_problem(error, context.archive.root)
            if problem is None:
                raise
            self.stop_crawl(problem)
            raise DropItem(problem) from None
        setattr(context.tally, result.status, getattr(context.tally, result.status) + 1)
        if article.access != "free":
            context.tally.notes[f"{article.access} (teaser kept)"] += 1
        for address in [url, *item.get("redirected_from", [])]:
            context.frontier.fetched(address, item["kind"], item["status"], article_id=article.id)
        context.frontier.done(queued.url, result.status)
        if result.status != "unchanged":
            self._index.stored()
        self._maintain()
        if context.max_articles and context.tally.new >= context.max_articles:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="max articles"))
        return {"url": url, "status": result.status, "id": article.id}

    def _maintain(self) -> None:
        context = self.context
        if self._pages % LEARN_EVERY == 0:
            context.sites.learn(context.store.sources(), now=now_iso())
        if self._pages % 10 == 0:
            tally = context.tally
            context.store.update_run(
                context.run_id,
                pages=tally.pages,
                new=tally.new,
                updated=tally.updated,
                errors=tally.error_count,
            )

    async def close_spider(self):
        context = self.context
        context.sites.learn(context.store.sources(), now=now_iso())
        try:
            busy = await asyncio.wrap_future(self._index.submit(context.archive.config.lock_timeout))
        except Exception as error:  # the articles are stored; the index can be rebuilt
            busy = f"indexing failed ({type(error).__name__}: {error}); run `newsarchive reindex`"
            context.tally.errors[busy] += 1
        else:
            if busy:
                context.tally.notes["not indexed yet: the archive was busy"] += 1
        finally:
            self._index.close()
