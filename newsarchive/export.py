"""Article records out, as JSON Lines or CSV, streamed in batches."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import TextIO

from newsarchive.article import RECORD_FIELDS, Article
from newsarchive.index.api import SearchEngine, SearchRequest, has_filters
from newsarchive.store import Articles

# Articles read from the store per query when exporting search matches.
BATCH = 500


def _articles(engine: SearchEngine, store: Articles, request: SearchRequest) -> Iterator[Article]:
    if not request.query.strip() and not has_filters(request):
        yield from store.iter_articles()
        return
    ids = engine.matching_ids(request)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        found = store.get_many(chunk)
        yield from (found[i] for i in chunk if i in found)


def csv_row(record: dict) -> dict:
    """Lists joined with "; ", images as JSON: one flat row a spreadsheet reads."""
    row = dict(record)
    row["authors"] = "; ".join(record["authors"])
    row["tags"] = "; ".join(record["tags"])
    row["images"] = json.dumps(record["images"], ensure_ascii=False)
    return row


def write_records(
    engine: SearchEngine, store: Articles, request: SearchRequest, fmt: str, stream: TextIO
) -> int:
    count = 0
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=RECORD_FIELDS)
        writer.writeheader()
    for article in _articles(engine, store, request):
        record = article.to_dict()
        if writer:
            writer.writerow(csv_row(record))
        else:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
