"""A follower of a PostgreSQL store never loses a change to a writer whose
transaction commits late (acceptance 4 of team mode)."""

from __future__ import annotations

import random
import threading
import time

import psycopg
from samples import make_article

from newsarchive.store import open_store


def follow(store, seen: dict[str, int], cursor: int) -> int:
    """One poll, as an index follower makes it; the new cursor."""
    for change in store.changes_since(cursor):
        seen[change.article_id] = change.seq
        cursor = change.seq
    return cursor


def test_a_change_that_commits_late_is_not_skipped(pg_url):
    with open_store(pg_url) as slow, open_store(pg_url) as fast, open_store(pg_url) as follower:
        # Texts apart: no paragraph count row to queue them on each other.
        late, early = (make_article(n, text=f"Only story {n} says this.") for n in (1, 2))
        took = threading.Event()
        done = threading.Event()

        def hold_open():
            with slow._transaction():
                slow.put(late, now="t1")  # takes its change number ...
                took.set()
                time.sleep(1.0)  # ... and commits late

        writer = threading.Thread(target=hold_open)
        writer.start()
        took.wait(5)
        other = threading.Thread(target=lambda: (fast.put(early, now="t2"), done.set()))
        other.start()
        seen: dict[str, int] = {}
        cursor = 0
        while not done.is_set():  # the later writer waits for the earlier to commit
            cursor = follow(follower, seen, cursor)
            assert early.id not in seen or late.id in seen
            time.sleep(0.05)
        writer.join()
        other.join()
        follow(follower, seen, cursor)
        assert seen.keys() == {late.id, early.id} and seen[late.id] < seen[early.id]


def test_a_writer_that_bypasses_the_lock_is_still_waited_for(pg_url):
    """The snapshot guard on its own: a change row written outside the
    backend (no change-log lock) holds back every later one until it commits."""
    with open_store(pg_url) as store, psycopg.connect(pg_url) as raw:
        raw.execute("INSERT INTO changes (article_id, op, at) VALUES ('aaaaaaaaaaaaaaaa', 'put', 't')")
        # `raw` is in an open transaction now; a later change commits first.
        later = store.put(make_article(3), now="t").seq
        assert store.changes_since(0) == [] and store.last_seq() == 0
        raw.commit()
        assert [change.seq for change in store.changes_since(0)][-1] == later


def test_randomized_writers_and_a_follower_agree(pg_url):
    """Four writers store and edit articles with transactions held open for
    random times while a follower polls; at the end it has seen every
    article's latest change, and never a number go backwards."""
    rng = random.Random(18)
    articles = [make_article(n) for n in range(40)]
    plans = [[(rng.choice(articles), rng.random() * 0.02) for _ in range(50)] for _ in range(4)]
    stop = threading.Event()
    seen: dict[str, int] = {}
    order: list[int] = []

    def write(plan):
        with open_store(pg_url) as store:
            for article, hold in plan:
                with store._transaction():
                    store.put(article.replace(text=f"Edit {rng.random()} of {article.id}."), now="t")
                    time.sleep(hold)

    def poll():
        with open_store(pg_url) as store:
            cursor = 0
            while not stop.is_set():
                for change in store.changes_since(cursor):
                    order.append(change.seq)
                    seen[change.article_id] = change.seq
                    cursor = change.seq

    follower = threading.Thread(target=poll)
    follower.start()
    writers = [threading.Thread(target=write, args=(plan,)) for plan in plans]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    time.sleep(0.3)
    stop.set()
    follower.join()
    with open_store(pg_url) as store:
        latest = {change.article_id: change.seq for change in store.changes_since(0)}
        assert store.last_seq() == max(latest.values())
    assert order == sorted(order)
    assert seen == latest  # every article, at its latest change
