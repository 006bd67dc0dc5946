"""Stored articles linked to their copies, following the store's change
log as the index does: `link_pending` takes every article changed since
linking last ran, a batch per transaction, and keeps how far it got in the
store. It runs just before each index catch-up, in the process that does
that (beside the one storing pages), so storing never waits for it; an
archive from before copies were linked is linked on its first catch-up.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from newsarchive.article import Article
from newsarchive.copies.finder import match_clusters
from newsarchive.copies.signatures import Fingerprint, fingerprint
from newsarchive.copies.window import PrintWindow
from newsarchive.dates import utc
from newsarchive.store import CopyEdge

# Articles linked per transaction: one commit's cost spread over them; the
# writes alone take the store's write lock (a few ms).
LINK_BATCH = 100
# Members of one cluster an article is checked against before it is taken
# for no copy of that story: one verified edge joins the cluster, and a
# trimmed copy may match a longer member but not the story's first.
TRIES_PER_CLUSTER = 3


def day_of(article: Article) -> int:
    """The day copies are compared around: publication, else capture."""
    for stamp in (article.published, article.fetched):
        moment = utc(stamp) if stamp else None
        if moment is not None:
            return moment.date().toordinal()
    return date.today().toordinal()


class Linked(NamedTuple):
    """What to record of an article: its fingerprint and verified copies."""

    article_id: str
    day: int
    printed: Fingerprint
    edges: list[CopyEdge]


def copies_of(store, article: Article, window: PrintWindow, printed: Fingerprint | None = None) -> Linked:
    """The article's verified copies among the prints of the days around
    it, which then hold its own (so the next article can find it); reads
    only, so the store's write lock is not held meanwhile."""
    day = day_of(article)
    printed = printed or fingerprint(article.text)
    edges: list[CopyEdge] = []
    if printed.bands:
        candidates = sorted(window.candidates(store, day, printed.bands, printed.body) - {article.id})
        if candidates:
            # Candidates by the cluster they are in (one not linked yet is its
            # own), its named article first; a few tried in each.
            cluster_of = store.cluster_ids(candidates)
            clusters: dict[str, list[str]] = {}
            for candidate in candidates:
                clusters.setdefault(cluster_of.get(candidate, candidate), []).append(candidate)
            tried = {
                cluster: sorted(members, key=lambda member: member != cluster)[:TRIES_PER_CLUSTER]
                for cluster, members in clusters.items()
            }
            texts = store.get_many(member for members in tried.values() for member in members)
            found = match_clusters(
                article.text,
                ([(m, texts[m].text) for m in members if m in texts] for members in tried.values()),
            )
            edges = [CopyEdge(article.id, e.other, e.relation.label, e.relation.containment) for e in found]
    window.put(article.id, day, printed.bands, printed.body)
    return Linked(article.id, day, printed, edges)


def record(store, linked: Linked) -> str:
    """Keep what `copies_of` found; the article's cluster id."""
    bands, body = linked.printed
    return store.record_copies(linked.article_id, day=linked.day, bands=bands, body=body, edges=linked.edges)


# The window each store (by id) was linked with in this process: a worker
# that links after every few stored articles keeps the days it read.
_windows: dict[str, PrintWindow] = {}


def link_pending(store) -> int:
    """Link every article changed since the last call; how many were
    (re)linked. An article whose body and day are as recorded (a new
    headline, say) keeps its links; a deleted one lost them already. A
    batch is worked out first and then recorded in one short transaction:
    the process storing pages beside it waits for a few writes, never for
    the work."""
    window = _windows.get(store.store_id)
    if window is None:
        window = _windows[store.store_id] = PrintWindow(store)
    window.refresh(store)
    linked = 0
    while changes := store.changes_since(start := store.copies_seq(), limit=LINK_BATCH):
        ids = [change.article_id for change in changes]
        articles = store.get_many(ids)
        known = store.linked(ids)
        found = []
        for article_id in ids:
            article = articles.get(article_id)
            if article is None:
                continue
            printed = fingerprint(article.text)
            if known.get(article_id) != (day_of(article), printed.body):
                found.append(copies_of(store, article, window, printed))
        with store.linking(changes[-1].seq, start=start) as ours:
            for each in found if ours else ():
                record(store, each)
        if not ours:  # another follower linked these: read what it kept
            window.refresh(store)
            continue
        linked += len(found)
    return linked
