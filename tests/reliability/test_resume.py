"""Kill a crawl at any moment, run it again: the same articles as a crawl
that was never killed, whatever route led to them.

The site (mazesite.py) reaches each article by one route only, so a resume
that loses any step of any route (a listing read but its links lost, a
sitemap index read but its sitemaps lost, a redirect half followed, an
article fetched but not stored) is caught as a missing article. Each trial
kills the crawl with SIGKILL once or twice at random moments (while
robots.txt and the sitemaps are read, in the middle of listings, with
articles in the pipeline, while it shuts down), then lets it finish, and
compares the archive with every article the site has. A run that stopped
early must never have been reported ok.

CI runs a few trials; `NEWSARCHIVE_RESUME_TRIALS=200` runs many,
`NEWSARCHIVE_RESUME_SEED` replays a run.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from mazesite import MazeSite

from conftest import run_newsarchive
from newsarchive.demo.server import SiteServer

pytestmark = pytest.mark.slow

TRIALS = int(os.environ.get("NEWSARCHIVE_RESUME_TRIALS", "4"))
SEED = int(os.environ.get("NEWSARCHIVE_RESUME_SEED", "20261128"))
FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False")
# A crawl of the maze takes about this long here, start-up included:
# kills land anywhere in it, and some after it.
CRAWL_SECONDS = 4.0


@pytest.fixture(scope="module")
def maze():
    with SiteServer(site=lambda base: MazeSite(base, seed=SEED)) as server:
        yield server


def crawl(archive, server, *options) -> dict:
    result = run_newsarchive("--archive", str(archive), "crawl", server.base + "/", *FAST, *options, "--json",
                             timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)[0]


def archived(archive) -> set[str]:
    return set(_query(archive, "SELECT url FROM articles"))


def _query(archive, sql: str) -> list:
    try:
        db = sqlite3.connect(f"file:{archive / 'store.sqlite3'}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error:
        return []
    try:
        return [row[0] for row in db.execute(sql)]
    except sqlite3.OperationalError:  # killed before the store had its tables
        return []
    finally:
        db.close()


def test_an_uninterrupted_crawl_finds_every_article(maze, tmp_path):
    summary = crawl(tmp_path / "control", maze)
    assert summary["status"] == "ok", summary
    assert archived(tmp_path / "control") == maze.site.article_urls


def test_killed_crawls_resume_to_the_same_articles(maze, tmp_path):
    rng = random.Random(SEED)
    expected = maze.site.article_urls
    for trial in range(TRIALS):
        archive = tmp_path / f"trial-{trial}"
        where = f"trial {trial} (seed {SEED})"
        for _ in range(rng.choice((1, 1, 2))):
            process = subprocess.Popen(
                [sys.executable, "-m", "newsarchive", "--archive", str(archive), "crawl", maze.base + "/", *FAST],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            time.sleep(rng.uniform(0.2, CRAWL_SECONDS + 0.5))
            process.send_signal(signal.SIGKILL)
            process.wait()
            # A run that says ok has everything; one killed before it could
            # say anything is left "running", to be marked interrupted.
            last = _query(archive, "SELECT status FROM runs ORDER BY id DESC LIMIT 1")
            if last == ["ok"]:
                assert archived(archive) == expected, f"{where}: reported ok while incomplete"
        summary = crawl(archive, maze)
        missing = expected - archived(archive)
        assert not missing, f"{where}: {len(missing)} articles missing after resuming: {sorted(missing)[:3]}"
        assert archived(archive) == expected, where
        assert summary["status"] == "ok", f"{where}: {summary}"
        assert _query(archive, "SELECT count(*) FROM frontier") == [0], f"{where}: the job was not closed"
        statuses = _query(archive, "SELECT status FROM runs ORDER BY id")
        assert "running" not in statuses[:-1], f"{where}: a killed run was never marked: {statuses}"


def test_a_budget_is_incomplete_and_the_next_crawl_finishes_it(maze, tmp_path):
    archive = tmp_path / "budget"
    first = crawl(archive, maze, "--max-pages", "15")
    assert first["status"] == "incomplete" and "--max-pages" in first["reason"], first
    assert first["pending"] > 0
    assert archived(archive) < maze.site.article_urls
    assert _health(archive)["pending"] == first["pending"]
    second = crawl(archive, maze)
    assert second["resumed"] is True and second["status"] == "ok", second
    assert archived(archive) == maze.site.article_urls
    assert _health(archive)["pending"] == 0


def _health(archive) -> dict:
    stats = json.loads(run_newsarchive("--archive", str(archive), "stats", "--json").stdout)
    (health,) = stats["crawls"]
    return health
