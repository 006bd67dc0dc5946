"""Reading the archive: search, show, export, stats, sites."""

from __future__ import annotations

import sys

import click

from newsarchive.cli.hits import print_page
from newsarchive.cli.options import filter_options, search_request
from newsarchive.cli.output import (
    note,
    output_options,
    print_json,
    print_jsonl,
    stdout,
)
from newsarchive.cli.root import CONTEXT, archive_of, cli
from newsarchive.errors import BadInput
from newsarchive.sanitize import for_terminal

# -- search ----------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.argument("query", nargs=-1, required=True)
@filter_options
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
@click.option(
    "--all", "all_copies", is_flag=True, help="Every copy of a story as a result (else one per story)."
)
@click.option(
    "--facets",
    metavar="LIST",
    help="Also count all matches by source, author, section, month (comma-separated).",
)
@click.option(
    "--timeline",
    type=click.Choice(["day", "week", "month"]),
    help="Also draw all matches over time, per day, week or month.",
)
@output_options(jsonl=True)
@click.pass_context
def search(
    ctx, query, source, author, since, until, changed_since, all_versions, sort, limit, offset,
    all_copies, facets, timeline, fmt,
) -> None:  # fmt: skip
    """Search the archive; results come with highlighted snippets.

    Words are all required and stemmed ("trained" finds "training"). Use
    "exact phrases", AND, OR, NOT, -word, prefix*, (groups), and fields:
    title:, subtitle:, text:, author:, source:, section:, tag:, language:,
    published:2013-04. --all-versions also finds text an article no
    longer has (one result per article); --changed-since only articles
    edited since a date.

    A story many sites ran is one result, "also in N sources" under it
    (`newsarchive copies ID` lists them); --all shows every copy.
    --facets and --timeline count every match (copies included), from
    the index.

    \b
    Example:
      newsarchive search hamas syria --since 2013-04 --sort newest
      newsarchive search '"tunnel beneath Damascus" OR title:kassam' --json
      newsarchive search '"4.2 million"' --all-versions --changed-since 2026-11
      newsarchive search ceasefire --facets source,month --timeline week
    """
    request = search_request(
        " ".join(query), source, author, since, until, sort, limit, offset, changed_since, all_versions,
        all_copies,
    )  # fmt: skip
    archive = archive_of(ctx)
    wanted = _facets_option(facets)
    page = archive.search(request)
    shape: dict = {}
    if wanted or timeline:
        from newsarchive.index.facets import engine_fields, facet_counts
        from newsarchive.index.facets import timeline as drawn_over

        fields = engine_fields([*wanted, *(["month"] if timeline else [])])
        counted = archive.facets(request, fields)
        if wanted:
            shape["facets"] = facet_counts(counted.counts, wanted)
        if timeline:
            shape["timeline"] = (timeline, drawn_over(counted.counts["day"], timeline))
        shape["exact"] = counted.exact
        if not counted.exact:
            note("note: a facet has more values than the index counts at once; its counts are estimates")
    print_page(page, fmt, shape)


def _facets_option(text: str | None) -> list[str]:
    if text is None:
        return []
    from newsarchive.index.facets import parse_facets

    try:
        return parse_facets(text)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--facets") from None


# -- show ------------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.argument("ref", metavar="ID|URL")
@click.option("--text", "as_text", is_flag=True, help="The readable article as plain text.")
@click.option("--html", "as_html", is_flag=True, help="The captured page, as it was archived.")
@click.option(
    "--explain", is_flag=True, help="Say where each field's value came from (JSON-LD, byline, ...)."
)
@click.option("--version", "version", type=int, metavar="N",
              help="An earlier version (see `history`): its text, or with --html its captured page.")  # fmt: skip
@output_options()
@click.pass_context
def show(ctx, ref: str, as_text: bool, as_html: bool, explain: bool, version: int | None, fmt: str) -> None:
    """Show one article, by id (or its first 6+ digits) or URL.

    \b
    Example:
      newsarchive show 68188a3a
      newsarchive show 68188a3a --version 1 --html > first.html
      newsarchive show https://www.jpost.com/Middle-East/Military-wing-of-Hamas-308937 --json --explain
    """
    if sum([as_text, as_html, fmt == "json"]) > 1:
        raise click.UsageError("give one of --text, --html, --json")
    archive = archive_of(ctx)
    stored = archive.show(ref)
    if as_html:
        return _print_capture(archive, stored, version)
    if version is not None:
        chosen = archive.version(stored, version)
        stored = stored._replace(
            article=stored.article.replace(
                title=chosen.title or "", subtitle=chosen.subtitle, text=chosen.text or "",
                modified=chosen.modified, authors=chosen.authors, fetched=chosen.observed,
            )
        )  # fmt: skip
    if fmt == "json":
        record = stored.article.to_dict()
        if explain:
            record["explain"] = stored.article.provenance
        print_json(record)
    elif explain:
        from newsarchive.cli.views import provenance_view

        stdout.print(provenance_view(stored.article))
    elif as_text:
        from newsarchive.cli.views import article_text

        sys.stdout.write(article_text(stored.article))
    else:
        from newsarchive.cli.views import article_view
        from newsarchive.versions.report import summary_line

        history = (
            summary_line(archive.versions(stored), stored.article.published) if stored.revisions else None
        )
        stdout.print(article_view(stored.article, history=history))


def _print_capture(archive, stored, version: int | None = None) -> None:
    """The raw page: byte for byte into a pipe, made safe for a terminal."""
    page = archive.captured(stored, version)
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
    numbers = archive_of(ctx).stats()
    if fmt == "json":
        print_json(numbers)
    else:
        from newsarchive.cli.views import stats_view

        stdout.print(stats_view(numbers))


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
    from newsarchive.urls import site_name

    records = archive_of(ctx).site_knowledge(site_name(source) if source else None)
    if fmt == "json":
        print_json(records)
    elif fmt == "jsonl":
        print_jsonl(records)
    else:
        from newsarchive.cli.views import sites_view

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
    from newsarchive.urls import site_name

    source = site_name(source)
    forgotten = archive_of(ctx).forget(source, entry.strip())
    stdout.print(
        f"forgot {forgotten}; `newsarchive renormalize --source {source}` applies it to stored articles"
    )


# -- export ----------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.argument("query", nargs=-1)
@filter_options
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
def export(
    ctx, query, source, author, since, until, changed_since, all_versions, fmt: str, output: str
) -> None:
    """Stream article records out, for other tools.

    With a QUERY (same language as search), only the matching articles,
    newest first; without one, every article.

    \b
    Example:
      newsarchive export --format csv -o archive.csv
      newsarchive export 'title:election' --since 2024 > election.jsonl
    """
    archive = archive_of(ctx)
    request = search_request(
        " ".join(query), source, author, since, until, sort="newest", limit=0,
        changed_since=changed_since, all_versions=all_versions,
    )  # fmt: skip
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
