"""The Whoosh engine: the built-in index, pure Python, right for a
personal archive.

Modules: schema.py (what is indexed), analysis.py (how text becomes terms),
codec.py (how postings are written), search.py (queries, totals,
snippets), matches.py (exact counts from postings), build.py (apply and
rebuild), fixes.py (a correction to Whoosh's query tree). Nothing outside
this package imports whoosh.
"""

from __future__ import annotations

import functools
from pathlib import Path

from newsarchive.errors import ArchiveBusy, IndexUnavailable, disk_error
from newsarchive.index.api import Batch, IndexState, Progress, SearchPage, SearchRequest

# Bump when the schema or an analyzer changes: an index with another format
# is rebuilt from the store instead of being read wrongly. (3: the one-pass
# analyzer; same terms, but the old pickled chain kept old indexes slow.)
INDEX_FORMAT = 3


def _mapped(method):
    """Whoosh's and the disk's failures as domain errors, here and only here."""

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        from whoosh.index import EmptyIndexError, LockError

        try:
            return method(self, *args, **kwargs)
        except LockError:
            raise ArchiveBusy(
                f"another program holds the Whoosh lock of the index in {self.root}; stop it,"
                " or run `newsarchive reindex` once it is gone"
            ) from None
        except EmptyIndexError as error:
            raise IndexUnavailable(
                f"the search index in {self.root} cannot be read ({error}); run `newsarchive reindex`"
            ) from None
        except OSError as error:
            problem = disk_error(error, self.root)
            if problem is None:
                raise
            raise problem from None

    return call


class WhooshEngine:
    name = "whoosh"
    format = INDEX_FORMAT

    def __init__(self, root: Path, store):
        self.root = Path(root)
        self.store = store

    @_mapped
    def state(self) -> IndexState | None:
        from newsarchive.index.generations import live
        from newsarchive.index.state import read_state
        from newsarchive.index.whoosh.build import usable

        where = live(self.root)
        return read_state(where) if where and usable(self.root) else None

    @_mapped
    def search(self, request: SearchRequest) -> SearchPage:
        from newsarchive.index.whoosh.search import search

        return search(self.root, self.store, request)

    @_mapped
    def matching_ids(self, request: SearchRequest) -> list[str]:
        from newsarchive.index.whoosh.search import matching_ids

        return matching_ids(self.root, self.store, request)

    @_mapped
    def create_empty(self) -> None:
        from newsarchive.index.whoosh.build import create_empty

        create_empty(self.root, self.store)

    @_mapped
    def apply(self, batch: Batch) -> None:
        from newsarchive.index.whoosh.build import apply

        apply(self.root, self.store, batch)

    @_mapped
    def rebuild(self, progress: Progress | None = None, *, workers: int = 1, lean: bool = False) -> int:
        from newsarchive.index.whoosh.build import rebuild

        return rebuild(self.root, self.store, progress, workers=workers, lean=lean)

    def parallel_workers(self, articles: int) -> int:
        from newsarchive.index.whoosh.build import parallel_workers

        return parallel_workers(articles)

    @_mapped
    def entries(self) -> dict[str, str]:
        from newsarchive.index.whoosh.search import entries

        return entries(self.root, self.store)
