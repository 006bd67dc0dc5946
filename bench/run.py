"""newsarchive's speed, each figure beside a peer measured in the same run.

    python bench/run.py [--quick] [--json] [--work DIR] [--only NAME,...]

Sections (names for --only):
  search    cold `newsarchive search` processes vs a bare Whoosh query
            process, five kinds of query, on generated archives of 5,000
            and 50,000 articles (--quick: 1,000)
  reindex   `newsarchive reindex` vs a naive one-writer Whoosh build of the
            same records (docs/s), and 100 changed articles caught up into
            the largest index
  ingest    `add` and `import` of generated pages, and `import` of a
            generated 10,000-record WARC (--quick: 1,000), vs trafilatura
            alone (pages/s); extraction of the shared dataset's real pages
  crawl     a crawl of a generated local site (politeness off) vs a bare
            Scrapy spider fetching the same URLs: pages/s and peak RSS; and
            vs the same spider putting each page through trafilatura into
            one Whoosh writer (the same job, done the plain way); and a
            polite crawl (a fixed delay between requests) vs the bare
            spider at the same delay

Ingest and crawl run once per index engine (--engines, both by default).
  memory    the resident memory of a 10,000-page crawl (--quick: 4,000) at
            its start, middle and end

Every time is the median of repeated runs, ours and the peer's taken in
turn; the ratio is ours over the peer's speed (above 1: faster), or time
against time for search (below 1: faster). Generated archives and sites
come from bench/corpus.py with a fixed seed; with --work they are kept
there and reused. Linux only (memory is read from /proc).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import Generator, to_article, to_page  # noqa: E402

PEERS = [sys.executable, str(HERE / "peers.py")]
# The command as users run it: the installed script, else the module.
_SCRIPT = Path(sys.executable).with_name("newsarchive")
NEWSARCHIVE = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "newsarchive"]
SHARED_DATASET = HERE.parent.parent / "shared" / "datasets" / "article-extraction"
SECTIONS = ("search", "reindex", "ingest", "crawl", "memory")
# Politeness off, as the issue asks: the site is on this machine.
# A polite crawl's pace, shortened so the bench stays short: 20 pages/s.
POLITE_DELAY = 0.05
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def plan(quick: bool) -> dict:
    if quick:
        return {
            "archives": [1000],
            "repeat": 5,
            "build_repeat": 1,
            "pages": 100,
            "warc": 1000,
            "site": 200,
            "long": 4000,
        }
    return {
        "archives": [5000, 50000],
        "repeat": 9,
        "build_repeat": 2,
        "pages": 400,
        "warc": 10000,
        "site": 1000,
        "long": 10000,
    }


def with_engine(engine: str) -> dict:
    """Popen options that make newsarchive use `engine` for a new archive."""
    return {"env": {**os.environ, "NEWSARCHIVE_ENGINE": engine}}


# -- measuring ---------------------------------------------------------------------


def timed(command: list[str], **options) -> tuple[float, int, str]:
    """Like `run`, with the process's own peak RSS (via wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options)
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(
            f"{' '.join(map(str, command))} failed ({process.returncode}):\n{err.decode()[-2000:]}"
        )
    return seconds, usage.ru_maxrss, out.decode()


def median_pair(ours: list[str], peer: list[str], repeat: int, **options) -> tuple[float, float]:
    """Median wall times of two commands, run in turn after one untimed run each."""
    timed(ours, **options)
    timed(peer, **options)
    mine, theirs = [], []
    for _ in range(repeat):
        mine.append(timed(ours, **options)[0])
        theirs.append(timed(peer, **options)[0])
    return statistics.median(mine), statistics.median(theirs)


class Table:
    def __init__(self):
        self.rows: list[dict] = []

    def add(
        self, section: str, what: str, ours: float, peer: float, unit: str, ratio: float, target: str = ""
    ):
        row = {"section": section, "what": what, "ours": ours, "peer": peer, "unit": unit}
        row.update(ratio=round(ratio, 3), target=target)
        self.rows.append(row)
        print(f"  {what:<52} {ours:>10.1f} {peer:>10.1f} {unit:<8} {ratio:>6.2f}  {target}", file=sys.stderr)

    def render(self) -> str:
        head = f"{'section':<8} {'what':<52} {'ours':>10} {'peer':>10} {'unit':<8} {'ratio':>6}  target"
        lines = [head, "-" * len(head)]
        for row in self.rows:
            lines.append(
                f"{row['section']:<8} {row['what']:<52} {row['ours']:>10.1f} {row['peer']:>10.1f}"
                f" {row['unit']:<8} {row['ratio']:>6.2f}  {row['target']}"
            )
        return "\n".join(lines)


