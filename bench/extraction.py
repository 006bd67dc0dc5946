"""Article-body extraction: newsarchive beside trafilatura and readability.

    python bench/extraction.py [--dataset DIR] [--repeat N] [--limit N] [--json]

Scores each extractor on a dataset laid out as `ground-truth.json` plus
`html/<id>.html.gz` (the shared article-extraction set), with the metric its
README defines: tokens are runs of word characters; texts become multisets
of 4-token shingles; per page, precision and recall are the shared
shingles over the predicted and the true ones; the corpus precision
averages pages with a non-empty prediction, the corpus recall all pages,
and F1 is their harmonic mean. Speed is pages per second spent inside the
extractor, the median of `--repeat` runs; the last column is the ratio to
trafilatura's speed in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

DEFAULT_DATASET = Path(__file__).resolve().parents[1].parent / "shared" / "datasets" / "article-extraction"
SHINGLE = 4
_TOKEN = re.compile(r"\w+")

Extractor = Callable[[str, str], str]


def shingles(text: str) -> Counter:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_scores(predicted: str, truth: str) -> tuple[float | None, float]:
    """(precision or None for an empty prediction, recall) of one page."""
    ours, theirs = shingles(predicted), shingles(truth)
    shared = sum((ours & theirs).values())
    precision = shared / sum(ours.values()) if ours else None
    recall = shared / sum(theirs.values()) if theirs else 0.0
    return precision, recall


def corpus_scores(scores: list[tuple[float | None, float]]) -> dict:
    precisions = [p for p, _ in scores if p is not None]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(r for _, r in scores) if scores else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall}


def load_pages(dataset: Path, limit: int | None) -> list[tuple[str, str, str, str]]:
    """(id, url, html, true body) of each page, in id order."""
    truth = json.loads((dataset / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        html = gzip.decompress((dataset / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8")
        pages.append((page_id, truth[page_id]["url"], html, truth[page_id]["articleBody"]))
    return pages


# -- the extractors -----------------------------------------------------------


def newsarchive_extractor() -> Extractor:
    from newsarchive.errors import NoArticle
    from newsarchive.extract import extract_article

    def run(html: str, url: str) -> str:
        # The text found in the page, also where the page is then refused as
        # not a whole article (a paywall's teaser): that is body extraction,
        # which is what the benchmark scores.
        try:
            return extract_article(html, url).text
        except NoArticle as rejected:
            return rejected.partial.text if rejected.partial else ""

    return run


def trafilatura_extractor() -> Extractor:
    import trafilatura

    def run(html: str, url: str) -> str:
        # favor_precision: trafilatura's best setting on news pages.
        return trafilatura.extract(html, url=url, favor_precision=True) or ""

    return run


def readability_extractor() -> Extractor:
    import lxml.html
    from readability import Document

    blocks = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "br"}

    def run(html: str, url: str) -> str:
        summary = Document(html, url=url).summary(html_partial=True)
        root = lxml.html.fragment_fromstring(summary, create_parent="div")
        for element in root.iter():  # a line break after every block
            if element.tag in blocks:
                element.tail = "\n" + (element.tail or "")
        return root.text_content()

    return run


EXTRACTORS = {
    "newsarchive": (newsarchive_extractor, "newsarchive"),
    "trafilatura": (trafilatura_extractor, "trafilatura"),
    "readability": (readability_extractor, "readability-lxml"),
}
PEER = "trafilatura"


def measure(name: str, pages, repeat: int) -> dict:
    make, distribution = EXTRACTORS[name]
    run = make()
    run(pages[0][2], pages[0][1])  # warm-up: lazy imports and models
    speeds, outputs, errors = [], {}, {}
    for _ in range(repeat):
        spent = 0.0
        for page_id, url, html, _ in pages:
            started = time.perf_counter()
            try:
                outputs[page_id] = run(html, url)
            except Exception as error:  # a crash is scored as an empty page
                outputs[page_id] = ""
                errors[page_id] = f"{type(error).__name__}: {error}"
            spent += time.perf_counter() - started
        speeds.append(len(pages) / spent)
    scores = [page_scores(outputs[page_id], truth) for page_id, _, _, truth in pages]
    return {
        "extractor": name,
        "version": version(distribution),
        **corpus_scores(scores),
        "pages": len(pages),
        "empty": sum(1 for page_id in outputs if not outputs[page_id].strip()),
        "errors": len(errors),
        "error_pages": errors,
        "pages_per_s": statistics.median(speeds),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--extractors", default=",".join(EXTRACTORS), help="comma-separated subset")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per extractor (median)")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    if not (args.dataset / "ground-truth.json").is_file():
        print(f"no dataset at {args.dataset}: give --dataset DIR", file=sys.stderr)
        return 2
    pages = load_pages(args.dataset, args.limit)
    names = [n.strip() for n in args.extractors.split(",") if n.strip()]
    unknown = set(names) - set(EXTRACTORS)
    if unknown:
        print(f"unknown extractor {sorted(unknown)[0]}; choose from {', '.join(EXTRACTORS)}", file=sys.stderr)
        return 2
    results = [measure(name, pages, max(1, args.repeat)) for name in names]
    peer = next((r for r in results if r["extractor"] == PEER), None)
    for result in results:
        result["speed_vs_trafilatura"] = result["pages_per_s"] / peer["pages_per_s"] if peer else None
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{len(pages)} pages of {args.dataset}; speed = median of {args.repeat} runs")
    print(
        f"{'extractor':<12} {'version':<8} {'F1':>6} {'prec':>6} {'recall':>6} {'empty':>5} {'errors':>6} {'pages/s':>8} {'vs traf':>7}"
    )
    for r in results:
        ratio = f"{r['speed_vs_trafilatura']:.2f}" if r["speed_vs_trafilatura"] is not None else "-"
        print(
            f"{r['extractor']:<12} {r['version']:<8} {r['f1']:6.3f} {r['precision']:6.3f} {r['recall']:6.3f}"
            f" {r['empty']:5d} {r['errors']:6d} {r['pages_per_s']:8.1f} {ratio:>7}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
