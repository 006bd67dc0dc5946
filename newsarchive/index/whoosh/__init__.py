"""The Whoosh engine: the built-in index, pure Python, right for a
personal archive.

Modules: schema.py (what is indexed), analysis.py (how text becomes terms),
codec.py (how postings are written), search.py (queries, totals,
snippets), matches.py (exact counts from postings), build.py (apply and
rebuild), fixes.py (a correction to Whoosh's query tree). Nothing outside
this package imports whoosh.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from newsarchive.errors import ArchiveBusy, IndexUnavailable, disk_error
from newsarchive.index.api import IndexState
from newsarchive.index.modules import ModuleEngine

# Bump when the schema or an analyzer changes: an index with another format
# is rebuilt from the store instead of being read wrongly. (3: the one-pass
# analyzer; same terms, but the old pickled chain kept old indexes slow.)
# A field added since, as the facet fields, needs no bump: an index without
# it is read and followed, and `reindex` adds it.
INDEX_FORMAT = 3


class WhooshEngine(ModuleEngine):
    name = "whoosh"
    format = INDEX_FORMAT
    SEARCH = "newsarchive.index.whoosh.search"
    BUILD = "newsarchive.index.whoosh.build"

    @contextmanager
    def failures(self) -> Iterator[None]:
        """Whoosh's and the disk's failures as domain errors, here and only here."""
        from whoosh.index import EmptyIndexError, LockError

        try:
            yield
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

    def state(self) -> IndexState | None:
        from newsarchive.index.generations import live
        from newsarchive.index.state import read_state
        from newsarchive.index.whoosh.build import usable

        with self.failures():
            where = live(self.root)
            return read_state(where) if where and usable(self.root) else None

    def parallel_workers(self, articles: int) -> int:
        from newsarchive.index.whoosh.build import parallel_workers

        return parallel_workers(articles)
