"""A search hit as a record: what `search --json` lists and alerts write."""

from __future__ import annotations

from newsarchive.index.api import Hit


def cluster_record(article, cluster) -> dict:
    """The story an article is a copy in: {"id", "size", "sources"} (an
    article never linked is a story of its own)."""
    if cluster is None:
        return {"id": article.id, "size": 1, "sources": [article.source]}
    return {"id": cluster.id, "size": len(cluster.members), "sources": list(cluster.sources)}


def hit_record(hit: Hit, clusters=None) -> dict:
    """`clusters`: article id -> store.Cluster, for the hits linked to copies."""
    article = hit.article
    return {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "source": article.source,
        "published": article.published,
        "access": article.access,
        "snippet": hit.snippet.text,
        "highlights": [list(span) for span in hit.snippet.highlights],
        "score": hit.score,
        "cluster": cluster_record(article, (clusters or {}).get(article.id)),
    }
