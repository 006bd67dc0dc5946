"""The command line: the face of newsarchive.

Commands stay thin: they read options, call the library, and print. Heavy
modules (trafilatura, warcio) are imported inside the commands that need
them, so `newsarchive search` starts fast.
"""

from __future__ import annotations

import gc
import io
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click

from newsarchive import __version__
from newsarchive.config import Config
from newsarchive.errors import (
    ArchiveMissing,
    BadInput,
    NewsarchiveError,
)
from newsarchive.output import note, output_options, print_json, print_jsonl, print_records, stderr, stdout
from newsarchive.sanitize import for_terminal

CONTEXT = dict(help_option_names=["-h", "--help"], max_content_width=100)

# The extraction libraries log their doubts about odd pages as warnings; an
# archive meets odd pages all day, and says why it skips one in its own words.
for _library in ("trafilatura", "htmldate", "readability", "courlan"):
    logging.getLogger(_library).addHandler(logging.NullHandler())
    logging.getLogger(_library).propagate = False
# Commands that run for a moment and exit: the garbage collector stays
# paused for them (see main).
SHORT_COMMANDS = {"search"}
# Saved pages read from a directory.
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")


class Failure(click.ClickException):
    """The command ran and found a problem: exit 1."""

    exit_code = 1


class BadUsage(click.ClickException):
    """Usage or bad input: exit 2."""

    exit_code = 2


def fail(error: NewsarchiveError) -> click.ClickException:
    """The CLI form of a domain error: bad input exits 2, the rest 1."""
    message = for_terminal(str(error)).replace("\n", " ")
    if isinstance(error, (BadInput, ArchiveMissing)):
        return BadUsage(message)
    return Failure(message)


