"""The team frontier's promises, on both built-in store backends: crawlers
sharing one job never hold the same URL, a dead crawler's URLs come back,
and a host is one crawler's at a time, a delay apart."""

from __future__ import annotations

import os
import random
import time
from collections import Counter

import pytest
import stores

from newsarchive.crawl.queue import TeamQueue
from newsarchive.store import Queued, open_store

SITE = "https://news.example"
JOB = "news"


@pytest.fixture(params=stores.BUILT_IN)
def store(request, tmp_path):
    with open_store(stores.FRESH[request.param](tmp_path)) as store:
        yield store


def crawler(store, *, stale: float = 30.0) -> TeamQueue:
    """A team queue joined by a running crawl run of its own."""
    queue = TeamQueue(store)
    queue.join(store.start_run(JOB, pid=1, now="t", machine="m"), stale=stale)
    return queue


def entries(n: int, depth: int = 2) -> list[Queued]:
    return [Queued(f"{SITE}/story-{i:03d}", "article", depth) for i in range(n)]


def test_crawlers_never_hold_the_same_url(store):
    one, two, three = crawler(store), crawler(store), crawler(store)
    one.save(JOB, entries(10))
    claimed = [
        one.next(JOB, after=0, limit=4),
        two.next(JOB, after=0, limit=4),
        three.next(JOB, after=0, limit=4),
    ]
    urls = [q.url for batch in claimed for q in batch]
    assert len(urls) == 10 and len(set(urls)) == 10
    assert [q.url for q in claimed[0]] == [q.url for q in entries(10)[:4]]  # discovery order
    assert one.next(JOB, after=0, limit=4) == []  # nothing is handed out twice
    assert one.held_elsewhere(JOB) == 6 and three.held_elsewhere(JOB) == 8


def test_a_finished_or_silent_crawler_gives_its_urls_back(store):
    one, two = crawler(store, stale=0.3), crawler(store, stale=0.3)
    one.save(JOB, entries(4))
    held = one.next(JOB, after=0, limit=4)
    one.save(JOB, [], [(held[0].url, "new")])
    assert two.next(JOB, after=0, limit=4) == [] and two.held_elsewhere(JOB) == 3
    time.sleep(0.5)  # `one` stopped beating: killed
    assert two.held_elsewhere(JOB) == 3  # still worth waiting for ...
    assert [q.url for q in two.next(JOB, after=0, limit=4)] == [q.url for q in held[1:]]  # ... and now free
    assert two.held_elsewhere(JOB) == 0
    three = crawler(store)
    two.save(JOB, entries(6)[4:])
    store.finish_run(two.holder, status="ok", now="t", summary={})  # ended: what it holds is free
    assert {q.url for q in three.next(JOB, after=0, limit=10)} == {q.url for q in held[1:]} | {
        q.url for q in entries(6)[4:]
    }


def test_a_beating_crawler_keeps_its_urls(store):
    one, two = crawler(store, stale=0.6), crawler(store, stale=0.6)
    one.save(JOB, entries(2))
    one.next(JOB, after=0, limit=2)
    for _ in range(4):
        time.sleep(0.25)
        store.beat(one.holder)
    assert two.next(JOB, after=0, limit=2) == []


def test_found_again_only_start_pages_are_fetched_again(store):
    one, two = crawler(store), crawler(store)
    home = Queued(f"{SITE}/", "listing", 1)
    story = entries(1)[0]
    one.save(JOB, [home, story])
    one.next(JOB, after=0, limit=2)
    one.save(JOB, [], [(home.url, None), (story.url, "new")])
    two.save(JOB, [home, story])  # another crawler starts, and finds the story too
    assert [q.url for q in two.next(JOB, after=0, limit=5)] == [home.url]


def test_a_job_is_closed_only_when_nothing_is_left(store):
    one = crawler(store)
    one.save(JOB, entries(2))
    one.close(JOB)
    assert one.pending(JOB) == 2
    one.save(JOB, [], [(q.url, "new") for q in entries(2)])
    one.close(JOB)
    assert list(one.states(JOB)) == []


def test_a_host_is_one_crawlers_until_it_frees_it(store):
    one, two = crawler(store), crawler(store)
    assert one.take("news.example", 5.0) == 0.0
    assert 4.5 < two.take("news.example", 5.0) < 5.1  # held while the request runs
    assert two.take("other.example", 5.0) == 0.0  # hosts are apart
    one.free("news.example", 0.3)  # answered: the next may go a delay later
    wait = two.take("news.example", 5.0)
    assert 0.2 < wait < 0.31  # ms clocks
    time.sleep(wait + 0.01)  # the store clock counts milliseconds
    assert two.take("news.example", 5.0) == 0.0
    assert one.take("news.example", 5.0) > 4.5


# NEWSARCHIVE_TEAM_SEEDS=100 tries more histories (pytest -s prints each).
SEEDS = range(1, 1 + int(os.environ.get("NEWSARCHIVE_TEAM_SEEDS", "3")))


@pytest.mark.parametrize("seed", SEEDS)
def test_randomized_crawlers_that_die_lose_nothing(store, seed):
    """Crawlers claim, fetch (finding new URLs) and die at random; every
    URL ever found is done in the end, and only a URL a crawler held when
    it died is done twice."""
    rng = random.Random(seed)
    stale = 0.15
    found = entries(40)
    team = [crawler(store, stale=stale) for _ in range(4)]
    team[0].save(JOB, found)
    done: Counter = Counter()
    held: dict[int, list[Queued]] = {}
    lost_with_the_dead: set[str] = set()
    dead: set[int] = set()
    next_url = 40
    while True:
        alive = [queue for queue in team if queue.holder not in dead]
        if not alive:
            team.append(crawler(store, stale=stale))
            continue
        queue = rng.choice(alive)
        for member in alive:
            store.beat(member.holder)
        action = rng.random()
        mine = held.setdefault(queue.holder, [])
        if action < 0.04 and len(team) < 9:  # killed, with what it holds
            dead.add(queue.holder)
            lost_with_the_dead |= {q.url for q in mine}
            team.append(crawler(store, stale=stale))  # a new one starts
            continue
        if mine and action < 0.7:  # a page fetched: done, with what it led to
            page = mine.pop(rng.randrange(len(mine)))
            new = []
            while rng.random() < 0.35 and next_url < 300:
                new.append(Queued(f"{SITE}/story-{next_url:03d}", "article", 2))
                next_url += 1
            queue.save(JOB, new, [(page.url, "new")])
            done[page.url] += 1
            continue
        mine.extend(queue.next(JOB, after=0, limit=rng.randint(1, 5)))
        if not any(held.get(q.holder) for q in alive) and not queue.pending(JOB):
            break
        if not mine and queue.pending(JOB):
            time.sleep(stale / 3)  # what is left is held (by the dead too): wait
    every = {url for url, _, _ in store.frontier_states(JOB)}
    assert set(done) == every and len(every) == next_url
    twice = {url for url, n in done.items() if n > 1}
    assert twice <= lost_with_the_dead
    print(f"history {seed}: {len(every)} URLs, {len(dead)} crawlers killed, {len(twice)} fetched twice")
