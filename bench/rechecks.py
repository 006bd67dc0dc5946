"""The cost of re-checks: the schedule's fetches per article, and the load
of a re-check run beside a bare Scrapy spider fetching the same pages.

    python bench/rechecks.py [--articles 1000] [--repeat 3] [--json]

schedule  fetches per article in its first day, week and month, and in
          all, under the default settings (versions/recheck.py), for an
          article that never changes, one edited once two hours after its
          capture, and a developing story edited every hour for 12 hours;
          and how many of those edits a check saw
load      a crawl archives a generated local site (politeness off); then
          `crawl --recheck-only` fetches every article again (each due at
          once), against the bare spider of bench/peers.py fetching the
          same article URLs: pages/s, medians of --repeat runs in turn.
          The demo site sends no ETag for article pages, so every re-check
          is a full fetch, extraction and comparison: the upper bound.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import Generator  # noqa: E402
from run import FAST, NEWSARCHIVE, PEERS, GeneratedSite, watched  # noqa: E402

from newsarchive.versions.recheck import Timing, after_check, first_plan  # noqa: E402

HOUR, DAY = 3600.0, 86400.0
SCENARIOS = {
    "never changes": [],
    "edited once, 2 h after capture": [2 * HOUR],
    "edited hourly for 12 h": [HOUR * n for n in range(1, 13)],
}
WINDOWS = {"first day": DAY, "first week": 7 * DAY, "first month": 30 * DAY, "in all": float("inf")}


def replay(edits: list[float], timing: Timing) -> tuple[list[float], int]:
    """When an article captured at 0 and edited at `edits` is checked, and
    how many of its edits a check saw (edits between two checks count once)."""
    plan, checks, seen, last = first_plan(0.0, timing), [], 0, 0.0
    while plan.due is not None:
        now = plan.due
        changed = any(last < edit <= now for edit in edits)
        seen += changed
        checks.append(now)
        last = now
        plan = after_check(plan, now, changed, timing)
    return checks, seen


def schedule_rows(timing: Timing) -> list[dict]:
    rows = []
    for name, edits in SCENARIOS.items():
        checks, seen = replay(edits, timing)
        row = {"article": name, **{w: sum(1 for t in checks if t <= limit) for w, limit in WINDOWS.items()}}
        row["edits seen"] = f"{seen} of {len(edits)}" if edits else "-"
        rows.append(row)
    return rows


def load(articles: int, repeat: int, work: Path) -> dict:
    generator = Generator()
    archive = work / "archive"
    every_time = ["-s", "RECHECK_FIRST=0.01", "-s", "RECHECK_FACTOR=1"]
    with GeneratedSite(articles, generator, {"section", "sitemap"}) as server:
        watched([*NEWSARCHIVE, "--archive", str(archive), "crawl", server.base + "/", *FAST, *every_time])
        exported = subprocess.run(
            [*NEWSARCHIVE, "--archive", str(archive), "export"], capture_output=True, check=True, text=True
        ).stdout
        pages = sorted(json.loads(line)["url"] for line in exported.splitlines())
        url_file = work / "articles.txt"
        url_file.write_text("\n".join(pages), encoding="utf-8")
        ours, peer, fetched = [], [], 0
        for _ in range(repeat):
            server.hits.clear()
            seconds, _ = watched(
                [*NEWSARCHIVE, "--archive", str(archive), "crawl", server.base + "/", *FAST, *every_time,
                 "--recheck-only"]
            )  # fmt: skip
            ours.append(seconds)
            fetched = len([hit for hit in server.hits if hit.path != "/robots.txt"])
            server.hits.clear()
            peer.append(watched([*PEERS, "fetch", str(url_file)])[0])
    mine, theirs = len(pages) / statistics.median(ours), len(pages) / statistics.median(peer)
    return {"articles": len(pages), "fetched per re-check run": fetched, "re-check run pages/s": round(mine, 1),
            "bare spider pages/s": round(theirs, 1), "ratio": round(mine / theirs, 3)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = schedule_rows(Timing())
    with tempfile.TemporaryDirectory() as scratch:
        measured = load(args.articles, args.repeat, Path(scratch))
        shutil.rmtree(scratch, ignore_errors=True)
    if args.json:
        print(json.dumps({"schedule": rows, "load": measured}, indent=2))
        return 0
    print("fetches per article (default schedule)")
    print(f"  {'article':<32}" + "".join(f"{w:>13}" for w in WINDOWS) + f"{'edits seen':>13}")
    for row in rows:
        print(
            f"  {row['article']:<32}" + "".join(f"{row[w]:>13}" for w in WINDOWS) + f"{row['edits seen']:>13}"
        )
    print(
        f"\nre-check run over {measured['articles']} archived articles, {measured['fetched per re-check run']}"
        f" fetched a run (median of {args.repeat})"
    )
    print(f"  newsarchive crawl --recheck-only {measured['re-check run pages/s']:>8.1f} pages/s")
    print(f"  bare Scrapy spider, same URLs    {measured['bare spider pages/s']:>8.1f} pages/s")
    print(f"  ratio                            {measured['ratio']:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
