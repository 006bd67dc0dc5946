"""Crawling a local news site with the real Scrapy engine, through the CLI."""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import run_newsarchive
from newsarchive.crawl.frontier import MAX_LISTINGS_PER_PATTERN
from newsarchive.demo.server import SiteServer
from newsarchive.demo.site import site_data

pytestmark = pytest.mark.slow

# No politeness towards our own test server, except where a test says so.
FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")

# Acceptance 1: each article reachable by one route only.
ONE_ROUTE_EACH = {
    0: {"home"},
    1: {"section"},
    2: {"sitemap"},
    3: {"sitemap"},
    4: {"feed"},
    5: {"feed"},
    6: {"redirect"},
    7: {"news"},
}


def crawl(archive, server, *options, code=0, timeout=180):
    result = run_newsarchive("--archive", str(archive), "crawl", server.base + "/", *options, "--json",
                             timeout=timeout)  # fmt: skip
    assert result.returncode == code, result.stderr.decode()
    return json.loads(result.stdout)[0] if result.stdout.strip() else None


def stored(archive) -> dict[str, dict]:
    lines = run_newsarchive("--archive", str(archive), "export").stdout.decode().splitlines()
    return {record["url"]: record for record in map(json.loads, lines)}


def paths(server) -> list[str]:
    return [hit.path for hit in server.hits]


def new_article(n: int, published: str) -> dict:
    template = site_data()["articles"][n % 8]
    return {**template, "slug": f"local/2025/06/{n:02d}/fresh-story-number-{n}",
            "title": f"Fresh story number {n}", "published": published}  # fmt: skip


@pytest.fixture
def one_route_site():
    with SiteServer(layout=dict(ONE_ROUTE_EACH)) as server:
        yield server


def test_every_route_finds_its_articles_once(archive_dir, one_route_site):
    server = one_route_site
    summary = crawl(archive_dir, server, *FAST)
    assert summary["status"] == "ok"
    articles = stored(archive_dir)
    expected = {server.site.url_of(n) for n in range(8)}
    assert set(articles) == expected  # every article, and nothing else
    assert summary["new"] == 8
    assert len({a["canonical_url"] for a in articles.values()}) == 8
    # Sitemap and feed entries lent their dates and titles as evidence.
    provenance = {
        url: json.loads(
            run_newsarchive("--archive", str(archive_dir), "show", url, "--json", "--explain").stdout
        )
        for url in expected
    }
    assert all(p["explain"]["published"] == "json-ld" or p["explain"]["published"] == "opengraph"
               for p in provenance.values())  # fmt: skip
    requested = paths(server)
    assert requested.count("/robots.txt") == 1, "one robots.txt request per site per crawl"
    assert not any(p.startswith("/private/") for p in requested), "robots.txt disallows /private/"
    assert "/private/plans" in " ".join(summary["skipped"]) or summary["skipped"].get("robots.txt forbids it")
    calendar = [p for p in requested if p.startswith("/calendar/")]
    assert 0 < len(calendar) <= MAX_LISTINGS_PER_PATTERN
    assert sum(p.startswith("/local/?page=") for p in requested) <= MAX_LISTINGS_PER_PATTERN
    assert f"/old/{server.site.articles[6]['slug']}" in requested
    # Listings were read for links, never stored.
    assert not any("/tag/" in url or "?page=" in url or "/calendar/" in url for url in articles)
    assert all(hit.headers.get("user-agent", "").startswith("newsarchive/") for hit in server.hits)


def test_second_crawl_fetches_only_what_is_new(archive_dir, one_route_site):
    server = one_route_site
    crawl(archive_dir, server, *FAST)
    archived = set(stored(archive_dir))
    first_run = len(server.hits)
    fresh_feed = server.site.publish(new_article(20, "2025-06-20T08:00:00+02:00"), {"feed", "home"})
    fresh_sitemap = server.site.publish(new_article(21, "2025-06-21T08:00:00+02:00"), {"sitemap"})
    summary = crawl(archive_dir, server, *FAST)
    assert summary["new"] == 2 and summary["updated"] == 0
    assert set(stored(archive_dir)) == archived | {fresh_feed, fresh_sitemap}
    again = server.hits[first_run:]
    refetched = {server.base + h.path for h in again} & archived
    assert refetched == set(), f"archived articles fetched again: {refetched}"
    assert not any(h.path.startswith("/old/") for h in again), "the redirect to an archived article is known"
    conditional = {h.path: h.headers for h in again if h.path in ("/feed.xml", "/sitemap.xml")}
    assert conditional and all("if-none-match" in headers for headers in conditional.values())
    # Unchanged indexes answered 304 and were counted as such.
    third = crawl(archive_dir, server, *FAST)
    assert third["new"] == 0
    assert third["notes"].get("sitemap not modified", 0) >= 1 and third["notes"].get("feed not modified") == 1


