"""Read a page's declared metadata: JSON-LD, OpenGraph and ``<meta>`` tags.

These are what publishers write for search engines and social networks,
and they are usually more reliable than anything guessed from the visible
page. This module only gathers them; `metadata.py` chooses among them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

from lxml.html import HtmlElement

# schema.org types that describe an article (NewsArticle and its kin).
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "AskPublicNewsArticle",
        "BlogPosting",
        "LiveBlogPosting",
        "Report",
        "ScholarlyArticle",
        "SocialMediaPosting",
    }
)

# A JSON-LD block larger than this is not metadata (some sites inline their
# whole app state); skipping it keeps a hostile page from costing much.
MAX_JSONLD_CHARS = 2_000_000


@dataclass
class Declared:
    """Everything a page declares about itself, unjudged."""

    meta: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    jsonld: dict | None = None  # the article object, references resolved
    jsonld_all: list[dict] = field(default_factory=list)
    canonical: str | None = None
    html_lang: str | None = None
    title_tag: str | None = None

    def first(self, *names: str) -> str | None:
        """The first non-empty value of the first meta name that has one."""
        for name in names:
            for value in self.meta.get(name, ()):
                if value and value.strip():
                    return value.strip()
        return None

    def all(self, *names: str) -> list[str]:
        return [v.strip() for name in names for v in self.meta.get(name, ()) if v.strip()]

    def tagged(self, *names: str) -> list[tuple[str, str | None]]:
        """(where from, value) of every value of these meta names, in order."""
        return [(meta_origin(name), value) for name in names for value in self.all(name)]


def meta_origin(name: str) -> str:
    """What kind of tag a meta name belongs to, for provenance."""
    if name.startswith(("og:", "article:")):
        return "opengraph"
    if name.startswith("twitter:"):
        return "twitter"
    return "meta"


def read_declared(tree: HtmlElement) -> Declared:
    declared = Declared()
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        if not key and element.get("http-equiv"):
            key = "http-equiv:" + element.get("http-equiv")
        content = element.get("content")
        if key and content is not None:
            declared.meta[key.strip().lower()].append(content)
    for element in tree.iter("link"):
        rel = (element.get("rel") or "").lower().split()
        if "canonical" in rel and element.get("href") and not declared.canonical:
            declared.canonical = element.get("href").strip()
    declared.html_lang = tree.get("lang") or tree.get("xml:lang")
    title = tree.find(".//title")
    if title is not None:
        declared.title_tag = title.text_content()
    declared.jsonld_all = list(_jsonld_objects(tree))
    declared.jsonld = _article_object(declared.jsonld_all)
    return declared


def _jsonld_objects(tree: HtmlElement):
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = script.text or ""
        if not raw.strip() or len(raw) > MAX_JSONLD_CHARS:
            continue
        try:
            # strict=False: many sites leave raw newlines inside JSON strings.
            data = json.loads(raw.strip().rstrip(";"), strict=False)
        except (ValueError, RecursionError):
            continue
        yield from _flatten(data)


def _flatten(data, depth: int = 0):
    """Every object in a JSON-LD document: top level, lists and @graph."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _flatten(data["@graph"], depth + 1)


def types_of(obj: dict) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def _article_object(objects: list[dict]) -> dict | None:
    """The object describing the article, with @id references resolved."""
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    candidates = [o for o in objects if types_of(o) & ARTICLE_TYPES]
    for obj in objects:  # WebPage.mainEntity can hold the article
        main = obj.get("mainEntity")
        if isinstance(main, dict) and types_of(main) & ARTICLE_TYPES:
            candidates.append(main)
    if not candidates:
        return None
    # The richest candidate wins: a page may also describe related articles.
    best = max(candidates, key=lambda o: ("articleBody" in o, "headline" in o, len(o)))
    return {key: _resolve(value, by_id) for key, value in best.items()}


def _resolve(value, by_id: dict, depth: int = 0):
    if depth > 3:
        return value
    if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] in by_id:
        return by_id[value["@id"]]
    if isinstance(value, list):
        return [_resolve(v, by_id, depth + 1) for v in value]
    return value


def jsonld_text(value) -> str | None:
    """A plain string from a JSON-LD value that may be a list or an object."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        for item in value:
            text = jsonld_text(item)
            if text:
                return text
        return None
    if isinstance(value, dict):
        for key in ("name", "@value", "url", "@id"):
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key].strip()
    return None


def jsonld_names(value) -> list[str]:
    """Names from a JSON-LD person/organization value in any of its forms."""
    if value is None:
        return []
    if isinstance(value, list):
        return [name for item in value for name in jsonld_names(item)]
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, list):
            return [n for n in name if isinstance(n, str)]
        if isinstance(name, str):
            return [name]
        given, family = value.get("givenName"), value.get("familyName")
        if isinstance(given, str) and isinstance(family, str):
            return [f"{given} {family}"]
    return []


def jsonld_organizations(value) -> list[str]:
    """Names of the organizations (not people) in a JSON-LD author value."""
    if isinstance(value, list):
        return [name for item in value for name in jsonld_organizations(item)]
    if isinstance(value, dict) and types_of(value) & {"Organization", "NewsMediaOrganization", "Corporation"}:
        return jsonld_names(value)
    return []
