"""The write path's shortcuts give exactly what Whoosh's own parts give.

The one-pass analyzer, the one-pass position postings and the codec without
per-block length statistics exist for speed; these tests hold them to the
terms, postings and answers of the stock parts they replace. The parallel
rebuild must answer as the serial one does, and must not outlive a killed
`reindex` (its workers would hold the archive's writer lock).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.codec.whoosh3 import W3Codec
from whoosh.formats import Positions
from whoosh.index import create_in, open_dir

from newsarchive.demo.site import article_pages
from newsarchive.extract import extract
from newsarchive.index.follow import catch_up as follow
from newsarchive.index.generations import live
from newsarchive.index.whoosh import WhooshEngine
from newsarchive.index.whoosh.analysis import FoldedWords, reference_chain
from newsarchive.index.whoosh.build import rebuild
from newsarchive.index.whoosh.codec import IndexCodec
from newsarchive.index.whoosh.schema import build_schema, document
from newsarchive.index.whoosh.search import SearchRequest, best_paragraphs, parse_query, search
from newsarchive.store import open_store

# Words as news text has them: letters of several scripts, accents, digits,
# abbreviations, decimals, hyphens, apostrophes, wildcards, stray symbols.
_pieces = st.sampled_from(
    ["Zürich", "İstanbul", "straße", "naïve", "ÆSIR", "e.g.", "3.14", "U.S.", "state-run", "don't",
     "prefix*", "Hamas", "trained", "training", "ĳssel", "Ωmega", "日本語", "–", "…", "\u00a0", ".", ","]
)  # fmt: skip
news_text = st.lists(st.one_of(_pieces, st.text(max_size=12)), max_size=40).map(" ".join)


def tokens(analyzer, text: str, **options) -> list[tuple]:
    return [
        (t.text, getattr(t, "pos", None), getattr(t, "startchar", None), getattr(t, "endchar", None))
        for t in analyzer(text, **options)
    ]


@settings(max_examples=300, deadline=None)
@given(text=news_text, stemming=st.booleans())
def test_one_pass_analyzer_gives_the_stock_chains_tokens(text, stemming):
    ours, stock = FoldedWords(stemming=stemming), reference_chain(stemming)
    for options in (
        {"positions": True, "chars": True, "mode": "index"},
        {"positions": True, "chars": True, "start_pos": 3, "start_char": 7},
        {"mode": "query"},
        {"tokenize": False, "positions": True, "chars": True},
    ):
        assert tokens(ours, text, **options) == tokens(stock, text, **options)


@settings(max_examples=200, deadline=None)
@given(text=news_text)
def test_one_pass_postings_are_whooshs_postings(text):
    field = build_schema()["text"]
    stock = Positions(field_boost=field.format.field_boost)
    assert sorted(field.format.word_values(text, field.analyzer, mode="index")) == sorted(
        stock.word_values(text, field.analyzer, mode="index")
    )


@pytest.fixture(scope="module")
def demo_articles():
    return [extract(page.html, page.url) for page in article_pages()]


def copies(articles, count: int):
    """`count` distinct articles made from the demo ones (new addresses)."""
    made = []
    for number in range(count):
        base = articles[number % len(articles)]
        url = f"{base.url}?copy={number}"
        made.append(base.replace(url=url, canonical_url=url, title=f"{base.title} {number}"))
    return made


QUERIES = ["harbour", "trained OR bridge", '"storm surge"', "title:ferry", "seal*", "harbour -bridge"]


def answers(index_dir: Path, limit: int | None = 20) -> dict:
    ix = open_dir(str(live(index_dir) or index_dir))
    with ix.searcher() as searcher:
        return {
            query: [
                (hit["id"], round(hit.score, 9)) for hit in searcher.search(parse_query(query), limit=limit)
            ]
            for query in QUERIES
        }


def test_codec_without_length_statistics_answers_the_same(tmp_path, demo_articles):
    docs = [document(article) for article in copies(demo_articles, 300)]
    for name, codec in (("stock", W3Codec()), ("ours", IndexCodec())):
        (tmp_path / name).mkdir()
        writer = create_in(str(tmp_path / name), build_schema()).writer(codec=codec)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
    assert answers(tmp_path / "ours") == answers(tmp_path / "stock")
    assert all(answers(tmp_path / "ours").values())


def test_parallel_rebuild_answers_as_the_serial_one(tmp_path, demo_articles):
    with open_store(tmp_path / "store.sqlite3") as store:
        for article in copies(demo_articles, 450):
            store.put(article, now="2025-06-01T00:00:00+00:00")
        assert rebuild(tmp_path / "serial", store) == 450
        assert rebuild(tmp_path / "parallel", store, workers=2) == 450
    serial, parallel = answers(tmp_path / "serial", None), answers(tmp_path / "parallel", None)
    # Ties may come in another order from several segments; scores may not differ.
    assert {q: sorted(hits) for q, hits in parallel.items()} == {
        q: sorted(hits) for q, hits in serial.items()
    }
    with open_dir(str(live(tmp_path / "parallel"))).reader() as reader:
        assert len(reader.leaf_readers()) >= 2
        assert reader.doc_count() == 450


def test_snippet_paragraphs_are_those_with_most_query_words():
    text = "Nothing here.\n\nThe tunnel was dug.\n\nA tunnel beneath the river in Zürich.\n\nRiver only."
    assert best_paragraphs(text, frozenset({"tunnel", "river", "zurich"})) == (
        "The tunnel was dug.\n\nA tunnel beneath the river in Zürich."
    )
    assert best_paragraphs(text, frozenset({"zurich"}), keep=1) == "A tunnel beneath the river in Zürich."
    assert best_paragraphs(text, frozenset()) == ""
    assert best_paragraphs(text, frozenset({"absent"})) == ""
    # Stems: "trained" is indexed as "train"; "cries" as "cri".
    assert (
        best_paragraphs("He trained.\n\nShe cries.", frozenset({"train", "cri"}))
        == "He trained.\n\nShe cries."
    )


def test_snippet_comes_from_deep_in_a_long_article(tmp_path, demo_articles):
    index_dir = tmp_path / "index"
    long = demo_articles[0].replace(
        text="\n\n".join(["Filler words about nothing at all."] * 300 + ["The quokka escaped."]),
    )
    with open_store(tmp_path / "store.sqlite3") as store:
        store.put(long, now="t0")
        follow(WhooshEngine(index_dir, store), store)
        (hit,) = search(index_dir, store, SearchRequest("quokka")).hits
    assert "quokka" in hit.snippet.text
    start, end = hit.snippet.highlights[0]
    assert hit.snippet.text[start:end] == "quokka"


def _descendants(pid: int) -> set[int]:
    found, pending = set(), [pid]
    while pending:
        current = pending.pop()
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                children = [int(c) for c in (task / "children").read_text().split()]
                found.update(children)
                pending += children
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads process trees from Linux's /proc")
def test_killed_parallel_reindex_leaves_no_workers_and_no_lock(tmp_path, demo_articles):
    archive = tmp_path / "archive"
    archive.mkdir()
    with open_store(archive / "store.sqlite3") as store:
        for article in copies(demo_articles, 2500):
            store.put(article, now="2025-06-01T00:00:00+00:00")
    env = {**os.environ, "NEWSARCHIVE_LOCK_TIMEOUT": "5"}
    command = [sys.executable, "-m", "newsarchive", "--archive", str(archive), "reindex"]
    with (tmp_path / "reindex.err").open("wb") as stderr:
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    workers: set[int] = set()
    started = time.monotonic()
    deadline = started + 60
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        workers |= _descendants(process.pid)
        time.sleep(0.05)
    if process.poll() is not None or len(workers) < 2:
        process.kill()
        process.wait()
        pytest.fail(
            f"reindex started no parallel workers in {time.monotonic() - started:.1f} s (exit {process.returncode}):"
            f" {(tmp_path / 'reindex.err').read_text(errors='replace')[-1500:]}"
        )
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 20
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "index workers outlived the killed reindex"
    # The lock is free: the next reindex runs, and search answers.
    done = subprocess.run(command + ["--json"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert '"indexed": 2500' in done.stdout
    assert not list((archive / "index").glob("*.building"))
    shutil.rmtree(archive)


def test_segments_are_separate_files_not_compound(tmp_path, demo_articles):
    """Whoosh copies a compound segment's parts into memory on every open;
    separate files are read where needed."""
    index_dir = tmp_path / "index"
    with open_store(tmp_path / "store.sqlite3") as store:
        for article in demo_articles[:4]:
            store.put(article, now="t0")
        follow(WhooshEngine(index_dir, store), store)  # a first build
        for article in demo_articles[4:]:
            store.put(article, now="t1")
        follow(WhooshEngine(index_dir, store), store)  # and an update
        rebuild(tmp_path / "rebuilt", store, workers=2)
    for directory in (live(index_dir), live(tmp_path / "rebuilt")):
        names = [path.name for path in directory.iterdir()]
        assert not [name for name in names if name.endswith(".seg")], names
        assert [name for name in names if name.endswith(".pst")]
