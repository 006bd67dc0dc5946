"""The Whoosh engine's own promises: its generations on disk, its counting
limits, Whoosh's quirks. What every engine does is in
tests/contracts/test_engine_contract.py."""

from __future__ import annotations

import pytest

from newsarchive.dates import parse_bound
from newsarchive.demo.site import article_pages
from newsarchive.errors import BadQuery
from newsarchive.extract import extract
from newsarchive.index.api import SearchRequest
from newsarchive.index.follow import catch_up
from newsarchive.index.generations import begin, live
from newsarchive.index.whoosh import WhooshEngine
from newsarchive.index.whoosh.search import parse_query
from newsarchive.store import open_store


@pytest.fixture(scope="module")
def demo_articles():
    return [extract(page.html, page.url) for page in article_pages()]


@pytest.fixture
def indexed(tmp_path, demo_articles):
    with open_store(tmp_path / "store.sqlite3") as store:
        for article in demo_articles:
            store.put(article, now="2025-06-01T00:00:00+00:00")
        engine = WhooshEngine(tmp_path / "index", store)
        catch_up(engine, store)
        yield engine, store


def titles(indexed, query: str = "", **options) -> list[str]:
    engine, _ = indexed
    return [hit.article.title for hit in engine.search(SearchRequest(query, **options)).hits]


def test_bad_queries_are_refused_with_a_reason():
    with pytest.raises(BadQuery, match="empty"):
        parse_query("   ")
    with pytest.raises(BadQuery, match="unknown field 'colour'"):
        parse_query("colour:red")
    with pytest.raises(BadQuery, match="no searchable words"):
        parse_query("!!! ...")
    # A URL is not a field.
    parse_query("https://example.com/story")


def test_rebuild_gives_the_same_answers(indexed):
    engine, store = indexed
    before = {q: titles(indexed, q) for q in ("harbour", "trained", '"storm surge"', "title:ferry")}
    first = live(engine.root)
    assert engine.rebuild() == 8
    assert live(engine.root) != first
    assert {q: titles(indexed, q) for q in before} == before
    # The generation before stays for readers that resolved it; older ones go.
    assert engine.rebuild() == 8
    assert not first.exists()
    assert sorted(p.name for p in engine.root.iterdir()) == ["CURRENT", "g000002", "g000003"]


def test_a_killed_rebuild_leaves_the_live_index_answering(indexed):
    engine, store = indexed
    before = titles(indexed, "harbour")
    left = begin(engine.root)  # what a rebuild killed half way leaves
    (left / "half-written").write_bytes(b"x")
    assert titles(indexed, "harbour") == before
    assert engine.rebuild() == 8
    assert not left.exists()
    assert titles(indexed, "harbour") == before


def test_an_index_from_before_generations_is_read_then_moved(indexed):
    engine, store = indexed
    where = live(engine.root)
    for path in where.iterdir():
        path.rename(engine.root / path.name)
    where.rmdir()
    (engine.root / "CURRENT").unlink()
    assert live(engine.root) == engine.root
    before = titles(indexed, "harbour")
    assert before
    engine.rebuild()
    assert titles(indexed, "harbour") == before
    engine.rebuild()  # the old layout's files go at the swap after
    assert sorted(p.name for p in engine.root.iterdir()) == ["CURRENT", "g000001", "g000002"]


def test_totals_past_the_counting_limit_are_estimates(indexed, monkeypatch):
    """Words are counted exactly however common; a phrase is walked match by
    match, and past the limit its total is Whoosh's estimate, said so."""
    engine, store = indexed
    monkeypatch.setattr("newsarchive.index.whoosh.search.EXACT_COUNT_LIMIT", 2)
    common = engine.search(SearchRequest("the", limit=1))
    assert common.exact and common.total > 2
    monkeypatch.setattr("newsarchive.index.whoosh.search.EXACT_COUNT_LIMIT", 10_000)
    exact = engine.search(SearchRequest('"of the"', limit=1))
    assert exact.exact and exact.total > 2
    monkeypatch.setattr("newsarchive.index.whoosh.search.EXACT_COUNT_LIMIT", 2)
    estimated = engine.search(SearchRequest('"of the"', limit=1))
    assert not estimated.exact and estimated.total >= exact.total
    from newsarchive.cli.lines import plain, results_layout

    assert f"of about {estimated.total:,} results" in plain(results_layout(estimated))
    few = engine.search(SearchRequest('"storm surge"', limit=1))
    assert few.exact


def test_article_changed_twice_in_one_batch_is_indexed_once(indexed, demo_articles):
    """Whoosh cannot replace a document added in the same commit."""
    engine, store = indexed
    first = demo_articles[0]
    store.put(first.replace(title="Bridge reopens, again"), now="t1")
    store.put(first.replace(title="Bridge reopens at last"), now="t2")
    catch_up(engine, store)
    from whoosh.index import open_dir

    with open_dir(str(live(engine.root))).reader() as reader:
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
    engine, store = indexed
    request = SearchRequest(query, **options)
    one_pass = engine.search(request)
    monkeypatch.setattr("newsarchive.index.whoosh.search.EXACT_COUNT_LIMIT", 0)
    skipping = engine.search(request)
    assert [h.article.id for h in one_pass.hits] == [h.article.id for h in skipping.hits]
    assert [h.score for h in one_pass.hits] == [h.score for h in skipping.hits]
    assert one_pass.total == skipping.total and one_pass.exact
    assert one_pass.total >= len(one_pass.hits) > 0
