"""A news site where each article is reachable by one route only.

For the kill-and-resume harness: which route leads to which article is
drawn from a seed, so every route a crawler must follow is needed, and a
crawl that loses any step of one route (a listing read but its links lost,
a sitemap index read but its sitemaps lost, a redirect followed halfway)
misses articles. Routes: the home page, a section's first page, a
section's older pages (pagination, several links deep), a tag page, a
plain sitemap behind a sitemap index, a gzipped Google News sitemap, the
RSS feed, a redirect (one or two hops) from an old address, a short link
that looks like a listing (/?p=N) and redirects to the article, and a
"related" link on another article's page (chains of them). Traps a crawler
must bound: an endless calendar, and pages that are no article.

Article texts are drawn from a vocabulary, one of a kind each, so no
paragraph repeats across articles (nothing for boilerplate learning to take).
"""

from __future__ import annotations

import gzip
import random
from datetime import date, datetime, timedelta
from email.utils import format_datetime
from html import escape
from urllib.parse import parse_qs, urlsplit

from newsarchive.demo.newssite import Reply, _conditional, _html
from newsarchive.demo.site import article_page

ROUTES = ("home", "section", "deep", "tag", "sitemap", "news", "feed", "redirect", "shortlink", "related")
SECTIONS = ("world", "city")
PAGES_PER_SECTION = 4
_WORDS = (  # noqa: SIM905 (a list literal of a hundred words reads worse)
    "harbour council ferry storm bridge market budget school river mayor tunnel festival court farmers"
    " hospital railway election museum library fishermen harvest police weather rescue station island"
    " contract report protest strike factory energy housing airport teachers nurses tourists workers"
    " engineers residents planners drivers volunteers inspectors officials sailors traders families"
    " approved rejected delayed opened closed repaired funded announced reviewed postponed expanded"
    " reported warned promised questioned welcomed measured counted visited inspected described"
    " yesterday tonight morning evening weekend quarter season decade century north south east west"
    " new old small large public private local regional national coastal rural central historic"
).split()


