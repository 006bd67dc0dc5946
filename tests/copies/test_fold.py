"""Search with copies folded: one result per story, pages that count
stories, and every copy back with --all; through the real store, linking
and each engine, then through the CLI."""

from __future__ import annotations

import random

import pytest
from test_copies import OTHER, STORY, text

from newsarchive.article import Article
from newsarchive.copies.fold import folded_search
from newsarchive.copies.link import link_pending
from newsarchive.index import ENGINES, open_engine
from newsarchive.index.api import SearchRequest
from newsarchive.index.follow import catch_up
from newsarchive.store import open_store

FILLER = " ".join(
    [
        "fresh words about the weather at sea and the ferry timetable fill this story so it is no copy of",
        "any other one in the archive at all",
    ]
).split()


def article(n: int, source: str, paragraphs: list[str], title: str, day: int = 1) -> Article:
    url = f"https://{source}/story-{n}"
    return Article(
        url=url, canonical_url=url, source=source, title=title, text=text(paragraphs),
        published=f"2026-03-{day:02d}T09:00:00+00:00", authors=("Jane Holt",),
    )  # fmt: skip


def own_story(rng: random.Random, n: int) -> list[str]:
    """Paragraphs about the pier no other article shares."""
    return [
        " ".join(["pier", *rng.sample(FILLER, len(FILLER)), *rng.sample(FILLER, 10), f"n{n}x{p}"])
        for p in range(4)
    ]


@pytest.fixture(params=sorted(ENGINES))
def archive(tmp_path, request):
    """A wire story run by 30 sites (headlines naming the pier, so they
    rank first), 12 stories of their own about the pier, one on the ferry."""
    rng = random.Random(5)
    with open_store(tmp_path / "store.sqlite3") as store:
        stored = []
        for n in range(30):
            body = STORY if n % 3 else STORY[:3]  # some sites trim it
            stored.append(article(n, f"site{n}.example", body, "Pier pier closed to lorries", day=1 + n % 2))
        for n in range(30, 42):
            stored.append(article(n, "local.example", own_story(rng, n), f"Harbour notes {n}"))
        stored.append(article(99, "island.example", OTHER, "Ferry timetable changes"))
        for item in stored:
            store.put(item, now="2026-03-03T00:00:00+00:00")
        link_pending(store)
        engine = open_engine(request.param, tmp_path / "index", store)
        catch_up(engine, store)
        yield engine, store


def ids(page) -> list[str]:
    return [hit.article.id for hit in page.hits]


def test_a_story_many_sites_ran_is_one_result(archive):
    engine, store = archive
    every = engine.matching_ids(SearchRequest("pier"))
    assert len(every) == 42
    page = folded_search(engine, store, SearchRequest("pier", limit=5))
    assert page.total == 42 and page.stories == 13
    clusters = [page.clusters.get(i) for i in ids(page)]
    wire = [c for c in clusters if c is not None and len(c.members) > 1]
    assert len(wire) == 1 and len(wire[0].members) == 30 and len(wire[0].sources) == 30
    assert len(set(ids(page))) == 5


def test_pages_of_stories_follow_on_and_cover_them_all(archive):
    engine, store = archive
    seen = []
    for offset in range(0, 20, 4):
        seen += ids(folded_search(engine, store, SearchRequest("pier", limit=4, offset=offset)))
    clusters = store.clusters_of(seen)
    assert len(seen) == 13 and len({clusters[i].id for i in seen}) == 13


def test_copies_that_fill_the_first_fetch_are_folded_too(archive):
    """The wire copies rank first and outnumber the first fetch: the
    stories after them still come, and only once."""
    engine, store = archive
    page = folded_search(engine, store, SearchRequest("pier", limit=12, offset=1))
    assert len(page.hits) == 12
    assert all(hit.article.source == "local.example" for hit in page.hits)


def test_sorted_by_date_and_filtered_the_same_way(archive):
    engine, store = archive
    page = folded_search(engine, store, SearchRequest("", source="site7.example", sort="newest"))
    assert page.stories == 1 and len(page.hits) == 1
    newest = folded_search(engine, store, SearchRequest("pier", sort="newest", limit=50))
    assert len(newest.hits) == 13


# -- through the CLI ----------------------------------------------------------


def copied_page(page, host: str, name: str) -> tuple[str, bytes]:
    html = page.html.decode().replace("harbour-herald.example", host).replace("The Harbour Herald", name)
    return page.url.replace("harbour-herald.example", host), html.encode()


