"""Re-checks and versions end to end: a local site whose articles change
between fetches, crawled with compressed re-check intervals through the
CLI, then read back with `history`, `diff` and `show`."""

from __future__ import annotations

import itertools
import json
import time
from datetime import UTC, datetime

import pytest
from editsite import EditSite

from conftest import run_newsarchive
from newsarchive.demo.server import SiteServer

pytestmark = pytest.mark.slow

FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")
# Every archived article due again at each crawl (time compressed).
EVERY_CRAWL = ("-s", "RECHECK_FIRST=0.01", "-s", "RECHECK_FACTOR=1", "-s", "RECHECK_QUIET=100000")


def crawl(archive, server, *options):
    result = run_newsarchive(
        "--archive", str(archive), "crawl", server.base + "/", *options, "--json", timeout=180
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)[0]


def na_json(archive, *args):
    result = run_newsarchive("--archive", str(archive), *args, "--json")
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def history(archive, server, slug):
    return na_json(archive, "history", server.site.url_of(slug))["versions"]


@pytest.fixture(scope="module")
def walked(tmp_path_factory):
    """The site crawled once, then re-checked twice (each story walks
    through its stages), and a fourth time when nothing changes."""
    archive = tmp_path_factory.mktemp("versions") / "archive"
    with SiteServer(site=EditSite) as server:
        summaries = [crawl(archive, server, *FAST, *EVERY_CRAWL)]
        for _ in range(3):
            summaries.append(crawl(archive, server, *FAST, *EVERY_CRAWL, "--recheck-only"))
        yield archive, server, summaries


def test_each_real_edit_is_one_version_with_the_right_flags(walked):
    archive, server, _ = walked
    expected = {
        "headline": ["headline"],
        "correction": ["body", "correction"],
        "stealth": ["body", "stealth"],
        "moved": ["body"],
    }
    for slug, flags in expected.items():
        versions = history(archive, server, slug)
        assert [v["version"] for v in versions] == [1, 2], slug
        assert versions[1]["changes"] == flags, slug
    moved = history(archive, server, "moved")[1]["detail"]["paragraphs"]
    assert moved == {"added": 0, "deleted": 0, "edited": 0, "moved": 1}
    assert history(archive, server, "stealth")[1]["detail"]["sentences"]["edited"] == 1


def test_noise_makes_no_version(walked):
    archive, server, _ = walked
    assert [v.get("version") for v in history(archive, server, "noise")] == [1]
    assert [v.get("version") for v in history(archive, server, "steady")] == [1]


def test_reverts_degraded_fetches_and_live_blogs_are_recorded_as_such(walked):
    archive, server, _ = walked
    revert = history(archive, server, "revert")
    assert [(v.get("version"), v.get("note")) for v in revert] == [(1, None), (2, None), (None, "reverted")]
    assert revert[2]["text"] == "reverted to v1" and revert[2]["reverted_to"] == 1
    degraded = history(archive, server, "degraded")
    assert [(v.get("version"), v.get("note")) for v in degraded] == [(1, None), (None, "degraded")]
    assert degraded[1]["capture"] is not None  # the thin page is kept
    live = history(archive, server, "live")
    assert [(v.get("version"), v.get("note")) for v in live] == [(1, None), (None, "appended"), (2, None)]
    shown = na_json(archive, "show", server.site.url_of("degraded"))
    assert "Subscribe" not in shown["text"] and shown["word_count"] > 100  # never replaced by the wall


def test_diff_shows_moves_corrections_and_words(walked):
    archive, server, _ = walked
    moved = na_json(archive, "diff", server.site.url_of("moved"))
    assert [(op["op"], op["old_index"], op["new_index"]) for op in moved["ops"]] == [("move", 4, 0)]
    assert moved["title"] is None and (moved["from"], moved["to"]) == (1, 2)
    corrected = na_json(archive, "diff", server.site.url_of("correction"))
    assert [op["op"] for op in corrected["ops"]] == ["edit", "add"]
    assert corrected["ops"][1]["new"].startswith("Correction:")
    headline = na_json(archive, "diff", server.site.url_of("headline"), "1", "2")
    assert headline["title"] == {
        "old": "Pier to close to lorries",
        "new": "North pier to close to heavy lorries from March",
    }
    piped = run_newsarchive(
        "--archive", str(archive), "diff", server.site.url_of("correction"), "--context", "0"
    )
    out = piped.stdout.decode()
    assert piped.returncode == 0 and "[-4.2-] {+2.4+}" in out and "{+Correction: An earlier" in out
    assert "moved from paragraph 5 to 1" in run_newsarchive(
        "--archive", str(archive), "diff", server.site.url_of("moved")).stdout.decode()  # fmt: skip
    human = run_newsarchive(
        "--archive", str(archive), "history", server.site.url_of("correction")
    ).stdout.decode()
    assert "body, correction" in human and "v2" in human
    one = run_newsarchive("--archive", str(archive), "diff", server.site.url_of("steady"))
    assert one.returncode == 2 and b"one version only" in one.stderr


