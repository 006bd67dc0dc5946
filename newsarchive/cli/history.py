"""An article's versions: history and diff."""

from __future__ import annotations

import sys

import click

from newsarchive.cli.output import output_options, print_json, stdout
from newsarchive.cli.root import CONTEXT, BadUsage, archive_of, cli
from newsarchive.sanitize import for_terminal


@cli.command(context_settings=CONTEXT)
@click.argument("ref", metavar="ID|URL")
@output_options()
@click.pass_context
def history(ctx, ref: str, fmt: str) -> None:
    """Every version of an article: when it was seen, its dateModified, how
    many words it gained or lost and what changed (headline, subtitle,
    body, correction, stealth); and the fetches that made no version (a
    revert, a degraded page, a live blog's new entries).

    \b
    Example:
      newsarchive history 68188a3a
      newsarchive history https://www.example-news.com/story --json
    """
    from newsarchive.versions.report import history_record

    archive = archive_of(ctx)
    stored = archive.show(ref)
    record = history_record(stored.article, archive.versions(stored, notes=True))
    if fmt == "json":
        print_json(record)
        return
    from rich.table import Table

    from newsarchive.versions.report import when

    stdout.print(for_terminal(f"{stored.article.title}\n{stored.article.url}"))
    table = Table(box=None, pad_edge=False)
    for column in ("version", "observed", "modified", "words", "changes"):
        table.add_column(column, justify="right" if column in ("version", "words") else "left")
    for row in record["versions"]:
        if "note" in row:
            table.add_row("", when(row["observed"]), "", "", for_terminal(row["text"]), style="dim")
            continue
        change = row["words_changed"]
        words = f"{row['word_count']}" if change is None else f"{row['word_count']} ({change:+d})"
        table.add_row(
            f"v{row['version']}",
            when(row["observed"]),
            when(row["modified"]),
            words,
            ", ".join(row["changes"]),
        )
    stdout.print(table)


@cli.command(context_settings=CONTEXT)
@click.argument("ref", metavar="ID|URL")
@click.argument("versions", nargs=-1, type=int, metavar="[A [B]]")
@click.option("--context", "context_lines", type=click.IntRange(0), default=1, show_default=True,
              help="Unchanged paragraphs shown around each change.")  # fmt: skip
@output_options()
@click.pass_context
def diff(ctx, ref: str, versions: tuple[int, ...], context_lines: int, fmt: str) -> None:
    """What changed between two versions of an article (default: the one
    before the latest against the latest; A alone: A against the latest).
    The headline as a word diff; the body paragraph by paragraph, words
    marked inside an edited one, moved paragraphs labelled. Into a pipe,
    removed words are written [-like this-] and added ones {+like this+}.

    \b
    Example:
      newsarchive diff 68188a3a
      newsarchive diff 68188a3a 1 3 --context 0
    """
    from newsarchive.versions.report import diff_lines, diff_record, plain

    if len(versions) > 2:
        raise BadUsage("give at most two version numbers: diff ID [A [B]]")
    archive = archive_of(ctx)
    stored = archive.show(ref)
    found = archive.versions(stored)
    if len(found) < 2 and not versions:
        raise BadUsage(f"article {stored.article.id} has one version only: nothing to compare")
    old = archive.version(stored, versions[0], found) if versions else found[-2]
    new = archive.version(stored, versions[1], found) if len(versions) > 1 else found[-1]
    if fmt == "json":
        print_json(diff_record(stored.article.id, old, new))
        return
    lines = diff_lines(old, new, context=context_lines)
    if not sys.stdout.isatty():
        sys.stdout.write(for_terminal(plain(lines)))
        return
    from rich.text import Text

    styles = {"del": "red strike", "ins": "green bold", "head": "bold", "dim": "dim"}
    for line in lines:
        text = Text()
        for piece in line:
            text.append(for_terminal(piece.text), style=styles.get(piece.mark, ""))
        stdout.print(text)
