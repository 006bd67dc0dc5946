"""What every index engine must do: the query language, filters, sorts,
exact totals, snippets, following the store, rebuilding.

Runs against each registered engine (chosen.py) over the demo
site's articles in a real SQLite store; a new engine passes this file
unchanged. Nothing here looks inside an engine's files.
"""

from __future__ import annotations

import shutil

import pytest
from chosen import chosen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive.dates import parse_bound
from newsarchive.demo.site import article_pages
from newsarchive.errors import BadQuery, IndexUnavailable
from newsarchive.extract import extract
from newsarchive.index import ENGINES, open_engine
from newsarchive.index.api import FACET_FIELDS, SearchRequest
from newsarchive.index.api import ranked as most_first
from newsarchive.index.follow import catch_up
from newsarchive.store import open_store


@pytest.fixture(scope="module")
def demo_articles():
    return [extract(page.html, page.url) for page in article_pages()]


@pytest.fixture(params=chosen("NEWSARCHIVE_CONTRACT_ENGINES", ENGINES))
def engine_name(request):
    return request.param


@pytest.fixture
def indexed(tmp_path, demo_articles, engine_name):
    with open_store(tmp_path / "store.sqlite3") as store:
        for article in demo_articles:
            store.put(article, now="2025-06-01T00:00:00+00:00")
        engine = open_engine(engine_name, tmp_path / "index", store)
        catch_up(engine, store)
        yield engine, store


def engine_of(engine, store):
    """The same engine and index, answering from another store."""
    return open_engine(engine.name, engine.root, store)


def titles(indexed, query: str = "", **options) -> list[str]:
    engine, _ = indexed
    page = engine.search(SearchRequest(query, **options))
    return [hit.article.title for hit in page.hits]


def test_words_are_stemmed(indexed):
    assert titles(indexed, "trained") == ["Rowing club trains for its first national final"]
    assert "Rowing club trains for its first national final" in titles(indexed, "training")


def test_all_words_are_required(indexed):
    assert titles(indexed, "flood barriers") == ["Council approves budget for flood barriers"]
    assert titles(indexed, "flood rowing") == []


def test_phrases_match_in_order_only(indexed):
    assert titles(indexed, '"storm surge"') == ["Council approves budget for flood barriers"]
    assert titles(indexed, '"surge storm"') == []


def test_phrase_with_common_words_still_matches(indexed):
    # Stop words are kept, so phrases full of them work.
    assert titles(indexed, '"the first on any bridge in Port Alder"') == [
        "Harbour bridge reopens after two-year repair"
    ]


def test_boolean_operators(indexed):
    assert set(titles(indexed, "seals OR herring")) == {
        "Researchers count more seals on the estuary sandbanks",
        "Fishing fleet reports record herring catch",
    }
    assert "Fishing fleet reports record herring catch" not in titles(indexed, "fish NOT herring")
    assert titles(indexed, "seals -estuary") == []


def test_fields(indexed):
    assert titles(indexed, "title:ferry") == ["Ferry operator raises fares as fuel costs climb"]
    assert set(titles(indexed, "author:okafor")) == {
        "Council approves budget for flood barriers",
        "Ferry operator raises fares as fuel costs climb",
    }
    assert titles(indexed, "section:weather") == ["Storm warnings issued as winter gale approaches the coast"]
    assert set(titles(indexed, "tag:ferries")) == {
        "Storm warnings issued as winter gale approaches the coast",
        "Ferry operator raises fares as fuel costs climb",
    }
    assert len(titles(indexed, "source:harbour-herald.example", limit=20)) == 8
    assert titles(indexed, "tags:rowing") == titles(indexed, "tag:rowing")


def test_author_phrase_does_not_span_two_authors(indexed):
    # "Tom Okafor | Maya Lindqvist": "Okafor Maya" is not a person.
    assert titles(indexed, 'author:"okafor maya"') == []
    assert titles(indexed, 'author:"maya lindqvist"', sort="oldest") == [
        "Council approves budget for flood barriers",
        "Harbour bridge reopens after two-year repair",
    ]


