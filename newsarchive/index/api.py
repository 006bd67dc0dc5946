"""What a search engine does for the archive, and the records of a search.

An engine is derived from the store: it indexes articles by id, answers
queries with ids, and reads every shown value (titles, snippets' text) from
the store. It follows the store's change log through `apply`, and can be
rebuilt from it at any time (`rebuild` builds aside and swaps in, so
readers never see a half-built index). The query language is the one
`newsarchive search --help` documents, whatever the engine.

The built-in engine is Whoosh (index/whoosh/); another registers under its
name (index/__init__.py) and must pass tests/contracts/test_engine_contract.py.
Engines raise only domain errors: BadQuery for a query that cannot be
answered, IndexUnavailable for an index that cannot be read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from newsarchive.article import Article

if TYPE_CHECKING:
    from newsarchive.dates import DateBound
    from newsarchive.store import Articles

SORTS = ("relevance", "newest", "oldest")

# Called with (done, total) while an engine indexes many articles.
Progress = Callable[[int, int], None]


class SearchRequest(NamedTuple):
    query: str
    source: str | None = None
    author: str | None = None
    since: DateBound | None = None
    until: DateBound | None = None
    sort: str = "relevance"
    limit: int = 10
    offset: int = 0
    # Articles whose text changed since then; the archive turns it into
    # `ids` before an engine sees the request.
    changed_since: DateBound | None = None
    ids: frozenset[str] | None = None  # only these articles
    all_versions: bool = False  # words may match an earlier version's text too
    # Every copy of a story as a result of its own; else a story's copies
    # fold under its best-ranked one (the archive does that, not engines).
    all_copies: bool = False


class Snippet(NamedTuple):
    """A piece of text with the spans (start, end) of the matched words."""

    text: str
    highlights: tuple[tuple[int, int], ...] = ()


class Hit(NamedTuple):
    article: Article
    score: float | None  # None when sorted by date
    snippet: Snippet


class SearchPage(NamedTuple):
    request: SearchRequest
    total: int
    hits: Sequence[Hit] = ()
    behind: int = 0  # changes the index has not applied yet
    exact: bool = True  # False: `total` is the engine's estimate
    indexed: bool = True  # False: there is no index yet (a first build is under way)
    # False: all versions were asked for, but the index was built before it
    # held earlier versions (a rebuild adds them).
    earlier_indexed: bool = True
    # Each shown hit's cluster (id -> store.Cluster; None: not looked up),
    # and with copies folded the number of stories among all matches
    # (None when there are too many matches to count them).
    clusters: Mapping[str, Any] | None = None
    stories: int | None = None


# What `facets` counts: the archive's values as the index keeps them
# (author: each name of an article's byline; day: the date printed on it).
FACET_FIELDS = ("source", "author", "section", "day")


def ranked(counts: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """(value, count) pairs, most first, ties by value: every engine's order."""
    return sorted(counts, key=lambda pair: (-pair[1], pair[0]))


class FacetCounts(NamedTuple):
    """Matches counted per value of each asked field, most first (ties by
    value); `total`: all matches, those without a value included."""

    total: int
    counts: Mapping[str, Sequence[tuple[str, int]]]
    exact: bool = True


class IndexState(NamedTuple):
    """Which store an index follows, how far, and in what format."""

    format: int
    store_id: str
    seq: int
    engine: str = "whoosh"


class Batch(NamedTuple):
    """Changes to apply in one commit: articles to (re)index, ids to drop,
    and the change sequence number the index has then reached; `past`: the
    earlier versions' text of the articles that have any (see
    `with_earlier`)."""

    seq: int
    put: Sequence[Article] = ()
    delete: Sequence[str] = ()
    past: Mapping[str, str] | None = None


def has_filters(request: SearchRequest) -> bool:
    """Whether the request's options narrow the archive (with no query
    words, such a request asks for everything they let through)."""
    return bool(request.source or request.author or request.since or request.until or request.ids is not None)


# The field that holds an article's earlier versions: searched only when a
# request asks for all versions.
PAST_FIELD = "past"


def with_earlier(
    store: Articles, articles: Iterable[Article], chunk: int = 1000
) -> Iterator[tuple[Article, str | None]]:
    """Each article with the text of its earlier versions (None when it
    never changed), read from the store a chunk of articles at a time."""
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= chunk:
            yield from _with_earlier(store, batch)
            batch = []
    yield from _with_earlier(store, batch)


def _with_earlier(store: Articles, articles: list[Article]) -> Iterator[tuple[Article, str | None]]:
    past = store.earlier_texts([article.id for article in articles]) if articles else {}
    for article in articles:
        yield article, past.get(article.id)


