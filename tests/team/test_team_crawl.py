"""Team mode end to end (acceptance 2 and 3): three crawler processes, each
with a working directory of its own, one PostgreSQL store and one capture
root, crawl a site of three hosts while a follower searches in a loop; one
crawler is SIGKILLed mid-way. Real processes, a real Scrapy engine, real
HTTP servers on three loopback addresses."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest

from conftest import run_newsarchive
from newsarchive.demo.server import SiteServer
from newsarchive.demo.site import site_data
from newsarchive.store import store_exists as open_store_exists

pytestmark = pytest.mark.slow

DELAY = 0.3  # seconds between two requests to one host, for the whole team
HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3")
EXTRA = 10  # articles each host publishes beside the demo site's eight
TEAM = (
    "-s", f"DOWNLOAD_DELAY={DELAY}", "-s", "AUTOTHROTTLE_ENABLED=False",
    "-s", "TEAM_HEARTBEAT_SECONDS=0.5", "-s", "TEAM_STALE_SECONDS=2",
)  # fmt: skip


def publish(server: SiteServer, host_number: int) -> list[str]:
    """The host's articles: the demo site's and EXTRA of its own."""
    urls = [server.site.url_of(n) for n in range(8)]
    template = site_data()["articles"]
    for n in range(EXTRA):
        article = {
            **template[n % 8],
            "slug": f"local/2025/07/{n + 1:02d}/host-{host_number}-report-{n}",
            "title": f"Host {host_number} report {n} on the harbour works",
            "published": f"2025-07-{n + 1:02d}T09:00:00+00:00",
        }
        urls.append(server.site.publish(article, {"home", "sitemap"}))
    return urls


def roots(tmp_path, name: str, pg_url: str) -> list[str]:
    return ["--archive", str(tmp_path / name), "--store", pg_url, "--captures", str(tmp_path / "captures")]


class SearchLoop(threading.Thread):
    """A follower searching over and over while the crawlers write."""

    def __init__(self, args: list[str]):
        super().__init__(daemon=True)
        self.args, self.codes, self.errors = args, [], []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            result = run_newsarchive(*self.args, "search", "harbour", "--json", timeout=60)
            self.codes.append(result.returncode)
            if result.returncode:
                self.errors.append(result.stderr.decode()[-500:])


def test_three_crawlers_share_a_site_politely_and_survive_a_kill(tmp_path, pg_url):
    servers = [SiteServer(host=host) for host in HOSTS]
    for server in servers:
        server.__enter__()
    try:
        expected = {url for number, server in enumerate(servers) for url in publish(server, number)}
        starts = [server.base + "/" for server in servers]
        looping = SearchLoop(roots(tmp_path, "follower-loop", pg_url))
        # Output to files: a killed crawler's extraction workers outlive it
        # for a moment, holding its pipes open.
        outs = [(tmp_path / f"crawler-{n}.out", tmp_path / f"crawler-{n}.err") for n in range(3)]
        crawlers = []
        for n, (out, err) in enumerate(outs):
            command = [sys.executable, "-m", "newsarchive", *roots(tmp_path, f"crawler-{n}", pg_url), "crawl"]
            with out.open("wb") as stdout, err.open("wb") as stderr:
                crawlers.append(
                    subprocess.Popen([*command, *starts, *TEAM, "--json"], stdout=stdout, stderr=stderr)
                )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not open_store_exists(pg_url):
            time.sleep(0.1)
        looping.start()  # once the first crawler has made the store
        # Kill the second crawler once the team has fetched a third of the articles.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _article_hits(servers, expected) < len(expected) // 3:
            time.sleep(0.1)
        assert crawlers[1].poll() is None, "the crawl ended before it could be killed"
        os.kill(crawlers[1].pid, signal.SIGKILL)
        for process in crawlers:
            process.wait(timeout=300)
        outputs = [(out.read_bytes(), err.read_bytes()) for out, err in outs]
        looping.stop.set()
        looping.join(timeout=120)
    finally:
        for server in servers:
            server.__exit__(None, None, None)

    # The two survivors finished well, the killed one's work included.
    for n in (0, 2):
        assert crawlers[n].returncode == 0, outputs[n][1].decode()[-2000:]
        assert {run["status"] for run in json.loads(outputs[n][0])} == {"ok"}
    assert crawlers[1].returncode == -signal.SIGKILL

    # Every article archived, each once.
    export = run_newsarchive(*roots(tmp_path, "follower-a", pg_url), "export")
    records = [json.loads(line) for line in export.stdout.decode().splitlines()]
    assert Counter(record["url"] for record in records) == Counter(expected)

    # Each host, seen from its server, was asked one request at a time by
    # the whole team, the next at least DELAY after the last was answered;
    # and no article twice but for the one or two the killed crawler held.
    for server in servers:
        hits = sorted(server.hits, key=lambda hit: hit.started)
        gaps = [(b.started - a.at, a.path, b.path) for a, b in zip(hits, hits[1:], strict=False)]
        assert min(gaps)[0] >= DELAY * 0.95, (server.base, min(gaps))
        assert server.most_in_flight == 1
        print(f"{server.base}: {len(hits)} requests, shortest gap after an answer {min(gaps)[0]:.3f} s")
    fetched = Counter(
        server.base + hit.path for server in servers for hit in server.hits if hit.status == 200
    )
    twice = [url for url, count in fetched.items() if count > 1 and url in expected]
    assert len(twice) <= 3, twice

    # Captures: every crawler wrote its own WARC files under the one root.
    warcs = os.listdir(tmp_path / "captures")
    assert len({name.split("-")[2] for name in warcs}) == 3  # one pid each

    # The follower's searches never failed while the crawlers wrote.
    assert looping.codes and not looping.errors, looping.errors[:2]
    print(
        f"searches while crawling: {len(looping.codes)}, failed: {len(looping.errors)}; fetched twice: {twice}"
    )

    # Two followers on their own index directories give the same answers.
    for query in (["harbour"], ["harbour", "--all"], ["report", "--sort", "newest", "--limit", "50"]):
        answers = [
            run_newsarchive(*roots(tmp_path, name, pg_url), "search", *query, "--json")
            for name in ("follower-a", "follower-b")
        ]
        assert [a.returncode for a in answers] == [0, 0]
        first, second = (json.loads(a.stdout) for a in answers)
        assert first == second and first["total"] > 0 and first["index_behind"] == 0

    # doctor checks the shared store and this follower's index; stats shows the queue.
    doctor = run_newsarchive(*roots(tmp_path, "follower-b", pg_url), "doctor")
    assert doctor.returncode == 0, doctor.stdout.decode() + doctor.stderr.decode()
    stats = json.loads(run_newsarchive(*roots(tmp_path, "follower-b", pg_url), "stats", "--json").stdout)
    assert stats["articles"] == len(expected) and stats["queued"] == 0 and stats["crawlers"] == []


def _article_hits(servers, expected) -> int:
    return sum(1 for server in servers for hit in list(server.hits) if server.base + hit.path in expected)
