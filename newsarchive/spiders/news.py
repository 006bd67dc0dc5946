"""The news spider: every route from a home page to its articles.

From each start URL: robots.txt (its `Sitemap:` lines, else the usual
places),
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
from scrapy.linkextractors import IGNORED_EXTENSIONS, LinkExtractor

from newsarchive.dates import now_iso
from newsarchive.spiders.discovery import Entry, feed_links, read_feed, read_robots, read_sitemap
from newsarchive.spiders.meta import LOOP, QUEUED, RECHECK, WAKE, Ignored
from newsarchive.store import Queued
from newsarchive.urls import LISTING, PAGE, kind_of, source_of

# What a link's path ends with when it is a file, not a page (Scrapy's list).
NOT_PAGES = tuple(f".{extension}" for extension in IGNORED_EXTENSIONS)
# The longest URL worth a request (the de-facto limit browsers and servers
# share; Scrapy's own URLLENGTH_LIMIT).
MAX_URL_LENGTH = 2083


class NewsSpider(Spider):
    """Every callback saves what it discovered in the frontier, and marks
    its page done in the same step, before it yields anything: a page is
    never done while what it led to is unsaved. The requests it yields only
    wake the engine; the scheduler serves them from the frontier."""

    name = "newsarchive"

    def __init__(self, context, **kwargs: Any):
        super().__init__(**kwargs)
        self.context = context
        # Scrapy's list of extensions that are no page, checked here in one
        # C call per link (str.endswith of a tuple) rather than by the
        # extractor's loop over the list (~130 checks a link, in Python).
        self._links = LinkExtractor(canonicalize=False, unique=True, deny_extensions=())
        self._robots_due: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider.broke, signal=signals.spider_error)
        crawler.signals.connect(spider.unstored, signal=signals.item_error)
        return spider

    @property
    def frontier(self):
        return self.context.frontier

    def dropped(self, request, spider=None) -> None:
        """A redirect to an address this crawl has met already is a loop or
        a detour: the scheduler drops it."""
        self.context.tally.errors[LOOP] += 1

    def broke(self, failure, response, spider=None) -> None:
        """A callback raised on a page nobody foresaw: the page is done (it
        would break again), counted, and the crawl cannot vouch for it."""
        queued = response.meta.get(QUEUED) if response is not None else None
        reason = f"unreadable ({type(failure.value).__name__})"
        self.context.tally.errors[reason] += 1
        if queued is not None:
            self.frontier.miss(queued.url, queued.kind, reason)

    def unstored(self, item, response, spider=None, failure=None) -> None:
        queued = item.get("queued") if isinstance(item, dict) else None
        reason = f"not stored ({type(failure.value).__name__})" if failure else "not stored"
        self.context.tally.errors[reason] += 1
        if queued is not None:
            self.frontier.miss(queued.url, queued.kind, reason)

    async def start(self):
        # robots.txt first, alone: its Crawl-delay must be known before the
        # first page is asked for. The queue opens from its callback.
        roots: dict[str, list[str]] = {}
        for url in self.context.start_urls:
            parts = urlsplit(url)
            roots.setdefault(f"{parts.scheme}://{parts.netloc}", []).append(url)
        self._robots_due = set(roots)
        for root, urls in roots.items():
            yield Request(
                f"{root}/robots.txt",
                callback=self.parse_robots,
                errback=self.failed,
                meta={
                    "kind": "robots",
                    "root": root,
                    "start_urls": urls,
                    "handle_httpstatus_list": [404, 410],
                },
                dont_filter=True,
            )

    def request_for(self, queued: Queued) -> Request:
        """The request that fetches a frontier entry."""
        callback = {"sitemap": self.parse_sitemap, "feed": self.parse_feed}.get(queued.kind, self.parse_page)
        meta: dict[str, Any] = {"kind": queued.kind, QUEUED: queued, "depth": queued.depth}
        if queued.kind in ("feed", "sitemap", RECHECK):
            meta["handle_httpstatus_list"] = [304, 404, 410]
        return Request(
            queued.url,
            callback=callback,
            errback=self.failed,
            meta=meta,
            headers=self.frontier.validators(queued.url, queued.kind),
            dont_filter=True,
        )

    def _discover(self, url: str, depth: int, **options) -> None:
        if len(url) <= MAX_URL_LENGTH:
            self.frontier.discover(url, depth=depth, **options)

    def _save(self, response: Response | None, outcome: str | None = None):
        """Save what this page discovered (and mark it done); if it found
        anything, one request wakes the engine, which then asks the
        scheduler, which serves the frontier."""
        queued = response.meta.get(QUEUED) if response is not None else None
        found = self.frontier.save((queued.url, outcome)) if queued is not None else self.frontier.save()
        if found:
            yield Request(found[0].url, meta={WAKE: True}, dont_filter=True)

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
        root = response.meta["root"]
        sitemaps = list(robots.sitemaps) if robots and robots.sitemaps else _usual_sitemaps(root)
        assert response.request is not None  # a response Scrapy fetched has its request
        yield from self._begin(response.request, sitemaps)

    def _begin(self, request: Request, sitemaps: list[str]):
        """The start pages (asked for on every run, resumed or not: they show
        what is new), the sitemaps and the archived articles due for a
        re-check; then the queue opens. A re-check run asks for these last
        only."""
        if not self.context.recheck_only:
            for url in request.meta["start_urls"]:
                self.frontier.restart(url, LISTING, depth=1)
            for url in sitemaps:
                self._discover(url, 1, kind="sitemap")
        book = self.context.rechecks
        if book is not None:
            for due in book.due(self.frontier.scope):
                self.frontier.recheck(due.url, due.article_id)
        yield from self._save(None)
        self._robots_due.discard(request.meta["root"])
        if not self._robots_due:
            self.frontier.open()

    def parse_sitemap(self, response: Response):
        queued: Queued = response.meta[QUEUED]
        if self._index_response(response, "sitemap"):
            self._sitemap_entries(response, queued)
        elif response.status == 304:
            # An unchanged index does not mean unchanged sitemaps: ask
            # the ones it listed before, each conditionally in turn.
            parts = urlsplit(response.url)
            for url in self.frontier.known("sitemap", f"{parts.scheme}://{parts.netloc}/"):
                self._discover(url, queued.depth + 1, kind="sitemap")
        yield from self._save(response)

    def _sitemap_entries(self, response: Response, queued: Queued) -> None:
        kind, entries, damaged = read_sitemap(response.body, response.url)
        if not kind:
            self.context.tally.errors["not a sitemap"] += 1
            return
        if damaged:
            self.context.tally.errors["damaged sitemap (read what could be)"] += 1
        for entry in entries:
            if kind == "index":
                self._discover(entry.url, queued.depth + 1, kind="sitemap", published=entry.published)
            else:
                self._entry(entry, "sitemap", queued.depth + 1)

    def parse_feed(self, response: Response):
        queued: Queued = response.meta[QUEUED]
        if self._index_response(response, "feed"):
            entries = read_feed(response.body, response.url)
            if not entries:
                self.context.tally.errors["broken or empty feed"] += 1
            for entry in entries:
                self._entry(entry, "feed", queued.depth + 1)
        yield from self._save(response)

    def _index_response(self, response: Response, kind: str) -> bool:
        """Record a feed or sitemap response; whether there is anything to read."""
        self._seen(response)
        headers = response.headers
        self.frontier.fetched(
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

    def _entry(self, entry: Entry, origin: str, depth: int) -> None:
        if kind_of(entry.url) == LISTING:
            return
        book = self.context.rechecks
        if book is not None and (entry.updated or entry.title):
            article_id = self.context.store.resolve(entry.url) if self.frontier.in_scope(entry.url) else None
            if article_id is not None:
                source = source_of(entry.url)
                if book.hint(article_id, entry.url, source, origin, entry.updated, entry.title):
                    self.context.tally.notes[f"re-check brought forward by the {origin}"] += 1
                    self.frontier.recheck(entry.url, article_id, depth)
        hints = {"origin": origin, "published": entry.published, "title": entry.title}
        if entry.updated:
            hints["updated"] = entry.updated  # kept with the article's re-check plan
        self._discover(entry.url, depth, kind=PAGE, published=entry.published, hints=hints)

    # -- pages ---------------------------------------------------------------------

    def parse_page(self, response: Response):
        self._seen(response)
        queued: Queued = response.meta[QUEUED]
        if queued.kind == RECHECK and response.status in (304, 404, 410):
            yield from self._recheck_answer(response, queued)
            return
        if (
            not isinstance(response, TextResponse)
            or "html" not in (_header(response.headers, "Content-Type") or "text/html").lower()
        ):
            self.context.tally.not_articles["not html"] += 1
            self.frontier.fetched(response.url, queued.kind, response.status, reason="not html")
            yield from self._save(response, "not html")
            return
        article = queued.kind != LISTING and kind_of(response.url) != LISTING
        if queued.kind != RECHECK:  # a re-check is about its article; listings find the rest
            self._follow(response, queued)
        if not article:
            self.frontier.fetched(response.url, LISTING, response.status)
            yield from self._save(response)
            return
        # An article is done once it is stored (the pipeline says so); what
        # it links to is saved first, so nothing it led to can be lost.
        yield from self._save(None)
        yield {
            "url": response.url,
            "queued": queued,
            "kind": queued.kind,
            "status": response.status,
            "body": response.body,
            "content_type": _header(response.headers, "Content-Type"),
            "etag": _header(response.headers, "ETag"),
            "last_modified": _header(response.headers, "Last-Modified"),
            "capture": response.meta.get("capture"),
            "hints": queued.hints,
            "redirected_from": [*queued.via, *response.meta.get("redirect_urls", [])],
        }

    def _recheck_answer(self, response: Response, queued: Queued):
        """A re-check answered without a page: not modified (an unchanged
        check), or gone for good (no more re-checks)."""
        book, article_id = self.context.rechecks, (queued.hints or {}).get("recheck")
        if response.status == 304:
            self.context.tally.notes["re-check not modified (304)"] += 1
            self.context.tally.unchanged += 1
            if book is not None and article_id:
                book.checked(article_id, changed=False)
            # The URL's validators stay what they were (a 304 need not repeat them).
            yield from self._save(response, "not modified")
            return
        self.context.tally.notes[f"re-check: page gone ({response.status})"] += 1
        if article_id:
            self.context.store.note_version(
                article_id, now=now_iso(), note="gone", reason=f"http {response.status}",
                capture=response.meta.get("capture"),
            )  # fmt: skip
            if book is not None:
                book.gone(article_id)
        self.frontier.fetched(response.url, queued.kind, response.status, reason="gone")
        yield from self._save(response, f"gone ({response.status})")

    def _follow(self, response: TextResponse, queued: Queued) -> None:
        """Discover the feeds a page announces and the pages it links to."""
        links = response.xpath("//link[@href]")
        announced = [(l.attrib.get("rel", ""), l.attrib.get("type", ""), l.attrib["href"]) for l in links]  # noqa: E741
        for feed in feed_links(announced, response.url):
            self._discover(feed, queued.depth + 1, kind="feed")
        for link in self._links.extract_links(response):
            if not urlsplit(link.url).path.lower().endswith(NOT_PAGES):
                self._discover(link.url, queued.depth + 1)

    # -- failures ------------------------------------------------------------------

    def failed(self, failure):
        request = failure.request
        kind = request.meta.get("kind", PAGE)
        reason, status = _reason(failure)
        if reason == "robots.txt forbids it":
            self.frontier.skipped[reason] += 1
        else:
            self.context.tally.errors[reason] += 1
        self.frontier.failed(request.url, kind, reason, status)
        queued = request.meta.get(QUEUED)
        if kind == "robots":  # no robots.txt to be had: the pages all the same
            yield from self._begin(request, _usual_sitemaps(request.meta["root"]))
        elif queued is not None and queued.kind == RECHECK:
            # A re-check that failed is tried again later; the crawl's own
            # completeness does not hang on it.
            article_id = (queued.hints or {}).get("recheck")
            if self.context.rechecks is not None and article_id:
                self.context.rechecks.failed(article_id)
            self.frontier.done(queued.url, reason)
        elif queued is not None and _vouches_against(reason, status):
            self.frontier.miss(queued.url, queued.kind, reason)
        elif queued is not None:
            self.frontier.done(queued.url, reason)

    def _seen(self, response: Response) -> None:
        self.context.tally.pages += 1


def _usual_sitemaps(root: str) -> list[str]:
    """Where sitemaps live when robots.txt names none: the protocol's
    default, and the index most CMS plugins (WordPress, Yoast) write."""
    return [f"{root}/sitemap.xml", f"{root}/sitemap_index.xml"]


def _vouches_against(reason: str, status: int | None) -> bool:
    """Whether a failed fetch leaves the crawl unable to say it found
    everything: a server error or a timeout may heal, a 404 or a page
    robots.txt forbids will not, and a page too large is no article."""
    if status is not None:
        return status >= 500 or status == 429
    return not reason.startswith(("robots.txt", "offsite", "too large", "not captured"))


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
    if isinstance(error, Ignored):
        return error.reason, None
    if isinstance(error, IgnoreRequest):  # Scrapy's own: only the redirect limit words it so
        message = str(error).lower()
        return ("too many redirects" if "redirect" in message else message or "ignored"), None
    name = type(error).__name__
    if "Cancel" in name or "maxsize" in str(error).lower():
        return "too large (over the size cap)", None
    return name, None
