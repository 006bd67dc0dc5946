"""What is known about a page besides its bytes.

`SiteRules` is what the archive knows about the page's site: rules a user
wrote in `sources.toml` and boilerplate learnt from the site's own
articles. `Hints` is what the crawl saw before fetching the page: a feed or
sitemap entry's date and title. Both are plain data, passed into the pure
`extract`, so the same page with the same knowledge gives the same article.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DATE_ORDERS = ("DMY", "MDY", "YMD")


@dataclass(frozen=True)
class SiteRules:
    drop: tuple[str, ...] = ()  # CSS selectors of elements that are never the article
    date_order: str | None = None  # how the site writes numeric dates: DMY, MDY or YMD
    timezone: str | None = None  # IANA zone of times the site prints without an offset
    # Fingerprints (`boilerplate.fingerprint`) of paragraphs learnt as the site's own.
    boilerplate: frozenset[str] = field(default_factory=frozenset)
    # Whether to look for evidence of how the site writes numeric dates (the
    # archive is still learning it): costs reading the page's dateline.
    ask_date_order: bool = False

    def __post_init__(self) -> None:
        if self.date_order is not None and self.date_order not in DATE_ORDERS:
            raise ValueError(f"date_order must be one of {', '.join(DATE_ORDERS)}, not {self.date_order!r}")


@dataclass(frozen=True)
class Hints:
    published: str | None = None
    title: str | None = None
    origin: str = "feed"  # where the hints come from: "feed" or "sitemap"
    updated: str | None = None  # when it says the page last changed (re-checks read it)


NO_RULES = SiteRules()
NO_HINTS = Hints()
