"""URLs: one article, one canonical URL, one source name; and what a URL on
a news site probably is.

What it probably is: pure functions over URLs. A crawler cannot fetch a
page to learn what it is without paying for it, so the address decides
first: article pages carry a date or a headline slug, listings carry
section, tag, page or date words, utility pages (log in, search, share)
are never worth a request. Pages the address cannot place are fetched and
extraction decides.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit


def canonicalize(url: str) -> str:
    """Normalize a URL so that trivially different forms compare equal.

    Lower-cases scheme and host, drops default ports, fragments and
    tracking parameters (``utm_*``, ``fbclid``...) and sorts the query;
    keeps every other parameter, because some sites put the article id there.
    """
    # courlan pulls in urllib3 and http.client: kept off the search path.
    from courlan import normalize_url

    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return urlunsplit(parts._replace(fragment=""))
    try:
        normalized = normalize_url(url)
    except ValueError:
        normalized = url
    return urlunsplit(urlsplit(normalized)._replace(fragment=""))


def absolute(base: str | None, href: str | None) -> str | None:
    """`href` resolved against `base`; None when there is nothing usable."""
    if not href:
        return None
    href = href.strip()
    if base:
        href = urljoin(base, href)
    if urlsplit(href).scheme not in ("http", "https"):
        return None
    return href


def is_web_url(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme in ("http", "https") and bool(urlsplit(url).hostname)


def source_of(url: str) -> str:
    """The site an article belongs to: its host name without ``www.``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return "local"
    return host[4:] if host.startswith("www.") else host


def site_name(typed: str) -> str:
    """The source a user names, as a site name or any address on it
    (``--source``, ``sites list``): lower case, without ``www.``."""
    name = typed.strip().lower()
    return source_of(name) if "://" in name else name.removeprefix("www.")


# -- what a URL probably is ------------------------------------------------------

# Kinds of pages, as the crawl treats them.
ARTICLE = "article"  # extract; follow its links
LISTING = "listing"  # follow its links only
PAGE = "page"  # unknown: extract (the verdict decides) and follow
SKIP = "skip"  # never request

_ASSET = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|bmp|tiff?|mp[34]|m4[av]|mov|avi|webm|ogg|wav|flac|pdf|zip|gz|tgz|rar|7z"
    r"|exe|dmg|apk|docx?|xlsx?|pptx?|odt|css|js|json|woff2?|ttf|eot|xml|rss|atom|ics)$",
    re.I,
)
_UTILITY = re.compile(
    r"/(log-?in|log-?out|sign-?in|sign-?up|register|account|my-?account|profile|subscribe|subscription"
    r"|search|share|print|email|cart|checkout|privacy(-policy)?|terms(-of-(use|service))?|cookies?"
    r"|contact(-us)?|newsletters?|feedback|advertise|wp-admin|wp-login(\.php)?|cdn-cgi)(/|$|\.)",
    re.I,
)
_LISTING_WORDS = {
    "tag", "tags", "topic", "topics", "category", "categories", "section", "sections", "author", "authors",
    "archive", "archives", "page", "calendar", "latest", "index",
}  # fmt: skip
_LISTING_QUERY = {
    "page",
    "p",
    "pg",
    "offset",
    "start",
    "date",
    "day",
    "month",
    "year",
    "sort",
    "order",
    "filter",
}
_DATE_PATH = re.compile(r"/(19|20)\d\d/(0?[1-9]|1[0-2])(/(0?[1-9]|[12]\d|3[01]))?/")
_ONLY_DATE = re.compile(r"^/((19|20)\d\d)(/\d{1,2}){0,2}/?$")
_ARTICLE_ID = re.compile(r"\d{4,}")
# A headline slug has at least this many words.
SLUG_MIN_WORDS = 3


def kind_of(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return SKIP
    path = parts.path or "/"
    if _ASSET.search(path) or _UTILITY.search(path):
        return SKIP
    if path == "/" or _ONLY_DATE.match(path):
        return LISTING
    segments = [s for s in path.split("/") if s]
    if any(s.lower() in _LISTING_WORDS for s in segments) or any(
        k.lower() in _LISTING_QUERY for k, _ in parse_qsl(parts.query)
    ):
        return LISTING
    last = re.sub(r"\.s?html?$", "", segments[-1], flags=re.I)
    words = [w for w in re.split(r"[-_+]", last) if w]
    if _DATE_PATH.search(path + "/") and len(words) >= 2:
        return ARTICLE
    if len(words) >= SLUG_MIN_WORDS or (_ARTICLE_ID.search(last) and len(segments) >= 2):
        return ARTICLE
    if len(segments) == 1 and len(words) <= 1:
        return LISTING  # "/local/", "/sport"
    return PAGE


def shape(url: str) -> str:
    """The pattern of a URL: digits and query values blanked, so that a
    calendar's days or a listing's pages all share one shape."""
    parts = urlsplit(url)
    path = re.sub(r"\d+", "0", parts.path)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{parts.hostname}{path}?{'&'.join(keys)}"
