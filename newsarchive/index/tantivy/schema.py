"""What a tantivy index holds for each article, and how text becomes terms.

As in the Whoosh engine: the index keeps only the article id and a short
content hash; everything shown is read from the store. Words are split as
Whoosh splits them, lowercased and accent-folded, and stemmed in prose
fields; names (authors, tags) are kept whole word by word, one value per
name, so a phrase cannot run from one author into the next.
"""

from __future__ import annotations

from datetime import datetime

import tantivy

from newsarchive.article import Article
from newsarchive.dates import utc, wall_clock

# Words as Whoosh's default tokenizer finds them.
WORD_PATTERN = r"[\w\*]+(?:\.?[\w\*]+)*"
# Analyzers, registered under these names on every Index object (tantivy
# keeps only their names in the index).
STEMMED, NAMES = "na_stemmed", "na_names"
FIELD_ANALYZER = {
    "title": STEMMED,
    "subtitle": STEMMED,
    "text": STEMMED,
    "author": NAMES,
    "tag": NAMES,
    "section": NAMES,
}
RAW_FIELDS = ("source", "language")
# Relevance weight of a match in each default field.
BOOSTS = {"title": 3.0, "subtitle": 1.5}
# Sort keys: the instant (UTC seconds), undated articles last either way.
UNDATED = -(2**62)


def analyzers() -> dict[str, tantivy.TextAnalyzer]:
    def words() -> tantivy.TextAnalyzerBuilder:
        return (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(WORD_PATTERN))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
        )

    return {STEMMED: words().filter(tantivy.Filter.stemmer("english")).build(), NAMES: words().build()}


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("hash", stored=True, tokenizer_name="raw")
    for name, analyzer in FIELD_ANALYZER.items():
        builder.add_text_field(name, tokenizer_name=analyzer, index_option="position")
    for name in RAW_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw")
    builder.add_date_field("published", indexed=True, fast=True)
    builder.add_integer_field("newest", fast=True)
    builder.add_integer_field("oldest", fast=True)
    return builder.build()


def document(article: Article) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("id", article.id)
    doc.add_text("hash", article.content_hash[:16])
    doc.add_text("title", article.title)
    if article.subtitle:
        doc.add_text("subtitle", article.subtitle)
    doc.add_text("text", article.text)
    for name in article.authors:
        doc.add_text("author", name)
    for name in article.tags:
        doc.add_text("tag", name)
    if article.section:
        doc.add_text("section", article.section)
    doc.add_text("source", article.source)
    if article.language:
        doc.add_text("language", article.language)
    local, instant = wall_clock(article.published), utc(article.published)
    if local is not None and instant is not None:
        doc.add_date("published", local)
        seconds = int((instant - datetime(1970, 1, 1)).total_seconds())
        doc.add_integer("newest", seconds)
        doc.add_integer("oldest", -seconds)
    else:
        doc.add_integer("newest", UNDATED)
        doc.add_integer("oldest", UNDATED)
    return doc
