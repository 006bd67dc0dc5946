"""An engine whose work lives in two modules of its package, imported on
first use: `stats` and doctor's state check load no engine library, and a
search loads only the search half.

The search module offers search, matching_ids, facets and entries; the build
module create_empty, apply and rebuild, each taking (index directory,
store, ...). A subclass names them, says how its library's failures read
as domain errors (`failures`), and how to tell a usable index (`state`).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from newsarchive.index.api import Batch, FacetCounts, IndexState, Progress, SearchPage, SearchRequest


class ModuleEngine:
    name = ""
    format = 0
    light_indexing = False
    SEARCH = ""  # module with search, matching_ids, facets, entries
    BUILD = ""  # module with create_empty, apply, rebuild

    def __init__(self, root: Path, store):
        self.root = Path(root)
        self.store = store

    @contextmanager
    def failures(self) -> Iterator[None]:
        """Map the library's and the disk's failures to domain errors."""
        yield

    def state(self) -> IndexState | None:
        raise NotImplementedError

    def parallel_workers(self, articles: int) -> int:
        return 1

    def search(self, request: SearchRequest) -> SearchPage:
        with self.failures():
            return importlib.import_module(self.SEARCH).search(self.root, self.store, request)

    def matching_ids(self, request: SearchRequest) -> list[str]:
        with self.failures():
            return importlib.import_module(self.SEARCH).matching_ids(self.root, self.store, request)

    def facets(self, request: SearchRequest, fields: Sequence[str]) -> FacetCounts:
        with self.failures():
            return importlib.import_module(self.SEARCH).facets(self.root, self.store, request, fields)

    def entries(self) -> dict[str, str]:
        with self.failures():
            return importlib.import_module(self.SEARCH).entries(self.root, self.store)

    def create_empty(self) -> None:
        with self.failures():
            importlib.import_module(self.BUILD).create_empty(self.root, self.store)

    def apply(self, batch: Batch) -> None:
        with self.failures():
            importlib.import_module(self.BUILD).apply(self.root, self.store, batch)

    def rebuild(self, progress: Progress | None = None, *, workers: int = 1, lean: bool = False) -> int:
        with self.failures():
            return importlib.import_module(self.BUILD).rebuild(
                self.root, self.store, progress, workers=workers, lean=lean
            )
