"""Reading a site's own indexes: robots.txt, sitemaps, feeds, page links.

Pure functions over response bytes. XML is parsed without entity expansion
or network access (a sitemap or feed is untrusted input), gzip is inflated
only up to a size cap, and broken files give what could be read.
Scrapy's sitemap parser keeps only the direct children of ``<url>``, so the
Google News fields (``news:publication_date``, ``news:title``) are read
here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from newsarchive.extract.datefind import normalize_date
from newsarchive.urls import absolute

# Sitemaps and feeds larger than this (inflated) are not read: the
# sitemap protocol itself caps a file at 50 MB.
MAX_INDEX_BYTES = 50 * 1024 * 1024

_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", re.S | re.I)


@dataclass(frozen=True)
class Entry:
    """One URL a sitemap or feed lists, with what it says about it."""

    url: str
    published: str | None = None  # ISO 8601
    title: str | None = None
    updated: str | None = None  # ISO 8601: a sitemap's lastmod, a feed item's updated


@dataclass(frozen=True)
class Robots:
    sitemaps: tuple[str, ...]
    crawl_delay: float | None


def read_robots(body: bytes, user_agent: str) -> Robots:
    from protego import Protego

    text = body.decode("utf-8", errors="replace")
    try:
        rules = Protego.parse(text)
        delay = rules.crawl_delay(user_agent)
        return Robots(tuple(rules.sitemaps), float(delay) if delay is not None else None)
    except Exception:  # protego raises assorted errors on garbage
        return Robots((), None)


def inflate(body: bytes) -> bytes:
    """A gzipped body inflated, at most MAX_INDEX_BYTES of it; others as they are."""
    if body[:2] != b"\x1f\x8b":
        return body
    import zlib

    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        return inflater.decompress(body, MAX_INDEX_BYTES)
    except zlib.error:
        return b""


def _xml_root(body: bytes):
    """The root element, and whether the XML had to be repaired to get it."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, recover=True, remove_comments=True, huge_tree=False
    )
    try:
        root = etree.fromstring(_DOCTYPE.sub(b"", body[:MAX_INDEX_BYTES], count=1), parser)
    except (etree.XMLSyntaxError, ValueError):
        return None, True
    return root, len(parser.error_log) > 0


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def read_sitemap(body: bytes, base: str) -> tuple[str, list[Entry], bool]:
    """("index", child sitemaps) or ("urlset", pages) of a sitemap, and
    whether it was damaged (what could be read of it is given); ("", [],
    True) for what is not a sitemap."""
    root, damaged = _xml_root(inflate(body))
    if root is None:
        return "", [], True
    kind = _local(root.tag)
    if kind not in ("sitemapindex", "urlset"):
        return "", [], True
    entries = []
    for item in root:
        fields: dict[str, str] = {}
        for child in item.iter():
            name = _local(child.tag)
            if name in ("loc", "lastmod", "publication_date", "title") and child.text and name not in fields:
                fields[name] = child.text.strip()
        url = absolute(base, fields.get("loc"))
        if url:
            published = normalize_date(fields.get("publication_date")) or normalize_date(
                fields.get("lastmod")
            )
            entries.append(Entry(url, published, fields.get("title"), normalize_date(fields.get("lastmod"))))
    return ("index" if kind == "sitemapindex" else "urlset"), entries, damaged


def read_feed(body: bytes, base: str) -> list[Entry]:
    """The entries of an RSS or Atom feed."""
    import feedparser

    parsed = feedparser.parse(_DOCTYPE.sub(b"", inflate(body)[:MAX_INDEX_BYTES], count=1))
    entries = []
    for item in parsed.entries:
        url = absolute(base, item.get("link"))
        if not url:
            continue
        published = _iso(item.get("published_parsed") or item.get("updated_parsed"))
        entries.append(Entry(url, published, item.get("title"), _iso(item.get("updated_parsed"))))
    return entries


def _iso(stamp) -> str | None:
    """A feedparser time (a UTC struct_time) as ISO 8601."""
    import calendar
    from datetime import UTC, datetime

    if not stamp:
        return None
    return datetime.fromtimestamp(calendar.timegm(stamp), UTC).replace(microsecond=0).isoformat()


def feed_links(html_links: list[tuple[str, str, str]], base: str) -> list[str]:
    """Feed URLs announced by ``<link rel="alternate" type=...rss/atom>``:
    `html_links` are (rel, type, href) of the page's <link> elements."""
    feeds = []
    for rel, kind, href in html_links:
        if "alternate" in rel.lower().split() and any(t in kind.lower() for t in ("rss", "atom")):
            url = absolute(base, href)
            if url and url not in feeds:
                feeds.append(url)
    return feeds
