"""Search results with each story once: a story's copies fold under its
best-ranked match, which says how many other sources ran it.

Engines know nothing of copies; folding asks an engine for more hits than
the page shows (a wire story's copies usually rank side by side), keeps
the first of each cluster, and asks again for more only when copies ate
the page. Clusters come from the store (linking follows it just before
the index does, copies/link.py).
"""

from __future__ import annotations

from newsarchive.index.api import SearchPage, SearchRequest

# Hits asked for at first beyond the page's stories (each costs a snippet).
OVERFETCH = 10
# Up to this many matches, the stories among them are counted (their ids
# and clusters are read); past it a page says how many matches there are.
STORIES_COUNTED = 2_000


def folded_search(engine, store, request: SearchRequest) -> SearchPage:
    """One page of stories for the request (offset and limit count
    stories), each hit's cluster in `clusters`."""
    want = request.offset + request.limit
    fetch = want + max(OVERFETCH, want // 2)
    while True:
        page = engine.search(request._replace(offset=0, limit=fetch))
        named = store.cluster_ids(hit.article.id for hit in page.hits)
        stories, seen = [], set()
        for hit in page.hits:
            key = named.get(hit.article.id, hit.article.id)
            if key not in seen:
                seen.add(key)
                stories.append(hit)
        exhausted = fetch >= page.total
        if len(stories) >= want or exhausted:
            break
        fetch = min(fetch * 4, page.total)
    shown = stories[request.offset : want]
    counted = len(stories) if exhausted else _stories(engine, store, request, page.total)
    clusters = store.clusters_of(hit.article.id for hit in shown)
    return page._replace(request=request, hits=shown, clusters=clusters, stories=counted)


def _stories(engine, store, request: SearchRequest, total: int) -> int | None:
    if total > STORIES_COUNTED:
        return None
    ids = engine.matching_ids(request)
    named = store.cluster_ids(ids)
    return len({named.get(i, i) for i in ids})
