"""The demo news site as a whole: every route a crawler meets on a real one.

Home page, section pages with endless "older stories" pagination, tag pages,
a calendar that links to the next day forever, an RSS feed announced by
``<link rel="alternate">``, a sitemap index with a plain sitemap and a
gzipped Google News sitemap, robots.txt, redirects from old addresses.
Which article is reachable by which route is a `layout`, so a test can put
some articles only in the sitemap, some only in the feed, and so on.
With `faults` on, the site also serves what breaks crawlers: 404s, 500s, a
503 that heals, a slow page, a huge page, a PDF, a mislabelled charset, a
broken sitemap, a login page and a robots-disallowed area.

Pure rendering: `NewsSite.respond(path, headers)` returns status, headers
and body; `server.py` puts it on the network.
"""

from __future__ import annotations

import copy
import gzip
import hashlib
import threading
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from html import escape
from urllib.parse import parse_qs, urlsplit

from newsarchive.demo.site import article_page, article_url, site_data

CHANNELS = ("home", "section", "sitemap", "news", "feed", "redirect")
# Endless listings end here only because nobody reads further; a crawler
# must stop far earlier on its own.
HUGE_PAGE_BYTES = 20 * 1024 * 1024


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering


class NewsSite:
    def __init__(
        self,
        base: str,
        *,
        layout: dict[int, set[str]] | None = None,
        faults: bool = False,
        crawl_delay: float | None = None,
    ):
        data = site_data()
        self.site = {**data["site"], "base": base.rstrip("/")}
        self.articles: list[dict] = data["articles"]
        # By default every article is reachable every way, as on most sites.
        self.layout = layout or {n: set(CHANNELS) - {"redirect"} for n in range(len(self.articles))}
        self.faults = faults
        self.crawl_delay = crawl_delay
        # Routes a test adds, served as they are; and links it puts on the home page.
        self.extra: dict[str, Reply] = {}
        self.extra_links: list[str] = []
        self._lock = threading.Lock()
        self._flaky_served = False
        self._by_path = {f"/{a['slug']}": a for a in self.articles}

    # -- content -------------------------------------------------------------

    @property
    def base(self) -> str:
        return self.site["base"]

    def publish(self, article: dict, channels: set[str]) -> str:
        """Add an article (a dict like those in articles.json); its URL."""
        with self._lock:
            self.articles.append(copy.deepcopy(article))
            self.layout[len(self.articles) - 1] = set(channels)
            self._by_path[f"/{article['slug']}"] = self.articles[-1]
        return article_url(self.site, article)

    def url_of(self, number: int) -> str:
        return article_url(self.site, self.articles[number])

    def _in(self, channel: str) -> list[dict]:
        return [a for n, a in enumerate(self.articles) if channel in self.layout.get(n, ())]

    def _sections(self) -> list[str]:
        return sorted({a["section"] for a in self.articles})

    # -- routing ---------------------------------------------------------------

    def respond(self, target: str, headers: dict[str, str]) -> Reply:
        parts = urlsplit(target)
        path, query = parts.path, parse_qs(parts.query)
        reply = self._route(path, query)
        return _conditional(reply, headers)

    def _route(self, path: str, query: dict) -> Reply:
        if path in self.extra:
            return self.extra[path]
        if path == "/":
            return _html(self._home())
        if path == "/robots.txt":
            return Reply(200, self._robots().encode(), {"Content-Type": "text/plain"})
        if path == "/feed.xml":
            return Reply(200, self._feed(), {"Content-Type": "application/rss+xml"})
        if path == "/sitemap.xml":
            return Reply(200, self._sitemap_index(), {"Content-Type": "application/xml"})
        if path == "/sitemap-articles.xml":
            return Reply(200, self._sitemap(), {"Content-Type": "application/xml"})
        if path == "/news-sitemap.xml.gz":
            return Reply(
                200, gzip.compress(self._news_sitemap(), mtime=0), {"Content-Type": "application/x-gzip"}
            )
        if path.startswith("/old/"):
            slug = path.removeprefix("/old/")
            return Reply(301, b"", {"Location": f"{self.base}/{slug}"})
        if path.startswith("/calendar/"):
            return _html(self._calendar(path.removeprefix("/calendar/")))
        if path.startswith("/tag/"):
            return _html(self._tag(path.removeprefix("/tag/").strip("/")))
        section = path.strip("/")
        if section in [s.lower() for s in self._sections()]:
            return _html(self._section(section, int((query.get("page") or ["1"])[0] or 1)))
        if path in self._by_path:
            return _html_bytes(article_page(self.site, self._by_path[path]).html)
        if path.startswith("/private/"):
            return _html(self._frame("Private", "<h1>Private</h1><p>Not for crawlers.</p>"))
        if self.faults:
            fault = self._fault(path)
            if fault is not None:
                return fault
        return Reply(404, b"<html><body><h1>Not found</h1></body></html>", {"Content-Type": "text/html"})

    # -- pages -------------------------------------------------------------------

    def _frame(self, title: str, body: str, head: str = "") -> str:
        nav = "".join(f'<li><a href="/{s.lower()}/">{escape(s)}</a></li>' for s in self._sections())
        return (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>{head}'
            f'</head><body><header><a href="/">{escape(self.site["name"])}</a><nav><ul>{nav}</ul></nav></header>'
            f"<main>{body}</main><footer>© 2025 {escape(self.site['name'])}. "
            '<a href="/login">Log in</a> <a href="/search?q=harbour">Search</a></footer></body></html>'
        )

    def _links(self, articles: list[dict]) -> str:
        return "".join(f'<li><a href="/{a["slug"]}">{escape(a["title"])}</a></li>' for a in articles)

    def _home(self) -> str:
        redirected = "".join(
            f'<li><a href="/old/{a["slug"]}">{escape(a["title"])}</a></li>' for a in self._in("redirect")
        )
        tags = sorted({t for a in self._in("home") for t in a["tags"]})
        extras = ""
        if self.faults:
            extras = "".join(
                f'<li><a href="{href}">{label}</a></li>'
                for href, label in (
                    ("/files/annual-report.pdf", "Annual report (PDF)"),
                    ("/annual-report-full-download", "The full annual report"),
                    ("/loop-story-one", "A story that goes round in circles"),
                    ("/images/front-page.jpg", "Today's front page"),
                    ("/missing-story", "A story that moved away"),
                    ("/broken-story", "A story on a broken server"),
                    ("/flaky-story", "A story behind a busy server"),
                    ("/slow-story", "A story from a slow server"),
                    ("/huge-story", "A story far too large"),
                    ("/legacy-story", "A story from the old system"),
                )
            )
        body = (
            f"<h1>{escape(self.site['name'])}</h1><section><h2>Top stories</h2><ul>"
            f"{self._links(self._in('home'))}{redirected}{extras}"
            + "".join(f'<li><a href="{escape(path)}">more</a></li>' for path in self.extra_links)
            + "</ul></section>"
            '<p><a href="/private/plans">Staff only</a></p>'
            '<section><h2>Archive</h2><a href="/calendar/2025-01-01">Browse by day</a> '
            + " ".join(f'<a href="/tag/{escape(t)}">{escape(t)}</a>' for t in tags)
            + "</section>"
        )
        head = '<link rel="alternate" type="application/rss+xml" title="Latest" href="/feed.xml">'
        return self._frame(self.site["name"], body, head)

    def _section(self, section: str, page: int) -> str:
        articles = [a for a in self._in("section") if a["section"].lower() == section]
        shown = articles if page == 1 else []
        body = (
            f"<h1>{escape(section.title())}</h1><ul>{self._links(shown)}</ul>"
            f'<a href="/{section}/?page={page + 1}">Older stories</a>'
        )
        return self._frame(section.title(), body)

    def _calendar(self, day: str) -> str:
        try:
            date = datetime.fromisoformat(day)
        except ValueError:
            date = datetime(2025, 1, 1)
        previous, following = date.toordinal() - 1, date.toordinal() + 1
        prev_day, next_day = datetime.fromordinal(previous).date(), datetime.fromordinal(following).date()
        body = (
            f"<h1>Stories of {date.date()}</h1><p>No stories this day.</p>"
            f'<a href="/calendar/{prev_day}">Previous day</a> <a href="/calendar/{next_day}">Next day</a>'
        )
        return self._frame(f"Stories of {date.date()}", body)

    def _tag(self, tag: str) -> str:
        tagged = [a for a in self._in("home") + self._in("section") if tag in a["tags"]]
        unique = list({a["slug"]: a for a in tagged}.values())
        return self._frame(f"Tag: {tag}", f"<h1>Tag: {escape(tag)}</h1><ul>{self._links(unique)}</ul>")

    def _robots(self) -> str:
        lines = ["User-agent: *", "Disallow: /private/"]
        if self.crawl_delay is not None:
            lines.append(f"Crawl-delay: {self.crawl_delay:g}")
        lines += ["", f"Sitemap: {self.base}/sitemap.xml"]
        if self.faults:
            lines.append(f"Sitemap: {self.base}/sitemap-broken.xml")
        return "\n".join(lines) + "\n"

    def _feed(self) -> bytes:
        items = "".join(
            f"<item><title>{escape(a['title'])}</title><link>{article_url(self.site, a)}</link>"
            f"<guid>{article_url(self.site, a)}</guid>"
            f"<pubDate>{format_datetime(datetime.fromisoformat(a['published']))}</pubDate>"
            f"<description>{escape(a['subtitle'])}</description></item>"
            for a in self._in("feed")
        )
        return (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(self.site['name'])}</title><link>{self.base}/</link>"
            f"<description>Latest stories</description>{items}</channel></rss>"
        ).encode()

    def _sitemap_index(self) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{self.base}/sitemap-articles.xml</loc></sitemap>"
            f"<sitemap><loc>{self.base}/news-sitemap.xml.gz</loc></sitemap>"
            "</sitemapindex>"
        ).encode()

    def _sitemap(self) -> bytes:
        urls = "".join(
            f"<url><loc>{article_url(self.site, a)}</loc><lastmod>{a['published']}</lastmod></url>"
            for a in self._in("sitemap")
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        ).encode()

    def _news_sitemap(self) -> bytes:
        urls = "".join(
            f"<url><loc>{article_url(self.site, a)}</loc><news:news><news:publication>"
            f"<news:name>{escape(self.site['name'])}</news:name><news:language>en</news:language>"
            f"</news:publication><news:publication_date>{a['published']}</news:publication_date>"
            f"<news:title>{escape(a['title'])}</news:title></news:news></url>"
            for a in self._in("news")
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
            ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{urls}</urlset>"
        ).encode()

    # -- what breaks crawlers ------------------------------------------------------

    def _fault_article(self, slug: str, title: str) -> bytes:
        template = self.articles[0]
        article = {**template, "slug": slug, "title": title, "jsonld": True}
        return article_page(self.site, article).html

    def _fault(self, path: str) -> Reply | None:
        if path == "/broken-story":
            return Reply(
                500, b"<html><body>Internal Server Error</body></html>", {"Content-Type": "text/html"}
            )
        if path == "/flaky-story":
            with self._lock:
                first, self._flaky_served = not self._flaky_served, True
            if first:
                return Reply(503, b"busy", {"Content-Type": "text/plain", "Retry-After": "1"})
            return _html_bytes(self._fault_article("flaky-story", "Busy server finally answers"))
        if path == "/slow-story":
            return Reply(
                200,
                self._fault_article("slow-story", "Slow server story"),
                {"Content-Type": "text/html"},
                2.0,
            )
        if path == "/huge-story":
            return Reply(200, b"<html><body><p>" + b"x" * HUGE_PAGE_BYTES + b"</p></body></html>", _TYPE_HTML)
        if path == "/legacy-story":
            html = self._fault_article("legacy-story", "Caf\u00e9 owners \u201cfight\u201d the tax").decode()
            return Reply(200, html.encode("cp1252", "replace"), {"Content-Type": "text/html; charset=utf-8"})
        if path == "/loop-story-one":
            return Reply(302, b"", {"Location": f"{self.base}/loop-story-two"})
        if path == "/loop-story-two":
            return Reply(302, b"", {"Location": f"{self.base}/loop-story-one"})
        if path in ("/files/annual-report.pdf", "/annual-report-full-download"):
            return Reply(
                200,
                b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 20,
                {"Content-Type": "application/pdf"},
            )
        if path == "/images/front-page.jpg":
            return Reply(200, b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20, {"Content-Type": "image/jpeg"})
        if path == "/sitemap-broken.xml":
            return Reply(
                200, b'<?xml version="1.0"?><urlset><url><loc>broken', {"Content-Type": "application/xml"}
            )
        if path in ("/login", "/search"):
            return _html(self._frame("Log in", "<form><input name=user><input type=password name=pw></form>"))
        return None


_TYPE_HTML = {"Content-Type": "text/html; charset=utf-8"}


def _html(text: str) -> Reply:
    return _html_bytes(text.encode("utf-8"))


def _html_bytes(body: bytes) -> Reply:
    return Reply(200, body, dict(_TYPE_HTML))


def _conditional(reply: Reply, request_headers: dict[str, str]) -> Reply:
    """ETag and Last-Modified on feeds and sitemaps, and 304 when they match."""
    kind = reply.headers.get("Content-Type", "")
    if reply.status != 200 or not any(t in kind for t in ("xml", "gzip")):
        return reply
    etag = '"' + hashlib.sha1(reply.body).hexdigest()[:16] + '"'
    reply.headers["ETag"] = etag
    reply.headers["Last-Modified"] = "Mon, 06 Jan 2025 08:00:00 GMT"
    if request_headers.get("if-none-match") == etag:
        return Reply(304, b"", {"ETag": etag})
    return reply
