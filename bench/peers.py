"""The peers newsarchive is measured against, each run as its own process.

    python bench/peers.py search INDEX QUERY [--since DATE --until DATE --newest]
    python bench/peers.py build STORE INDEX
    python bench/peers.py extract DIR
    python bench/peers.py fetch URLS-FILE [DELAY]
    python bench/peers.py fetch-extract-index URLS-FILE INDEX
    python bench/peers.py tantivy-build STORE INDEX
    python bench/peers.py tantivy-search INDEX QUERY [--since DATE --until DATE --newest]

`search` opens a Whoosh index and runs one query with Whoosh's own parser,
printing the ids of the top ten; `build` indexes every article of a store
the way Whoosh's documentation shows (one writer, stock analyzers, the
displayed fields stored); `extract` runs trafilatura alone over saved
pages; `fetch` is a bare Scrapy spider fetching a list of URLs and doing
nothing with them; `fetch-extract-index` fetches them the same way and
puts each page through trafilatura into one Whoosh writer, in one
process. `tantivy-build` indexes every article of a store into a tantivy
index of the stock kind (tantivy's own English stemming tokenizer, one
writer with its default heap and threads); `tantivy-search` opens a
tantivy index (newsarchive's, so both answer from the same files) and
runs one query with tantivy's own parser. Each is what a developer would
write with the libraries alone,
so the ratio says what newsarchive's own work costs.
"""

from __future__ import annotations

import sys
from pathlib import Path

FIELDS = ["title", "subtitle", "text", "author", "tag"]


def search(index: str, query: str, since: str | None, until: str | None, newest: bool) -> None:
    from whoosh.index import open_dir
    from whoosh.qparser import MultifieldParser

    ix = open_dir(index)
    with ix.searcher() as searcher:
        parsed = MultifieldParser(FIELDS, ix.schema).parse(query)
        options = {"limit": 10}
        if since or until:
            from datetime import datetime

            from whoosh.query import DateRange

            start = datetime.fromisoformat(since) if since else None
            end = datetime.fromisoformat(until) if until else None
            options["filter"] = DateRange("published", start, end)
        if newest:
            options.update(sortedby="instant", reverse=True)
        for hit in searcher.search(parsed, **options):
            print(hit["id"])


def naive_index(index: str):
    """A new index of the stock schema a Whoosh user would write."""
    import os
    import shutil

    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import DATETIME, ID, KEYWORD, TEXT, Schema
    from whoosh.index import create_in

    schema = Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(stored=True, analyzer=StemmingAnalyzer()),
        subtitle=TEXT(analyzer=StemmingAnalyzer()),
        text=TEXT(analyzer=StemmingAnalyzer()),
        author=TEXT(stored=True),
        source=ID(stored=True),
        section=TEXT(),
        tag=KEYWORD(commas=True, lowercase=True),
        language=ID(),
        published=DATETIME(stored=True, sortable=True),
    )
    shutil.rmtree(index, ignore_errors=True)
    os.makedirs(index)
    return create_in(index, schema)


def stored_articles(store: str):
    """Each article of a newsarchive store as a dict of the fields indexed,
    the empty ones left out (authors and tags as lists, published as a
    datetime), read with sqlite3 alone."""
    import json
    import sqlite3
    from datetime import datetime

    rows = sqlite3.connect(store).execute(
        "SELECT id, title, subtitle, text, authors, source, section, tags, language, published FROM articles"
    )
    for id_, title, subtitle, text, authors, source, section, tags, language, published in rows:
        found = {
            "subtitle": subtitle,
            "author": json.loads(authors) if authors else None,
            "section": section,
            "tag": json.loads(tags) if tags else None,
            "language": language,
            "published": datetime.fromisoformat(published) if published else None,
        }
        yield {"id": id_, "title": title, "text": text, "source": source} | {
            name: value for name, value in found.items() if value
        }


def build(store: str, index: str) -> None:
    writer = naive_index(index).writer()
    count = 0
    for doc in stored_articles(store):
        for name, joiner in (("author", ", "), ("tag", ",")):
            if name in doc:
                doc[name] = joiner.join(doc[name])
        if "published" in doc:
            doc["published"] = doc["published"].replace(tzinfo=None)
        writer.add_document(**doc)
        count += 1
    writer.commit()
    print(count)


def extract(directory: str) -> None:
    import trafilatura

    found = 0
    for path in sorted(Path(directory).glob("*.html")):
        if trafilatura.extract(path.read_bytes(), favor_precision=True):
            found += 1
    print(found)


