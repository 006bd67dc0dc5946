"""Match sets and counts agree with the query's meaning, document by document.

`index.matches` counts matches with set operations on posting ids instead
of Whoosh's walk, and search passes its filters to Whoosh as such sets; a
slip there shows as a wrong total or a filter letting the wrong articles
through. The reference here evaluates the parsed query against each live
document's analyzed words, with no index at all. It also holds Whoosh's
own answers to it, which is how its AND NOT slip was found (index.fixes).
"""

from __future__ import annotations

import itertools
from datetime import datetime

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from whoosh import query as q
from whoosh.index import create_in

from newsarchive.errors import BadQuery
from newsarchive.index.whoosh.matches import TooCostly, matching_docs
from newsarchive.index.whoosh.schema import build_schema
from newsarchive.index.whoosh.search import parse_query

WORDS = ["harbour", "storm", "bridge", "council", "river", "tunnel", "flood"]
YEARS = [2014, 2015, 2016]

_word = st.sampled_from(WORDS)
_document = st.fixed_dictionaries(
    {
        "title": st.lists(_word, max_size=3).map(" ".join),
        "text": st.lists(_word, max_size=10).map(" ".join),
        "year": st.sampled_from(YEARS),
    }
)
_atom = st.one_of(
    _word,
    _word.map(lambda w: f"-{w}"),
    _word.map(lambda w: f"title:{w}"),
    _word.map(lambda w: w[:3] + "*"),
    st.tuples(_word, _word).map(lambda pair: '"{} {}"'.format(*pair)),
    st.sampled_from(YEARS).map(lambda y: f"published:{y}"),
)
_query_text = st.recursive(
    st.lists(_atom, min_size=1, max_size=3).map(" ".join),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda p: f"({p[0]}) OR ({p[1]})"),
        st.tuples(inner, inner).map(lambda p: f"({p[0]}) AND NOT ({p[1]})"),
        st.tuples(inner, inner).map(lambda p: f"{p[0]} ({p[1]})"),
    ),
    max_leaves=4,
)


def words_of(schema, field: str, text: str) -> list[str]:
    return [token.text for token in schema[field].analyzer(text, mode="index")]


