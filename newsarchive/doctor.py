"""`newsarchive doctor`: do the store, the captures and the index agree?

Each check reports what is wrong and what `--repair` does about it. Repairs
never lose data: the index is derived (caught up or rebuilt from the
store), a WARC file's cut-off last record belongs to no article (a killed
writer left it) and is trimmed off so other tools read the file, runs left
"running" by a dead process are marked interrupted. What cannot be mended
here (a damaged store, a lost capture) is said, with what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from newsarchive.capture.warc import read_capture, tail_problem
from newsarchive.dates import now_iso
from newsarchive.errors import ArchiveBusy, CaptureError
from newsarchive.index.api import SearchEngine
from newsarchive.lock import is_held
from newsarchive.procs import process_alive, this_machine
from newsarchive.store import Store

if TYPE_CHECKING:
    from newsarchive.archive import Archive

Progress = Callable[[str], None]


@dataclass
class Finding:
    check: str  # store, captures, warc, index, runs, locks
    problem: str
    repair: str | None = None  # what --repair does; None when it cannot
    repaired: bool = False


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)
    engine: str = ""  # the index engine checked

    @property
    def healthy(self) -> bool:
        return all(f.repaired for f in self.findings)

    def to_dict(self) -> dict:
        return {
            "healthy": self.healthy,
            "engine": self.engine,
            "checked": self.checked,
            "findings": [f.__dict__ for f in self.findings],
        }


def examine(
    archive: Archive, store: Store, *, repair: bool = False, progress: Progress | None = None
) -> Report:
    report = Report()
    for check in (_store, _runs, _captures, _warcs, _index, _locks):
        if progress:
            progress(check.__name__.strip("_"))
        check(archive, store, report, repair)
    return report


def _store(archive: Archive, store: Store, report: Report, repair: bool) -> None:
    result = store.integrity()
    report.checked["store"] = 1
    if result != "ok":
        report.findings.append(
            Finding(
                "store",
                f"the store's own check failed: {result}",
                None,
            )
        )


def _runs(archive: Archive, store: Store, report: Report, repair: bool) -> None:
    from newsarchive.crawl.settings import TEAM_STALE_SECONDS as silence

    running = [r for r in store.runs(limit=10_000) if r["status"] == "running"]
    # Alive: showing signs of life (any machine), or its process runs here.
    beating = {r["id"] for r in store.crawlers(stale=silence)}
    here = (None, this_machine())
    stale = [
        r
        for r in running
        if r["id"] not in beating and not (r.get("machine") in here and r["pid"] and process_alive(r["pid"]))
    ]
    report.checked["runs"] = len(running)
    if stale:
        finding = Finding(
            "runs",
            f"{len(stale)} crawl runs are marked running, but their process is gone",
            "mark them interrupted (their crawls resume next time)",
        )
        if repair:
            for source in {r["source"] for r in stale}:
                store.interrupt_stale_runs(
                    source, process_alive, now=now_iso(), machine=this_machine(), stale=silence
                )
            finding.repaired = True
        report.findings.append(finding)


def _captures(archive: Archive, store: Store, report: Report, repair: bool) -> None:
    unreadable, checked = [], 0
    for article in store.iter_articles():
        known = store.capture_of(article.id)
        capture = known[1] if known else None
        if capture is None:
            continue
        checked += 1
        try:
            read_capture(archive.warc_dir, capture)
        except CaptureError as error:
            unreadable.append(f"{article.id} ({error})")
    report.checked["captures"] = checked
    if unreadable:
        report.findings.append(
            Finding(
                "captures",
                f"{len(unreadable)} articles' raw pages cannot be read: "
                + "; ".join(unreadable[:3])
                + (" …" if len(unreadable) > 3 else ""),
                None,  # the text is in the store; only a new crawl brings the page back
            )
        )


def _warcs(archive: Archive, store: Store, report: Report, repair: bool) -> None:
    files = sorted(archive.warc_dir.glob("*.warc.gz")) if archive.warc_dir.is_dir() else []
    report.checked["warc files"] = len(files)
    for path in files:
        end, error = whole_records_end(path)
        if error is None:
            continue
        if end == 0:
            finding = Finding(
                "warc",
                f"{path.name} holds no whole record ({error}): a writer was killed as it began it",
                "remove the file (no article points into it)",
            )
            if repair and not store.captures_in(path.name):
                path.unlink()
                finding.repaired = True
        else:
            finding = Finding(
                "warc",
                f"{path.name} ends in a record cut short ({error}) at byte {end}",
                "trim the cut record off (it belongs to no article)",
            )
            if repair and not store.captures_in(path.name, from_offset=end):
                with open(path, "r+b") as stream:
                    stream.truncate(end)
                finding.repaired = True
        report.findings.append(finding)


def whole_records_end(path: Path) -> tuple[int, str | None]:
    """Where the last whole record of a WARC file ends, and what is wrong
    after it (None when the file ends there)."""
    import zlib

    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    if path.stat().st_size == 0:
        return 0, "the file is empty"
    end = last = 0
    with open(path, "rb") as stream:
        records = ArchiveIterator(stream, check_digests=True)
        try:
            for record in records:
                records.read_to_end(record)
                if record.digest_checker.passed is False:
                    return end, "a record's content is incomplete"
                last = records.get_record_offset()
                end = last + records.get_record_length()
        except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as error:
            return end, str(error) or type(error).__name__
    problem = tail_problem(path, last, end)
    return (last if problem and "last record" in problem else end), problem


def _index(archive: Archive, store: Store, report: Report, repair: bool) -> None:
    from newsarchive.index.follow import catch_up

    engine = archive.engine(store)
    report.engine = engine.name
    problems = index_disagreements(engine, store)
    report.checked["index"] = store.count()
    if not problems:
        return
    finding = Finding("index", "; ".join(problems), "catch the index up with the store, or rebuild it")
    if repair:
        try:
            with archive.writer_lock("repairing the index"):
                catch_up(engine, store, before=archive.before_indexing)
                if index_disagreements(engine, store):
                    engine.rebuild()
            finding.repaired = not index_disagreements(engine, store)
        except ArchiveBusy as busy:
            finding.problem += f" (not repaired: {busy})"
    report.findings.append(finding)


def index_disagreements(engine: SearchEngine, store: Store) -> list[str]:
    """How the index differs from the store, in words; [] when they agree."""
    from newsarchive.errors import IndexUnavailable
    from newsarchive.index.api import is_current

    problems = []
    state = engine.state()
    if state is None:
        return ["the index is missing"] if store.count() else []
    if not is_current(engine, state, store.store_id):
        return [
            f"the search index is of an older format, another engine or another store;"
            f" run `newsarchive reindex` to rebuild it with {engine.name}"
        ]
    behind = store.last_seq() - state.seq
    if behind:
        problems.append(f"the index is {behind} changes behind the store")
    try:
        indexed = engine.entries()
    except IndexUnavailable as error:
        return [str(error)]
    stored = store.content_hashes()
    orphans = indexed.keys() - stored.keys()
    missing = stored.keys() - indexed.keys()
    stale = [i for i in indexed.keys() & stored.keys() if indexed[i] != stored[i][:16]]
    if orphans:
        problems.append(f"{len(orphans)} index entries have no article in the store")
    if missing:
        problems.append(f"{len(missing)} articles are not in the index")
    if stale:
        problems.append(f"{len(stale)} index entries are of an older version of their article")
    return problems


def _locks(archive: Archive, store: Store, report: Report, repair: bool) -> None:
    """A lock itself cannot be stale (the kernel drops it with its process);
    what can be left behind is the note of who held it."""
    import json

    paths = [archive.lock_path] + sorted((archive.root / "jobs").glob("*.lock"))
    notes = 0
    for path in paths:
        if not path.exists() or not path.stat().st_size:
            continue
        try:
            holder = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            holder = {}
        if holder.get("pid") and not process_alive(holder["pid"]) and not is_held(path):
            notes += 1
            if repair:
                path.write_text("", encoding="utf-8")
    report.checked["locks"] = len(paths)
    if notes:
        report.findings.append(
            Finding(
                "locks", f"{notes} lock files name a process that is gone", "clear the notes", repaired=repair
            )
        )