def _fetch_all(urls_file: str, parse, delay: float = 0.0) -> int:
    """Fetch every URL of the file with a bare Scrapy spider, with the
    crawl's settings as the bench runs it (politeness off but for a fixed
    `delay` between requests), calling `parse(response)`."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    urls = Path(urls_file).read_text(encoding="utf-8").split()
    fetched = []

    class Fetch(scrapy.Spider):
        name = "fetch"

        async def start(self):
            for url in urls:
                yield scrapy.Request(url, dont_filter=True)

        def parse(self, response):
            fetched.append(response.url)
            parse(response)

    process = CrawlerProcess(
        {
            "ROBOTSTXT_OBEY": False,
            "DOWNLOAD_DELAY": delay,
            "DOWNLOAD_DELAY_JITTER": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS": 16,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
            "TELNETCONSOLE_ENABLED": False,
            "HTTPERROR_ALLOW_ALL": True,
            "LOG_LEVEL": "WARNING",
        }
    )
    process.crawl(Fetch)
    process.start()
    return len(fetched)


def fetch(urls_file: str, delay: str = "0") -> None:
    print(_fetch_all(urls_file, lambda response: None, float(delay)))


def fetch_extract_index(urls_file: str, index: str) -> None:
    """The same job done the plain way in one process: each page through
    trafilatura (text and metadata) into one Whoosh writer, committed at
    the end; no raw capture, no store, no dates beyond trafilatura's."""
    import trafilatura

    writer = naive_index(index).writer()
    indexed = []

    def parse(response):
        if "html" not in response.headers.get("Content-Type", b"").decode("latin-1"):
            return
        found = trafilatura.bare_extraction(
            response.body, url=response.url, favor_precision=True, with_metadata=True
        )
        if found is None or not found.text:
            return
        doc = {
            "id": response.url,
            "title": found.title or "",
            "text": found.text,
            "source": found.hostname or "",
        }
        if found.author:
            doc["author"] = found.author
        if found.categories:
            doc["section"] = ", ".join(found.categories)
        if found.tags:
            doc["tag"] = ",".join(found.tags)
        writer.add_document(**doc)
        indexed.append(response.url)

    fetched = _fetch_all(urls_file, parse)
    writer.commit()
    print(fetched, len(indexed))


def tantivy_build(store: str, index: str) -> None:
    import os
    import shutil

    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    for name in ("title", "subtitle", "text", "author", "tag", "section"):
        builder.add_text_field(name, tokenizer_name="en_stem")
    builder.add_text_field("source", tokenizer_name="raw")
    builder.add_text_field("language", tokenizer_name="raw")
    builder.add_date_field("published", indexed=True, fast=True)
    shutil.rmtree(index, ignore_errors=True)
    os.makedirs(index)
    writer = tantivy.Index(builder.build(), path=index).writer()
    count = 0
    for doc in stored_articles(store):
        writer.add_document(tantivy.Document(**doc))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    print(count)


def tantivy_search(index: str, query: str, since: str | None, until: str | None, newest: bool) -> None:
    from datetime import datetime

    import tantivy

    ix = tantivy.Index.open(index)
    # newsarchive's index names its own analyzers; a query is parsed with them.
    for name, stemmed in (("na_names", False), ("na_stemmed", True)):
        words = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"[\w\*]+(?:\.?[\w\*]+)*"))
        words = words.filter(tantivy.Filter.lowercase()).filter(tantivy.Filter.ascii_fold())
        if stemmed:
            words = words.filter(tantivy.Filter.stemmer("english"))
        ix.register_tokenizer(name, words.build())
    parsed = ix.parse_query(query, FIELDS)
    if since or until:
        start = datetime.fromisoformat(since) if since else None
        end = datetime.fromisoformat(until) if until else None
        dates = tantivy.Query.range_query(ix.schema, "published", tantivy.FieldType.Date, start, end)
        parsed = tantivy.Query.boolean_query([(tantivy.Occur.Must, parsed), (tantivy.Occur.Must, dates)])
    searcher = ix.searcher()
    options = {"order_by_field": "newest", "order": tantivy.Order.Desc} if newest else {}
    for _, address in searcher.search(parsed, 10, **options).hits:
        print(searcher.doc(address)["id"][0])


def main(argv: list[str]) -> None:
    kind, *args = argv
    if kind == "search":
        index, query, *flags = args
        since = flags[flags.index("--since") + 1] if "--since" in flags else None
        until = flags[flags.index("--until") + 1] if "--until" in flags else None
        search(index, query, since, until, "--newest" in flags)
    elif kind == "tantivy-search":
        index, query, *flags = args
        since = flags[flags.index("--since") + 1] if "--since" in flags else None
        until = flags[flags.index("--until") + 1] if "--until" in flags else None
        tantivy_search(index, query, since, until, "--newest" in flags)
    elif kind == "tantivy-build":
        tantivy_build(*args)
    elif kind == "build":
        build(*args)
    elif kind == "extract":
        extract(*args)
    elif kind == "fetch":
        fetch(*args)
    elif kind == "fetch-extract-index":
        fetch_extract_index(*args)
    else:
        raise SystemExit(f"unknown peer {kind!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
