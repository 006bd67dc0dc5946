"""The index follows the store and answers the query language."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from newsarchive.dates import parse_bound
from newsarchive.demo.site import article_pages
from newsarchive.errors import BadQuery, IndexUnavailable
from newsarchive.extract import extract
from newsarchive.index.generations import begin, live
from newsarchive.index.search import SearchRequest, matching_ids, parse_query, search
from newsarchive.index.state import read_state
from newsarchive.index.writer import catch_up, rebuild
from newsarchive.store import open_store


@pytest.fixture(scope="module")
def demo_articles():
    return [extract(page.html, page.url) for page in article_pages()]


@pytest.fixture
def indexed(tmp_path, demo_articles):
    index_dir = tmp_path / "index"
    with open_store(tmp_path / "store.sqlite3") as store:
        for article in demo_articles:
            store.put(article, now="2025-06-01T00:00:00+00:00")
        catch_up(index_dir, store)
        yield index_dir, store


def titles(indexed, query: str = "", **options) -> list[str]:
    index_dir, store = indexed
    page = search(index_dir, store, SearchRequest(query, **options))
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
    index_dir, store = indexed
    everything = titles(indexed, "source:harbour-herald.example", sort="newest", limit=20)
    page = search(
        index_dir, store, SearchRequest("source:harbour-herald.example", sort="newest", limit=3, offset=3)
    )
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
    index_dir, store = indexed
    hit = search(index_dir, store, SearchRequest("trained")).hits[0]
    snippet = hit.snippet
    assert snippet.highlights
    words = [snippet.text[start:end] for start, end in snippet.highlights]
    assert "trained" in [w.lower() for w in words] or "training" in [w.lower() for w in words]
    assert "\x02" not in snippet.text and "\x03" not in snippet.text


def test_relevance_puts_title_matches_first(indexed):
    assert titles(indexed, "ferry")[0] == "Ferry operator raises fares as fuel costs climb"


def test_bad_queries_are_refused_with_a_reason():
    with pytest.raises(BadQuery, match="empty"):
        parse_query("   ")
    with pytest.raises(BadQuery, match="unknown field 'colour'"):
        parse_query("colour:red")
    with pytest.raises(BadQuery, match="no searchable words"):
        parse_query("!!! ...")
    # A URL is not a field.
    parse_query("https://example.com/story")


def test_since_after_until_is_refused(indexed):
    index_dir, store = indexed
    with pytest.raises(BadQuery, match="--since is after --until"):
        search(
            index_dir, store, SearchRequest("harbour", since=parse_bound("2025"), until=parse_bound("2024"))
        )


def test_index_follows_updates_and_deletions(indexed, demo_articles):
    index_dir, store = indexed
    ferry = demo_articles[-1]
    store.put(dataclasses.replace(ferry, title="Ferry fares frozen after protest"), now="t")
    store.delete(demo_articles[0].id, now="t")
    assert catch_up(index_dir, store) == 2
    assert titles(indexed, "protest") == ["Ferry fares frozen after protest"]
    assert titles(indexed, "girders") == []
    assert read_state(live(index_dir)).seq == store.last_seq()
    assert catch_up(index_dir, store) == 0


def test_rebuild_gives_the_same_answers(indexed):
    index_dir, store = indexed
    before = {q: titles(indexed, q) for q in ("harbour", "trained", '"storm surge"', "title:ferry")}
    first = live(index_dir)
    assert rebuild(index_dir, store) == 8
    assert live(index_dir) != first
    assert {q: titles(indexed, q) for q in before} == before
    # The generation before stays for readers that resolved it; older ones go.
    assert rebuild(index_dir, store) == 8
    assert not first.exists()
    assert sorted(p.name for p in index_dir.iterdir()) == ["CURRENT", "g000002", "g000003"]


def test_a_killed_rebuild_leaves_the_live_index_answering(indexed):
    index_dir, store = indexed
    before = titles(indexed, "harbour")
    left = begin(index_dir)  # what a rebuild killed half way leaves
    (left / "half-written").write_bytes(b"x")
    assert titles(indexed, "harbour") == before
    assert rebuild(index_dir, store) == 8
    assert not left.exists()
    assert titles(indexed, "harbour") == before


def test_no_index_answers_nothing_and_says_so_until_a_writer_builds_it(indexed):
    index_dir, store = indexed
    shutil.rmtree(index_dir)
    page = search(index_dir, store, SearchRequest("harbour"))
    assert (page.total, page.indexed, page.behind) == (0, False, store.last_seq())
    with pytest.raises(BadQuery):
        search(index_dir, store, SearchRequest("nosuchfield:x"))
    catch_up(index_dir, store)
    assert titles(indexed, "seals")


def test_an_index_from_before_generations_is_read_then_moved(indexed):
    index_dir, store = indexed
    where = live(index_dir)
    for path in where.iterdir():
        path.rename(index_dir / path.name)
    where.rmdir()
    (index_dir / "CURRENT").unlink()
    assert live(index_dir) == index_dir
    before = titles(indexed, "harbour")
    assert before
    rebuild(index_dir, store)
    assert titles(indexed, "harbour") == before
    rebuild(index_dir, store)  # the old layout's files go at the swap after
    assert sorted(p.name for p in index_dir.iterdir()) == ["CURRENT", "g000001", "g000002"]


def test_index_of_another_store_is_not_trusted(indexed, tmp_path, demo_articles):
    index_dir, _ = indexed
    with open_store(tmp_path / "other.sqlite3") as other:
        other.put(demo_articles[0], now="t")
        with pytest.raises(IndexUnavailable):
            search(index_dir, other, SearchRequest("harbour"))


def test_empty_archive_answers_nothing_without_an_index(tmp_path):
    with open_store(tmp_path / "s.sqlite3") as store:
        page = search(tmp_path / "index", store, SearchRequest("anything"))
        assert page.total == 0 and not page.hits
        with pytest.raises(BadQuery):
            search(tmp_path / "index", store, SearchRequest("nosuchfield:x"))


def test_lagging_index_is_reported(indexed, demo_articles):
    index_dir, store = indexed
    store.put(dataclasses.replace(demo_articles[1], title="Council rethinks flood barriers"), now="t")
    assert search(index_dir, store, SearchRequest("harbour")).behind == 1


def test_matching_ids_for_export(indexed):
    index_dir, store = indexed
    ids = matching_ids(index_dir, store, SearchRequest("", source="harbour-herald.example", sort="newest"))
    assert len(ids) == 8


def test_totals_past_the_counting_limit_are_estimates(indexed, monkeypatch):
    """Words are counted exactly however common; a phrase is walked match by
    match, and past the limit its total is Whoosh's estimate, said so."""
    index_dir, store = indexed
    monkeypatch.setattr("newsarchive.index.search.EXACT_COUNT_LIMIT", 2)
    common = search(index_dir, store, SearchRequest("the", limit=1))
    assert common.exact and common.total > 2
    monkeypatch.setattr("newsarchive.index.search.EXACT_COUNT_LIMIT", 10_000)
    exact = search(index_dir, store, SearchRequest('"of the"', limit=1))
    assert exact.exact and exact.total > 2
    monkeypatch.setattr("newsarchive.index.search.EXACT_COUNT_LIMIT", 2)
    estimated = search(index_dir, store, SearchRequest('"of the"', limit=1))
    assert not estimated.exact and estimated.total >= exact.total
    from newsarchive.layout import plain, results_layout

    assert f"of about {estimated.total:,} results" in plain(results_layout(estimated))
    few = search(index_dir, store, SearchRequest('"storm surge"', limit=1))
    assert few.exact


