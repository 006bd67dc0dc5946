"""A page on its way into the archive: the input of the one ingest path
(pipeline.py), made by `add`, `import`, the crawl and `renormalize`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsarchive.capture.warc import Exchange
    from newsarchive.store import Capture


@dataclass(frozen=True)
class Page:
    """A page to take into the archive: its bytes and what is known about
    where it came from."""

    name: str  # what the user calls it: a file name, "-", a URL
    body: bytes
    url: str | None = None
    content_type: str | None = None
    unreadable: str | None = None  # why the bytes could not be had, if so
    http: Exchange | None = None  # the HTTP response it came in, when known
    fetched: str | None = None  # when it was captured, if not now
    capture: Capture | None = None  # where its bytes are kept already (a crawl captures every response)
    hints: dict | None = None  # what a feed or sitemap said of it
