"""`newsarchive demo`: a first look at the whole path on bundled pages."""

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


def run_demo(flag: Path | None) -> None:
    from newsarchive.capture import CaptureWriter
    from newsarchive.demo.site import article_pages, site_data
    from newsarchive.index.search import SearchRequest, search
    from newsarchive.index.writer import catch_up
    from newsarchive.ingest import Page, ingest
    from newsarchive.render import results_view

    archive = Archive(Config.load(demo_dir(flag)))
    site = site_data()["site"]
    pages = [Page(page.url, page.html, page.url) for page in article_pages()]
    with archive.open_store(create=True) as store:
        with CaptureWriter(archive.warc_dir) as captures:
            outcomes = list(ingest(pages, store, captures, archive.sites(store)))
        with archive.writer_lock("indexing"):
            catch_up(archive.index_dir, store)
        added = sum(o.status != "skipped" for o in outcomes)
        stdout.print(
            f"Archived {added} articles from the demo site {site['name']} ({site['host']})"
            f" into {archive.root}\n",
            style="bold",
        )
        for query, sort in DEMO_SEARCHES:
            stdout.print(f"$ newsarchive search '{query}' --sort {sort}", style="cyan")
            stdout.print(
                results_view(search(archive.index_dir, store, SearchRequest(query, sort=sort, limit=3)))
            )
    first = next(o.article_id for o in outcomes if o.article_id)
    stdout.print("Try it yourself:", style="bold")
    for command in (
        "search 'title:council OR tag:ferries'",
        "search seals --since 2024-06 --until 2024-06",
        f"show {first[:8]}",
        "stats",
    ):
        stdout.print(f"  newsarchive --archive {archive.root} {command}")