def test_date_bounds_use_the_date_printed_on_the_article(indexed):
    june_2024 = parse_bound("2024-06")
    assert titles(indexed, "seals", since=june_2024, until=june_2024) == [
        "Researchers count more seals on the estuary sandbanks"
    ]
    assert titles(indexed, "seals", since=parse_bound("2024-07")) == []
    day = parse_bound("2025-03-14")
    assert titles(indexed, "bridge", since=day, until=day) == ["Harbour bridge reopens after two-year repair"]
    assert len(titles(indexed, "", since=parse_bound("2025"), limit=20)) == 5


def test_sorting_by_date(indexed):
    newest = titles(indexed, "source:harbour-herald.example", sort="newest", limit=3)
    assert newest == [
        "Ferry operator raises fares as fuel costs climb",
        "Rowing club trains for its first national final",
        "Harbour bridge reopens after two-year repair",
    ]
    oldest = titles(indexed, "source:harbour-herald.example", sort="oldest", limit=20)
    assert oldest[0] == "Researchers count more seals on the estuary sandbanks"
    assert oldest == list(reversed(titles(indexed, "source:harbour-herald.example", sort="newest", limit=20)))


def test_limit_offset_and_total(indexed):
    engine, store = indexed
    everything = titles(indexed, "source:harbour-herald.example", sort="newest", limit=20)
    page = engine.search(SearchRequest("source:harbour-herald.example", sort="newest", limit=3, offset=3))
    assert page.total == 8
    assert [h.article.title for h in page.hits] == everything[3:6]


def test_filters_source_and_author(indexed):
    assert titles(
        indexed, "harbour", source="harbour-herald.example", author="Sara Nilsen", sort="oldest"
    ) == [
        "Researchers count more seals on the estuary sandbanks",
        "Storm warnings issued as winter gale approaches the coast",
    ]
    assert titles(indexed, "harbour", source="https://www.harbour-herald.example/") != []
    assert titles(indexed, "harbour", source="elsewhere.example") == []


def test_snippet_highlights_the_matched_words(indexed):
    engine, store = indexed
    hit = engine.search(SearchRequest("trained")).hits[0]
    snippet = hit.snippet
    assert snippet.highlights
    words = [snippet.text[start:end] for start, end in snippet.highlights]
    assert "trained" in [w.lower() for w in words] or "training" in [w.lower() for w in words]
    assert "\x02" not in snippet.text and "\x03" not in snippet.text


def test_relevance_puts_title_matches_first(indexed):
    assert titles(indexed, "ferry")[0] == "Ferry operator raises fares as fuel costs climb"


def test_since_after_until_is_refused(indexed):
    engine, store = indexed
    with pytest.raises(BadQuery, match="--since is after --until"):
        engine.search(SearchRequest("harbour", since=parse_bound("2025"), until=parse_bound("2024")))


def test_index_follows_updates_and_deletions(indexed, demo_articles):
    engine, store = indexed
    ferry = demo_articles[-1]
    store.put(ferry.replace(title="Ferry fares frozen after protest"), now="t")
    store.delete(demo_articles[0].id, now="t")
    assert catch_up(engine, store) == 2
    assert titles(indexed, "protest") == ["Ferry fares frozen after protest"]
    assert titles(indexed, "girders") == []
    assert engine.state().seq == store.last_seq()
    assert catch_up(engine, store) == 0


