"""The Whoosh engine: the built-in index, pure Python, right for a
personal archive.

Modules: schema.py (what is indexed), analysis.py (how text becomes terms),
codec.py (how postings are written), search.py (queries, totals,
snippets), matches.py (exact counts from postings), build.py (apply and
rebuild), fixes.py (a correction to Whoosh's query tree). Nothing outside
this package imports whoosh.
"""

from __future__ import annotations

from pathlib import Path

from newsarchive.index.api import Batch, IndexState, Progress, SearchPage, SearchRequest

# Bump when the schema or an analyzer changes: an index with another format
# is rebuilt from the store instead of being read wrongly. (3: the one-pass
# analyzer; same terms, but the old pickled chain kept old indexes slow.)
INDEX_FORMAT = 3


class WhooshEngine:
    name = "whoosh"
    format = INDEX_FORMAT

    def __init__(self, root: Path, store):
        self.root = Path(root)
        self.store = store

    def state(self) -> IndexState | None:
        from newsarchive.index.generations import live
        from newsarchive.index.state import read_state
        from newsarchive.index.whoosh.build import usable

        where = live(self.root)
        return read_state(where) if where and usable(self.root) else None

    def search(self, request: SearchRequest) -> SearchPage:
        from newsarchive.index.whoosh.search import search

        return search(self.root, self.store, request)

    def matching_ids(self, request: SearchRequest) -> list[str]:
        from newsarchive.index.whoosh.search import matching_ids

        return matching_ids(self.root, self.store, request)

    def create_empty(self) -> None:
        from newsarchive.index.whoosh.build import create_empty

        create_empty(self.root, self.store)

    def apply(self, batch: Batch) -> None:
        from newsarchive.index.whoosh.build import apply

        apply(self.root, self.store, batch)

    def rebuild(self, progress: Progress | None = None, *, workers: int = 1, lean: bool = False) -> int:
        from newsarchive.index.whoosh.build import rebuild

        return rebuild(self.root, self.store, progress, workers=workers, lean=lean)

    def parallel_workers(self, articles: int) -> int:
        from newsarchive.index.whoosh.build import parallel_workers

        return parallel_workers(articles)

    def entries(self) -> dict[str, str]:
        from newsarchive.index.whoosh.search import entries

        return entries(self.root, self.store)
