"""Choosing the engine: `reindex --engine` switches an archive, which keeps
using that engine, and both engines give the same result sets."""

from __future__ import annotations

from newsarchive.demo.site import article_pages

QUERIES = [
    "harbour",
    "trained",
    '"storm surge"',
    "seals OR herring",
    "fish NOT herring",
    "title:bridge",
    "author:okafor",
    'author:"maya lindqvist"',
    "tag:ferries",
    "harb*",
    "the -harbour",
    "seals published:2024-06",
    "the published:[2024 TO 2024-12]",
    "h?rbour",
    "(seals OR storm) AND title:seals",
]


def result_sets(na) -> dict[str, set[str]]:
    return {
        query: {hit["id"] for hit in na.json("search", query, "--limit", "100")["results"]}
        for query in QUERIES
    }


def test_an_archive_switched_to_tantivy_and_back_answers_the_same(na):
    pages = article_pages()
    for page in pages[:-1]:
        na("add", "-", "--url", page.url, input=page.html)
    whoosh = result_sets(na)
    assert all(whoosh.values()), {q: ids for q, ids in whoosh.items() if not ids}
    assert na.json("reindex", "--engine", "tantivy")["engine"] == "tantivy"
    assert na.json("stats")["index"] == {"engine": "tantivy", "present": True, "behind": 0}
    assert result_sets(na) == whoosh
    # Later commands keep to the engine the archive was built with.
    last = pages[-1]
    na("add", "-", "--url", last.url, input=last.html)
    assert na.json("stats")["index"]["engine"] == "tantivy"
    assert na.json("stats")["index"]["behind"] == 0
    title = na.json("show", last.url)["title"]
    assert na.json("search", f'title:"{title}"')["total"] == 1
    assert na.json("doctor")["healthy"]
    tantivy = result_sets(na)
    na("reindex", "--engine", "whoosh")
    assert na.json("stats")["index"]["engine"] == "whoosh"
    assert result_sets(na) == tantivy


def test_the_engine_can_be_named_in_the_environment(na, monkeypatch):
    page = article_pages()[0]
    monkeypatch.setenv("NEWSARCHIVE_ENGINE", "tantivy")
    na("add", "-", "--url", page.url, input=page.html)
    assert na.json("stats")["index"]["engine"] == "tantivy"
    assert na.json("search", "bridge")["total"] == 1
    monkeypatch.setenv("NEWSARCHIVE_ENGINE", "lucene")
    result = na("search", "bridge", code=2)
    assert "no index engine 'lucene'; known:" in result.stderr
    assert "tantivy" in result.stderr and "whoosh" in result.stderr


def test_stats_suggests_tantivy_when_an_archive_outgrows_whoosh(na, monkeypatch):
    for page in article_pages()[:3]:
        na("add", "-", "--url", page.url, input=page.html)
    assert "suggest" not in na.json("stats")["index"]
    monkeypatch.setattr("newsarchive.index.WHOOSH_COMFORT", 2)
    assert na.json("stats")["index"]["suggest"] == "newsarchive reindex --engine tantivy"
    assert "`newsarchive reindex --engine tantivy` switches it" in na("stats").stdout
    na("reindex", "--engine", "tantivy")
    assert "suggest" not in na.json("stats")["index"]


def test_tantivy_says_when_facet_counts_are_estimates(tmp_path, monkeypatch):
    """Past the values a terms aggregation returns, counts are not exact;
    the engine says so and the command warns."""
    import newsarchive.index.tantivy.search as tantivy_search
    from newsarchive.demo.site import article_pages
    from newsarchive.extract import extract
    from newsarchive.index import open_engine
    from newsarchive.index.api import SearchRequest
    from newsarchive.index.follow import catch_up
    from newsarchive.store import open_store

    with open_store(tmp_path / "store.sqlite3") as store:
        for page in article_pages():
            store.put(extract(page.html, page.url), now="2025-06-01T00:00:00+00:00")
        engine = open_engine("tantivy", tmp_path / "index", store)
        catch_up(engine, store)
        assert engine.facets(SearchRequest("the"), ["author"]).exact
        monkeypatch.setattr(tantivy_search, "FACET_BUCKETS", 2)
        assert not engine.facets(SearchRequest("the"), ["author"]).exact