@pytest.fixture
def syndicated(na):
    """The demo site's articles, the first run again by two other sites."""
    from newsarchive.demo.site import article_pages

    pages = article_pages()
    for page in pages:
        na("add", "-", "--url", page.url, input=page.html)
    for host, name in (("courier.example", "The Courier"), ("gazette.example", "The Gazette")):
        url, html = copied_page(pages[0], host, name)
        na("add", "-", "--url", url, input=html)
    return na, pages[0]


def test_search_folds_copies_and_all_shows_them(syndicated):
    na, page = syndicated
    word = "bridge"  # in the first article's headline
    folded = na.json("search", word)
    story = [r for r in folded["results"] if r["cluster"]["size"] == 3]
    assert len(story) == 1 and folded["copies_folded"] is True
    (result,) = story
    assert result["cluster"]["size"] == 3
    assert result["cluster"]["sources"][0] == "harbour-herald.example"
    assert set(result["cluster"]["sources"]) == {
        "harbour-herald.example",
        "courier.example",
        "gazette.example",
    }
    every = na.json("search", word, "--all")
    assert len(every["results"]) == len(folded["results"]) + 2 == every["total"]
    assert {r["cluster"]["id"] for r in every["results"] if r["cluster"]["size"] == 3} == {
        result["cluster"]["id"]
    }
    shown = na("search", word).stdout
    assert "also in 2 sources:" in shown and f"newsarchive copies {result['id']}" in shown
    assert "copies folded; --all shows each" in shown


def test_facets_and_timelines_equal_the_counts_of_an_export(syndicated):
    """Acceptance 3: counted by the index, equal to counting every
    exported record, for several queries and filters."""
    import json
    from collections import Counter

    from newsarchive.index.facets import timeline

    na, _ = syndicated
    for args in (["harbour"], ["the"], ["the", "--source", "courier.example"], ["the", "--since", "2024-09"]):
        shaped = na.json("search", *args, "--facets", "source,author,section,month", "--timeline", "week")
        records = [json.loads(line) for line in na("export", *args).stdout.splitlines()]
        assert shaped["total"] == len(records) > 0 and shaped["counts_exact"] is True
        expected = {name: Counter() for name in ("source", "author", "section", "month")}
        days: Counter = Counter()
        for record in records:
            expected["source"][record["source"]] += 1
            expected["author"].update(set(record["authors"]))
            if record.get("section"):
                expected["section"][record["section"]] += 1
            if record.get("published"):
                expected["month"][record["published"][:7]] += 1
                days[record["published"][:10]] += 1
        for name, counter in expected.items():
            assert dict(map(tuple, shaped["facets"][name])) == dict(counter), (args, name)
        weeks = {label: count for label, count in timeline(sorted(days.items()), "week") if count}
        assert {label: count for label, count in shaped["timeline"]["counts"] if count} == weeks
        assert sum(count for _, count in shaped["timeline"]["counts"]) == sum(days.values())


def test_periods_are_labelled_and_gaps_drawn_as_zero():
    from datetime import date

    from newsarchive.index.facets import period_of, timeline

    assert (
        period_of(date(2027, 1, 1), "week") == "2026-W53"
        and period_of(date(2026, 3, 5), "month") == "2026-03"
    )
    assert timeline([("2026-01-30", 2), ("2026-03-02", 1)], "month") == [
        ("2026-01", 2),
        ("2026-02", 0),
        ("2026-03", 1),
    ]
    assert timeline([("2026-03-01", 1), ("2026-03-03", 4)], "day") == [
        ("2026-03-01", 1), ("2026-03-02", 0), ("2026-03-03", 4),
    ]  # fmt: skip
    assert [label for label, _ in timeline([("2026-01-01", 1), ("2026-01-20", 1)], "week")] == [
        "2026-W01", "2026-W02", "2026-W03", "2026-W04",
    ]  # fmt: skip


def test_a_facet_that_does_not_exist_is_refused_with_the_choices(syndicated):
    na, _ = syndicated
    result = na("search", "harbour", "--facets", "colour", code=2)
    assert "source, author, section, month" in result.stderr


def test_an_archive_stored_without_linking_is_linked_by_its_next_catch_up(na, monkeypatch):
    from newsarchive.demo.site import article_pages

    monkeypatch.setenv("NEWSARCHIVE_COPIES", "off")
    page = article_pages()[0]
    na("add", "-", "--url", page.url, input=page.html)
    url, html = copied_page(page, "courier.example", "The Courier")
    na("add", "-", "--url", url, input=html)
    assert len(na.json("search", "bridge")["results"]) == 2  # nothing linked: two stories
    monkeypatch.setenv("NEWSARCHIVE_COPIES", "on")
    na("reindex")
    (story,) = na.json("search", "bridge")["results"]
    assert story["cluster"]["size"] == 2
