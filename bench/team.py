"""Team mode's costs and gains: ingest into PostgreSQL against SQLite, and
a polite multi-host crawl by one crawler against three.

    python bench/team.py                 # both, medians of 3
    python bench/team.py --ingest 2000   # the ingest part, 2,000 pages
    python bench/team.py --crawl --hosts 6 --delay 0.5

Ingest: the same generated WARC imported (`newsarchive import`) into a
fresh SQLite archive and into a fresh PostgreSQL database, alternately;
pages/s and the ratio PostgreSQL / SQLite.

Crawl: H sites on loopback addresses (127.0.0.1 ... 127.0.0.H), each with
the demo site's pages and generated articles, a delay between requests to
each host; one crawler, then three (separate working directories, one
store, one capture root), each time into a fresh database; pages/s as the
servers counted them over the wall time, and the ratio three / one. The
delay holds for the team, so three crawlers gain only where one leaves
the hosts idle (its own work between requests).

PostgreSQL: `--pg URL` names a server where the bench may create databases;
without it a throwaway cluster is started (as tests/postgres_server.py
does, but durable: fsync on, as a real server runs).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

NEWSARCHIVE = [sys.executable, "-m", "newsarchive"]


def fresh_database(server: str, name: str) -> str:
    """A new, empty database on the server `server` (a URL of its
    maintenance database); its URL."""
    import psycopg

    with psycopg.connect(server, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    head, _, rest = server.partition("?")
    return f"{head.rsplit('/', 1)[0]}/{name}" + (f"?{rest}" if rest else "")


def ingest(server: str, count: int, repeat: int, work: Path) -> dict:
    from corpus import Generator, to_page
    from run import _write_warc

    from newsarchive.demo.site import article_page

    site = {
        "name": "The Generated Gazette",
        "host": "gazette.example",
        "promo": "Read more",
        "newsletter": "Sign up",
    }
    pages = [article_page(site, to_page(data)) for data in Generator().articles(count, words=600)]
    warc = work / "pages.warc.gz"
    _write_warc(warc, [(page.url, page.html) for page in pages])
    times: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
    for run in range(repeat + 1):
        for kind in ("sqlite", "postgresql"):
            archive = work / f"ingest-{kind}"
            shutil.rmtree(archive, ignore_errors=True)
            store = ["--store", fresh_database(server, "bench_ingest")] if kind == "postgresql" else []
            started = time.monotonic()
            result = subprocess.run(
                [*NEWSARCHIVE, "--archive", str(archive), *store, "import", str(warc), "--json"],
                capture_output=True,
            )
            seconds = time.monotonic() - started
            if result.returncode:
                raise SystemExit(result.stderr.decode()[-2000:])
            if run or repeat == 0:  # the first of each is a warm-up
                times[kind].append(seconds)
    sqlite, postgres = (count / statistics.median(times[kind]) for kind in ("sqlite", "postgresql"))
    return {
        "pages": count,
        "sqlite pages/s": round(sqlite, 1),
        "postgresql pages/s": round(postgres, 1),
        "ratio postgresql/sqlite": round(postgres / sqlite, 3),
        "runs each": len(times["sqlite"]),
    }


def crawl(server: str, hosts: int, articles: int, delay: float, repeat: int, work: Path) -> dict:
    from corpus import Generator, to_page

    from newsarchive.demo.server import SiteServer

    servers = [SiteServer(host=f"127.0.0.{n + 1}") for n in range(hosts)]
    generator = Generator()
    for site in servers:
        for data in generator.articles(articles, words=500):
            site.site.publish(to_page(data), {"home", "sitemap"})
        site.__enter__()
    starts = [site.base + "/" for site in servers]
    polite = ["-s", f"DOWNLOAD_DELAY={delay}", "-s", "AUTOTHROTTLE_ENABLED=False"]
    rates: dict[int, list[float]] = {1: [], 3: []}
    try:
        for _ in range(repeat):
            for crawlers in (1, 3):
                for site in servers:
                    site.hits.clear()
                store = fresh_database(server, "bench_crawl")
                shutil.rmtree(work / "crawl", ignore_errors=True)
                started = time.monotonic()
                processes = [
                    subprocess.Popen(
                        [
                            *NEWSARCHIVE,
                            "--archive",
                            str(work / "crawl" / f"crawler-{n}"),
                            "--store",
                            store,
                            "--captures",
                            str(work / "crawl" / "captures"),
                            "crawl",
                            *starts,
                            *polite,
                        ],
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )  # fmt: skip
                    for n in range(crawlers)
                ]
                for process in processes:
                    process.wait()
                seconds = time.monotonic() - started
                rates[crawlers].append(sum(len(site.hits) for site in servers) / seconds)
    finally:
        for site in servers:
            site.__exit__(None, None, None)
    one, three = statistics.median(rates[1]), statistics.median(rates[3])
    return {
        "hosts": hosts,
        "articles per host": articles,
        "delay s": delay,
        "one crawler pages/s": round(one, 2),
        "three crawlers pages/s": round(three, 2),
        "ratio three/one": round(three / one, 3),
        "bound pages/s (hosts / delay)": round(hosts / delay, 2),
        "runs each": repeat,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pg", metavar="URL", help="a PostgreSQL maintenance database URL (default: a throwaway cluster)"
    )
    parser.add_argument("--ingest", type=int, metavar="N", help="only the ingest part, N pages")
    parser.add_argument("--crawl", action="store_true", help="only the crawl part")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--hosts", type=int, default=6)
    parser.add_argument("--articles", type=int, default=40, help="generated articles per host")
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    stop = None
    server = options.pg
    if server is None:
        import postgres_server

        socket, stop = postgres_server.start(durable=True)
        server = postgres_server.url("postgres", socket)
    results = {}
    try:
        with tempfile.TemporaryDirectory(prefix="newsarchive-team-bench-") as scratch:
            work = Path(scratch)
            if not options.crawl:
                results["ingest"] = ingest(server, options.ingest or 2000, options.repeat, work)
            if not options.ingest:
                results["crawl"] = crawl(
                    server, options.hosts, options.articles, options.delay, options.repeat, work
                )
    finally:
        if stop:
            stop()
    if options.json:
        print(json.dumps(results, indent=2))
    else:
        for part, figures in results.items():
            print(part)
            for name, value in figures.items():
                print(f"  {name}: {value}")
    return 0


if __name__ == "__main__":
    os.environ.pop("NEWSARCHIVE_STORE", None)
    raise SystemExit(main())