class MazeSite:
    def __init__(self, base: str, *, seed: int = 7, articles: int = 54):
        self.base = base.rstrip("/")
        self.site = {"name": "The Maze Courier", "host": "maze.example", "base": self.base,
                     "promo": "Click here for the whole Maze coverage",
                     "newsletter": "Sign up for our free evening newsletter"}  # fmt: skip
        rng = random.Random(seed)
        self.articles = [self._article(n, rng) for n in range(articles)]
        # Every route gets articles; the rest are spread at random.
        routes = list(ROUTES) * 2
        routes += [rng.choice(ROUTES) for _ in range(articles - len(routes))]
        rng.shuffle(routes)
        for article, route in zip(self.articles, routes, strict=True):
            article["route"] = route
            article["page"] = rng.randint(2, PAGES_PER_SECTION) if route == "deep" else 1
            article["hops"] = rng.randint(1, 2)
        # A related article is linked from one other article: one found at
        # most three links from the home page (not a deep one), or another
        # related one, at most three such links deep, so every chain stays
        # within the crawl's depth limit (6).
        level: dict[int, int] = {}
        for n, article in enumerate(self.articles):
            if article["route"] != "related":
                continue
            parents = [
                m
                for m, other in enumerate(self.articles)
                if m != n and other["route"] not in ("related", "deep") or level.get(m, 3) < 3
            ]
            parent = rng.choice(parents)
            level[n] = level.get(parent, 0) + 1
            self.articles[parent].setdefault("related", []).append(n)

    def _article(self, n: int, rng: random.Random) -> dict:
        day = date(2025, 6, 1) + timedelta(days=n % 28)
        words = rng.sample(_WORDS, 4)
        paragraphs = [
            " ".join(rng.choice(_WORDS) for _ in range(rng.randint(28, 44))).capitalize() + "."
            for _ in range(5)
        ]
        return {
            "slug": f"news/{day:%Y/%m/%d}/{'-'.join(words)}-{n}",
            "section": SECTIONS[n % 2].title(),
            "title": f"Story {n}: {' '.join(words).capitalize()}",
            "subtitle": f"Report number {n} on {words[0]} and {words[1]}.",
            "authors": [rng.choice(["Ada Moss", "Ben Ruiz", "Cleo Park", "Dev Ahmed"])],
            "published": f"{day.isoformat()}T{8 + n % 10:02d}:15:00+02:00",
            "tags": [f"topic{n % 5}"],
            "image": {"file": f"photo{n}.jpg", "caption": f"Scene of story {n}", "credit": "Maze Courier"},
            "jsonld": n % 2 == 0,
            "paragraphs": paragraphs,
        }

    def url_of(self, article: dict) -> str:
        return f"{self.base}/{article['slug']}"

    @property
    def article_urls(self) -> set[str]:
        return {self.url_of(a) for a in self.articles}

    def _by(self, route: str) -> list[dict]:
        return [a for a in self.articles if a["route"] == route]

    # -- routing -----------------------------------------------------------------

    def respond(self, target: str, headers: dict[str, str]) -> Reply:
        parts = urlsplit(target)
        return _conditional(self._route(parts.path, parse_qs(parts.query)), headers)

    def _route(self, path: str, query: dict) -> Reply:
        if path == "/" and query.get("p"):
            number = int(query["p"][0]) if query["p"][0].isdigit() else -1
            if 0 <= number < len(self.articles):
                return Reply(301, b"", {"Location": self.url_of(self.articles[number])})
        if path == "/robots.txt":
            text = f"User-agent: *\nDisallow: /private/\n\nSitemap: {self.base}/sitemap.xml\n"
            return Reply(200, text.encode(), {"Content-Type": "text/plain"})
        if path == "/":
            return _html(self._home())
        if path == "/feed.xml":
            return Reply(200, self._feed(), {"Content-Type": "application/rss+xml"})
        if path == "/sitemap.xml":
            return Reply(200, self._sitemap_index(), {"Content-Type": "application/xml"})
        if path == "/sitemaps/articles.xml":
            return Reply(200, self._urlset(self._by("sitemap")), {"Content-Type": "application/xml"})
        if path == "/sitemaps/news.xml.gz":
            body = gzip.compress(self._urlset(self._by("news"), news=True), mtime=0)
            return Reply(200, body, {"Content-Type": "application/x-gzip"})
        if path.startswith(("/old/", "/older/")):
            slug = path.split("/", 2)[2]
            hop = f"/old/{slug}" if path.startswith("/older/") else f"/{slug}"
            return Reply(301, b"", {"Location": f"{self.base}{hop}"})
        if path.startswith("/calendar/"):
            return _html(self._calendar(path.removeprefix("/calendar/")))
        if path.startswith("/tag/"):
            tag = path.removeprefix("/tag/").strip("/")
            return _html(self._listing(f"Tag {tag}", [a for a in self._by("tag") if tag in a["tags"]]))
        for article in self.articles:
            if path == f"/{article['slug']}":
                return _html(self._article_page(article))
        name = path.strip("/")
        if name.isalpha():
            return _html(self._section(name, int((query.get("page") or ["1"])[0] or 1)))
        return Reply(404, b"<html><body><h1>Not found</h1></body></html>", {"Content-Type": "text/html"})

    # -- pages ---------------------------------------------------------------------

    def _frame(self, title: str, body: str, head: str = "") -> str:
        nav = "".join(f'<li><a href="/{s}/">{s.title()}</a></li>' for s in SECTIONS)
        return (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'{head}</head><body><header><a href="/">{self.site["name"]}</a><nav><ul>{nav}</ul></nav>'
            f'</header><main>{body}</main><footer><a href="/about">About us</a> '
            '<a href="/login">Log in</a></footer></body></html>'
        )

    def _links(self, articles: list[dict]) -> str:
        return "".join(f'<li><a href="/{a["slug"]}">{escape(a["title"])}</a></li>' for a in articles)

    def _listing(self, title: str, articles: list[dict], more: str = "") -> str:
        return self._frame(title, f"<h1>{escape(title)}</h1><ul>{self._links(articles)}</ul>{more}")

    def _home(self) -> str:
        redirects = "".join(
            f'<li><a href="/{"older" if a["hops"] == 2 else "old"}/{a["slug"]}">{escape(a["title"])}</a></li>'
            for a in self._by("redirect")
        )
        shortlinks = "".join(
            f'<li><a href="/?p={self.articles.index(a)}">{escape(a["title"])}</a></li>'
            for a in self._by("shortlink")
        )
        tags = sorted({t for a in self._by("tag") for t in a["tags"]})
        body = (
            f"<h1>{self.site['name']}</h1><ul>{self._links(self._by('home'))}{redirects}{shortlinks}</ul>"
            + " ".join(f'<a href="/tag/{t}">{t}</a>' for t in tags)
            + ' <a href="/calendar/2025-06-01">By day</a> <a href="/private/x">Staff</a>'
        )
        head = '<link rel="alternate" type="application/rss+xml" title="Latest" href="/feed.xml">'
        return self._frame(self.site["name"], body, head)

    def _section(self, name: str, page: int) -> str:
        shown = [
            a
            for a in self._by("section") + self._by("deep")
            if a["section"].lower() == name and a["page"] == page
        ]
        more = f'<a href="/{name}/?page={page + 1}">Older stories</a>' if page < PAGES_PER_SECTION + 2 else ""
        return self._listing(f"{name.title()} page {page}", shown, more)

    def _calendar(self, day: str) -> str:
        try:
            when = date.fromisoformat(day)
        except ValueError:
            when = date(2025, 6, 1)
        following = when + timedelta(days=1)
        return self._frame(
            f"Day {when}", f'<p>Nothing on {when}.</p><a href="/calendar/{following}">Next</a>'
        )

    def _article_page(self, article: dict) -> bytes | str:
        html = article_page(self.site, article).html.decode("utf-8")
        related = [self.articles[n] for n in article.get("related", [])]
        if related:
            box = f'<aside class="related"><h3>Related</h3><ul>{self._links(related)}</ul></aside>'
            html = html.replace("</article>", f"</article>{box}", 1)
        return html

    def _feed(self) -> bytes:
        items = "".join(
            f"<item><title>{escape(a['title'])}</title><link>{self.url_of(a)}</link>"
            f"<pubDate>{format_datetime(datetime.fromisoformat(a['published']))}</pubDate></item>"
            for a in self._by("feed")
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{self.site['name']}</title><link>{self.base}/</link>{items}</channel></rss>"
        ).encode()

    def _sitemap_index(self) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{self.base}/sitemaps/articles.xml</loc></sitemap>"
            f"<sitemap><loc>{self.base}/sitemaps/news.xml.gz</loc></sitemap></sitemapindex>"
        ).encode()

    def _urlset(self, articles: list[dict], news: bool = False) -> bytes:
        def entry(a: dict) -> str:
            if not news:
                return f"<url><loc>{self.url_of(a)}</loc><lastmod>{a['published']}</lastmod></url>"
            return (
                f"<url><loc>{self.url_of(a)}</loc><news:news><news:publication><news:name>Maze</news:name>"
                "<news:language>en</news:language></news:publication>"
                f"<news:publication_date>{a['published']}</news:publication_date>"
                f"<news:title>{escape(a['title'])}</news:title></news:news></url>"
            )

        return (
            '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
            ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            + "".join(entry(a) for a in articles)
            + "</urlset>"
        ).encode()
