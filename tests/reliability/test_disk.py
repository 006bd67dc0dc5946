"""A full disk and a read-only archive: a clear message, nothing lost.

On a machine that lets the tests mount a small tmpfs the disk is really
full (or really read-only); elsewhere the failure is injected where the
store writes.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import uuid

import pytest

from conftest import run_newsarchive
from newsarchive.demo.server import SiteServer
from newsarchive.demo.site import article_page, site_data
from newsarchive.store import open_store
from newsarchive.store import sqlite as store_module
from newsarchive.store.sql import _guarded as guarded


def write_pages(folder, count: int) -> None:
    data = site_data()
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        template = data["articles"][n % 8]
        article = {**template, "slug": f"{template['slug']}-{n}", "title": f"{template['title']} ({n})"}
        (folder / f"p{n:03d}.html").write_bytes(article_page(data["site"], article).html)


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    tried = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=500k", "tmpfs", str(mount)], capture_output=True
    )
    if tried.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs here ({tried.stderr.decode().strip()}); the injected test covers it"
        )
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def resize(mount, size: str, *extra: str) -> None:
    subprocess.run(["mount", "-o", ",".join(["remount", f"size={size}", *extra]), str(mount)], check=True)


def test_full_disk_while_adding(small_disk, tmp_path):
    write_pages(tmp_path / "pages", 60)
    archive = small_disk / "archive"
    result = run_newsarchive("--archive", str(archive), "add", str(tmp_path / "pages"))
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "is full: free some space" in err and "Traceback" not in err
    with open_store(archive / "store.sqlite3") as store:
        assert store.integrity() == "ok"
        kept = store.count()
    assert kept > 0
    resize(small_disk, "50m")
    assert json.loads(run_newsarchive("--archive", str(archive), "doctor", "--repair", "--json").stdout)[
        "healthy"
    ]
    assert run_newsarchive("--archive", str(archive), "add", str(tmp_path / "pages")).returncode == 0
    assert json.loads(run_newsarchive("--archive", str(archive), "stats", "--json").stdout)["articles"] == 60


def test_full_disk_while_crawling(small_disk):
    archive = small_disk / "archive"
    with SiteServer() as server:
        result = run_newsarchive(
            "--archive", str(archive), "crawl", server.base + "/", "-s", "DOWNLOAD_DELAY=0",
            "-s", "AUTOTHROTTLE_ENABLED=False", timeout=120,
        )  # fmt: skip
    assert result.returncode == 1
    assert "the crawl stopped: the disk holding the archive" in result.stderr.decode()
    resize(small_disk, "50m")
    with open_store(archive / "store.sqlite3") as store:
        assert store.integrity() == "ok"


def test_read_only_archive_is_searched_but_not_written(small_disk, tmp_path):
    resize(small_disk, "50m")
    write_pages(tmp_path / "pages", 3)
    archive = small_disk / "archive"
    assert run_newsarchive("--archive", str(archive), "add", str(tmp_path / "pages")).returncode == 0
    resize(small_disk, "50m", "ro")
    refused = run_newsarchive("--archive", str(archive), "add", str(tmp_path / "pages" / "p000.html"))
    assert refused.returncode == 1 and "read-only" in refused.stderr.decode()
    found = run_newsarchive("--archive", str(archive), "search", "harbour", "--json")
    assert found.returncode == 0 and json.loads(found.stdout)["total"] >= 1


def test_injected_full_disk_stops_add_cleanly(na, tmp_path, monkeypatch):
    write_pages(tmp_path / "pages", 6)
    original = store_module.SQLiteStore.put.__wrapped__  # below the backend's error mapping
    calls = {"n": 0}

    def put(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 3:
            raise sqlite3.OperationalError("database or disk is full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(store_module.SQLiteStore, "put", guarded(put))
    result = na("add", str(tmp_path / "pages"), code=1)
    assert (
        "is full: free some space" in result.stderr
        and "everything stored before this point is kept" in result.stderr
    )
    monkeypatch.undo()
    assert na.json("stats")["articles"] == 3
    assert na.json("doctor", "--repair")["healthy"]
