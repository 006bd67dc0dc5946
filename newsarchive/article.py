"""The article record: what newsarchive knows about one news article.

The field names and their JSON form are a contract (DESIGN.md, "Article
record"): `extract --json`, `show --json` and `export` print exactly
`Article.to_dict()`.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any, Self

# Scripts written without spaces between words (Chinese, Japanese kana,
# Thai, Lao, Burmese, Khmer): there every character counts as a word, as
# word processors count CJK text, so lengths mean something in them too
# (a Japanese article is not "18 words" because it has few spaces).
_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002fa1f"
)
_PLAIN_WORD = re.compile(r"\w+")


@functools.cache
def _unspaced() -> tuple[re.Pattern, re.Pattern]:
    """(a word, a character of an unspaced script): compiled when first
    needed, as the classes are large (~3 ms, which a search would pay at
    start-up for text that is nearly always ASCII)."""
    return re.compile(rf"[{_UNSPACED}]|[^\W{_UNSPACED}]+"), re.compile(rf"[{_UNSPACED}]")


def _has_unspaced(text: str) -> bool:
    return not text.isascii() and _unspaced()[1].search(text) is not None


# Length of an article id in hex digits: 64 bits of SHA-256 keep the chance of
# any collision below one in a million up to ~6 million articles.
ID_HEX_DIGITS = 16


class _Record:
    """An immutable record of named fields, compared, hashed and shown by
    them. Written out rather than made with dataclasses: this module is on
    every search's start-up, and importing dataclasses (it loads inspect,
    ast and dis) was ~9 ms of a ~60 ms search."""

    __slots__ = ()
    _given: tuple[str, ...] = ()  # the constructor's arguments
    _compared: tuple[str, ...] = ()

    def _fields(self) -> tuple[str, ...]:
        return type(self).__slots__

    def _key(self) -> tuple:
        return tuple(getattr(self, name) for name in self._compared)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._key() == self._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields())
        return f"{type(self).__name__}({shown})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: make a changed copy with .replace()")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __getstate__(self) -> dict:
        return {name: getattr(self, name) for name in self._fields()}

    def __setstate__(self, state: dict) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    def _set(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def replace(self, **changes: Any) -> Self:
        """A copy with these fields changed (and derived ones derived again)."""
        return type(self)(**{**{name: getattr(self, name) for name in self._given}, **changes})


class Image(_Record):
    """A picture of the article: its address, caption and credit."""

    __slots__ = ("url", "caption", "credit")
    _given = _compared = __slots__
    url: str
    caption: str | None
    credit: str | None

    def __init__(self, url: str, caption: str | None = None, credit: str | None = None):
        self._set(url=url, caption=caption, credit=credit)

    def to_dict(self) -> dict:
        return {"url": self.url, "caption": self.caption, "credit": self.credit}


class Article(_Record):
    """One news article: what the page says, and the fields derived from
    it (id, word count, content hash), which always agree with it."""

    __slots__ = (
        "url", "canonical_url", "source", "title", "text", "site_name", "subtitle", "authors",
        "published", "modified", "section", "tags", "language", "images", "fetched", "access",
        "provenance", "id", "word_count", "content_hash",
    )  # fmt: skip
    _given = __slots__[:17]
    # Provenance is evidence for `show --explain`, not part of the record.
    _compared = tuple(name for name in __slots__ if name != "provenance")
    url: str
    canonical_url: str
    source: str
    title: str
    text: str
    site_name: str | None
    subtitle: str | None
    authors: tuple[str, ...]
    published: str | None
    modified: str | None
    section: str | None
    tags: tuple[str, ...]
    language: str | None
    images: tuple[Image, ...]
    fetched: str | None
    # "free", or "paywalled" / "login" when the page showed only a teaser:
    # such an article is kept (what it shows, and its metadata), marked.
    access: str
    # Where each field's value came from ("json-ld", "opengraph", "h1",
    # "byline", "feed", "trafilatura", ...).
    provenance: dict[str, str]
    id: str
    word_count: int
    content_hash: str

    def __init__(
        self,
        url: str,
        canonical_url: str,
        source: str,
        title: str,
        text: str,
        site_name: str | None = None,
        subtitle: str | None = None,
        authors: tuple[str, ...] = (),
        published: str | None = None,
        modified: str | None = None,
        section: str | None = None,
        tags: tuple[str, ...] = (),
        language: str | None = None,
        images: tuple[Image, ...] = (),
        fetched: str | None = None,
        access: str = "free",
        provenance: dict[str, str] | None = None,
    ):
        self._set(
            url=url, canonical_url=canonical_url, source=source, title=title, text=text,
            site_name=site_name, subtitle=subtitle, authors=authors, published=published,
            modified=modified, section=section, tags=tags, language=language, images=images,
            fetched=fetched, access=access, provenance=dict(provenance or {}),
            # Derived here, so that no code path can build an article whose
            # id, count or hash disagree with its content.
            id=article_id(canonical_url), word_count=count_words(text),
            content_hash=content_hash(title, subtitle, text),
        )  # fmt: skip

    def to_dict(self) -> dict:
        """The JSON record, fields in contract order."""
        data = {name: getattr(self, name) for name in RECORD_FIELDS}
        data["authors"] = list(self.authors)
        data["tags"] = list(self.tags)
        data["images"] = [image.to_dict() for image in self.images]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Article:
        """Rebuild an article from its record (derived fields are recomputed)."""
        return cls(**_given_fields(data))

    @classmethod
    def from_record(cls, data: dict) -> Article:
        """An article as a store kept it: like `from_dict`, but the derived
        fields are taken as recorded. They were derived from this content
        when it was stored, and deriving them again (counting the words
        above all) was most of the cost of reading a million articles for
        a rebuild. A change in how they are derived is a store migration."""
        article = object.__new__(cls)
        article._set(**_given_fields(data), **{name: data[name] for name in _DERIVED})
        return article

    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]


_DERIVED = ("id", "word_count", "content_hash")


def _given_fields(data: dict) -> dict[str, Any]:
    """The constructor's arguments from an article record, in their Python types."""
    kwargs: dict[str, Any] = {name: data.get(name) for name in Article._given}
    kwargs["provenance"] = dict(data.get("provenance") or {})
    kwargs["authors"] = tuple(data.get("authors") or ())
    kwargs["tags"] = tuple(data.get("tags") or ())
    kwargs["images"] = tuple(Image(**image) for image in data.get("images") or ())
    kwargs["access"] = data.get("access") or "free"
    return kwargs


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
    import hashlib  # here: a search, which reads stored articles only, never loads OpenSSL

    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:ID_HEX_DIGITS]


def rough_words(text: str) -> int:
    """`count_words` where it matters (scripts without spaces), else the
    count of space-separated tokens: five times cheaper, for thresholds
    taken on every paragraph of a page."""
    return count_words(text) if _has_unspaced(text) else len(text.split())


def count_words(text: str) -> int:
    """Words in a text; a character of a script written without spaces
    counts as one."""
    words = _unspaced()[0] if _has_unspaced(text) else _PLAIN_WORD  # most text has none: the faster pattern
    return len(words.findall(text))


def content_hash(title: str, subtitle: str | None, text: str) -> str:
    """Hash of what a reader sees: a changed headline is a new revision too."""
    import hashlib

    digest = hashlib.sha256()
    for part in (title, subtitle or "", text):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()
