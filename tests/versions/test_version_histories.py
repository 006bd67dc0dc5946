"""Random histories through the one path into the archive (pipeline.Intake)
and a real SQLite store: whatever order of edits, noise, reverts and thin
fetches a page goes through, the archive records exactly one version per
new text, a revert for each return to an earlier text, a degraded fetch
for each thin page, and nothing for noise."""

from __future__ import annotations

import random

from newsarchive.article import Article
from newsarchive.page import Page
from newsarchive.pipeline import Intake
from newsarchive.sites.knowledge import Sites
from newsarchive.store import open_store
from newsarchive.versions.noise import reading

WORDS = [
    "pier",
    "council",
    "vote",
    "harbour",
    "grant",
    "survey",
    "beams",
    "lorries",
    "petition",
    "crews",
    "skipper",
    "report",
]
HISTORIES = 200


def text_of(rng: random.Random) -> str:
    return "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 25))).capitalize()
        + f" {rng.randint(1, 999)}."
        for _ in range(rng.randint(4, 7))
    )


def words(text: str) -> int:
    return reading("", "", text).words


def noisy(rng: random.Random, text: str) -> str:
    paragraphs = text.split("\n\n")
    if rng.random() < 0.5:
        paragraphs.insert(0, f"Updated {rng.randint(2, 59)} minutes ago")
    return "\n\n".join("  " + p.replace(" ", rng.choice([" ", "  "]), 2) for p in paragraphs)


def test_random_histories_make_the_versions_they_should(tmp_path):
    rng = random.Random(1616)
    with open_store(tmp_path / "store.sqlite3") as store:
        intake = Intake(store, None, Sites(store))
        for n in range(HISTORIES):
            url = f"https://quay.example/news/story-{n}"
            states = [text_of(rng)]  # the texts seen, in order of first sight
            current = states[0]
            expected = []  # (version number or None, note)
            fetches = [("first", current)]
            for _ in range(rng.randint(1, 6)):
                roll = rng.random()
                if roll < 0.3:
                    fetches.append(("noise", noisy(rng, current)))
                elif roll < 0.6 or len(states) < 2:
                    edited = text_of(rng)
                    fetches.append(("edit", edited))
                    if words(edited) < words(current) / 2:  # most of it gone: a thin fetch, by definition
                        expected.append((None, "degraded"))
                        continue
                    current = edited
                    states.append(current)
                    expected.append((len(states), None))
                elif roll < 0.8:
                    earlier = rng.choice([s for s in states if s != current])
                    current = earlier
                    fetches.append(("revert", noisy(rng, earlier)))
                    expected.append((None, "reverted"))
                else:
                    fetches.append(("thin", current.split("\n\n")[0]))
                    expected.append((None, "degraded"))
            for step, (_, text) in enumerate(fetches):
                article = Article(
                    url=url, canonical_url=url, source="quay.example", title=f"Story {n}", text=text
                )
                intake.take(
                    Page(url, b"", url, "text/html"), article.replace(fetched=f"2026-11-{step + 1:02d}")
                )
            article_id = store.resolve(url)
            listed = store.versions(article_id, notes=True)
            got = [(v.number if v.note is None else None, v.note) for v in listed[1:]]
            assert got == expected, ([(kind, len(text.split())) for kind, text in fetches], got)
            assert [v.number for v in listed if v.note is None] == list(range(1, len(states) + 1))
            stored = store.get(article_id).article.text
            assert " ".join(stored.split()).endswith(
                " ".join(current.split())
            )  # the page's text now, noise aside
