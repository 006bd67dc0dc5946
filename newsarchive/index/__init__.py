"""The search index: derived from the store, rebuildable from it.

Engines are registered by name: Whoosh is built in; another registers here
or through the ``newsarchive.engines`` entry point group of an installed
package, and must pass tests/contracts/test_engine_contract.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive import registry

if TYPE_CHECKING:
    from newsarchive.index.api import SearchEngine
    from newsarchive.store import Store

DEFAULT_ENGINE = "whoosh"
# Past this many articles a cold Whoosh search takes half a second or more
# (about 1.1 s at 100,000 on two cores) while tantivy's stays near 60 ms:
# `stats` then suggests switching.
WHOOSH_COMFORT = 50_000
SWITCH = "newsarchive reindex --engine tantivy"
# Name -> "module:class" of the engine.
ENGINES = {
    "whoosh": "newsarchive.index.whoosh:WhooshEngine",
    "tantivy": "newsarchive.index.tantivy:TantivyEngine",
}


def engine_class(name: str) -> Any:
    return registry.load("index engine", name, ENGINES, "newsarchive.engines")


def open_engine(name: str, root: Path, store: Store) -> SearchEngine:
    """The engine `name` over the index in `root`, answering from `store`."""
    return engine_class(name)(root, store)
