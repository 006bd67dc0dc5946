"""What a crawler does when it works a job with others (a "team" queue).

* `TeamGateMiddleware` takes the host in the store before a request goes,
  and only when the host's delay has passed since any crawler took it: a
  host gets one request per delay from the whole team, not from each
  crawler, so three crawlers on a site are as polite as one. The delay is
  the one this crawler's downloader slot has (DOWNLOAD_DELAY, AutoThrottle's,
  robots.txt's Crawl-delay floor). Taking at the last moment, rather than
  booking a turn ahead, keeps a request that leaves late from crowding the
  next one; a crawler asks for a host one request at a time.
* `Heartbeat` shows the store the crawl run is alive every
  TEAM_HEARTBEAT_SECONDS; the URLs the run holds stay its own while it does,
  and go back to the team when it stops for TEAM_STALE_SECONDS.

Both do nothing for a crawl whose queue is not shared.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from scrapy import Request, signals
from twisted.internet.task import LoopingCall

from newsarchive.crawl.context import CrawlComponent
from newsarchive.crawl.queue import TeamQueue
from newsarchive.errors import NewsarchiveError

log = logging.getLogger(__name__)


class TeamGateMiddleware(CrawlComponent):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._turns: dict[str, asyncio.Lock] = {}

    async def process_request(self, request: Request):
        queue = self.context.frontier.queue
        if not isinstance(queue, TeamQueue):
            return None
        host = urlsplit(request.url).hostname or ""
        turn = self._turns.setdefault(host, asyncio.Lock())
        async with turn:
            downloader = self.crawler.engine.downloader
            slot = downloader.slots.get(downloader.get_slot_key(request))
            delay = slot.delay if slot is not None else self.crawler.settings.getfloat("DOWNLOAD_DELAY")
            delay = max(delay, self.context.crawl_delays.get(host, 0.0))
            while True:
                try:
                    wait = queue.take(host, delay)
                except NewsarchiveError as error:
                    self.stop_crawl(str(error))
                    raise
                if wait <= 0:
                    return None
                await asyncio.sleep(wait)
        return None


class Heartbeat:
    def __init__(self, crawler):
        self.crawler = crawler
        self.every = crawler.settings.getfloat("TEAM_HEARTBEAT_SECONDS", 5.0)
        self._loop: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls(crawler)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider) -> None:
        if spider.context.frontier.queue.shared:
            self._loop = LoopingCall(self._beat, spider.context)
            self._loop.start(self.every, now=True)

    def _beat(self, context) -> None:
        try:
            context.store.beat(context.run_id)
        except NewsarchiveError as error:  # the store is away: the crawl finds out on its next save
            log.warning("no heartbeat: %s", error)

    def closed(self, spider) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
