"""Choose an article's metadata from what the page declares and shows.

Order of trust, field by field: JSON-LD (written for search engines, most
often right), then OpenGraph and ``<meta>`` tags, then the visible page
(headline, byline, ``<time>``), then guesses (htmldate). Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from newsarchive.dates import parse_iso
from newsarchive.extract.structured import Declared, jsonld_names, jsonld_text
from newsarchive.sanitize import clean_line
from newsarchive.urls import absolute, is_web_url

# Separators between a headline and the site name in <title> and og:title.
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—·:•»]|::)\s+")
_NON_ALNUM = re.compile(r"[\W_]+")

_BYLINE_PREFIX = re.compile(r"^\s*(?:by|from|written by|posted by|von|par|por)\b[:\s]*", re.I)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\||&|\band\b|\bund\b|\bet\b|\by\b)\s*", re.I)
_LOOKS_LIKE_DATE = re.compile(
    r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\b(?:19|20)\d{2}\b|\d{1,2}:\d{2}"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d",
    re.I,
)
# A name longer than this is a sentence that slipped into a byline.
MAX_AUTHOR_WORDS = 6

_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "date",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
)

# Image credits as news sites print them, inside or after a caption.
_CREDIT_PATTERNS = (
    re.compile(r"\(\s*(?:photo\s+)?credit\s*:\s*(?P<credit>[^)]+)\)", re.I),
    re.compile(r"\(\s*(?:photo|image|picture|foto)\s*:\s*(?P<credit>[^)]+)\)", re.I),
    re.compile(
        r"(?:^|\s)(?:photo(?:graph)?|image|picture|credit|foto)s?\s*(?:credit)?\s*:\s*(?P<credit>.+)$",
        re.I,
    ),
    re.compile(r"(?:^|\s)(?:©|\(c\)|copyright)\s*(?P<credit>.+)$", re.I),
)
_CREDIT_CLASS = re.compile(r"credit|copyright|photographer|byline|source|author", re.I)


@dataclass(frozen=True)
class Metadata:
    title: str
    headlines: tuple[str, ...]  # every headline the page declares or shows
    subtitle: str | None
    authors: tuple[str, ...]
    published: str | None
    modified: str | None
    section: str | None
    tags: tuple[str, ...]
    declared_language: str | None
    canonical_url: str | None
    site_name: str | None
    image_url: str | None
    image_caption: str | None


def read_metadata(tree: HtmlElement, declared: Declared, url: str | None) -> Metadata:
    ld = declared.jsonld or {}
    site_name = (
        clean_line(
            jsonld_text(ld.get("publisher"))
            or declared.first("og:site_name", "application-name", "twitter:site")
        )
        or None
    )
    image = ld.get("image")
    image_url = jsonld_text(image.get("url") if isinstance(image, dict) else image)
    image_caption = jsonld_text(image.get("caption")) if isinstance(image, dict) else None
    image_url = image_url or declared.first("og:image", "og:image:url", "twitter:image")
    base = url or declared.canonical
    section = (
        clean_line(jsonld_text(ld.get("articleSection")) or declared.first("article:section", "section"))
        or None
    )
    host = urlsplit(base).hostname if base else None
    declared_titles, headings = headline_texts(tree, declared)
    return Metadata(
        title=choose_title(declared_titles, headings, site_name, section, host),
        headlines=tuple(declared_titles + headings),
        subtitle=clean_line(
            jsonld_text(ld.get("description"))
            or declared.first("og:description", "description", "twitter:description")
        )
        or None,
        authors=choose_authors(tree, declared),
        published=choose_date(
            [jsonld_text(ld.get("datePublished")), jsonld_text(ld.get("dateCreated"))]
            + declared.all(*_DATE_META)
            + _time_elements(tree)
        ),
        modified=choose_date([jsonld_text(ld.get("dateModified"))] + declared.all(*_MODIFIED_META)),
        section=section,
        tags=choose_tags(ld.get("keywords"), declared),
        declared_language=choose_language(declared, ld),
        canonical_url=choose_canonical(declared, ld, base),
        site_name=site_name,
        image_url=absolute(base, image_url),
        image_caption=clean_line(image_caption) or None,
    )


def _comparable(text: str) -> str:
    return _NON_ALNUM.sub("", text.casefold())


def strip_site_name(title: str, *names: str | None) -> str:
    """Drop "- Section - Site Name" style affixes from a title.

    A part at either end is dropped when it names the site (or its section);
    parts in the middle stay, since real headlines contain dashes too.
    """
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) == 1:
        return title
    keys = set()
    for name in names:
        for piece in [name or ""] + _TITLE_SEPARATORS.split(name or ""):
            if _comparable(piece):
                keys.add(_comparable(piece))

    def is_affix(part: str) -> bool:
        key = _comparable(part)
        if len(key) < 3:
            return False
        return any(
            key == name or key in name or (name in key and len(key) <= 1.5 * len(name)) for name in keys
        )

    while len(parts) > 1 and is_affix(parts[-1]):
        parts.pop()
    while len(parts) > 1 and is_affix(parts[0]):
        parts.pop(0)
    if len(parts) == len(_TITLE_SEPARATORS.split(title)):
        return title.strip()
    # Rejoin what is left with the separators the title had.
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip()


def headline_texts(tree: HtmlElement, declared: Declared) -> tuple[list[str], list[str]]:
    """The headlines a page declares (JSON-LD, OpenGraph, Twitter, <title>)
    and the ones it shows (<h1>), as written."""
    ld = declared.jsonld or {}
    declared_titles = [
        clean_line(t)
        for t in (
            jsonld_text(ld.get("headline")),
            declared.first("og:title"),
            declared.first("twitter:title"),
            declared.title_tag,
        )
        if t
    ]
    headings = [clean_line(h.text_content()) for h in tree.iter("h1")][:5]
    return [t for t in declared_titles if t], [h for h in headings if h]


def choose_title(declared_titles: list[str], headings: list[str], *affixes: str | None) -> str:
    """The headline: the declared one, confirmed by the page's <h1> if possible.

    JSON-LD headlines are sometimes truncated and og:title often carries the
    site name, so a visible <h1> that matches (or extends) a declared title
    is preferred to it.
    """
    stripped = [strip_site_name(t, *affixes) for t in declared_titles]
    for candidate in stripped:
        key = _comparable(candidate)
        for heading in headings:
            if _comparable(heading) == key or (len(key) > 20 and _comparable(heading).startswith(key)):
                return heading
    if stripped:
        return stripped[0]
    return headings[0] if headings else ""


def clean_author(name: str) -> list[str]:
    """People from one byline string: no "By", no dates, no addresses."""
    name = clean_line(name)
    if not name or is_web_url(name) or "@" in name:
        return []
    name = _BYLINE_PREFIX.sub("", name)
    people = []
    for part in _AUTHOR_SPLIT.split(name):
        part = _BYLINE_PREFIX.sub("", part).strip(" .:-–—")
        if not part or _LOOKS_LIKE_DATE.search(part) or len(part.split()) > MAX_AUTHOR_WORDS:
            continue
        people.append(part)
    return people


def choose_authors(tree: HtmlElement, declared: Declared) -> tuple[str, ...]:
    ld = declared.jsonld or {}
    sources = [
        jsonld_names(ld.get("author")) or jsonld_names(ld.get("creator")),
        declared.all("author", "article:author", "byl", "sailthru.author", "parsely-author", "dc.creator"),
        _byline_texts(tree),
    ]
    for names in sources:
        people = []
        for raw in names:
            for person in clean_author(raw):
                if _comparable(person) not in {_comparable(p) for p in people}:
                    people.append(person)
        if people:
            return tuple(people)
    return ()


def _byline_texts(tree: HtmlElement) -> list[str]:
    found = tree.xpath(
        '//*[@rel="author" or @itemprop="author"]'
        ' | //*[contains(concat(" ", normalize-space(@class), " "), " byline ")]//a'
        ' | //*[contains(concat(" ", normalize-space(@class), " "), " author ")]'
    )
    return [element.text_content() for element in found[:5]]


def _time_elements(tree: HtmlElement) -> list[str]:
    values = []
    for element in tree.xpath('//time[@datetime] | //*[@itemprop="datePublished"]')[:5]:
        values.append(element.get("datetime") or element.get("content") or "")
    return values


def normalize_date(value: str | None) -> str | None:
    """ISO 8601 text for a date value, keeping the precision the page gave."""
    if not value:
        return None
    parsed = parse_iso(value.strip())
    if parsed is None or not 1800 <= parsed.year <= 2200:
        return None
    if len(value.strip()) == 10:
        return parsed.date().isoformat()
    return parsed.replace(microsecond=0).isoformat()


def choose_date(candidates: list[str | None]) -> str | None:
    for candidate in candidates:
        value = normalize_date(candidate)
        if value:
            return value
    return None


def choose_tags(keywords, declared: Declared) -> tuple[str, ...]:
    if isinstance(keywords, str):
        raw = keywords.split(",")
    elif isinstance(keywords, list):
        raw = [k for k in keywords if isinstance(k, str)]
    else:
        raw = []
    raw = raw or declared.all("article:tag") or ",".join(declared.all("news_keywords", "keywords")).split(",")
    tags: list[str] = []
    seen = set()
    for tag in raw:
        tag = clean_line(tag)
        key = tag.casefold()
        if tag and key not in seen and len(tag) <= 60:
            seen.add(key)
            tags.append(tag)
    return tuple(tags)


def language_code(value: str | None) -> str | None:
    """ISO 639-1 code from a language tag such as ``en-US`` or ``pt_BR``."""
    if not value:
        return None
    primary = re.split(r"[-_]", value.strip())[0].lower()
    return primary if len(primary) == 2 and primary.isalpha() else None


def choose_language(declared: Declared, ld: dict) -> str | None:
    for value in (
        jsonld_text(ld.get("inLanguage")),
        declared.html_lang,
        declared.first("og:locale", "http-equiv:content-language", "language", "dc.language"),
    ):
        code = language_code(value)
        if code:
            return code
    return None


def choose_canonical(declared: Declared, ld: dict, base: str | None) -> str | None:
    """The page's canonical URL, unless it obviously points elsewhere.

    Some sites set every page's canonical to their home page; storing all
    articles under one key would overwrite them, so a canonical URL without
    a path for a page that has one is ignored.
    """
    main = ld.get("mainEntityOfPage")
    for href in (declared.canonical, declared.first("og:url"), jsonld_text(main), jsonld_text(ld.get("url"))):
        candidate = absolute(base, href)
        if not candidate:
            continue
        if base and is_web_url(base) and _is_site_root(candidate) and not _is_site_root(base):
            continue
        return candidate
    return None


def _is_site_root(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def split_credit(caption: str) -> tuple[str, str | None]:
    """A caption and the photo credit printed inside it."""
    for pattern in _CREDIT_PATTERNS:
        match = pattern.search(caption)
        if match:
            credit = match.group("credit").strip(" .)")
            rest = (caption[: match.start()] + caption[match.end() :]).strip(" .,-–—|")
            return rest, credit or None
    return caption, None


def figure_images(tree: HtmlElement, base: str | None) -> list[tuple[str, str | None, str | None]]:
    """(url, caption, credit) of each figure in the page that has an image."""
    images = []
    for figure in tree.iter("figure"):
        img = next(figure.iter("img"), None)
        if img is None:
            continue
        src = img.get("src") or img.get("data-src") or ""
        url = absolute(base, src)
        if not url:
            continue
        caption = credit = None
        figcaption = next(figure.iter("figcaption"), None)
        if figcaption is not None:
            credit_parts = [
                clean_line(e.text_content())
                for e in figcaption.iter()
                if e is not figcaption and _CREDIT_CLASS.search(e.get("class") or "")
            ]
            text = clean_line(figcaption.text_content())
            for part in credit_parts:
                text = text.replace(part, " ")
            caption, credit = split_credit(clean_line(text))
            if credit_parts and not credit:
                credit = " ".join(credit_parts)
            if credit:
                credit = split_credit(credit)[1] or credit
            caption = caption or None
        images.append((url, caption, credit))
    return images
