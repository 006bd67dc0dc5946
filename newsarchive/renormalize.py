"""Re-extract stored articles from their raw captures.

When the extractor improves, or the archive learns more about a site, the
articles stored earlier can be normalized again from the bytes kept in
WARC files, without a single request. Identity stays: an article keeps its
id and URLs even if the new extraction reads the canonical link otherwise.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from newsarchive.capture import read_capture
from newsarchive.dates import now_iso
from newsarchive.errors import CaptureError, NoArticle
from newsarchive.sites import Sites
from newsarchive.store import Store

Progress = Callable[[int, int], None]


def renormalize(
    store: Store,
    sites: Sites,
    warc_dir: Path,
    *,
    source: str | None = None,
    progress: Progress | None = None,
) -> Counter:
    """Re-extract every article (of one source); returns counts by outcome:
    "updated", "unchanged", and "kept" for articles left as they were
    because their capture is missing or unreadable, or no longer reads as
    an article."""
    from newsarchive.extract import extract_article

    now = now_iso()
    sources = [source] if source else store.sources()
    # What the stored articles already teach; applied by re-extraction below.
    sites.learn(sources, now=now, clean_stored=False)
    total = store.count(source=source)
    counts: Counter = Counter()
    for done, article in enumerate(store.iter_articles(source=source), start=1):
        if progress:
            progress(done, total)
        known = store.capture_of(article.id)
        capture = known[1] if known else None
        if capture is None:
            counts["kept: no capture"] += 1
            continue
        try:
            page = read_capture(warc_dir, capture)
            fresh = extract_article(
                page.payload,
                article.url,
                content_type=page.content_type,
                fetched=article.fetched,
                rules=sites.rules_for(article.url),
            )
        except CaptureError:
            counts["kept: capture unreadable"] += 1
            continue
        except NoArticle as rejected:
            counts[f"kept: now {rejected.reason}"] += 1
            continue
        fresh = sites.finish(
            dataclasses.replace(
                fresh,
                url=article.url,
                canonical_url=article.canonical_url,
                source=article.source,
                provenance={
                    **fresh.provenance,
                    "canonical_url": article.provenance.get("canonical_url", "stored"),
                },
            )
        )
        result = store.put(fresh, now=now, keep_revision=False)
        counts[result.status] += 1
    return counts
