"""`newsarchive demo`: a first look at the whole path, on a bundled site.

It serves the demo news site on 127.0.0.1, crawls it into a demo archive,
and searches what it archived.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from newsarchive.archive import Archive
from newsarchive.config import Config
from newsarchive.output import stdout

# Searches the demo runs, chosen to show stemming, phrases and fields.
DEMO_SEARCHES = (
    ("flood barriers", "relevance"),
    ('trained OR "storm surge"', "newest"),
)


def demo_dir(flag: Path | None) -> Path:
    """--archive when given; else a demo archive of its own in the user's
    cache directory, made afresh each run, never the user's real archive."""
    if flag:
        return Path(flag).expanduser().absolute()
    from platformdirs import user_cache_path

    path = user_cache_path("newsarchive", appauthor=False) / "demo-archive"
    shutil.rmtree(path, ignore_errors=True)
    return path


# The demo crawls its own server on this machine: no one to be polite to,
# so no delays (a real crawl keeps its polite defaults).
DEMO_SETTINGS = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False"}


def run_demo(flag: Path | None) -> None:
    from newsarchive.crawl.run import Target
    from newsarchive.demo.server import SiteServer
    from newsarchive.index.api import SearchRequest
    from newsarchive.render import crawl_view, results_view

    archive = Archive(Config.load(demo_dir(flag)))
    with SiteServer() as server:
        stdout.print(f"Serving the demo news site {server.site.site['name']} at {server.base}/", style="bold")
        stdout.print(f"$ newsarchive crawl {server.base}/", style="cyan")
        (result,) = archive.crawl([Target("demo", (server.base + "/",))], overrides=DEMO_SETTINGS)
    stdout.print(crawl_view(result.summary()))
    stdout.print(f"Archived into {archive.root}\n", style="bold")
    for query, sort in DEMO_SEARCHES:
        stdout.print(f"$ newsarchive search '{query}' --sort {sort}", style="cyan")
        stdout.print(results_view(archive.search(SearchRequest(query, sort=sort, limit=3))))
    with archive.open_store() as store:
        first = next(iter(store.iter_articles(batch=1)), None)
    stdout.print("Try it yourself:", style="bold")
    for command in (
        "search 'title:council OR tag:ferries'",
        "search seals --since 2024-06 --until 2024-06",
        *([f"show {first.id[:8]} --explain"] if first else []),
        "stats",
        "runs",
    ):
        stdout.print(f"  newsarchive --archive {archive.root} {command}", soft_wrap=True)
