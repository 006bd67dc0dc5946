"""The archive pipeline: the crawl's adapter around the one path into the
archive (`pipeline.Intake`).

It awaits the page's extraction in a worker process (so the downloader
keeps going), hands the page and its extraction to the intake, and keeps
the crawl's own books: the frontier (what became of each URL), the run's
counts, and the budgets. The index follows in a process of its own.
"""

from __future__ import annotations

import asyncio

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from newsarchive.crawl.context import CrawlComponent
from newsarchive.dates import now_iso
from newsarchive.errors import NoArticle, StorageError
from newsarchive.index.follow import CRAWL_PACE, IndexFollower
from newsarchive.page import Page
from newsarchive.pipeline import Intake

# Pages between two updates of the run's row (what `runs` shows while a
# crawl runs).
RUN_ROW_EVERY = 10


class NotAnArticle(DropItem):
    """The page holds no article (a listing, a teaser, an error page, ...);
    Scrapy's stats count these as item_dropped_reasons_count/NotAnArticle,
    the crawl's summary by reason."""


class Unstorable(DropItem):
    """The archive refused the article (its disk is full or read-only): the
    crawl stops."""


class ArchivePipeline(CrawlComponent):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._intake: Intake | None = None
        self._pages = 0

    @property
    def intake(self) -> Intake:
        if self._intake is None:
            context = self.context
            follower = IndexFollower(context.archive, CRAWL_PACE, purpose="indexing a crawl")
            self._intake = Intake(context.store, None, context.sites, follower=follower)
        return self._intake

    async def process_item(self, item):
        context = self.context
        url, queued = item["url"], item["queued"]
        extracted = await context.workers.extract(
            item["body"],
            url,
            item.get("content_type"),
            now_iso(),
            context.sites.rules_for(url),
            item.get("hints"),
        )
        self._pages += 1
        page = Page(url, item["body"], url, item.get("content_type"), capture=item.get("capture"))
        try:
            outcome = self.intake.take(page, extracted)
        except StorageError as error:
            self.stop_crawl(str(error))
            raise Unstorable(str(error)) from None
        if isinstance(extracted, NoArticle):
            context.tally.not_articles[outcome.reason] += 1
            context.frontier.fetched(url, item["kind"], item["status"], reason=outcome.reason)
            context.frontier.done(queued.url, outcome.reason)
            raise NotAnArticle(f"{url}: {outcome.reason}", log_level="DEBUG")
        setattr(context.tally, outcome.status, getattr(context.tally, outcome.status) + 1)
        if outcome.access != "free":
            context.tally.notes[f"{outcome.access} (teaser kept)"] += 1
        for address in [url, *item.get("redirected_from", [])]:
            context.frontier.fetched(address, item["kind"], item["status"], article_id=outcome.article_id)
        context.frontier.done(queued.url, outcome.status)
        if self._pages % RUN_ROW_EVERY == 0:
            tally = context.tally
            context.store.update_run(
                context.run_id,
                pages=tally.pages,
                new=tally.new,
                updated=tally.updated,
                errors=tally.error_count,
            )
        if context.max_articles and context.tally.new >= context.max_articles:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="max articles"))
        return {"url": url, "status": outcome.status, "id": outcome.article_id}

    async def close_spider(self):
        context = self.context
        intake = self.intake
        intake.learn()
        follower = intake.follower
        try:
            busy = await asyncio.wrap_future(follower.submit(context.archive.config.lock_timeout))
        except Exception as error:  # the articles are stored; the index can be rebuilt
            busy = f"indexing failed ({type(error).__name__}: {error}); run `newsarchive reindex`"
            context.tally.errors[busy] += 1
        else:
            if busy:
                context.tally.notes["not indexed yet: the archive was busy"] += 1
        finally:
            follower.close()
