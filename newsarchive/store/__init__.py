"""The store: the archive's source of truth, behind one interface.

`open_store(url)` opens the backend the URL's scheme names. SQLite is
built in (``sqlite:///path/store.sqlite3``, or a plain path), and so is
PostgreSQL for a team (``postgresql://user@host/database``); another
backend registers itself under its scheme, here or through the
``newsarchive.stores`` entry point group of an installed package, and must
pass tests/contracts/test_store_contract.py.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from newsarchive import registry
from newsarchive.store.api import (
    Alert,
    Alerts,
    Articles,
    Capture,
    Change,
    ChangeLog,
    Cluster,
    CopyEdge,
    CopyIndex,
    CopyPrint,
    CrawlState,
    PutResult,
    Queued,
    Recheck,
    Rechecks,
    RunLog,
    SiteKnowledge,
    Store,
    StoredArticle,
    Version,
)

__all__ = [
    "Alert",
    "Alerts",
    "Articles",
    "Capture",
    "Change",
    "ChangeLog",
    "Cluster",
    "CopyEdge",
    "CopyIndex",
    "CopyPrint",
    "CrawlState",
    "PutResult",
    "Queued",
    "Recheck",
    "Rechecks",
    "RunLog",
    "SiteKnowledge",
    "Store",
    "StoredArticle",
    "Version",
    "open_store",
    "shown",
    "store_exists",
    "store_url",
]

# Scheme -> "module:class" of the backend.
BACKENDS = {
    "sqlite": "newsarchive.store.sqlite:SQLiteStore",
    "postgresql": "newsarchive.store.postgres:PostgresStore",
    "postgres": "newsarchive.store.postgres:PostgresStore",
}


def store_url(target: str | os.PathLike) -> str:
    """A store URL: URLs are kept, paths name an SQLite file."""
    if isinstance(target, str) and "://" in target:
        return target
    from newsarchive.store.sqlite import url_of

    return url_of(Path(target))


def backend(url: str) -> Any:
    """The class that opens stores of `url`'s scheme."""
    scheme = url.split("://", 1)[0]
    return registry.load("store backend for the scheme", scheme, BACKENDS, "newsarchive.stores")


def open_store(target: str | os.PathLike) -> Store:
    """The store at `target` (a URL or an SQLite file path), created and
    migrated to the current schema as needed."""
    url = store_url(target)
    return backend(url).open(url)


def store_exists(target: str | os.PathLike) -> bool:
    url = store_url(target)
    return backend(url).exists(url)


def shown(url: str) -> str:
    """A store URL as messages and `stats` show it: without its password."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))
