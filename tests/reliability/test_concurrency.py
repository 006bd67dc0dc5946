"""Readers never wait; writers take turns; nothing is lost either way."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from conftest import run_newsarchive
from newsarchive.archive import Archive
from newsarchive.config import Config
from newsarchive.demo.site import article_page, site_data

pytestmark = pytest.mark.slow


def write_pages(directory, count: int, start: int = 0) -> None:
    """`count` distinct article pages, made from the demo articles."""
    data = site_data()
    directory.mkdir(parents=True, exist_ok=True)
    for n in range(start, start + count):
        template = data["articles"][n % len(data["articles"])]
        article = {**template, "slug": f"{template['slug']}-{n}", "title": f"{template['title']} (part {n})"}
        (directory / f"page-{n}.html").write_bytes(article_page(data["site"], article).html)


def test_search_keeps_answering_while_another_process_adds(archive_dir, tmp_path):
    batches = []
    for b in range(4):
        write_pages(tmp_path / f"batch-{b}", 15, start=b * 15)
        batches.append(tmp_path / f"batch-{b}")
    first = run_newsarchive("--archive", str(archive_dir), "add", str(batches[0]))
    assert first.returncode == 0, first.stderr

    adders = []

    def add_the_rest() -> None:
        for batch in batches[1:]:
            adders.append(run_newsarchive("--archive", str(archive_dir), "add", str(batch)))

    thread = threading.Thread(target=add_the_rest)
    thread.start()
    totals = []
    while thread.is_alive() or len(totals) < 3:
        result = run_newsarchive(
            "--archive", str(archive_dir), "search", "harbour OR council OR seals", "--json"
        )
        assert result.returncode == 0, result.stderr.decode()
        totals.append(json.loads(result.stdout)["total"])
    thread.join()
    assert [a.returncode for a in adders] == [0, 0, 0], [a.stderr.decode() for a in adders]
    assert totals == sorted(totals)  # only ever grows
    final = run_newsarchive("--archive", str(archive_dir), "stats", "--json")
    assert json.loads(final.stdout)["articles"] == 60
    assert json.loads(final.stdout)["index"]["behind"] == 0


def test_two_writers_at_once_both_succeed(archive_dir, tmp_path):
    write_pages(tmp_path / "a", 12, start=0)
    write_pages(tmp_path / "b", 12, start=100)
    results = {}

    def add(name: str) -> None:
        results[name] = run_newsarchive("--archive", str(archive_dir), "add", str(tmp_path / name))

    threads = [threading.Thread(target=add, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results.values():
        assert result.returncode == 0, result.stderr.decode()
    stats = json.loads(run_newsarchive("--archive", str(archive_dir), "stats", "--json").stdout)
    assert stats["articles"] == 24 and stats["index"]["behind"] == 0
    search = json.loads(
        run_newsarchive("--archive", str(archive_dir), "search", "part", "--json", "--limit", "50").stdout
    )
    assert search["total"] == 24


def test_busy_archive_is_reported_with_its_holder_and_nothing_is_lost(archive_dir, tmp_path):
    write_pages(tmp_path / "pages", 3)
    archive = Archive(Config(archive_dir))
    archive_dir.mkdir()
    with archive.writer_lock("a test holding the archive"):
        result = run_newsarchive(
            "--archive",
            str(archive_dir),
            "add",
            str(tmp_path / "pages"),
            env={"NEWSARCHIVE_LOCK_TIMEOUT": "0.5"},
        )
        assert result.returncode == 1
        message = result.stderr.decode()
        assert "stored, but not indexed yet" in message and "a test holding the archive" in message
        # Readers are not blocked by the writer lock.
        stats = run_newsarchive("--archive", str(archive_dir), "stats", "--json")
        assert json.loads(stats.stdout)["articles"] == 3
    # The next writer catches the index up.
    result = run_newsarchive("--archive", str(archive_dir), "reindex")
    assert result.returncode == 0
    search = run_newsarchive("--archive", str(archive_dir), "search", "part", "--json")
    assert json.loads(search.stdout)["total"] == 3


def test_search_never_fails_while_a_crawl_writes(archive_dir, tmp_path):
    from newsarchive.demo.server import SiteServer

    write_pages(tmp_path / "first", 5)
    assert run_newsarchive("--archive", str(archive_dir), "add", str(tmp_path / "first")).returncode == 0
    known = json.loads(run_newsarchive("--archive", str(archive_dir), "export").stdout.splitlines()[0])["id"]
    with SiteServer() as server:
        crawler = subprocess.Popen(
            [sys.executable, "-m", "newsarchive", "--archive", str(archive_dir), "crawl", server.base + "/",
             "-s", "DOWNLOAD_DELAY=0.05", "-s", "AUTOTHROTTLE_ENABLED=False"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        searches = 0
        while crawler.poll() is None or searches < 3:
            for command in (["search", "harbour", "--json"], ["show", known, "--json"]):
                result = run_newsarchive("--archive", str(archive_dir), *command)
                assert result.returncode == 0, result.stderr.decode()
                json.loads(result.stdout)
            searches += 1
        assert crawler.wait() == 0
    assert searches >= 3


def test_no_file_is_written_outside_the_archive(archive_dir, tmp_path):
    from newsarchive.demo.server import SiteServer

    before = {p for p in tmp_path.rglob("*")}
    with SiteServer() as server:
        result = run_newsarchive(
            "--archive", str(archive_dir), "crawl", server.base + "/../../../../tmp/escape/%2e%2e/",
            "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr.decode()
    outside = {p for p in tmp_path.rglob("*") if archive_dir not in p.parents and p != archive_dir} - before
    assert outside == set()
