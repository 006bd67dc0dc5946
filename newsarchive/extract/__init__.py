"""Normalize one page into an article: ``html bytes + url -> Article | None``.

Pure: no I/O, no clock, no state between calls; the same input always
gives the same article. `extract` answers None for a page that holds no
article; `extract_article` raises NoArticle instead, with the reason, for
callers that count or report rejections.
"""

from __future__ import annotations

import hashlib
import logging
import re

import lxml.html
from lxml.etree import ParserError

from newsarchive.article import Article, Image, count_words, rough_words
from newsarchive.boilerplate import fingerprint
from newsarchive.errors import NoArticle
from newsarchive.extract import fallback
from newsarchive.extract.body import blocks_from_body, clean_blocks, trafilatura_body
from newsarchive.extract.decode import decode_html
from newsarchive.extract.images import figure_images, photo_key
from newsarchive.extract.knowledge import NO_HINTS, NO_RULES, Hints, SiteRules
from newsarchive.extract.language import detect_language
from newsarchive.extract.metadata import Metadata, read_metadata, title_parts
from newsarchive.extract.structured import read_declared
from newsarchive.extract.verdict import MIN_ARTICLE_WORDS, judge
from newsarchive.sanitize import clean_line, strip_controls
from newsarchive.urls import canonicalize, source_of

# The extraction libraries log their doubts about odd pages as warnings; an
# archive meets odd pages all day, and says why it skips one in its own words.
for _library in ("trafilatura", "htmldate", "readability", "courlan"):
    logging.getLogger(_library).addHandler(logging.NullHandler())
    logging.getLogger(_library).propagate = False

__all__ = [
    "extract",
    "extract_article",
    "Hints",
    "SiteRules",
    "MAX_PAGE_BYTES",
    "MIN_ARTICLE_WORDS",
]

# Pages above this size are refused: real article pages stay well below
# 5 MB, while trafilatura needs over a minute on a 28 MB page.
MAX_PAGE_BYTES = 15 * 1024 * 1024
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Share of NUL and other control bytes in the first KiB above which a body is
# not text at all (an image, a PDF, a compressed stream).
MAX_BINARY_SHARE = 0.05


def extract(
    html: bytes | str,
    url: str | None = None,
    *,
    content_type: str | None = None,
    fetched: str | None = None,
    rules: SiteRules = NO_RULES,
    hints: Hints = NO_HINTS,
) -> Article | None:
    """The article in a page, or None when the page holds none."""
    try:
        return extract_article(
            html, url, content_type=content_type, fetched=fetched, rules=rules, hints=hints
        )
    except NoArticle:
        return None


def extract_article(
    html: bytes | str,
    url: str | None = None,
    *,
    content_type: str | None = None,
    fetched: str | None = None,
    rules: SiteRules = NO_RULES,
    hints: Hints = NO_HINTS,
) -> Article:
    """The article in a page; raises NoArticle(reason) when there is none.

    `url` is where the page was fetched; `content_type` the HTTP header, for
    its charset; `fetched` the capture time (ISO 8601), copied to the record;
    `rules` what the archive knows of the site; `hints` what the crawl saw of
    the page in a feed or sitemap.
    """
    text = _page_text(html, content_type)
    try:
        tree = lxml.html.document_fromstring(text)
    except (ParserError, ValueError) as error:
        raise NoArticle("unparsable", f"the page cannot be parsed as HTML ({error})") from None
    if rules.drop and _drop(tree, rules.drop):
        text = lxml.html.tostring(tree, encoding="unicode")
    declared = read_declared(tree)
    meta = read_metadata(tree, declared, url, html=text, rules=rules, hints=hints)
    base = url or meta.canonical_url
    images = _images(meta, figure_images(tree, base))
    paragraphs, body_origin = _body(text, tree, base, meta, images, rules)
    body = "\n\n".join(paragraphs)
    if count_words(body) < MIN_ARTICLE_WORDS:
        # The page shows (almost) nothing; its structured data may hold the
        # text (a page its scripts render).
        declared_body = _declared_body(declared, rules)
        if count_words(declared_body) > count_words(body):
            body, body_origin = declared_body, "json-ld"
    verdict = judge(tree, declared, body)
    canonical = canonicalize(meta.canonical_url or url or _content_urn(body))
    language = meta.declared_language or detect_language(body)
    provenance = {**meta.provenance, "text": body_origin}
    if not meta.declared_language and language:
        provenance["language"] = "detected"
    if "canonical_url" not in provenance:
        provenance["canonical_url"] = "fetched-url" if url else "content"
    if _is_live_blog(declared):
        # New entries of a live blog are not new versions (versions/classify.py).
        provenance["live"] = "json-ld"
    article = Article(
        url=url or canonical,
        canonical_url=canonical,
        source=source_of(canonical),
        site_name=meta.site_name,
        title=meta.title,
        subtitle=_standfirst(meta.subtitle, body),
        authors=meta.authors,
        published=meta.published,
        modified=meta.modified,
        section=meta.section,
        tags=meta.tags,
        language=language,
        text=body,
        images=images,
        fetched=fetched,
        access=verdict.access,
        provenance=provenance,
    )
    if verdict.refused:
        raise NoArticle(*verdict.refused, partial=article if body else None)
    return article


