"""A page of search hits, printed: one JSON document, JSON Lines, or the
human lines (rich on a terminal, plain into a pipe). Shared by the click
command (reading.py) and the quick path (quick.py), so both print the same.
"""

from __future__ import annotations

import sys

from newsarchive.cli.output import note, print_json, print_jsonl, stdout


def print_page(page, fmt: str) -> None:
    """`page` (an index.api.SearchPage) as `fmt`: "json", "jsonl" or "human"."""
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
    if not page.earlier_indexed:
        note(
            "note: this index was built before it held earlier versions, so only current texts were"
            " searched; `newsarchive reindex` adds them"
        )
    records = [hit_record(hit) for hit in page.hits]
    if fmt == "json":
        print_json(
            {
                "query": page.request.query,
                "total": page.total,
                "total_exact": page.exact,
                "index_behind": page.behind,
                "results": records,
            }
        )
    elif fmt == "jsonl":
        print_jsonl(records)
    elif sys.stdout.isatty():
        from newsarchive.cli.views import results_view

        stdout.print(results_view(page))
    else:  # the same lines, plain: no need for rich in a pipe
        from newsarchive.cli.lines import plain, results_layout

        sys.stdout.write(plain(results_layout(page)))


def hit_record(hit) -> dict:
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
