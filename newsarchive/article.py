"""The article record: what newsarchive knows about one news article.

The field names and their JSON form are a contract (DESIGN.md, "Article
record"): `extract --json`, `show --json` and `export` print exactly
`Article.to_dict()`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

# Scripts written without spaces between words (Chinese, Japanese kana,
# Thai, Lao, Burmese, Khmer): there every character counts as a word, as
# word processors count CJK text, so lengths mean something in them too
# (a Japanese article is not "18 words" because it has few spaces).
_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f"
)
_WORD = re.compile(rf"[{_UNSPACED}]|[^\W{_UNSPACED}]+")
_HAS_UNSPACED = re.compile(rf"[{_UNSPACED}]")
_PLAIN_WORD = re.compile(r"\w+")

# Length of an article id in hex digits: 64 bits of SHA-256 keep the chance of
# any collision below one in a million up to ~6 million articles.
ID_HEX_DIGITS = 16


@dataclass(frozen=True)
class Image:
    url: str
    caption: str | None = None
    credit: str | None = None


@dataclass(frozen=True)
class Article:
    url: str
    canonical_url: str
    source: str
    title: str
    text: str
    site_name: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    modified: str | None = None
    section: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None
    images: tuple[Image, ...] = ()
    fetched: str | None = None
    # "free", or "paywalled" / "login" when the page showed only a teaser:
    # such an article is kept (what it shows, and its metadata), marked.
    access: str = "free"
    id: str = field(default="")
    word_count: int = field(default=0)
    content_hash: str = field(default="")
    # Where each field's value came from ("json-ld", "opengraph", "h1",
    # "byline", "feed", "trafilatura", ...): evidence for `show --explain`,
    # not part of the record, and not compared.
    provenance: dict[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        # Derived fields are computed here so that no code path can build an
        # article whose id, count or hash disagree with its content.
        object.__setattr__(self, "id", article_id(self.canonical_url))
        object.__setattr__(self, "word_count", count_words(self.text))
        object.__setattr__(self, "content_hash", content_hash(self.title, self.subtitle, self.text))

    def to_dict(self) -> dict:
        """The JSON record, fields in contract order."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name in RECORD_FIELDS}
        data["authors"] = list(self.authors)
        data["tags"] = list(self.tags)
        data["images"] = [asdict(image) for image in self.images]
        return {name: data[name] for name in RECORD_FIELDS}

    @classmethod
    def from_dict(cls, data: dict) -> Article:
        """Rebuild an article from its record (derived fields are recomputed)."""
        kwargs: dict[str, Any] = {f.name: data.get(f.name) for f in fields(cls) if f.name not in _DERIVED}
        kwargs["provenance"] = dict(data.get("provenance") or {})
        kwargs["authors"] = tuple(data.get("authors") or ())
        kwargs["tags"] = tuple(data.get("tags") or ())
        kwargs["images"] = tuple(Image(**image) for image in data.get("images") or ())
        kwargs["access"] = data.get("access") or "free"
        return cls(**kwargs)

    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]


_DERIVED = {"id", "word_count", "content_hash"}

RECORD_FIELDS = (
    "id",
    "url",
    "canonical_url",
    "source",
    "site_name",
    "title",
    "subtitle",
    "authors",
    "published",
    "modified",
    "section",
    "tags",
    "language",
    "text",
    "images",
    "word_count",
    "fetched",
    "content_hash",
    "access",
)


def article_id(canonical_url: str) -> str:
    """A stable id from the canonical URL.

    Derived rather than allocated, so the same article gets the same id on
    every machine and after every rebuild.
    """
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:ID_HEX_DIGITS]


def rough_words(text: str) -> int:
    """`count_words` where it matters (scripts without spaces), else the
    count of space-separated tokens: five times cheaper, for thresholds
    taken on every paragraph of a page."""
    return len(text.split()) if _HAS_UNSPACED.search(text) is None else count_words(text)


def count_words(text: str) -> int:
    """Words in a text; a character of a script written without spaces
    counts as one."""
    words = _WORD if _HAS_UNSPACED.search(text) else _PLAIN_WORD  # most text has none: the faster pattern
    return len(words.findall(text))


def content_hash(title: str, subtitle: str | None, text: str) -> str:
    """Hash of what a reader sees: a changed headline is a new revision too."""
    digest = hashlib.sha256()
    for part in (title, subtitle or "", text):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()
