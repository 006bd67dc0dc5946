"""SIGKILL at random moments: nothing acknowledged is lost, search never fails.

Each trial starts `add`, `crawl`, `import` or `reindex` on an archive that
already holds articles, reads which articles the store holds a moment
before killing the command (those are acknowledged: committed), kills it,
and checks that the store opens and passes SQLite's integrity check, that
every acknowledged article is still there, that the WARC files read (a cut
last record aside), and that after `doctor --repair` the index agrees
with the store exactly. Searches run all through each trial: not one may
fail while the store holds articles.

CI runs a few trials of each command; `NEWSARCHIVE_KILLS=200` runs many.
`NEWSARCHIVE_KILL_SEED` replays a run.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from newsarchive.archive import Archive
from newsarchive.config import Config
from newsarchive.demo.server import SiteServer
from newsarchive.demo.site import article_page, site_data
from newsarchive.doctor import examine, index_disagreements, whole_records_end
from newsarchive.store import open_store

pytestmark = pytest.mark.slow

KILLS = int(os.environ.get("NEWSARCHIVE_KILLS", "12"))
SEED = int(os.environ.get("NEWSARCHIVE_KILL_SEED", "20261123"))
COMMANDS = ("add", "crawl", "import", "reindex")


def write_pages(folder, count: int, start: int) -> None:
    data = site_data()
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(start, start + count):
        template = data["articles"][n % 8]
        article = {**template, "slug": f"{template['slug']}-{n}", "title": f"{template['title']} ({n})"}
        (folder / f"p{n}.html").write_bytes(article_page(data["site"], article).html)


def write_warc(path, count: int, start: int) -> None:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    data = site_data()
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for n in range(start, start + count):
            template = data["articles"][n % 8]
            article = {**template, "slug": f"{template['slug']}-w{n}", "title": f"{template['title']} (w{n})"}
            page = article_page(data["site"], article)
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(writer.create_warc_record(
                page.url, "response", payload=io.BytesIO(page.html), length=len(page.html), http_headers=headers
            ))  # fmt: skip


@pytest.fixture(scope="module")
def material(tmp_path_factory):
    """A baseline archive of 20 articles, pages to add, a WARC to import."""
    root = tmp_path_factory.mktemp("crash")
    write_pages(root / "baseline-pages", 20, 0)
    write_pages(root / "more-pages", 80, 100)
    write_warc(root / "more.warc.gz", 80, 300)
    baseline = root / "baseline"
    subprocess.run(
        [sys.executable, "-m", "newsarchive", "--archive", str(baseline), "add", str(root / "baseline-pages")],
        check=True, capture_output=True,
    )  # fmt: skip
    return root


def committed_ids(archive) -> set[str]:
    try:
        db = sqlite3.connect(f"file:{archive / 'store.sqlite3'}?mode=ro", uri=True, timeout=5)
        try:
            return {row[0] for row in db.execute("SELECT id FROM articles")}
        finally:
            db.close()
    except sqlite3.Error:
        return set()


def command_for(name: str, archive, material, site) -> list[str]:
    base = [sys.executable, "-m", "newsarchive", "--archive", str(archive)]
    if name == "add":
        return base + ["add", str(material / "more-pages")]
    if name == "import":
        return base + ["import", str(material / "more.warc.gz")]
    if name == "reindex":
        return base + ["reindex"]
    return base + ["crawl", site.base + "/", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


# How long each command runs here, roughly: kills land anywhere in it.
DURATION = {"add": 1.5, "import": 1.5, "reindex": 0.8, "crawl": 3.0}


class SearchLoop:
    """`newsarchive search` run again and again in a thread while commands
    are written, killed and run again; every search the archive could have
    answered (the store held articles) must succeed."""

    def __init__(self, archive):
        self.archive = archive
        self.failures: list[str] = []
        self.answered = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> SearchLoop:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        command = [
            sys.executable,
            "-m",
            "newsarchive",
            "--archive",
            str(self.archive),
            "search",
            "harbour",
            "--json",
        ]
        while not self._stop.is_set():
            had_articles = bool(committed_ids(self.archive))
            result = subprocess.run(command, capture_output=True, text=True, timeout=60)
            if not had_articles:
                continue
            try:
                json.loads(result.stdout)
            except ValueError:
                self.failures.append(f"exit {result.returncode}: {result.stderr.strip()[:200]}")
            else:
                self.answered += 1 if result.returncode == 0 else 0
                if result.returncode:
                    self.failures.append(f"exit {result.returncode}: {result.stderr.strip()[:200]}")


def test_kills_lose_nothing_acknowledged_and_search_never_fails(material, tmp_path):
    """Half the trials start from an empty archive, so kills also land
    while the first index is made; after each kill the same command runs
    again to the end, searches going on throughout."""
    rng = random.Random(SEED)
    results, searches = [], 0
    with SiteServer() as site:
        for trial in range(KILLS):
            name = COMMANDS[trial % len(COMMANDS)]
            archive = tmp_path / f"trial-{trial}"
            fresh = name != "reindex" and trial % 8 >= 4
            if not fresh:
                shutil.copytree(material / "baseline", archive)
            where = f"trial {trial} ({name}{', fresh archive' if fresh else ''}, seed {SEED})"
            with SearchLoop(archive) as loop:
                process = subprocess.Popen(
                    command_for(name, archive, material, site),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                time.sleep(rng.uniform(0.25, 0.4 + DURATION[name]))
                acknowledged = committed_ids(archive)
                process.send_signal(signal.SIGKILL)
                process.wait()
                if (archive / "store.sqlite3").exists():
                    with open_store(archive / "store.sqlite3") as store:
                        assert store.integrity() == "ok", where
                        lost = acknowledged - set(store.content_hashes())
                        assert not lost, f"{where}: {len(lost)} acknowledged articles lost"
                    for warc in (archive / "warc").glob("*.warc.gz"):
                        end, problem = whole_records_end(warc)
                        # Whole records read; only a killed writer's last one may be cut.
                        assert end > 0 or problem, f"{where}: {warc.name} cannot be read"
                # The same command again, to the end, searches going on.
                again = subprocess.run(
                    command_for(name, archive, material, site), capture_output=True, timeout=300
                )
                assert again.returncode == 0, f"{where}: {again.stderr.decode()[-500:]}"
            assert not loop.failures, f"{where}: {len(loop.failures)} searches failed: {loop.failures[:3]}"
            searches += loop.answered
            with open_store(archive / "store.sqlite3") as store:
                report = examine(Archive(Config(archive)), store, repair=True)
                assert report.healthy, f"{where}: {report.to_dict()}"
                engine = Archive(Config(archive)).engine(store)
                assert index_disagreements(engine, store) == [], where
                results.append((name, process.returncode, len(acknowledged), store.count()))
            shutil.rmtree(archive)
    assert len(results) == KILLS
    # The kills did land in the middle of work, not only before or after it,
    # and the searches did run through them.
    assert any(0 < acknowledged < after for _, _, acknowledged, after in results)
    print(f"\n{KILLS} kills, {searches} searches answered, 0 failed")
    assert searches >= KILLS
