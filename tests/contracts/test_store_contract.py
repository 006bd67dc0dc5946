"""What every store backend must do, whatever it keeps its data in.

Runs against each registered backend (stores.chosen()); a new backend
adds a FRESH entry in stores.py and passes this file unchanged. Nothing
here looks inside a backend: only the roles of newsarchive.store.api.
"""

from __future__ import annotations

import pytest
import stores
from samples import make_article

from newsarchive.errors import BadInput
from newsarchive.store import Capture, Queued, open_store, store_exists


@pytest.fixture(params=stores.chosen())
def backend(request):
    return request.param


@pytest.fixture
def fresh_url(backend, tmp_path):
    return stores.FRESH[backend](tmp_path)


@pytest.fixture
def store(fresh_url):
    with open_store(fresh_url) as store:
        yield store


# -- articles ---------------------------------------------------------------


def test_put_new_then_unchanged_then_updated(store):
    article = make_article()
    first = store.put(article, now="2024-05-01T10:00:00+00:00")
    assert (first.status, first.article_id) == ("new", article.id) and first.seq
    again = store.put(article, now="2024-05-02T10:00:00+00:00")
    assert again.status == "unchanged" and again.seq is None
    edited = article.replace(text=article.text + "\n\nCorrection appended.")
    third = store.put(edited, now="2024-05-03T10:00:00+00:00")
    assert third.status == "updated" and third.seq > first.seq
    stored = store.get(article.id)
    assert stored.article == edited
    assert stored.first_seen.startswith("2024-05-01") and stored.last_seen.startswith("2024-05-03")
    assert stored.revisions == 1


def test_record_round_trips_exactly(store):
    article = make_article(published=None, authors=(), tags=(), images=())
    store.put(article, now="t")
    assert store.get(article.id).article.to_dict() == article.to_dict()
    full = make_article(2)
    store.put(full, now="t")
    assert store.get_many([full.id, article.id, "0" * 16]) == {full.id: full, article.id: article}


def test_each_change_of_what_readers_see_keeps_a_revision(store):
    article = make_article()
    store.put(article, now="t1")
    store.put(article.replace(title="A corrected headline"), now="t2")
    store.put(article.replace(title="A corrected headline", text="New text."), now="t3")
    assert store.get(article.id).revisions == 2
    store.put(article.replace(title="Once more"), now="t4", keep_revision=False)
    assert store.get(article.id).revisions == 2


def test_versions_in_order_with_their_capture_flags_and_text(store):
    article = make_article()
    assert store.versions(article.id) == []
    first_capture, second_capture = Capture("a.warc.gz", 0, "sha1:A"), Capture("a.warc.gz", 900, "sha1:B")
    store.put(article, now="t1", capture=first_capture)
    (only,) = store.versions(article.id)
    assert (only.number, only.observed, only.text, only.capture) == (1, "t1", article.text, first_capture)
    edited = article.replace(title="A new headline", modified="2024-05-02T00:00:00+00:00")
    store.put(edited, now="t2", capture=second_capture, changes=("headline",), detail={"words": 0})
    one, two = store.versions(article.id)
    assert (one.number, one.title, one.capture, one.changes) == (1, article.title, first_capture, ())
    assert (two.number, two.observed, two.title, two.modified) == (2, "t2", "A new headline", edited.modified)
    assert (two.changes, two.detail, two.capture) == (("headline",), {"words": 0}, second_capture)
    assert two.authors == edited.authors and two.word_count == edited.word_count
    # Back to the first text, not as a new version: the versions keep their texts.
    store.put(article, now="t3", keep_revision=False)
    store.note_version(article.id, now="t3", note="reverted", version=1, capture=first_capture)
    assert [(v.number, v.title) for v in store.versions(article.id)] == [
        (1, article.title),
        (2, "A new headline"),
    ]
    listed = store.versions(article.id, notes=True)
    assert [(v.number, v.note) for v in listed] == [(1, None), (2, None), (1, "reverted")]
    assert store.get(article.id).revisions == 1
    store.delete(article.id, now="t4")
    assert store.versions(article.id, notes=True) == []


