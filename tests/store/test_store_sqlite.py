"""The SQLite store's own promises: its schema and migrations, WAL
concurrency, what it keeps on disk. What every store does is in
tests/contracts/test_store_contract.py."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from samples import make_article

from newsarchive.errors import ArchiveTooNew
from newsarchive.store import open_store
from newsarchive.store.sqlite_schema import SCHEMA_VERSION


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "store.sqlite3") as store:
        yield store


def test_only_replaced_versions_keep_a_copy_of_their_text(store, tmp_path):
    article = make_article()
    store.put(article, now="t1")
    db = sqlite3.connect(tmp_path / "store.sqlite3")
    assert db.execute("SELECT count(*) FROM versions").fetchone()[0] == 0  # one version: the article row
    store.put(article.replace(title="A corrected headline"), now="t2")
    rows = db.execute("SELECT version, observed, title, text FROM versions ORDER BY version").fetchall()
    assert rows == [(1, "t1", article.title, article.text), (2, "t2", None, None)]


def test_new_store_has_current_schema_and_an_identity(tmp_path):
    path = tmp_path / "s.sqlite3"
    with open_store(path) as store:
        identity = store.store_id
    with open_store(path) as store:
        assert store.store_id == identity
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "s.sqlite3"
    open_store(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(ArchiveTooNew, match="upgrade newsarchive"):
        open_store(path)


def test_reader_works_while_a_writer_holds_a_transaction(tmp_path):
    path = tmp_path / "s.sqlite3"
    with open_store(path) as store:
        store.put(make_article(1), now="t")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM articles")
    with open_store(path) as reader:
        # The writer has not committed: the reader sees the committed state.
        assert reader.count() == 1
    writer.execute("ROLLBACK")
    writer.close()


def test_two_writers_queue_instead_of_failing(tmp_path):
    path = tmp_path / "s.sqlite3"
    open_store(path).close()
    errors = []

    def write(offset: int) -> None:
        try:
            with open_store(path) as store:
                for n in range(offset, offset + 40):
                    store.put(make_article(n), now="t")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(k * 1000,)) for k in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with open_store(path) as store:
        assert store.count() == 120
        assert store.last_seq() == 120


def test_processes_creating_the_store_at_once_do_not_fail(tmp_path):
    import multiprocessing

    path = tmp_path / "new.sqlite3"
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    workers = [context.Process(target=_open_and_identify, args=(path, start, results)) for _ in range(6)]
    for worker in workers:
        worker.start()
    start.set()  # all open the new store at the same moment
    outcomes = [results.get(timeout=60) for _ in workers]
    for worker in workers:
        worker.join()
    assert all(not o.startswith("error") for o in outcomes), outcomes
    assert len(set(outcomes)) == 1


def _open_and_identify(path, start, results):
    start.wait()
    try:
        with open_store(path) as store:
            results.put(store.store_id)
    except Exception as error:
        results.put(f"error: {error}")


def test_paragraph_text_is_kept_only_for_repeated_paragraphs(store, tmp_path):
    shared = "Sign up for our newsletter to get the morning briefing in your inbox every day."
    for number in range(3):
        own = f"Paragraph {number} is about a different council meeting held on the quay this week."
        store.put(make_article(number, text=f"{own}\n\n{shared}"), now="t")
    db = sqlite3.connect(tmp_path / "store.sqlite3")
    rows = db.execute("SELECT sample, articles FROM paragraph_counts").fetchall()
    assert sorted(rows) == [("", 1), ("", 1), ("", 1), (shared, 3)]  # unique ones: counts only


def test_revisions_of_an_older_store_become_versions(tmp_path):
    from newsarchive.store.sqlite_schema import MIGRATIONS, statements

    path = tmp_path / "old.sqlite3"
    before = next(
        n for n, step in enumerate(MIGRATIONS) if isinstance(step, str) and "CREATE TABLE versions" in step
    )
    with open_store(path) as store:
        article = make_article()
        store.put(article, now="t1")
    db = sqlite3.connect(path)
    db.executescript(
        "DROP TABLE versions; DROP TABLE version_notes; DROP TABLE rechecks;"
        "DROP TABLE copy_edges; DROP TABLE clusters;"
        "DROP TABLE alerts; DROP TABLE alert_seen; DROP TABLE host_slots; ALTER TABLE frontier DROP COLUMN holder;"
        "ALTER TABLE runs DROP COLUMN machine; ALTER TABLE runs DROP COLUMN beat;"
        "CREATE TABLE revisions (article_id TEXT NOT NULL, seq INTEGER NOT NULL, content_hash TEXT NOT NULL,"
        " title TEXT NOT NULL, subtitle TEXT, text TEXT NOT NULL, fetched TEXT, replaced TEXT NOT NULL,"
        " PRIMARY KEY (article_id, seq));"
    )
    assert "CREATE TABLE versions" in statements(MIGRATIONS[before])[0]
    db.execute(
        "INSERT INTO revisions VALUES (?, 1, 'h1', 'First headline', NULL, 'First text.', NULL, 't2')",
        (article.id,),
    )
    db.execute(f"PRAGMA user_version = {before}")
    db.commit()
    db.close()
    with open_store(path) as store:
        one, two = store.versions(article.id)
        assert (one.number, one.observed, one.title, one.text) == (1, "t1", "First headline", "First text.")
        assert (two.number, two.observed, two.title) == (2, "t2", article.title)
        assert store.get(article.id).revisions == 1
