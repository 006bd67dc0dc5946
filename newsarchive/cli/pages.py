"""Pages into the archive: extract, add, import, renormalize."""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click

from newsarchive.cli.options import check_url
from newsarchive.cli.output import (
    note,
    output_options,
    print_json,
    print_jsonl,
    progress_bar,
    stdout,
)
from newsarchive.cli.root import CONTEXT, Failure, archive_of, cli
from newsarchive.errors import BadInput
from newsarchive.sanitize import for_terminal
from newsarchive.urls import site_name

# Saved pages read from a directory.
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")


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

    check_url(url)
    try:
        article = extract_article(_read_page(file), url)
    except NoArticle as rejected:
        if fmt == "json":
            print_json(None)
        raise Failure(f"no article in {file}: {rejected}") from None
    if fmt == "json":
        print_json(article.to_dict())
    else:
        from newsarchive.cli.views import article_view

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


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, metavar="FILE|DIR|-...")
@click.option("--url", help="Where the page was fetched from (one FILE only).")
@output_options(jsonl=True)
@click.pass_context
def add(ctx: click.Context, files: tuple[str, ...], url: str | None, fmt: str) -> None:
    """Normalize saved pages into the archive and index them.

    Directories are searched for saved pages (.html, .htm, .html.gz). A page
    already archived is a new version when its text changed (see `history`),
    and left alone when only noise differs or it came back thin (a teaser,
    a wall).

    \b
    Example:
      newsarchive add story.html --url https://example.com/2024/05/story
      newsarchive add ~/saved-pages/
    """
    from newsarchive.page import Page

    paths = _expand(files)
    check_url(url)
    if url and len(paths) != 1:
        raise BadInput("--url names the address of one page; give exactly one FILE with it")
    if paths.count("-") > 1:
        raise BadInput("standard input (-) can be read only once")
    archive = archive_of(ctx)

    def pages() -> Iterator[Page]:
        for path in paths:
            try:
                yield Page(path, _read_page(path), url)
            except BadInput as unreadable:
                yield Page(path, b"", url, unreadable=str(unreadable))

    with progress_bar(len(paths), "adding") as bar:
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
        if outcome.access != "free" and outcome.version != "degraded":
            line.append(f"  ({outcome.access}: teaser only)", style="yellow")
        if outcome.version in _VERSION_NOTES:
            note = _VERSION_NOTES[outcome.version].format(reason=outcome.message or "")
            line.append(f"  ({note})", style="yellow" if outcome.version == "degraded" else "")
    stdout.print(line)


# What a page was to the article archived before it (pipeline.Outcome.version).
_VERSION_NOTES = {
    "version": "a new version; see `newsarchive history`",
    "revert": "back to an earlier version",
    "append": "new live blog entries",
    "degraded": "degraded fetch, {reason}: kept as it was",
}


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
    archive = archive_of(ctx)
    total = sum(path.stat().st_size for path in warcs)
    with progress_bar(total, "importing") as bar:
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
    archive = archive_of(ctx)
    started = time.monotonic()
    source = site_name(source) if source else None
    with progress_bar(None, "renormalizing") as bar:
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
