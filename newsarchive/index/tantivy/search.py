"""Answer queries from a tantivy index; everything shown comes from the store.

The query is parsed once by index/query.py, and its tree is turned into
tantivy's own query objects here, each word analyzed like the field it
searches. Totals are tantivy's exact counts. Snippets come from the
article's text in the store: the paragraphs holding most of the query's
words, with those words marked.
"""

from __future__ import annotations

import functools
import re
import time
from pathlib import Path

import tantivy

from newsarchive.article import Article
from newsarchive.errors import BadQuery, IndexUnavailable
from newsarchive.index import query as q
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
from newsarchive.index.state import read_state
from newsarchive.index.tantivy.schema import (
    BOOSTS,
    FACET_INDEX_FIELDS,
    FIELD_ANALYZER,
    NAMES,
    STEMMED,
    WORD_PATTERN,
    analyzers,
    has_facets,
    has_field,
    opened,
)

_SURROUND = 60
_OPEN_ATTEMPTS = 5
_WORD = re.compile(WORD_PATTERN)


def current(state: IndexState | None, store_id: str) -> bool:
    from newsarchive.index.tantivy import TantivyEngine

    return is_current(TantivyEngine, state, store_id)


def _open(root: Path, store):
    """(index, state) of the live index, or None when there is none yet."""
    for attempt in range(_OPEN_ATTEMPTS):
        where = live(root)
        state = read_state(where) if where else None
        if where is None or state is None:
            return None
        if not current(state, store.store_id):
            raise stale(root)
        try:
            return opened(where), state
        except (OSError, ValueError) as error:
            if attempt == _OPEN_ATTEMPTS - 1:
                raise IndexUnavailable(
                    f"the search index in {root} cannot be opened ({error}); run `newsarchive reindex`"
                ) from None
            time.sleep(0.05 * (attempt + 1))
    return None


# -- the query tree as tantivy queries ------------------------------------------


def _analyzer(name: str) -> tantivy.TextAnalyzer:
    return analyzers()[name]  # built once a process (schema.analyzers)


def _terms(field: str, text: str) -> list[str]:
    if field in FIELD_ANALYZER:
        return _analyzer(FIELD_ANALYZER[field]).analyze(text)
    return [text.strip().lower()] if text.strip() else []


def _boosted(field: str, query: tantivy.Query) -> tantivy.Query:
    boost = BOOSTS.get(field)
    return tantivy.Query.boost_query(query, boost) if boost else query


def _in_fields(field: str | None, make) -> tantivy.Query | None:
    """The word's query in its field or the default ones; None when it has
    no term in any of them (punctuation alone): such a word is left out
    of the query, as Whoosh leaves it."""
    fields = [field] if field else list(q.DEFAULT_FIELDS)
    found = [_boosted(name, made) for name in fields if (made := make(name)) is not None]
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, part) for part in found])


def _sequence(schema, field: str, terms: list[str], slop: int = 0) -> tantivy.Query | None:
    if len(terms) <= 1:
        return tantivy.Query.term_query(schema, field, terms[0]) if terms else None
    return tantivy.Query.phrase_query(schema, field, list[str | tuple[int, str]](terms), slop=slop)


def _words(schema, node: q.Word | q.Phrase):
    """A word or a phrase in its field(s). A phrase needs its terms in
    order. A word Whoosh splits (state-run) needs every piece, as Whoosh
    reads it; a piece Whoosh keeps whole (U.S., 3.5) is several terms
    here, side by side: a phrase of them."""

    def make(field: str):
        if isinstance(node, q.Phrase) or field not in FIELD_ANALYZER:  # a raw field's value is whole
            return _sequence(schema, field, _terms(field, node.text), getattr(node, "slop", 0))
        pieces = [
            made
            for piece in _WORD.findall(node.text)
            if (made := _sequence(schema, field, _terms(field, piece)))
        ]
        if len(pieces) <= 1:
            return pieces[0] if pieces else None
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, piece) for piece in pieces])

    return _in_fields(node.field, make)