class Archived(click.Group):
    """Turns domain errors raised anywhere in a command into exit codes."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except NewsarchiveError as error:
            raise fail(error) from None
        except OSError as error:  # the index's or a capture's disk failing
            from newsarchive.storage import disk_error

            problem = disk_error(error, Config.load(ctx.find_root().obj).archive_dir)
            if problem is None:
                raise
            raise fail(problem) from None


@click.group(cls=Archived, context_settings=CONTEXT)
@click.option(
    "--archive",
    type=click.Path(file_okay=False, path_type=Path),
    help="Archive directory [default: $NEWSARCHIVE_HOME, else the user data directory].",
)
@click.version_option(__version__, prog_name="newsarchive")
@click.pass_context
def cli(ctx: click.Context, archive: Path | None) -> None:
    """Keep a personal, searchable archive of the news.

    News sites are crawled (or pages saved, or WARC files imported) into
    clean articles, kept with their raw capture, and indexed for instant
    full-text search.

    \b
    Start with:  newsarchive demo
    Then:        newsarchive crawl https://www.example-news.com/ --max-articles 100
                 newsarchive search 'climate AND "sea level"' --since 2024
    """
    ctx.obj = archive
    if ctx.invoked_subcommand not in SHORT_COMMANDS:
        gc.enable()  # paused by main() for start-up; long commands need it


def _archive(ctx: click.Context):
    from newsarchive.archive import Archive

    return Archive(Config.load(ctx.find_root().obj))


# -- extract ---------------------------------------------------------------


def _read_page(path: str) -> bytes:
    """A saved page's bytes (``-`` is stdin; ``.gz`` files are inflated),
    read only up to the size at which extraction refuses it anyway."""
    from newsarchive.extract import MAX_PAGE_BYTES

    limit = MAX_PAGE_BYTES + 1
    try:
        if path == "-":
            data = sys.stdin.buffer.read(limit)
        else:
            with open(path, "rb") as stream:
                data = stream.read(limit)
        if data[:2] == b"\x1f\x8b":
            import gzip

            with gzip.GzipFile(fileobj=io.BytesIO(data)) as inflated:
                data = inflated.read(limit)
    except OSError as error:
        raise BadInput(f"cannot read {path}: {error.strerror or error}") from None
    except EOFError:
        raise BadInput(f"{path} is a truncated gzip file") from None
    return data


def _check_url(url: str | None) -> None:
    from newsarchive.urls import is_web_url

    if url is not None and not is_web_url(url):
        raise BadInput(f"--url {url!r} is not a web address; give the page's http(s) URL")


@cli.command(context_settings=CONTEXT)
@click.argument("file", metavar="FILE|-")
@click.option("--url", help="Where the page was fetched from (else its canonical link).")
@output_options()
def extract(file: str, url: str | None, fmt: str) -> None:
    """Normalize one saved page and print the article; stores nothing.

    \b
    Example:
      newsarchive extract page.html --url https://example.com/2024/story --json
      curl -s https://example.com/story | newsarchive extract - --json
    """
    from newsarchive.errors import NoArticle
    from newsarchive.extract import extract_article

    _check_url(url)
    try:
        article = extract_article(_read_page(file), url)
    except NoArticle as rejected:
        if fmt == "json":
            print_json(None)
        raise Failure(f"no article in {file}: {rejected}") from None
    if fmt == "json":
        print_json(article.to_dict())
    else:
        from newsarchive.render import article_view

        stdout.print(article_view(article))


# -- add -------------------------------------------------------------------


def _expand(paths: tuple[str, ...]) -> list[str]:
    files: list[str] = []
    for path in paths:
        if path != "-" and Path(path).is_dir():
            found = sorted(
                str(p)
                for p in Path(path).rglob("*")
                if p.is_file() and p.name.lower().endswith(PAGE_SUFFIXES)
            )
            if not found:
                raise BadInput(f"{path} holds no saved pages ({', '.join(PAGE_SUFFIXES)})")
            files += found
        elif path != "-" and not Path(path).exists():
            raise BadInput(f"{path} does not exist")
        else:
            files.append(path)
    return files


def _progress(total: int | None, label: str, *, auto_refresh: bool = True):
    """A progress bar on stderr when it is a terminal. Without auto-refresh
    it runs no thread (the caller refreshes), which a command that forks needs."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=stderr.get(),
        transient=True,
        auto_refresh=auto_refresh,
        disable=(total is not None and total < 2) or not stderr.is_terminal,
    )


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, metavar="FILE|DIR|-...")
@click.option("--url", help="Where the page was fetched from (one FILE only).")
@output_options(jsonl=True)
@click.pass_context
def add(ctx: click.Context, files: tuple[str, ...], url: str | None, fmt: str) -> None:
    """Normalize saved pages into the archive and index them.

    Directories are searched for saved pages (.html, .htm, .html.gz). A page
    already archived is updated when its content changed (the old version is
    kept as a revision) and left alone otherwise.

    \b
    Example:
      newsarchive add story.html --url https://example.com/2024/05/story
      newsarchive add ~/saved-pages/
    """
    from newsarchive.pipeline import Page

    paths = _expand(files)
    _check_url(url)
    if url and len(paths) != 1:
        raise BadInput("--url names the address of one page; give exactly one FILE with it")
    if paths.count("-") > 1:
        raise BadInput("standard input (-) can be read only once")
    archive = _archive(ctx)

    def pages() -> Iterator[Page]:
        for path in paths:
            try:
                yield Page(path, _read_page(path), url)
            except BadInput as unreadable:
                yield Page(path, b"", url, unreadable=str(unreadable))

    with _progress(len(paths), "adding") as bar:
        task = bar.add_task("add", total=len(paths))

        def each(outcome) -> None:
            bar.advance(task)
            if fmt == "jsonl":
                print_jsonl([outcome.__dict__])
            elif fmt == "human":
                _print_outcome(outcome)

        report = archive.add(pages(), each=each)
    counts, reasons = report.counts(), report.reasons()
    if fmt == "json":
        print_json(
            {
                **counts,
                "skipped_by_reason": reasons,
                "indexed": report.index_error is None,
                "pages": [o.__dict__ for o in report.outcomes],
            }
        )
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "nothing"
    if reasons:
        summary += " (" + ", ".join(f"{reason} {n}" for reason, n in reasons.items()) + ")"
    note(f"{summary}; archive {archive.root}")
    _note_learnt(report)
    if report.index_error is not None:
        raise Failure(f"stored, but not indexed yet: {report.index_error}")
    if counts["skipped"]:
        raise Failure(f"{counts['skipped']} of {len(report.outcomes)} pages held no article")


def _note_learnt(report) -> None:
    for source, learnt in report.learnt.items():
        note(
            f"learnt {learnt} boilerplate paragraph{'s' if learnt != 1 else ''} of {source};"
            f" taken out of {report.cleaned.get(source, 0)} stored articles"
        )


