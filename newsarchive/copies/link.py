"""An article stored: find its copies among those stored before it, and
keep them, through the store's CopyIndex role."""

from __future__ import annotations

from datetime import date

from newsarchive.article import Article
from newsarchive.copies.finder import WINDOW_DAYS, match
from newsarchive.copies.signatures import fingerprint
from newsarchive.dates import utc


def day_of(article: Article) -> int:
    """The day copies are compared around: publication, else capture."""
    for stamp in (article.published, article.fetched):
        moment = utc(stamp) if stamp else None
        if moment is not None:
            return moment.date().toordinal()
    return date.today().toordinal()


def link_copies(store, article: Article) -> str:
    """Record the article's copies; its cluster's id."""
    from newsarchive.store import CopyEdge

    day = day_of(article)
    bands, body = fingerprint(article.text)
    edges: list[CopyEdge] = []
    if bands:
        candidates = [c for c in store.copy_candidates(bands, body, day, WINDOW_DAYS) if c != article.id]
        if candidates:
            texts = store.get_many(candidates)
            found = match(article.text, ((c, texts[c].text) for c in candidates if c in texts))
            edges = [CopyEdge(article.id, e.other, e.relation.label, e.relation.containment) for e in found]
    return store.record_copies(article.id, day=day, bands=bands, body=body, edges=edges)