def _is_live_blog(declared) -> bool:
    kind = (declared.jsonld or {}).get("@type")
    return "LiveBlogPosting" in (kind if isinstance(kind, list) else [kind])


def _drop(tree, selectors: tuple[str, ...]) -> int:
    """Remove the elements a site's rules say are never the article."""
    from lxml.cssselect import CSSSelector

    removed = 0
    for selector in selectors:
        for element in CSSSelector(selector)(tree):
            if element.getparent() is not None:
                element.drop_tree()
                removed += 1
    return removed


def _body(
    text: str, tree, url: str | None, meta: Metadata, images: tuple[Image, ...], rules: SiteRules
) -> tuple[list[str], str]:
    """The article's paragraphs and which extractor found them: trafilatura,
    or readability where trafilatura visibly cut the article short (see
    `fallback`). Paragraphs the site is known to repeat in every article
    are dropped from either."""
    repeated = {meta.title, *meta.headlines, *title_parts(meta.title)} | {
        part for image in images for part in (image.caption, image.credit) if part
    }
    links = {anchor.text_content() for anchor in tree.iter("a")}

    def clean(blocks):
        kept = clean_blocks(blocks, repeated=repeated, links=links, authors=meta.authors)
        if not rules.boilerplate:
            return kept
        return [p for p in kept if fingerprint(p) not in rules.boilerplate]

    paragraphs = clean(blocks_from_body(trafilatura_body(text, url)))
    extracted = sum(rough_words(p) for p in paragraphs)
    if fallback.needs_second_opinion(extracted, fallback.prose_words(tree)):
        second = clean(fallback.readability_blocks(text, url))
        if fallback.prefer_second(paragraphs, second):
            return second, "readability"
    return paragraphs, "trafilatura"


def _declared_body(declared, rules: SiteRules) -> str:
    """The article's text as its JSON-LD gives it (`articleBody`), in
    paragraphs, without what the site is known to repeat."""
    value = (declared.jsonld or {}).get("articleBody")
    if not isinstance(value, str) or not value.strip():
        return ""
    if re.search(r"<(p|br|div)\b", value, re.I):  # some sites put HTML there
        value = re.sub(r"<br\s*/?>|</(p|div|h\d|li)>", "\n", value, flags=re.I)
        value = lxml.html.fragment_fromstring(value, create_parent="div").text_content()
    lines = (clean_line(line) for line in re.split(r"\r?\n", strip_controls(value)))
    return "\n\n".join(
        line
        for line in lines
        if line and (not rules.boilerplate or fingerprint(line) not in rules.boilerplate)
    )


def _page_text(html: bytes | str, content_type: str | None) -> str:
    size = len(html)
    if size == 0 or not (html.strip() if isinstance(html, bytes) else html.strip()):
        raise NoArticle("empty", "the page is empty")
    if size > MAX_PAGE_BYTES:
        raise NoArticle(
            "too-large",
            f"the page is {size / 1e6:.0f} MB; pages over {MAX_PAGE_BYTES / 1e6:.0f} MB are not articles",
        )
    if isinstance(html, bytes):
        head = html[:1024]
        binary = sum(1 for b in head if b < 9 or 13 < b < 32)
        if binary > MAX_BINARY_SHARE * len(head):
            raise NoArticle("not-html", "the file is binary, not an HTML page")
        html = decode_html(html, content_type)
    # An XHTML page's XML declaration names an encoding, which lxml refuses
    # on text that is already decoded.
    return strip_controls(_XML_DECLARATION.sub("", html, count=1))


def _images(meta: Metadata, figures: list[tuple[str, str | None, str | None]]) -> tuple[Image, ...]:
    """The lead image first (with its caption and credit when a figure shows
    it), then the other figures; each photo once, however many sizes of it
    the page links (og:image is often another size of the first figure)."""
    images: dict[str, Image] = {}
    by_photo = {photo_key(url): (url, caption, credit) for url, caption, credit in reversed(figures)}
    if meta.image_url:
        _, caption, credit = by_photo.get(photo_key(meta.image_url), (None, None, None))
        images[photo_key(meta.image_url)] = Image(meta.image_url, caption or meta.image_caption, credit)
    for url, caption, credit in figures:
        images.setdefault(photo_key(url), Image(url, caption, credit))
    return tuple(images.values())


def _standfirst(subtitle: str | None, body: str) -> str | None:
    """The description, unless it is only the first lines of the body again
    (many sites fill it with a truncated lead paragraph)."""
    if not subtitle:
        return None
    key = "".join(ch for ch in subtitle.rstrip(".… ").casefold() if ch.isalnum())
    lead = "".join(ch for ch in body[: len(subtitle) * 2].casefold() if ch.isalnum())
    return None if key and lead.startswith(key) else subtitle


def _content_urn(body: str) -> str:
    """An identifier for a page that names no URL: derived from its text, so
    the same page added twice is still one article."""
    return "urn:sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()
