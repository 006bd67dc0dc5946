"""Boilerplate a site repeats inside its articles, learnt from the archive.

A single-page extractor cannot tell a site's standing promo ("Support our
journalism: donate today") from reporting; the archive can, because it has
seen the site's other articles. A paragraph found in many of one source's
articles is the site's, not the story's. Pure functions: the store keeps
the counts, extraction receives what was learnt.
"""

from __future__ import annotations

import hashlib
import math
import re

# A paragraph is learnt as boilerplate once it is in at least this many of a
# source's articles...
MIN_ARTICLES = 5
# ...and in at least this share of them. A background paragraph repeated
# across one running story stays under it; a site-wide promo does not.
MIN_SHARE = 0.10

_KEY = re.compile(r"[\W_]+")
# Credit lines repeat by nature and belong to the article they close.
_ATTRIBUTION = re.compile(
    r"contributed (to )?(this|the) (report|story|article)|additional reporting|reporting by|editing by"
    r"|written by|(compiled|edited) by|^\W*(with )?(wire|agency) reports?\W*$",
    re.I,
)


def fingerprint(paragraph: str) -> str:
    """A paragraph's identity, loose about case, spacing and punctuation."""
    key = _KEY.sub("", paragraph.casefold())
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def learnable(paragraph: str) -> bool:
    return bool(_KEY.sub("", paragraph)) and not _ATTRIBUTION.search(paragraph)


def paragraph_prints(text: str) -> dict[str, str]:
    """{fingerprint: paragraph} of the paragraphs of a text that may be learnt."""
    prints: dict[str, str] = {}
    for paragraph in text.split("\n\n"):
        if learnable(paragraph):
            prints.setdefault(fingerprint(paragraph), paragraph)
    return prints


def threshold(source_articles: int) -> int:
    """How many of a source's articles a paragraph must be in to be learnt."""
    return max(MIN_ARTICLES, math.ceil(MIN_SHARE * source_articles))


def strip(text: str, prints: frozenset[str] | set[str]) -> str:
    """The text without the paragraphs whose fingerprints are given."""
    return "\n\n".join(p for p in text.split("\n\n") if fingerprint(p) not in prints)
