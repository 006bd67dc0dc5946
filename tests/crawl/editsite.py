"""A news site whose articles change between fetches: real edits of each
kind, noise of each kind, reverts, a degraded fetch and a live blog.

Each story is a list of stages; the n-th fetch of a story's page serves
stage n (the last stage once they run out), so a crawl that re-checks every
story once per run walks each one through its history. Pages carry an ETag
and answer 304 to a matching If-None-Match; the sitemap carries each
story's lastmod and the Atom feed its updated time, both settable by a test.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from html import escape

from newsarchive.demo.newssite import Reply

# Each story's paragraphs name its own town: paragraphs shared by every
# page of a site would be learnt as its boilerplate.
BODY = [
    "The {town} harbour authority voted on Tuesday to close the north pier to heavy lorries from the first of March,"
    " after engineers found cracks in three of its oldest supporting beams during a routine survey.",
    "Councillor Mira Osei, who chairs the {town} transport committee, said 12 firms would need new routes and that"
    " the authority would pay for temporary signs on the coast road while the repairs are planned.",
    "Fishing crews who land their catch at the {town} pier said they had not been consulted. One skipper said the"
    ' closure would add "an hour to every delivery" \u2013 and asked why the survey was not published sooner.',
    "In {town} the repairs are expected to cost 4.2 million pounds and to take most of next year. The authority said"
    " it would apply for a national grant and publish the full engineering report next month.",
    "Residents of Quay Street in {town} welcomed the decision, saying lorries had shaken their windows for years."
    " A petition signed by 340 households had asked the council to divert traffic in the spring.",
]


def body(town: str) -> list[str]:
    return [paragraph.format(town=town) for paragraph in BODY]


def story(slug: str, title: str, stages, *, live: bool = False) -> dict:
    """A story: its first stage is complete; later stages (made from the
    story's own paragraphs) change only what they name."""
    paragraphs = body(slug.title())
    first = {"title": title, "subtitle": f"The {slug} pier will close to lorries in March.",
             "paragraphs": paragraphs, "modified": "2026-11-20T09:00:00+00:00", "wall": False}  # fmt: skip
    full = [first]
    for change in stages(paragraphs):
        full.append({**copy.deepcopy(full[-1]), **change})
    return {"slug": slug, "stages": full, "live": live}


def stories() -> list[dict]:
    return [
        # A headline rewritten, with a new dateModified.
        story(
            "headline",
            "Pier to close to lorries",
            lambda p: [
                {
                    "title": "North pier to close to heavy lorries from March",
                    "modified": "2026-11-20T11:00:00+00:00",
                },
            ],
        ),
        # A correction appended, and the figure it corrects.
        story(
            "correction",
            "Repairs to cost millions",
            lambda p: [
                {
                    "paragraphs": [
                        *p[:3],
                        p[3].replace("4.2 million", "2.4 million"),
                        p[4],
                        "Correction: An earlier version of this article gave the cost of the repairs as"
                        " 4.2 million pounds. It is 2.4 million pounds.",
                    ],
                    "modified": "2026-11-21T08:00:00+00:00",
                },
            ],
        ),
        # A number changed with no notice and the same dateModified.
        story(
            "stealth",
            "Firms face new routes",
            lambda p: [
                {"paragraphs": [p[0], p[1].replace("12 firms", "21 firms"), *p[2:]]},
            ],
        ),
        # A paragraph moved.
        story(
            "moved",
            "Residents welcome closure",
            lambda p: [
                {"paragraphs": [p[4], *p[:4]], "modified": "2026-11-20T12:00:00+00:00"},
            ],
        ),
        # Noise only: quote and dash styles, whitespace, timestamp lines.
        story(
            "noise",
            "Skippers were not consulted",
            lambda p: [
                {
                    "paragraphs": [
                        "Updated 3 minutes ago",
                        p[0].replace("after engineers", "after   engineers"),
                        p[1],
                        p[2]
                        .replace(" \u2013 ", "\u2014")
                        .replace('"an', "\u201can")
                        .replace('y"', "y\u201d"),
                        *p[3:],
                    ]
                },
                {
                    "paragraphs": [
                        "Updated 2 hours ago",
                        p[0],
                        p[1],
                        p[2].replace(" \u2013 ", " -- "),
                        *p[3:],
                        "Last updated: 10:42 a.m. ET, Nov. 28, 2026",
                    ]
                },
            ],
        ),
        # Changed, then back as it was.
        story(
            "revert",
            "Grant bid planned",
            lambda p: [
                {
                    "title": "Authority to seek national grant for pier",
                    "modified": "2026-11-20T10:00:00+00:00",
                },
                {"title": "Grant bid planned", "modified": "2026-11-20T11:00:00+00:00"},
            ],
        ),
        # A wall, then the full page again.
        story(
            "degraded",
            "Engineers found cracks",
            lambda p: [
                {"paragraphs": [p[0], "Subscribe to read the rest of this story."], "wall": True},
                {"paragraphs": list(p), "wall": False},
            ],
        ),
        # A live blog: entries appended on top, then an earlier entry edited.
        story(
            "live",
            "Live: pier closure vote",
            lambda p: [
                {
                    "paragraphs": [
                        "14:05 The vote is over: the pier closes in March, the chair said after the count.",
                        *p,
                    ]
                },
                {
                    "paragraphs": [
                        "14:05 The vote is over: the pier closes in March, the chair said after the count.",
                        p[0],
                        p[1].replace("12 firms", "15 firms"),
                        *p[2:],
                    ]
                },
            ],
            live=True,
        ),
        # Never changes: answered 304 once it has an ETag.
        story("steady", "Petition had asked for diversion", lambda p: []),
    ]


class EditSite:
    def __init__(self, base: str, *, crawl_delay: float | None = None, disallow: tuple[str, ...] = ()):
        self.base = base
        self.stories = {s["slug"]: s for s in stories()}
        self.fetches = {slug: 0 for slug in self.stories}
        self.lastmod = {slug: "2026-11-20T09:00:00+00:00" for slug in self.stories}
        self.updated = {slug: "2026-11-20T09:00:00Z" for slug in self.stories}
        self.crawl_delay = crawl_delay
        self.disallow = disallow
        self._lock = threading.Lock()

    def url_of(self, slug: str) -> str:
        return f"{self.base}/news/2026/11/20/{slug}"

    def respond(self, target: str, headers: dict[str, str]) -> Reply:
        path = target.split("?")[0]
        if path == "/robots.txt":
            lines = ["User-agent: *", *(f"Disallow: {d}" for d in self.disallow)]
            if self.crawl_delay:
                lines.append(f"Crawl-delay: {self.crawl_delay}")
            lines.append(f"Sitemap: {self.base}/sitemap.xml")
            return Reply(200, "\n".join(lines).encode(), {"Content-Type": "text/plain"})
        if path == "/sitemap.xml":
            return self._sitemap()
        if path == "/feed.xml":
            return self._feed()
        if path == "/":
            links = "".join(f'<li><a href="{self.url_of(s)}">{escape(self._stage(s, 0)["title"])}</a></li>'
                            for s in self.stories)  # fmt: skip
            return _html(
                "<html><head><title>The Quay Courier</title>"
                '<link rel="alternate" type="application/atom+xml" href="/feed.xml">'
                f"</head><body><ul>{links}</ul></body></html>"
            )
        slug = path.rsplit("/", 1)[-1]
        if path.startswith("/news/") and slug in self.stories:
            with self._lock:
                stage = self._stage(slug, self.fetches[slug])
                page = self._page(slug, stage)
                etag = '"' + hashlib.sha1(page).hexdigest()[:16] + '"'
                if headers.get("if-none-match") == etag:
                    return Reply(304, b"", {"ETag": etag})
                self.fetches[slug] += 1
            return Reply(200, page, {"Content-Type": "text/html; charset=utf-8", "ETag": etag})
        return Reply(404, b"not here", {"Content-Type": "text/plain"})

    def _stage(self, slug: str, n: int) -> dict:
        stages = self.stories[slug]["stages"]
        return stages[min(n, len(stages) - 1)]

    def _page(self, slug: str, stage: dict) -> bytes:
        url = self.url_of(slug)
        kind = "LiveBlogPosting" if self.stories[slug]["live"] else "NewsArticle"
        data = {"@context": "https://schema.org", "@type": kind, "headline": stage["title"],
                "datePublished": "2026-11-20T08:00:00+00:00", "dateModified": stage["modified"],
                "author": [{"@type": "Person", "name": "Jonas Reed"}], "mainEntityOfPage": url,
                "publisher": {"@type": "Organization", "name": "The Quay Courier"}}  # fmt: skip
        paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in stage["paragraphs"])
        wall = '<div class="paywall">Subscribe to keep reading.</div>' if stage["wall"] else ""
        meta = "" if not stage["wall"] else '<meta name="robots" content="noarchive">'
        html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{escape(stage["title"])} | The Quay Courier</title>
