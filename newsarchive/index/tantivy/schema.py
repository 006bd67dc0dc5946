"""What a tantivy index holds for each article, and how text becomes terms.

As in the Whoosh engine: the index keeps only the article id and a short
content hash; everything shown is read from the store. Words are split at
every character that is not a letter or digit (tantivy's simple
tokenizer), lowercased and accent-folded, and stemmed in prose fields;
names (authors, tags) are kept whole word by word, one value per name, so
a phrase cannot run from one author into the next.

Whoosh keeps "U.S." or "3.5" as one word; here they are two terms side by
side, and the query side reads a word Whoosh keeps whole as a phrase of
its pieces (search.py), so both engines find the same articles. Splitting
with Whoosh's own pattern (a regex tokenizer) cost 3x the indexing time.
"""

from __future__ import annotations

import functools
from pathlib import Path

import tantivy

# Words as Whoosh's default tokenizer finds them: what a query's word is.
WORD_PATTERN = r"[\w\*]+(?:\.?[\w\*]+)*"
# Analyzers, registered under these names on every Index object (tantivy
# keeps only their names in the index).
STEMMED, NAMES = "na_stemmed", "na_names"
FIELD_ANALYZER = {
    "title": STEMMED,
    "subtitle": STEMMED,
    "text": STEMMED,
    "past": STEMMED,  # earlier versions' text, searched only with --all-versions
    "author": NAMES,
    "tag": NAMES,
    "section": NAMES,
}
RAW_FIELDS = ("source", "language")
# The field each facet (index.api.FACET_FIELDS) is counted on: columns of
# the values as shown (a fast field per name), read by aggregations.
FACET_INDEX_FIELDS = {"source": "source", "author": "facet_author", "section": "facet_section", "day": "day"}
# Relevance weight of a match in each default field.
BOOSTS = {"title": 3.0, "subtitle": 1.5}
# Sort keys: the instant (UTC seconds), undated articles last either way.
UNDATED = -(2**62)


@functools.cache
def analyzers() -> dict[str, tantivy.TextAnalyzer]:
    """The analyzers by name, built once a process."""

    def words() -> tantivy.TextAnalyzerBuilder:
        return (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
        )

    return {STEMMED: words().filter(tantivy.Filter.stemmer("english")).build(), NAMES: words().build()}


def opened(where: Path) -> tantivy.Index:
    """The index in `where`, its analyzers registered."""
    index = tantivy.Index.open(str(where))
    for name, analyzer in analyzers().items():
        index.register_tokenizer(name, analyzer)
    return index


def has_field(schema: tantivy.Schema, name: str) -> bool:
    """Whether an index's schema has a field (an index built by an older
    release may lack one added since)."""
    try:
        tantivy.Query.term_query(schema, name, "")
    except ValueError:
        return False
    return True


def has_facets(schema: tantivy.Schema) -> bool:
    """Whether an index keeps the facet columns (one built before them
    does not, and its source field is no column)."""
    return has_field(schema, "facet_author")


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("hash", stored=True, tokenizer_name="raw")
    for name, analyzer in FIELD_ANALYZER.items():
        builder.add_text_field(name, tokenizer_name=analyzer, index_option="position")
    for name in RAW_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=name in FACET_INDEX_FIELDS.values())
    for name in FACET_INDEX_FIELDS.values():
        if name not in RAW_FIELDS:
            builder.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_date_field("published", indexed=True, fast=True)
    builder.add_integer_field("newest", fast=True)
    builder.add_integer_field("oldest", fast=True)
    return builder.build()
