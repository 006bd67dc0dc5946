"""`newsarchive schedule`: start each source's crawl when it is due.

It owns no crawling logic: a due crawl is a child process running
`newsarchive crawl SOURCE` (a crawl owns the Twisted reactor), at most a
few at once, never two of one source (the crawl's own lock says whether
one is running, manual crawls included, and a lock dies with its
process). When a source is due follows from when its last run started,
so downtime costs one missed run, not many. SIGTERM or SIGINT stops the
scheduler cleanly: its crawls are asked to stop at a safe point (Scrapy
keeps their job to resume) and are waited for; children also get SIGTERM
if the scheduler itself dies. After crawls, saved searches run the same
way: `newsarchive alerts run` as a child, one at a time.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsarchive import procs
from newsarchive.errors import NewsarchiveError
from newsarchive.lock import is_held
from newsarchive.sanitize import for_terminal
from newsarchive.sites.sources import Source, load_sources

if TYPE_CHECKING:
    from newsarchive.archive import Archive

# Seconds between two looks at what is due.
TICK = 0.5
# Seconds between two catch-ups of this machine's index with a shared
# store (team mode), whether or not a crawl of its own ran.
FOLLOW_EVERY = 30.0
# How long stopping crawls may take to reach a safe point before they are killed.
STOP_GRACE = 120.0
DEFAULT_MAX_PARALLEL = 2


def _rechecks_due(store, source: Source, now: float) -> bool:
    """Whether any archived article of the source is due for a re-check
    (and the source's settings leave re-checks on)."""
    from newsarchive.urls import source_of
    from newsarchive.versions.recheck import timing_of

    try:
        if timing_of(source.settings) is None:
            return False
    except Exception:  # a bad setting: its crawl will say so
        return False
    for host in {source_of(url) for url in source.urls}:
        due = store.next_recheck(host)
        if due is not None and due <= now:
            return True
    return False


def crawl_lock_path(archive: Archive, name: str) -> Path:
    from newsarchive.crawl.run import Target

    return archive.root / "jobs" / f"{Target(name, ()).key}.lock"


def is_crawling(archive: Archive, name: str) -> bool:
    """Whether a crawl of the source holds its lock now."""
    return is_held(crawl_lock_path(archive, name))


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the scheduler dies, however it dies,
    so no crawl runs on unwatched."""
    procs.die_with_parent(signal.SIGTERM)


@dataclass
class Child:
    source: str
    process: subprocess.Popen
    summary_path: Path
    log_path: Path


class Scheduler:
    def __init__(
        self,
        archive: Archive,
        *,
        max_parallel: int = DEFAULT_MAX_PARALLEL,
        say: Callable[[str], None] = print,
    ):
        self.archive = archive
        self.max_parallel = max_parallel
        self.say = say
        self.children: dict[str, Child] = {}
        self.stopping = False
        self._sources: list[Source] = []
        self._sources_mtime: float | None = None
        self.failures = 0
        # Alerts run after crawls, one run at a time (alerts/): due once a
        # crawl has finished since the last run started.
        self.alerts: Child | None = None
        self.alerts_due = False

    # -- what is due -------------------------------------------------------------

    def sources(self) -> list[Source]:
        """The sources, read again whenever sources.toml changes; a broken
        edit is reported and the sources read before are kept."""
        path = self.archive.sources_path
        mtime = path.stat().st_mtime if path.exists() else None
        if mtime != self._sources_mtime:
            self._sources_mtime = mtime
            try:
                self._sources = load_sources(path)
            except Exception as error:  # a BadSources: keep going with what we had
                self.say(f"{self._now()} sources.toml not reloaded: {for_terminal(str(error))}")
        return self._sources

    def due(self, store) -> list[tuple[Source, bool]]:
        """Sources due now, each with whether only its re-checks are due
        (archived articles to fetch again between its crawls)."""
        now = datetime.now(UTC)
        due = []
        for source in self.sources():
            if source.schedule is None or source.name in self.children:
                continue
            last = store.runs(source=source.name, limit=1)
            started = datetime.fromisoformat(last[0]["started"]) if last else None
            if source.schedule.next_due(started) <= now:
                due.append((source, False))
            elif _rechecks_due(store, source, now.timestamp()):
                due.append((source, True))
        return due

    # -- children ----------------------------------------------------------------

    def start(self, source: Source, store, recheck_only: bool = False) -> None:
        if is_crawling(self.archive, source.name):
            return  # a manual or leftover crawl of it is running; its turn comes after
        if not store.hold(f"schedule {source.name}"):
            return  # another machine's scheduler is starting it (a shared store)
        summary_path, log_path = self._log_paths(source.name)
        command = [sys.executable, "-m", "newsarchive", *self.archive.config.root_args(), "crawl",
                   source.name, "--json", *(["--recheck-only"] if recheck_only else [])]  # fmt: skip
        with open(summary_path, "wb") as out, open(log_path, "wb") as err:
            process = subprocess.Popen(command, stdout=out, stderr=err, preexec_fn=_die_with_parent)  # noqa: PLW1509
        self.children[source.name] = Child(source.name, process, summary_path, log_path)
        why = (
            "due re-checks" if recheck_only else source.schedule.describe() if source.schedule else "by hand"
        )
        self.say(
            f"{self._now()} {source.name}: {'re-check run' if recheck_only else 'crawl'} started ({why})"
        )

    def reap(self, store) -> None:
        for name, child in list(self.children.items()):
            code = child.process.poll()
            if code is None:
                continue
            del self.children[name]
            store.release(f"schedule {name}")
            self.alerts_due = True
            self.say(f"{self._now()} {name}: {self._outcome(child, code)}")

    # -- alerts ------------------------------------------------------------------

    def run_alerts_done(self, store) -> None:
        if self.alerts is not None and (code := self.alerts.process.poll()) is not None:
            self.say(f"{self._now()} alerts: {self._alerts_outcome(self.alerts, code)}")
            self.alerts = None
            store.release("alerts")

    def run_alerts(self, store) -> None:
        """Start `alerts run` when a crawl finished since the last one
        started (and there are alerts); report the one that finished."""
        self.run_alerts_done(store)
        if not self.alerts_due or self.alerts is not None or self.stopping:
            return
        self.alerts_due = False
        # One scheduler of all that share a store runs them (each would
        # deliver the same matches); the next finished crawl asks again.
        if not store.alerts() or not store.hold("alerts"):
            return
        summary_path, log_path = self._log_paths("alerts")
        command = [
            sys.executable,
            "-m",
            "newsarchive",
            *self.archive.config.root_args(),
            "alerts",
            "run",
            "--json",
        ]
        with open(summary_path, "wb") as out, open(log_path, "wb") as err:
            process = subprocess.Popen(command, stdout=out, stderr=err, preexec_fn=_die_with_parent)  # noqa: PLW1509
        self.alerts = Child("alerts", process, summary_path, log_path)

    def _alerts_outcome(self, child: Child, code: int) -> str:
        try:
            runs = json.loads(child.summary_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            runs = None
        if runs is None:
            self.failures += 1
            last = child.log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
            return f"run failed ({for_terminal(last[0]) if last else f'exit {code}'}); log: {child.log_path}"
        parts = []
        for run in runs:
            part = f"{run['alert']} {len(run['new'])} new"
            if run["command"] and run["command"]["problem"]:
                self.failures += 1
                part += f" ({run['command']['problem']})"
            parts.append(for_terminal(part))
        return ", ".join(parts) or "none"

    def _log_paths(self, name: str) -> tuple[Path, Path]:
        logs = self.archive.root / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        return logs / f"schedule-{name}-{stamp}.json", logs / f"schedule-{name}-{stamp}.log"

    def _outcome(self, child: Child, code: int) -> str:
        try:
            (summary,) = json.loads(child.summary_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            summary = None
        if code != 0 or summary is None:
            self.failures += 1
            last = child.log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1:]
            reason = for_terminal(last[0]) if last else f"exit {code}"
            return f"crawl failed ({reason}); log: {child.log_path}"
        return (
            f"{summary['status']}, {summary['new']} new, {summary['updated']} updated from"
            f" {summary['pages']} pages in {summary['seconds']:.1f} s, {sum(summary['errors'].values())} errors"
        )

    def stop_children(self, store) -> None:
        if self.alerts is not None:  # an alert run is short: let it finish
            self.alerts.process.wait()
            self.run_alerts_done(store)
        for child in self.children.values():
            if child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for child in self.children.values():
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
        self.reap(store)

    # -- the loops ---------------------------------------------------------------

    def run_forever(self) -> int:
        self._catch_signals()
        with self.archive.open_store(create=True) as store:
            self.say(f"{self._now()} scheduling {len([s for s in self.sources() if s.schedule])} sources")
            followed = 0.0
            while not self.stopping:
                self.reap(store)
                self.run_alerts(store)
                if self.archive.follows and time.monotonic() - followed > FOLLOW_EVERY:
                    followed = time.monotonic()
                    try:  # what other machines stored, into this one's index
                        self.archive.follow_store(store)
                    except NewsarchiveError as error:
                        self.say(f"{self._now()} index not caught up: {for_terminal(str(error))}")
                for source, recheck_only in self.due(store):
                    if len(self.children) >= self.max_parallel or self.stopping:
                        break
                    self.start(source, store, recheck_only)
                time.sleep(TICK)
            self.say(f"{self._now()} stopping: {len(self.children)} crawls to stop at a safe point")
            self.stop_children(store)
        return 0

    def run_once(self) -> int:
        """Everything due now, then out; for cron."""
        self._catch_signals()
        with self.archive.open_store(create=True) as store:
            waiting = self.due(store)
            if not waiting:
                self.say(f"{self._now()} nothing is due")
            while (waiting or self.children) and not self.stopping:
                self.reap(store)
                while waiting and len(self.children) < self.max_parallel:
                    source, recheck_only = waiting.pop(0)
                    self.start(source, store, recheck_only)
                time.sleep(TICK)
            self.stop_children(store)
            self.run_alerts(store)
            while self.alerts is not None and not self.stopping:
                time.sleep(TICK)
                self.run_alerts(store)
        return 1 if self.failures else 0

    def _catch_signals(self) -> None:
        def stop(signum, frame) -> None:
            self.stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

    @staticmethod
    def _now() -> str:
        return datetime.now().strftime("%H:%M:%S")


# -- installing it -----------------------------------------------------------------


def cron_line(archive: Archive) -> str:
    """A crontab line: every minute, run whatever is due."""
    log = archive.root / "logs" / "schedule.log"
    return f"* * * * * {sys.executable} -m newsarchive {_options(archive)} schedule --once >> {log} 2>&1"


def _options(archive: Archive) -> str:
    import shlex

    return " ".join(shlex.quote(arg) for arg in archive.config.root_args())


def systemd_units(archive: Archive) -> str:
    """A service that runs the scheduler once, and a timer that starts it
    every minute."""
    command = f"{sys.executable} -m newsarchive {_options(archive)} schedule --once"
    return f"""# ~/.config/systemd/user/newsarchive-schedule.service
[Unit]
Description=newsarchive: crawl the sources that are due
Documentation=https://github.com/newsarchive/newsarchive

[Service]
Type=oneshot
ExecStart={command}
KillSignal=SIGTERM
TimeoutStopSec={int(STOP_GRACE) + 30}

# ~/.config/systemd/user/newsarchive-schedule.timer
[Unit]
Description=newsarchive: look for due crawls every minute

[Timer]
OnCalendar=minutely
Persistent=true

[Install]
WantedBy=timers.target
"""
