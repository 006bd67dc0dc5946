"""Choose an article's metadata from what the page declares and shows.

Order of trust, field by field: JSON-LD (written for search engines, most
often right), then OpenGraph and ``<meta>`` tags, then the visible page
(headline, byline, ``<time>``), then guesses (htmldate). Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from lxml.html import HtmlElement

from newsarchive.extract.datefind import (
    STRUCTURED,
    DateEvidence,
    choose_date,
    dateline,
    dateline_texts,
    guessed_date,
    normalize_date,
    order_vote,
    url_day,
)
from newsarchive.extract.headline import STANDALONE_CHARS, blocks_after, headline_element
from newsarchive.extract.knowledge import NO_HINTS, NO_RULES, Hints, SiteRules
from newsarchive.extract.structured import Declared, jsonld_names, jsonld_organizations, jsonld_text
from newsarchive.extract.zones import site_zone
from newsarchive.sanitize import meta_line
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

Candidates = Iterable[tuple[str, object]]


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
    # Where each field's value came from: "json-ld", "opengraph", "meta",
    # "h1", "byline", "feed", "htmldate", ...; fields with no value are absent.
    provenance: dict[str, str] = field(default_factory=dict)


def first_found(candidates: Candidates, normalize: Callable) -> tuple[str | None, str | None]:
    """The first candidate that normalizes to a value, and where it came from."""
    for origin, raw in candidates:
        value = normalize(raw) if raw else None
        if value:
            return value, origin
    return None, None


def _line(value) -> str | None:
    return meta_line(value) or None if isinstance(value, str) else None


def read_metadata(
    tree: HtmlElement,
    declared: Declared,
    url: str | None,
    *,
    html: str = "",
    rules: SiteRules = NO_RULES,
    hints: Hints = NO_HINTS,
) -> Metadata:
    ld = declared.jsonld or {}
    found: dict[str, str] = {}
    provenance: dict[str, str] = {}

    def take(name: str, candidates: Candidates, normalize: Callable = _line) -> str | None:
        value, origin = first_found(candidates, normalize)
        if value and origin:
            found[name], provenance[name] = value, origin
        return value

    site_name = take(
        "site_name",
        [("json-ld", jsonld_text(ld.get("publisher")))]
        + declared.tagged("og:site_name", "application-name", "twitter:site"),
    )
    base = url or declared.canonical
    section = take(
        "section",
        [("json-ld", jsonld_text(ld.get("articleSection")))] + declared.tagged("article:section", "section"),
    )
    declared_titles, headings = headline_texts(tree, declared)
    host = urlsplit(base).hostname if base else None
    title, origin = choose_title(declared_titles, headings, site_name, section, host)
    if not title and hints.title:
        title, origin = meta_line(hints.title), hints.origin
    if title:
        provenance["title"] = origin
    take(
        "subtitle",
        [("json-ld", jsonld_text(ld.get("description")))]
        + declared.tagged("og:description", "description", "twitter:description"),
    )
    authors, origin = choose_authors(tree, declared, (site_name, site_label(host)), title or "")
    if authors:
        provenance["authors"] = origin
    zone = ZoneInfo(rules.timezone) if rules.timezone else None
    in_zone = lambda value: normalize_date(value, zone)  # noqa: E731
    language = ld.get("inLanguage") if isinstance(ld.get("inLanguage"), str) else None
    evidence = DateEvidence(
        read_dateline=lambda: dateline(tree, rules.date_order, title or ""),
        url_day=url_day(base),
        site_zone=site_zone(host, language or declared.html_lang)[0],
        rules_zone=zone,
    )
    candidates = [
        ("json-ld", jsonld_text(ld.get("datePublished"))),
        ("json-ld", jsonld_text(ld.get("dateCreated"))),
        *declared.tagged(*_DATE_META),
        *[("time-element", value) for value in _time_elements(tree)],
        (hints.origin, hints.published),
    ]
    normalized = list(_normalized(candidates, in_zone))
    if not normalized and evidence.dateline:
        normalized = list(_normalized([("dateline", evidence.dateline[0].iso())], in_zone))
    if not normalized and html:
        normalized = list(_normalized([("htmldate", guessed_date(html, url))], in_zone))
    published, published_from = choose_date(normalized, evidence)
    if published and published_from:
        found["published"], provenance["published"] = published, published_from
        if rules.ask_date_order and published_from in STRUCTURED:
            # Evidence of how the site writes numeric dates, for the site
            # knowledge the archive learns (pages without structured dates
            # are then read in the site's own order); "none" when the page
            # shows none, so the archive knows when to stop asking.
            provenance["date_order"] = order_vote(published, dateline_texts(tree, title or "")) or "none"
    modified, modified_from = choose_date(
        list(
            _normalized(
                [("json-ld", jsonld_text(ld.get("dateModified"))), *declared.tagged(*_MODIFIED_META)], in_zone
            )
        ),
        evidence,
    )
    if modified and modified_from:
        found["modified"], provenance["modified"] = modified, modified_from
    tags, origin = choose_tags(ld.get("keywords"), declared)
    if tags:
        provenance["tags"] = origin
    take(
        "declared_language",
        [("json-ld", jsonld_text(ld.get("inLanguage"))), ("html-lang", declared.html_lang)]
        + declared.tagged("og:locale", "http-equiv:content-language", "language", "dc.language"),
        language_code,
    )
    take(
        "canonical_url",
        [("link-canonical", declared.canonical)]
        + declared.tagged("og:url")
        + [("json-ld", jsonld_text(ld.get("mainEntityOfPage"))), ("json-ld", jsonld_text(ld.get("url")))],
        lambda href: _canonical(href, base),
    )
    image = ld.get("image")
    take(
        "image_url",
        [("json-ld", jsonld_text(image.get("url") if isinstance(image, dict) else image))]
        + declared.tagged("og:image", "og:image:url", "twitter:image"),
        lambda href: absolute(base, href),
    )
    if isinstance(image, dict):
        take("image_caption", [("json-ld", jsonld_text(image.get("caption")))])
    if "declared_language" in provenance:
        provenance["language"] = provenance.pop("declared_language")
    return Metadata(
        title=title or "",
        headlines=tuple(title for _, title in declared_titles) + tuple(headings),
        subtitle=found.get("subtitle"),
        authors=authors,
        published=found.get("published"),
        modified=found.get("modified"),
        section=section,
        tags=tags,
        declared_language=found.get("declared_language"),
        canonical_url=found.get("canonical_url"),
        site_name=site_name,
        image_url=found.get("image_url"),
        image_caption=found.get("image_caption"),
        provenance=provenance,
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


def title_parts(title: str, min_words: int = 4) -> list[str]:
    """The parts of a "Headline - Site" title long enough to be a headline
    on their own (a body that starts with one repeats the headline)."""
    return [part for part in _TITLE_SEPARATORS.split(title) if len(part.split()) >= min_words]


def headline_texts(tree: HtmlElement, declared: Declared) -> tuple[list[tuple[str, str]], list[str]]:
    """The headlines a page declares (JSON-LD, OpenGraph, Twitter, <title>),
    each with where it came from, and the ones it shows (<h1>)."""
    ld = declared.jsonld or {}
    titles = [
        ("json-ld", jsonld_text(ld.get("headline"))),
        ("opengraph", declared.first("og:title")),
        ("twitter", declared.first("twitter:title")),
        ("title-tag", declared.title_tag),
    ]
    declared_titles = [(origin, meta_line(title)) for origin, title in titles if title and meta_line(title)]
    headings = [meta_line(h.text_content()) for h in tree.iter("h1")][:5]
    return declared_titles, [h for h in headings if h]


# A visible headline the declared title holds, with something added before
# or after it, is taken when it is at least this long and this share of it.
HEADLINE_MIN_CHARS, HEADLINE_SHARE = 20, 0.5


def choose_title(
    declared_titles: list[tuple[str, str]], headings: list[str], *affixes: str | None
) -> tuple[str, str]:
    """The headline and where it came from: the declared one, confirmed by
    the page's <h1> if possible.

    JSON-LD headlines are sometimes truncated, and og:title often carries
    the site's name, a kicker or a teaser around the headline, so a visible
    <h1> that matches a declared title, extends it, or is all of it but
    such an addition, is preferred to it.
    """
    stripped = [(origin, strip_site_name(title, *affixes)) for origin, title in declared_titles]
    for _, candidate in stripped:
        key = _comparable(candidate)
        for heading in headings:
            shown = _comparable(heading)
            if shown == key or (len(key) > 20 and shown.startswith(key)):
                return heading, "h1"
            if len(shown) >= max(HEADLINE_MIN_CHARS, HEADLINE_SHARE * len(key)) and (
                key.startswith(shown) or key.endswith(shown)
            ):
                return heading, "h1"
    if stripped:
        return stripped[0][1], stripped[0][0]
    return (headings[0], "h1") if headings else ("", "")


def clean_author(name: str) -> list[str]:
    """People from one byline string: no "By", no dates, no addresses, no
    image credits, no credentials, no "View all posts by"."""
    name = meta_line(name)
    if not name or is_web_url(name) or "@" in name or _CREDIT.search(name):
        return []
    if _COMMENTER.search(name):  # a commenter's "Jane says:", not a byline
        return []
    name = _POSTS_BY.sub("", name)
    name = _BYLINE_PREFIX.sub("", name)
    people = []
    for part in _AUTHOR_SPLIT.split(name):
        part = _FOOTNOTE.sub("", _BYLINE_PREFIX.sub("", part)).strip(" .:-–—→»>|")
        if (
            not part
            or _LOOKS_LIKE_DATE.search(part)
            or len(part.split()) > MAX_AUTHOR_WORDS
            or _CREDENTIAL.fullmatch(part)
            or _LABEL.fullmatch(part)
            or not any(ch.isalpha() for ch in part)
        ):
            continue
        people.append(part)
    return people


# An image credit in an author field: "(Image: Getty Images)", "Foto: dpa".
_CREDIT = re.compile(
    r"^\(|\b(image|images|photo|photos|foto|fotos|bild|picture|credit|getty|istock\w*|shutterstock|imago)\b\s*[:/)]"
    r"|getty images|istockphoto|shutterstock",
    re.I,
)
# Links in author boxes: "View all posts by Jane", "Zeige alle Beiträge von
# Jane", "Zum Profil von Jane".
_POSTS_BY = re.compile(
    r"^.*?\b(posts|articles|stories|beiträge|artikel|artículos|articoli|profile?|profil)\s+(by|von|of|de|par|di)\s+",
    re.I,
)
# Footnote marks after a name ("Marwan H. Adwan1", "Jane Doe*").
_FOOTNOTE = re.compile(r"(?<=[^\W\d_])[\d*†‡]+$")
_COMMENTER = re.compile(r"\s(says|said|sagt|schreibt|dice|dit)\s*:?\s*$", re.I)
# Labels of empty byline templates: "Name", "Autor", "Datum".
_LABEL = re.compile(
    r"(name|author|autor|auteur|autore|datum|date|unbenannt|untitled|admin|administrator)", re.I
)
_CREDENTIAL = re.compile(r"(ph\.?\s?d|m\.?d|msc|m\.?sc|mba|rdn?|dr|prof|ma|ba|jr|sr|cpa|esq)\.?", re.I)


def choose_authors(
    tree: HtmlElement, declared: Declared, site_names: tuple[str | None, ...] = (), title: str = ""
) -> tuple[tuple[str, ...], str]:
    """People who wrote the article, and where their names came from.

    Sources in order of trust: JSON-LD, meta tags, the visible byline
    (its markup, then a "By ..." line under the headline), trafilatura's
    reading of the byline. The first that names a
    person (or a news agency, which is a byline too) gives the authors;
    the site, its publisher and image credits never do. A desk ("BR24
    Redaktion") is the author only where no source names a person.
    """
    ld = declared.jsonld or {}
    publishers = jsonld_organizations(ld.get("author")) + jsonld_names(ld.get("publisher"))
    sites = {
        key
        for key in (_comparable(n or "").removeprefix("www") for n in (*site_names, *publishers))
        if len(key) >= 3
    }

    def is_site(name: str) -> bool:
        """The site or its publisher under another spelling ("mdr.de",
        "Motorsport-Total.com"); a blog named after its author is a person."""
        if _DOMAIN.fullmatch(name.strip()):
            return True
        key = _comparable(name).removeprefix("www")
        named = any(
            key == site or (site in key and len(site) >= SITE_SHARE * len(key)) or key in site
            for site in sites
        )
        return named and not looks_like_person(name)

    sources = [
        ("json-ld", lambda: jsonld_names(ld.get("author")) or jsonld_names(ld.get("creator"))),
        ("meta", lambda: declared.all(*_AUTHOR_META)),
        ("byline", lambda: _byline_texts(tree)),
        ("byline", lambda: _byline_lines(tree, title)),
        ("trafilatura", lambda: _trafilatura_byline(tree)),
    ]
    desks: tuple[tuple[str, ...], str] = ((), "")
    for origin, names in sources:
        people: list[str] = []
        for raw in names():
            for person in clean_author(raw):
                if _comparable(person) and _comparable(person) not in {_comparable(p) for p in people}:
                    people.append(person)
        if len(people) > MAX_AUTHORS:  # a reference list or a tag cloud, not a byline
            continue
        kept = [p for p in people if is_agency(p) or not (is_site(p) or is_desk(p) or is_organization(p))]
        if kept:
            return tuple(kept), origin
        found_desks = tuple(p for p in people if is_desk(p) and not is_site(p))
        if found_desks and not desks[0]:
            desks = found_desks, origin
    return desks


# More names than this in one source are not a byline (a paper's reference
# list in microdata, a tag cloud); news articles have a few authors.
MAX_AUTHORS = 12
# A name that holds the site's name makes up at least this share of it when
# it is the site under another spelling ("Motorsport-Total.com"), not a
# person whose blog the site is ("Helge Fahrnberger" on helge.at).
SITE_SHARE = 0.6
_ORGANIZATION_WORDS = re.compile(
    r"\b(news|times|post|zeitung|nachrichten|magazin|magazine|journal|online|radio|tv|verlag|gmbh|ag|e\.?\s?v|inc"
    r"|ltd|llc|media|press|presse|daily|tribune|herald|gazette|courier|kurier|rundschau|anzeiger|today|der|die|das"
    r"|the|le|la|el|il)\b",
    re.I,
)


def site_label(host: str | None) -> str | None:
    """The name part of a site's domain: "mdr" for www.mdr.de, "bbc" for
    www.bbc.co.uk, "wordpress" for a blog at jane.wordpress.com (whose
    "jane" is its author, not the site)."""
    if not host:
        return None
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVELS:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


_SECOND_LEVELS = {"co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go"}


def looks_like_person(name: str) -> bool:
    """Two to four capitalized words, none an organization's ("Andreas Kalt",
    not "Lesotho Times" or "DER SPIEGEL")."""
    words = name.split()
    return (
        2 <= len(words) <= 4
        and all(
            word[:1].isupper() and not word.isupper() and word.replace("-", "").replace(".", "").isalpha()
            for word in words
        )
        and not _ORGANIZATION_WORDS.search(name)
    )


_AUTHOR_META = ("author", "article:author", "byl", "sailthru.author", "parsely-author", "dc.creator")
_DOMAIN = re.compile(r"(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/\S*)?", re.I)
# News agencies: a byline of theirs names who wrote the story (fundus counts
# them as authors), unlike the publishing site's own name.
_AGENCIES = {
    "ap", "associatedpress", "theassociatedpress", "reuters", "thomsonreuters", "afp", "agencefrancepresse",
    "dpa", "deutschepresseagentur", "efe", "agenciaefe", "ansa", "apa", "kna", "epd", "sid", "xinhua",
    "kyodo", "yonhap", "tass", "ria", "rianovosti", "interfax", "pa", "pamedia", "pressassociation", "anp",
    "belga", "sda", "keystonesda", "tt", "ntb", "ritzau", "stt", "ctk", "pap", "mti", "lusa", "europapress",
    "bloomberg", "thecanadianpress", "canadianpress", "aap", "ians", "pti", "upi", "anadoluajansi", "aa",
    "bernama", "antara", "dpaafx", "awp",
}  # fmt: skip
_DESK = re.compile(
    r"\b(redaktion|redaction|rédaction|redacción|redazione|redactie|newsroom|staff|desk|editorial|editors?"
    r"|team|news service|nachrichten|online)\b",
    re.I,
)


def is_agency(name: str) -> bool:
    """A news agency, or agencies ("APA/AP", "dpa/AFP")."""
    parts = [_comparable(part) for part in re.split(r"[/,]|\s+and\s+|\s+und\s+", name) if part.strip()]
    return bool(parts) and all(part in _AGENCIES for part in parts)


def is_organization(name: str) -> bool:
    """A company, association or party ("Olympia-Verlag GmbH", "Diakonie
    Deutschland"), or a place (what an address in an author field leaves)."""
    return _ORGANIZATION.search(name) is not None or _comparable(name) in _PLACES


_ORGANIZATION = re.compile(
    r"\b(gmbh|ag|e\.\s?v|ev|inc|ltd|llc|plc|corp|verlag|verband|bundesverband|institut|institute|stiftung"
    r"|foundation|association|partei|fraktion|ministerium|ministry|gesellschaft|diakonie|caritas|kreuz)\b"
    r"|\b\w+(verband|verlag|institut|ministerium)\b",
    re.I,
)
# Countries and a few large cities, as addresses in author fields leave them.
_PLACES = {
    "germany", "deutschland", "austria", "osterreich", "österreich", "schweiz", "switzerland", "suisse", "france",
    "usa", "unitedstates", "unitedkingdom", "uk", "italia", "italy", "espana", "españa", "spain", "berlin",
    "hamburg", "munchen", "münchen", "munich", "koln", "köln", "frankfurt", "frankfurtam", "frankfurtam main",
    "nurnberg", "nürnberg", "stuttgart", "wien", "vienna", "zurich", "zürich",
    "munster", "münster", "paris", "london", "newyork", "frankfurtamain",
}  # fmt: skip


def is_desk(name: str) -> bool:
    """An editorial desk or team rather than a person ("BR24 Redaktion")."""
    return _DESK.search(name) is not None


def _byline_lines(tree: HtmlElement, title: str) -> list[str]:
    """Short lines under the headline that start like a byline ("By Jane
    Doe | 12/10/2020", "Von Eva Kirchner-Rätsch")."""
    heading = headline_element(tree, title)
    if heading is None:
        return []
    return [
        line
        for line in blocks_after(heading, BYLINE_CHARS)
        if len(line) <= STANDALONE_CHARS and _BYLINE_PREFIX.match(line)
    ][:2]


# Characters of text after the headline where a byline line is looked for.
BYLINE_CHARS = 400


def _trafilatura_byline(tree: HtmlElement) -> list[str]:
    """trafilatura's reading of the visible byline, for pages whose markup
    names no author: its patterns know many sites' byline classes."""
    from trafilatura.metadata import extract_author

    try:
        found = extract_author(tree)
    except Exception:  # a reading aid: trafilatura raises assorted errors on odd pages
        return []
    return [found] if found else []


def _byline_texts(tree: HtmlElement) -> list[str]:
    """Names in the visible byline: rel/itemprop author, or the links of an
    element whose class is "byline" or "author"; an author box longer than
    a name (a biography) gives its first link's text. Not in captions."""
    found = []
    for element in tree.xpath(
        '//*[@rel="author" or @itemprop="author" or contains(@class, "byline") or contains(@class, "author")]'
    ):
        if any(node.tag in ("figure", "figcaption") for node in element.iterancestors()):
            continue
        classes = set((element.get("class") or "").split())
        if element.get("rel") == "author" or element.get("itemprop") == "author" or "author" in classes:
            text = " ".join(element.text_content().split())
            if len(text.split()) > MAX_AUTHOR_WORDS + 2:
                link = next((a for a in element.iter("a") if a.text_content().strip()), None)
                text = link.text_content() if link is not None else ""
            found.append(text)
        elif "byline" in classes:
            found.extend(a.text_content() for a in element.iter("a"))
        if len(found) >= 5:
            break
    return found[:5]


def _normalized(candidates: Candidates, normalize: Callable) -> Iterable[tuple[str, str]]:
    for origin, raw in candidates:
        value = normalize(raw) if raw else None
        if value:
            yield origin, value


def _time_elements(tree: HtmlElement) -> list[str]:
    values = []
    for element in tree.xpath('//time[@datetime] | //*[@itemprop="datePublished"]')[:5]:
        values.append(element.get("datetime") or element.get("content") or "")
    return values


def choose_tags(keywords, declared: Declared) -> tuple[tuple[str, ...], str]:
    if isinstance(keywords, str):
        raw, origin = keywords.split(","), "json-ld"
    elif isinstance(keywords, list):
        raw, origin = [k for k in keywords if isinstance(k, str)], "json-ld"
    else:
        raw, origin = [], ""
    if not raw:
        raw, origin = declared.all("article:tag"), "opengraph"
    if not raw:
        raw, origin = ",".join(declared.all("news_keywords", "keywords")).split(","), "meta"
    tags: list[str] = []
    seen = set()
    for tag in raw:
        tag = meta_line(tag)
        key = tag.casefold()
        if tag and key not in seen and len(tag) <= 60:
            seen.add(key)
            tags.append(tag)
    return tuple(tags), origin


def language_code(value: str | None) -> str | None:
    """ISO 639-1 code from a language tag such as ``en-US`` or ``pt_BR``."""
    if not value:
        return None
    primary = re.split(r"[-_]", value.strip())[0].lower()
    return primary if len(primary) == 2 and primary.isalpha() else None


def _canonical(href: str, base: str | None) -> str | None:
    """A canonical URL candidate, unless it obviously points elsewhere.

    Some sites set every page's canonical to their home page; storing all
    articles under one key would overwrite them, so a canonical URL without
    a path for a page that has one is ignored.
    """
    candidate = absolute(base, href)
    if candidate and base and is_web_url(base) and _is_site_root(candidate) and not _is_site_root(base):
        return None
    return candidate


def _is_site_root(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query