def _pattern(schema, node: q.Pattern):
    """A word with * and ?: the pieces between them folded as names are
    (lowercase, no accents). In a stemmed field a plain prefix (word*) is
    stemmed first, as Whoosh does, since the index holds stems: recover*
    finds "recovered", whose stem is "recov"."""
    pieces = [piece for piece in re.split(r"([*?])", node.text) if piece]

    def regex(stemmed: bool) -> str:
        if stemmed and len(pieces) == 2 and pieces[1] == "*" and pieces[0] not in "*?":
            return re.escape("".join(_analyzer(STEMMED).analyze(pieces[0]))) + ".*"
        return "".join(
            ".*"
            if piece == "*"
            else "."
            if piece == "?"
            else re.escape("".join(_analyzer(NAMES).analyze(piece)))
            for piece in pieces
        )

    if not re.search(r"\w", regex(False)):
        return None

    def make(field: str):
        if field not in FIELD_ANALYZER:
            return None
        return tantivy.Query.regex_query(schema, field, regex(FIELD_ANALYZER[field] == STEMMED))

    return _in_fields(node.field, make)


def _dates(schema, node: q.Dates):
    from newsarchive.dates import parse_bound
    from newsarchive.errors import BadDate

    try:
        start = parse_bound(node.start).start if node.start else None
        end = parse_bound(node.end).end if node.end else None
    except BadDate as error:
        raise BadQuery(f"published: {error}") from None
    if start is None and end is None:
        return tantivy.Query.all_query()
    return tantivy.Query.range_query(schema, "published", tantivy.FieldType.Date, start, end)


def translate(schema, node: q.Node) -> tantivy.Query | None:
    """tantivy's query for a tree; None for one with no term in it."""
    if isinstance(node, q.Word | q.Phrase):
        return _words(schema, node)
    if isinstance(node, q.Pattern):
        return _pattern(schema, node)
    if isinstance(node, q.Dates):
        return _dates(schema, node)
    if isinstance(node, q.Not):
        excluded = translate(schema, node.part)
        return _excluding([], [excluded]) if excluded is not None else None
    if isinstance(node, q.All):
        wanted = [
            made for part in node.parts if not isinstance(part, q.Not) if (made := translate(schema, part))
        ]
        unwanted = [
            made for part in node.parts if isinstance(part, q.Not) if (made := translate(schema, part.part))
        ]
        return _excluding(wanted, unwanted) if wanted or unwanted else None
    either = [made for part in node.parts if (made := translate(schema, part)) is not None]
    if not either:
        return None
    return (
        either[0]
        if len(either) == 1
        else tantivy.Query.boolean_query([(tantivy.Occur.Should, part) for part in either])
    )


def _excluding(wanted: list, unwanted: list) -> tantivy.Query:
    clauses = [(tantivy.Occur.Must, part) for part in wanted or [tantivy.Query.all_query()]]
    clauses += [(tantivy.Occur.MustNot, part) for part in unwanted]
    return clauses[0][1] if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)


def _filters(schema, request: SearchRequest) -> list[tantivy.Query]:
    found = []
    if request.source:
        from newsarchive.urls import site_name

        found.append(tantivy.Query.term_query(schema, "source", site_name(request.source)))
    if request.author:
        names = _analyzer(NAMES).analyze(request.author)
        if not names:
            raise BadQuery(f"--author {request.author!r} has no name in it")
        found.append(
            tantivy.Query.term_query(schema, "author", names[0])
            if len(names) == 1
            else tantivy.Query.phrase_query(schema, "author", list[str | tuple[int, str]](names))
        )
    if request.since or request.until:
        start = request.since.start if request.since else None
        end = request.until.end if request.until else None
        found.append(tantivy.Query.range_query(schema, "published", tantivy.FieldType.Date, start, end))
    if request.ids is not None:
        found.append(tantivy.Query.term_set_query(schema, "id", sorted(request.ids)))
    return found


def _tree(request: SearchRequest) -> q.Node | None:
    """The parsed query; None for no query with filters (everything)."""
    check_request(request)
    if not request.query.strip() and has_filters(request):
        return None
    return q.parse(request.query)


def _query(schema, tree: q.Node | None, request: SearchRequest) -> tantivy.Query:
    if tree is not None and request.all_versions and has_field(schema, PAST_FIELD):
        tree = q.also_in(tree, PAST_FIELD)
    made = translate(schema, tree) if tree is not None else tantivy.Query.all_query()
    if made is None:  # words, but none with a term in it: nothing matches
        made = tantivy.Query.empty_query()
    return _excluding([made, *_filters(schema, request)], [])


