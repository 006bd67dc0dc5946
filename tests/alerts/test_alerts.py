"""Saved searches: new matches reported once, never a copy of one seen,
through scheduled crawls of real local sites, and a randomized harness
over the real store, linking and index."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time

import pytest
from wiresite import FERRY, GALE, PIER, WireSite, story

from conftest import run_newsarchive
from newsarchive.demo.server import SiteServer

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def na_ok(archive, *args) -> str:
    result = run_newsarchive("--archive", str(archive), *args, timeout=180)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def schedule_once(archive) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "newsarchive", "--archive", str(archive), "schedule", "--once"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stderr


@pytest.mark.slow
def test_an_alert_reports_each_new_story_once_through_scheduled_crawls(archive_dir, tmp_path):
    """Acceptance 4: added before two crawls, it reports each new
    matching article once, writes its file and runs its command; the
    wire copy another site ran later is no news."""
    received = tmp_path / "received.jsonl"
    with SiteServer(site=WireSite) as herald, SiteServer(site=WireSite) as courier:
        courier_base = courier.base.replace("127.0.0.1", "localhost")  # another host: another source
        herald.site.publish(
            story("pier-closes", "North pier to close to lorries", PIER, "Harbourton", "2026-11-20"),
            story("ferry-times", "New ferry timetable from next week", FERRY, "Harbourton", "2026-11-20"),
        )
        na_ok(archive_dir, "sources", "add", "herald", herald.base + "/", "--every", "1s", *FAST)
        na_ok(archive_dir, "sources", "add", "courier", courier_base + "/", "--every", "1s", *FAST)
        said = na_ok(archive_dir, "alerts", "add", "pier", "pier", "--command", f"cat >> {received}")
        assert "0 articles match it now" in said

        first = schedule_once(archive_dir)
        assert "alerts: pier 1 new" in first, first

        herald.site.publish(story("gale", "Gale warning for the coast", GALE, "Harbourton", "2026-11-21"))
        courier.site.publish(
            story("pier-wire", "Harbour pier shut after survey", PIER, "Harbourton", "2026-11-20")
        )
        time.sleep(1.2)  # both sources due again
        second = schedule_once(archive_dir)
        assert "alerts: pier 1 new" in second, second
        assert na_ok(archive_dir, "alerts", "run", "--jsonl") == ""  # nothing new since

    written = [json.loads(line) for line in (archive_dir / "alerts" / "pier.jsonl").read_text().splitlines()]
    assert [r["title"] for r in written] == ["North pier to close to lorries", "Gale warning for the coast"]
    assert all(r["alert"] == "pier" and r["snippet"] and r["cluster"]["id"] for r in written)
    assert [json.loads(line) for line in received.read_text().splitlines()] == written
    # The copy is in the archive, in the first story's cluster, and was never reported.
    every = json.loads(na_ok(archive_dir, "search", "pier", "--all", "--json"))
    wire = [r for r in every["results"] if r["title"] == "Harbour pier shut after survey"]
    assert wire and wire[0]["cluster"]["id"] == written[0]["cluster"]["id"]
    listed = json.loads(na_ok(archive_dir, "alerts", "list", "--json"))
    assert [(a["name"], a["reported"], a["command"]) for a in listed] == [("pier", 2, f"cat >> {received}")]


def test_alert_commands_add_list_remove_and_refusals(na):
    assert "there is no archive" in na("alerts", "list", code=2).stderr
    na("alerts", "add", "floods", "flood*", "--source", "herald.example", "--since", "2026-01")
    (saved,) = na.json("alerts", "list")
    assert saved["query"] == "flood*" and saved["filters"] == {"source": "herald.example", "since": "2026-01"}
    assert "exists" in na("alerts", "add", "floods", "x", code=2).stderr
    assert "not usable" in na("alerts", "add", "../etc", "x", code=2).stderr
    assert "--since" in na("alerts", "add", "bad", "x", "--since", "someday", code=2).stderr
    assert "query" in na("alerts", "add", "bad", "colour:red", code=2).stderr.lower()
    assert [a["name"] for a in na.json("alerts", "list")] == ["floods"]
    assert "no alert named 'nope'" in na("alerts", "run", "nope", code=1).stderr
    na("alerts", "remove", "floods")
    assert "no alert named" in na("alerts", "remove", "floods", code=1).stderr
    assert "no alerts" in na("alerts", "list").stdout


def test_a_failing_command_is_reported_and_the_matches_kept(na):
    from newsarchive.demo.site import article_pages

    na("alerts", "add", "all", "the", "--command", "echo refused >&2; exit 3")
    page = article_pages()[0]
    na("add", "-", "--url", page.url, input=page.html)
    result = na("alerts", "run", code=1)
    assert "all: 1 new" in result.stdout and "exited 3: refused" in result.stderr
    assert len((na.archive / "alerts" / "all.jsonl").read_text().splitlines()) == 1
    assert na("alerts", "run").stdout.strip() == "all: 0 new"


# -- the randomized harness ------------------------------------------------------


def test_random_histories_never_report_twice_nor_a_copy(tmp_path):
    """Random archives grow by new stories, copies of earlier ones (on other
    sites, trimmed or whole), edits and deletions, with alert runs between:
    every report is a match never reported before and no copy of an
    article the alert had seen; every new story that matches is reported
    by the run after it arrives."""
    from harness import alert_histories

    seeds = int(os.environ.get("NEWSARCHIVE_ALERT_SEEDS", "3"))
    rounds = int(os.environ.get("NEWSARCHIVE_ALERT_ROUNDS", "12"))
    figures = [
        alert_histories(tmp_path / f"seed{seed}", random.Random(seed), rounds) for seed in range(seeds)
    ]
    assert all(f["violations"] == [] for f in figures), figures
    assert sum(f["reported"] for f in figures) > 0 and sum(f["copies_left_out"] for f in figures) > 0