def test_earlier_versions_are_found_only_when_asked(indexed, demo_articles):
    engine, store = indexed
    ferry = demo_articles[-1]
    edited = ferry.replace(title="Ferry fares frozen", text=ferry.text.replace("fuel", "diesel"))
    store.put(edited, now="t")
    catch_up(engine, store)
    assert titles(indexed, "fuel climb") == []
    assert titles(indexed, "fuel climb", all_versions=True) == ["Ferry fares frozen"]
    assert titles(indexed, '"fuel costs climb"', all_versions=True) == ["Ferry fares frozen"]
    assert titles(indexed, "diesel", all_versions=True) == ["Ferry fares frozen"]  # one result per article
    assert titles(indexed, "title:fuel", all_versions=True) == []  # a field names the current text
    (hit,) = engine.search(SearchRequest("fuel", all_versions=True)).hits
    assert hit.snippet.text.startswith("(earlier version) ")
    assert {hit.snippet.text[a:b].lower() for a, b in hit.snippet.highlights} == {"fuel"}
    # A rebuild keeps them.
    engine.rebuild()
    assert titles(indexed, "fuel climb", all_versions=True) == ["Ferry fares frozen"]


def test_ids_restrict_the_search(indexed, demo_articles):
    engine, _ = indexed
    chosen_ids = frozenset(article.id for article in demo_articles[:2])
    page = engine.search(SearchRequest("", ids=chosen_ids, limit=50))
    assert {hit.article.id for hit in page.hits} == chosen_ids and page.total == 2
    assert engine.search(SearchRequest("harbour", ids=frozenset())).total == 0
    everywhere = set(engine.matching_ids(SearchRequest("harbour")))
    assert set(engine.matching_ids(SearchRequest("harbour", ids=chosen_ids))) == everywhere & chosen_ids


def test_no_index_answers_nothing_and_says_so_until_a_writer_builds_it(indexed):
    engine, store = indexed
    shutil.rmtree(engine.root)
    page = engine.search(SearchRequest("harbour"))
    assert (page.total, page.indexed, page.behind) == (0, False, store.last_seq())
    with pytest.raises(BadQuery):
        engine.search(SearchRequest("nosuchfield:x"))
    catch_up(engine, store)
    assert titles(indexed, "seals")


def test_index_of_another_store_is_not_trusted(indexed, tmp_path, demo_articles):
    engine, _ = indexed
    with open_store(tmp_path / "other.sqlite3") as other:
        other.put(demo_articles[0], now="t")
        with pytest.raises(IndexUnavailable):
            engine_of(engine, other).search(SearchRequest("harbour"))


def test_empty_archive_answers_nothing_without_an_index(tmp_path, engine_name):
    with open_store(tmp_path / "s.sqlite3") as store:
        engine = open_engine(engine_name, tmp_path / "index", store)
        page = engine.search(SearchRequest("anything"))
        assert page.total == 0 and not page.hits and engine.state() is None
        with pytest.raises(BadQuery):
            engine.search(SearchRequest("nosuchfield:x"))


def test_lagging_index_is_reported(indexed, demo_articles):
    engine, store = indexed
    store.put(demo_articles[1].replace(title="Council rethinks flood barriers"), now="t")
    assert engine.search(SearchRequest("harbour")).behind == 1


def test_matching_ids_for_export(indexed):
    engine, store = indexed
    ids = engine.matching_ids(SearchRequest("", source="harbour-herald.example", sort="newest"))
    assert len(ids) == 8


def test_prefixes_negation_and_published(indexed):
    assert titles(indexed, "herr*") == ["Fishing fleet reports record herring catch"]
    assert titles(indexed, "seals -estuary") == []
    assert titles(indexed, "seals NOT estuary") == []
    assert titles(indexed, "seals published:2024-06") == [
        "Researchers count more seals on the estuary sandbanks"
    ]
    assert titles(indexed, "seals published:2023") == []
    assert titles(indexed, "(seals OR herring) AND title:fleet") == [
        "Fishing fleet reports record herring catch"
    ]


@pytest.mark.parametrize(
    ("query", "reason"),
    [("   ", "empty"), ("colour:red", "unknown field 'colour'"), ("!!! ...", "no searchable words")],
)
def test_bad_queries_are_refused_with_a_reason(indexed, query, reason):
    engine, _ = indexed
    with pytest.raises(BadQuery, match=reason):
        engine.search(SearchRequest(query))
    with pytest.raises(BadQuery):
        engine.matching_ids(SearchRequest(query))
    assert titles(indexed, "https://example.com/story") == []  # a URL is not a field


