"""Which documents a query matches, as sets of document numbers.

Whoosh answers "how many match?" by walking the query's matcher once more,
document by document, scoring as it goes: for two common words in 50,000
articles that second walk cost more than the search. Here a query tree of
terms joined by AND, OR and NOT becomes set operations on each term's
posting ids, read a block at a time; ranges and prefixes first become the
terms they cover. Anything else (a phrase, a fuzzy term) is walked by
Whoosh's own matcher, on its own. The sets also serve as search filters, so
Whoosh does not walk a filter query again to build its own.
"""

from __future__ import annotations

from whoosh import query as q
from whoosh.matching.wrappers import FilterMatcher

try:  # Whoosh's block postings reader; read a block at a time when present
    from whoosh.codec.whoosh3 import W3LeafMatcher
except ImportError:  # pragma: no cover - another codec: walk postings instead
    W3LeafMatcher = None


class TooCostly(Exception):
    """A part of the query has more candidates than the caller will walk."""


def matching_docs(searcher, query, walk_limit: int | None = None) -> set[int]:
    """The (index-wide) numbers of the live documents `query` matches.

    Parts of the query only Whoosh's matcher can decide (phrases, fuzzy
    terms) are walked with it; when such a part may match more than
    `walk_limit` documents, TooCostly is raised instead."""
    found: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        docs = _docs(leaf, query, walk_limit)
        found.update(docs if offset == 0 else (doc + offset for doc in docs))
    return found


def _docs(leaf, query, walk_limit):
    """The live documents of one segment matching `query`."""
    reader = leaf.reader()
    if isinstance(query, q.Term):
        return _term_docs(reader, query.fieldname, query.text)
    if isinstance(query, (q.And, q.Require)):
        parts = [_docs(leaf, sub, walk_limit) for sub in query.subqueries]
        return set.intersection(*parts) if parts else set()
    if isinstance(query, q.Or) and not query.minmatch:
        return set().union(*(_docs(leaf, sub, walk_limit) for sub in query.subqueries))
    if isinstance(query, q.AndNot):
        return _docs(leaf, query.a, walk_limit) - _docs(leaf, query.b, walk_limit)
    if isinstance(query, q.AndMaybe):
        return _docs(leaf, query.a, walk_limit)
    if isinstance(query, q.Not):
        return _live(reader) - _docs(leaf, query.query, walk_limit)
    if isinstance(query, q.ConstantScoreQuery):
        return _docs(leaf, query.child, walk_limit)
    if isinstance(query, q.Every) and not query.fieldname:
        return _live(reader)
    if isinstance(query, q.NumericRange) and hasattr(query, "_compile_query"):
        # A date range is an OR of the trie terms and term ranges it spans.
        return _docs(leaf, query._compile_query(reader), walk_limit)
    if isinstance(query, q.MultiTerm):  # prefix*, wildcards, term ranges
        found = set()
        for fieldname, text in query.expanded_terms(reader):
            found |= _term_docs(reader, fieldname, text)
        return found
    if query is q.NullQuery or isinstance(query, type(q.NullQuery)):
        return set()
    if walk_limit is not None and query.estimate_size(reader) > walk_limit:
        raise TooCostly(str(query))
    return set(query.matcher(leaf, leaf.boolean_context()).all_ids())


def _term_docs(reader, fieldname, text) -> set[int]:
    if fieldname not in reader.schema or (fieldname, text) not in reader:
        return set()
    matcher = reader.postings(fieldname, text)
    deleted = None
    if isinstance(matcher, FilterMatcher):  # the segment's deletions
        matcher, deleted = matcher.child, reader.deleted_docs_set
    docs = set(_posting_ids(matcher))
    return docs - deleted if deleted else docs


# The block reader's internals read here; a Whoosh without them is walked.
_BLOCK_PARTS = ("_ids", "_i", "_read_ids", "_next_block")


def _posting_ids(matcher):
    """Every id of a fresh postings matcher, a whole block at a time."""
    if not isinstance(matcher, W3LeafMatcher or ()) or not all(hasattr(matcher, a) for a in _BLOCK_PARTS):
        yield from matcher.all_ids()
        return
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        yield from matcher._ids[matcher._i :]
        matcher._next_block()


def _live(reader) -> set[int]:
    docs = set(range(reader.doc_count_all()))
    return docs - reader.deleted_docs_set if reader.has_deletions() else docs
