"""Which store backends the store contract runs against, and how to make a
fresh, empty store of each.

`NEWSARCHIVE_CONTRACT_STORES` narrows the list (see chosen.py).
"""

from __future__ import annotations

from pathlib import Path

from newsarchive.store import BACKENDS
from newsarchive.store.sqlite import url_of


def _sqlite(directory: Path) -> str:
    return url_of(directory / "store.sqlite3")


# Backend name -> a function that makes the URL of a fresh store in a
# directory of its own.
FRESH = {"sqlite": _sqlite}


def chosen() -> list[str]:
    import chosen

    return chosen.chosen("NEWSARCHIVE_CONTRACT_STORES", BACKENDS)
