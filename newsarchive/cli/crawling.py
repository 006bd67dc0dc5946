"""Crawling: crawl, sources, schedule, runs."""

from __future__ import annotations

import sys

import click

from newsarchive.cli.options import bound, check_url
from newsarchive.cli.output import (
    note,
    output_options,
    print_json,
    print_records,
    stdout,
)
from newsarchive.cli.root import CONTEXT, Failure, archive_of, cli

# -- crawl -----------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.argument("targets", nargs=-1, required=True, metavar="URL|SOURCE...")
@click.option(
    "--max-pages",
    type=click.IntRange(1),
    help="Stop after about this many responses (those under way finish).",
)
@click.option("--max-articles", type=click.IntRange(1), help="Stop after this many new articles.")
@click.option("--since", metavar="DATE", help="Skip sitemap and feed entries published before DATE.")
@click.option(
    "--recheck-only",
    is_flag=True,
    help="Only fetch the archived articles due for a re-check (what `schedule` runs between crawls).",
)
@click.option(
    "-s", "settings", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting (repeatable)."
)
@output_options()
@click.pass_context
def crawl(ctx, targets, max_pages, max_articles, since, recheck_only, settings, fmt: str) -> None:
    """Crawl news sites: discover, capture, normalize, store and index.

    Finds articles through robots.txt, sitemaps (news sitemaps included),
    feeds and links; polite by default (robots.txt, Crawl-delay,
    AutoThrottle, two requests at a time per site); incremental (archived
    articles are not fetched again, feeds and sitemaps are fetched
    conditionally); resumable (a killed crawl continues where it stopped).
    Every response is kept in ARCHIVE/warc. Give URLs, or names of sources
    in sources.toml.

    Archived articles are fetched again on an adaptive schedule to record
    their edits (see `history` and `diff`): first 30 minutes after capture,
    then each wait 1.5 times longer while nothing changes, until 7 quiet
    days; one last look at 30 days. A feed or sitemap that says a page
    changed makes it due at once. Settings, in seconds: RECHECK_FIRST,
    RECHECK_FACTOR, RECHECK_QUIET, RECHECK_LAST; -s RECHECK_ENABLED=False
    turns re-checks off.

    \b
    Example:
      newsarchive crawl https://www.example-news.com/ --max-articles 200
      newsarchive crawl herald --since 2025-01 -s DOWNLOAD_DELAY=3
    """
    from newsarchive.crawl.settings import parse_overrides

    results = archive_of(ctx).crawl(
        targets,
        max_pages=max_pages,
        max_articles=max_articles,
        since=bound("since", since),
        overrides=parse_overrides(settings),
        recheck_only=recheck_only,
    )
    summaries = [result.summary() for result in results]
    if fmt == "json":
        print_json(summaries)
    else:
        from newsarchive.cli.views import crawl_view

        for summary in summaries:
            stdout.print(crawl_view(summary))
    for result in results:
        if result.fatal:
            raise Failure(f"{result.target.name}: the crawl stopped: {result.fatal}")
    if all(result.tally.pages == 0 for result in results):
        raise Failure("nothing could be fetched; check the address and your network, and see ARCHIVE/logs")


# -- sources ---------------------------------------------------------------


@cli.group(context_settings=CONTEXT)
def sources() -> None:
    """The sites followed (ARCHIVE/sources.toml) and their schedules.

    \b
    Example:
      newsarchive sources add herald https://www.harbour-herald.example/ --every 1h
      newsarchive sources list
    """


@sources.command("add", context_settings=CONTEXT)
@click.argument("name")
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@click.option("--every", metavar="DURATION", help='Crawl it this often: "30m", "2h", "1d".')
@click.option("--cron", metavar="EXPR", help='Crawl it on a cron schedule: "*/30 * * * *".')
@click.option("-s", "settings", multiple=True, metavar="NAME=VALUE", help="A Scrapy setting for its crawls.")
@click.pass_context
def sources_add(ctx, name: str, urls: tuple[str, ...], every, cron, settings) -> None:
    """Follow a site: give it a name, its start URL(s) and a schedule.

    \b
    Example:
      newsarchive sources add herald https://www.harbour-herald.example/ --every 1h -s DOWNLOAD_DELAY=2
    """
    from newsarchive.crawl.settings import parse_overrides

    for url in urls:
        check_url(url)
    source = archive_of(ctx).follow(
        name, list(urls), every=every, cron=cron, settings=parse_overrides(settings)
    )
    when = source.schedule.describe() if source.schedule else "by hand only (no --every or --cron)"
    stdout.print(f"following {name} ({', '.join(source.urls)}), {when}")


@sources.command("remove", context_settings=CONTEXT)
@click.argument("name")
@click.pass_context
def sources_remove(ctx, name: str) -> None:
    """Stop following a site; its archived articles stay.

    \b
    Example:
      newsarchive sources remove herald
    """
    archive_of(ctx).unfollow(name)
    stdout.print(f"no longer following {name}; its articles stay in the archive")


@sources.command("list", context_settings=CONTEXT)
@output_options(jsonl=True)
@click.pass_context
def sources_list(ctx, fmt: str) -> None:
    """The sites followed, with their last run, next due time and articles.

    \b
    Example:
      newsarchive sources list --json
    """
    records = archive_of(ctx).followed()
    from newsarchive.cli.views import sources_view

    print_records(records, fmt, sources_view)


# -- schedule --------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.option("--once", is_flag=True, help="Run what is due now, then exit (the form for cron).")
@click.option(
    "--print",
    "print_for",
    type=click.Choice(["cron", "systemd"]),
    help="Print a crontab line or systemd units that run the schedule, and exit.",
)
@click.option(
    "--max-parallel", type=click.IntRange(1, 16), default=2, show_default=True, help="Crawls at once."
)
@click.pass_context
def schedule(ctx, once: bool, print_for: str | None, max_parallel: int) -> None:
    """Crawl each source when its schedule says it is due.

    Runs in the foreground until stopped (SIGTERM or Ctrl-C stop it
    cleanly; running crawls stop at a safe point and resume next time);
    never two crawls of one source at once; after downtime a missed run is
    made once. After crawls it runs the saved alerts (`alerts run`: new
    matches go to ARCHIVE/alerts/NAME.jsonl and each alert's command). A
    line per run goes to stderr, logs to ARCHIVE/logs/.

    \b
    Example:
      newsarchive schedule
      newsarchive schedule --print cron
    """
    archive = archive_of(ctx)
    if print_for == "cron":
        stdout.print(archive.schedule_units("cron"), soft_wrap=True)
        return
    if print_for == "systemd":
        sys.stdout.write(archive.schedule_units("systemd"))
        return
    code, failures = archive.schedule(once=once, max_parallel=max_parallel, say=note)
    if code:
        raise Failure(f"{failures} crawls or alert runs failed; see ARCHIVE/logs")


# -- runs ------------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.option("--source", help="Only the runs of this source.")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True, help="How many runs.")
@output_options(jsonl=True)
@click.pass_context
def runs(ctx, source: str | None, limit: int, fmt: str) -> None:
    """The history of crawl runs, newest first.

    \b
    Example:
      newsarchive runs --source herald --json
    """
    rows = archive_of(ctx).runs(source=source, limit=limit)
    fields = ("id", "source", "started", "finished", "status", "pages", "new", "updated", "errors")
    records = [{name: row[name] for name in fields} for row in rows]
    from newsarchive.cli.views import runs_view

    print_records(records, fmt, runs_view)