def test_show_replays_each_version(walked):
    archive, server, _ = walked
    url = server.site.url_of("headline")
    first = run_newsarchive("--archive", str(archive), "show", url, "--version", "1", "--html").stdout
    latest = run_newsarchive("--archive", str(archive), "show", url, "--html").stdout
    assert b"<h1>Pier to close to lorries</h1>" in first and b"<h1>North pier to close" in latest
    assert na_json(archive, "show", url, "--version", "1")["title"] == "Pier to close to lorries"
    text = run_newsarchive("--archive", str(archive), "show", url).stdout.decode()
    assert "1 earlier version (last change: headline" in text
    missing = run_newsarchive("--archive", str(archive), "show", url, "--version", "9")
    assert missing.returncode == 1 and b"versions 1 to 2" in missing.stderr


def test_rechecks_are_conditional_and_counted(walked):
    archive, server, summaries = walked
    steady = [h for h in server.hits if h.path.endswith("/steady")]
    assert len(steady) == 4 and all("if-none-match" in h.headers for h in steady[1:])
    assert [h.status for h in steady] == [200, 304, 304, 304]
    assert summaries[-1]["notes"]["re-check not modified (304)"] == 9  # nothing changes any more
    assert (
        summaries[1]["notes"]["new versions of archived articles"] == 5
    )  # headline, correction, stealth, moved, revert
    assert not any(h.path in ("/", "/sitemap.xml") for h in server.hits if h.started > steady[1].started)


def test_a_sitemap_lastmod_brings_a_recheck_forward(archive_dir):
    with SiteServer(site=EditSite) as server:
        crawl(archive_dir, server, *FAST, "-s", "RECHECK_FIRST=3600")
        time.sleep(1.1)  # a lastmod to the second, after the first capture
        server.site.lastmod["headline"] = datetime.now(UTC).isoformat(timespec="seconds")
        summary = crawl(archive_dir, server, *FAST, "-s", "RECHECK_FIRST=3600")
        fetched = {
            slug: len([h for h in server.hits if h.path.endswith("/" + slug)]) for slug in server.site.stories
        }
        assert fetched["headline"] == 2 and all(n == 1 for slug, n in fetched.items() if slug != "headline")
        assert summary["notes"]["re-check brought forward by the sitemap"] == 1
        assert [v["version"] for v in history(archive_dir, server, "headline")] == [1, 2]
        # Seen once, the lastmod is remembered: the next crawl does not ask again.
        crawl(archive_dir, server, *FAST, "-s", "RECHECK_FIRST=3600")
        assert len([h for h in server.hits if h.path.endswith("/headline")]) == 2