def test_since_skips_old_entries_before_fetching(archive_dir, one_route_site):
    server = one_route_site
    summary = crawl(archive_dir, server, *FAST, "--since", "2025-01")
    requested = set(paths(server))
    old_sitemap_only = [n for n in (2, 3) if server.site.articles[n]["published"] < "2025-01"]
    for n in old_sitemap_only:
        assert "/" + server.site.articles[n]["slug"] not in requested
    assert summary["skipped"].get("older than --since", 0) >= len(old_sitemap_only)


def test_killed_crawl_resumes_and_ends_like_an_uninterrupted_one(tmp_path, one_route_site):
    server = one_route_site
    control, killed = tmp_path / "control", tmp_path / "killed"
    crawl(control, server, *FAST)
    slow = (
        "-s",
        "DOWNLOAD_DELAY=0.15",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
        "-s",
        "CONCURRENT_REQUESTS_PER_DOMAIN=1",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "--archive", str(killed), "crawl", server.base + "/", *slow],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if _articles_in(killed) >= 2:
            break
    assert process.poll() is None, "the crawl ended before it could be killed; slow it down"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert _frontier_rows(killed) > 0, "the job's frontier is kept for resuming"
    summary = crawl(killed, server, *FAST)
    assert summary["resumed"] is True and summary["status"] == "ok"
    assert set(stored(killed)) == set(stored(control))
    assert _frontier_rows(killed) == 0, "a finished crawl closes its job"
    runs = json.loads(run_newsarchive("--archive", str(killed), "runs", "--json").stdout)
    assert [r["status"] for r in runs] == ["ok", "interrupted"]
    for record in stored(control).values():
        found = json.loads(
            run_newsarchive("--archive", str(killed), "search", f'"{record["title"]}"', "--json").stdout
        )
        assert record["url"] in [r["url"] for r in found["results"]]


def _frontier_rows(archive) -> int:
    db = sqlite3.connect(f"file:{archive / 'store.sqlite3'}?mode=ro", uri=True, timeout=5)
    try:
        return db.execute("SELECT count(*) FROM frontier").fetchone()[0]
    finally:
        db.close()


