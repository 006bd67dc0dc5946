"""Write a tantivy index: each article as a document; create an empty
index, apply a batch, rebuild aside.

The caller (index/follow.py) holds the archive's writer lock. A tantivy
commit is atomic (its meta.json is replaced whole), and a rebuild is built
as a new generation and swapped in (index/generations.py), so readers
never see a half-written index. A batch killed between its commit and the
state file is applied again next time, which changes nothing: each
article is deleted by id and added anew.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import tantivy

from newsarchive.article import Article
from newsarchive.dates import utc, wall_clock
from newsarchive.errors import IndexUnavailable
from newsarchive.index.api import PAST_FIELD, Batch, IndexState, Progress, with_earlier
from newsarchive.index.generations import begin, live, publish
from newsarchive.index.state import read_state, write_state
from newsarchive.index.tantivy import FORMAT
from newsarchive.index.tantivy.schema import UNDATED, analyzers, build_schema, has_facets, has_field, opened

# Indexing memory: a catch-up beside a crawl keeps small; a rebuild may use more.
LEAN_HEAP = 50_000_000
REBUILD_HEAP = 256_000_000


def _made(where: Path) -> tantivy.Index:
    index = tantivy.Index(build_schema(), path=str(where), reuse=False)
    for name, analyzer in analyzers().items():
        index.register_tokenizer(name, analyzer)
    return index


def create_empty(root: Path, store) -> None:
    building = begin(root)
    index = _made(building)
    writer = index.writer(heap_size=LEAN_HEAP, num_threads=1)
    writer.commit()
    writer.wait_merging_threads()
    write_state(building, IndexState(FORMAT, store.store_id, 0, "tantivy"))
    publish(root, building)


def apply(root: Path, store, batch: Batch) -> None:
    where = live(root)
    state = read_state(where) if where else None
    if where is None or state is None:
        raise IndexUnavailable(f"there is no index in {root} to apply changes to")
    index = opened(where)
    writer = index.writer(heap_size=LEAN_HEAP, num_threads=1)
    try:
        for article_id in [*batch.delete, *(article.id for article in batch.put)]:
            writer.delete_documents_by_term("id", article_id)
        # An index built by an earlier release may lack a field added since
        # (earlier versions' text, the facet columns): its documents go
        # without it until `reindex` adds it.
        past = (batch.past or {}) if has_field(index.schema, PAST_FIELD) else {}
        facets = has_facets(index.schema)
        for article in batch.put:
            writer.add_document(document(article, past.get(article.id), facets=facets))
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    writer.wait_merging_threads()
    write_state(where, state._replace(seq=batch.seq))


def rebuild(
    root: Path, store, progress: Progress | None = None, *, workers: int = 1, lean: bool = False
) -> int:
    # The sequence first: changes made while building are applied again by
    # the next catch-up, which is harmless.
    seq = store.last_seq()
    total = store.count()
    building = begin(root)
    done = 0
    try:
        index = _made(building)
        writer = index.writer(heap_size=LEAN_HEAP if lean else REBUILD_HEAP, num_threads=max(1, workers))
        for article, past in with_earlier(store, store.iter_articles(batch=1000)):
            writer.add_document(document(article, past))
            done += 1
            if progress and done % 1000 == 0:
                progress(done, total)
        writer.commit()
        writer.wait_merging_threads()
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    write_state(building, IndexState(FORMAT, store.store_id, seq, "tantivy"))
    publish(root, building)
    if progress:
        progress(done, total)
    return done


def document(article: Article, past: str | None = None, *, facets: bool = True) -> tantivy.Document:
    """The index document for an article (and its earlier versions' text;
    `facets`: the facet columns too, which an older index lacks)."""
    doc = tantivy.Document()
    doc.add_text("id", article.id)
    doc.add_text("hash", article.content_hash[:16])
    doc.add_text("title", article.title)
    if article.subtitle:
        doc.add_text("subtitle", article.subtitle)
    doc.add_text("text", article.text)
    if past:
        doc.add_text("past", past)
    for name in article.authors:
        doc.add_text("author", name)
        if facets:
            doc.add_text("facet_author", name)
    for name in article.tags:
        doc.add_text("tag", name)
    if article.section:
        doc.add_text("section", article.section)
        if facets:
            doc.add_text("facet_section", article.section)
    doc.add_text("source", article.source)
    if article.language:
        doc.add_text("language", article.language)
    local, instant = wall_clock(article.published), utc(article.published)
    if local is not None and instant is not None:
        doc.add_date("published", local)
        if facets:
            doc.add_text("day", local.date().isoformat())
        seconds = int((instant - datetime(1970, 1, 1)).total_seconds())
        doc.add_integer("newest", seconds)
        doc.add_integer("oldest", -seconds)
    else:
        doc.add_integer("newest", UNDATED)
        doc.add_integer("oldest", UNDATED)
    return doc