def _ordered(searcher, query, request: SearchRequest, limit: int, offset: int, count: bool):
    """A page of (key, address) in the request's order. Equal keys come in
    the index's own order, which holds from one search to the next, so
    pages follow on and export lists what the pages show. Equal scores
    are common (tantivy keeps a text's length in 256 steps); putting them
    in id order meant reading every tied hit: 80,000 of them, 0.3 s, for
    a common word in a million articles."""
    if request.sort == "relevance":
        return searcher.search(query, limit, count=count, offset=offset)
    key = "newest" if request.sort == "newest" else "oldest"
    return searcher.search(
        query, limit, count=count, order_by_field=key, offset=offset, order=tantivy.Order.Desc
    )


def _answer(
    searcher, schema, tree: q.Node | None, request: SearchRequest, limit: int, offset: int, count: bool
):
    """tantivy's result for the request; BadQuery for what it refuses."""
    try:
        return _ordered(searcher, _query(schema, tree, request), request, limit, offset, count)
    except ValueError as error:
        raise BadQuery(
            f"cannot search for that ({error}); put words in quotes to search them literally"
        ) from None


def search(root: Path, store, request: SearchRequest) -> SearchPage:
    tree = _tree(request)
    opened_index = _open(root, store)
    if opened_index is None:
        return SearchPage(request, 0, behind=store.last_seq(), indexed=False)
    index, state = opened_index
    searcher = index.searcher()
    result = _answer(searcher, index.schema, tree, request, max(request.limit, 1), request.offset, True)
    page = [(key, searcher.doc(address)["id"][0]) for key, address in result.hits][: request.limit]
    articles = store.get_many([article_id for _, article_id in page])
    words = _highlighted(tree)
    past = store.earlier_texts([article_id for _, article_id in page]) if request.all_versions else {}
    hits = []
    for key, article_id in page:
        article = articles.get(article_id)
        if article is None:  # removed from the store; the index lags
            continue
        score = round(float(key), 4) if request.sort == "relevance" else None
        shown = snippet(article, words)
        if article_id in past:  # it may have been found in text it no longer has
            shown = from_earlier(shown, snippet(article.replace(text=past[article_id]), words))
        hits.append(Hit(article, score, shown))
    behind = max(store.last_seq() - state.seq, 0)
    earlier = not request.all_versions or has_field(index.schema, PAST_FIELD)
    return SearchPage(request, result.count or 0, hits, behind=behind, earlier_indexed=earlier)


def matching_ids(root: Path, store, request: SearchRequest) -> list[str]:
    tree = _tree(request)
    opened_index = _open(root, store)
    if opened_index is None:
        return []
    index, _ = opened_index
    searcher = index.searcher()
    result = _answer(searcher, index.schema, tree, request, max(searcher.num_docs, 1), 0, False)
    # In the order search pages them: equal keys in the index's own order.
    return [searcher.doc(address)["id"][0] for _, address in result.hits]


# Buckets a terms aggregation may return per field (tantivy refuses more
# than 65,000 in all); past it the counts say they are not exact.
FACET_BUCKETS = 60_000