def test_a_feed_updated_time_brings_a_recheck_forward(archive_dir):
    with SiteServer(site=EditSite) as server:
        crawl(archive_dir, server, *FAST, "-s", "RECHECK_FIRST=3600")
        time.sleep(1.1)
        server.site.updated["correction"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        summary = crawl(archive_dir, server, *FAST, "-s", "RECHECK_FIRST=3600")
        fetched = {
            slug: len([h for h in server.hits if h.path.endswith("/" + slug)]) for slug in server.site.stories
        }
        assert fetched["correction"] == 2 and all(
            n == 1 for slug, n in fetched.items() if slug != "correction"
        )
        assert summary["notes"]["re-check brought forward by the feed"] == 1
        assert history(archive_dir, server, "correction")[1]["changes"] == ["body", "correction"]


def test_rechecks_keep_to_robots_txt_and_its_crawl_delay(archive_dir):
    with SiteServer(site=EditSite) as server:
        crawl(archive_dir, server, *FAST, *EVERY_CRAWL)
        server.site.disallow = ("/news/2026/11/20/steady",)
        server.site.crawl_delay = 0.3
        start, server.most_in_flight = len(server.hits), 0
        crawl(archive_dir, server, *FAST, *EVERY_CRAWL, "--recheck-only")
        again = server.hits[start:]
    paths = [h.path for h in again]
    assert "/robots.txt" in paths and not any(p.endswith("/steady") for p in paths)
    pages = sorted(h.started for h in again if h.path.startswith("/news/"))
    assert len(pages) == 8
    assert min(b - a for a, b in itertools.pairwise(pages)) >= 0.28
    assert server.most_in_flight <= 2


def test_rechecks_can_be_turned_off(archive_dir):
    with SiteServer(site=EditSite) as server:
        crawl(archive_dir, server, *FAST, *EVERY_CRAWL, "-s", "RECHECK_ENABLED=False")
        start = len(server.hits)
        crawl(archive_dir, server, *FAST, *EVERY_CRAWL, "--recheck-only")
        assert not any(h.path.startswith("/news/") for h in server.hits[start:])


def test_search_finds_removed_text_and_what_changed(walked):
    archive, server, _ = walked
    assert na_json(archive, "search", 'stealth "12 firms"')["total"] == 0
    found = na_json(archive, "search", 'stealth "12 firms"', "--all-versions")
    assert [hit["url"] for hit in found["results"]] == [server.site.url_of("stealth")]
    assert found["results"][0]["snippet"].startswith("(earlier version) ")
    # The stories tell one tale in different towns: copies, shown with --all.
    changed = na_json(archive, "search", "pier", "--changed-since", "2020", "--limit", "50", "--all")
    slugs = {hit["url"].rsplit("/", 1)[-1] for hit in changed["results"]}
    assert slugs == {"headline", "correction", "stealth", "moved", "revert", "live"}
    assert na_json(archive, "search", "pier", "--changed-since", "2999")["total"] == 0
    exported = run_newsarchive("--archive", str(archive), "export", "--changed-since", "2020").stdout.decode()
    assert len(exported.splitlines()) == 6


def test_schedule_runs_due_rechecks_between_crawls(archive_dir):
    def schedule_once() -> str:
        result = run_newsarchive("--archive", str(archive_dir), "schedule", "--once", timeout=180)
        assert result.returncode == 0, result.stderr.decode()
        return result.stderr.decode()

    with SiteServer(site=EditSite) as server:
        added = run_newsarchive("--archive", str(archive_dir), "sources", "add", "courier", server.base + "/",
                                "--every", "1h", *FAST, "-s", "RECHECK_FIRST=0.5", "-s", "RECHECK_FACTOR=1")  # fmt: skip
        assert added.returncode == 0, added.stderr.decode()
        assert "courier: crawl started" in schedule_once()
        time.sleep(1.0)
        said = schedule_once()  # the source's crawl is not due for an hour; its re-checks are
        assert "courier: re-check run started (due re-checks)" in said
        runs = na_json(archive_dir, "runs", "--limit", "10")
    assert sorted(r["source"] for r in runs) == ["courier", "courier re-checks"]
    assert [v["version"] for v in history(archive_dir, server, "headline")] == [1, 2]


def test_a_feed_and_a_sitemap_that_disagree_on_times_bring_nothing_forward(tmp_path):
    from samples import make_article

    from newsarchive.crawl.rechecks import RecheckBook
    from newsarchive.store import open_store
    from newsarchive.versions.recheck import Timing

    with open_store(tmp_path / "store.sqlite3") as store:
        article = make_article()
        store.put(article, now="2026-11-20T10:00:00+00:00")
        book = RecheckBook(store, Timing(first=3600))
        book.first(
            article.id, article.url, article.source, {"origin": "feed", "updated": "2026-11-20T09:00:00Z"}
        )
        for _ in range(3):  # crawl after crawl, each says what it said before
            assert not book.hint(
                article.id, article.url, article.source, "sitemap", "2026-11-20T09:30:00+00:00", None
            )
            assert not book.hint(
                article.id, article.url, article.source, "feed", "2026-11-20T09:00:00Z", "A title"
            )
        assert store.recheck_of(article.id).due > time.time() + 3000
        assert book.hint(article.id, article.url, article.source, "feed", "2026-11-21T09:00:00Z", "A title")
        assert store.recheck_of(article.id).due <= time.time()
        assert book.hint(
            article.id, article.url, article.source, "feed", "2026-11-21T09:00:00Z", "Another title"
        )
        # An article stored by add or import gets no schedule of its own; a hint alone brings a look.
        imported = make_article(2)
        store.put(imported, now="2026-11-20T10:00:00+00:00")
        assert not book.hint(
            imported.id, imported.url, imported.source, "sitemap", "2026-11-19T00:00:00Z", None
        )
        assert store.recheck_of(imported.id).due is None
        assert book.hint(imported.id, imported.url, imported.source, "sitemap", "2026-11-22T00:00:00Z", None)
        assert store.recheck_of(imported.id).due <= time.time()
