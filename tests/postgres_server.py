"""A throwaway PostgreSQL cluster for the tests, started on first use.

Debian's `postgresql` package puts initdb and pg_ctl in
/usr/lib/postgresql/VERSION/bin. PostgreSQL refuses to run as root, so a
root test run starts it as the package's `postgres` user (or `nobody`),
in a directory that user owns, listening on a Unix socket only. Every
test gets a database of its own (`fresh_url`); the cluster is stopped
when the test process exits. `skip_reason()` says why team-mode tests
cannot run here (no PostgreSQL installed), so they skip with it.
"""

from __future__ import annotations

import atexit
import glob
import hashlib
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

USER = "newsarchive"
_server: dict = {}


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def skip_reason() -> str | None:
    """Why the team-mode tests cannot run here, None when they can. Where
    NEWSARCHIVE_REQUIRE_POSTGRES is set (.ci/run sets it), a missing
    PostgreSQL fails them instead: CI must not pass by skipping them."""
    reason = None
    if not (_bin("initdb") and _bin("pg_ctl")):
        reason = "PostgreSQL is not installed (apt-get install postgresql; .ci/run does)"
    else:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            reason = "psycopg is not installed (pip install -e '.[dev]')"
    if reason and os.environ.get("NEWSARCHIVE_REQUIRE_POSTGRES"):
        raise RuntimeError(f"team-mode tests required, but {reason}")
    return reason


def _as_owner() -> list[str]:
    """The command prefix that runs PostgreSQL's programs as a user it
    accepts: nothing unless this is root."""
    if os.geteuid() != 0:
        return []
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--"]
    raise RuntimeError("running as root and no unprivileged user to start PostgreSQL as")


def start(*, durable: bool = False) -> tuple[str, Callable[[], None]]:
    """A new cluster: its socket directory, and what stops it. Not
    `durable` (the tests'): no fsync, as a throwaway cluster needs none."""
    directory = tempfile.mkdtemp(prefix="newsarchive-pg-")
    prefix = _as_owner()
    if prefix:
        shutil.chown(directory, user=prefix[2])
    data = os.path.join(directory, "data")
    run = dict(check=True, capture_output=True, text=True, timeout=120)
    subprocess.run(
        [*prefix, _bin("initdb"), "-D", data, "-A", "trust", "-U", USER, "-E", "UTF8", "--no-sync"], **run
    )
    options = f"-k {directory} -c listen_addresses='' -c max_connections=300"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    log = os.path.join(directory, "log")
    subprocess.run([*prefix, _bin("pg_ctl"), "-D", data, "-o", options, "-l", log, "-w", "start"], **run)

    def stop() -> None:
        subprocess.run([*prefix, _bin("pg_ctl"), "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(directory, ignore_errors=True)

    return directory, stop


def socket_dir() -> str:
    """The tests' cluster, started on first use; its socket directory."""
    if "dir" not in _server:
        _server["dir"], stop = start()
        atexit.register(stop)
    return _server["dir"]


def url(database: str, socket: str | None = None) -> str:
    return f"postgresql://{USER}@/{database}?host={socket or socket_dir()}"


def fresh_url(directory: Path | str, socket: str | None = None) -> str:
    """A new, empty database named after `directory` (a test's own), in
    the tests' cluster or the one at `socket`."""
    import psycopg

    name = "na_" + hashlib.sha1(str(directory).encode()).hexdigest()[:16]
    with psycopg.connect(url("postgres", socket), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    return url(name, socket)
