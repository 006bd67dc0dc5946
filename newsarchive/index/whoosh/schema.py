"""What the search index holds for each article (analysis.py says how text becomes terms).

The index stores only the article id (and a short content hash, to check
it against the store): titles, snippets and every field a result shows are
read from the store for the hits on the page shown. That keeps the index
half the size and makes the store the single source of every displayed
value.
"""

from __future__ import annotations

from datetime import datetime

from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, TEXT, Schema

from newsarchive.article import Article
from newsarchive.dates import utc, wall_clock
from newsarchive.index.whoosh import INDEX_FORMAT  # noqa: F401  (the format of this schema)
from newsarchive.index.whoosh.analysis import (
    LIST_SEPARATOR,
    ValueGapFilter,
    listed_names,
    stemmed_words,
    words,
)
from newsarchive.index.whoosh.codec import with_position_postings

# Indexes of format 2 pickled the filter under this name; kept so that one
# can still be opened (by `doctor`) before it is rebuilt.
_ValueGapFilter = ValueGapFilter


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        # Stored so `doctor` can tell an index entry from an outdated one.
        hash=ID(stored=True),
        title=with_position_postings(TEXT(analyzer=stemmed_words(), field_boost=3.0)),
        subtitle=with_position_postings(TEXT(analyzer=stemmed_words(), field_boost=1.5)),
        text=with_position_postings(TEXT(analyzer=stemmed_words())),
        # Earlier versions' text, searched only with --all-versions.
        past=with_position_postings(TEXT(analyzer=stemmed_words())),
        author=with_position_postings(TEXT(analyzer=listed_names())),
        source=ID(),
        section=with_position_postings(TEXT(analyzer=words())),
        tag=with_position_postings(TEXT(analyzer=listed_names())),
        language=ID(),
        # Date filters use the wall-clock time printed on the page, sorting
        # uses the instant (UTC); undated articles sort last either way.
        published=DATETIME(),
        instant=NUMERIC(numtype=int, bits=64, sortable=True),
        dated=NUMERIC(numtype=int, bits=8, sortable=True),
        # Values as shown, counted by `search --facets` and `--timeline`.
        facet_author=KEYWORD(commas=True, lowercase=False, scorable=False),
        facet_section=ID(),
        day=ID(),
    )


# The index field each facet (index.api.FACET_FIELDS) is counted on.
FACET_INDEX_FIELDS = {"source": "source", "author": "facet_author", "section": "facet_section", "day": "day"}


def document(article: Article, past: str | None = None) -> dict:
    """The index document for an article (and its earlier versions' text): pure."""
    doc: dict[str, object] = {
        "id": article.id,
        "hash": article.content_hash[:16],
        "title": article.title,
        "text": article.text,
        "source": article.source,
    }
    if article.subtitle:
        doc["subtitle"] = article.subtitle
    if past:
        doc["past"] = past
    if article.authors:
        doc["author"] = LIST_SEPARATOR.join(article.authors)
        # A comma separates the field's values: one inside a name becomes a space.
        doc["facet_author"] = ",".join(name.replace(",", " ") for name in article.authors)
    if article.section:
        doc["section"] = article.section
        doc["facet_section"] = article.section
    if article.tags:
        doc["tag"] = LIST_SEPARATOR.join(article.tags)
    if article.language:
        doc["language"] = article.language
    local, instant = wall_clock(article.published), utc(article.published)
    if local is not None and instant is not None:
        doc["published"] = local
        doc["day"] = local.date().isoformat()
        doc["instant"] = int((instant - datetime(1970, 1, 1)).total_seconds())
        doc["dated"] = 1
    else:
        doc["dated"] = 0
    return doc
