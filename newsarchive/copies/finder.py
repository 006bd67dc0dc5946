"""Finding an article's copies among those stored before it.

`match` verifies candidates on their texts; `Clusters` keeps which
article is in which cluster (union-find, the earliest article its
representative). `MemoryCopies` does the whole job in memory, for the
bench and for tests; link.py does it through the store (where the
fingerprints, edges and clusters live, so any process can look).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from newsarchive.copies.relations import Relation, relation
from newsarchive.copies.signatures import fingerprint, profile

# Copies of a story run within days of each other; comparing across the
# whole archive would only find old stories a new one quotes.
WINDOW_DAYS = 3


class Edge(NamedTuple):
    other: str  # the earlier article it is a copy of
    relation: Relation


def match(text: str, candidates: Iterable[tuple[str, str]]) -> list[Edge]:
    """The candidates (id, text) that `text` is a copy of, verified."""
    mine = profile(text)
    found = []
    for other, other_text in candidates:
        theirs = profile(other_text)
        verified = relation(mine.shingles, theirs.shingles, same_body=mine.body == theirs.body)
        if verified is not None:
            found.append(Edge(other, verified))
    return found


def match_clusters(text: str, clusters: Iterable[Iterable[tuple[str, str]]]) -> list[Edge]:
    """For each cluster (its candidates' (id, text), the likeliest first),
    the first that `text` is a verified copy of: one edge joins a cluster,
    so a story run by hundreds of sites costs a few checks, not hundreds."""
    mine = profile(text)
    found = []
    for members in clusters:
        for other, other_text in members:
            theirs = profile(other_text)
            verified = relation(mine.shingles, theirs.shingles, same_body=mine.body == theirs.body)
            if verified is not None:
                found.append(Edge(other, verified))
                break
    return found


def copy_relation(text: str, other_text: str) -> Relation | None:
    """How `text` relates to `other_text` (trimmed: cut from it), None
    when it is no copy of it."""
    mine, theirs = profile(text), profile(other_text)
    return relation(mine.shingles, theirs.shingles, same_body=mine.body == theirs.body)


class Clusters:
    """Which cluster each article is in; a cluster's id is its earliest
    article's (by publication, then by when it was added)."""

    def __init__(self):
        self._parent: dict[str, str] = {}
        self._rank: dict[str, tuple] = {}

    def add(self, article_id: str, order: tuple) -> None:
        self._parent.setdefault(article_id, article_id)
        self._rank.setdefault(article_id, order)

    def find(self, article_id: str) -> str:
        root = article_id
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[article_id] != root:
            self._parent[article_id], article_id = root, self._parent[article_id]
        return root

    def join(self, a: str, b: str) -> str:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        first, second = (ra, rb) if self._rank[ra] <= self._rank[rb] else (rb, ra)
        self._parent[second] = first
        return first

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for article_id in self._parent:
            out.setdefault(self.find(article_id), []).append(article_id)
        return out


class MemoryCopies:
    """Copy detection over articles added one by one, all in memory."""

    def __init__(self, window_days: int = WINDOW_DAYS):
        self.window = window_days
        self.clusters = Clusters()
        self._bands: dict[int, list[str]] = {}
        self._bodies: dict[str, list[str]] = {}
        self._texts: dict[str, str] = {}
        self._days: dict[str, int] = {}
        self.edges: dict[str, list[Edge]] = {}

    def add(self, article_id: str, text: str, published: date) -> list[Edge]:
        day = published.toordinal()
        self._texts[article_id], self._days[article_id] = text, day
        self.clusters.add(article_id, (day, len(self._days)))
        keys, body = fingerprint(text)
        if not keys:
            return []
        near = {other for key in keys for other in self._bands.get(key, ())}
        near |= set(self._bodies.get(body, ()))
        near = {other for other in near if abs(self._days[other] - day) <= self.window}
        edges = match(text, ((other, self._texts[other]) for other in sorted(near)))
        for key in keys:
            self._bands.setdefault(key, []).append(article_id)
        self._bodies.setdefault(body, []).append(article_id)
        for edge in edges:
            self.clusters.join(article_id, edge.other)
        self.edges[article_id] = edges
        return edges
