"""Upkeep: reindex, doctor, and the demo."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import click

from newsarchive.archive import Archive
from newsarchive.cli.output import (
    note,
    output_options,
    print_json,
    progress_bar,
    stderr,
    stdout,
)
from newsarchive.cli.root import CONTEXT, Failure, archive_of, cli
from newsarchive.config import Config
from newsarchive.index import ENGINES

# -- reindex ---------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.option(
    "--engine",
    type=click.Choice(sorted(ENGINES)),
    help="Build the index with this engine; the archive keeps using it. [default: the archive's own]",
)
@output_options()
@click.pass_context
def reindex(ctx, engine: str | None, fmt: str) -> None:
    """Rebuild the search index from the store.

    Searches keep working on the old index while the new one is built; it
    replaces the old one when complete. Whoosh (pure Python) is the
    default; tantivy builds and answers faster on large archives.

    \b
    Example:
      newsarchive reindex
      newsarchive reindex --engine tantivy
    """
    archive = archive_of(ctx)
    started = time.monotonic()
    with progress_bar(None, "indexing", auto_refresh=False) as bar:
        task = bar.add_task("index", total=None)
        count = archive.reindex(
            lambda done, total: bar.update(task, completed=done, total=total, refresh=True),
            engine_name=engine,
        )
    seconds = time.monotonic() - started
    used = engine or archive.engine_name
    if fmt == "json":
        print_json({"indexed": count, "engine": used, "seconds": round(seconds, 3)})
    else:
        stdout.print(f"indexed {count} article{'s' if count != 1 else ''} with {used} in {seconds:.1f} s")


# -- doctor ----------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.option("--repair", is_flag=True, help="Mend what can be mended (nothing stored is lost).")
@output_options()
@click.pass_context
def doctor(ctx, repair: bool, fmt: str) -> None:
    """Check that the store, the captures and the index agree.

    Exits 0 when all is well (or, with --repair, all was mended), 1 when a
    problem remains. Repairs: the index is caught up or rebuilt, a WARC
    file's cut-off last record is trimmed, runs of dead processes are
    marked interrupted, stale lock notes cleared.

    \b
    Example:
      newsarchive doctor
      newsarchive doctor --repair --json
    """
    progress = (lambda check: note(f"checking {check}…")) if stderr.is_terminal else None
    report = archive_of(ctx).check(repair=repair, progress=progress)
    if fmt == "json":
        print_json(report.to_dict())
    else:
        from newsarchive.cli.views import doctor_view

        stdout.print(doctor_view(report, repair))
    if not report.healthy:
        raise Failure(
            "problems remain" + ("" if repair else "; `newsarchive doctor --repair` mends those it can")
        )


# -- demo ------------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.pass_context
def demo(ctx) -> None:
    """Build a small archive from bundled sample pages and search it.

    The first thing to run: it never touches your own archive. It uses
    --archive DIR when given, else a fresh demo archive in your cache
    directory, and prints the commands to explore it further.

    \b
    Example:
      newsarchive demo
    """
    run_demo(ctx.find_root().obj.archive)


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
    from newsarchive.cli.views import crawl_view, results_view
    from newsarchive.crawl.run import Target
    from newsarchive.demo.server import SiteServer
    from newsarchive.index.api import Hit, SearchRequest

    archive = Archive(Config.load(demo_dir(flag), alone=True))
    with SiteServer() as server:
        stdout.print(f"Serving the demo news site {server.site.site['name']} at {server.base}/", style="bold")
        stdout.print(f"$ newsarchive crawl {server.base}/", style="cyan")
        (result,) = archive.crawl([Target("demo", (server.base + "/",))], overrides=DEMO_SETTINGS)
    stdout.print(crawl_view(result.summary()))
    stdout.print(f"Archived into {archive.root}\n", style="bold")
    hits: list[Hit] = []
    for query, sort in DEMO_SEARCHES:
        stdout.print(f"$ newsarchive search '{query}' --sort {sort}", style="cyan")
        page = archive.search(SearchRequest(query, sort=sort, limit=3))
        stdout.print(results_view(page))
        hits += page.hits
    first = hits[0].article if hits else None
    stdout.print("Try it yourself:", style="bold")
    for command in (
        "search 'title:council OR tag:ferries'",
        "search seals --since 2024-06 --until 2024-06",
        *([f"show {first.id[:8]} --explain"] if first else []),
        "stats",
        "runs",
    ):
        stdout.print(f"  newsarchive --archive {archive.root} {command}", soft_wrap=True)