def test_earlier_texts_and_what_changed_since(store):
    article, other = make_article(), make_article(2)
    store.put(article, now="2026-11-01T00:00:00+00:00")
    store.put(other, now="2026-11-01T00:00:00+00:00")
    assert store.earlier_texts([article.id, other.id]) == {} and store.changed_since("2026-01-01") == []
    store.put(article.replace(title="Second headline"), now="2026-11-02T00:00:00+00:00")
    store.put(
        article.replace(title="Third headline", text="Short new text."), now="2026-11-03T00:00:00+00:00"
    )
    earlier = store.earlier_texts([article.id, other.id])
    assert set(earlier) == {article.id}
    assert article.title in earlier[article.id] and "Second headline" in earlier[article.id]
    assert article.text in earlier[article.id] and "Third headline" not in earlier[article.id]
    assert store.changed_since("2026-11-02T00:00:00+00:00") == [article.id]
    assert store.changed_since("2026-11-04T00:00:00+00:00") == []
    store.put(
        other.replace(text=other.text + "\n\nA new entry."),
        now="2026-11-05T00:00:00+00:00",
        keep_revision=False,
    )
    store.note_version(other.id, now="2026-11-05T00:00:00+00:00", note="appended", reason="1 new paragraph")
    assert store.changed_since("2026-11-04T00:00:00+00:00") == [other.id]


def test_linking_is_all_or_nothing_and_moves_the_cursor(store):
    first, second = make_article(1), make_article(2)
    for article in (first, second):
        store.put(article, now="t")
    assert store.copies_seq() == 0 and store.linked([first.id]) == {}
    with store.linking(upto=1):
        store.record_copies(first.id, day=100, bands=[1, 2], body="b1", edges=[])
    assert store.copies_seq() == 1 and store.linked([first.id, second.id]) == {first.id: (100, "b1")}
    with pytest.raises(RuntimeError), store.linking(upto=2):
        store.record_copies(second.id, day=100, bands=[2], body="b2", edges=[])
        raise RuntimeError("killed half way")
    assert store.copies_seq() == 1 and store.linked([second.id]) == {}
    assert [p.article_id for p in store.copy_prints()] == [first.id]


def test_alerts_keep_what_they_saw(store):
    from newsarchive.store import Alert

    watch = Alert("pier", "pier closure", {"source": "news.example"}, "notify-send", created="t1", last_seq=4)
    store.add_alert(watch, seen=["a1", "a2"])
    with pytest.raises(BadInput, match="alerts remove pier"):
        store.add_alert(watch, seen=[])
    store.add_alert(Alert("ferry", "ferry", {}, None, created="t1"), seen=[])
    assert [a.name for a in store.alerts()] == ["ferry", "pier"]
    assert store.alerts()[1] == watch
    assert (
        store.alert_seen("pier", ["a1", "a3", "a9"]) == {"a1"} and store.alert_seen("ferry", ["a1"]) == set()
    )
    store.alert_ran("pier", seq=9, now="t2", reported=["a3"], passed=["a4"])
    (_, ran) = store.alerts()
    assert (ran.last_seq, ran.last_run, ran.reported) == (9, "t2", 1)
    assert store.alert_seen("pier", [f"a{n}" for n in range(1, 1200)]) == {"a1", "a2", "a3", "a4"}
    store.alert_ran("pier", seq=7, now="t3", reported=[], passed=[])  # never goes back
    assert store.alerts()[1].last_seq == 9
    assert store.remove_alert("pier") and not store.remove_alert("pier")
    assert [a.name for a in store.alerts()] == ["ferry"] and store.alert_seen("pier", ["a1"]) == set()


