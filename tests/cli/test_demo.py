"""`newsarchive demo`: the first thing a new user runs."""

from __future__ import annotations

import json
import os
import sys
from html import escape

from conftest import run_newsarchive


def test_demo_into_a_given_archive(archive_dir):
    result = run_newsarchive("--archive", str(archive_dir), "demo")
    assert result.returncode == 0, result.stderr.decode()
    out = result.stdout.decode()
    assert "demo: 8 new, 0 updated, 0 unchanged articles" in out
    assert "Council approves budget for flood barriers" in out
    assert "Rowing club trains for its first national final" in out
    stats = json.loads(run_newsarchive("--archive", str(archive_dir), "stats", "--json").stdout)
    assert stats["articles"] == 8
    (health,) = stats["crawls"]
    assert (health["source"], health["runs"], health["last_status"]) == ("demo", 1, "ok")
    (run,) = json.loads(run_newsarchive("--archive", str(archive_dir), "runs", "--json").stdout)
    assert (run["source"], run["status"], run["new"]) == ("demo", "ok", 8)
    # Every article's capture is the page as the demo site served it.
    first = json.loads(run_newsarchive("--archive", str(archive_dir), "export").stdout.splitlines()[0])
    html = run_newsarchive("--archive", str(archive_dir), "show", first["id"], "--html").stdout
    assert escape(first["title"]).encode() in html and html.startswith(b"<!DOCTYPE html>")


def test_demo_never_touches_the_users_archive(tmp_path):
    home = tmp_path / "my-archive"
    env = {"NEWSARCHIVE_HOME": str(home), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = run_newsarchive("demo", env=env)
    assert result.returncode == 0, result.stderr.decode()
    assert not home.exists()
    assert (tmp_path / "cache" / "newsarchive" / "demo-archive" / "store.sqlite3").is_file()
    # Run twice: a fresh demo archive each time, same result.
    assert run_newsarchive("demo", env=env).returncode == 0


def test_console_script_is_installed():
    script = os.path.join(os.path.dirname(sys.executable), "newsarchive")
    assert os.path.exists(script), "install the project first: pip install -e '.[dev]'"
