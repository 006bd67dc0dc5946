"""Sources and schedules: crawls that run themselves, in real processes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime

import pytest

from conftest import run_newsarchive
from newsarchive.demo.server import SiteServer

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


def na_ok(archive, *args) -> str:
    result = run_newsarchive("--archive", str(archive), *args)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def runs(archive) -> list[dict]:
    return json.loads(na_ok(archive, "runs", "--json", "--limit", "100"))


def scheduler(archive, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "--archive", str(archive), "schedule", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


@pytest.fixture
def site():
    with SiteServer() as server:
        yield server


# -- sources ---------------------------------------------------------------------


def test_sources_add_list_remove_keep_the_users_comments(na, archive_dir):
    archive_dir.mkdir()
    (archive_dir / "sources.toml").write_text("# my news sites\n", encoding="utf-8")
    na(
        "sources",
        "add",
        "herald",
        "https://www.harbour-herald.example/",
        "--every",
        "1h",
        "-s",
        "DOWNLOAD_DELAY=2",
    )
    na("sources", "add", "courier", "https://news.northshore-courier.example/", "--cron", "*/30 * * * *")
    text = (archive_dir / "sources.toml").read_text(encoding="utf-8")
    assert text.startswith("# my news sites") and "DOWNLOAD_DELAY = 2" in text
    listed = {s["name"]: s for s in na.json("sources", "list")}
    assert listed["herald"]["schedule"] == "every 1h" and listed["herald"]["next_due"] == "now"
    assert listed["courier"]["schedule"] == "cron */30 * * * *"
    na("sources", "remove", "courier")
    assert [s["name"] for s in na.json("sources", "list")] == ["herald"]
    assert (archive_dir / "sources.toml").read_text(encoding="utf-8").startswith("# my news sites")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--every", "5x"], "is not a duration"),
        (["--cron", "every day"], "is not a cron expression"),
        (["--every", "1h", "--cron", "0 * * * *"], "not both"),
        (["-s", "BROKEN"], "NAME=VALUE"),
    ],
)
def test_a_bad_schedule_is_refused_when_added(na, archive_dir, args, needle):
    result = na("sources", "add", "herald", "https://www.harbour-herald.example/", *args, code=2)
    assert needle in result.stderr
    assert (
        not (archive_dir / "sources.toml").exists()
        or "herald" not in (archive_dir / "sources.toml").read_text()
    )


def test_duplicate_and_unknown_names(na):
    na("sources", "add", "herald", "https://www.harbour-herald.example/")
    assert "already" in na("sources", "add", "herald", "https://x.example/", code=2).stderr
    assert "there is no source 'nope'" in na("sources", "remove", "nope", code=2).stderr


def test_a_bad_file_is_reported_with_its_line(na, archive_dir):
    archive_dir.mkdir()
    (archive_dir / "sources.toml").write_text(
        '# comment\n\n[sources.herald]\nurls = ["https://x.example/"]\nevery = "soon"\n', encoding="utf-8"
    )
    result = na("sources", "list", code=2)
    assert "[sources.herald] (line 3)" in result.stderr and "is not a duration" in result.stderr


# -- the scheduler -------------------------------------------------------------------


def test_schedule_runs_crawls_on_time_never_overlapping(archive_dir, site):
    na_ok(archive_dir, "sources", "add", "herald", site.base + "/", "--every", "4s", *FAST)
    process = scheduler(archive_dir)
    time.sleep(13)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    history = sorted(runs(archive_dir), key=lambda r: r["started"])
    assert len([r for r in history if r["status"] == "ok"]) >= 2, history
    for earlier, later in zip(history, history[1:], strict=False):
        assert earlier["finished"] <= later["started"], "two crawls of one source overlapped"
    starts = [datetime.fromisoformat(r["started"]) for r in history]
    assert all((b - a).total_seconds() >= 3.5 for a, b in zip(starts, starts[1:], strict=False))
    assert json.loads(na_ok(archive_dir, "stats", "--json"))["articles"] == 8
    assert "herald: crawl started" in err and "herald: ok, 8 new" in err


def test_once_runs_only_what_is_due(archive_dir, site):
    na_ok(archive_dir, "sources", "add", "herald", site.base + "/", "--every", "1h", *FAST)
    na_ok(archive_dir, "sources", "add", "manual", site.base + "/")  # no schedule: never run by it
    first = scheduler(archive_dir, "--once")
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert [r["source"] for r in runs(archive_dir)] == ["herald"]
    second = scheduler(archive_dir, "--once")
    _, err = second.communicate(timeout=60)
    assert second.returncode == 0 and "nothing is due" in err
    assert len(runs(archive_dir)) == 1


def test_a_killed_scheduler_leaves_no_stuck_lock(archive_dir, site):
    slow = [
        "-s",
        "DOWNLOAD_DELAY=0.2",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
        "-s",
        "CONCURRENT_REQUESTS_PER_DOMAIN=1",
    ]
    na_ok(archive_dir, "sources", "add", "herald", site.base + "/", "--every", "1s", *slow)
    process = scheduler(archive_dir)
    wait_for(lambda: len(site.hits) > 5)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    # The crawl it had started is told to stop too, and does, at a safe point.
    wait_for(lambda: runs(archive_dir) and runs(archive_dir)[0]["status"] != "running", timeout=90)
    assert runs(archive_dir)[0]["status"] == "interrupted"
    again = scheduler(archive_dir, "--once")
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    latest = runs(archive_dir)[0]
    assert latest["status"] == "ok"
    assert json.loads(na_ok(archive_dir, "stats", "--json"))["articles"] == 8


def test_a_manual_crawl_during_a_scheduled_one_is_refused(archive_dir, site):
    slow = ["-s", "DOWNLOAD_DELAY=0.3", "-s", "AUTOTHROTTLE_ENABLED=False"]
    na_ok(archive_dir, "sources", "add", "herald", site.base + "/", "--every", "1h", *slow)
    process = scheduler(archive_dir)
    try:
        wait_for(lambda: len(site.hits) > 2)
        manual = run_newsarchive("--archive", str(archive_dir), "crawl", "herald")
        assert manual.returncode == 1
        assert "the source herald is busy" in manual.stderr.decode()
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=120)


# -- installing it -----------------------------------------------------------------------


def test_print_cron_gives_a_line_cron_accepts(archive_dir):
    from croniter import croniter

    line = na_ok(archive_dir, "schedule", "--print", "cron").strip()
    fields = line.split()
    assert croniter.is_valid(" ".join(fields[:5]))
    assert fields[5] == sys.executable and os.path.isabs(fields[5])
    assert str(archive_dir) in line and "schedule --once" in line


def test_print_systemd_gives_valid_units(archive_dir, tmp_path):
    text = na_ok(archive_dir, "schedule", "--print", "systemd")
    service, timer = text.split("# ~/.config/systemd/user/newsarchive-schedule.timer")
    assert "[Service]" in service and f"ExecStart={sys.executable} -m newsarchive" in service
    assert "[Timer]" in timer and "OnCalendar=minutely" in timer
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here; the units' shape is checked above")
    (tmp_path / "newsarchive-schedule.service").write_text(service)
    (tmp_path / "newsarchive-schedule.timer").write_text(timer)
    result = subprocess.run(
        [analyze, "verify", *map(str, sorted(tmp_path.glob("newsarchive-schedule.*")))],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_schedule_without_scheduled_sources_says_what_to_do(archive_dir):
    result = run_newsarchive("--archive", str(archive_dir), "schedule", "--once")
    assert result.returncode == 2
    assert b"sources add NAME URL --every" in result.stderr
