"""Article metadata: newsarchive beside htmldate, trafilatura, newspaper4k
and news-please, on real pages with third-party gold.

    python bench/metadata.py [--dataset DIR] [--tools a,b,...] [--jobs N] [--limit N] [--json]

The dataset is laid out as the shared metadata set (`gold.json` and gzipped
pages; see its README). Each tool is given a page's bytes (text, for a page
stored re-encoded) and its URL. Scores, per subset (fundus, and the htmldate
set's groups, and the trafilatura set):

  day     the publication day right: the date as written equals the gold
          one, or, both being times with offsets, the predicted instant falls
          on the gold day in the gold's offset
  t+off   (gold with a time) the same instant within 60 s, offset required;
          against a gold time without offset, the same wall clock
  aP aR aF  author names, micro-averaged over pages with gold authors;
          names compare after Unicode and case folding without punctuation
          or a leading "by"/"von"; one contains the other when it has 2+
          words ("Anna Fink" ~ "Anna Giulia Fink"); matched one to one
  spur    pages annotated as having no author where the tool names one
  t=  t~  title exactly equal; equal in letters and digits only
  p/s     pages per second (one process per tool, tools one after another)

A page newsarchive refuses as holding no article counts as giving nothing.
Peers that are not installed are left out with a note. `--jobs N` runs
newsarchive in N processes (its p/s is then not comparable).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

DEFAULT_DATASET = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "metadata"
TOOLS = ("newsarchive", "htmldate", "trafilatura", "newspaper4k", "news-please")
METRICS = ("day", "t+off", "aP", "aR", "aF", "spur", "t=", "t~")

Tool = Callable[[str | bytes, str], dict]


# -- the tools -----------------------------------------------------------------


def newsarchive_tool() -> Tool:
    from newsarchive.errors import NoArticle
    from newsarchive.extract import extract_article

    def run(page, url):
        try:
            article = extract_article(page, url)
        except NoArticle:
            return {}
        return {"title": article.title, "authors": list(article.authors), "published": article.published}

    return run


def htmldate_tool() -> Tool:
    from htmldate import find_date

    def run(page, url):
        return {"published": find_date(page, url=url, original_date=True, extensive_search=True)}

    return run


def trafilatura_tool() -> Tool:
    import trafilatura

    def run(page, url):
        document = trafilatura.bare_extraction(page, url=url, with_metadata=True)
        if document is None:
            return {}
        authors = [a.strip() for a in (document.author or "").split(";") if a.strip()]
        return {"title": document.title, "authors": authors, "published": document.date}

    return run


def newspaper4k_tool() -> Tool:
    import newspaper

    config = newspaper.Config()
    config.fetch_images = False  # nothing leaves this machine
    config.memorize_articles = False  # each page judged on its own

    def run(page, url):
        article = newspaper.Article(url, config=config)
        article.download(input_html=_text(page))
        article.parse()
        when = article.publish_date
        return {
            "title": article.title,
            "authors": list(article.authors),
            "published": when.isoformat() if when else None,
        }

    return run


def news_please_tool() -> Tool:
    from newsplease import NewsPlease

    def run(page, url):
        article = NewsPlease.from_html(_text(page), url=url, fetch_images=False)
        when = article.date_publish
        return {
            "title": article.title,
            "authors": list(article.authors or []),
            "published": when.isoformat() if when else None,
        }

    return run


MAKERS = {
    "newsarchive": newsarchive_tool,
    "htmldate": htmldate_tool,
    "trafilatura": trafilatura_tool,
    "newspaper4k": newspaper4k_tool,
    "news-please": news_please_tool,
}


def _text(page: str | bytes) -> str:
    if isinstance(page, str):
        return page
    from trafilatura.utils import decode_file

    decoded = decode_file(page)
    return decoded if isinstance(decoded, str) else page.decode("utf-8", "replace")


# -- the pages -------------------------------------------------------------------


def load_pages(dataset: Path, limit: int | None) -> list[dict]:
    pages = json.loads((dataset / "gold.json").read_text(encoding="utf-8"))["pages"]
    return pages[:limit] if limit else pages


def page_input(dataset: Path, entry: dict) -> str | bytes:
    data = gzip.decompress((dataset / entry["file"]).read_bytes())
    return data.decode(entry["encoding"]) if entry.get("encoding") else data


def subset_of(entry: dict) -> str:
    return entry.get("group") or entry["subset"]


# -- scoring -----------------------------------------------------------------------


def when(value) -> tuple[datetime | None, bool]:
    """(the date or date-time, whether a time was given)."""
    if not value:
        return None, False
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        try:
            return datetime(*map(int, text.split("-"))), False
        except ValueError:
            return None, False
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")), True
    except ValueError:
        head = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
        try:
            return (datetime(*map(int, head.groups())), False) if head else (None, False)
        except ValueError:
            return None, False


def date_scores(predicted, gold) -> tuple[bool, bool]:
    """(day right, same instant) of one prediction."""
    g, g_timed = when(gold)
    p, p_timed = when(predicted)
    if p is None or g is None:
        return False, False
    both_aware = p.tzinfo is not None and g.tzinfo is not None
    day = p.date() == g.date() or (
        both_aware and p_timed and g_timed and p.astimezone(g.tzinfo).date() == g.date()
    )
    instant = False
    if g_timed and p_timed:
        if g.tzinfo is None:
            instant = abs(p.replace(tzinfo=None) - g) <= timedelta(seconds=60)
        elif p.tzinfo is not None:
            instant = abs(p - g) <= timedelta(seconds=60)
    return day, instant


_LEADING = re.compile(r"^(by|von|par|por|door|av|af)\s+", re.I)


def folded_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _LEADING.sub("", text.strip())
    return " ".join(re.sub(r"[^\w\s]|_", " ", text).split())


def same_person(a: str, b: str) -> bool:
    if a == b:
        return bool(a)
    words_a, words_b = set(a.split()), set(b.split())
    smaller, larger = sorted((words_a, words_b), key=len)
    return len(smaller) >= 2 and smaller <= larger


def author_matches(predicted: list[str], gold: list[str]) -> tuple[int, int, int]:
    """(matched, predicted, gold) distinct names, matched one to one."""
    ours = list(dict.fromkeys(n for n in map(folded_name, predicted) if n))
    theirs = list(dict.fromkeys(n for n in map(folded_name, gold) if n))
    unmatched = list(theirs)
    matched = 0
    for name in ours:
        for index, other in enumerate(unmatched):
            if same_person(name, other):
                matched += 1
                del unmatched[index]
                break
    return matched, len(ours), len(theirs)


def letters(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text or "").casefold() if ch.isalnum())


def scores(entries: list[dict], predictions: dict[str, dict]) -> dict:
    """The metrics (percentages, None where the subset has no gold for one)."""
    counts = dict.fromkeys(("dated", "timed", "day", "instant", "matched", "named", "gold_names",
                            "unnamed", "spurious", "titled", "exact", "loose"), 0)  # fmt: skip
    for entry in entries:
        predicted = predictions.get(entry["id"], {})
        if entry.get("published"):
            day, instant = date_scores(predicted.get("published"), entry["published"])
            timed = when(entry["published"])[1]
            counts["dated"] += 1
            counts["timed"] += timed
            counts["day"] += day
            counts["instant"] += timed and instant
        gold_authors = entry.get("authors")
        if gold_authors:
            matched, named, gold_names = author_matches(predicted.get("authors") or [], gold_authors)
            counts["matched"] += matched
            counts["named"] += named
            counts["gold_names"] += gold_names
        elif gold_authors == []:
            counts["unnamed"] += 1
            counts["spurious"] += any(folded_name(a) for a in predicted.get("authors") or [])
        if entry.get("title"):
            got = (predicted.get("title") or "").strip()
            counts["titled"] += 1
            counts["exact"] += got == entry["title"].strip()
            counts["loose"] += bool(got) and letters(got) == letters(entry["title"])
    precision = counts["matched"] / counts["named"] if counts["named"] else 0.0
    recall = counts["matched"] / counts["gold_names"] if counts["gold_names"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    found = {
        "day": _share(counts["day"], counts["dated"]),
        "t+off": _share(counts["instant"], counts["timed"]),
        "aP": _share(counts["matched"], counts["named"]),
        "aR": _share(counts["matched"], counts["gold_names"]),
        "aF": round(100 * f1, 1) if counts["gold_names"] else None,
        "spur": _share(counts["spurious"], counts["unnamed"]),
        "t=": _share(counts["exact"], counts["titled"]),
        "t~": _share(counts["loose"], counts["titled"]),
    }
    # A field the tool never gives is not scored for it (htmldate: dates only).
    gives = {key for prediction in predictions.values() for key, value in prediction.items() if value}
    for metric, field in _FIELDS.items():
        if field not in gives:
            found[metric] = None
    return found


_FIELDS = {"day": "published", "t+off": "published", "aP": "authors", "aR": "authors", "aF": "authors",
           "spur": "authors", "t=": "title", "t~": "title"}  # fmt: skip


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# -- running -------------------------------------------------------------------------


def run_tool(name: str, entries: list[dict], dataset: Path, jobs: int = 1) -> tuple[dict[str, dict], float]:
    """Predictions by page id, and pages per second."""
    started = time.perf_counter()
    if jobs > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("forkserver")) as pool:
            found = list(pool.map(_predict, [(name, str(dataset), entry) for entry in entries], chunksize=16))
    else:
        tool = MAKERS[name]()
        found = [_guarded(tool, dataset, entry) for entry in entries]
    spent = time.perf_counter() - started
    return {entry["id"]: result for entry, result in zip(entries, found, strict=True)}, len(entries) / spent


_TOOLS: dict[str, Tool] = {}


def _predict(job: tuple[str, str, dict]) -> dict:
    name, dataset, entry = job
    if name not in _TOOLS:
        _TOOLS[name] = MAKERS[name]()
    return _guarded(_TOOLS[name], Path(dataset), entry)


def _guarded(tool: Tool, dataset: Path, entry: dict) -> dict:
    try:
        return tool(page_input(dataset, entry), entry["url"])
    except Exception as error:  # a peer's crash on one page scores as nothing for it
        return {"error": f"{type(error).__name__}: {error}"}


def available(names: list[str]) -> list[str]:
    usable = []
    for name in names:
        try:
            MAKERS[name]()
        except ImportError:
            print(f"note: {name} is not installed; left out", file=sys.stderr)
            continue
        usable.append(name)
    return usable


def report(
    entries: list[dict], predictions: dict[str, dict[str, dict]], speeds: dict[str, float]
) -> list[dict]:
    subsets = sorted({subset_of(e) for e in entries}, key=lambda s: (s != "fundus", s))
    rows = []
    for subset in subsets:
        chosen = [e for e in entries if subset_of(e) == subset]
        for tool, found in predictions.items():
            rows.append({"subset": subset, "pages": len(chosen), "tool": tool, **scores(chosen, found),
                         "pages_per_s": round(speeds[tool], 1)})  # fmt: skip
    return rows


def render(rows: list[dict]) -> str:
    head = (
        f"{'subset':<12} {'pages':>5} {'tool':<12} " + " ".join(f"{m:>6}" for m in METRICS) + f" {'p/s':>6}"
    )
    lines = [head, "-" * len(head)]
    for row in rows:
        cells = " ".join(f"{'-' if row[m] is None else format(row[m], '.1f'):>6}" for m in METRICS)
        lines.append(
            f"{row['subset']:<12} {row['pages']:>5} {row['tool']:<12} {cells} {row['pages_per_s']:>6.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated, from: " + ", ".join(TOOLS))
    parser.add_argument(
        "--jobs", type=int, default=1, help="processes for newsarchive (its p/s is then moot)"
    )
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--json", action="store_true", help="the rows as JSON")
    options = parser.parse_args(argv)
    if not (options.dataset / "gold.json").is_file():
        parser.error(f"no metadata set at {options.dataset} (gold.json missing)")
    names = [n.strip() for n in options.tools.split(",") if n.strip()]
    unknown = [n for n in names if n not in MAKERS]
    if unknown:
        parser.error(f"unknown tools: {', '.join(unknown)}; choose from {', '.join(TOOLS)}")
    entries = load_pages(options.dataset, options.limit)
    predictions, speeds = {}, {}
    for name in available(names):
        jobs = options.jobs if name == "newsarchive" else 1
        predictions[name], speeds[name] = run_tool(name, entries, options.dataset, jobs)
        print(f"{name}: {len(entries)} pages, {speeds[name]:.1f} pages/s", file=sys.stderr)
    rows = report(entries, predictions, speeds)
    print(json.dumps(rows, indent=1) if options.json else render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
