"""Pages that are not (whole) articles, and why.

A crawl meets many pages that hold no article: section, tag and archive
pages, login walls, paywall teasers, shells that need JavaScript to show
anything. Each gets a reason of its own, so crawl summaries can count them
and a user can see what was skipped. Pure functions over what extraction
already has in hand.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from newsarchive.extract.structured import Declared, types_of

# Words below which a page is not an article whatever else it shows.
MIN_ARTICLE_WORDS = 25
# A paywalled page whose body is shorter than this holds only the teaser.
PAYWALL_TEASER_WORDS = 250
# Links whose text has this many words look like headlines, not navigation.
HEADLINE_LINK_WORDS = 4
# This many headline links around a short text make a page of stories.
INDEX_MIN_HEADLINE_LINKS = 6

_LISTING_TYPES = {"CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage"}
_PAYWALL_PHRASES = re.compile(
    r"(subscribe|subscription|sign in|log in|register|become a member)\b[^.]{0,60}\b"
    r"(to (continue|keep) reading|to read (the|this) (full|rest|whole)|for full access|to unlock)"
    r"|(this|the) (article|story|content) is (only )?(available|reserved) (to|for) (subscribers|members)",
    re.I,
)
_NEEDS_SCRIPT = re.compile(
    r"(enable|turn on|activate) javascript|javascript (is )?(required|disabled|must be enabled)", re.I
)
_APP_ROOTS = ("root", "app", "__next", "__nuxt", "main-app")


def _not_free(value) -> bool:
    return value is False or (isinstance(value, str) and value.strip().lower() == "false")


def declared_paywall(declared: Declared) -> bool:
    """schema.org says part of the article is not free to read."""
    article = declared.jsonld or {}
    if _not_free(article.get("isAccessibleForFree")):
        return True
    parts = article.get("hasPart")
    parts = parts if isinstance(parts, list) else [parts]
    return any(isinstance(p, dict) and _not_free(p.get("isAccessibleForFree")) for p in parts)


def _headline_links(tree: HtmlElement) -> int:
    return sum(1 for a in tree.iter("a") if len(a.text_content().split()) >= HEADLINE_LINK_WORDS)


def _login_form(tree: HtmlElement) -> bool:
    return bool(tree.xpath('//input[@type="password"]'))


def _script_shell(tree: HtmlElement) -> bool:
    noscript = " ".join(n.text_content() for n in tree.iter("noscript"))
    if _NEEDS_SCRIPT.search(noscript):
        return True
    for root_id in _APP_ROOTS:
        for element in tree.xpath(f'//*[@id="{root_id}"]'):
            if not element.text_content().strip():
                return True
    return False


def non_article(tree: HtmlElement, declared: Declared, body: str) -> tuple[str, str] | None:
    """(reason, message) when the page is not a whole article, else None.

    `tree` is the page as parsed, `body` the text extraction kept.
    """
    words = len(body.split())
    listing = declared.jsonld is None and any(types_of(o) & _LISTING_TYPES for o in declared.jsonld_all)
    if listing:
        return "index-page", "the page is a list of stories (schema.org says so), not an article"
    if declared_paywall(declared) and words < PAYWALL_TEASER_WORDS:
        return "paywall", f"only a {words}-word teaser is on the page; the article is for subscribers"
    if words < PAYWALL_TEASER_WORDS and _PAYWALL_PHRASES.search(body[-600:]):
        return "paywall", f"only a {words}-word teaser is on the page; it asks the reader to subscribe"
    if words >= MIN_ARTICLE_WORDS:
        return None
    if _login_form(tree):
        return "login-wall", "the page asks for a login instead of showing an article"
    if _script_shell(tree):
        return (
            "needs-javascript",
            "the page shows its content only with JavaScript, which an archive does not run",
        )
    if _headline_links(tree) >= INDEX_MIN_HEADLINE_LINKS:
        return "index-page", "the page is a list of links to stories, not an article"
    if not body:
        return "no-text", "no article text found in the page"
    plural = "s" if words != 1 else ""
    return "too-short", f"the page's text is too short for an article ({words} word{plural})"