# -- generated archives and sites -------------------------------------------------------


def archive_of(work: Path, size: int, generator: Generator) -> Path:
    """A generated archive of `size` articles, indexed; made once per work dir."""
    root = work / f"archive-{size}"
    if (root / "ready").exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    from newsarchive.store import open_store

    print(f"generating an archive of {size:,} articles…", file=sys.stderr)
    with open_store(root / "store.sqlite3") as store:
        for data in generator.articles(size):
            store.put(to_article(data), now="2026-11-24T00:00:00Z")
    timed([*NEWSARCHIVE, "--archive", str(root), "reindex"])
    (root / "ready").write_text("")
    return root


class GeneratedSite:
    """The demo news site, serving `count` generated articles on 127.0.0.1."""

    def __init__(self, count: int, generator: Generator, channels: set[str]):
        from newsarchive.demo.server import SiteServer

        self.server = SiteServer(layout={})
        site = self.server.site
        for data in generator.articles(count, words=500):
            site.publish(to_page(data), channels)

    def __enter__(self):
        self.server.__enter__()
        return self.server

    def __exit__(self, *exc):
        self.server.__exit__(*exc)


# -- sections ----------------------------------------------------------------------------


def query_kinds(generator: Generator) -> list[tuple[str, list[str], list[str]]]:
    """(kind, newsarchive arguments, peer arguments) of the five queries."""
    common, rarer = generator.word(30), generator.word(400)
    return [
        ("term", ["harbour"], ["harbour"]),
        ("AND", [common, rarer], [f"{common} {rarer}"]),
        ("phrase", ['"tunnel beneath the river"'], ['"tunnel beneath the river"']),
        ("field", [f"title:{generator.word(5)}"], [f"title:{generator.word(5)}"]),
        (
            "date-bounded, newest first",
            [generator.word(10), "--since", "2015-01-01", "--until", "2016-12-31", "--sort", "newest"],
            [generator.word(10), "--since", "2015-01-01", "--until", "2016-12-31T23:59:59", "--newest"],
        ),
    ]


def live_index(root: Path) -> Path:
    """The directory of the archive's live index generation (what a bare
    Whoosh process opens)."""
    from newsarchive.index.generations import live

    where = live(root / "index")
    if where is None:
        raise SystemExit(f"the bench archive {root} has no index")
    return where


def bench_search(table: Table, work: Path, setup: dict, generator: Generator) -> None:
    for size in setup["archives"]:
        root = archive_of(work, size, generator)
        index = live_index(root)
        for form, flags in (("--json", ["--json"]), ("human", [])):
            ratios = []
            for kind, ours_args, peer_args in query_kinds(generator):
                ours = [*NEWSARCHIVE, "--archive", str(root), "search", *flags, *ours_args]
                peer = [*PEERS, "search", str(index), *peer_args]
                mine, theirs = median_pair(ours, peer, setup["repeat"])
                ratios.append(mine / theirs)
                table.add(
                    "search",
                    f"{size:,} articles, {kind}, {form}",
                    mine * 1000,
                    theirs * 1000,
                    "ms",
                    mine / theirs,
                )
            table.add(
                "search",
                f"{size:,} articles, median over the kinds, {form}",
                0,
                0,
                "",
                statistics.median(ratios),
                "<= 1.2",
            )


def bench_reindex(table: Table, work: Path, setup: dict, generator: Generator) -> None:
    root = archive_of(work, setup["archives"][0], generator)
    size = setup["archives"][0]
    ours = [*NEWSARCHIVE, "--archive", str(root), "reindex", "--json"]
    peer = [*PEERS, "build", str(root / "store.sqlite3"), str(work / "naive-index")]
    mine, theirs = [], []
    for _ in range(setup["build_repeat"]):
        mine.append(timed(ours)[0])
        theirs.append(timed(peer)[0])
    ours_rate, peer_rate = size / statistics.median(mine), size / statistics.median(theirs)
    table.add(
        "reindex", f"rebuild {size:,} articles", ours_rate, peer_rate, "docs/s", ours_rate / peer_rate, ">= 2"
    )
    shutil.rmtree(work / "naive-index", ignore_errors=True)

    # 100 changed articles into the largest index: what a crawl's indexing does.
    from newsarchive.index.follow import catch_up
    from newsarchive.index.whoosh import WhooshEngine
    from newsarchive.store import open_store

    largest = archive_of(work, setup["archives"][-1], generator)
    with open_store(largest / "store.sqlite3") as store:
        stamp = datetime.now(UTC).isoformat()
        for data in generator.articles(100):
            article = to_article(data)
            store.put(article.replace(text=f"{article.text}\n\nUpdated {stamp}."), now=stamp)
        started = time.perf_counter()
        applied = catch_up(WhooshEngine(largest / "index", store), store)
        seconds = time.perf_counter() - started
    per_article = seconds / applied * 1000
    table.add(
        "reindex",
        f"catch up 100 changed articles into {setup['archives'][-1]:,}",
        per_article,
        1000,
        "ms/doc",
        1000 / per_article,
        "ms/doc << 1000",
    )