def test_article_changed_twice_in_one_batch_is_indexed_once(indexed, demo_articles):
    """Whoosh cannot replace a document added in the same commit."""
    index_dir, store = indexed
    first = demo_articles[0]
    store.put(dataclasses.replace(first, title="Bridge reopens, again"), now="t1")
    store.put(dataclasses.replace(first, title="Bridge reopens at last"), now="t2")
    catch_up(index_dir, store)
    from whoosh.index import open_dir

    with open_dir(str(live(index_dir))).reader() as reader:
        assert reader.doc_count() == len(demo_articles)
    assert titles(indexed, "bridge reopens").count("Bridge reopens at last") == 1


@pytest.mark.parametrize(
    "query, options",
    [
        ("harbour", {}),
        ("the", {"limit": 3}),
        ("harbour OR storm", {"offset": 2, "limit": 4}),
        ("the -harbour", {}),
        ('"storm surge" OR bridge', {}),
        ("", {"source": "harbour-herald.example"}),
        ("the", {"since": parse_bound("2010")}),
    ],
)
def test_counting_pass_and_skipping_search_agree(indexed, monkeypatch, query, options):
    """Where matches are few, one pass scores and counts every match; past
    the limit Whoosh skips blocks and the total comes from posting ids. Both
    must show the same page and the same total."""
    index_dir, store = indexed
    request = SearchRequest(query, **options)
    one_pass = search(index_dir, store, request)
    monkeypatch.setattr("newsarchive.index.search.EXACT_COUNT_LIMIT", 0)
    skipping = search(index_dir, store, request)
    assert [h.article.id for h in one_pass.hits] == [h.article.id for h in skipping.hits]
    assert [h.score for h in one_pass.hits] == [h.score for h in skipping.hits]
    assert one_pass.total == skipping.total and one_pass.exact
    assert one_pass.total >= len(one_pass.hits) > 0
