"""Copies of a story: where else it ran, and how the copies differ."""

from __future__ import annotations

import click

from newsarchive.cli.output import output_options, print_json, stdout
from newsarchive.cli.root import CONTEXT, archive_of, cli
from newsarchive.index.records import cluster_record
from newsarchive.sanitize import for_terminal


@cli.command(context_settings=CONTEXT)
@click.argument("ref", metavar="ID|URL")
@output_options()
@click.pass_context
def copies(ctx, ref: str, fmt: str) -> None:
    """Where else an article's story ran (its cluster: named by its
    earliest article, the sources oldest first): the copies found when each was
    stored (the same text, or most of it, verified word for word), oldest
    first, with how each relates to this one: identical, near (a few words
    changed), trimmed (cut from it), extended (it and more), partial.

    \b
    Example:
      newsarchive copies 68188a3a
      newsarchive copies https://www.example-news.com/story --json
    """
    archive = archive_of(ctx)
    stored = archive.show(ref)
    article = stored.article
    cluster, found = archive.copies(stored)
    record = {
        "id": article.id,
        "cluster": cluster_record(article, cluster),
        "copies": [
            {
                "id": other.id,
                "url": other.url,
                "source": other.source,
                "title": other.title,
                "word_count": other.word_count,
                "relation": relation.label if relation else "via other copies",
                "containment": relation.containment if relation else None,
            }
            for other, relation in found
        ],
    }
    if fmt == "json":
        print_json(record)
        return
    stdout.print(for_terminal(f"{article.title}\n{article.url}  ({article.word_count} words)"))
    if not found:
        stdout.print("no copies in the archive")
        return
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for column in ("relation", "shared", "source", "words", "title / url"):
        table.add_column(column, justify="right" if column in ("shared", "words") else "left")
    for copy in record["copies"]:
        shared = f"{copy['containment']:.0%}" if copy["containment"] is not None else ""
        headline = copy["title"] if copy["title"] != article.title else "(same headline)"
        table.add_row(
            copy["relation"], shared, for_terminal(copy["source"]), f"{copy['word_count']:+d}".lstrip("+"),
            for_terminal(f"{headline}\n{copy['url']}"),
        )  # fmt: skip
    stdout.print(table)
