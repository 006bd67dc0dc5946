"""Pages that hold no article, and articles only partly shown.

A crawl meets many pages that hold no article: section, tag and archive
pages, login pages, error pages, shells that need JavaScript to show
anything. Each is refused with a reason of its own, so crawl summaries can
count them and a user can see what was skipped. A real article is never
refused: one behind a paywall or a login keeps what it shows and is marked
(`access`), and a short one (a photo story, a brief) is kept when the page
says it is an article. Pure functions over what extraction already has in
hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from newsarchive.article import count_words
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


@dataclass(frozen=True)
class Verdict:
    """What a page is: an article and how much of it is shown (`access`:
    "free", or "paywalled" / "login" when only a teaser is), or refused."""

    access: str = "free"
    refused: tuple[str, str] | None = None  # (reason, message)


FREE = Verdict()


def says_article(declared: Declared) -> bool:
    """The page calls itself an article: schema.org, OpenGraph or a
    publication time in its meta tags."""
    og_type = (declared.first("og:type") or "").strip().lower()
    return (
        declared.jsonld is not None or og_type == "article" or bool(declared.first("article:published_time"))
    )


def judge(tree: HtmlElement, declared: Declared, body: str) -> Verdict:
    """Whether the page holds an article, and how much of it is shown.

    `tree` is the page as parsed, `body` the text extraction kept. Lengths
    are in words as `count_words` counts them (a character in scripts
    written without spaces).
    """
    words = count_words(body)
    article = says_article(declared)
    listing = declared.jsonld is None and any(types_of(o) & _LISTING_TYPES for o in declared.jsonld_all)
    if listing and not article:
        return _refuse("index-page", "the page is a list of stories (schema.org says so), not an article")
    if words < PAYWALL_TEASER_WORDS and (declared_paywall(declared) or _PAYWALL_PHRASES.search(body[-600:])):
        return Verdict("paywalled")
    if words >= MIN_ARTICLE_WORDS:
        return FREE
    if _login_form(tree):
        if article:
            return Verdict("login")
        return _refuse("login-wall", "the page asks for a login instead of showing an article")
    if not article and _headline_links(tree) >= INDEX_MIN_HEADLINE_LINKS:
        return _refuse("index-page", "the page is a list of links to stories, not an article")
    if (not body or not article) and _script_shell(tree):
        return _refuse(
            "needs-javascript",
            "the page shows its content only with JavaScript, which an archive does not run",
        )
    if not body:
        return _refuse("no-text", "no article text found in the page")
    if article:
        return FREE  # a short article: a photo story, a brief
    plural = "s" if words != 1 else ""
    return _refuse("too-short", f"the page's text is too short for an article ({words} word{plural})")


def _refuse(reason: str, message: str) -> Verdict:
    return Verdict(refused=(reason, message))
