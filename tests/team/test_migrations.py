"""A PostgreSQL store made by an earlier release is migrated in place, once,
however many processes open it at the same moment."""

from __future__ import annotations

import threading

import psycopg
from samples import make_article

from newsarchive.store import open_store
from newsarchive.store.postgres_schema import MIGRATIONS, SCHEMA_VERSION


def test_an_older_store_is_migrated_once_by_many_openers(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as db:  # a store of schema 1, with an article
        db.execute(MIGRATIONS[0])
        db.execute("INSERT INTO meta (key, value) VALUES ('store_id', 'older'), ('schema', '1')")
        db.execute(
            "INSERT INTO articles (id, canonical_url, url, source, title, text, word_count, content_hash,"
            " first_seen, last_seen, seq) VALUES ('00aa00aa00aa00aa', 'https://x.example/a', 'https://x.example/a',"
            " 'x.example', 'Kept', 'Kept through the upgrade.', 4, 'h', 't', 't', 1)"
        )
    failures: list[BaseException] = []

    def open_it() -> None:
        try:
            with open_store(pg_url) as store:
                store.put(make_article(threading.get_ident() % 1000), now="t")
        except BaseException as error:  # reported below
            failures.append(error)

    openers = [threading.Thread(target=open_it) for _ in range(6)]
    for thread in openers:
        thread.start()
    for thread in openers:
        thread.join()
    assert failures == []
    with open_store(pg_url) as store:
        assert store.integrity() == "ok" and store.store_id == "older"
        assert store.get("00aa00aa00aa00aa").article.title == "Kept"
        assert store.take_host("x.example", 1.0) == 0.0  # the new tables are there
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0] == str(SCHEMA_VERSION)