@pytest.mark.parametrize("query", ["the", "harbour OR storm", '"of the"', "the -harbour", "title:ferry"])
def test_totals_are_exact_and_pages_cover_them(indexed, query):
    engine, _ = indexed
    every = engine.matching_ids(SearchRequest(query))
    first = engine.search(SearchRequest(query, limit=2))
    assert first.exact and first.total == len(every) > 0
    paged = [
        hit.article.id
        for offset in range(0, first.total, 2)
        for hit in engine.search(SearchRequest(query, limit=2, offset=offset)).hits
    ]
    assert sorted(paged) == sorted(every) and len(set(paged)) == len(paged)


def counted_from_articles(store, ids) -> dict:
    """What facets must say, counted from the stored articles themselves."""
    from collections import Counter

    from newsarchive.dates import wall_clock

    counts: dict[str, Counter] = {field: Counter() for field in FACET_FIELDS}
    for article in store.get_many(ids).values():
        counts["source"][article.source] += 1
        counts["author"].update(set(article.authors))
        if article.section:
            counts["section"][article.section] += 1
        local = wall_clock(article.published)
        if local is not None:
            counts["day"][local.date().isoformat()] += 1
    return {field: most_first(counter.items()) for field, counter in counts.items()}


@pytest.mark.parametrize(
    "request_",
    [
        SearchRequest("the"),
        SearchRequest("harbour OR storm", since=parse_bound("2024-06")),
        SearchRequest("", source="harbour-herald.example"),
        SearchRequest("the", author="Mara"),
        SearchRequest("no-such-word-anywhere"),
    ],
)
def test_facets_count_every_match_exactly(indexed, request_):
    engine, store = indexed
    ids = engine.matching_ids(request_)
    found = engine.facets(request_, FACET_FIELDS)
    assert found.exact and found.total == len(ids)
    assert {field: list(found.counts[field]) for field in FACET_FIELDS} == counted_from_articles(store, ids)
    assert list(engine.facets(request_, ["source"]).counts) == ["source"]


def test_facets_refuse_a_bad_query(indexed):
    engine, _ = indexed
    with pytest.raises(BadQuery):
        engine.facets(SearchRequest("colour:red"), ["source"])


def test_matching_ids_follow_the_sort(indexed):
    engine, _ = indexed
    relevance = engine.matching_ids(SearchRequest("harbour OR the"))
    assert relevance == [
        hit.article.id for hit in engine.search(SearchRequest("harbour OR the", limit=100)).hits
    ]
    newest = engine.matching_ids(SearchRequest("harbour", sort="newest"))
    pages = engine.search(SearchRequest("harbour", sort="newest", limit=100)).hits
    assert newest == [hit.article.id for hit in pages]
    assert engine.matching_ids(SearchRequest("harbour", sort="oldest")) == list(reversed(newest))


def test_entries_tell_doctor_what_is_indexed(indexed, demo_articles):
    engine, store = indexed
    expected = {article_id: digest[:16] for article_id, digest in store.content_hashes().items()}
    assert engine.entries() == expected
    store.delete(demo_articles[0].id, now="t")
    catch_up(engine, store)
    assert demo_articles[0].id not in engine.entries()


def test_a_batch_applied_twice_changes_nothing(indexed, demo_articles):
    engine, store = indexed
    edited = demo_articles[2].replace(title="Gannets counted twice")
    store.put(edited, now="t")
    before = store.last_seq()
    catch_up(engine, store)
    from newsarchive.index.api import Batch

    engine.apply(Batch(before, [edited], [demo_articles[3].id]))
    engine.apply(Batch(before, [edited], [demo_articles[3].id]))
    assert titles(indexed, "title:gannets") == ["Gannets counted twice"]
    assert engine.search(SearchRequest("gannets")).total == 1
    assert demo_articles[3].id not in engine.entries() and engine.state().seq == before


