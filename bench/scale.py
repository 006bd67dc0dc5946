"""newsarchive at scale: each index engine on generated archives of
100,000 and 1,000,000 articles, beside bare tantivy in the same run.

    python bench/scale.py [--sizes 100000,1000000] [--whoosh-up-to 100000]
                          [--repeat 9] [--work DIR] [--json]

For each size, the articles are generated (bench/corpus.py, fixed seed,
500 words each) and written straight into a store in bulk: the bench
measures the engines, not the intake. Then, for Whoosh (up to
--whoosh-up-to articles) and tantivy:

  build     `newsarchive reindex --engine E`: docs/s and the peak RSS of
            its whole process tree; the peer is a bare tantivy bulk build
            of the same store (stock schema and writer)
  search    a cold `newsarchive search` process per query kind against a
            bare query process of the same engine on the same index
            files; medians, and the median of the ratios over the kinds
  catch-up  100 changed articles applied from the change log (ms/doc)
  size      the index on disk, and the store beside it

A generated store is kept in --work and reused by later runs (a million
articles take ~10 minutes to generate on two cores). Linux only.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import Generator, to_article  # noqa: E402
from run import NEWSARCHIVE, PEERS, Table, median_pair, report, timed, watched, workspace  # noqa: E402

WORDS = 500
STAMP = "2026-11-24T00:00:00Z"
CHUNK = 2000


# -- a generated archive, straight into the store -------------------------------------


def _rows(numbers: range) -> list[tuple]:
    """The articles table's rows for these article numbers (in a worker)."""
    from newsarchive.store.sqlite import _ARTICLE_COLUMNS, _row_values

    generator = _rows.generator  # type: ignore[attr-defined]
    rows = []
    for number in numbers:
        record = _row_values(to_article(generator.article(number, WORDS)))
        rows.append((*(record[c] for c in _ARTICLE_COLUMNS), number + 1))
    return rows


def _start_worker() -> None:
    _rows.generator = Generator()  # type: ignore[attr-defined]


