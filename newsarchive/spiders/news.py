"""The news spider: every route from a home page to its articles.

From each start URL: robots.txt (its `Sitemap:` lines, else /sitemap.xml),
the sitemaps (indexes followed, Google News fields read), the feeds the
home page announces, and the links of every page, each URL judged by the
frontier before it costs a request. Article pages become items for the
archive pipeline; listings are only read for links.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor

from newsarchive.spiders.discovery import Entry, feed_links, read_feed, read_robots, read_sitemap
from newsarchive.spiders.links import LISTING, PAGE, kind_of

# Sitemaps and feeds read per site per crawl: a sitemap index of a large
# archive lists thousands of files; the newest are enough for a crawl, and
# --since skips old ones before they are fetched.
MAX_INDEX_FILES = 200


class NewsSpider(Spider):
    name = "newsarchive"

    def __init__(self, context, **kwargs: Any):
        super().__init__(**kwargs)
        self.context = context
        self._index_files = 0
        self._links = LinkExtractor(canonicalize=False, unique=True)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.dropped, signal=signals.request_dropped)
        return spider

    def dropped(self, request, spider=None) -> None:
        """A redirect to an address this crawl has already asked for is a
        loop (or a detour to a known page): the scheduler drops it."""
        if request.meta.get("redirect_urls"):
            self.context.tally.errors["redirect loop or repeat"] += 1

    async def start(self):
        # robots.txt first, alone: its Crawl-delay must be known before the
        # first page is asked for. The pages follow from its callback.
        roots: dict[str, list[str]] = {}
        for url in self.context.start_urls:
            parts = urlsplit(url)
            roots.setdefault(f"{parts.scheme}://{parts.netloc}", []).append(url)
        for root, urls in roots.items():
            # On a resumed crawl the start requests are asked again even if
            # the job saw them, so nothing discovered from them can be lost.
            request = self._request(
                f"{root}/robots.txt", "robots", self.parse_robots, dont_filter=self.context.resumed
            )
            request.meta["start_urls"] = urls
            yield request

    def _start_pages(self, request: Request):
        for url in request.meta.get("start_urls", []):
            yield self._request(url, LISTING, self.parse_page, dont_filter=self.context.resumed)

    def _request(
        self, url: str, kind: str, callback, *, hints: dict | None = None, dont_filter: bool = False
    ):
        meta = {"kind": kind}
        if hints:
            meta["hints"] = hints
        if kind in ("robots", "feed", "sitemap"):
            meta["handle_httpstatus_list"] = [304, 404, 410]
        headers = self.context.frontier.validators(url, kind)
        return Request(
            url, callback=callback, errback=self.failed, meta=meta, headers=headers, dont_filter=dont_filter
        )

    def _admit(self, url: str, kind: str | None = None, published: str | None = None) -> str | None:
        url, reason = self.context.frontier.admit(url, kind=kind, published=published)
        return None if reason else url

    # -- robots, sitemaps, feeds -------------------------------------------------

    def parse_robots(self, response: Response):
        self._seen(response)
        host = urlsplit(response.url).hostname or ""
        robots = (
            read_robots(response.body, self.settings.get("USER_AGENT", ""))
            if response.status == 200
            else None
        )
        if robots and robots.crawl_delay:
            self.context.crawl_delays[host] = robots.crawl_delay
        yield from self._start_pages(response.request)
        root = f"{urlsplit(response.url).scheme}://{urlsplit(response.url).netloc}"
        sitemaps = list(robots.sitemaps) if robots and robots.sitemaps else [f"{root}/sitemap.xml"]
        for url in sitemaps:
            yield from self._index(url, "sitemap", self.parse_sitemap)

    def _index(self, url: str, kind: str, callback, published: str | None = None):
        admitted = self._admit(url, kind, published)
        if admitted and self._index_files < MAX_INDEX_FILES:
            self._index_files += 1
            yield self._request(admitted, kind, callback)

    def parse_sitemap(self, response: Response):
        if not self._index_response(response, "sitemap"):
            if response.status == 304:
                # An unchanged index does not mean unchanged sitemaps: ask
                # the ones it listed before, each conditionally in turn.
                parts = urlsplit(response.url)
                for url in self.context.frontier.known("sitemap", f"{parts.scheme}://{parts.netloc}/"):
                    yield from self._index(url, "sitemap", self.parse_sitemap)
            return
        kind, entries, damaged = read_sitemap(response.body, response.url)
        if not kind:
            self.context.tally.errors["not a sitemap"] += 1
            return
        if damaged:
            self.context.tally.errors["damaged sitemap (read what could be)"] += 1
        for entry in entries:
            if kind == "index":
                yield from self._index(entry.url, "sitemap", self.parse_sitemap, entry.published)
            else:
                yield from self._entry(entry, "sitemap")

    def parse_feed(self, response: Response):
        if not self._index_response(response, "feed"):
            return
        entries = read_feed(response.body, response.url)
        if not entries:
            self.context.tally.errors["broken or empty feed"] += 1
        for entry in entries:
            yield from self._entry(entry, "feed")

    def _index_response(self, response: Response, kind: str) -> bool:
        """Record a feed or sitemap response; whether there is anything to read."""
        self._seen(response)
        headers = response.headers
        self.context.frontier.fetched(
            response.url, kind, response.status,
            etag=_header(headers, "ETag"), last_modified=_header(headers, "Last-Modified"),
        )  # fmt: skip
        if response.status == 304:
            self.context.tally.notes[f"{kind} not modified"] += 1
            return False
        if response.status != 200:
            self.context.tally.notes[f"no {kind} ({response.status})"] += 1
            return False
        return True

    def _entry(self, entry: Entry, origin: str):
        url = self._admit(entry.url, None, entry.published)
        if url and kind_of(url) != LISTING:
            hints = {"origin": origin, "published": entry.published, "title": entry.title}
            yield self._request(url, PAGE, self.parse_page, hints=hints)

    # -- pages ---------------------------------------------------------------------

    def parse_page(self, response: Response):
        self._seen(response)
        kind = response.meta.get("kind", PAGE)
        if (
            not isinstance(response, TextResponse)
            or "html" not in (_header(response.headers, "Content-Type") or "text/html").lower()
        ):
            self.context.tally.not_articles["not html"] += 1
            self.context.frontier.fetched(response.url, kind, response.status, reason="not html")
            return
        if kind != LISTING and kind_of(response.url) != LISTING:
            yield {
                "url": response.url,
                "kind": kind,
                "status": response.status,
                "body": response.body,
                "content_type": _header(response.headers, "Content-Type"),
                "capture": response.meta.get("capture"),
                "hints": response.meta.get("hints"),
                "redirected_from": list(response.meta.get("redirect_urls", [])),
            }
        else:
            self.context.frontier.fetched(response.url, LISTING, response.status)
        links = response.xpath("//link[@href]")
        announced = [(l.attrib.get("rel", ""), l.attrib.get("type", ""), l.attrib["href"]) for l in links]  # noqa: E741
        for feed in feed_links(announced, response.url):
            yield from self._index(feed, "feed", self.parse_feed)
        for link in self._links.extract_links(response):
            url = self._admit(link.url)
            if url:
                yield self._request(url, kind_of(url), self.parse_page)

    # -- failures ------------------------------------------------------------------

    def failed(self, failure):
        request = failure.request
        kind = request.meta.get("kind", PAGE)
        reason, status = _reason(failure)
        if reason == "robots.txt forbids it":
            self.context.frontier.skipped[reason] += 1
        else:
            self.context.tally.errors[reason] += 1
        self.context.frontier.failed(request.url, kind, reason, status)
        if kind == "robots":  # no robots.txt to be had: the pages all the same
            yield from self._start_pages(request)

    def _seen(self, response: Response) -> None:
        self.context.tally.pages += 1


def _header(headers, name: str) -> str | None:
    value = headers.get(name)
    return value.decode("latin-1") if value else None


def _reason(failure) -> tuple[str, int | None]:
    """A failed request's reason, in words that can be counted."""
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError

    error = failure.value
    if isinstance(error, HttpError):
        return f"http {error.response.status}", error.response.status
    if isinstance(error, (TimeoutError, TCPTimedOutError)):
        return "timeout", None
    if isinstance(error, DNSLookupError):
        return "dns lookup failed", None
    if isinstance(error, IgnoreRequest):
        message = str(error).lower()
        if "robots" in message or "forbidden by robots" in message:
            return "robots.txt forbids it", None
        if "offsite" in message:
            return "offsite", None
        if "redirect" in message:
            return "too many redirects", None
        if message.startswith("not captured"):
            return "not captured (archive not writable)", None
        return message or "ignored", None
    name = type(error).__name__
    if "Cancel" in name or "maxsize" in str(error).lower():
        return "too large (over the size cap)", None
    return name, None