def test_copy_prints_edges_and_clusters(store):
    from newsarchive.store import CopyEdge, CopyPrint

    first, copy, later, other = (make_article(n, source=f"site{n % 2}.example") for n in range(1, 5))
    for article in (first, copy, later, other):
        store.put(article, now="t")
    assert store.copy_stamp() == 0
    assert store.record_copies(first.id, day=100, bands=[1, 2, 3], body="b1", edges=[]) == first.id
    stamp = store.copy_stamp()
    assert store.copy_prints() == [CopyPrint(first.id, 100, stamp, [1, 2, 3], "b1")]
    assert store.copy_prints(days=(101, 110)) == [] and store.copy_prints(after=stamp) == []
    edge = CopyEdge(copy.id, first.id, "trimmed", 0.97)
    assert store.record_copies(copy.id, day=100, bands=[3, 4], body="b2", edges=[edge]) == first.id
    # A later article that copies the copy joins the same cluster, named by the earliest.
    assert (
        store.record_copies(
            later.id, day=101, bands=[4], body="b3", edges=[CopyEdge(later.id, copy.id, "near", 0.95)]
        )
        == first.id
    )
    assert store.record_copies(other.id, day=101, bands=[7], body="b4", edges=[]) == other.id
    clusters = store.clusters_of([later.id, other.id])
    assert clusters[later.id] == (first.id, [first.id, copy.id, later.id], ["site1.example", "site0.example"])
    assert clusters[other.id] == (other.id, [other.id], [other.source])
    assert store.cluster_ids([later.id, other.id, "never-linked"]) == {later.id: first.id, other.id: other.id}
    assert set(store.copy_edges(copy.id)) == {edge, CopyEdge(later.id, copy.id, "near", 0.95)}
    # Recorded again (its text changed): what was kept for it is replaced,
    # with a later stamp (other linkers read what changed since they looked).
    before = store.copy_stamp()
    store.record_copies(later.id, day=101, bands=[8], body="b3", edges=[])
    assert [(p.article_id, p.bands) for p in store.copy_prints(after=before)] == [(later.id, [8])]
    assert store.copy_edges(later.id) == []
    store.delete(copy.id, now="t")
    assert store.copy_edges(copy.id) == [] and store.clusters_of([copy.id]) == {}


def test_recheck_plans(store):
    from newsarchive.store import Recheck

    assert store.recheck_of("0" * 16) is None and store.next_recheck("example.com") is None
    plans = [Recheck(f"{i:016x}", f"https://example.com/{i}", "example.com", 100.0 + i, 1800.0, 0.0, "adaptive")
             for i in range(3)]  # fmt: skip
    for plan in plans:
        store.plan_recheck(plan)
    store.plan_recheck(Recheck("f" * 16, "https://other.org/1", "other.org", 50.0, 1800.0, 0.0, "adaptive"))
    assert [r.article_id for r in store.due_rechecks("example.com", now=101.5)] == [
        plans[0].article_id,
        plans[1].article_id,
    ]
    assert store.next_recheck("example.com") == 100.0
    store.plan_recheck(plans[0]._replace(due=None, stage="done", hint={"lastmod": "2024"}), checked=True)
    store.plan_recheck(plans[0]._replace(due=None, stage="done"), checked=True)
    got = store.recheck_of(plans[0].article_id)
    assert (got.due, got.stage, got.checks, got.hint) == (None, "done", 2, {"lastmod": "2024"})
    assert store.next_recheck("example.com") == 101.0


def test_metadata_change_is_logged_without_a_revision(store):
    article = make_article()
    first = store.put(article, now="t1")
    result = store.put(article.replace(authors=("Ada Lovelace", "Charles Babbage")), now="t2")
    assert result.status == "updated"
    assert store.get(article.id).revisions == 0
    assert [c.article_id for c in store.changes_since(first.seq)] == [article.id]


def test_delete(store):
    article = make_article()
    store.put(article, now="t")
    assert store.delete(article.id, now="t") is True
    assert store.get(article.id) is None and store.count() == 0
    assert store.delete(article.id, now="t") is False


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
    assert store.captures_in("newsarchive-1.warc.gz") == 1
    assert store.captures_in("newsarchive-1.warc.gz", from_offset=1235) == 0
    assert store.content_hashes() == {article.id: article.content_hash}
    assert store.capture_of("0" * 16) is None


