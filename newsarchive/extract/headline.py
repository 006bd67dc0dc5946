"""Where a page shows its own headline, and what it prints right after it.

The lines after the headline are where a page prints its dateline and
byline; captions, asides, menus and boxes of other stories print dates and
names too, but not the article's. Pure functions over the parsed page.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

# A block of text this short that holds a date is a dateline; in a longer
# one the date is part of a sentence (a caption, the story itself).
STANDALONE_CHARS = 80
_INLINE_TAGS = {
    "span",
    "a",
    "time",
    "b",
    "strong",
    "em",
    "i",
    "small",
    "abbr",
    "font",
    "u",
    "sup",
    "sub",
    "br",
}


def blocks_after(element: HtmlElement, limit: int) -> list[str]:
    """The texts of the blocks (paragraphs, divs) that follow `element` in
    the document, up to `limit` characters, in order, leaving out what is
    printed elsewhere (`elsewhere`). Walks forward from the element only
    as far as it needs."""
    blocks: dict = {}
    size = 0
    for owner, text in _texts_after(element):
        if not text.strip() or elsewhere(owner):
            continue
        block = owner
        while block.tag in _INLINE_TAGS and block.getparent() is not None:
            block = block.getparent()
        blocks.setdefault(block, []).append(text)
        size += len(text)
        if size >= limit:
            break
    return [" ".join(" ".join(parts).split()) for parts in blocks.values()]


def _texts_after(element: HtmlElement):
    """(element the text belongs to, text) for the text that follows
    `element` in document order, lazily: its tail, then everything after
    it, up the tree."""
    node = element
    while node is not None:
        parent = node.getparent()
        if node.tail and parent is not None:
            yield parent, node.tail
        for sibling in node.itersiblings():
            yield from _texts_in(sibling)
            if sibling.tail and parent is not None:
                yield parent, sibling.tail
        node = parent


def _texts_in(element):
    """(owner, text) of an element's own text and its descendants', in order."""
    if not isinstance(element.tag, str) or element.tag in ("script", "style"):
        return
    if element.text:
        yield element, element.text
    for child in element:
        yield from _texts_in(child)
        if child.tail:
            yield element, child.tail


def headline_element(tree: HtmlElement, title: str):
    """The heading that shows the article's headline (an <h1>, else an
    <h2>; not the site's name, which some pages put in their <h1>)."""
    key = _comparable(title)
    if not key:
        return None
    for level in ("h1", "h2"):
        for heading in tree.iter(level):
            shown = _comparable(heading.text_content())
            if shown and (
                shown == key or (min(len(shown), len(key)) > 20 and (key in shown or shown in key))
            ):
                return heading
    return None


def _comparable(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


# Where a page prints dates that are not its own: captions, asides, menus,
# footers, and boxes of other stories.
_ELSEWHERE_TAGS = {"figure", "figcaption", "aside", "nav", "footer", "script", "style", "noscript"}
_ELSEWHERE_CLASSES = re.compile(
    r"caption|sidebar|related|teaser|widget|timeline|recommend|popular|most-?read|comment", re.I
)


def elsewhere(element) -> bool:
    """Inside a caption, aside, menu or footer, or in a box (of at most
    ELSEWHERE_DEPTH levels) whose class says it holds other stories."""
    for depth, node in enumerate([element, *element.iterancestors()]):
        if node.tag in _ELSEWHERE_TAGS:
            return True
        if depth < ELSEWHERE_DEPTH and _ELSEWHERE_CLASSES.search(node.get("class") or ""):
            return True
    return False


# How many levels up a class like "related" or "sidebar" still marks a
# date as another story's (further up, it is the page's layout column).
ELSEWHERE_DEPTH = 3


def plain_text(element) -> str:
    """The text a reader sees in an element (no script or style, no
    caption or aside inside it)."""
    return " ".join(
        text
        for text in element.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")
        if not _elsewhere_below(text.getparent(), element)
    )


def _elsewhere_below(node, top) -> bool:
    while node is not None and node is not top:
        if node.tag in _ELSEWHERE_TAGS or _ELSEWHERE_CLASSES.search(node.get("class") or ""):
            return True
        node = node.getparent()
    return False
