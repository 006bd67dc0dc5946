"""SIGKILL at random moments: nothing acknowledged is lost, nothing breaks.

Each trial starts `add`, `crawl`, `import` or `reindex` on an archive that
already holds articles, reads which articles the store holds a moment
before killing the command (those are acknowledged: committed), kills it,
and checks that the store opens and passes SQLite's integrity check, that
every acknowledged article is still there, that the WARC files read (a cut
last record aside), and that after `doctor --repair` the index agrees
with the store exactly.

CI runs a few trials of each command; `NEWSARCHIVE_KILLS=200` runs many.
`NEWSARCHIVE_KILL_SEED` replays a run.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from newsarchive.archive import Archive
from newsarchive.config import Config
from newsarchive.demo.server import SiteServer
from newsarchive.demo.site import article_page, site_data
from newsarchive.doctor import examine, index_disagreements, whole_records_end
from newsarchive.store import Store

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


def test_kills_lose_nothing_acknowledged(material, tmp_path):
    rng = random.Random(SEED)
    results = []
    with SiteServer() as site:
        for trial in range(KILLS):
            name = COMMANDS[trial % len(COMMANDS)]
            archive = tmp_path / f"trial-{trial}"
            shutil.copytree(material / "baseline", archive)
            process = subprocess.Popen(
                command_for(name, archive, material, site),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(rng.uniform(0.25, 0.4 + DURATION[name]))
            acknowledged = committed_ids(archive)
            process.send_signal(signal.SIGKILL)
            process.wait()
            where = f"trial {trial} ({name}, seed {SEED})"

            with Store.open(archive / "store.sqlite3") as store:
                assert store.integrity() == "ok", where
                lost = acknowledged - set(store.content_hashes())
                assert not lost, f"{where}: {len(lost)} acknowledged articles lost"
                for warc in (archive / "warc").glob("*.warc.gz"):
                    end, problem = whole_records_end(warc)
                    # Whole records read; only a killed writer's last one may be cut.
                    assert end > 0 or problem, f"{where}: {warc.name} cannot be read"
                report = examine(Archive(Config(archive)), store, repair=True)
                assert report.healthy, f"{where}: {report.to_dict()}"
                assert index_disagreements(archive / "index", store) == [], where
                results.append((name, process.returncode, len(acknowledged), store.count()))
            shutil.rmtree(archive)
    assert len(results) == KILLS
    # The kills did land in the middle of work, not only before or after it.
    assert any(after > 20 for _, _, _, after in results)
