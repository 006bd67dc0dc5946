"""The one path every page takes into the archive: extract, capture, store.

Indexing follows separately (`index.writer.catch_up`), from the store's
change log, so a page is acknowledged once its row is committed, and an
index that falls behind (a busy lock, a killed process) catches up later.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsarchive.capture import CaptureWriter, Exchange, payload_digest
from newsarchive.dates import now_iso
from newsarchive.errors import NoArticle
from newsarchive.sites import Sites
from newsarchive.store import Store
from newsarchive.workers import extracted_in_order

# Learn site boilerplate after this many pages, not only at the end, so a
# long run starts cleaning its articles early.
LEARN_EVERY = 100


@dataclass(frozen=True)
class Page:
    """A page to ingest: its bytes and what is known about where it came from."""

    name: str  # what the user calls it: a file name, "-", a URL
    body: bytes
    url: str | None = None
    content_type: str | None = None
    unreadable: str | None = None  # why the bytes could not be had, if so
    http: Exchange | None = None  # the HTTP response it came in, when known
    fetched: str | None = None  # when it was captured, if not now


@dataclass(frozen=True)
class Outcome:
    name: str
    status: str  # "new", "updated", "unchanged" or "skipped"
    article_id: str | None = None
    title: str | None = None
    reason: str | None = None  # why it was skipped, as a stable token
    message: str | None = None  # the same in words
    access: str = "free"  # "paywalled" or "login": kept, but only a teaser was shown


def ingest(pages: Iterable[Page], store: Store, captures: CaptureWriter, sites: Sites) -> Iterator[Outcome]:
    """Normalize pages into the store, keeping each article's raw page.

    Pages holding no article are skipped with their reason and not kept; a
    page adds a capture only when it brings bytes or content the archive
    does not hold yet. Each page is read with what is known of its site,
    and what the pages teach about their sites is learnt as they go.
    """
    from newsarchive.extract import extract_article

    def arguments(page: Page):
        if page.unreadable:
            return None
        return page.body, page.url, page.content_type, now_iso(), sites.rules_for(page.url), None

    touched: set[str] = set()
    for number, (page, extracted) in enumerate(extracted_in_order(pages, arguments), start=1):
        if number % LEARN_EVERY == 0:
            sites.learn(touched, now=now_iso())
        if page.unreadable:
            yield Outcome(page.name, "skipped", reason="unreadable", message=page.unreadable)
            continue
        now = now_iso()
        fetched = page.fetched or now
        if extracted[0] == "refused":
            yield Outcome(page.name, "skipped", reason=extracted[1], message=extracted[2])
            continue
        article = extracted[1]
        if page.url is None and sites.has_user_rules(article.source):
            # Its site became known only from the page itself: read it
            # again with the rules the user wrote for that site.
            try:
                article = extract_article(
                    page.body, article.url, content_type=page.content_type, fetched=fetched,
                    rules=sites.rules_of(article.source),
                )  # fmt: skip
            except NoArticle as rejected:
                yield Outcome(page.name, "skipped", reason=rejected.reason, message=str(rejected))
                continue
        article = sites.finish(article)
        touched.add(article.source)
        capture = None
        if _needs_capture(store.capture_of(article.id), article.content_hash, page.body):
            if page.http is not None:
                capture = captures.write_exchange(page.http, with_request=False)
            else:
                capture = captures.write_resource(
                    article.url, page.body, content_type=page.content_type or "text/html", date=now
                )
        result = store.put(article, now=now, capture=capture)
        yield Outcome(page.name, result.status, article.id, article.title, access=article.access)
    sites.learn(touched, now=now_iso())


def _needs_capture(known, content_hash: str, body: bytes) -> bool:
    """Keep these bytes unless the archive already holds them, or holds a
    capture from which the same article content was extracted."""
    if known is None:
        return True
    stored_hash, capture = known
    if capture is None:
        return True
    return capture.digest != payload_digest(body) and stored_hash != content_hash
