"""The store: articles, revisions, the change log, migrations, concurrency."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading

import pytest

from newsarchive.article import Article, Image
from newsarchive.errors import ArchiveTooNew, BadInput
from newsarchive.store import SCHEMA_VERSION, Capture, Store


def make_article(n: int = 1, **changes) -> Article:
    base = Article(
        url=f"https://news.example/2024/story-{n}?utm_source=x",
        canonical_url=f"https://news.example/2024/story-{n}",
        source="news.example",
        title=f"Story number {n}",
        text=f"First paragraph of story {n}.\n\nSecond paragraph.",
        authors=("Ada Lovelace",),
        tags=("science",),
        published="2024-05-01T10:00:00+02:00",
        images=(Image("https://news.example/i.jpg", "A caption", "A credit"),),
    )
    return dataclasses.replace(base, **changes)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "store.sqlite3") as store:
        yield store


def test_put_new_then_unchanged_then_updated(store):
    article = make_article()
    first = store.put(article, now="2024-05-01T10:00:00+00:00")
    assert first.status == "new" and first.seq == 1
    again = store.put(article, now="2024-05-02T10:00:00+00:00")
    assert again.status == "unchanged" and again.seq is None
    edited = dataclasses.replace(article, text=article.text + "\n\nCorrection appended.")
    third = store.put(edited, now="2024-05-03T10:00:00+00:00")
    assert third.status == "updated" and third.seq == 2
    stored = store.get(article.id)
    assert stored.article == edited
    assert stored.first_seen.startswith("2024-05-01") and stored.last_seen.startswith("2024-05-03")
    assert stored.revisions == 1


def test_record_round_trips_exactly(store):
    article = make_article()
    store.put(article, now="2024-05-01T10:00:00+00:00")
    assert store.get(article.id).article.to_dict() == article.to_dict()


def test_revision_keeps_the_replaced_version(store, tmp_path):
    article = make_article()
    store.put(article, now="t1")
    store.put(dataclasses.replace(article, title="A corrected headline"), now="t2")
    db = sqlite3.connect(tmp_path / "store.sqlite3")
    rows = db.execute("SELECT title, text, replaced FROM revisions").fetchall()
    assert rows == [(article.title, article.text, "t2")]


def test_metadata_change_is_logged_without_a_revision(store):
    article = make_article()
    store.put(article, now="t1")
    result = store.put(dataclasses.replace(article, authors=("Ada Lovelace", "Charles Babbage")), now="t2")
    assert result.status == "updated"
    assert store.get(article.id).revisions == 0
    assert [c.article_id for c in store.changes_since(1)] == [article.id]


def test_change_sequence_only_grows_and_is_followable(store):
    a, b = make_article(1), make_article(2)
    store.put(a, now="t")
    store.put(b, now="t")
    store.put(dataclasses.replace(a, title="A again"), now="t")
    assert store.last_seq() == 3
    changes = store.changes_since(0)
    # One entry per article, at its latest change, oldest first.
    assert [(c.seq, c.article_id) for c in changes] == [(2, b.id), (3, a.id)]
    assert store.changes_since(3) == []
    assert [c.article_id for c in store.changes_since(0, limit=1)] == [b.id]
    store.delete(b.id, now="t")
    assert store.last_seq() == 4 and store.changes_since(3)[0].article_id == b.id


def test_resolve_by_id_prefix_and_urls(store):
    article = make_article()
    store.put(article, now="t")
    assert store.resolve(article.id) == article.id
    assert store.resolve(article.id[:6]) == article.id
    assert store.resolve(article.id[:6].upper()) == article.id
    assert store.resolve(article.url) == article.id
    assert store.resolve(article.canonical_url) == article.id
    assert store.resolve("https://NEWS.example/2024/story-1#comments") == article.id
    assert store.resolve("https://news.example/missing") is None


def test_ambiguous_id_prefix_is_bad_input(store):
    seen: dict[str, int] = {}
    for n in range(1_000_000):  # the birthday bound finds a clash within ~5,000
        prefix = make_article(n).id[:6]
        if prefix in seen:
            break
        seen[prefix] = n
    store.put(make_article(seen[prefix]), now="t")
    store.put(make_article(n), now="t")
    with pytest.raises(BadInput, match="several article ids"):
        store.resolve(prefix)
    assert store.resolve(make_article(n).id[:12]) == make_article(n).id


def test_capture_reference_is_kept(store):
    article = make_article()
    capture = Capture("newsarchive-1.warc.gz", 1234, "sha1:ABC")
    store.put(article, now="t", capture=capture)
    assert store.capture_of(article.id) == (article.content_hash, capture)
    assert store.get(article.id).capture == capture


def test_iter_articles_reads_everything_in_batches(store):
    for n in range(23):
        store.put(make_article(n), now="t")
    assert len(list(store.iter_articles(batch=5))) == 23
    assert store.count() == 23


def test_new_store_has_current_schema_and_an_identity(tmp_path):
    path = tmp_path / "s.sqlite3"
    with Store.open(path) as store:
        identity = store.store_id
    with Store.open(path) as store:
        assert store.store_id == identity
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "s.sqlite3"
    Store.open(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(ArchiveTooNew, match="upgrade newsarchive"):
        Store.open(path)


def test_reader_works_while_a_writer_holds_a_transaction(tmp_path):
    path = tmp_path / "s.sqlite3"
    with Store.open(path) as store:
        store.put(make_article(1), now="t")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM articles")
    with Store.open(path) as reader:
        # The writer has not committed: the reader sees the committed state.
        assert reader.count() == 1
    writer.execute("ROLLBACK")
    writer.close()


def test_two_writers_queue_instead_of_failing(tmp_path):
    path = tmp_path / "s.sqlite3"
    Store.open(path).close()
    errors = []

    def write(offset: int) -> None:
        try:
            with Store.open(path) as store:
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
    with Store.open(path) as store:
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
        with Store.open(path) as store:
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