def ranked(indexed, query: str) -> list[tuple[float, str]]:
    """(score, title) of every hit, best first; hits of equal score (which
    an engine may order as its index happens to hold them) by title."""
    engine, _ = indexed
    page = engine.search(SearchRequest(query, limit=100))
    assert page.total == len(page.hits)
    return ranking(page)


def ranking(page) -> list[tuple[float, str]]:
    hits = ((round(hit.score, 3), hit.article.title) for hit in page.hits)
    return sorted(hits, key=lambda hit: (-hit[0], hit[1]))


def test_rebuild_gives_the_same_answers_and_state(indexed):
    engine, store = indexed
    queries = ("harbour", "trained", '"storm surge"', "title:ferry", "the")
    before = {q: ranked(indexed, q) for q in queries}
    assert engine.rebuild() == 8
    assert {q: ranked(indexed, q) for q in queries} == before
    state = engine.state()
    assert (state.engine, state.store_id, state.seq) == (engine.name, store.store_id, store.last_seq())


def test_searches_answer_while_a_rebuild_runs(indexed):
    """A reader never sees a half-built index: it gets the old one or the new."""
    import threading

    engine, store = indexed
    expected = ranked(indexed, "harbour")
    seen = []
    building = threading.Event()

    def read() -> None:
        # A reader of its own, as another process would be.
        with open_store(store.url) as own:
            reader = engine_of(engine, own)
            while not building.is_set() or not seen:
                seen.append(ranking(reader.search(SearchRequest("harbour", limit=100))))

    searching = threading.Thread(target=read)
    searching.start()
    try:
        for _ in range(3):  # rebuilds swapped in while the reader goes on
            engine.rebuild()
    finally:
        building.set()
        searching.join()
    assert seen and all(answer == expected for answer in seen)


# -- search never fails -----------------------------------------------------------

# Pieces users type: words of the archive, operators, fields, quotes,
# wildcards, groups, dates; and any text at all.
_PIECES = st.one_of(
    st.sampled_from(
        [
            "harbour",
            "bridge",
            "the",
            "seals",
            "storm",
            "surge",
            "ferry",
            "fares",
            "council",
            "zzqx",
            "2024",
            "AND",
            "OR",
            "NOT",
            "-",
            "+",
            '"',
            "(",
            ")",
            "*",
            "?",
            ":",
            "title:",
            "author:",
            "source:",
            "tag:",
            "section:",
            "language:",
            "published:",
            "published:2024-06",
            "text:",
            "colour:",
            "https://x.example/a",
            "\u00e9",
            "\x00",
            "\u202e",
            "\\",
            "'",
            "[",
            "]",
            "{",
            "}",
            "^",
            "~",
            "/",
        ]  # fmt: skip
    ),
    st.text(max_size=12),
)
_QUERIES = st.lists(_PIECES, min_size=0, max_size=8).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=_QUERIES,
    sort=st.sampled_from(["relevance", "newest", "oldest"]),
    offset=st.integers(0, 12),
    source=st.sampled_from(
        [None, "harbour-herald.example", "elsewhere.example", "https://www.harbour-herald.example/"]
    ),
    author=st.sampled_from([None, "Okafor", "Maya Lindqvist", "!!"]),
)
def test_any_search_answers_or_says_why(indexed, query, sort, offset, source, author):
    """Whatever is typed, a search gives a page (exact, with every hit's
    snippet spans inside its text) or a BadQuery that says what to do."""
    engine, _ = indexed
    request = SearchRequest(query, source=source, author=author, sort=sort, limit=5, offset=offset)
    try:
        page = engine.search(request)
        ids = engine.matching_ids(request)
    except BadQuery as refusal:
        assert str(refusal)
        return
    assert page.total == len(ids) and len(page.hits) <= 5
    for hit in page.hits:
        assert all(0 <= start < end <= len(hit.snippet.text) for start, end in hit.snippet.highlights)


def test_an_engine_says_whether_its_indexing_is_light(indexed):
    """add and import plan their extraction workers by it (archive.py)."""
    engine, _ = indexed
    assert isinstance(engine.light_indexing, bool)