def bench_ingest(table: Table, work: Path, setup: dict, generator: Generator) -> None:
    from newsarchive.demo.site import article_page

    pages = work / "pages"
    shutil.rmtree(pages, ignore_errors=True)
    pages.mkdir(parents=True)
    site = {
        "name": "The Generated Gazette",
        "host": "gazette.example",
        "promo": "Read more",
        "newsletter": "Sign up",
    }
    saved = []
    for data in generator.articles(setup["pages"], words=600):
        page = article_page(site, to_page(data))
        path = pages / f"page-{data['number']:05d}.html"
        path.write_bytes(page.html)
        saved.append((page.url, page.html))
    warc = work / "pages.warc.gz"
    _write_warc(warc, saved)
    count = len(saved)

    def fresh(name: str) -> str:
        target = work / name
        shutil.rmtree(target, ignore_errors=True)
        return str(target)

    peer = [*PEERS, "extract", str(pages)]
    for engine in setup["engines"]:
        add, imp, alone = [], [], []
        for _ in range(setup["build_repeat"] + 1):
            ours = with_engine(engine)
            add.append(
                timed([*NEWSARCHIVE, "--archive", fresh("added"), "add", str(pages), "--json"], **ours)[0]
            )
            imp.append(
                timed([*NEWSARCHIVE, "--archive", fresh("imported"), "import", str(warc), "--json"], **ours)[
                    0
                ]
            )
            alone.append(timed(peer)[0])
        peer_rate = count / statistics.median(alone)
        for what, times in (("add", add), ("import", imp)):
            rate = count / statistics.median(times)
            table.add(
                "ingest",
                f"{what} {count} generated pages (store+index+WARC), {engine}",
                rate,
                peer_rate,
                "pages/s",
                rate / peer_rate,
            )
    shutil.rmtree(work / "added", ignore_errors=True)
    shutil.rmtree(work / "imported", ignore_errors=True)
    bench_big_import(table, work, setup, generator, site)

    if not SHARED_DATASET.exists():
        print(f"  (extraction on real pages skipped: no dataset at {SHARED_DATASET})", file=sys.stderr)
        return
    import extraction

    real = extraction.load_pages(SHARED_DATASET, None)
    ours = extraction.measure("newsarchive", real, setup["build_repeat"] + 1)
    theirs = extraction.measure("trafilatura", real, setup["build_repeat"] + 1)
    table.add(
        "ingest",
        f"extract {len(real)} real pages (F1 {ours['f1']:.3f} vs {theirs['f1']:.3f})",
        ours["pages_per_s"],
        theirs["pages_per_s"],
        "pages/s",
        ours["pages_per_s"] / theirs["pages_per_s"],
        ">= 0.5",
    )


def bench_big_import(table: Table, work: Path, setup: dict, generator: Generator, site: dict) -> None:
    """`import` of one large generated WARC (what a CC-NEWS file is) with
    each engine, against trafilatura alone on the same pages."""
    from newsarchive.demo.site import article_page

    count = setup["warc"]
    pages = work / "warc-pages"
    shutil.rmtree(pages, ignore_errors=True)
    pages.mkdir(parents=True)
    saved = []
    for data in generator.articles(count, words=600):
        page = article_page(site, to_page(data))
        (pages / f"page-{data['number']:05d}.html").write_bytes(page.html)
        saved.append((page.url, page.html))
    warc = work / "big.warc.gz"
    _write_warc(warc, saved)
    alone = timed([*PEERS, "extract", str(pages)])[0]
    peer_rate = count / alone
    for engine in setup["engines"]:
        target = work / "imported-big"
        shutil.rmtree(target, ignore_errors=True)
        seconds = timed(
            [*NEWSARCHIVE, "--archive", str(target), "import", str(warc), "--json"], **with_engine(engine)
        )[0]
        rate = count / seconds
        goal = ">= 0.5" if engine == "tantivy" else ""
        table.add(
            "ingest",
            f"import a {count:,}-record WARC, {engine}",
            rate,
            peer_rate,
            "pages/s",
            rate / peer_rate,
            goal,
        )
        shutil.rmtree(target, ignore_errors=True)
    shutil.rmtree(pages, ignore_errors=True)
    warc.unlink()


