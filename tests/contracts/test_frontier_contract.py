"""What every frontier queue kind must do: what a killed crawl leaves is
exactly what its resume needs.

Runs the crawl's frontier over each registered queue kind (chosen.py)
on each built-in store backend; a new kind passes this file unchanged.
"""

from __future__ import annotations

import pytest
import stores
from chosen import chosen

from newsarchive.crawl.frontier import Frontier
from newsarchive.crawl.queue import FRONTIERS, open_queue
from newsarchive.spiders.meta import LOOP
from newsarchive.store import Queued, open_store

SITE = "https://news.example"


@pytest.fixture(params=chosen("NEWSARCHIVE_CONTRACT_FRONTIERS", FRONTIERS))
def kind(request):
    return request.param


@pytest.fixture(params=stores.BUILT_IN)
def store(request, tmp_path, kind):
    with open_store(stores.FRESH[request.param](tmp_path)) as store:
        store.queue_kind = kind
        yield store


def frontier(store, **options) -> Frontier:
    queue = open_queue(store.queue_kind, store)
    made = Frontier(store, "news", {"news.example"}, queue=queue, **options)
    made.load()
    made.open()
    return made


def urls(entries) -> list[str]:
    return [entry.url for entry in entries]


def test_a_page_is_done_only_with_what_it_found_and_both_survive_a_restart(store):
    first = frontier(store)
    home = first.restart(f"{SITE}/")
    first.save()
    assert urls(first.next()) == [home.url]
    first.discover(f"{SITE}/2025/06/01/harbour-bridge-reopens", depth=2)
    first.discover(f"{SITE}/world/", depth=2)
    first.save((home.url, None))
    # A new process (the crawl was killed): the home page is done, what it
    # found is pending, in the order found.
    second = frontier(store)
    assert urls(second.next()) == [f"{SITE}/2025/06/01/harbour-bridge-reopens", f"{SITE}/world/"]
    assert second.next() == []  # each served once per run
    assert second.pending() == 2


def test_discoveries_not_saved_are_found_again_from_their_page(store):
    first = frontier(store)
    home = first.restart(f"{SITE}/")
    first.save()
    first.next()
    first.discover(f"{SITE}/2025/06/01/harbour-bridge-reopens", depth=2)
    # killed before the page's save: the page itself is still pending
    second = frontier(store)
    assert urls(second.next()) == [home.url]


def test_known_urls_are_not_queued_twice(store):
    first = frontier(store)
    assert first.discover(f"{SITE}/2025/06/01/harbour-bridge-reopens?utm_source=x", depth=2)
    assert first.discover(f"{SITE}/2025/06/01/harbour-bridge-reopens", depth=3) is None
    first.save()
    assert frontier(store).discover(f"{SITE}/2025/06/01/harbour-bridge-reopens", depth=2) is None


def test_bounds_count_distinct_urls_and_hold_across_a_resume(store):
    first = frontier(store, max_per_pattern=3, max_depth=4)
    for page in range(1, 3):
        assert first.discover(f"{SITE}/world/?page={page}", depth=2)
        first.discover(f"{SITE}/world/?page={page}", depth=2)  # seen again: not counted again
    first.save()
    second = frontier(store, max_per_pattern=3, max_depth=4)
    assert second.discover(f"{SITE}/world/?page=3", depth=2)
    assert second.discover(f"{SITE}/world/?page=4", depth=2) is None
    assert second.discover(f"{SITE}/2025/06/01/deep-down-story", depth=5) is None
    assert second.skipped == {"listing pattern limit": 1, "too deep (DEPTH_LIMIT)": 1}


def test_a_redirect_hands_its_place_to_the_target(store):
    first = frontier(store)
    short = first.discover(f"{SITE}/?p=12", depth=2)
    first.save()
    (served,) = first.next()
    target, why = first.redirected(served, f"{SITE}/2025/06/01/harbour-bridge-reopens")
    assert why is None
    # Judged where it lands: the short link looked like a listing, the
    # target is an article; depth and the way there are kept.
    assert (target.kind, target.depth, target.via) == ("article", 2, (short.url,))
    assert urls(frontier(store).next()) == [target.url]  # killed now: the target is what is left
    # ... and if the target leads back, that is a loop: both are done.
    again, why = first.redirected(target, f"{SITE}/?p=12")
    assert (again, why) == (None, LOOP)
    assert first.pending() == 0


def test_a_missed_page_is_done_and_counted(store):
    first = frontier(store)
    listing = first.discover(f"{SITE}/world/", depth=2)
    first.save()
    first.next()
    first.miss(listing.url, listing.kind, "http 503")
    assert first.missed == {"listing: http 503": 1}
    assert first.pending() == 0


def test_the_queue_serves_in_discovery_order_and_forgets_closed_jobs(store):
    queue = open_queue(store.queue_kind, store)
    entries = [Queued(f"{SITE}/{n}", "article", 1, {"n": n}) for n in range(5)]
    queue.save("news", entries[:3])
    queue.save("news", entries[3:], [(entries[0].url, "new")])
    queue.save("other", [Queued(f"{SITE}/x", "listing", 0)])
    served = queue.next("news", after=0, limit=2)
    assert [(q.url, q.hints) for q in served] == [(entries[1].url, {"n": 1}), (entries[2].url, {"n": 2})]
    rest = queue.next("news", after=served[-1].id, limit=10)
    assert [q.url for q in rest] == [entries[3].url, entries[4].url]
    assert queue.pending("news") == 4 and queue.jobs() == {"news": 4, "other": 1}
    states = dict((url, state) for url, _, state in queue.states("news"))
    assert states[entries[0].url] == "done" and states[entries[4].url] == "pending"
    queue.save("news", [], [(entry.url, "new") for entry in entries[1:]])  # the job is finished
    queue.close("news")
    assert queue.pending("news") == 0 and queue.jobs() == {"other": 1}
    assert list(queue.states("news")) == [] and queue.next("news", after=0, limit=10) == []
