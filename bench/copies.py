"""Copy detection: pairwise precision and recall on a syndication set made
from real articles, and the cost per article.

    python bench/copies.py [--dataset DIR] [--seed N] [--json]
    python bench/copies.py --ingest N [--repeat R] [--engine E]

--ingest: `newsarchive import` of a generated N-record WARC (a fifth of it
other sites' copies of recent stories) with copy linking on and off
(NEWSARCHIVE_COPIES), in turn, medians of R runs.

The set: each article of the shared article-extraction dataset's ground
truth is a wire story; copies of it are made as sites run them (the
same text at another address, trimmed to its first paragraphs, with a
local intro and closing paragraphs, re-headlined with words changed in a
few sentences, with a dateline and an agency tail), and hard negatives
that must stay apart: follow-ups (a paragraph of the story as background,
the rest another story) and every other story. Pairs are scored as the
README of the clustering literature does: a pair of articles is predicted
together when they end in one cluster.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DATASET = HERE.parent.parent / "shared" / "datasets" / "article-extraction"
LOCAL = [
    "Residents of the county were told to follow the advice of local officials this week.",
    "The county board will discuss what the news means for local families at its next meeting.",
    "Readers can send questions about the story to the newsroom at any time.",
    "Local businesses said they were watching the situation closely and would adapt.",
    "The mayor's office said it had no immediate comment on the developments.",
]
DATELINES = ["WASHINGTON (AP) \u2014 ", "LONDON (Reuters) - ", "PARIS (AFP) \u2014 ", "NEW YORK (AP) \u2014 "]
TAILS = [
    "Reporting by Jane Holt; Editing by Tom Reyes",
    "Copyright 2026 The Associated Press. All rights reserved.",
]


def stories(dataset: Path) -> list[tuple[str, list[str]]]:
    truth = json.loads((dataset / "ground-truth.json").read_text(encoding="utf-8"))
    found = []
    for key in sorted(truth):
        paragraphs = [p.strip() for p in truth[key]["articleBody"].split("\n\n") if p.strip()]
        if sum(len(p.split()) for p in paragraphs) >= 150 and len(paragraphs) >= 4:
            found.append((key, paragraphs))
    return found


def edited(rng: random.Random, paragraph: str) -> str:
    words = paragraph.split()
    for _ in range(max(1, len(words) // 25)):
        i = rng.randrange(len(words))
        words[i] = rng.choice(["reportedly", "also", "officials", "recently", "still"])
    return " ".join(words)


def syndication_set(dataset: Path, seed: int = 17):
    """(articles, truth): articles as (id, text, published day, kind);
    truth maps each id to its story."""
    rng = random.Random(seed)
    every = stories(dataset)
    # Every fifth story is only a source of new text for follow-ups: text
    # no other article in the set holds.
    fresh = [paragraph for n, (_, paragraphs) in enumerate(every) if n % 5 == 0 for paragraph in paragraphs]
    base = [story for n, story in enumerate(every) if n % 5]
    day0 = date(2026, 1, 1)
    articles, truth = [], {}

    def add(story: str, day: date, kind: str, body: list[str], offset: int = 0) -> None:
        article_id = f"{story}-{kind}-{len(articles)}"
        articles.append((article_id, "\n\n".join(body), day + timedelta(days=offset), kind))
        truth[article_id] = story if kind != "follow-up" else article_id

    for n, (_, paragraphs) in enumerate(base):
        day = day0 + timedelta(days=n // 4)  # four stories a day: many candidates in each window
        story = f"s{n}"

        add(story, day, "wire", paragraphs)
        kinds = ["identical", "trimmed", "extended", "reheadlined", "local-intro-trimmed", "dateline-tail"]
        for kind in rng.sample(kinds, rng.randint(2, 5)):
            if kind == "identical":
                add(story, day, kind, paragraphs)
            elif kind == "trimmed":
                add(story, day, kind, paragraphs[: max(2, round(len(paragraphs) * rng.uniform(0.4, 0.7)))])
            elif kind == "extended":
                add(story, day, kind, [rng.choice(LOCAL), *paragraphs, rng.choice(LOCAL), rng.choice(LOCAL)])
            elif kind == "reheadlined":
                body = [edited(rng, p) if rng.random() < 0.3 else p for p in paragraphs]
                add(story, day, kind, body)
            elif kind == "local-intro-trimmed":
                add(story, day, kind, [rng.choice(LOCAL), *paragraphs[: max(3, len(paragraphs) * 2 // 3)]])
            else:
                add(
                    story,
                    day,
                    kind,
                    [rng.choice(DATELINES) + paragraphs[0], *paragraphs[1:], rng.choice(TAILS)],
                )
        # A follow-up of the same event: one paragraph of background, the rest new.
        # Background is a paragraph of the story, never most of it.
        total = sum(len(p.split()) for p in paragraphs)
        short = [p for p in paragraphs if len(p.split()) <= total / 3]
        background = rng.choice(short) if short else " ".join(paragraphs[0].split()[: total // 3])
        # New text for it, used by no other article (while the fresh text lasts).
        new_text = []
        while sum(len(p.split()) for p in new_text) < max(60, 2.5 * len(background.split())) and fresh:
            new_text.append(fresh.pop(0))
        if new_text:
            add(story, day, "follow-up", [background, *new_text], offset=1)
    return articles, truth


def score(articles, truth) -> dict:
    from newsarchive.copies.finder import MemoryCopies

    copies = MemoryCopies()
    started = time.perf_counter()
    per = []
    for article_id, text, day, _ in articles:
        t = time.perf_counter()
        copies.add(article_id, text, day)
        per.append(time.perf_counter() - t)
    seconds = time.perf_counter() - started
    predicted = {a: copies.clusters.find(a) for a, *_ in articles}
    kinds = {a: kind for a, _, _, kind in articles}
    tp = fp = fn = 0
    merged_negatives = 0
    for a, b in combinations([a for a, *_ in articles], 2):
        same_truth, same_pred = truth[a] == truth[b], predicted[a] == predicted[b]
        tp += same_truth and same_pred
        fp += same_pred and not same_truth
        fn += same_truth and not same_pred
        if same_pred and not same_truth and "follow-up" in (kinds[a], kinds[b]):
            merged_negatives += 1
    return {
        "articles": len(articles),
        "stories": len(set(truth.values())),
        "true_pairs": tp + fn,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "hard_negatives_merged": merged_negatives,
        "false_pairs": fp,
        "ms_per_article": round(1000 * statistics.median(per), 3),
        "seconds": round(seconds, 2),
    }


# Generated records that are another site's copy of a recent story
# (whole or trimmed), as wire copy is in a real archive.
COPY_SHARE = 0.2


def ingest(count: int, repeat: int, engine: str, copy_share: float = COPY_SHARE) -> dict:
    """Import speed of a generated WARC with copy linking on and off."""
    import os
    import shutil
    import tempfile

    sys.path.insert(0, str(HERE))
    from corpus import Generator, to_page
    from run import NEWSARCHIVE, _write_warc, timed

    from newsarchive.demo.site import article_page

    site = {
        "name": "The Generated Gazette",
        "host": "gazette.example",
        "promo": "Read more",
        "newsletter": "Sign up",
    }
    wire = {
        "name": "The Wire Courier",
        "host": "courier.example",
        "promo": "More news",
        "newsletter": "Our letter",
    }
    rng = random.Random(11)
    pages, copies = [], 0
    for data in Generator().articles(count, words=600):
        if pages and rng.random() < copy_share:
            original = rng.choice(pages[-50:])
            paragraphs = original["paragraphs"] if rng.random() < 0.5 else original["paragraphs"][:4]
            page = {**original, "slug": original["slug"] + "-wire", "title": "Wire: " + original["title"],
                    "paragraphs": paragraphs, "site": wire}  # fmt: skip
            copies += 1
        else:
            page = {**to_page(data), "site": site}
        pages.append(page)
    saved = [(made.url, made.html) for made in (article_page(page.pop("site"), page) for page in pages)]
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        warc = work / "pages.warc.gz"
        _write_warc(warc, saved)
        times: dict[str, list[float]] = {"on": [], "off": []}
        for run in range(repeat + 1):
            for mode in ("on", "off"):
                archive = work / f"archive-{mode}"
                shutil.rmtree(archive, ignore_errors=True)
                env = {**os.environ, "NEWSARCHIVE_COPIES": mode, "NEWSARCHIVE_ENGINE": engine}
                seconds = timed(
                    [*NEWSARCHIVE, "--archive", str(archive), "import", str(warc), "--json"], env=env
                )[0]
                if run or repeat == 0:  # the first of each is a warm-up, unless it is the only one
                    times[mode].append(seconds)
    on, off = count / statistics.median(times["on"]), count / statistics.median(times["off"])
    return {"records": count, "copies among them": copies, "engine": engine,
            "with copies pages/s": round(on, 1), "without pages/s": round(off, 1),
            "ratio": round(on / off, 3)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--ingest", type=int, metavar="N")
    parser.add_argument(
        "--repeat", type=int, default=3, help="timed runs after a warm-up (0: one run, no warm-up)"
    )
    parser.add_argument("--engine", default="whoosh")
    args = parser.parse_args()
    if args.ingest:
        result = ingest(args.ingest, args.repeat, args.engine)
        print(json.dumps(result) if args.json else "\n".join(f"  {k:<24} {v}" for k, v in result.items()))
        return 0
    if not (args.dataset / "ground-truth.json").exists():
        print(f"no dataset at {args.dataset}; give --dataset DIR", file=sys.stderr)
        return 2
    sys.path.insert(0, str(HERE.parent))
    result = score(*syndication_set(args.dataset, args.seed))
    if args.json:
        print(json.dumps(result))
    else:
        for name, value in result.items():
            print(f"  {name:<24} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