def _write_warc(path: Path, pages: list[tuple[str, bytes]]) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, html in pages:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(url, "response", payload=BytesIO(html), http_headers=headers)
            writer.write_record(record)


def bench_crawl(table: Table, work: Path, setup: dict, generator: Generator) -> None:
    count = setup["site"]
    engines = setup["engines"]
    with GeneratedSite(count, generator, {"section", "sitemap"}) as server:
        ours_times = {engine: [] for engine in engines}
        ours_peaks: list[float] = []
        peer_times, peer_peaks, plain_times, fetched = [], [], [], 0
        for _ in range(setup["build_repeat"] + 1):
            for engine in engines:
                archive = work / "crawled"
                shutil.rmtree(archive, ignore_errors=True)
                server.hits.clear()
                seconds, peak = watched(
                    [*NEWSARCHIVE, "--archive", str(archive), "crawl", server.base + "/", *FAST],
                    **with_engine(engine),
                )
                urls = sorted({server.base + hit.path for hit in server.hits})
                fetched = len(server.hits)
                ours_times[engine].append(seconds)
                ours_peaks.append(peak)
            url_file = work / "urls.txt"
            url_file.write_text("\n".join(urls), encoding="utf-8")
            server.hits.clear()
            seconds, peak = watched([*PEERS, "fetch", str(url_file)])
            peer_times.append(seconds)
            peer_peaks.append(peak)
            peer_fetched = len(server.hits)
            server.hits.clear()
            seconds, _ = watched([*PEERS, "fetch-extract-index", str(url_file), str(work / "plain-index")])
            plain_times.append(seconds)
            plain_fetched = len(server.hits)
        shutil.rmtree(work / "crawled", ignore_errors=True)
        shutil.rmtree(work / "plain-index", ignore_errors=True)
    peer_rate = peer_fetched / statistics.median(peer_times)
    plain_rate = plain_fetched / statistics.median(plain_times)
    for engine in engines:
        ours_rate = fetched / statistics.median(ours_times[engine])
        table.add(
            "crawl",
            f"crawl a {count}-article local site ({fetched} pages), {engine}",
            ours_rate,
            peer_rate,
            "pages/s",
            ours_rate / peer_rate,
            ">= 0.5" if engine == "tantivy" else "",
        )
        table.add(
            "crawl",
            f"same vs Scrapy+trafilatura+Whoosh, 1 process, {engine}",
            ours_rate,
            plain_rate,
            "pages/s",
            ours_rate / plain_rate,
            ">= 1.0",
        )
    ours_mb, peer_mb = statistics.median(ours_peaks), statistics.median(peer_peaks)
    table.add("crawl", "peak RSS of that crawl, all its processes", ours_mb, peer_mb, "MB", ours_mb / peer_mb)
    bench_polite_crawl(table, work, setup, generator)


def bench_polite_crawl(table: Table, work: Path, setup: dict, generator: Generator) -> None:
    """With a delay between requests, as a polite crawl runs, extraction and
    indexing must leave the downloader its full rate: the bare spider's."""
    count = setup["site"] // 5
    polite = ["-s", f"DOWNLOAD_DELAY={POLITE_DELAY}", "-s", "AUTOTHROTTLE_ENABLED=False"]
    with GeneratedSite(count, generator, {"section", "sitemap"}) as server:
        for engine in setup["engines"]:
            archive = work / "crawled-politely"
            shutil.rmtree(archive, ignore_errors=True)
            server.hits.clear()
            seconds, _ = watched(
                [*NEWSARCHIVE, "--archive", str(archive), "crawl", server.base + "/", *polite],
                **with_engine(engine),
            )
            fetched = len(server.hits)
            url_file = work / "urls-polite.txt"
            url_file.write_text(
                "\n".join(sorted({server.base + hit.path for hit in server.hits})), encoding="utf-8"
            )
            server.hits.clear()
            peer_seconds, _ = watched([*PEERS, "fetch", str(url_file), str(POLITE_DELAY)])
            peer_fetched = len(server.hits)
            shutil.rmtree(archive, ignore_errors=True)
            ours, peer = fetched / seconds, peer_fetched / peer_seconds
            table.add(
                "crawl",
                f"{count}-article site, {POLITE_DELAY} s between requests, {engine}",
                ours,
                peer,
                "pages/s",
                ours / peer,
                ">= 0.95",
            )


