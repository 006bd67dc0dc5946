"""Downloader middlewares: staying on the site, robots.txt, manners, and capture.

Each is a thin adapter: it builds itself from the crawler, reads the crawl
context the spider carries, and calls library code.
"""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from newsarchive.capture.warc import Exchange, payload_digest
from newsarchive.crawl.context import CrawlComponent
from newsarchive.dates import now_iso
from newsarchive.errors import CaptureError
from newsarchive.spiders.meta import ForbiddenByRobots, NotCaptured, Offsite

# The longest Retry-After honoured; a server asking for more is asked again
# after this, by the retry middleware's normal course.
MAX_RETRY_AFTER = 300.0


class ScopeMiddleware(CrawlComponent):
    """Never leave the crawl's sites, redirects included. (Scrapy's offsite
    logic compares domains with host:port and so misses local sites.)"""

    def process_request(self, request: Request):
        if not self.context.frontier.in_scope(request.url):
            raise Offsite(f"offsite: {urlsplit(request.url).hostname}")
        return None


class RobotsMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt rules, read from the spider's own robots.txt
    request, so each site's robots.txt is fetched once per crawl. (Scrapy's
    middleware would fetch it again beside the spider's, which reads its
    Sitemap and Crawl-delay lines.) A host the spider did not ask about is
    looked up the usual way."""

    async def robot_parser(self, request: Request):
        if request.meta.get("kind") == "robots":  # the spider's own: never blocked
            return None
        return await super().robot_parser(request)

    def process_request_2(self, rp, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            raise ForbiddenByRobots(f"forbidden by robots.txt: {request.url}") from None

    def process_response(self, request: Request, response: Response):
        if request.meta.get("kind") == "robots" and not 300 <= response.status < 400:
            # Rules only from a robots.txt that was served; none (404, an
            # error page) allows everything, as the standard says.
            self._learn(request, response.body if 200 <= response.status < 300 else b"")
        return response

    def process_exception(self, request: Request, exception: Exception):
        if request.meta.get("kind") == "robots":
            self._learn(request, b"")  # none to be had: every page is allowed
        return None

    def _learn(self, request: Request, body: bytes) -> None:
        parser = build_from_crawler(self._parserimpl, self.crawler, body)
        # The host asked (a redirect may have moved it) and the one served.
        hosts = {urlparse_cached(request).netloc, urlsplit(request.meta.get("root", "")).netloc} - {""}
        for host in hosts:
            waiting = self._parsers.get(host)
            self._parsers[host] = parser
            if isinstance(waiting, Deferred):
                waiting.callback(parser)


class PolitenessMiddleware(CrawlComponent):
    """robots.txt's Crawl-delay as a floor under every delay (AutoThrottle's
    included), and a server's Retry-After on 429 and 503 obeyed."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self._penalized: dict[str, float] = {}  # slot -> delay before the penalty

    def process_request(self, request: Request):
        # Before the request joins its slot's queue, so the floor is in
        # place from the first request after robots.txt was read.
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        floor = self.context.crawl_delays.get(urlsplit(request.url).hostname or "", 0.0)
        if slot is not None and slot.delay < floor:
            slot.delay = floor
        return None

    def process_response(self, request: Request, response: Response):
        slots = self.crawler.engine.downloader.slots
        key = request.meta.get("download_slot")
        slot = slots.get(key) if key else None
        if key is None or slot is None:
            return response
        floor = self.context.crawl_delays.get(urlsplit(request.url).hostname or "", 0.0)
        wait = _retry_after(response) if response.status in (429, 503) else None
        if wait is not None:
            self._penalized.setdefault(key, slot.delay)
            slot.delay = max(slot.delay, min(wait, MAX_RETRY_AFTER))
            self.context.tally.notes["asked to wait (Retry-After)"] += 1
        elif response.status < 400 and key in self._penalized:
            slot.delay = self._penalized.pop(key)
        slot.delay = max(slot.delay, floor)
        return response


def _retry_after(response: Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        return max(0.0, parsedate_to_datetime(text).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class CaptureMiddleware(CrawlComponent):
    """Every response, with its request, into the archive's WARC files, as
    received (before decompression or redirects are handled). A payload
    the archive holds already becomes a revisit record."""

    def process_response(self, request: Request, response: Response):
        try:
            self._capture(request, response)
        except CaptureError as error:
            self.stop_crawl(str(error))
            raise NotCaptured(f"not captured: {error}") from None
        return response

    def _capture(self, request: Request, response: Response) -> None:
        context = self.context
        exchange = _exchange(request, response)
        digest = payload_digest(exchange.body)
        earlier = context.store.payload(digest) if response.status == 200 and exchange.body else None
        if earlier and earlier[0] == request.url:
            context.captures.write_exchange(exchange, revisit_of=(earlier[0], earlier[1]))
            request.meta["capture"] = earlier[2]
            context.tally.notes["unchanged pages kept as revisits"] += 1
        else:
            capture = context.captures.write_exchange(exchange)
            if response.status == 200 and exchange.body:
                context.store.add_payload(request.url, exchange.date, capture)
            request.meta["capture"] = capture


def _exchange(request: Request, response: Response) -> Exchange:
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = [("Host", parts.netloc)] + _pairs(request.headers)
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    ip = getattr(response, "ip_address", None)
    return Exchange(
        url=request.url,
        method=request.method,
        target=target,
        request_headers=request_headers,
        status=response.status,
        reason=reason,
        response_headers=_pairs(response.headers),
        body=response.body,
        date=now_iso(),
        ip_address=str(ip) if ip else None,
    )


def _pairs(headers) -> list[tuple[str, str]]:
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
        if name.lower() != b"host"
    ]
