"""Deterministic generated news, for archives and sites of any size.

The same seed always gives the same articles, so two runs (or two
machines) measure the same work. Words follow a Zipf law over a made-up
vocabulary, as words in real text do: a few very common, most rare, which
is what makes an index's postings lists long or short. A handful of real
words and phrases are planted at known rates so the benchmark's queries
match a known share of the archive.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

SEED = 20261124
VOCABULARY = 20_000
_SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
SOURCES = [f"news{n:02d}.example" for n in range(20)]
SECTIONS = ["World", "Politics", "Business", "Science", "Culture", "Sport", "Local", "Health"]
FIRST = ["Maya", "Karl", "Ines", "Omar", "Lena", "Tom", "Aiko", "Ravi", "Sofia", "Jonas", "Nadia", "Pedro"]
LAST = ["Lindqvist", "Endresen", "Varga", "Haddad", "Okafor", "Brandt", "Moreau", "Ishikawa", "Novak"]
# Planted words and phrases, with the share of articles that carry them.
PLANTED = {"harbour": 0.10, "ceasefire": 0.05, "tunnel": 0.08}
PLANTED_PHRASE = ("tunnel", "beneath", "the", "river")  # in 2% of articles
FIRST_DAY = datetime(2005, 1, 1)
DAYS = 20 * 365


def _vocabulary(rng: random.Random) -> list[str]:
    words, seen = [], set()
    while len(words) < VOCABULARY:
        word = "".join(rng.choices(_SYLLABLES, k=rng.choice((1, 2, 2, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Generator:
    def __init__(self, seed: int = SEED):
        self.seed = seed
        rng = random.Random(seed)
        self.words = _vocabulary(rng)
        self._weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(VOCABULARY)))

    def word(self, rank: int) -> str:
        """The word of that frequency rank (0 is the most common)."""
        return self.words[rank]

    def _sentence(self, rng: random.Random, low: int = 8, high: int = 24) -> str:
        words = rng.choices(self.words, cum_weights=self._weights, k=rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def article(self, number: int, words: int = 800) -> dict:
        """Article `number` as a plain dict: the fields of a news page."""
        rng = random.Random(self.seed * 1_000_003 + number)
        paragraphs, count = [], 0
        while count < words:
            paragraph = " ".join(self._sentence(rng) for _ in range(rng.randint(2, 5)))
            paragraphs.append(paragraph)
            count += paragraph.count(" ") + 1
        for word, share in PLANTED.items():
            if rng.random() < share:
                at = rng.randrange(len(paragraphs))
                paragraphs[at] = f"{paragraphs[at]} The {word} was mentioned again."
        if rng.random() < 0.02:
            paragraphs[0] = f"{paragraphs[0]} They met in the {' '.join(PLANTED_PHRASE)}."
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(24 * 60))
        offset = timezone(timedelta(hours=rng.choice((-5, 0, 1, 2, 9))))
        authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.choice((1, 1, 1, 2)))]
        section = rng.choice(SECTIONS)
        title = self._sentence(rng, 5, 10).rstrip(".")
        return {
            "number": number,
            "source": SOURCES[number % len(SOURCES)],
            "slug": f"{section.lower()}/{day:%Y/%m/%d}/story-{number}",
            "section": section,
            "title": title,
            "subtitle": self._sentence(rng, 10, 18),
            "authors": authors,
            "published": day.replace(tzinfo=offset).isoformat(),
            "tags": sorted({self.words[rng.randrange(50, 2000)] for _ in range(3)}),
            "paragraphs": paragraphs,
        }

    def articles(self, count: int, words: int = 800) -> Iterator[dict]:
        return (self.article(n, words) for n in range(count))


def to_article(data: dict):
    """The generated article as newsarchive's record."""
    from newsarchive.article import Article

    url = f"https://{data['source']}/{data['slug']}"
    return Article(
        url=url,
        canonical_url=url,
        source=data["source"],
        title=data["title"],
        text="\n\n".join(data["paragraphs"]),
        site_name=data["source"],
        subtitle=data["subtitle"],
        authors=tuple(data["authors"]),
        published=data["published"],
        section=data["section"],
        tags=tuple(data["tags"]),
        language="en",
        fetched="2026-11-24T00:00:00Z",
    )


def to_page(data: dict) -> dict:
    """The generated article in the demo site's form (articles.json)."""
    return {
        **{
            key: data[key] for key in ("slug", "section", "title", "subtitle", "authors", "published", "tags")
        },
        "image": {"file": f"photo-{data['number']}.jpg", "caption": "A photo", "credit": "Agency"},
        "jsonld": data["number"] % 2 == 0,
        "paragraphs": data["paragraphs"],
    }
