"""Copies of a story: what counts as one, the syndication bench's floor,
and `copies` through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import SHARED
from newsarchive.copies.finder import MemoryCopies, copy_relation
from newsarchive.copies.signatures import core_text
from newsarchive.demo.site import article_pages

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
DATASET = SHARED / "datasets" / "article-extraction"

STORY = [
    "The harbour authority voted on Tuesday to close the north pier to heavy lorries from the first of March,"
    " after engineers found cracks in three of its oldest supporting beams during a routine survey.",
    "Councillor Mira Osei, who chairs the transport committee, said 12 firms would need new routes and that"
    " the authority would pay for temporary signs on the coast road while the repairs are planned.",
    "Fishing crews who land their catch at the pier said they had not been consulted. One skipper said the"
    " closure would add an hour to every delivery and asked why the survey was not published sooner.",
    "The repairs are expected to cost 4.2 million pounds and to take most of next year. The authority said"
    " it would apply for a national grant and publish the full engineering report next month.",
    "Residents of Quay Street welcomed the decision, saying lorries had shaken their windows for years."
    " A petition signed by 340 households had asked the council to divert traffic in the spring.",
]
OTHER = [
    "A new ferry timetable starts next week, with two extra sailings on Saturdays and an earlier first crossing"
    " on weekdays for commuters who work on the mainland and have asked for it for years.",
    "The operator said the change followed a survey of 2,000 passengers, most of whom wanted later evening"
    " sailings in summer, and that fares would stay the same until the end of the year at least.",
    "Island shopkeepers said the earlier crossing would help deliveries of fresh food, which now arrive after"
    " the morning rush, and asked for the timetable to be kept through the winter months too.",
]


def text(paragraphs) -> str:
    return "\n\n".join(paragraphs)


@pytest.mark.parametrize(
    ("copy", "label"),
    [
        (STORY, "identical"),
        (STORY[:3], "trimmed"),
        ([*STORY, *OTHER[:2]], "extended"),
        ([STORY[0].replace("Tuesday", "Wednesday"), *STORY[1:]], "near"),
        (
            ["LONDON (Reuters) - " + STORY[0], *STORY[1:], "Reporting by Jane Holt; Editing by Tom Reyes"],
            "identical",
        ),
    ],
)
def test_copies_are_labelled_by_how_they_relate(copy, label):
    assert copy_relation(text(copy), text(STORY)).label == label


def test_what_is_no_copy():
    assert copy_relation(text(OTHER), text(STORY)) is None
    # A follow-up that quotes the lede, with a story of its own.
    assert copy_relation(text([STORY[0], *OTHER]), text(STORY)) is None
    assert copy_relation(text([STORY[0], *OTHER]), text(STORY[:2])) is None


def test_datelines_and_agency_tails_are_not_the_story():
    assert core_text(
        "HARBOURTON, Maine (AP) \u2014 The pier closed.\n\nCopyright 2026 The Associated Press."
    ) == ("The pier closed.")


def test_clusters_are_named_by_their_earliest_article():
    from datetime import date

    copies = MemoryCopies()
    copies.add("later", text(STORY[:4]), date(2026, 3, 2))
    copies.add("first", text(STORY), date(2026, 3, 1))
    copies.add("other", text(OTHER * 2), date(2026, 3, 1))
    copies.add("far", text(STORY), date(2026, 5, 1))  # outside the window: another story run again
    groups = copies.clusters.groups()
    assert sorted(groups["first"]) == ["first", "later"]
    assert groups["other"] == ["other"] and groups["far"] == ["far"]


@pytest.mark.skipif(
    not (DATASET / "ground-truth.json").exists(), reason="the shared dataset (../shared) is absent"
)
@pytest.mark.parametrize("seed", [17, 3])
def test_syndication_bench_keeps_its_floor(seed):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "copies.py"), "--dataset", str(DATASET), "--seed", str(seed), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    scores = json.loads(result.stdout)
    assert scores["precision"] >= 0.95 and scores["recall"] >= 0.95, scores
    assert scores["hard_negatives_merged"] == 0, scores


def test_copies_command_lists_where_a_story_ran(na):
    page = article_pages()[0]
    html = page.html.decode()
    copy = html.replace("harbour-herald.example", "courier.example").replace(
        "The Harbour Herald", "The Courier"
    )
    copy_url = page.url.replace("harbour-herald.example", "courier.example")
    na("add", "-", "--url", page.url, input=page.html)
    na("add", "-", "--url", copy_url, input=copy)
    na("add", "-", "--url", article_pages()[1].url, input=article_pages()[1].html)
    found = na.json("copies", page.url)
    assert found["cluster"] == {
        "id": found["id"],
        "size": 2,
        "sources": ["harbour-herald.example", "courier.example"],
    }
    (only,) = found["copies"]
    assert (only["url"], only["relation"], only["containment"]) == (copy_url, "identical", 1.0)
    assert na.json("copies", article_pages()[1].url)["copies"] == []
    assert "identical" in na("copies", copy_url).stdout


def test_linking_follows_the_change_log(tmp_path):
    """Linking takes what changed since it last ran, a batch per
    transaction: a new copy, a body edit, and not a headline edit."""
    from newsarchive.article import Article
    from newsarchive.copies.link import link_pending
    from newsarchive.store import open_store

    def article(n: int, paragraphs, title: str = "Pier closes") -> Article:
        url = f"https://site{n}.example/pier"
        return Article(url=url, canonical_url=url, source=f"site{n}.example", title=title,
                       text=text(paragraphs), published="2026-03-01T09:00:00+00:00")  # fmt: skip

    with open_store(tmp_path / "store.sqlite3") as store:
        first, other = article(1, STORY), article(2, OTHER * 2)
        store.put(first, now="t1")
        store.put(other, now="t1")
        assert link_pending(store) == 2 and link_pending(store) == 0
        store.put(article(3, STORY[:3]), now="t2")
        assert link_pending(store) == 1
        assert store.clusters_of([first.id])[first.id].members == [first.id, article(3, STORY[:3]).id]
        store.put(first.replace(title="Pier to close in March"), now="t3")
        assert link_pending(store) == 0  # the same body: its links stand
        store.put(other.replace(text=text(STORY)), now="t4")  # now it runs the story too
        assert link_pending(store) == 1
        assert len(store.clusters_of([first.id])[first.id].members) == 3
        assert store.copies_seq() == store.last_seq()


def test_the_window_reads_days_as_needed_lets_them_go_and_sees_others_records(tmp_path):
    from samples import make_article

    from newsarchive.copies.window import PrintWindow
    from newsarchive.store import open_store

    path = tmp_path / "store.sqlite3"
    with open_store(path) as store, open_store(path) as other:
        for day in range(0, 40):
            article = make_article(day)
            store.put(article, now="t")
            store.record_copies(article.id, day=day, bands=[day, 1000], body=f"b{day}", edges=[])
        ids = {day: make_article(day).id for day in range(40)}
        window = PrintWindow(store, window_days=3, most_prints=9)
        assert window.candidates(store, 10, [1000], "zz") == {ids[d] for d in range(7, 14)}
        assert window.candidates(store, 10, [12], "zz") == {ids[12]}
        assert window.candidates(store, 10, [99], "b9") == {ids[9]}  # the same body
        assert window.candidates(store, 30, [1000], "zz") == {ids[d] for d in range(27, 34)}
        assert len(window._prints) <= 9  # days far from those linked were let go
        assert window.candidates(store, 10, [1000], "zz") == {ids[d] for d in range(7, 14)}
        # Another process records: seen once the window refreshes.
        late = make_article(77)
        other.put(late, now="t")
        other.record_copies(late.id, day=11, bands=[555], body="b77", edges=[])
        other.record_copies(ids[12], day=12, bands=[556], body="b12", edges=[])  # its text changed
        assert window.candidates(store, 10, [555], "zz") == set()
        window.refresh(store)
        assert window.candidates(store, 10, [555], "zz") == {late.id}
        assert window.candidates(store, 10, [12], "zz") == set() and window.candidates(
            store, 10, [556], "zz"
        ) == {ids[12]}


def test_a_story_edited_after_its_copy_ran_still_names_its_cluster(tmp_path):
    """Linking follows the change log, where an edit comes after the copy;
    the cluster is still named by the article stored first that day."""
    from newsarchive.article import Article
    from newsarchive.copies.link import link_pending
    from newsarchive.store import open_store

    def article(n: int, title: str) -> Article:
        url = f"https://site{n}.example/pier"
        return Article(url=url, canonical_url=url, source=f"site{n}.example", title=title,
                       text=text(STORY), published="2026-03-01T09:00:00+00:00")  # fmt: skip

    with open_store(tmp_path / "store.sqlite3") as store:
        first, copy = article(1, "Pier closes"), article(2, "Pier shut")
        store.put(first, now="t1")
        store.put(copy, now="t2")
        store.put(first.replace(title="Pier to close in March"), now="t3")
        link_pending(store)
        assert store.clusters_of([copy.id])[copy.id].members == [first.id, copy.id]