def facets(root: Path, store, request: SearchRequest, fields) -> FacetCounts:
    """Every match counted per value by tantivy's terms aggregation over
    the facet columns: exact unless a field has more values than fit."""
    tree = _tree(request)
    opened_index = _open(root, store)
    if opened_index is None:
        return FacetCounts(0, {field: [] for field in fields})
    index, _ = opened_index
    if not has_facets(index.schema):
        raise without_facets(root)
    searcher = index.searcher()
    size = max(FACET_BUCKETS // max(len(fields), 1), 1)
    spec = {field: {"terms": {"field": FACET_INDEX_FIELDS[field], "size": size}} for field in fields}
    try:
        query = _query(index.schema, tree, request)
        total = searcher.search(query, 1, count=True).count or 0
        found = searcher.aggregate(query, spec) if fields and total else {}
    except ValueError as error:
        raise BadQuery(f"cannot count that ({error}); put words in quotes to search them literally") from None
    counts, exact = {}, True
    for field in fields:
        answer = found.get(field) or {}
        counts[field] = ranked((bucket["key"], bucket["doc_count"]) for bucket in answer.get("buckets", ()))
        exact = (
            exact and not answer.get("sum_other_doc_count") and not answer.get("doc_count_error_upper_bound")
        )
    return FacetCounts(total, counts, exact)


def entries(root: Path, store) -> dict[str, str]:
    opened_index = _open(root, store)
    if opened_index is None:
        return {}
    index, _ = opened_index
    searcher = index.searcher()
    result = searcher.search(tantivy.Query.all_query(), max(searcher.num_docs, 1), count=False)
    found = {}
    for _, address in result.hits:
        doc = searcher.doc(address)
        found[doc["id"][0]] = doc["hash"][0]
    return found


# -- snippets ------------------------------------------------------------------


def _highlighted(tree: q.Node | None) -> frozenset[str]:
    """The stemmed terms of the query's words in prose fields."""
    if tree is None:
        return frozenset()
    terms: set[str] = set()
    for field, text in q.words_of(tree):
        if field in (None, "title", "subtitle", "text") and "*" not in text and "?" not in text:
            terms.update(_analyzer(STEMMED).analyze(text))
    return frozenset(terms)


@functools.lru_cache(maxsize=50_000)
def _stem(word: str) -> tuple[str, ...]:
    return tuple(_analyzer(STEMMED).analyze(word))


@functools.lru_cache(maxsize=64)
def _candidates(initials: str) -> re.Pattern:
    """The pieces of a text the analyzer makes terms of (runs of letters
    and digits) that begin with one of `initials`, or with a letter
    outside ASCII, which folding may change. Stemming keeps a word's first
    letter, so only these can be a query's term; the regex engine skips
    the rest (a snippet of ten 500-word articles went from 3 ms to 1)."""
    letters = re.escape(
        "".join(sorted({case for letter in initials for case in (letter.lower(), letter.upper())}))
    )
    first = rf"[{letters}]|[^\W_\x00-\x7f]" if letters else r"[^\W_\x00-\x7f]"
    return re.compile(rf"(?<![^\W_])(?:{first})[^\W_]*")


def snippet(article: Article, words: frozenset[str]) -> Snippet:
    """Up to two passages of the text around the query's words, the words
    marked; the start of the article when none of them is in it."""
    scored = []
    candidates = _candidates("".join(sorted({term[:1] for term in words}))) if words else None
    for number, paragraph in enumerate(article.text.split("\n\n")):
        if candidates is None:
            break
        marks = [m.span() for m in candidates.finditer(paragraph) if set(_stem(m.group())) & words]
        if marks:
            found = {paragraph[a:b].lower() for a, b in marks}
            scored.append((-len(found), number, paragraph, marks))
    if not scored:
        return lead_snippet(article)
    chosen = sorted(sorted(scored)[:SNIPPET_FRAGMENTS], key=lambda item: item[1])
    text, spans = "", []
    for _, _, paragraph, marks in chosen:
        start = max(0, marks[0][0] - _SURROUND)
        if start:
            start = paragraph.find(" ", start) + 1 or start
        end = min(len(paragraph), start + SNIPPET_CHARS)
        if end < len(paragraph):
            end = paragraph.rfind(" ", start, end) if paragraph.rfind(" ", start, end) > marks[0][1] else end
        piece = ("…" if start else "") + paragraph[start:end] + ("…" if end < len(paragraph) else "")
        offset = len(text) + (1 if text else 0) + (1 if start else 0) - start
        spans += [(a + offset, b + offset) for a, b in marks if start <= a and b <= end]
        text = f"{text} {piece}" if text else piece
    return _collapsed(text, spans)


def _collapsed(text: str, spans: list[tuple[int, int]]) -> Snippet:
    """Runs of whitespace as one space, the spans moved with the text."""
    out, shift, position = [], [0] * (len(text) + 1), 0
    for match in re.finditer(r"\s+|\S+", text):
        piece = " " if match.group().isspace() else match.group()
        for index in range(match.start(), match.end() + 1):
            shift[index] = position + min(index - match.start(), len(piece))
        out.append(piece)
        position += len(piece)
    joined = "".join(out)
    lead = len(joined) - len(joined.lstrip())
    moved = [(shift[a] - lead, shift[b] - lead) for a, b in spans]
    return Snippet(joined.strip(), tuple(moved))
