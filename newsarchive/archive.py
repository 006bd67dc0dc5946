"""The archive directory and what lives in it (DESIGN.md, "Archive layout").

ARCHIVE/
  store.sqlite3   normalized articles, revisions, change log (the truth)
  warc/           raw captures, append-only
  index/          Whoosh index, derived from the store
  writer.lock     held by the process writing the index
"""

from __future__ import annotations

from pathlib import Path

from newsarchive.config import Config
from newsarchive.errors import ArchiveError, ArchiveMissing
from newsarchive.lock import WriterLock
from newsarchive.store import Store


class Archive:
    def __init__(self, config: Config):
        self.config = config
        self.root: Path = config.archive_dir

    @property
    def store_path(self) -> Path:
        return self.root / "store.sqlite3"

    @property
    def index_dir(self) -> Path:
        return self.root / "index"

    @property
    def warc_dir(self) -> Path:
        return self.root / "warc"

    @property
    def lock_path(self) -> Path:
        return self.root / "writer.lock"

    @property
    def sources_path(self) -> Path:
        return self.root / "sources.toml"

    def sites(self, store: Store):
        """Site knowledge for ingesting pages: the user's rules from
        sources.toml, and what the store has learnt."""
        from newsarchive.sites import Sites
        from newsarchive.sources import load_sources

        return Sites(store, load_sources(self.sources_path))

    def exists(self) -> bool:
        return self.store_path.is_file()

    def open_store(self, *, create: bool = False) -> Store:
        """The store; `create` makes the archive on first use, otherwise a
        missing archive is an error that says how to make one."""
        if not self.exists():
            if not create:
                raise ArchiveMissing(
                    f"there is no archive at {self.root}; add pages with `newsarchive add`"
                    " or choose another with --archive DIR or $NEWSARCHIVE_HOME"
                )
            try:
                self.root.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise ArchiveError(f"cannot create the archive at {self.root}: {error.strerror}") from None
        return Store.open(self.store_path)

    def writer_lock(self, purpose: str) -> WriterLock:
        return WriterLock(self.lock_path, timeout=self.config.lock_timeout, purpose=purpose)
