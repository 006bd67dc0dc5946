"""Whoosh and tantivy find the same articles: random well-formed queries
(words, phrases, fields, prefixes, dates, AND, OR, NOT, -word, groups)
made of the archive's own words, each answered by both engines over one
store. Ranking may differ (each scores with its own BM25); the sets of
matching articles may not.

Two known differences stay outside this test (and are in the README):
the stemmers differ on some words (Whoosh's Porter makes "uses" "us" and
"nearly" "nearli", tantivy's Snowball "use" and "near"), so the words and
prefixes drawn are those that find the same words of the archive through
either stemmer; and on malformed input (a leading OR, a stray parenthesis, NOT NOT, a
query of exclusions only) Whoosh's own parser repairs what the shared
parser reads literally or refuses.
"""

from __future__ import annotations

import os
import random
import re

import pytest

from newsarchive.demo.site import article_pages
from newsarchive.errors import BadQuery
from newsarchive.extract import extract
from newsarchive.index import open_engine
from newsarchive.index.api import SearchRequest
from newsarchive.index.follow import catch_up
from newsarchive.index.tantivy.search import STEMMED, _analyzer
from newsarchive.index.whoosh.schema import build_schema
from newsarchive.store import open_store

TRIALS = int(os.environ.get("NEWSARCHIVE_AGREE_TRIALS", "400"))
SEED = int(os.environ.get("NEWSARCHIVE_AGREE_SEED", "20261129"))
DATES = ["published:2024", "published:2024-06", "published:[2024-01 TO 2024-12]", "published:2025"]


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    root = tmp_path_factory.mktemp("agree")
    articles = [extract(page.html, page.url) for page in article_pages()]
    with open_store(root / "store.sqlite3") as store:
        for article in articles:
            store.put(article, now="2025-06-01T00:00:00+00:00")
        found = {name: open_engine(name, root / name, store) for name in ("whoosh", "tantivy")}
        for engine in found.values():
            catch_up(engine, store)
        yield found, articles


class Stems:
    """Which of the archive's words each engine reduces to what."""

    def __init__(self, articles):
        analyzer = build_schema()["text"].analyzer
        words = {
            word
            for a in articles
            for text in (a.title, a.subtitle or "", a.text)
            for word in re.findall(r"[^\W_]+", text)
        }
        self.whoosh = {word: tuple(t.text for t in analyzer(word)) for word in words}
        self.tantivy = {word: tuple(_analyzer(STEMMED).analyze(word)) for word in words}

    def alike(self, word: str, prefix: bool = False) -> bool:
        """Whether a query word (or prefix) finds the same words of the
        archive through either stemmer."""

        def found(stems: dict, query: tuple) -> set[str]:
            if prefix:  # both engines stem a prefix, then match the stems it begins
                return {w for w, s in stems.items() if s and query and s[0].startswith(query[0])}
            return {w for w, s in stems.items() if s == query}

        whoosh = tuple(t.text for t in build_schema()["text"].analyzer(word))
        tantivy = tuple(_analyzer(STEMMED).analyze(word))
        return (prefix or whoosh == tantivy) and found(self.whoosh, whoosh) == found(self.tantivy, tantivy)


def vocabulary(articles) -> dict[str, list[str]]:
    """Words to draw, by field: prose (found alike by both stemmers),
    prefixes (the same), names, sections, sources."""
    stems = Stems(articles)
    prose = sorted(word for word in stems.whoosh if len(word) > 1 and stems.alike(word))
    prefixes = {word[:n].lower() for word in prose if len(word) > 4 for n in range(3, len(word) - 1)}
    return {
        "prose": prose,
        "prefix": sorted(prefix for prefix in prefixes if stems.alike(prefix, prefix=True)),
        "author": sorted({name for a in articles for author in a.authors for name in author.split()}),
        "section": sorted({a.section for a in articles if a.section and " " not in a.section}),
        "source": sorted({a.source for a in articles}),
    }


def leaf(rng: random.Random, words: dict[str, list[str]]) -> str:
    prose = words["prose"]
    roll = rng.random()
    if roll < 0.45:
        return rng.choice(prose)
    if roll < 0.6:
        start = rng.randrange(len(prose))
        return '"' + " ".join(prose[start : start + rng.randint(2, 3)]) + '"'
    if roll < 0.7:
        return rng.choice(["title:", "text:", "subtitle:"]) + rng.choice(prose)
    if roll < 0.8:
        field = rng.choice(["author", "section", "source"])
        return f"{field}:{rng.choice(words[field])}"
    if roll < 0.9:
        return rng.choice(words["prefix"]) + "*"
    return rng.choice(DATES)


def random_query(rng: random.Random, words: dict[str, list[str]], depth: int = 0) -> str:
    if depth >= 2 or rng.random() < 0.4:
        return leaf(rng, words)
    left, right = random_query(rng, words, depth + 1), random_query(rng, words, depth + 1)
    shape = rng.choice(["{} {}", "({} AND {})", "({} OR {})", "{} NOT {}", "{} -{}"])
    if shape == "{} -{}":
        right = leaf(rng, words)
        right = right if right[0] != "-" else right[1:]
    return shape.format(left, right)


def answer(engine, query: str):
    try:
        return set(engine.matching_ids(SearchRequest(query)))
    except BadQuery:
        return "refused"


def test_random_queries_find_the_same_articles_in_both_engines(engines):
    found, articles = engines
    rng = random.Random(SEED)
    words = vocabulary(articles)
    differ, with_hits = [], 0
    for _ in range(TRIALS):
        query = random_query(rng, words)
        whoosh, tantivy = answer(found["whoosh"], query), answer(found["tantivy"], query)
        with_hits += whoosh != "refused" and bool(whoosh)
        if whoosh != tantivy:
            differ.append((query, whoosh, tantivy))
    print(f"{TRIALS - len(differ)} of {TRIALS} queries found alike, {with_hits} with hits")
    assert not differ, differ[:5]
    assert with_hits > TRIALS // 4