def test_iter_articles_reads_everything_in_batches_oldest_first_and_by_source(store):
    for n in range(23):
        store.put(make_article(n), now="t")
    store.put(make_article(99, source="other.example", canonical_url="https://other.example/a"), now="t")
    stored = [make_article(n).id for n in range(23)]
    assert [a.id for a in store.iter_articles(batch=5)] == [
        *stored,
        make_article(99, source="other.example", canonical_url="https://other.example/a").id,
    ]
    store.put(make_article(3).replace(title="Changed"), now="t2")  # an update keeps its place
    assert [a.id for a in store.iter_articles(batch=5)][:23] == stored
    assert [a.source for a in store.iter_articles(source="other.example")] == ["other.example"]
    assert store.count() == 24 and store.count(source="news.example") == 23
    assert store.sources() == ["news.example", "other.example"]
    assert store.stats()["articles"] == 24


# -- change log -------------------------------------------------------------


def test_changes_give_each_article_once_at_its_latest_oldest_first(store):
    a, b = make_article(1), make_article(2)
    start = store.last_seq()
    store.put(a, now="t")
    store.put(b, now="t")
    store.put(a.replace(title="A again"), now="t")
    assert store.last_seq() > start
    changes = store.changes_since(start)
    assert [c.article_id for c in changes] == [b.id, a.id]
    assert changes[-1].seq == store.last_seq() and changes[0].seq < changes[1].seq
    assert store.changes_since(store.last_seq()) == []
    assert [c.article_id for c in store.changes_since(start, limit=1)] == [b.id]
    before = store.last_seq()
    store.delete(b.id, now="t")
    assert store.last_seq() > before and [c.article_id for c in store.changes_since(before)] == [b.id]


def test_identity_and_contents_survive_reopening(fresh_url):
    assert not store_exists(fresh_url)
    with open_store(fresh_url) as store:
        identity = store.store_id
        store.put(make_article(), now="t")
        seq = store.last_seq()
    assert store_exists(fresh_url)
    with open_store(fresh_url) as store:
        assert store.store_id == identity and store.last_seq() == seq and store.count() == 1
        assert store.url == fresh_url
        assert store.integrity() == "ok"


def test_another_store_has_another_identity(tmp_path, backend, fresh_url):
    (tmp_path / "other").mkdir()
    other = stores.FRESH[backend](tmp_path / "other")
    with open_store(fresh_url) as one, open_store(other) as two:
        assert one.store_id != two.store_id


# -- crawl state ------------------------------------------------------------


def test_urls_remember_what_happened_to_them(store):
    url = "https://news.example/2024/story-1"
    assert store.url_state(url) is None and not store.is_archived(url)
    store.record_url(url, kind="article", now="t1", status=200, fetched=True, etag='"v1"')
    store.record_url(url, kind="article", now="t2", reason="not an article")
    state = store.url_state(url)
    assert (state["status"], state["etag"], state["reason"]) == (200, '"v1"', "not an article")
    store.record_url("https://news.example/world/", kind="listing", now="t")
    assert store.urls_of_kind("listing", "https://news.example/") == ["https://news.example/world/"]
    assert store.urls_of_kind("listing", "https://other.example/") == []
    store.put(make_article(1), now="t")
    assert store.is_archived(url) and store.is_archived(make_article(1).url)


def test_payloads_are_kept_once(store):
    first = Capture("a.warc.gz", 10, "sha1:P")
    store.add_payload("https://news.example/a", "2024-01-01", first)
    store.add_payload("https://news.example/b", "2024-01-02", Capture("b.warc.gz", 0, "sha1:P"))
    assert store.payload("sha1:P") == ("https://news.example/a", "2024-01-01", first)
    assert store.payload("sha1:Q") is None