def _articles_in(archive) -> int:
    try:
        db = sqlite3.connect(f"file:{archive / 'store.sqlite3'}?mode=ro", uri=True, timeout=1)
        try:
            return db.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def test_captures_are_standard_warc_and_show_the_page_as_served(archive_dir, one_route_site):
    server = one_route_site
    crawl(archive_dir, server, *FAST)
    warcs = sorted((archive_dir / "warc").glob("*.warc.gz"))
    assert warcs
    warcio = os.path.join(os.path.dirname(sys.executable), "warcio")
    for warc in warcs:
        check = subprocess.run([warcio, "check", str(warc)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        index = subprocess.run([warcio, "index", str(warc)], capture_output=True, text=True, check=True)
        kinds = {json.loads(line)["warc-type"] for line in index.stdout.splitlines()}
        assert {"warcinfo", "request", "response"} <= kinds
    url = server.site.url_of(4)
    served = server.site.respond("/" + server.site.articles[4]["slug"], {}).body
    shown = run_newsarchive("--archive", str(archive_dir), "show", url, "--html")
    assert shown.returncode == 0 and shown.stdout == served


def test_faults_never_stop_a_crawl_and_are_counted(archive_dir):
    with SiteServer(faults=True) as server:
        summary = crawl(archive_dir, server, *FAST, "-s", "DOWNLOAD_MAXSIZE=5000000", timeout=240)
        articles = stored(archive_dir)
    # The story on the broken server may load another day: the crawl cannot
    # vouch it found everything, and says so.
    assert summary["status"] == "incomplete"
    assert summary["missed"] == {"page: http 500": 1}
    assert "could not be fetched" in summary["reason"] and summary["pending"] == 0
    errors = summary["errors"]
    assert errors.get("http 500") and errors.get("http 404")
    assert errors.get("too large (over the size cap)") == 1
    assert errors.get("redirect loop or repeat") == 1
    assert errors.get("damaged sitemap (read what could be)") == 1
    assert summary["not_articles"].get("not html") == 1  # the PDF behind an article-like address
    assert summary["notes"].get("asked to wait (Retry-After)") == 1
    by_path = {url.removeprefix(server.base): record for url, record in articles.items()}
    assert "/flaky-story" in by_path, "503 then 200 is retried"
    assert "/slow-story" in by_path
    assert by_path["/legacy-story"]["title"] == "Café owners “fight” the tax", (
        "a wrong charset label is overruled"
    )
    assert len(articles) == 8 + 3


def test_a_page_without_an_article_is_dropped_and_counted_by_reason(archive_dir):
    """A refusal is a typed item drop: the summary counts it by reason,
    Scrapy's own stats by class, and the frontier does not ask again."""
    with SiteServer() as server:
        from newsarchive.demo.newssite import Reply

        teaser = b"<html><head><title>Soon</title></head><body><p>Coming soon.</p></body></html>"
        server.site.extra["/local/2025/06/30/a-story-still-to-come"] = Reply(
            200, teaser, {"Content-Type": "text/html; charset=utf-8"}
        )
        server.site.extra_links.append("/local/2025/06/30/a-story-still-to-come")
        summary = crawl(archive_dir, server, *FAST)
        again = crawl(archive_dir, server, *FAST)
        asked = paths(server).count("/local/2025/06/30/a-story-still-to-come")
    refused = sum(summary["not_articles"].values())
    assert refused == 1 and summary["status"] == "ok"
    log = "".join(path.read_text(encoding="utf-8") for path in (archive_dir / "logs").glob("crawl-*.log"))
    assert "'item_dropped_reasons_count/NotAnArticle': 1," in log
    assert again["not_articles"] == {} and asked == 1


def test_polite_defaults_keep_to_the_per_site_limit(archive_dir):
    with SiteServer() as server:
        crawl(archive_dir, server, "--max-pages", "5", timeout=240)
        assert server.most_in_flight <= 2
        assert len(server.hits) >= 5


def test_crawl_delay_from_robots_is_obeyed(archive_dir):
    with SiteServer(crawl_delay=0.5) as server:
        crawl(archive_dir, server, *FAST, "--max-articles", "1", "-s", "CONCURRENT_REQUESTS=2")
        starts = sorted(hit.started for hit in server.hits if hit.path != "/robots.txt")
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert len(gaps) >= 3 and min(gaps) >= 0.45


@pytest.mark.parametrize(
    ("arguments", "code", "needle"),
    [
        (["crawl", "nosuchsource"], 2, "neither a web address nor a source"),
        (["crawl", "http://127.0.0.1:9/", "-s", "NOEQUALS"], 2, "NAME=VALUE"),
        (["crawl", "http://127.0.0.1:9/", "--since", "soon"], 2, "--since"),
        (["crawl", "http://127.0.0.1:9/", "-s", "RETRY_ENABLED=False"], 1, "nothing could be fetched"),
    ],
)
def test_crawl_usage_and_unreachable_sites(archive_dir, arguments, code, needle):
    result = run_newsarchive("--archive", str(archive_dir), *arguments, timeout=120)
    assert result.returncode == code
    assert needle in result.stderr.decode()
    assert b"Traceback" not in result.stderr


def test_a_source_is_never_crawled_twice_at_once(archive_dir, one_route_site):
    server = one_route_site
    slow = ("-s", "DOWNLOAD_DELAY=0.3", "-s", "AUTOTHROTTLE_ENABLED=False")
    first = subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "--archive", str(archive_dir), "crawl", server.base + "/", *slow],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not server.hits and time.monotonic() < deadline:
            time.sleep(0.1)
        second = run_newsarchive("--archive", str(archive_dir), "crawl", server.base + "/", *FAST)
        assert second.returncode == 1
        assert "the source 127.0.0.1 is busy" in second.stderr.decode()
    finally:
        first.kill()
        first.wait()


def test_a_crawl_never_leaves_its_site_and_listens_on_no_port(archive_dir):
    with SiteServer() as server:
        server.site.extra_links += ["http://elsewhere.example/politics/2025/01/02/a-story-on-another-site",
                                    "https://127.0.0.2:1/local/2025/01/02/a-story-on-another-host"]  # fmt: skip
        summary = crawl(archive_dir, server, *FAST)
    assert summary["skipped"].get("offsite") == 2
    assert "dns lookup failed" not in summary["errors"]
    log = "".join(p.read_text() for p in (archive_dir / "logs").glob("*.log"))
    assert "TelnetConsole" not in log and "Telnet console listening" not in log