def bench_memory(table: Table, work: Path, setup: dict, generator: Generator) -> None:
    count = setup["long"]
    archive = work / "long-crawl"
    shutil.rmtree(archive, ignore_errors=True)
    with GeneratedSite(count, generator, {"sitemap"}) as server:
        process = subprocess.Popen(
            [*NEWSARCHIVE, "--archive", str(archive), "crawl", server.base + "/", *FAST],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        samples = []  # (pages answered, RSS MB of all the crawl's processes, peak so far)
        peak = 0.0
        while process.poll() is None:
            rss = tree_rss(process.pid)
            if rss:
                peak = max(peak, rss)
                samples.append((len(server.hits), rss, peak))
            time.sleep(0.5)
        pages = len(server.hits)
    shutil.rmtree(archive, ignore_errors=True)
    if process.returncode or not samples:
        raise SystemExit(f"the long crawl failed ({process.returncode})")

    def at(share: float):
        wanted = pages * share
        return min(samples, key=lambda sample: abs(sample[0] - wanted))

    start, middle, end = at(0.1), at(0.5), at(1.0)
    for name, sample in (("start (10%)", start), ("middle (50%)", middle), ("end", end)):
        table.add(
            "memory",
            f"{pages:,}-page crawl, RSS at the {name}",
            sample[1],
            sample[2],
            "MB",
            sample[1] / middle[1],
        )
    table.add("memory", "peak RSS, end over middle", end[2], middle[2], "MB", end[2] / middle[2], "<= 1.2")


def tree_rss(pid: int) -> float:
    """Resident memory (MB) of a process and all its descendants, from /proc."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total / 1024


def watched(command: list[str], every: float = 0.2, **options) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a process with all its descendants."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **options)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(every)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(
            f"{' '.join(command)} failed ({process.returncode}):\n{process.stderr.read().decode()[-2000:]}"
        )
    return seconds, peak


def _compile_newsarchive() -> None:
    """Byte-compile newsarchive as `pip install .` does. From a checkout
    (an editable install) with PYTHONDONTWRITEBYTECODE set, every cold
    process would otherwise compile its ~40 modules from source (~20 ms),
    which users of an installed package never pay; the peers' libraries
    are compiled already. Forced: compileall trusts a cache whose recorded
    modification time matches, but a file edited twice in one second keeps
    that time with new contents, and Python then rejects the cache (its
    size differs) and compiles from source in every process."""
    import compileall

    import newsarchive

    compileall.compile_dir(Path(newsarchive.__file__).parent, quiet=1, force=True)


def workspace(given: Path | None, prefix: str) -> Path:
    """The bench's work directory (a temporary one unless given), with
    newsarchive byte-compiled first."""
    _compile_newsarchive()
    work = given or Path(tempfile.mkdtemp(prefix=prefix))
    work.mkdir(parents=True, exist_ok=True)
    return work


def report(
    table: Table, title: str, started: float, packages: tuple[str, ...], as_json: bool, **extra
) -> None:
    """Print the results, as JSON or as a table under a title line."""
    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        **extra,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "versions": {name: version(name) for name in packages},
        "seconds": round(time.monotonic() - started, 1),
    }
    if as_json:
        print(json.dumps({**meta, "results": table.rows}, indent=2))
    else:
        print(f"{title}, {meta['date']}, {meta['machine']}")
        print(table.render())


BENCHES = {
    "search": bench_search,
    "reindex": bench_reindex,
    "ingest": bench_ingest,
    "crawl": bench_crawl,
    "memory": bench_memory,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller archives and sites, fewer runs")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--work", type=Path, help="keep generated archives here and reuse them")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections to run")
    parser.add_argument(
        "--engines", default="whoosh,tantivy", help="index engines the ingest and crawl sections run with"
    )
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in BENCHES]
    if unknown:
        parser.error(f"unknown section {unknown[0]!r}; sections are {', '.join(SECTIONS)}")
    setup = plan(args.quick)
    setup["engines"] = [name.strip() for name in args.engines.split(",") if name.strip()]
    work = workspace(args.work, "newsarchive-bench-")
    generator = Generator()
    table = Table()
    started = time.monotonic()
    try:
        for name in chosen:
            print(f"{name}:", file=sys.stderr)
            BENCHES[name](table, work, setup, generator)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    packages = ("newsarchive", "whoosh-reloaded", "tantivy", "scrapy", "trafilatura")
    title = f"newsarchive bench, {'quick' if args.quick else 'full'} run"
    report(table, title, started, packages, args.json, quick=args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
