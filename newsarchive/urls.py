"""URL normalization: one article, one canonical URL, one source name."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit


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
