"""A page of search hits, printed: one JSON document, JSON Lines, or the
human lines (rich on a terminal, plain into a pipe). Shared by the click
command (reading.py) and the quick path (quick.py), so both print the same.
"""

from __future__ import annotations

import sys

from newsarchive.cli.output import note, print_json, print_jsonl, stdout
from newsarchive.index.records import hit_record


def print_page(page, fmt: str, shape: dict | None = None) -> None:
    """`page` (an index.api.SearchPage) as `fmt`: "json", "jsonl" or
    "human"; `shape`: the matches' "facets" and "timeline", when asked."""
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
    records = [hit_record(hit, page.clusters) for hit in page.hits]
    shape = shape or {}
    if fmt == "json":
        document = {
            "query": page.request.query,
            "total": page.total,
            "total_exact": page.exact,
            "stories": page.stories,
            "copies_folded": not page.request.all_copies,
            "index_behind": page.behind,
            "results": records,
        }
        if "facets" in shape:
            document["facets"] = {
                name: [list(pair) for pair in pairs] for name, pairs in shape["facets"].items()
            }
        if "timeline" in shape:
            period, counts = shape["timeline"]
            document["timeline"] = {"period": period, "counts": [list(pair) for pair in counts]}
        if "exact" in shape:
            document["counts_exact"] = shape["exact"]
        print_json(document)
    elif fmt == "jsonl":
        print_jsonl(records)
    else:
        from newsarchive.cli.lines import plain, results_layout, shape_layout

        lines = results_layout(page) + shape_layout(shape)
        if sys.stdout.isatty():
            from newsarchive.cli.views import drawn

            stdout.print(drawn(lines))
        else:  # the same lines, plain: no need for rich in a pipe
            sys.stdout.write(plain(lines))
