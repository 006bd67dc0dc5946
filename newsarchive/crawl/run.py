"""Run crawls: from targets on the command line to run rows in the store.

A crawl owns the Twisted reactor, so one process runs one `CrawlerProcess`
(all its targets at once, each with its own job in the frontier and its own
run row). A target is locked while it is crawled, so two crawls of one site
never overlap; a lock dies with its process. A crawl stopped by a signal, a
kill or a budget leaves its job's pending URLs in the store, and the next
crawl of the target resumes them; a crawl that fetched everything it found
closes its job.

A run ends `ok` only when it can vouch that it found everything: nothing
left pending and no listing, feed, sitemap or page that failed to load.
Otherwise it is `incomplete` (with the reason), `interrupted` or `failed`.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from newsarchive.capture.warc import CaptureWriter
from newsarchive.crawl.context import CrawlContext, Tally
from newsarchive.crawl.frontier import Frontier
from newsarchive.crawl.queue import TeamQueue
from newsarchive.crawl.rechecks import RecheckBook
from newsarchive.crawl.settings import crawl_settings, depth_limit, stale_after
from newsarchive.dates import DateBound, now_iso
from newsarchive.errors import BadInput, NewsarchiveError
from newsarchive.lock import WriterLock
from newsarchive.pipeline import Extraction
from newsarchive.procs import process_alive, this_machine
from newsarchive.sites.sources import Source
from newsarchive.urls import canonicalize, is_web_url, source_of
from newsarchive.versions.recheck import timing_of

if TYPE_CHECKING:
    from newsarchive.archive import Archive

# Spider close reasons that are a budget the user set: the crawl stopped
# on purpose, with what it found still to fetch.
_BUDGETS = {
    "closespider_pagecount": "the page budget (--max-pages) was reached",
    "closespider_itemcount": "the item budget (CLOSESPIDER_ITEMCOUNT) was reached",
    "closespider_timeout": "the time budget (CLOSESPIDER_TIMEOUT) ran out",
    "max articles": "the article budget (--max-articles) was reached",
}


@dataclass(frozen=True)
class Target:
    name: str
    urls: tuple[str, ...]
    settings: tuple[tuple[str, str], ...] = ()  # the source's Scrapy settings
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """A file-name-safe key for the target's job directory and lock."""
        return re.sub(r"[^\w.-]+", "_", self.name)[:100] or "site"


@dataclass
class CrawlResult:
    target: Target
    run_id: int
    status: str  # ok, incomplete, interrupted, failed
    reason: str
    resumed: bool
    tally: Tally
    skipped: dict = field(default_factory=dict)
    seconds: float = 0.0
    fatal: str | None = None  # why the archive could not take the crawl
    pending: int = 0  # URLs found and not yet fetched, left for the next crawl
    missed: dict = field(default_factory=dict)  # pages that could not be fetched or read

    def summary(self) -> dict:
        tally = self.tally
        return {
            "source": self.target.name,
            "run": self.run_id,
            "status": self.status,
            "reason": self.reason,
            "resumed": self.resumed,
            "pages": tally.pages,
            "new": tally.new,
            "updated": tally.updated,
            "unchanged": tally.unchanged,
            "not_articles": dict(tally.not_articles.most_common()),
            "errors": dict(tally.errors.most_common()),
            "skipped": dict(sorted(self.skipped.items(), key=lambda kv: -kv[1])),
            "notes": dict(tally.notes.most_common()),
            "pending": self.pending,
            "missed": dict(sorted(self.missed.items(), key=lambda kv: -kv[1])),
            "seconds": round(self.seconds, 3),
            "pages_per_s": round(tally.pages / self.seconds, 2) if self.seconds else None,
        }


def resolve_targets(arguments: tuple[str, ...], sources: list[Source]) -> list[Target]:
    """URLs and source names from the command line, as crawl targets."""
    by_name = {source.name: source for source in sources}
    targets: dict[str, Target] = {}
    for argument in arguments:
        if argument in by_name:
            source = by_name[argument]
            targets[source.name] = Target(
                source.name, source.urls, tuple(source.settings.items()), source.allow, source.deny
            )
        elif is_web_url(argument):
            url = canonicalize(argument)
            named = next((s for s in sources if source_of(url) in s.hosts), None)
            name = named.name if named else source_of(url)
            previous = targets.get(name, Target(name, ()))
            targets[name] = Target(name, (*previous.urls, url))
        else:
            known = ", ".join(sorted(by_name)) or "none yet"
            raise BadInput(
                f"{argument!r} is neither a web address nor a source in sources.toml (sources: {known})"
            )
    return list(targets.values())


