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
from newsarchive.errors import StorageError
from newsarchive.index.follow import CRAWL_PACE, IndexFollower
from newsarchive.page import Page
from newsarchive.pipeline import Intake, Outcome
from newsarchive.spiders.meta import RECHECK
from newsarchive.urls import source_of
from newsarchive.versions.classify import CHANGED

# Pages between two updates of the run's row (what `runs` shows while a
# crawl runs).
RUN_ROW_EVERY = 10
# How the crawl's summary counts what a fetch of an archived article found.
_CHANGE_NOTES = {
    "version": "new versions of archived articles",
    "revert": "articles reverted to an earlier version",
    "append": "live blogs with new entries",
}


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
        # A re-check's entry names the article, and has no feed or sitemap hints.
        recheck = (item.get("hints") or {}).get("recheck") if item["kind"] == RECHECK else None
        extracted = await context.workers.extract(
            item["body"],
            url,
            item.get("content_type"),
            now_iso(),
            context.sites.rules_for(url),
            None if recheck else item.get("hints"),
        )
        self._pages += 1
        page = Page(url, item["body"], url, item.get("content_type"), capture=item.get("capture"))
        try:
            outcome = self.intake.take(page, extracted, known=recheck)
            self._plan(recheck, outcome, url, item.get("hints"))
        except StorageError as error:
            self.stop_crawl(str(error))
            raise Unstorable(str(error)) from None
        if outcome.version == "degraded":
            context.tally.notes["fetches of archived articles came back degraded (no version made)"] += 1
        elif outcome.version in CHANGED:
            context.tally.notes[_CHANGE_NOTES[outcome.version]] += 1
        if outcome.status == "skipped":
            context.tally.not_articles[outcome.reason] += 1
            context.frontier.fetched(url, item["kind"], item["status"], reason=outcome.reason)
            context.frontier.done(queued.url, outcome.reason)
            raise NotAnArticle(f"{url}: {outcome.reason}", log_level="DEBUG")
        setattr(context.tally, outcome.status, getattr(context.tally, outcome.status) + 1)
        if outcome.access != "free" and outcome.version != "degraded":
            context.tally.notes[f"{outcome.access} (teaser kept)"] += 1
        for address in [url, *item.get("redirected_from", [])]:
            context.frontier.fetched(
                address, item["kind"], item["status"], article_id=outcome.article_id,
                etag=item.get("etag"), last_modified=item.get("last_modified"),
            )  # fmt: skip
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

    def _plan(self, recheck: str | None, outcome: Outcome, url: str, item_hints: dict | None) -> None:
        """The article's re-check plan after this fetch: the first one for a
        new article, the next one after a re-check."""
        book = self.context.rechecks
        if book is None or outcome.article_id is None:
            return
        if recheck:
            book.checked(recheck, changed=outcome.version in CHANGED)
        elif outcome.status == "new":
            book.first(outcome.article_id, url, source_of(url), item_hints)

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
