"""What the search index holds for each article, and how text is analyzed.

The index stores only the article id (and a short content hash, to check
it against the store): titles, snippets and every field a result shows are
read from the store for the hits on the page shown. That keeps the index
half the size and makes the store the single source of every displayed
value.
"""

from __future__ import annotations

from datetime import datetime

from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.fields import DATETIME, ID, NUMERIC, TEXT, Schema
from whoosh.support.charset import accent_map

from newsarchive.article import Article
from newsarchive.dates import utc, wall_clock

# Bump when the schema or an analyzer changes: an index with another format
# is rebuilt from the store instead of being read wrongly.
INDEX_FORMAT = 2


def _words():
    # Accents folded so "Zurich" finds "Zürich"; no stop words, because
    # dropping them breaks phrase queries such as "the Times of London".
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def _stemmed():
    return _words() | StemFilter(cachesize=50_000)


# Values of a list field (authors, tags) are joined with this separator; the
# analyzer turns it into a gap in positions, so a phrase never spans two
# values ("Smith Jane" does not match "John Smith | Jane Doe").
LIST_SEPARATOR = " | "


class _ValueGapFilter(Filter):
    def __call__(self, tokens):
        gap = 0
        for token in tokens:
            if token.text == "|":
                gap += 1
                continue
            if gap and token.positions:
                token.pos += gap
            yield token


def _listed():
    return (
        RegexTokenizer(r"\w+(\.?\w+)*|\|") | _ValueGapFilter() | LowercaseFilter() | CharsetFilter(accent_map)
    )


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        # Stored so `doctor` can tell an index entry from an outdated one.
        hash=ID(stored=True),
        title=TEXT(analyzer=_stemmed(), field_boost=3.0),
        subtitle=TEXT(analyzer=_stemmed(), field_boost=1.5),
        text=TEXT(analyzer=_stemmed()),
        author=TEXT(analyzer=_listed()),
        source=ID(),
        section=TEXT(analyzer=_words()),
        tag=TEXT(analyzer=_listed()),
        language=ID(),
        # Date filters use the wall-clock time printed on the page, sorting
        # uses the instant (UTC); undated articles sort last either way.
        published=DATETIME(),
        instant=NUMERIC(numtype=int, bits=64, sortable=True),
        dated=NUMERIC(numtype=int, bits=8, sortable=True),
    )


# Fields a query can name, as users type them.
QUERY_FIELDS = ("title", "subtitle", "text", "author", "source", "section", "tag", "language")
# Fields searched by words with no field named.
DEFAULT_FIELDS = ("title", "subtitle", "text", "author", "tag")


def document(article: Article) -> dict:
    """The index document for an article: pure."""
    doc = {
        "id": article.id,
        "hash": article.content_hash[:16],
        "title": article.title,
        "text": article.text,
        "source": article.source,
    }
    if article.subtitle:
        doc["subtitle"] = article.subtitle
    if article.authors:
        doc["author"] = LIST_SEPARATOR.join(article.authors)
    if article.section:
        doc["section"] = article.section
    if article.tags:
        doc["tag"] = LIST_SEPARATOR.join(article.tags)
    if article.language:
        doc["language"] = article.language
    local, instant = wall_clock(article.published), utc(article.published)
    if local is not None and instant is not None:
        doc["published"] = local
        doc["instant"] = int((instant - datetime(1970, 1, 1)).total_seconds())
        doc["dated"] = 1
    else:
        doc["dated"] = 0
    return doc
