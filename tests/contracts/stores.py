"""Which store backends the store contract runs against, and how to make a
fresh, empty store of each.

`NEWSARCHIVE_CONTRACT_STORES` narrows the list (see chosen.py).
"""

from __future__ import annotations

from pathlib import Path

import postgres_server
import pytest

from newsarchive.store import BACKENDS
from newsarchive.store.sqlite import url_of


def _sqlite(directory: Path) -> str:
    return url_of(directory / "store.sqlite3")


def _postgres(directory: Path) -> str:
    reason = postgres_server.skip_reason()
    if reason:
        pytest.skip(reason)
    return postgres_server.fresh_url(directory)


# Backend name -> a function that makes the URL of a fresh store in a
# directory of its own.
FRESH = {"sqlite": _sqlite, "postgresql": _postgres}
# The backends this package brings (what other suites run on).
BUILT_IN = ("sqlite", "postgresql")


def chosen() -> list[str]:
    """The backends to run (a scheme's aliases once: postgres is postgresql)."""
    import chosen

    return [name for name in chosen.chosen("NEWSARCHIVE_CONTRACT_STORES", BACKENDS) if name != "postgres"]