def archive_of(work: Path, size: int) -> Path:
    """An archive of `size` generated articles with no index yet; its store
    is written in bulk (rows and change log, no boilerplate counts)."""
    import sqlite3

    from newsarchive.store import open_store
    from newsarchive.store.sqlite import _ARTICLE_COLUMNS

    root = work / f"archive-{size}"
    if (root / "ready").exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    with open_store(root / "store.sqlite3"):
        pass  # the schema and the store's id
    db = sqlite3.connect(root / "store.sqlite3", isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    columns = ", ".join((*_ARTICLE_COLUMNS, "first_seen", "last_seen", "seq"))
    marks = ", ".join("?" * (len(_ARTICLE_COLUMNS) + 3))
    insert = f"INSERT INTO articles ({columns}) VALUES ({marks})"
    started = time.perf_counter()
    chunks = [range(start, min(start + CHUNK, size)) for start in range(0, size, CHUNK)]
    with multiprocessing.Pool(os.cpu_count(), initializer=_start_worker) as pool:
        for done, rows in enumerate(pool.imap(_rows, chunks), 1):
            db.execute("BEGIN")
            db.executemany(insert, [(*row[:-1], STAMP, STAMP, row[-1]) for row in rows])
            db.executemany(
                "INSERT INTO changes (seq, article_id, op, at) VALUES (?, ?, 'put', ?)",
                [(row[-1], row[0], STAMP) for row in rows],
            )
            db.execute("COMMIT")
            if done % 50 == 0:
                rate = done * CHUNK / (time.perf_counter() - started)
                print(f"  generated {done * CHUNK:,} of {size:,} ({rate:,.0f}/s)", file=sys.stderr)
    db.close()
    (root / "ready").write_text("")
    return root


# -- measuring ---------------------------------------------------------------------------


def query_kinds(generator: Generator) -> list[tuple[str, list[str], dict[str, list[str]]]]:
    """(kind, newsarchive's arguments, each bare engine's arguments)."""
    common, rarer, titled, dated = (generator.word(n) for n in (30, 400, 5, 10))
    since, until = ["--since", "2015-01-01"], ["--until", "2016-12-31T23:59:59"]
    return [
        ("term", ["harbour"], {"whoosh": ["harbour"], "tantivy": ["harbour"]}),
        ("AND", [common, rarer], {"whoosh": [f"{common} {rarer}"], "tantivy": [f"+{common} +{rarer}"]}),
        (
            "phrase",
            ['"tunnel beneath the river"'],
            dict.fromkeys(("whoosh", "tantivy"), ['"tunnel beneath the river"']),
        ),
        ("field", [f"title:{titled}"], dict.fromkeys(("whoosh", "tantivy"), [f"title:{titled}"])),
        (
            "date-bounded, newest first",
            [dated, "--since", "2015-01-01", "--until", "2016-12-31", "--sort", "newest"],
            dict.fromkeys(("whoosh", "tantivy"), [dated, *since, *until, "--newest"]),
        ),
    ]


def _live(root: Path) -> Path:
    from newsarchive.index.generations import live

    where = live(root / "index")
    if where is None:
        raise SystemExit(f"the bench archive {root} has no index")
    return where


def _engine_of(root: Path) -> str | None:
    from newsarchive.index.state import read_state

    state = read_state(_live(root))
    return state.engine if state else None


def _megabytes(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def bench_build(table: Table, root: Path, size: int, engine: str, work: Path, repeat: int) -> None:
    ours = [*NEWSARCHIVE, "--archive", str(root), "reindex", "--engine", engine]
    peer = [*PEERS, "tantivy-build", str(root / "store.sqlite3"), str(work / "bare-tantivy")]
    mine, theirs, our_peak, their_peak = [], [], 0.0, 0.0
    for _ in range(repeat if engine == "tantivy" else 1):
        seconds, peak = watched(ours)
        mine.append(seconds)
        our_peak = max(our_peak, peak)
        if engine == "tantivy" or not theirs:
            seconds, peak = watched(peer)
            theirs.append(seconds)
            their_peak = max(their_peak, peak)
    ours_rate, peer_rate = size / statistics.median(mine), size / statistics.median(theirs)
    what = f"{engine} at {size:,}: build"
    target = ">= 0.8" if engine == "tantivy" else ""
    table.add("build", what, ours_rate, peer_rate, "docs/s", ours_rate / peer_rate, target)
    table.add("build", f"{what}, peak RSS", our_peak, their_peak, "MB", our_peak / their_peak)
    peer_size = _megabytes(work / "bare-tantivy")
    shutil.rmtree(work / "bare-tantivy", ignore_errors=True)
    ours_size = _megabytes(_live(root))
    table.add(
        "size", f"{engine} at {size:,}: index on disk", ours_size, peer_size, "MB", ours_size / peer_size
    )


def bench_search(table: Table, root: Path, size: int, engine: str, generator: Generator, repeat: int) -> None:
    index = str(_live(root))
    bare = "search" if engine == "whoosh" else "tantivy-search"
    ratios, mine_all, peak = [], [], 0
    for kind, ours_args, peer_args in query_kinds(generator):
        ours = [*NEWSARCHIVE, "--archive", str(root), "search", *ours_args]
        peer = [*PEERS, bare, index, *peer_args[engine]]
        mine, theirs = median_pair(ours, peer, repeat)
        peak = max(peak, timed(ours)[1])
        ratios.append(mine / theirs)
        mine_all.append(mine)
        table.add("search", f"{engine} at {size:,}: {kind}", mine * 1000, theirs * 1000, "ms", mine / theirs)
    target = "<= 1.5, <= 150 ms" if engine == "tantivy" else ""
    table.add(
        "search",
        f"{engine} at {size:,}: median over the kinds",
        statistics.median(mine_all) * 1000,
        0,
        "ms",
        statistics.median(ratios),
        target,
    )
    table.add("search", f"{engine} at {size:,}: peak RSS of a search", peak / 1024, 0, "MB", 0)


def bench_catch_up(table: Table, root: Path, size: int, engine: str, generator: Generator) -> None:
    from newsarchive import Archive, Config
    from newsarchive.index.follow import catch_up

    archive = Archive(Config(archive_dir=root, engine=engine))
    with archive.open_store() as store:
        stamp = datetime.now(UTC).isoformat()
        for number in range(0, size, size // 100):
            article = to_article(generator.article(number, WORDS))
            store.put(article.replace(text=f"{article.text}\n\nUpdated {stamp}."), now=stamp)
        started = time.perf_counter()
        applied = catch_up(archive.engine(store), store)
        seconds = time.perf_counter() - started
    target = "<= 1 s for 100" if engine == "tantivy" else ""
    table.add(
        "catch-up",
        f"{engine} at {size:,}: {applied} changed articles",
        seconds * 1000,
        1000,
        "ms",
        seconds,
        target,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated archive sizes")
    parser.add_argument(
        "--whoosh-up-to", type=int, default=100_000, help="the largest size Whoosh is built at"
    )
    parser.add_argument("--repeat", type=int, default=9, help="cold searches per query kind and program")
    parser.add_argument("--builds", type=int, default=1, help="tantivy builds per size (ours and the peer's)")
    parser.add_argument("--work", type=Path, help="keep generated archives here and reuse them")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--only",
        default="build,search,catch-up",
        help="sections: build, search, catch-up (search needs a build)",
    )
    args = parser.parse_args(argv)
    sections = {name.strip() for name in args.only.split(",")}
    sizes = [int(size) for size in args.sizes.split(",")]
    work = workspace(args.work, "newsarchive-scale-")
    generator = Generator()
    table = Table()
    started = time.monotonic()
    try:
        for size in sizes:
            print(f"{size:,} articles:", file=sys.stderr)
            root = archive_of(work, size)
            engines = ["whoosh", "tantivy"] if size <= args.whoosh_up_to else ["tantivy"]
            for engine in engines:
                if "build" in sections:
                    bench_build(table, root, size, engine, work, args.builds)
                elif _engine_of(root) != engine:
                    raise SystemExit(f"{root} is indexed with another engine: run the build section")
                if "search" in sections:
                    bench_search(table, root, size, engine, generator, args.repeat)
                if "catch-up" in sections:
                    bench_catch_up(table, root, size, engine, generator)
            store = (root / "store.sqlite3").stat().st_size / 1e6
            table.add("size", f"store at {size:,}", store, 0, "MB", 0)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    report(
        table, "newsarchive scale bench", started, ("newsarchive", "whoosh-reloaded", "tantivy"), args.json
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
