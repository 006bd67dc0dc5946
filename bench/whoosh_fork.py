"""Whoosh 2.7.4 or whoosh-reloaded: the operations that decided it.

    python bench/whoosh_fork.py [--docs 10000] [--updates 100]

Run it with the interpreter of each environment (one with `whoosh==2.7.4`,
one with `whoosh-reloaded`); it uses stock Whoosh only (no newsarchive
code) on generated articles from bench/corpus.py, and prints JSON: the
seconds to build an index of `--docs` articles with one writer, to update
`--updates` of them in one commit (what a crawl's index batch does), and
the median cold-process time of a one-word query.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import Generator  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=100)
    args = parser.parse_args()
    import whoosh
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.index import create_in, open_dir

    generator = Generator()
    schema = Schema(
        id=ID(stored=True, unique=True), title=TEXT(stored=True), text=TEXT(analyzer=StemmingAnalyzer())
    )
    work = Path(tempfile.mkdtemp(prefix="whoosh-fork-"))
    try:
        ix = create_in(str(work), schema)
        started = time.perf_counter()
        writer = ix.writer()
        for data in generator.articles(args.docs):
            writer.add_document(
                id=str(data["number"]), title=data["title"], text="\n\n".join(data["paragraphs"])
            )
        writer.commit()
        build = time.perf_counter() - started

        started = time.perf_counter()
        writer = ix.writer()
        for data in generator.articles(args.updates):
            text = "\n\n".join(data["paragraphs"]) + "\n\nUpdated."
            writer.update_document(id=str(data["number"]), title=data["title"], text=text)
        writer.commit()
        update = time.perf_counter() - started
        assert open_dir(str(work)).doc_count() == args.docs

        query = (
            "from whoosh.index import open_dir; from whoosh.qparser import QueryParser; "
            f"ix = open_dir({str(work)!r}); s = ix.searcher(); "
            f"print(len(s.search(QueryParser('text', ix.schema).parse({generator.word(20)!r}), limit=10)))"
        )
        times = []
        for _ in range(7):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", query], check=True, capture_output=True)
            times.append(time.perf_counter() - started)
        result = {
            "whoosh": whoosh.versionstring(),
            "python": sys.version.split()[0],
            "docs": args.docs,
            "build_s": round(build, 2),
            "update_s": round(update, 2),
            "updates": args.updates,
            "cold_query_ms": round(statistics.median(times) * 1000, 1),
        }
        print(json.dumps(result))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
