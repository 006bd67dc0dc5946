"""What a crawler does when it works a job with others (a "team" queue).

* `TeamHTTPHandler` takes the host in the store before a request goes and
  frees it when the answer is in: the next request to that host, from any
  crawler of the team, starts the host's delay after the last answer. Three
  crawlers on a site are as polite as one, and a server never sees two
  requests of the team at once or closer than the delay, whatever the
  crawlers' machines are busy with (a request that leaves a little late
  only holds the host longer). The delay is the one this crawler's
  downloader slot has (DOWNLOAD_DELAY, AutoThrottle's, robots.txt's
  Crawl-delay floor). This is the handler, the last step before the wire,
  after Scrapy's own slot and its delay.
* `Heartbeat` shows the store the crawl run is alive every
  TEAM_HEARTBEAT_SECONDS; the URLs the run holds stay its own while it does,
  and go back to the team when it stops for TEAM_STALE_SECONDS. Every
  crawl beats: `doctor` and `stats` tell live runs from dead ones by it,
  on any machine.

The handler is Scrapy's own for a crawl whose queue is not shared.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, cast
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.http import Response

from newsarchive.crawl.context import Periodic
from newsarchive.crawl.queue import TeamQueue
from newsarchive.errors import NewsarchiveError

log = logging.getLogger(__name__)

# How often a crawler waiting for a host another holds asks again.
POLL = 0.2


class TeamHTTPHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP handler, waiting first for the team's turn at the host."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self._turns: dict[str, asyncio.Lock] = {}

    async def download_request(self, request: Request) -> Response:
        context = cast(Any, self.crawler.spider).context
        queue = context.frontier.queue
        if not isinstance(queue, TeamQueue):
            return await super().download_request(request)
        host = urlsplit(request.url).hostname or ""
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(request.meta.get(downloader.DOWNLOAD_SLOT, ""))
        delay = slot.delay if slot is not None else self.crawler.settings.getfloat("DOWNLOAD_DELAY")
        delay = max(delay, context.crawl_delays.get(host, 0.0))
        # Held at most as long as a request may take: a crawler killed
        # mid-request leaves the host to the others after that.
        hold = delay + self.crawler.settings.getfloat("DOWNLOAD_TIMEOUT", 180)
        async with self._turns.setdefault(host, asyncio.Lock()):
            while (wait := queue.take(host, hold)) > 0:
                await asyncio.sleep(min(wait, POLL))
            try:
                return await super().download_request(request)
            finally:
                queue.free(host, delay)


class Heartbeat(Periodic):
    def opened(self, spider) -> None:
        self.start(self.crawler.settings.getfloat("TEAM_HEARTBEAT_SECONDS", 5.0), spider.context, now=True)

    def tick(self, context) -> None:
        try:
            context.store.beat(context.run_id)
        except NewsarchiveError as error:  # the store is away: the crawl finds out on its next save
            log.warning("no heartbeat: %s", error)
