"""Answer queries from a Whoosh index; everything shown comes from the store.

Query language (Whoosh's, with the fields users know): words are ANDed and
stemmed (``trained`` finds "training"), ``"exact phrases"``, ``AND``,
``OR``, ``NOT``, ``-word``, parentheses, ``prefix*``, and fields
``title:``, ``subtitle:``, ``text:``, ``author:``, ``source:``,
``section:``, ``tag:``, ``language:``, ``published:2013-04``.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from pathlib import Path

from whoosh import collectors, qparser, sorting
from whoosh import query as q
from whoosh.highlight import ContextFragmenter, Formatter, get_text
from whoosh.index import EmptyIndexError, open_dir
from whoosh.query import NullQuery

from newsarchive.article import Article
from newsarchive.errors import BadQuery, IndexUnavailable
from newsarchive.index.api import (
    PAST_FIELD,
    SNIPPET_CHARS,
    SNIPPET_FRAGMENTS,
    FacetCounts,
    Hit,
    IndexState,
    SearchPage,
    SearchRequest,
    Snippet,
    check_request,
    from_earlier,
    has_filters,
    is_current,
    lead_snippet,
    ranked,
    stale,
    without_facets,
)
from newsarchive.index.generations import live
from newsarchive.index.query import ALIASES, DEFAULT_FIELDS, check_text
from newsarchive.index.state import read_state
from newsarchive.index.whoosh import fixes  # noqa: F401  (corrects Whoosh's AND NOT)
from newsarchive.index.whoosh.analysis import fold, fold_and_stem
from newsarchive.index.whoosh.compat import answer_to_former_paths
from newsarchive.index.whoosh.matches import TooCostly, matching_docs
from newsarchive.index.whoosh.schema import FACET_INDEX_FIELDS, build_schema
from newsarchive.store import Store
from newsarchive.urls import site_name

answer_to_former_paths()  # indexes pickled by earlier versions name their old paths

# Field names users may also type, grouped under the index's own (Whoosh's
# FieldAliasPlugin wants them that way round).
FIELD_ALIASES: dict[str, list[str]] = {}
for _alias, _field in ALIASES.items():
    FIELD_ALIASES.setdefault(_field, []).append(_alias)

# Markers around highlighted words inside a fragment; stored text never
# holds control characters (they are stripped on extraction), so these
# cannot collide with the text.
_MARK_START, _MARK_END = "\x02", "\x03"
# Up to this many candidates, a search visits and counts every match (see
# _search); past it, totals are counted from posting ids (index.matches),
# except for parts only Whoosh's matcher can decide (a phrase): past this
# many candidates of those, the total shown is Whoosh's estimate.
EXACT_COUNT_LIMIT = 10_000
# Attempts to open the index: a commit or a rebuild's rename can be caught
# half way by a reader; trying again a moment later gets the finished one.
_OPEN_ATTEMPTS = 5


def current(state: IndexState | None, store_id: str) -> bool:
    """Whether an index with this state is Whoosh's of today's format for
    this store (else it is rebuilt, never read wrongly)."""
    from newsarchive.index.whoosh import WhooshEngine

    return is_current(WhooshEngine, state, store_id)


def parse_query(text: str, schema=None, *, all_versions: bool = False):
    """The Whoosh query for a user's query string (`all_versions`: words
    also search the earlier versions' text); BadQuery when unusable."""
    check_text(text)
    schema = schema or build_schema()
    fields = [*DEFAULT_FIELDS, PAST_FIELD] if all_versions else list(DEFAULT_FIELDS)
    parser = qparser.MultifieldParser(fields, schema)
    # +word / -word only at the start of a word: "state-run" stays one term.
    parser.add_plugin(
        qparser.PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+(?=\S)", minusexpr=r"(?<![^\s(])-(?=\S)")
    )
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    try:
        query = parser.parse(text)
    except Exception as error:  # Whoosh raises assorted types on odd input
        raise BadQuery(
            f"cannot understand the query ({error}); put words in quotes to search them literally"
        ) from None
    if query is NullQuery or isinstance(query, type(NullQuery)):
        raise BadQuery("the query has no searchable words; give at least one word or number")
    return query


def _filters(request: SearchRequest, schema):
    clauses = []
    if request.source:
        clauses.append(q.Term("source", site_name(request.source)))
    if request.author:
        words = [t.text for t in schema["author"].analyzer(request.author)]
        if not words:
            raise BadQuery(f"--author {request.author!r} has no name in it")
        clauses.append(q.Term("author", words[0]) if len(words) == 1 else q.Phrase("author", words))
    if request.since or request.until:
        start = request.since.start if request.since else None
        end = request.until.end if request.until else None
        clauses.append(q.DateRange("published", start, end))
    if request.ids is not None:
        clauses.append(q.Or([q.Term("id", article_id) for article_id in sorted(request.ids)]))
    return q.And(clauses) if clauses else None


def _sort(request: SearchRequest):
    if request.sort == "relevance":
        return None
    newest = request.sort == "newest"
    return sorting.MultiFacet(
        [sorting.FieldFacet("dated", reverse=True), sorting.FieldFacet("instant", reverse=newest)]
    )


@contextmanager
def reading(index_root: Path, store: Store):
    """(searcher, state) of the live index, closed on leaving; (None, None)
    when there is no index yet (a first build is under way or was killed:
    it is the same as an empty one, and the next writer brings it up)."""
    opened = _open(index_root, store)
    if opened is None:
        yield None, None
        return
    ix, searcher, state = opened
    try:
        yield searcher, state
    finally:
        searcher.close()
        ix.close()


def _open(index_root: Path, store: Store):
    for attempt in range(_OPEN_ATTEMPTS):
        where = live(index_root)
        state = read_state(where) if where else None
        if state is None:
            return None
        if not current(state, store.store_id):
            raise stale(index_root)
        try:
            ix = open_dir(str(where))
            try:
                return ix, ix.searcher(), state
            except BaseException:
                ix.close()
                raise
        except (EmptyIndexError, OSError) as error:
            # A swap or a commit moved the files between reading the
            # pointer and opening them: the next attempt finds the new ones.
            if attempt == _OPEN_ATTEMPTS - 1:
                raise IndexUnavailable(
                    f"the search index in {index_root} cannot be opened ({error}); run `newsarchive reindex`"
                ) from None
            time.sleep(0.05 * (attempt + 1))
    return None


def _query(request: SearchRequest, schema):
    """The user's query; no query at all (with filters) matches everything."""
    if not request.query.strip() and has_filters(request):
        return q.Every()
    return parse_query(request.query, schema, all_versions=request.all_versions and PAST_FIELD in schema)


def search(index_root: Path, store: Store, request: SearchRequest) -> SearchPage:
    """One page of results, each with its article (from the store) and a
    highlighted snippet."""
    check_request(request)
    with reading(index_root, store) as (searcher, state):
        if searcher is None:
            _query(request, build_schema())  # a bad query is an error even so
            return SearchPage(request, 0, behind=store.last_seq(), indexed=False)
        return _run(searcher, store, request, state)


def matching_ids(index_root: Path, store: Store, request: SearchRequest) -> list[str]:
    """Ids of every match, in the requested order (for export)."""
    check_request(request)
    with reading(index_root, store) as (searcher, _):
        if searcher is None:
            _query(request, build_schema())
            return []
        query = _query(request, searcher.schema)
        allowed = _allowed(searcher, request, searcher.schema)
        if allowed is not None and not allowed:
            return []
        results = searcher.search(query, limit=None, filter=allowed, sortedby=_sort(request))
        return [hit["id"] for hit in results]


def facets(index_root: Path, store: Store, request: SearchRequest, fields) -> FacetCounts:
    """Every match counted per value: Whoosh groups all of them (unscored,
    none left out), reading the values from the index's own terms."""
    check_request(request)
    with reading(index_root, store) as (searcher, _):
        if searcher is None:
            _query(request, build_schema())
            return FacetCounts(0, {field: [] for field in fields})
        schema = searcher.schema
        query = _query(request, schema)
        if any(FACET_INDEX_FIELDS[field] not in schema for field in fields):
            raise without_facets(index_root)
        allowed = _allowed(searcher, request, schema)
        if allowed is not None and not allowed:
            return FacetCounts(0, {field: [] for field in fields})
        groups = {
            field: sorting.FieldFacet(
                FACET_INDEX_FIELDS[field], allow_overlap=field == "author", maptype=sorting.Count
            )
            for field in fields
        }
        results = searcher.search(query, limit=None, filter=allowed, groupedby=groups, scored=False)
        counted = {
            field: ranked((value, count) for value, count in results.groups(field).items() if value)
            for field in fields
        }
        return FacetCounts(len(results), counted)


def entries(index_root: Path, store: Store) -> dict[str, str]:
    """Indexed id -> content hash prefix, for `doctor`."""
    with reading(index_root, store) as (searcher, _):
        if searcher is None:
            return {}
        return {fields["id"]: fields.get("hash") for fields in searcher.all_stored_fields()}


def _allowed(searcher, request: SearchRequest, schema) -> set[int] | None:
    """The documents the filter options allow, as a set (a filter query
    Whoosh would walk again); None without filters. An empty set must not
    reach Whoosh, which takes it for no filter at all."""
    if request.ids is not None and not request.ids:
        return set()
    filter_query = _filters(request, schema)
    return matching_docs(searcher, filter_query) if filter_query else None


def _run(searcher, store: Store, request: SearchRequest, state: IndexState) -> SearchPage:
    schema = searcher.schema
    query = _query(request, schema)
    behind = max(store.last_seq() - state.seq, 0)
    allowed = _allowed(searcher, request, schema)
    if allowed is not None and not allowed:
        return SearchPage(request, 0, behind=behind)
    results = _search(searcher, query, request, allowed)
    results.fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
    results.formatter = _MarkFormatter()
    # By position: list(results) would ask len(), which counts every match.
    page = [results[n] for n in range(request.offset, results.scored_length())]
    articles = store.get_many(hit["id"] for hit in page)
    text_field = schema["text"]
    words = frozenset(
        text_field.from_bytes(term) for _, term in results.query_terms(expand=True, fieldname="text")
    )
    past = store.earlier_texts(hit["id"] for hit in page) if request.all_versions else {}
    hits = []
    for hit in page:
        article = articles.get(hit["id"])
        if article is None:  # removed from the store; the index lags
            continue
        passage = best_paragraphs(article.text, words)
        marked = hit.highlights("text", text=passage, top=SNIPPET_FRAGMENTS) if passage else ""
        shown = _snippet(marked, article)
        earlier = past.get(article.id)
        if earlier and (passage := best_paragraphs(earlier, words)):
            # It may have been found in text it no longer has.
            earlier_marked = hit.highlights("past", text=passage, top=SNIPPET_FRAGMENTS)
            if earlier_marked:
                shown = from_earlier(shown, _snippet(earlier_marked, article))
        hits.append(Hit(article, _score(hit), shown))
    total, exact = _total(searcher, query, allowed, results)
    searched_earlier = not request.all_versions or PAST_FIELD in schema
    return SearchPage(request, total, hits, behind=behind, exact=exact, earlier_indexed=searched_earlier)


def _search(searcher, query, request: SearchRequest, allowed: set[int] | None):
    """Whoosh's results for one page. Sorted by date, every match is visited
    and counted anyway. By relevance, Whoosh skips blocks that cannot reach
    the top and so cannot count; where matches are few enough, one pass
    that scores and counts every match costs less than skipping and then
    counting (measured on 5,000 and 50,000 articles), and gives the total."""
    limit = request.offset + request.limit
    sort = _sort(request)
    if sort is not None or query.estimate_size(searcher.reader()) > EXACT_COUNT_LIMIT:
        return searcher.search(query, limit=limit, filter=allowed, sortedby=sort)
    collector = collectors.TopCollector(limit, usequality=False, replace=0)
    if allowed is not None:
        collector = collectors.FilterCollector(collector, allow=allowed)
    searcher.search_with_collector(query, collector)
    return collector.results()


def _total(searcher, query, allowed: set[int] | None, results) -> tuple[int, bool]:
    """The number of matches, and whether it is exact."""
    if results.has_exact_length():
        return len(results), True
    try:
        matched = matching_docs(searcher, query, walk_limit=EXACT_COUNT_LIMIT)
    except TooCostly:
        return results.estimated_length(), False
    return len(matched & allowed if allowed is not None else matched), True


def best_paragraphs(text: str, words: frozenset[str], keep: int = SNIPPET_FRAGMENTS) -> str:
    """The `keep` paragraphs of an article's text holding the most of the
    query's words (index terms), in article order; "" if none holds any.

    Whoosh's highlighter walks every word of the text it is given, which
    for a long article costs more than the search; snippets come from
    these paragraphs only. Only words that begin like a query term are put
    through the index's analysis (a stem keeps the start of its word)."""
    if not words:
        return ""
    starts = sorted({word[: max(1, min(4, len(word) - 1))] for word in words}, key=len, reverse=True)
    alternatives = "|".join(map(re.escape, starts))
    candidate = re.compile(rf"(?<![\w*])(?:{alternatives})[\w*]*(?:\.?[\w*]+)*")
    scored = []
    for number, paragraph in enumerate(text.split("\n\n")):
        found = {fold_and_stem(word) for word in set(candidate.findall(fold(paragraph)))} & words
        if found:
            scored.append((-len(found), number, paragraph))
    chosen = sorted(sorted(scored)[:keep], key=lambda item: item[1])
    return "\n\n".join(paragraph for _, _, paragraph in chosen)


def _score(hit) -> float | None:
    """The relevance score; None when sorted by date (Whoosh then reports
    the sort key in its place)."""
    score = hit.score
    return round(float(score), 4) if isinstance(score, (int, float)) else None


class _MarkFormatter(Formatter):
    """Marks matches with control characters; the caller turns them into
    spans, so no markup can come from the text itself."""

    between = " "

    def format_token(self, text, token, replace=False):
        return _MARK_START + get_text(text, token, replace) + _MARK_END

    def format_fragment(self, fragment, replace=False):
        """The fragment, with "…" where it cuts the text."""
        text = super().format_fragment(fragment, replace).strip()
        head = "…" if fragment.startchar > 0 else ""
        tail = "…" if fragment.endchar < len(fragment.text) else ""
        return head + text + tail


def _snippet(marked: str, article: Article) -> Snippet:
    if not marked:
        return lead_snippet(article)
    marked = re.sub(r"\s+", " ", marked).strip()
    text, spans, position = [], [], 0
    for piece in re.split(f"({_MARK_START}[^{_MARK_END}]*{_MARK_END})", marked):
        if piece.startswith(_MARK_START):
            word = piece[1:-1]
            spans.append((position, position + len(word)))
            piece = word
        text.append(piece)
        position += len(piece)
    return Snippet("".join(text), tuple(spans))
