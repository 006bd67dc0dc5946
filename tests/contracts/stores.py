"""Which store backends the store contract runs against, and how to make a
fresh, empty store of each.

`NEWSARCHIVE_CONTRACT_STORES` (comma-separated names) narrows the list; the
deliberately broken doubles of tests/contracts/doubles.py are chosen that
way by test_contracts_catch_broken_backends.py.
"""

from __future__ import annotations

import os
from pathlib import Path

from newsarchive.store import BACKENDS
from newsarchive.store.sqlite import url_of


def _sqlite(directory: Path) -> str:
    return url_of(directory / "store.sqlite3")


# Backend name -> a function that makes the URL of a fresh store in a
# directory of its own.
FRESH = {"sqlite": _sqlite}


def chosen() -> list[str]:
    names = os.environ.get("NEWSARCHIVE_CONTRACT_STORES")
    if not names:
        return sorted(BACKENDS)
    import doubles

    doubles.register()
    return names.split(",")