def _print_outcome(outcome) -> None:
    from rich.text import Text

    if outcome.status == "skipped":
        line = Text("skipped   ", style="yellow")
        line.append(for_terminal(f"{outcome.name}: {outcome.message}"))
    else:
        line = Text(f"{outcome.status:<10}", style="green" if outcome.status == "new" else "")
        line.append(f"{outcome.article_id}  ", style="grey50")
        line.append(for_terminal(outcome.title or "(untitled)"))
        if outcome.access != "free":
            line.append(f"  ({outcome.access}: teaser only)", style="yellow")
    stdout.print(line)


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
    "-s", "settings", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting (repeatable)."
)
@output_options()
@click.pass_context
def crawl(ctx, targets, max_pages, max_articles, since, settings, fmt: str) -> None:
    """Crawl news sites: discover, capture, normalize, store and index.

    Finds articles through robots.txt, sitemaps (news sitemaps included),
    feeds and links; polite by default (robots.txt, Crawl-delay,
    AutoThrottle, two requests at a time per site); incremental (archived
    articles are not fetched again, feeds and sitemaps are fetched
    conditionally); resumable (a killed crawl continues where it stopped).
    Every response is kept in ARCHIVE/warc. Give URLs, or names of sources
    in sources.toml.

    \b
    Example:
      newsarchive crawl https://www.example-news.com/ --max-articles 200
      newsarchive crawl herald --since 2025-01 -s DOWNLOAD_DELAY=3
    """
    from newsarchive.crawl.settings import parse_overrides

    results = _archive(ctx).crawl(
        targets,
        max_pages=max_pages,
        max_articles=max_articles,
        since=_bound("since", since),
        overrides=parse_overrides(settings),
    )
    summaries = [result.summary() for result in results]
    if fmt == "json":
        print_json(summaries)
    else:
        from newsarchive.render import crawl_view

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
    from newsarchive.sources import add_source

    for url in urls:
        _check_url(url)
    archive = _archive(ctx)
    source = add_source(
        archive.sources_path, name, list(urls), every=every, cron=cron, settings=parse_overrides(settings)
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
    from newsarchive.sources import remove_source

    remove_source(_archive(ctx).sources_path, name)
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
    records = _archive(ctx).followed()
    from newsarchive.render import sources_view

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
    made once. A line per run goes to stderr, logs to ARCHIVE/logs/.

    \b
    Example:
      newsarchive schedule
      newsarchive schedule --print cron
    """
    from newsarchive.scheduler import Scheduler, cron_line, systemd_units

    archive = _archive(ctx)
    if print_for == "cron":
        stdout.print(cron_line(archive), soft_wrap=True)
        return
    if print_for == "systemd":
        sys.stdout.write(systemd_units(archive))
        return
    from newsarchive.sources import load_sources

    if not any(source.schedule for source in load_sources(archive.sources_path)):
        raise BadInput("no source has a schedule; add one with `newsarchive sources add NAME URL --every 1h`")
    scheduler = Scheduler(archive, max_parallel=max_parallel, say=lambda line: note(line))
    code = scheduler.run_once() if once else scheduler.run_forever()
    if code:
        raise Failure(f"{scheduler.failures} crawls failed; see ARCHIVE/logs")


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
    rows = _archive(ctx).runs(source=source, limit=limit)
    fields = ("id", "source", "started", "finished", "status", "pages", "new", "updated", "errors")
    records = [{name: row[name] for name in fields} for row in rows]
    from newsarchive.render import runs_view

    print_records(records, fmt, runs_view)


# -- import ----------------------------------------------------------------


@cli.command("import", context_settings=CONTEXT)
@click.argument(
    "warcs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="WARC..."
)
@output_options()
@click.pass_context
def import_(ctx, warcs: tuple[Path, ...], fmt: str) -> None:
    """Normalize the articles inside existing WARC files.

    Reads the HTML responses (e.g. of Common Crawl's CC-NEWS), passes over
    what the archive holds already, and keeps each article's response in
    the archive's own WARC files. A corrupt or truncated file is reported
    where it broke; the records before that are kept.

    \b
    Example:
      newsarchive import CC-NEWS-20240101000000-00000.warc.gz
    """
    for path in warcs:
        if not path.is_file():
            raise BadInput(f"{path} does not exist")
    archive = _archive(ctx)
    total = sum(path.stat().st_size for path in warcs)
    with _progress(total, "importing") as bar:
        task = bar.add_task("import", total=total)
        intake, tally = archive.import_warcs(warcs, progress=lambda done: bar.update(task, completed=done))
    counts = intake.counts(readable_only=True)
    reasons = intake.reasons(readable_only=True)
    index_error = intake.index_error
    report = {
        "records": tally.records,
        "new": counts["new"],
        "updated": counts["updated"],
        "unchanged": counts["unchanged"],
        "not_articles": reasons,
        "passed_over": dict(tally.passed_over.most_common()),
        "broken_files": tally.broken_files,
        "indexed": index_error is None,
    }
    if fmt == "json":
        print_json(report)
    else:
        stdout.print(
            f"{report['new']} new, {report['updated']} updated, {report['unchanged']} unchanged articles"
            f" from {tally.records} records"
        )
        for label in ("not_articles", "passed_over"):
            if report[label]:
                listed = ", ".join(f"{reason} {n}" for reason, n in report[label].items())
                note(f"{label.replace('_', ' ')}: {listed}")
    for broken in tally.broken_files:
        note(f"warning: {for_terminal(broken)}", style="yellow")
    if index_error is not None:
        raise Failure(f"stored, but not indexed yet: {index_error}")
    if tally.broken_files:
        raise Failure(
            f"{len(tally.broken_files)} of {len(warcs)} files are broken; their good records were kept"
        )


# -- search ----------------------------------------------------------------


def _bound(option: str, value: str | None):
    from newsarchive.dates import parse_bound
    from newsarchive.errors import BadDate

    if value is None:
        return None
    try:
        return parse_bound(value)
    except BadDate as error:
        raise BadDate(f"--{option}: {error}") from None


def _filter_options(command):
    for option in reversed(
        [
            click.option("--source", help="Only this site, e.g. jpost.com."),
            click.option("--author", help="Only articles by this author (a name or part of one)."),
            click.option(
                "--since", metavar="DATE", help="Published on or after DATE (2013, 2013-04, 2013-04-05)."
            ),
            click.option("--until", metavar="DATE", help="Published on or before DATE (same forms)."),
        ]
    ):
        command = option(command)
    return command


def _request(query, source, author, since, until, sort="relevance", limit=10, offset=0):
    from newsarchive.index.api import SearchRequest

    return SearchRequest(
        query=query,
        source=source,
        author=author,
        since=_bound("since", since),
        until=_bound("until", until),
        sort=sort,
        limit=limit,
        offset=offset,
    )


@cli.command(context_settings=CONTEXT)
@click.argument("query", nargs=-1, required=True)
@_filter_options
@click.option(
    "--sort",
    type=click.Choice(["relevance", "newest", "oldest"]),
    default="relevance",
    show_default=True,
    help="Order of results.",
)
@click.option(
    "--limit", type=click.IntRange(1, 10_000), default=10, show_default=True, help="Results to show."
)
@click.option("--offset", type=click.IntRange(0), default=0, help="Results to skip (for the next page).")
@output_options(jsonl=True)
@click.pass_context
def search(ctx, query, source, author, since, until, sort, limit, offset, fmt) -> None:
    """Search the archive; results come with highlighted snippets.

    Words are all required and stemmed ("trained" finds "training"). Use
    "exact phrases", AND, OR, NOT, -word, prefix*, (groups), and fields:
    title:, subtitle:, text:, author:, source:, section:, tag:, language:,
    published:2013-04.

    \b
    Example:
      newsarchive search hamas syria --since 2013-04 --sort newest
      newsarchive search '"tunnel beneath Damascus" OR title:kassam' --json
    """
    request = _request(" ".join(query), source, author, since, until, sort, limit, offset)
    page = _archive(ctx).search(request)
    if not page.indexed and page.behind:
        note(
            f"note: the search index is not built yet ({page.behind} changes to apply); the next command"
            " that writes, or `newsarchive reindex`, builds it"
        )
    elif page.behind:
        note(
            f"note: the index is {page.behind} changes behind the store; the next command that writes,"
            " or `newsarchive reindex`, catches it up"
        )
    records = [_hit_record(hit) for hit in page.hits]
    if fmt == "json":
        print_json(
            {
                "query": request.query,
                "total": page.total,
                "total_exact": page.exact,
                "index_behind": page.behind,
                "results": records,
            }
        )
    elif fmt == "jsonl":
        print_jsonl(records)
    elif sys.stdout.isatty():
        from newsarchive.render import results_view

        stdout.print(results_view(page))
    else:  # the same lines, plain: no need for rich in a pipe
        from newsarchive.layout import plain, results_layout

        sys.stdout.write(plain(results_layout(page)))


def _hit_record(hit) -> dict:
    article = hit.article
    return {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "source": article.source,
        "published": article.published,
        "access": article.access,
        "snippet": hit.snippet.text,
        "highlights": [list(span) for span in hit.snippet.highlights],
        "score": hit.score,
    }


# -- show ------------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.argument("ref", metavar="ID|URL")
@click.option("--text", "as_text", is_flag=True, help="The readable article as plain text.")
@click.option("--html", "as_html", is_flag=True, help="The captured page, as it was archived.")
@click.option(
    "--explain", is_flag=True, help="Say where each field's value came from (JSON-LD, byline, ...)."
)
@output_options()
@click.pass_context
def show(ctx, ref: str, as_text: bool, as_html: bool, explain: bool, fmt: str) -> None:
    """Show one article, by id (or its first 6+ digits) or URL.

    \b
    Example:
      newsarchive show 68188a3a
      newsarchive show https://www.jpost.com/Middle-East/Military-wing-of-Hamas-308937 --json --explain
    """
    if sum([as_text, as_html, fmt == "json"]) > 1:
        raise click.UsageError("give one of --text, --html, --json")
    archive = _archive(ctx)
    stored = archive.show(ref)
    if as_html:
        return _print_capture(archive, stored)
    if fmt == "json":
        record = stored.article.to_dict()
        if explain:
            record["explain"] = stored.article.provenance
        print_json(record)
    elif explain:
        from newsarchive.render import provenance_view

        stdout.print(provenance_view(stored.article))
    elif as_text:
        from newsarchive.render import article_text

        sys.stdout.write(article_text(stored.article))
    else:
        from newsarchive.render import article_view

        stdout.print(article_view(stored.article, revisions=stored.revisions))


def _print_capture(archive, stored) -> None:
    """The raw page: byte for byte into a pipe, made safe for a terminal."""
    page = archive.captured(stored)
    if sys.stdout.isatty():
        from newsarchive.extract.decode import decode_html

        sys.stdout.write(for_terminal(decode_html(page.payload, page.content_type)) + "\n")
    else:
        sys.stdout.buffer.write(page.payload)


# -- stats -----------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@output_options()
@click.pass_context
def stats(ctx, fmt: str) -> None:
    """What the archive holds: articles per source and month; index and crawl health.

    \b
    Example:
      newsarchive stats --json
    """
    numbers = _archive(ctx).stats()
    if fmt == "json":
        print_json(numbers)
    else:
        from newsarchive.render import stats_view

        stdout.print(stats_view(numbers))


# -- reindex ---------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@output_options()
@click.pass_context
def reindex(ctx, fmt: str) -> None:
    """Rebuild the search index from the store.

    Searches keep working on the old index while the new one is built; it
    replaces the old one when complete.

    \b
    Example:
      newsarchive reindex
    """
    archive = _archive(ctx)
    started = time.monotonic()
    with _progress(None, "indexing", auto_refresh=False) as bar:
        task = bar.add_task("index", total=None)
        count = archive.reindex(
            lambda done, total: bar.update(task, completed=done, total=total, refresh=True)
        )
    seconds = time.monotonic() - started
    if fmt == "json":
        print_json({"indexed": count, "seconds": round(seconds, 3)})
    else:
        stdout.print(f"indexed {count} article{'s' if count != 1 else ''} in {seconds:.1f} s")


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
    report = _archive(ctx).check(repair=repair, progress=progress)
    if fmt == "json":
        print_json(report.to_dict())
    else:
        from newsarchive.render import doctor_view

        stdout.print(doctor_view(report, repair))
    if not report.healthy:
        raise Failure(
            "problems remain" + ("" if repair else "; `newsarchive doctor --repair` mends those it can")
        )


# -- renormalize -----------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.option("--source", help="Only the articles of this site, e.g. jpost.com.")
@output_options()
@click.pass_context
def renormalize(ctx, source: str | None, fmt: str) -> None:
    """Re-extract stored articles from their raw captures.

    Uses the current extractor, the rules in sources.toml and what the
    archive has learnt about each site; updates only what changed, and
    indexes the changes. No page is fetched again.

    \b
    Example:
      newsarchive renormalize --source harbour-herald.example
    """
    archive = _archive(ctx)
    started = time.monotonic()
    source = source.strip().lower().removeprefix("www.") if source else None
    with _progress(None, "renormalizing") as bar:
        task = bar.add_task("renormalize", total=None)
        result = archive.renormalize(
            source=source, progress=lambda done, total: bar.update(task, completed=done, total=total)
        )
    counts, index_error = result.counts, result.index_error
    report = {
        "articles": sum(counts.values()),
        "counts": dict(counts.most_common()),
        "learnt": result.learnt,
        "seconds": round(time.monotonic() - started, 3),
    }
    if fmt == "json":
        print_json(report)
    else:
        parts = ", ".join(f"{n} {what}" for what, n in counts.most_common()) or "no articles"
        stdout.print(f"renormalized {report['articles']} articles in {report['seconds']:.1f} s: {parts}")
    if index_error is not None:
        raise Failure(f"stored, but not indexed yet: {index_error}")


# -- sites -----------------------------------------------------------------


@cli.group(context_settings=CONTEXT)
def sites() -> None:
    """What the archive knows about each site: your rules, what it learnt.

    Learnt from a site's own articles: its boilerplate (paragraphs found in
    many of its articles, left out of all of them) and how it writes
    numeric dates (day or month first). Forget an entry that is wrong, then
    `newsarchive renormalize --source SITE` applies it to stored articles.

    \b
    Example:
      newsarchive sites list jpost.com
      newsarchive sites forget jpost.com 2fc1083f
    """


@sites.command("list", context_settings=CONTEXT)
@click.argument("source", required=False)
@output_options(jsonl=True)
@click.pass_context
def sites_list(ctx, source: str | None, fmt: str) -> None:
    """Each site's rules and learnt knowledge (of one site, if given).

    \b
    Example:
      newsarchive sites list
      newsarchive sites list harbour-herald.example --json
    """
    records = _archive(ctx).site_knowledge(_site_name(source) if source else None)
    if fmt == "json":
        print_json(records)
    elif fmt == "jsonl":
        print_jsonl(records)
    else:
        from newsarchive.render import sites_view

        stdout.print(sites_view(records))


@sites.command("forget", context_settings=CONTEXT)
@click.argument("source")
@click.argument("entry", metavar="PARAGRAPH_ID|date-order")
@click.pass_context
def sites_forget(ctx, source: str, entry: str) -> None:
    """Forget a learnt paragraph (by the id `sites list` shows) or a learnt date order.

    A forgotten paragraph is never learnt again; a forgotten date order is
    learnt afresh from the articles to come.

    \b
    Example:
      newsarchive sites forget harbour-herald.example 2fc1083f
      newsarchive sites forget harbour-herald.example date-order
    """
    source = _site_name(source)
    forgotten = _archive(ctx).forget(source, entry.strip())
    stdout.print(
        f"forgot {forgotten}; `newsarchive renormalize --source {source}` applies it to stored articles"
    )


def _site_name(source: str) -> str:
    from newsarchive.urls import source_of

    name = source.strip().lower()
    return source_of(name) if "://" in name else name.removeprefix("www.")


# -- export ----------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.argument("query", nargs=-1)
@_filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    default="-",
    help="Write to this file [default: standard output].",
)
@click.pass_context
def export(ctx, query, source, author, since, until, fmt: str, output: str) -> None:
    """Stream article records out, for other tools.

    With a QUERY (same language as search), only the matching articles,
    newest first; without one, every article.

    \b
    Example:
      newsarchive export --format csv -o archive.csv
      newsarchive export 'title:election' --since 2024 > election.jsonl
    """
    archive = _archive(ctx)
    request = _request(" ".join(query), source, author, since, until, sort="newest", limit=0)
    if output == "-":
        count = archive.export(request, fmt, sys.stdout)
    else:
        archive.require()  # before the output file is made
        try:
            stream = open(output, "w", encoding="utf-8", newline="")  # noqa: SIM115 (with below)
        except OSError as error:
            raise BadInput(f"cannot write {output}: {error.strerror}") from None
        with stream:
            count = archive.export(request, fmt, stream)
    note(f"exported {count} articles")


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
    from newsarchive.demo import run_demo

    run_demo(ctx.find_root().obj)


def main() -> None:
    # Start-up allocates a great deal (click, then Whoosh for a search) and
    # keeps all of it; the cyclic collector would walk it over and over for
    # nothing (~7 ms of a search). Paused until the command is known.
    gc.disable()
    try:
        cli(prog_name="newsarchive")
    except KeyboardInterrupt:
        note("interrupted")
        sys.exit(130)
    finally:
        # The command is done and has closed what it opened. Python's last
        # garbage collection at exit would walk every object the libraries
        # made (Whoosh and its imports: ~15 ms of a ~130 ms search); frozen
        # objects are left to the operating system to reclaim.
        gc.freeze()