<meta property="og:title" content="{escape(stage["title"])}">
<meta name="description" content="{escape(stage["subtitle"])}">
<link rel="canonical" href="{url}">{meta}
<script type="application/ld+json">{json.dumps(data)}</script>
</head><body>
<header><a href="/">The Quay Courier</a><nav><a href="/">Home</a> <a href="/">Harbour</a></nav></header>
<main><article><h1>{escape(stage["title"])}</h1>
<p class="standfirst">{escape(stage["subtitle"])}</p>
<div class="byline">By Jonas Reed</div>
<div class="article-body">{paragraphs}</div>{wall}
</article></main>
<footer><p>The Quay Courier, 1 Harbour Row</p></footer></body></html>"""
        return html.encode("utf-8")

    def _sitemap(self) -> Reply:
        urls = "".join(f"<url><loc>{self.url_of(s)}</loc><lastmod>{self.lastmod[s]}</lastmod></url>"
                       for s in self.stories)  # fmt: skip
        body = f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        return Reply(200, body.encode(), {"Content-Type": "application/xml"})

    def _feed(self) -> Reply:
        entries = "".join(
            f'<entry><title>{escape(self._stage(s, 0)["title"])}</title><link href="{self.url_of(s)}"/>'
            f"<id>{self.url_of(s)}</id><published>2026-11-20T08:00:00Z</published>"
            f"<updated>{self.updated[s]}</updated></entry>"
            for s in self.stories
        )
        body = (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>The Quay Courier</title><updated>2026-11-20T09:00:00Z</updated>{entries}</feed>"
        )
        return Reply(200, body.encode(), {"Content-Type": "application/atom+xml"})


def _html(text: str) -> Reply:
    return Reply(200, text.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})