def reference(query, doc: dict) -> bool:
    """Whether one document (fields to analyzed words) matches `query`."""
    if isinstance(query, q.Term):
        return query.text in doc.get(query.fieldname, ())
    if isinstance(query, q.And):
        return all(reference(sub, doc) for sub in query.subqueries)
    if isinstance(query, q.Or):
        return any(reference(sub, doc) for sub in query.subqueries)
    if isinstance(query, q.AndNot):
        return reference(query.a, doc) and not reference(query.b, doc)
    if isinstance(query, q.Not):
        return not reference(query.query, doc)
    if isinstance(query, q.Prefix):
        return any(word.startswith(query.text) for word in doc.get(query.fieldname, ()))
    if isinstance(query, q.Phrase):
        words, wanted = doc.get(query.fieldname, []), list(query.words)
        return any(words[i : i + len(wanted)] == wanted for i in range(len(words)))
    if isinstance(query, q.NumericRange):  # dates, as the field's numbers
        value = doc[query.fieldname]
        above = query.start is None or value > query.start or (value == query.start and not query.startexcl)
        below = query.end is None or value < query.end or (value == query.end and not query.endexcl)
        return above and below
    if query is q.NullQuery or isinstance(query, type(q.NullQuery)):
        return False
    raise AssertionError(f"no reference for {query!r}")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(  # Whoosh's AND NOT slip: the excluded word's first document comes first
    documents=[{"title": "", "text": text, "year": 2014} for text in ("storm", "harbour storm", "harbour")],
    cuts=[],
    deleted=set(),
    texts=["harbour -storm"],
)
@given(
    documents=st.lists(_document, min_size=1, max_size=24),
    cuts=st.lists(st.integers(min_value=1, max_value=23), max_size=2),
    deleted=st.sets(st.integers(min_value=0, max_value=23), max_size=6),
    texts=st.lists(_query_text, min_size=1, max_size=4),
)
def test_match_sets_and_whoosh_agree_with_the_query(tmp_path_factory, documents, cuts, deleted, texts):
    schema = build_schema()
    ix = create_in(str(tmp_path_factory.mktemp("index")), schema)
    # Several segments (a commit each), and deletions in them.
    bounds = sorted({0, len(documents), *(c for c in cuts if c < len(documents))})
    for start, end in itertools.pairwise(bounds):
        with ix.writer() as writer:
            writer.merge = False
            for number in range(start, end):
                data = documents[number]
                writer.add_document(
                    id=str(number),
                    title=data["title"],
                    text=data["text"],
                    published=datetime(data["year"], 6, 1),
                )
    with ix.writer() as writer:
        writer.merge = False
        for number in deleted:
            writer.delete_by_term("id", str(number))
    live = {
        str(number): {
            "title": words_of(schema, "title", data["title"]),
            "text": words_of(schema, "text", data["text"]),
            "published": schema["published"].prepare_datetime(datetime(data["year"], 6, 1)),
        }
        for number, data in enumerate(documents)
        if number not in deleted
    }
    with ix.searcher() as searcher:
        for text in texts:
            try:
                query = parse_query(text, schema)
            except BadQuery:  # e.g. nothing but excluded words
                continue
            expected = {doc_id for doc_id, doc in live.items() if reference(query, doc)}
            ours = {searcher.stored_fields(doc)["id"] for doc in matching_docs(searcher, query)}
            assert ours == expected, text
            whoosh = {hit["id"] for hit in searcher.search(query, limit=None)}
            assert whoosh == expected, text
            # As a filter: Whoosh takes the set and keeps to it (an empty
            # set it takes for no filter at all: search() never passes one).
            allowed = matching_docs(searcher, parse_query("river OR storm", schema))
            if not allowed:
                continue
            filtered = {hit["id"] for hit in searcher.search(query, limit=None, filter=allowed)}
            assert filtered == {
                i for i in expected if set(live[i]["text"] + live[i]["title"]) & {"river", "storm"}
            }
    ix.close()


def test_phrases_past_the_walk_limit_are_refused(tmp_path):
    schema = build_schema()
    ix = create_in(str(tmp_path), schema)
    with ix.writer() as writer:
        for number in range(5):
            writer.add_document(id=str(number), title="t", text="storm surge at the harbour")
    with ix.searcher() as searcher:
        phrase = parse_query('"storm surge"', schema)
        assert len(matching_docs(searcher, phrase, walk_limit=5)) == 5
        try:
            matching_docs(searcher, phrase, walk_limit=4)
        except TooCostly:
            pass
        else:
            raise AssertionError("a phrase over the limit was walked")
        # Words are never walked, however many documents hold them.
        assert len(matching_docs(searcher, parse_query("storm surge", schema), walk_limit=1)) == 5
    ix.close()


def test_postings_read_a_block_at_a_time_or_walked_give_the_same(tmp_path, monkeypatch):
    """The block reader relies on Whoosh internals; without them postings are
    walked one by one, with the same answer."""
    schema = build_schema()
    ix = create_in(str(tmp_path), schema)
    with ix.writer() as writer:
        for number in range(300):  # several posting blocks
            writer.add_document(id=str(number), title="t", text=" ".join(WORDS[: number % len(WORDS) + 1]))
    with ix.writer() as writer:
        writer.merge = False
        writer.delete_by_term("id", "7")
    queries = ["harbour", "storm -bridge", "river OR flood", "tun*"]
    with ix.searcher() as searcher:
        by_block = [matching_docs(searcher, parse_query(text, schema)) for text in queries]
        monkeypatch.setattr("newsarchive.index.whoosh.matches._BLOCK_PARTS", ("_not_in_this_whoosh",))
        walked = [matching_docs(searcher, parse_query(text, schema)) for text in queries]
    assert by_block == walked and all(by_block)
    ix.close()