def run_crawls(
    archive: Archive,
    targets: list[Target],
    *,
    max_pages: int | None = None,
    max_articles: int | None = None,
    since: DateBound | None = None,
    overrides: dict[str, str] | None = None,
    recheck_only: bool = False,
) -> list[CrawlResult]:
    from scrapy.crawler import Crawler, CrawlerProcess
    from scrapy.utils.reactor import install_reactor

    from newsarchive.spiders.news import NewsSpider

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    jobs, logs = archive.root / "jobs", archive.root / "logs"
    with archive.open_store(create=True) as store, CaptureWriter(archive.warc_dir) as captures:
        jobs.mkdir(exist_ok=True)
        logs.mkdir(exist_ok=True)
        locks = []
        try:
            for target in targets:
                lock = WriterLock(
                    jobs / f"{target.key}.lock",
                    timeout=0,
                    purpose=f"crawling {target.name}",
                    what=f"the source {target.name}",
                )
                lock.acquire()
                locks.append(lock)
            sites = archive.sites(store)
            workers = Extraction()
            log_file = logs / f"crawl-{stamp}.log"
            # One reactor for all the targets' crawlers, installed before
            # anything imports twisted.internet.reactor.
            install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
            # The log lives in the archive: when its disk fills, a failed log
            # write must not print tracebacks over the one-line message.
            logging.raiseExceptions = False
            process = CrawlerProcess(
                settings={
                    "BOT_NAME": "newsarchive",
                    "LOG_FILE": str(log_file),
                    "LOG_LEVEL": "INFO",
                    "TELNETCONSOLE_ENABLED": False,
                }
            )
            runs = []
            for target in targets:
                # A re-check run has a job (and run rows) of its own, so it
                # neither resumes nor closes the source's crawl job.
                job = f"{target.name} re-checks" if recheck_only else target.name
                settings = crawl_settings(
                    log_file=log_file,
                    max_pages=max_pages,
                    overrides={**dict(target.settings), **(overrides or {})},
                )
                store.interrupt_stale_runs(
                    job, process_alive, now=now_iso(), machine=this_machine(), stale=stale_after(settings)
                )
                # A Scrapy job directory from before the frontier kept jobs: its
                # queue is not resumed (the frontier starts afresh instead).
                shutil.rmtree(jobs / target.key, ignore_errors=True)
                timing = timing_of(settings)
                frontier = Frontier(
                    store,
                    job,
                    {source_of(u) for u in target.urls},
                    since=since,
                    max_depth=depth_limit(settings),
                    allow=target.allow,
                    deny=target.deny,
                    queue=archive.queue(store),
                )
                resumed = frontier.load()
                context = CrawlContext(
                    name=target.name,
                    start_urls=list(target.urls),
                    archive=archive,
                    store=store,
                    sites=sites,
                    captures=captures,
                    frontier=frontier,
                    workers=workers,
                    run_id=store.start_run(job, pid=os.getpid(), now=now_iso(), machine=this_machine()),
                    max_articles=max_articles,
                    resumed=resumed,
                    rechecks=RecheckBook(store, timing) if timing else None,
                    recheck_only=recheck_only,
                )
                frontier.join(context.run_id, stale=stale_after(settings))
                crawler = Crawler(NewsSpider, settings)
                process.crawl(crawler, context=context)
                runs.append((target, context, crawler))
            try:
                process.start()
            finally:
                workers.shutdown()
            return [_finish(store, *run) for run in runs]
        finally:
            for lock in locks:
                lock.release()


def _finish(store, target: Target, context: CrawlContext, crawler) -> CrawlResult:
    reason = (crawler.stats.get_value("finish_reason") if crawler.stats else None) or "failed to start"
    frontier = context.frontier
    tally = context.tally
    pending = frontier.pending()
    missed = dict(frontier.missed)
    status, why = verdict(reason, pending, missed)
    result = CrawlResult(
        target, context.run_id, status, why, context.resumed, tally, dict(frontier.skipped),
        seconds=time.monotonic() - tally.started, pending=pending, missed=missed,
    )  # fmt: skip
    if context.fatal:
        result.status, result.reason, result.fatal = "failed", "archive not writable", context.fatal
    # Nothing left to fetch: the job is over, and the next crawl starts
    # afresh (a failed listing is asked again then).
    close = pending == 0 and result.status in ("ok", "incomplete")
    try:
        store.update_run(
            context.run_id, pages=tally.pages, new=tally.new, updated=tally.updated, errors=tally.error_count
        )
        # Closed before the run is: a crawl killed in between leaves a run
        # marked interrupted next time, never a finished job to "resume"
        # (its listings done, the next crawl would not read them again).
        if close:
            frontier.close()
        if isinstance(frontier.queue, TeamQueue):  # crawlers of the job that died: this one did their part
            store.interrupt_stale_runs(
                frontier.job, process_alive, now=now_iso(), machine=this_machine(), stale=frontier.queue.stale
            )
        store.finish_run(context.run_id, status=result.status, now=now_iso(), summary=result.summary())
        if result.status == "ok":
            frontier.commit()
    except (NewsarchiveError, OSError):
        pass  # the disk refuses even this: the run stays "running", marked interrupted next time
    return result


def verdict(reason: str, pending: int, missed: dict[str, int]) -> tuple[str, str]:
    """A run's status and why, from Scrapy's close reason and what the
    frontier holds: "ok" only for a crawl that can vouch it found everything."""
    if reason in ("shutdown", "cancelled"):
        return "interrupted", f"stopped ({reason}); the next crawl resumes the {pending} pages left"
    if reason in _BUDGETS:
        left = f"; the next crawl resumes the {pending} pages left" if pending else ""
        return "incomplete", _BUDGETS[reason] + left
    if reason != "finished":
        return "failed", reason
    if pending:
        return "incomplete", f"{pending} pages found were not fetched; the next crawl resumes them"
    if missed:
        count = sum(missed.values())
        worst = max(missed, key=lambda reason: missed[reason])
        return (
            "incomplete",
            f"{count} pages could not be fetched or read ({worst}); the next crawl asks again",
        )
    return "ok", "finished"
