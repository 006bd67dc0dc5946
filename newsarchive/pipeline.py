"""The one way a page becomes a stored article, for add, import, crawl and
renormalize alike: extract, finish (the site's learnt boilerplate out),
capture (when the archive does not hold these bytes yet), put, learn what
the site repeats, and let the index follow.

`Intake.take` is that path for one page and its extraction; each entry
point only says where pages come from and what policy differs (a crawl
has captured every response already; renormalize keeps each article's
identity and makes no new version). Indexing is not part of the
acknowledgement: a page counts once its row is committed, and the index
follows from the store's change log (index/follow.py).

Extraction (pure, CPU-bound: trafilatura, lxml, htmldate) runs in worker
processes beside the crawl's reactor or the command that stores what they
make (`Extraction` for the crawl, `extracted_in_order` for add and import);
what comes back is an Article, or the NoArticle that says why there is
none. Pools are replaced every few hundred pages (so no library cache grows
through a long crawl; done by starting a new pool, as the pool's own
`max_tasks_per_child` can deadlock on Python 3.11).
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from newsarchive import procs
from newsarchive.article import Article
from newsarchive.capture.warc import Capture, CaptureWriter, payload_digest
from newsarchive.dates import now_iso
from newsarchive.errors import NoArticle
from newsarchive.page import Page
from newsarchive.sites.knowledge import Sites
from newsarchive.store import Articles

# At most this many extraction processes: past it, the reactor (one core)
# is the limit, not extraction.
MAX_PROCESSES = 4
# Pages one worker process extracts before it is replaced.
PAGES_PER_PROCESS = 500
# `add` and `import` extract this many pages themselves before starting
# workers: a few pages are not worth the start.
INLINE_FIRST = 20
# What extraction workers import once, in their fork server.
PRELOAD = ["newsarchive.extract"]

# Pages between two rounds of learning each site's boilerplate, so a long
# run starts cleaning its articles early.
LEARN_EVERY = 100

Extracted = Article | NoArticle


@dataclass(frozen=True)
class Outcome:
    name: str
    status: str  # "new", "updated", "unchanged" or "skipped"
    article_id: str | None = None
    title: str | None = None
    reason: str | None = None  # why it was skipped, as a stable token
    message: str | None = None  # the same in words
    access: str = "free"  # "paywalled" or "login": kept, but only a teaser was shown
    # For an article stored before: what this fetch was to it (versions/
    # classify.py's Verdict kind: same, version, revert, append, degraded).
    version: str | None = None


class Intake:
    """Takes pages and their extractions into the archive, one at a time.

    `versions`: a changed article keeps its old text as a revision (off
    for renormalize, which re-reads the same capture). `follower`: told of
    every article stored, so the index can follow (index/follow.py). Sites
    touched are learnt every LEARN_EVERY pages and at `close`."""

    def __init__(
        self,
        store: Articles,
        captures: CaptureWriter | None,
        sites: Sites,
        *,
        versions: bool = True,
        follower=None,
        workers: int | None = None,
    ):
        self.store, self.captures, self.sites = store, captures, sites
        self.versions = versions
        self.follower = follower
        self.workers = workers  # extraction processes for `ingest`; None: one per core but one
        self.touched: set[str] = set()
        self._taken = 0

    def take(
        self,
        page: Page,
        extracted: Extracted,
        *,
        keep_identity: Article | None = None,
        known: str | None = None,
    ) -> Outcome:
        """One page's extraction into the store: the outcome. `keep_identity`:
        the stored article this is a new reading of (its id, URLs and source
        stay whatever the new reading says). `known`: the id of the archived
        article this page was fetched again for (a re-check); a page that
        shows none now is a degraded fetch of it."""
        self._taken += 1
        if self._taken % LEARN_EVERY == 0:
            self.learn()
        if page.unreadable:
            return Outcome(page.name, "skipped", reason="unreadable", message=page.unreadable)
        if isinstance(extracted, NoArticle):
            if known is not None:  # a wall, an error page: kept as a note, the article as it was
                self.store.note_version(
                    known, now=now_iso(), note="degraded", reason=extracted.reason, capture=page.capture
                )
                return Outcome(page.name, "unchanged", known, reason=extracted.reason, version="degraded")
            return Outcome(page.name, "skipped", reason=extracted.reason, message=str(extracted))
        now = now_iso()
        article = extracted
        if page.url is None and keep_identity is None and self.sites.has_user_rules(article.source):
            # Its site became known only from the page itself: read it
            # again with the rules the user wrote for that site.
            from newsarchive.extract import extract_article

            try:
                article = extract_article(
                    page.body, article.url, content_type=page.content_type, fetched=page.fetched or now,
                    rules=self.sites.rules_of(article.source),
                )  # fmt: skip
            except NoArticle as refused:
                return Outcome(page.name, "skipped", reason=refused.reason, message=str(refused))
        if keep_identity is not None:
            article = article.replace(
                url=keep_identity.url,
                canonical_url=keep_identity.canonical_url,
                source=keep_identity.source,
                provenance={
                    **article.provenance,
                    "canonical_url": keep_identity.provenance.get("canonical_url", "stored"),
                },
            )
        article = self.sites.finish(article)
        self.touched.add(article.source)
        if self.versions:
            # Its hash first (no text read): most pages are new or unchanged.
            known_hash = self.store.capture_of(article.id)
            if known_hash is not None and known_hash[0] != article.content_hash:
                stored = self.store.get(article.id)
                if stored is not None:
                    return self._edit(page, stored.article, article, now)
        result = self.store.put(
            article, now=now, capture=self._capture(page, article, now), keep_revision=self.versions
        )
        self._stored(result.status)
        version = "same" if result.status == "unchanged" else None
        return Outcome(
            page.name, result.status, article.id, article.title, access=article.access, version=version
        )

    def _stored(self, status: str) -> None:
        if status == "unchanged":
            return
        if self.follower is not None:
            self.follower.stored()

    def _edit(self, page: Page, current: Article, article: Article, now: str) -> Outcome:
        """A new reading of a stored article whose text differs: noise, a
        new version, a revert, a live blog's new entries, or a degraded
        fetch (versions/classify.py says which)."""
        from newsarchive.versions.classify import classify, judge
        from newsarchive.versions.noise import reading

        old, new = (
            reading(current.title, current.subtitle, current.text),
            reading(article.title, article.subtitle, article.text),
        )
        earlier: dict[str, int] = {}
        for version in self.store.versions(article.id):
            key = reading(version.title, version.subtitle, version.text).key
            if key != old.key:
                earlier.setdefault(key, version.number or 0)
        verdict = judge(
            old, new, earlier=earlier, current_access=current.access, new_access=article.access,
            live=bool(article.provenance.get("live")),
        )  # fmt: skip
        capture = self._capture(page, article, now)
        status = "unchanged"
        if verdict.kind == "degraded":
            self.store.note_version(
                article.id, now=now, note="degraded", reason=verdict.reason, capture=capture
            )
        elif verdict.kind == "same":
            # Only noise differs: the stored text stays, the rest is this reading's.
            kept = article.replace(title=current.title, subtitle=current.subtitle, text=current.text)
            status = self.store.put(kept, now=now).status
        elif verdict.kind == "version":
            kind = classify(old, new, old_modified=current.modified, new_modified=article.modified)
            status = self.store.put(
                article, now=now, capture=capture, changes=kind.changes, detail=kind.detail
            ).status
        else:  # a revert or a live blog's appended entries: the page as it is, no new version
            status = self.store.put(article, now=now, capture=capture, keep_revision=False).status
            note = "reverted" if verdict.kind == "revert" else "appended"
            added = len(new.paragraphs) - len(old.paragraphs)
            reason = f"{added} new paragraph{'s' if added != 1 else ''}" if note == "appended" else None
            self.store.note_version(
                article.id, now=now, note=note, version=verdict.version, reason=reason, capture=capture
            )
        self._stored(status)
        return Outcome(
            page.name, status, article.id, article.title, access=article.access, version=verdict.kind,
            message=verdict.reason or None,
        )  # fmt: skip

    def _capture(self, page: Page, article: Article, now: str) -> Capture | None:
        """Where the page's bytes are kept: where a crawl captured them, or
        a new record when the archive holds neither these bytes nor a capture
        from which the same article was read; None keeps what is stored."""
        if page.capture is not None or self.captures is None:
            return page.capture
        known = self.store.capture_of(article.id)
        if known is not None:
            stored_hash, capture = known
            if (
                capture is not None
                and capture.digest == payload_digest(page.body)
                or stored_hash == article.content_hash
            ):
                return None
        if page.http is not None:
            return self.captures.write_exchange(page.http, with_request=False)
        return self.captures.write_resource(
            article.url, page.body, content_type=page.content_type or "text/html", date=now
        )

    def learn(self, sources=None) -> None:
        """Learn the boilerplate of the sites touched (or of `sources`)."""
        self.sites.learn(self.touched if sources is None else sources, now=now_iso())

    def close(self) -> None:
        """Learn what the pages taught; let the follower finish its round."""
        self.learn()
        if self.follower is not None:
            self.follower.settle()

    def ingest(self, pages: Iterable[Page]) -> Iterator[Outcome]:
        """Pages extracted a few ahead in worker processes, taken in order."""

        def arguments(page: Page):
            if page.unreadable:
                return None
            rules = self.sites.rules_for(page.url)
            return page.body, page.url, page.content_type, page.fetched or now_iso(), rules, page.hints

        for page, extracted in extracted_in_order(pages, arguments, self.workers):
            yield self.take(page, extracted)


class Extraction:
    """The crawl's extraction workers. A worker that dies (a page that
    crashes a C library, the kernel's OOM killer) breaks a process pool for
    every page in flight: the pool is then replaced and those pages are
    tried once more, so only a page that kills its worker twice fails."""

    def __init__(self):
        self._executor, self._capacity = _executor()
        self._submitted = 0

    async def extract(
        self, body: bytes, url: str, content_type: str | None, fetched: str, rules, hints
    ) -> Extracted:
        self._submitted += 1
        if self._submitted > self._capacity:
            # The old pool's workers finish what they were given, then exit.
            self._executor.shutdown(wait=False)
            self._executor, self._capacity = _executor()
            self._submitted = 1
        for attempt in (1, 2):
            executor = self._executor
            try:
                future = executor.submit(extract_page, body, url, content_type, fetched, rules, hints)
                return await asyncio.wrap_future(future)
            except BrokenProcessPool:
                if executor is self._executor:  # the first page to notice replaces the pool
                    executor.shutdown(wait=False, cancel_futures=True)
                    self._executor, self._capacity = _executor()
                    self._submitted = 0
                if attempt == 2:
                    return NoArticle("extraction-crashed", "extraction crashed on this page twice")
        raise AssertionError("unreachable")

    def shutdown(self) -> None:
        self._executor.shutdown()


def extracted_in_order(items: Iterable, arguments: Callable, workers: int | None = None) -> Iterator[tuple]:
    """(item, outcome of `extract_page`) for each item, in order; `arguments`
    gives an item's arguments to `extract_page`, or None for an item not to
    extract (its outcome is None). Past the first pages, `workers` processes
    (default: one per core but one) extract a few pages ahead of the
    caller; at most that many pages are held."""
    items = iter(items)
    for item in itertools.islice(items, INLINE_FIRST):
        args = arguments(item)
        yield item, extract_page(*args) if args is not None else None
    workers = min(workers or _processes(), MAX_PROCESSES)
    executor, _ = _executor(workers)
    ahead = 2 * workers + 2
    pending: deque = deque()
    try:
        for item in items:
            args = arguments(item)
            if args is None:
                pending.append((item, None, None))
            else:
                try:
                    pending.append((item, args, executor.submit(extract_page, *args)))
                except BrokenProcessPool:  # a worker died: go on without workers
                    executor.shutdown(wait=False, cancel_futures=True)
                    executor = ThreadPoolExecutor(max_workers=1)
                    pending.append((item, args, executor.submit(extract_page, *args)))
            while len(pending) > ahead:
                yield _settled(*pending.popleft())
        while pending:
            yield _settled(*pending.popleft())
    finally:
        executor.shutdown(cancel_futures=True)


def _settled(item, args, future):
    if future is None:
        return item, None
    try:
        return item, future.result()
    except BrokenProcessPool:  # its worker died (perhaps of this page): once more, here
        return item, extract_page(*args)


def _processes() -> int:
    return min(MAX_PROCESSES, procs.cores() - 1) if procs.cores() > 1 else 1


def _executor(workers: int | None = None) -> tuple[Executor, float]:
    """A new pool (of `workers`, else one per core the reactor leaves), and
    how many pages it takes before it is replaced."""
    workers = workers or _processes()
    executor = procs.pool(workers, PRELOAD, name="extract")
    if isinstance(executor, ThreadPoolExecutor):
        return executor, float("inf")
    return executor, PAGES_PER_PROCESS * workers


def extract_page(body: bytes, url: str, content_type: str | None, fetched: str, rules, hints) -> Extracted:
    """Extraction of one fetched page, in a worker: the Article, or the
    NoArticle that says why there is none (it crosses the process boundary
    whole)."""
    from newsarchive.extract import Hints, extract_article

    try:
        return extract_article(
            body,
            url,
            content_type=content_type,
            fetched=fetched,
            rules=rules,
            hints=Hints(**hints) if hints else Hints(),
        )
    except NoArticle as refused:
        return refused


@dataclass
class IntakeReport:
    """What `add` and `import` did: each page's outcome, what was learnt
    about its site, and whether the index could follow."""

    outcomes: list
    learnt: dict[str, int] = field(default_factory=dict)  # boilerplate paragraphs learnt, per source
    cleaned: dict[str, int] = field(default_factory=dict)  # stored articles they were taken out of
    index_error: str | None = None

    def counts(self, *, readable_only: bool = False) -> dict[str, int]:
        chosen = [o for o in self.outcomes if not (readable_only and o.reason == "unreadable")]
        return {
            status: sum(o.status == status for o in chosen)
            for status in ("new", "updated", "unchanged", "skipped")
        }

    def reasons(self, *, readable_only: bool = False) -> dict[str, int]:
        found = Counter(
            o.reason for o in self.outcomes if o.reason and not (readable_only and o.reason == "unreadable")
        )
        return dict(found.most_common())


@dataclass
class RenormalizeReport:
    counts: Counter
    learnt: dict[str, int]
    index_error: str | None