def test_frontier_keeps_what_a_page_found_with_the_page_done(store):
    home = Queued("https://news.example/", "listing", 0)
    store.frontier_save("news", [home])
    (served,) = store.frontier_next("news", after=0, limit=10)
    assert (served.url, served.kind, served.depth) == (home.url, "listing", 0)
    found = [
        Queued("https://news.example/a", "article", 1, {"title": "A"}),
        Queued("https://news.example/b", "article", 1, None, ("https://news.example/short",)),
    ]
    store.frontier_save("news", found, [(home.url, None)])
    pending = store.frontier_next("news", after=0, limit=10)
    assert [(q.url, q.hints, q.via) for q in pending] == [
        ("https://news.example/a", {"title": "A"}, ()),
        ("https://news.example/b", None, ("https://news.example/short",)),
    ]
    assert [q.url for q in store.frontier_next("news", after=pending[0].id, limit=10)] == [found[1].url]
    assert store.frontier_pending("news") == 2 and store.frontier_jobs() == {"news": 2}
    states = {url: state for url, _, state in store.frontier_states("news")}
    assert states == {home.url: "done", found[0].url: "pending", found[1].url: "pending"}
    assert store.frontier_pending("other") == 0


def test_runs_are_recorded_and_a_closed_job_is_gone(store):
    run = store.start_run("news", pid=123, now="t1")
    store.frontier_save("news", [Queued("https://news.example/", "listing", 0)])
    store.update_run(run, pages=3, new=2, updated=1, errors=0)
    (row,) = store.runs()
    assert (row["source"], row["status"], row["pages"], row["new"]) == ("news", "running", 3, 2)
    store.frontier_close("news")
    store.finish_run(run, status="ok", now="t2", summary={"pages": 3})
    (row,) = store.runs(source="news")
    assert (row["status"], row["finished"], row["summary"]) == ("ok", "t2", {"pages": 3})
    assert store.frontier_jobs() == {} and store.frontier_pending("news") == 0
    assert store.runs(source="other") == []


def test_runs_of_dead_processes_are_marked_interrupted(store):
    store.start_run("news", pid=1, now="t")
    store.start_run("news", pid=2, now="t")
    assert store.interrupt_stale_runs("news", lambda pid: pid == 2, now="t3") == 1
    statuses = sorted(row["status"] for row in store.runs())
    assert statuses == ["interrupted", "running"]
    (health,) = store.crawl_health()
    assert (health["source"], health["runs"], health["troubled_of_last_10"]) == ("news", 2, 1)


# -- site knowledge -----------------------------------------------------------


def test_paragraphs_shared_by_many_articles_are_learnt_and_can_be_forgotten(store):
    promo = "Sign up for our newsletter to get the morning briefing in your inbox every day."
    for n in range(6):
        own = f"Paragraph {n} is about a different council meeting held on the quay this week."
        store.put(make_article(n, text=f"{own}\n\n{promo}"), now="t")
    learnt = store.learn_boilerplate("news.example", now="t")
    assert list(learnt.values()) == [promo]
    (fingerprint,) = learnt
    assert store.boilerplate_of("news.example") == {fingerprint}
    assert store.learn_boilerplate("news.example", now="t") == {}  # learnt once
    assert [row["sample"] for row in store.boilerplate()] == [promo]
    assert store.known_sites() == ["news.example"]
    assert store.forget_boilerplate("news.example", fingerprint[:8], now="t2")["sample"] == promo
    assert store.boilerplate_of("news.example") == frozenset()
    assert store.learn_boilerplate("news.example", now="t3") == {}  # kept by the user
    assert store.forget_boilerplate("news.example", "zzzz", now="t") is None


def test_evidence_is_one_vote_per_article(store):
    store.note_evidence("news.example", "date order", "a1", "dmy")
    store.note_evidence("news.example", "date order", "a1", "dmy")
    store.note_evidence("news.example", "date order", "a2", "dmy")
    store.note_evidence("news.example", "date order", "a3", "mdy")
    assert store.evidence("news.example", "date order") == {"dmy": 2, "mdy": 1}
    store.note_evidence("news.example", "date order", "a3", "dmy")  # a re-read replaces
    store.note_evidence("news.example", "date order", "a2", None)  # and None withdraws
    assert store.evidence("news.example", "date order") == {"dmy": 2}
    assert store.known_sites() == ["news.example"]
    assert store.forget_evidence("news.example", "date order") == 2
    assert store.evidence("news.example", "date order") == {}