class SearchEngine(Protocol):
    """An index of the archive's articles. Made with (index directory,
    store); every method may be called from a new process at any time."""

    name: str  # its registered name
    format: int  # bumped when what it writes changes: an older index is rebuilt

    def state(self) -> IndexState | None:
        """The live index's state; None when there is no usable index."""
        ...

    def search(self, request: SearchRequest) -> SearchPage:
        """One page of hits, each with its article and a highlighted snippet."""
        ...

    def matching_ids(self, request: SearchRequest) -> list[str]:
        """Every match's id, in the requested order."""
        ...

    def facets(self, request: SearchRequest, fields: Sequence[str]) -> FacetCounts:
        """Every match counted per value of `fields` (of FACET_FIELDS),
        from the index alone: no article is read."""
        ...

    def create_empty(self) -> None:
        """Make an empty index live (searches answer from then on)."""
        ...

    def apply(self, batch: Batch) -> None:
        """Index and drop in one commit, and record `batch.seq`. Idempotent:
        a batch applied again (after a crash) changes nothing."""
        ...

    def rebuild(self, progress: Progress | None = None, *, workers: int = 1, lean: bool = False) -> int:
        """Index the whole store aside, then swap it in; the number indexed.
        `lean` asks for little memory (it runs beside a crawl)."""
        ...

    def parallel_workers(self, articles: int) -> int:
        """Processes worth using to rebuild this many articles (1: none)."""
        ...

    # Whether following the change log costs little CPU beside extracting
    # the pages (well under a millisecond an article): `add` and `import`
    # then extract on every core and catch up in larger batches.
    light_indexing: bool

    def entries(self) -> dict[str, str]:
        """Indexed article id -> the content hash prefix it was indexed at
        (what `doctor` compares with the store)."""
        ...


# Snippets: up to this many passages of about this many characters.
SNIPPET_FRAGMENTS = 2
SNIPPET_CHARS = 220


# Said before a snippet taken from text the article no longer has.
EARLIER = "(earlier version) "


def from_earlier(current: Snippet, earlier: Snippet) -> Snippet:
    """The snippet to show for a search of all versions: an earlier
    version's (labelled as such) when it holds more of the query's words
    than the current text's does, which is where the words searched for
    were removed."""
    if len(_marked(earlier)) <= len(_marked(current)):
        return current
    shift = len(EARLIER)
    return Snippet(EARLIER + earlier.text, tuple((a + shift, b + shift) for a, b in earlier.highlights))


def _marked(snippet: Snippet) -> set[str]:
    return {snippet.text[a:b].lower() for a, b in snippet.highlights}


def lead_snippet(article: Article) -> Snippet:
    """The start of an article (its subtitle, else its text), for a hit
    whose matched words are not in its text."""
    lead = article.subtitle or article.text
    cut = lead[:SNIPPET_CHARS].rsplit(" ", 1)[0] if len(lead) > SNIPPET_CHARS else lead
    return Snippet(re.sub(r"\s+", " ", cut) + ("…" if len(lead) > len(cut) else ""))


def check_request(request: SearchRequest) -> None:
    """BadQuery for options no engine can answer (the query itself is
    checked by its parser)."""
    from newsarchive.errors import BadQuery

    if request.sort not in SORTS:
        raise BadQuery(f"--sort must be one of {', '.join(SORTS)}")
    start = request.since.start if request.since else None
    end = request.until.end if request.until else None
    if start and end and start > end:
        raise BadQuery("--since is after --until: nothing can be in between")


def stale(root: object) -> Exception:
    """The error for an index that cannot be caught up, only rebuilt."""
    from newsarchive.errors import IndexUnavailable

    return IndexUnavailable(
        f"the search index in {root} is of an older format, another engine or another store;"
        " run `newsarchive reindex` to rebuild it"
    )


def without_facets(root: object) -> Exception:
    """The error for counting facets in an index built before it kept them."""
    from newsarchive.errors import IndexUnavailable

    return IndexUnavailable(
        f"the search index in {root} was built before it kept the values --facets and --timeline"
        " count; run `newsarchive reindex` to add them (searches work meanwhile)"
    )


class Versioned(Protocol):
    """What tells an engine's indexes apart: an engine or its class."""

    @property
    def name(self) -> str: ...

    @property
    def format(self) -> int: ...


def is_current(engine: Versioned, state: IndexState | None, store_id: str) -> bool:
    """Whether an index with this state can be caught up (not rebuilt)."""
    return (
        state is not None
        and state.engine == engine.name
        and state.format == engine.format
        and state.store_id == store_id
    )
