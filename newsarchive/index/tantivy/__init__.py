"""The tantivy engine: a Rust search library, for archives of a million
articles (building and answering stay fast as the archive grows).

Modules: schema.py (what is indexed, the analyzers), build.py (create,
apply, rebuild), search.py (the query tree as tantivy queries, exact
totals, snippets). The query language is index/query.py's, the same as
Whoosh's. Nothing outside this package imports tantivy.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from newsarchive.errors import IndexUnavailable, disk_error
from newsarchive.index.api import IndexState
from newsarchive.index.modules import ModuleEngine

# Bumped when the schema or an analyzer changes: an older index is rebuilt.
# Here, not in build.py, so `stats` knows it without loading tantivy.
# (A field added since, as the facet columns, needs no bump: an index
# without it is read and followed, and `reindex` adds it.)
FORMAT = 2


class TantivyEngine(ModuleEngine):
    name = "tantivy"
    format = FORMAT
    # ~0.1 ms an article and a commit per batch, against extraction's ~9 ms
    # a page (Whoosh's ~5-18 ms an article takes a core's share).
    light_indexing = True
    SEARCH = "newsarchive.index.tantivy.search"
    BUILD = "newsarchive.index.tantivy.build"

    @contextmanager
    def failures(self) -> Iterator[None]:
        """tantivy's and the disk's failures as domain errors, here and only here."""
        try:
            yield
        except OSError as error:
            problem = disk_error(error, self.root)
            if problem is not None:
                raise problem from None
            raise IndexUnavailable(
                f"the search index in {self.root} cannot be used ({error}); run `newsarchive reindex`"
            ) from None

    def state(self) -> IndexState | None:
        from newsarchive.index.generations import live
        from newsarchive.index.state import read_state

        where = live(self.root)
        if where is None or not (where / "meta.json").is_file():
            return None
        return read_state(where)

    def parallel_workers(self, articles: int) -> int:
        from newsarchive import procs

        return 1 if articles < 10_000 else min(procs.cores(), 4)
