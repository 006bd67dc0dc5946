"""What names an archive's parts: ARCHIVE/config.toml < environment <
root options, and child processes opened the same way."""

from __future__ import annotations

import json

from conftest import run_newsarchive
from newsarchive.config import Config
from newsarchive.demo.site import article_pages


def test_captures_and_store_can_live_elsewhere(na, tmp_path):
    shared = tmp_path / "shared"
    page = article_pages()[0]
    base = ["--archive", str(na.archive), "--captures", str(shared / "warc")]
    base += ["--store", f"sqlite://{shared}/store.sqlite3"]
    added = run_newsarchive(*base, "add", "-", "--url", page.url, input=page.html)
    assert added.returncode == 0, added.stderr.decode()
    assert list((shared / "warc").glob("*.warc.gz")) and (shared / "store.sqlite3").exists()
    assert not (na.archive / "warc").exists() and not (na.archive / "store.sqlite3").exists()
    assert (na.archive / "index").exists()  # the machine's own
    shown = run_newsarchive(*base, "show", page.url, "--html")
    assert shown.returncode == 0 and shown.stdout == page.html
    # The same through the environment.
    env = {
        "NEWSARCHIVE_CAPTURES": str(shared / "warc"),
        "NEWSARCHIVE_STORE": f"sqlite://{shared}/store.sqlite3",
    }
    found = run_newsarchive("--archive", str(na.archive), "search", "bridge", "--json", env=env)
    assert json.loads(found.stdout)["total"] == 1


def test_the_ladder_file_then_environment_then_option(tmp_path, monkeypatch):
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "config.toml").write_text('store = "sqlite:///from-file.sqlite3"\ncaptures = "caps"\n')
    monkeypatch.delenv("NEWSARCHIVE_STORE", raising=False)
    monkeypatch.delenv("NEWSARCHIVE_CAPTURES", raising=False)
    filed = Config.load(archive)
    assert filed.store == "sqlite:///from-file.sqlite3" and filed.captures == archive / "caps"
    monkeypatch.setenv("NEWSARCHIVE_STORE", "sqlite:///from-env.sqlite3")
    assert Config.load(archive).store == "sqlite:///from-env.sqlite3"
    given = Config.load(archive, store="sqlite:///given.sqlite3", captures=tmp_path / "given")
    assert (given.store, given.captures) == ("sqlite:///given.sqlite3", tmp_path / "given")
    assert given.root_args() == ["--archive", str(archive), "--store", "sqlite:///given.sqlite3",
                                 "--captures", str(tmp_path / "given")]  # fmt: skip


def test_a_bad_config_file_says_what_to_fix(na):
    na.archive.mkdir(parents=True, exist_ok=True)
    (na.archive / "config.toml").write_text('store = "sqlite:///x.sqlite3"\ncolour = "red"\n')
    result = na("stats", code=2)
    assert "unknown setting 'colour'" in result.stderr and "config.toml" in result.stderr
    (na.archive / "config.toml").write_text("store = \n")
    assert "config.toml" in na("stats", code=2).stderr


def test_scheduled_children_and_cron_lines_open_the_same_parts(na, tmp_path):
    shared = tmp_path / "shared"
    line = na(
        "--store", f"sqlite://{shared}/s.sqlite3", "--captures", str(shared), "schedule", "--print", "cron"
    )
    assert f"--store sqlite://{shared}/s.sqlite3 --captures {shared} schedule --once" in line.stdout


def test_demo_never_writes_into_a_team_store(tmp_path):
    """The environment names a team's store (unreachable here): the demo
    keeps to its own directory, in SQLite, and works."""
    demo = tmp_path / "demo"
    env = {
        "NEWSARCHIVE_STORE": "postgresql://nobody@192.0.2.1/none",
        "NEWSARCHIVE_CAPTURES": str(tmp_path / "x"),
    }
    result = run_newsarchive("--archive", str(demo), "demo", env=env, timeout=240)
    assert result.returncode == 0, result.stderr.decode()
    assert (demo / "store.sqlite3").is_file() and not (tmp_path / "x").exists()


def test_the_frontier_follows_the_store_unless_named(tmp_path, monkeypatch):
    assert Config.load(tmp_path).frontier == "store"
    assert Config.load(tmp_path, store="postgresql://news@db/news").frontier == "team"
    assert Config.load(tmp_path, store="sqlite:///x/store.sqlite3").frontier == "store"
    monkeypatch.setenv("NEWSARCHIVE_FRONTIER", "store")
    assert Config.load(tmp_path, store="postgresql://news@db/news").frontier == "store"
    assert Config.load(tmp_path, frontier="team").frontier == "team"
    assert Config.load(tmp_path, frontier="team").root_args()[-2:] == ["--frontier", "team"]
