"""The library's front door: an archive, opened from one Config, with every
operation as a method (the CLI and the demo call these and only print).

ARCHIVE/ (DESIGN.md, "Archive layout"):
  store.sqlite3   normalized articles, revisions, change log (the truth;
                  elsewhere when Config.store names another store)
  warc/           raw captures, append-only
  index/          the search index of the configured engine (Whoosh by
                  default), derived from the store
  writer.lock     held by the process writing the index
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from newsarchive.config import Config
from newsarchive.errors import ArchiveError, ArchiveMissing, BadInput, NoArticle, NotFound
from newsarchive.store import Store, open_store, shown, store_exists, store_url

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from typing import TextIO

    from newsarchive.alerts.watch import AlertRun
    from newsarchive.article import Article
    from newsarchive.capture.importer import ImportTally
    from newsarchive.capture.warc import CapturedPage, CaptureWriter
    from newsarchive.copies.relations import Relation
    from newsarchive.crawl.queue import JobQueue
    from newsarchive.crawl.run import CrawlResult, Target
    from newsarchive.dates import DateBound
    from newsarchive.doctor import Report
    from newsarchive.index.api import FacetCounts, Progress, SearchEngine, SearchPage, SearchRequest
    from newsarchive.lock import WriterLock
    from newsarchive.page import Page
    from newsarchive.pipeline import IntakeReport, Outcome, RenormalizeReport
    from newsarchive.sites.knowledge import Sites
    from newsarchive.sites.sources import Source
    from newsarchive.store import Alert, Cluster, StoredArticle, Version


class Archive:
    def __init__(self, config: Config):
        self.config = config
        self.root: Path = config.archive_dir

    @property
    def store_url(self) -> str:
        """Where the store is: the configured URL, else SQLite in the archive."""
        return store_url(self.config.store or self.root / "store.sqlite3")

    @property
    def index_dir(self) -> Path:
        return self.root / "index"

    @property
    def warc_dir(self) -> Path:
        """Where captures are written and read: the configured capture
        root, else ARCHIVE/warc (the store names files relative to it)."""
        return self.config.captures or self.root / "warc"

    @property
    def lock_path(self) -> Path:
        return self.root / "writer.lock"

    @property
    def sources_path(self) -> Path:
        return self.root / "sources.toml"

    def sites(self, store: Store) -> Sites:
        """Site knowledge for ingesting pages: the user's rules from
        sources.toml, and what the store has learnt."""
        from newsarchive.sites.knowledge import Sites
        from newsarchive.sites.sources import load_sources

        return Sites(store, load_sources(self.sources_path))

    def exists(self) -> bool:
        return store_exists(self.store_url)

    def require(self) -> None:
        """ArchiveMissing, saying how to make one, when there is no archive."""
        if self.exists():
            return
        if self.follows:
            raise ArchiveMissing(
                f"the store {shown(self.store_url)} holds no archive yet; crawl or add pages into it"
                " (from any machine), or name another with --store URL or $NEWSARCHIVE_STORE"
            )
        raise ArchiveMissing(
            f"there is no archive at {self.root}; add pages with `newsarchive add`"
            " or choose another with --archive DIR or $NEWSARCHIVE_HOME"
        )

    def open_store(self, *, create: bool = False) -> Store:
        """The store; `create` makes the archive on first use, otherwise a
        missing archive is an error that says how to make one."""
        if not create and not self.exists():
            self.require()
        if create:  # the machine's own directory, even when the store is shared and made already
            try:
                self.root.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise ArchiveError(f"cannot create the archive at {self.root}: {error.strerror}") from None
        return open_store(self.store_url)

    def queue(self, store: Store) -> JobQueue:
        """The crawl frontier's queue of the configured kind."""
        from newsarchive.crawl.queue import open_queue

        return open_queue(self.config.frontier, store)

    def writer_lock(self, purpose: str) -> WriterLock:
        from newsarchive.lock import WriterLock

        return WriterLock(self.lock_path, timeout=self.config.lock_timeout, purpose=purpose)

    # -- operations: pages into the archive ----------------------------------------

    def add(self, pages: Iterable[Page], *, each: Callable[[Outcome], None] | None = None) -> IntakeReport:
        """Take saved pages (`page.Page`) into the archive, the index
        following; `each` is called with every outcome as it comes."""
        from newsarchive.capture.warc import CaptureWriter

        with self.open_store(create=True) as store, CaptureWriter(self.warc_dir) as captures:
            report = self._intake(store, captures, pages, each, purpose="adding")
        return report

    def import_warcs(
        self,
        paths: Iterable[Path],
        *,
        each: Callable[[Outcome], None] | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> tuple[IntakeReport, ImportTally]:
        """Take the HTML responses of WARC files (e.g. CC-NEWS) into the
        archive; `progress` is called with the bytes read so far."""
        from newsarchive.capture.importer import ImportTally, warc_pages
        from newsarchive.capture.warc import CaptureWriter

        tally = ImportTally()
        with self.open_store(create=True) as store, CaptureWriter(self.warc_dir) as captures:
            pages = warc_pages(list(paths), store, tally, progress or (lambda done: None))
            report = self._intake(store, captures, pages, each, purpose="importing")
        return report, tally

    def _intake(
        self,
        store: Store,
        captures: CaptureWriter,
        pages: Iterable[Page],
        each: Callable[[Outcome], None] | None,
        *,
        purpose: str,
    ) -> IntakeReport:
        from newsarchive import procs
        from newsarchive.index import engine_class
        from newsarchive.index.follow import LIGHT_PAGES_PACE, PAGES_PACE, IndexFollower
        from newsarchive.pipeline import Intake, IntakeReport

        sites = self.sites(store)
        # Extraction is most of the work; an engine whose indexing is light
        # leaves it every core (Whoosh's indexing needs its share of one).
        light = engine_class(self.engine_name).light_indexing
        follower = IndexFollower(self, LIGHT_PAGES_PACE if light else PAGES_PACE, purpose=purpose)
        intake = Intake(store, captures, sites, follower=follower, workers=procs.cores() if light else None)
        outcomes = []
        try:
            for outcome in intake.ingest(pages):
                outcomes.append(outcome)
                if each is not None:
                    each(outcome)
            intake.close()
        finally:
            follower.close()
        return IntakeReport(outcomes, dict(sites.learnt), dict(sites.cleaned), self.catch_up(store))

    def renormalize(
        self, *, source: str | None = None, progress: Progress | None = None
    ) -> RenormalizeReport:
        """Re-read stored articles (of one source) from their captures with
        today's extractor, rules and learnt boilerplate; updates only what
        changed, as the same version, and indexes the changes. Counts by
        outcome: "updated", "unchanged", and "kept: ..." for articles left
        as they were (no capture, an unreadable one, or no longer an
        article)."""
        from collections import Counter

        from newsarchive.capture.warc import read_capture
        from newsarchive.dates import now_iso
        from newsarchive.errors import CaptureError
        from newsarchive.extract import extract_article
        from newsarchive.page import Page
        from newsarchive.pipeline import Intake, RenormalizeReport

        with self.open_store() as store:
            if source and not store.count(source=source):
                raise BadInput(f"the archive holds no articles of {source!r}; see `newsarchive stats`")
            sites = self.sites(store)
            # What the stored articles already teach; applied by re-reading below.
            sites.learn([source] if source else store.sources(), now=now_iso(), clean_stored=False)
            intake = Intake(store, None, sites, versions=False)
            total = store.count(source=source)
            counts: Counter = Counter()
            for done, article in enumerate(store.iter_articles(source=source), start=1):
                if progress:
                    progress(done, total)
                known = store.capture_of(article.id)
                if known is None or known[1] is None:
                    counts["kept: no capture"] += 1
                    continue
                try:
                    page = read_capture(self.warc_dir, known[1])
                except CaptureError:
                    counts["kept: capture unreadable"] += 1
                    continue
                try:
                    fresh = extract_article(
                        page.payload, article.url, content_type=page.content_type, fetched=article.fetched,
                        rules=sites.rules_for(article.url),
                    )  # fmt: skip
                except NoArticle as refused:
                    counts[f"kept: now {refused.reason}"] += 1
                    continue
                outcome = intake.take(
                    Page(article.url, page.payload, article.url), fresh, keep_identity=article
                )
                counts[outcome.status] += 1
            return RenormalizeReport(counts, dict(sites.learnt), self.catch_up(store))

    def crawl(
        self,
        targets: Sequence[str | Target],
        *,
        max_pages: int | None = None,
        max_articles: int | None = None,
        since: DateBound | None = None,
        overrides: dict[str, str] | None = None,
        recheck_only: bool = False,
    ) -> list[CrawlResult]:
        """Crawl sites into the archive, each target as its own job: web
        addresses, names of sources in sources.toml, or `crawl.run.Target`s.
        Runs Scrapy's engine in this process (once per process: Twisted's
        reactor cannot restart). `recheck_only`: fetch only the archived
        articles due for a re-check."""
        from newsarchive.crawl.run import Target, resolve_targets, run_crawls
        from newsarchive.sites.sources import load_sources

        named = tuple(t for t in targets if isinstance(t, str))
        chosen = [t for t in targets if isinstance(t, Target)]
        if named:
            chosen += resolve_targets(named, load_sources(self.sources_path))
        return run_crawls(
            self, chosen, max_pages=max_pages, max_articles=max_articles, since=since, overrides=overrides,
            recheck_only=recheck_only,
        )  # fmt: skip

    # -- operations: following sites ------------------------------------------------

    def follow(
        self,
        name: str,
        urls: list[str],
        *,
        every: str | None = None,
        cron: str | None = None,
        settings: dict[str, str] | None = None,
    ) -> Source:
        """Follow a site: a named source in sources.toml, with its schedule."""
        from newsarchive.sites.sources import add_source

        return add_source(self.sources_path, name, urls, every=every, cron=cron, settings=settings)

    def unfollow(self, name: str) -> None:
        """Stop following a source; its articles stay."""
        from newsarchive.sites.sources import remove_source

        remove_source(self.sources_path, name)

    def schedule(
        self, *, once: bool = False, max_parallel: int = 2, say: Callable[[str], None] = print
    ) -> tuple[int, int]:
        """Crawl each source when it is due, as child processes, until
        stopped (or, `once`, what is due now); (exit code, failed crawls)."""
        from newsarchive.schedule.scheduler import Scheduler
        from newsarchive.sites.sources import load_sources

        if not any(source.schedule for source in load_sources(self.sources_path)):
            raise BadInput(
                "no source has a schedule; add one with `newsarchive sources add NAME URL --every 1h`"
            )
        scheduler = Scheduler(self, max_parallel=max_parallel, say=say)
        code = scheduler.run_once() if once else scheduler.run_forever()
        return code, scheduler.failures

    def schedule_units(self, kind: str) -> str:
        """The line for cron ("cron") or the units for systemd ("systemd")
        that run `newsarchive schedule` for this archive."""
        from newsarchive.schedule.scheduler import cron_line, systemd_units

        return cron_line(self) if kind == "cron" else systemd_units(self)

    # -- operations: what the archive knows ---------------------------------------------

    def runs(self, *, source: str | None = None, limit: int = 20) -> list[dict]:
        """Crawl runs, newest first."""
        with self.open_store() as store:
            return store.runs(source=source, limit=limit)

    def followed(self) -> list[dict]:
        """The sources of sources.toml, each with its last run, when it is
        due next and how many articles the archive holds of it."""
        from datetime import datetime

        from newsarchive.sites.sources import load_sources

        listed = load_sources(self.sources_path)
        store = self.open_store() if self.exists() else None
        records = []
        try:
            for source in listed:
                last = store.runs(source=source.name, limit=1) if store else []
                started = datetime.fromisoformat(last[0]["started"]) if last else None
                due = source.schedule.next_due(started) if source.schedule else None
                records.append(
                    {
                        "name": source.name,
                        "urls": list(source.urls),
                        "schedule": source.schedule.describe() if source.schedule else None,
                        "last_run": {k: last[0][k] for k in ("started", "finished", "status", "new")}
                        if last
                        else None,
                        "next_due": (due.isoformat() if due and due.year > 1 else "now") if due else None,
                        "articles": sum(store.count(source=host) for host in source.hosts) if store else 0,
                    }
                )
        finally:
            if store:
                store.close()
        return records

    def site_knowledge(self, source: str | None = None) -> list[dict]:
        """Each site's rules and what was learnt of it (of one site, if given)."""
        with self.open_store() as store:
            known = self.sites(store)
            names = [source] if source else sorted({*store.known_sites(), *known.with_rules()})
            return [known.knowledge(name) for name in names]

    def forget(self, source: str, entry: str) -> str:
        """Unlearn a site's paragraph (by its id) or its date order; what was forgotten."""
        from newsarchive.dates import now_iso

        with self.open_store() as store:
            return self.sites(store).forget(source, entry, now=now_iso())

    def check(self, *, repair: bool = False, progress: Callable[[str], None] | None = None) -> Report:
        """Whether the store, the captures and the index agree; `repair`
        mends what can be mended (nothing stored is lost)."""
        from newsarchive.doctor import examine

        with self.open_store() as store:
            return examine(self, store, repair=repair, progress=progress)

    # -- operations: alerts ---------------------------------------------------------

    @property
    def alerts_dir(self) -> Path:
        return self.root / "alerts"

    def add_alert(self, name: str, query: str, filters: dict, command: str | None) -> tuple[Alert, int]:
        """Save a search to watch; the alert and how many articles match
        it already (never reported: it watches for what comes next)."""
        from newsarchive.alerts.watch import FILTERS, check_name, request_of
        from newsarchive.dates import now_iso
        from newsarchive.store import Alert

        check_name(name)
        kept = {key: value for key, value in filters.items() if key in FILTERS and value}
        alert = Alert(name, query, kept, command or None, created=now_iso())
        with self.open_store(create=True) as store:
            self.catch_up(store)
            engine = self.engine(store)
            state = engine.state()
            matching = engine.matching_ids(request_of(alert))  # a bad query or date is refused here
            alert = alert._replace(last_seq=state.seq if state else 0)
            store.add_alert(alert, matching)
        return alert, len(matching)

    def alerts(self) -> list[Alert]:
        with self.open_store() as store:
            return store.alerts()

    def remove_alert(self, name: str) -> None:
        with self.open_store() as store:
            if not store.remove_alert(name):
                raise NotFound(f"no alert named {name!r}; `newsarchive alerts list` shows them")

    def run_alerts(self, name: str | None = None) -> list[AlertRun]:
        """Run every alert (or one): each one's new matches, appended to
        ARCHIVE/alerts/NAME.jsonl and given to its command. One run at a
        time, so none reports an article twice."""
        from newsarchive.alerts.deliver import append, run_command
        from newsarchive.alerts.watch import AlertRun, new_matches, request_of
        from newsarchive.dates import now_iso
        from newsarchive.index.records import hit_record
        from newsarchive.lock import WriterLock

        self.alerts_dir.mkdir(parents=True, exist_ok=True)
        lock = WriterLock(
            self.alerts_dir / ".lock",
            timeout=self.config.lock_timeout,
            purpose="running alerts",
            what="the alerts",
        )
        runs = []
        with lock, self.open_store() as store:
            chosen = [alert for alert in store.alerts() if name is None or alert.name == name]
            if name is not None and not chosen:
                raise NotFound(f"no alert named {name!r}; `newsarchive alerts list` shows them")
            behind = self.catch_up(store) if chosen else None
            engine = self.engine(store)
            state = engine.state()
            for alert in chosen:
                verdict = new_matches(engine, store, alert, state.seq if state else 0)
                records: list[dict] = []
                if verdict.reported:
                    request = request_of(alert)._replace(
                        ids=frozenset(verdict.reported), limit=len(verdict.reported)
                    )
                    hits = {hit.article.id: hit for hit in engine.search(request).hits}
                    clusters = store.clusters_of(verdict.reported)
                    records = [
                        {**hit_record(hits[i], clusters), "alert": alert.name}
                        for i in verdict.reported
                        if i in hits
                    ]
                if records:
                    append(self.alerts_dir / f"{alert.name}.jsonl", records)
                store.alert_ran(
                    alert.name,
                    seq=verdict.seq,
                    now=now_iso(),
                    reported=verdict.reported,
                    passed=verdict.passed,
                )
                ran = (
                    run_command(alert.command, alert.name, records, self.root)
                    if records and alert.command
                    else None
                )
                runs.append(AlertRun(alert, records, len(verdict.passed), ran, behind))
        return runs

    # -- operations: the index --------------------------------------------------------

    @property
    def engine_name(self) -> str:
        """The configured engine, else the one the index was built with
        (so `reindex --engine` sticks), else the default."""
        from newsarchive.index import DEFAULT_ENGINE
        from newsarchive.index.generations import live
        from newsarchive.index.state import read_state

        if self.config.engine:
            return self.config.engine
        where = live(self.index_dir)
        state = read_state(where) if where else None
        return state.engine if state else DEFAULT_ENGINE

    def engine(self, store: Store, name: str | None = None) -> SearchEngine:
        """The index engine (`name`, else `engine_name`) over this archive's index."""
        from newsarchive.index import open_engine

        return open_engine(name or self.engine_name, self.index_dir, store)

    @property
    def follows(self) -> bool:
        """Whether this archive's index follows a store other machines write
        (team mode): commands that read the index catch it up first."""
        return not self.store_url.startswith("sqlite:")

    def follow_store(self, store: Store) -> SearchEngine:
        """The engine, caught up with a shared store's changes first when
        this machine follows one. Another command of this machine already
        catching up is not waited for: the index answers as it is."""
        engine = self.engine(store)
        if not self.follows:
            return engine
        from newsarchive.index.api import is_current
        from newsarchive.index.follow import catch_up_locked

        state = engine.state()
        if state is None or not is_current(engine, state, store.store_id) or state.seq < store.last_seq():
            try:
                self.root.mkdir(parents=True, exist_ok=True)  # a new follower's first command
            except OSError as error:
                raise ArchiveError(f"cannot create the archive at {self.root}: {error.strerror}") from None
            catch_up_locked(engine, store, self.lock_path, wait=0, purpose="following the store")
        return engine

    def search(self, request: SearchRequest) -> SearchPage:
        """One page of hits for a query (a `SearchRequest`): one per story
        (copies folded, copies/fold.py) unless it asks for all copies."""
        with self.open_store() as store:
            engine, resolved = self.follow_store(store), _resolved(request, store)
            if request.all_copies:
                page = engine.search(resolved)
                return page._replace(clusters=store.clusters_of(hit.article.id for hit in page.hits))
            from newsarchive.copies.fold import folded_search

            return folded_search(engine, store, resolved)

    def facets(self, request: SearchRequest, fields: Sequence[str]) -> FacetCounts:
        """Every match counted per value of `fields` (index.api.FACET_FIELDS),
        by the index."""
        with self.open_store() as store:
            return self.follow_store(store).facets(_resolved(request, store), fields)

    def export(self, request: SearchRequest, fmt: str, stream: TextIO) -> int:
        """Write the matching articles (all with an empty request) to
        `stream` as "jsonl" or "csv"; the number written."""
        from newsarchive.export import write_records

        with self.open_store() as store:
            return write_records(self.follow_store(store), store, _resolved(request, store), fmt, stream)

    def show(self, ref: str) -> StoredArticle:
        """The stored article an id, id prefix or URL names (`StoredArticle`)."""
        with self.open_store() as store:
            article_id = store.resolve(ref)
            stored = store.get(article_id) if article_id else None
        if stored is None:
            raise NotFound(f"no article in the archive matches {ref!r}; find it with `newsarchive search`")
        return stored

    def captured(self, stored: StoredArticle, version: int | None = None) -> CapturedPage:
        """The page a stored article (or one of its versions) was read
        from, as it was archived."""
        from newsarchive.capture.warc import read_capture

        capture = stored.capture if version is None else self.version(stored, version).capture
        if capture is None:
            raise NotFound(f"article {stored.article.id} has no captured page")
        return read_capture(self.warc_dir, capture)

    def copies(self, stored: StoredArticle) -> tuple[Cluster | None, list[tuple[Article, Relation | None]]]:
        """An article's cluster and the other articles in it, oldest
        first, each with how it relates to this one (None: only through
        other copies)."""
        from newsarchive.copies.finder import copy_relation

        with self.open_store() as store:
            cluster = store.clusters_of([stored.article.id]).get(stored.article.id)
            if cluster is None:
                return None, []
            others = store.get_many(m for m in cluster.members if m != stored.article.id)
        ordered = [others[m] for m in cluster.members if m in others]
        # Each copy as it relates to this article (trimmed: cut from it).
        return cluster, [(other, copy_relation(other.text, stored.article.text)) for other in ordered]

    def versions(self, stored: StoredArticle, *, notes: bool = False) -> list[Version]:
        """An article's versions, oldest first; with `notes`, the fetches
        that made no version among them (store.Version)."""
        with self.open_store() as store:
            return store.versions(stored.article.id, notes=notes)

    def version(self, stored: StoredArticle, number: int, among: list[Version] | None = None) -> Version:
        """One version of an article, by number (negative: from the latest);
        `among`: its versions, when they were read already."""
        from newsarchive.versions.report import pick

        found = self.versions(stored) if among is None else among
        chosen = pick(found, number)
        if chosen is None:
            raise NotFound(f"article {stored.article.id} has versions 1 to {len(found)}, not {number}")
        return chosen

    @property
    def before_indexing(self) -> Callable[[Store], object] | None:
        """What runs before each index catch-up: linking the articles
        stored since to their copies (copies/link.py), unless turned off."""
        if not self.config.copies:
            return None
        from newsarchive.copies.link import link_pending

        return link_pending

    def catch_up(self, store: Store) -> str | None:
        """Bring the index up to the store, waiting for the writer lock as
        long as configured: why it could not, or None."""
        from newsarchive.index.follow import catch_up_locked

        busy = catch_up_locked(
            self.engine(store), store, self.lock_path, wait=self.config.lock_timeout, purpose="indexing",
            before=self.before_indexing,
        )  # fmt: skip
        if busy is None:
            return None
        return f"{busy}. The next command that writes, or `newsarchive reindex`, will index them"

    def reindex(self, progress: Progress | None = None, *, engine_name: str | None = None) -> int:
        """Rebuild the index from the store aside and swap it in (searches
        keep answering meanwhile); the number of articles indexed.
        `engine_name` switches the archive to that engine from now on.
        `progress` is called with (done, total)."""
        with self.open_store() as store:
            engine = self.engine(store, engine_name)
            total = store.count()
            if progress:
                progress(0, total)
            with self.writer_lock("rebuilding the index"):
                if self.before_indexing is not None:
                    self.before_indexing(store)
                return engine.rebuild(progress, workers=engine.parallel_workers(total))

    def stats(self) -> dict:
        """What the archive holds, the index's health and the crawls'."""
        from newsarchive import index
        from newsarchive.index.api import is_current

        with self.open_store() as store:
            numbers = store.stats()
            engine = self.engine(store)
            state = engine.state()
            present = is_current(engine, state, store.store_id)
            numbers["index"] = {
                "engine": engine.name,
                "present": present,
                "behind": store.last_seq() - state.seq if present and state else None,
            }
            if engine.name == "whoosh" and numbers["articles"] > index.WHOOSH_COMFORT:
                numbers["index"]["suggest"] = index.SWITCH
            pending = self.queue(store).jobs()
            numbers["crawls"] = [
                # found, not fetched yet: the next crawl resumes them
                {**health, "pending": pending.get(health["source"], 0)}
                for health in store.crawl_health()
            ]
            numbers["queued"] = sum(pending.values())
            # Crawl runs alive now, on any machine that shares the store.
            from newsarchive.crawl.settings import TEAM_STALE_SECONDS

            numbers["crawlers"] = store.crawlers(stale=TEAM_STALE_SECONDS)
        numbers["archive"] = str(self.root)
        numbers["store"] = shown(self.store_url)
        return numbers


def _resolved(request: SearchRequest, store: Store) -> SearchRequest:
    """The request as an engine takes it: --changed-since as the ids of the
    articles that changed since then (the store knows; the index does not)."""
    if request.changed_since is None:
        return request
    from datetime import UTC

    start = request.changed_since.start
    moment = (start.replace(tzinfo=UTC) if start.tzinfo is None else start.astimezone(UTC)).isoformat()
    changed = frozenset(store.changed_since(moment))
    ids = changed if request.ids is None else changed & request.ids
    return request._replace(changed_since=None, ids=ids)
