"""Configuration, layered: defaults < environment < command-line flags.

Kept to what the code reads today; `sources.toml` joins as a layer when
there are sources to follow.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from newsarchive.errors import BadInput

ENV_HOME = "NEWSARCHIVE_HOME"
ENV_LOCK_TIMEOUT = "NEWSARCHIVE_LOCK_TIMEOUT"
ENV_STORE = "NEWSARCHIVE_STORE"
ENV_ENGINE = "NEWSARCHIVE_ENGINE"
ENV_FRONTIER = "NEWSARCHIVE_FRONTIER"
ENV_COPIES = "NEWSARCHIVE_COPIES"
# How long a writer waits for another to finish before giving up: long
# enough to outlast an incremental index update, short enough that a user
# who started two long jobs hears about it within a minute.
DEFAULT_LOCK_TIMEOUT = 60.0


class Config(NamedTuple):
    """Everything an Archive is opened from.

    `store`: the store's URL (store/__init__.py); None keeps it in the
    archive directory, as SQLite. The captures, the index and the locks
    live in `archive_dir` whatever the store. `engine`: the index engine's
    name (index/__init__.py), else the one the archive's index was last
    built with (`reindex --engine`), else Whoosh; `frontier`: the crawl
    frontier's kind (crawl/queue.py); `copies`: whether stored articles are
    linked to their copies (copies/), on unless NEWSARCHIVE_COPIES=off.
    """

    archive_dir: Path
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    store: str | None = None
    engine: str | None = None  # None: the engine the archive's index was built with
    frontier: str = "store"
    copies: bool = True

    @classmethod
    def load(cls, archive: str | os.PathLike | None = None) -> Config:
        return cls(
            archive_dir=archive_dir(archive),
            lock_timeout=_lock_timeout(),
            store=os.environ.get(ENV_STORE) or None,
            engine=os.environ.get(ENV_ENGINE) or None,
            frontier=os.environ.get(ENV_FRONTIER) or "store",
            copies=os.environ.get(ENV_COPIES, "on").strip().lower() not in ("off", "0", "false", "no"),
        )


def archive_dir(flag: str | os.PathLike | None = None) -> Path:
    """``--archive DIR``, else ``$NEWSARCHIVE_HOME``, else the platform's
    user data directory."""
    if flag:
        return Path(flag).expanduser().absolute()
    if os.environ.get(ENV_HOME):
        return Path(os.environ[ENV_HOME]).expanduser().absolute()
    from platformdirs import user_data_path

    return user_data_path("newsarchive", appauthor=False)


def _lock_timeout() -> float:
    raw = os.environ.get(ENV_LOCK_TIMEOUT)
    if not raw:
        return DEFAULT_LOCK_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise BadInput(f"{ENV_LOCK_TIMEOUT}={raw!r} is not a number of seconds; unset it or give e.g. 60")
    return value
