"""A second opinion on the body, for pages where trafilatura cut it short.

trafilatura in precision mode is the best single extractor on news pages,
but on some layouts (an article split over several containers) it keeps
only one part. Those pages show it: the page holds much more prose than
was extracted. Only then is readability asked, and its answer is taken
only when it is clearly the same article, longer: it contains nearly all
of what trafilatura found, and substantially more.

Thresholds were set on the article-extraction dev set and checked for
stability: every value between 0.5 and 0.8 for the trigger, 1.2 and 1.5 for
the growth and 0.7 and 0.9 for the containment switches the same two pages
(both cut short by trafilatura) and no others.
"""

from __future__ import annotations

import re
from collections import Counter

import lxml.html
from lxml.etree import ParserError
from lxml.html import HtmlElement

from newsarchive.article import rough_words
from newsarchive.extract.body import Block

# A <p> of at least this many words is prose rather than a label or a link.
PROSE_MIN_WORDS = 12
# Ask readability when the extracted body has less than this share of the
# page's prose.
TRIGGER_SHARE = 0.6
# Take readability's body only when it is at least this much longer...
MIN_GROWTH = 1.3
# ...and contains at least this share of trafilatura's 4-word shingles.
MIN_CONTAINMENT = 0.8

_WORD = re.compile(r"\w+")
_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")


def prose_words(tree: HtmlElement) -> int:
    """Words in the page's prose paragraphs, wherever they are."""
    total = 0
    for paragraph in tree.iter("p"):
        words = rough_words(paragraph.text_content())
        if words >= PROSE_MIN_WORDS:
            total += words
    return total


def needs_second_opinion(extracted_words: int, page_prose_words: int) -> bool:
    return extracted_words < TRIGGER_SHARE * page_prose_words


def readability_blocks(html: str, url: str | None) -> list[Block]:
    """readability's main content, as blocks."""
    from readability import Document
    from readability.readability import Unparseable

    try:
        summary = Document(html, url=url).summary(html_partial=True)
        root = lxml.html.fragment_fromstring(summary, create_parent="div")
    except (Unparseable, ParserError, ValueError):
        return []
    blocks = []
    for element in root.iter(*_BLOCK_TAGS):
        if any(parent.tag in ("p", "li", "blockquote", "pre") for parent in element.iterancestors()):
            continue
        text = " ".join(element.text_content().split())
        if text:
            blocks.append(Block(text, "head" if element.tag[0] == "h" else "p"))
    return blocks


def _shingles(text: str) -> Counter:
    tokens = _WORD.findall(text)
    return Counter(tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3)))


def containment(part: str, whole: str) -> float:
    """Share of `part`'s 4-word shingles (with multiplicity) found in `whole`."""
    ours, theirs = _shingles(part), _shingles(whole)
    total = sum(ours.values())
    if not total:
        return 0.0
    return sum(min(count, theirs[key]) for key, count in ours.items()) / total


def prefer_second(first: list[str], second: list[str]) -> bool:
    """Whether the second body is the same article as the first, longer."""
    first_text, second_text = "\n\n".join(first), "\n\n".join(second)
    if not first_text:
        return bool(second_text)
    return rough_words(second_text) >= MIN_GROWTH * rough_words(first_text) and (
        containment(first_text, second_text) >= MIN_CONTAINMENT
    )
