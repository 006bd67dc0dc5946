"""Configuration, layered: defaults < ARCHIVE/config.toml < environment <
command-line flags.

config.toml holds what names the archive's shared parts, for a machine
that keeps them elsewhere (team mode): `store` (a store URL), `captures`
(the directory the WARC files go under; relative to the archive), and
`engine` and `frontier`. The sites followed are in sources.toml.
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
ENV_CAPTURES = "NEWSARCHIVE_CAPTURES"
CONFIG_FILE = "config.toml"
CONFIG_KEYS = ("store", "captures", "engine", "frontier")
# How long a writer waits for another to finish before giving up: long
# enough to outlast an incremental index update, short enough that a user
# who started two long jobs hears about it within a minute.
DEFAULT_LOCK_TIMEOUT = 60.0


class Config(NamedTuple):
    """Everything an Archive is opened from.

    `store`: the store's URL (store/__init__.py); None keeps it in the
    archive directory, as SQLite. `captures`: the directory the WARC
    files go under; None keeps them in ARCHIVE/warc. The index, the logs
    and the locks live in `archive_dir` whatever the store. `engine`: the index engine's
    name (index/__init__.py), else the one the archive's index was last
    built with (`reindex --engine`), else Whoosh; `frontier`: the crawl
    frontier's kind (crawl/queue.py: "team" by default for a store other
    than SQLite, which every machine's crawlers share); `copies`: whether stored articles are
    linked to their copies (copies/), on unless NEWSARCHIVE_COPIES=off.
    """

    archive_dir: Path
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    store: str | None = None
    engine: str | None = None  # None: the engine the archive's index was built with
    frontier: str = "store"
    copies: bool = True
    captures: Path | None = None

    @classmethod
    def load(
        cls,
        archive: str | os.PathLike | None = None,
        *,
        store: str | None = None,
        captures: str | os.PathLike | None = None,
        frontier: str | None = None,
        alone: bool = False,
    ) -> Config:
        """The configuration of the archive `archive` names (--archive),
        `store` and `captures` as the root options give them; `alone`: all
        of it in the archive directory whatever the environment names (the
        demo never writes into a team's store)."""
        root = archive_dir(archive)
        if alone:
            return cls(archive_dir=root, lock_timeout=_lock_timeout())
        filed = read_config_file(root / CONFIG_FILE)
        # Given on the command line or in the environment: from where the
        # command runs; in the file: from the archive.
        given = captures or os.environ.get(ENV_CAPTURES)
        place = Path(given) if given else root / filed["captures"] if "captures" in filed else None
        store = store or os.environ.get(ENV_STORE) or filed.get("store") or None
        # A store every machine shares is worked by every machine's crawlers.
        shared = store is not None and "://" in store and not store.startswith("sqlite:")
        return cls(
            archive_dir=root,
            lock_timeout=_lock_timeout(),
            store=store,
            engine=os.environ.get(ENV_ENGINE) or filed.get("engine") or None,
            frontier=frontier
            or os.environ.get(ENV_FRONTIER)
            or filed.get("frontier")
            or ("team" if shared else "store"),
            copies=os.environ.get(ENV_COPIES, "on").strip().lower() not in ("off", "0", "false", "no"),
            captures=place.expanduser().absolute() if place else None,
        )

    def root_args(self) -> list[str]:
        """The root options that open this archive again in a child process."""
        args = ["--archive", str(self.archive_dir)]
        if self.store:
            args += ["--store", self.store]
        if self.captures:
            args += ["--captures", str(self.captures)]
        if self.frontier != "store":
            args += ["--frontier", self.frontier]
        return args


def read_toml(path: Path, fail: type[Exception] = BadInput) -> tuple[dict, str] | None:
    """A TOML file's contents and its text, None when there is no such
    file; `fail` (an error class) saying why it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise fail(f"cannot read {path}: {error}") from None
    import tomllib  # here: a search in an archive without the file never loads it

    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as error:
        raise fail(f"{path} is not valid TOML: {error}") from None


def read_config_file(path: Path) -> dict[str, str]:
    """ARCHIVE/config.toml's settings ({} when there is none); BadInput
    saying what to fix in it."""
    values = (read_toml(path) or ({}, ""))[0]
    for key, value in values.items():
        if key not in CONFIG_KEYS:
            raise BadInput(f"{path}: unknown setting {key!r}; the settings are {', '.join(CONFIG_KEYS)}")
        if not isinstance(value, str) or not value.strip():
            raise BadInput(f'{path}: {key} must be a non-empty string, e.g. {key} = "..."')
    return {key: value.strip() for key, value in values.items()}


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
