"""Random archive histories with alert runs between, checked against what
an alert promises (test_alerts.py runs it; its figures go in notes)."""

from __future__ import annotations

import random
from pathlib import Path

from newsarchive.archive import Archive
from newsarchive.article import Article
from newsarchive.config import Config
from newsarchive.copies.finder import copy_relation

SOURCES = [f"site{n}.example" for n in range(6)]
TOPICS = ["pier", "ferry", "gale", "budget"]
ALERTS = {"pier": "pier", "weather": "gale OR ferry"}


def _vocabulary(rng: random.Random) -> list[str]:
    letters = "bcdfghklmnprstvz"
    vowels = "aeiou"
    return sorted(
        {
            "".join(rng.choice(letters) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
            for _ in range(900)
        }
    )


def _paragraphs(rng: random.Random, words: list[str], topic: str) -> list[str]:
    out = []
    for _ in range(5):
        chosen = rng.sample(words, 28)
        chosen.insert(rng.randrange(len(chosen)), topic)
        out.append(" ".join(chosen).capitalize() + ".")
    return out


def _matches(text: str, alert: str) -> bool:
    found = set(text.lower().replace(".", " ").split())
    return any(word in found for word in ALERTS[alert].split(" OR "))


def alert_histories(root: Path, rng: random.Random, rounds: int) -> dict:
    """One random history; its figures and every broken promise found."""
    archive = Archive(Config(archive_dir=root, copies=True))
    words = _vocabulary(rng)
    live: dict[str, Article] = {}
    originals: dict[str, str] = {}  # copy id -> the article it copied
    seen: dict[str, set[str]] = {name: set() for name in ALERTS}
    reported: dict[str, list[str]] = {name: [] for name in ALERTS}
    figures = {"articles": 0, "copies": 0, "edits": 0, "deletions": 0, "runs": 0, "reported": 0,
               "copies_left_out": 0, "copies_not_linked": 0, "violations": []}  # fmt: skip
    serial = 0

    def put(store, article: Article, day: int) -> None:
        store.put(article, now=f"2026-03-{day:02d}T12:00:00+00:00")  # linked by the alert run's catch-up
        live[article.id] = article

    def new_article(source: str, title: str, paragraphs: list[str], day: int) -> Article:
        nonlocal serial
        serial += 1
        url = f"https://{source}/{serial}"
        return Article(url=url, canonical_url=url, source=source, title=title, text="\n\n".join(paragraphs),
                       published=f"2026-03-{day:02d}T09:00:00+00:00")  # fmt: skip

    for day in range(1, rounds + 1):
        added_now: list[str] = []
        with archive.open_store(create=True) as store:
            for _ in range(rng.randint(2, 6)):
                roll = rng.random()
                # Copies run within days of their story (copies/finder.py's window).
                originals_live = [
                    i
                    for i, a in live.items()
                    if i not in originals and a.published >= f"2026-03-{max(day - 2, 1):02d}"
                ]
                if roll < 0.5 or not originals_live:
                    topic = rng.choice(TOPICS)
                    article = new_article(
                        rng.choice(SOURCES), f"News {serial}", _paragraphs(rng, words, topic), day
                    )
                    put(store, article, day)
                    added_now.append(article.id)
                    figures["articles"] += 1
                elif roll < 0.8:
                    first = live[rng.choice(originals_live)]
                    paragraphs = first.text.split("\n\n")
                    kept = paragraphs if rng.random() < 0.5 else paragraphs[:3]
                    other = rng.choice([s for s in SOURCES if s != first.source])
                    copy = new_article(other, f"Copy {serial}", kept, day)
                    put(store, copy, day)
                    originals[copy.id] = first.id
                    figures["copies"] += 1
                elif roll < 0.92:
                    target = live[rng.choice(sorted(live))]
                    paragraphs = target.text.split("\n\n")
                    paragraphs[-1] = " ".join(rng.sample(words, 20)).capitalize() + "."
                    put(store, target.replace(text="\n\n".join(paragraphs)), day)
                    figures["edits"] += 1
                else:
                    gone = rng.choice(sorted(live))
                    store.delete(gone, now=f"2026-03-{day:02d}T13:00:00+00:00")
                    del live[gone]
                    figures["deletions"] += 1
        if day == 2:  # alerts join an archive that holds something already
            for name, query in ALERTS.items():
                archive.add_alert(name, query, {}, None)
                seen[name] = {i for i, a in live.items() if _matches(a.text, name)}
            continue
        if day < 2:
            continue
        for run in archive.run_alerts():
            name = run.alert.name
            figures["runs"] += 1
            ids = [record["id"] for record in run.records]
            figures["reported"] += len(ids)
            figures["copies_left_out"] += run.copies
            _check(archive, name, ids, seen[name], reported[name], figures["violations"])
            for article_id in added_now:
                if article_id in live and _matches(live[article_id].text, name) and article_id not in ids:
                    figures["violations"].append(f"{name}: new story {article_id} not reported on day {day}")
            reported[name] += ids
            seen[name] |= {i for i, a in live.items() if _matches(a.text, name)}  # all looked at now
    with archive.open_store() as store:
        clusters = store.clusters_of(originals)
        # Copies whose texts still relate (edits can part them) but that
        # linking left apart.
        figures["copies_not_linked"] = sum(
            1
            for copy, first in originals.items()
            if copy in clusters
            and first in live
            and first not in clusters[copy].members
            and copy_relation(live[copy].text, live[first].text) is not None
        )
    return figures


def _check(
    archive: Archive, name: str, ids: list[str], seen: set[str], before: list[str], problems: list
) -> None:
    if len(set(ids)) != len(ids) or set(ids) & set(before):
        problems.append(f"{name}: reported twice: {sorted(set(ids) & set(before))}")
    with archive.open_store() as store:
        clusters = store.clusters_of(ids)
    known = set(seen)
    for article_id in ids:
        members = set(clusters[article_id].members) if article_id in clusters else {article_id}
        if (members - {article_id}) & known:
            problems.append(
                f"{name}: reported {article_id}, a copy of {sorted((members - {article_id}) & known)}"
            )
        known.add(article_id)
