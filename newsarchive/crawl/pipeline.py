"""The archive pipeline: each fetched page through extract, store, index.

The same path as `add`, fed by the crawl: extraction (pure, CPU-bound) runs
in a worker thread so the downloader keeps going; the row is stored from
the reactor thread; the index follows in batches, in a thread of its own,
whenever the writer lock is free; site boilerplate is learnt as pages come.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from newsarchive.crawl.context import CrawlComponent
from newsarchive.dates import now_iso
from newsarchive.errors import ArchiveBusy, NoArticle
from newsarchive.storage import storage_problem

# Articles stored between two index updates: a Whoosh commit costs a
# segment, so batches keep crawl-time indexing cheap while search stays
# at most this far behind.
INDEX_EVERY = 25
# Pages between two rounds of boilerplate learning.
LEARN_EVERY = 100
# How long a periodic index update waits for the writer lock before leaving
# the batch to the next one (the final update at the end waits longer).
PERIODIC_LOCK_WAIT = 0.5


class ArchivePipeline(CrawlComponent):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._indexer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="index")
        self._pending: Future | None = None
        self._unindexed = 0
        self._pages = 0
        self._local = threading.local()

    async def process_item(self, item):
        context = self.context
        url = item["url"]
        rules = context.sites.rules_for(url)
        hints = item.get("hints")
        future = context.workers.submit(_extract, item, rules, hints, now_iso())
        outcome = await asyncio.wrap_future(future)
        self._pages += 1
        if isinstance(outcome, NoArticle):
            context.tally.not_articles[outcome.reason] += 1
            context.frontier.fetched(url, item["kind"], item["status"], reason=outcome.reason)
            return {"url": url, "status": "skipped", "reason": outcome.reason}
        article = context.sites.finish(outcome)
        try:
            result = context.store.put(article, now=now_iso(), capture=item.get("capture"))
        except (sqlite3.DatabaseError, OSError) as error:
            problem = storage_problem(error, context.archive.root)
            if problem is None:
                raise
            self.stop_crawl(problem)
            raise DropItem(problem) from None
        setattr(context.tally, result.status, getattr(context.tally, result.status) + 1)
        for address in [url, *item.get("redirected_from", [])]:
            context.frontier.fetched(address, item["kind"], item["status"], article_id=article.id)
        if result.status != "unchanged":
            self._unindexed += 1
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
        if self._unindexed >= INDEX_EVERY and (self._pending is None or self._pending.done()):
            self._unindexed = 0
            self._pending = self._indexer.submit(self._index, PERIODIC_LOCK_WAIT)

    def _index(self, wait: float) -> str | None:
        """Bring the index up to the store (in the index thread, with a
        store connection of its own); the reason it could not, if so."""
        from newsarchive.index.writer import catch_up
        from newsarchive.lock import WriterLock
        from newsarchive.store import Store

        archive = self.context.archive
        if getattr(self._local, "store", None) is None:
            self._local.store = Store.open(archive.store_path)
        try:
            with WriterLock(archive.lock_path, timeout=wait, purpose="indexing a crawl"):
                catch_up(archive.index_dir, self._local.store)
        except ArchiveBusy as busy:
            return str(busy)
        return None

    async def close_spider(self):
        context = self.context
        context.sites.learn(context.store.sources(), now=now_iso())
        if self._pending is not None:
            await asyncio.wrap_future(self._pending)
        busy = await asyncio.wrap_future(
            self._indexer.submit(self._index, context.archive.config.lock_timeout)
        )
        if busy:
            context.tally.notes["not indexed yet: the archive was busy"] += 1
        self._indexer.submit(self._close_store).result()
        self._indexer.shutdown()

    def _close_store(self) -> None:
        store = getattr(self._local, "store", None)
        if store is not None:
            store.close()


def _extract(item: dict, rules, hints: dict | None, fetched: str):
    """Extraction in a worker thread: an Article, or the NoArticle saying why not."""
    from newsarchive.extract import Hints, extract_article

    try:
        return extract_article(
            item["body"],
            item["url"],
            content_type=item.get("content_type"),
            fetched=fetched,
            rules=rules,
            hints=Hints(**hints) if hints else Hints(),
        )
    except NoArticle as rejected:
        rejected.partial = None  # not needed across the thread; keep memory flat
        return rejected
