"""What an edit is not: the differences between two fetches of a page that
no reader would call a change.

Two readings of an article are the same version when their normal forms
match. The normal form ignores Unicode compatibility forms, quote and dash
styles, whitespace, and paragraphs that only say when the page was
published or updated ("Updated 3 minutes ago"). Learnt boilerplate is out
already (the site's knowledge removes it before the article is stored).
Numbers are never noise: a paragraph with a number is kept unless every
word of it belongs to a timestamp.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import NamedTuple

_QUOTES = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u0060\u00b4", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2212", "-"),
    }
)
_SPACE = re.compile(r"\s+")
# A dash between words, in any of its styles (em or en dash, with or
# without spaces, a spaced or doubled hyphen), is one dash; a hyphen inside
# a word stays what it is.
_DASH = re.compile(r"\s*(?:[\u2012\u2013\u2014\u2015]|--+)\s*|\s+-\s+")

# The words a timestamp line is made of, besides numbers and clock times.
_TIME_WORDS = frozenset(
    """
    updated update last published posted modified edited first originally on at ago just now an a minute
    minutes min mins hour hours hr hrs day days week weeks second seconds sec secs today yesterday am pm
    a.m p.m of the utc gmt bst cet cest eet eest est edt cst cdt mst mdt pst pdt et ct pt ist jst aest
    aedt january february march april may june july august september october november december jan feb
    mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday
    mon tue tues wed thu thur thurs fri sat sun
    """.split()  # noqa: SIM905 (a word list reads best as text)
)
# Words of which a timestamp line holds at least one: what makes it a
# timestamp rather than, say, a short line that is only a date.
_STAMP_WORDS = frozenset(["updated", "update", "published", "posted", "modified", "edited", "ago", "now"])
_NUMERIC = re.compile(r"[\d:.+/tz-]+")
# A timestamp line is short.
MAX_STAMP_TOKENS = 14


def is_timestamp(line: str) -> bool:
    """Whether a paragraph only says when the page was published or
    updated ("Updated 3 minutes ago", "Last updated: 10:42 a.m. ET, Nov. 28")."""
    tokens = [t.strip(".:,") for t in re.split(r"[\s,|/()\[\]\u00b7\u2022]+", line.lower()) if t.strip(".:,")]
    if not tokens or len(tokens) > MAX_STAMP_TOKENS:
        return False
    if not any(t in _STAMP_WORDS for t in tokens):
        return False
    return all(t in _TIME_WORDS or _NUMERIC.fullmatch(t) for t in tokens)


def normal_line(text: str) -> str:
    """One line of text in its normal form."""
    text = _DASH.sub(" - ", unicodedata.normalize("NFKC", text)).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip()


def normal_paragraphs(text: str) -> tuple[str, ...]:
    """The body's paragraphs in normal form, timestamp lines left out."""
    out = []
    for paragraph in re.split(r"\n\s*\n", text or ""):
        line = normal_line(paragraph)
        if line and not is_timestamp(line):
            out.append(line)
    return tuple(out)


class Reading(NamedTuple):
    """One fetch of an article, in normal form: what versions compare."""

    title: str
    subtitle: str
    paragraphs: tuple[str, ...]

    @property
    def key(self) -> str:
        """Equal for two readings that are the same version."""
        digest = hashlib.sha256()
        for part in (self.title, self.subtitle, *self.paragraphs):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
        return digest.hexdigest()[:32]

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


def reading(title: str | None, subtitle: str | None, text: str | None) -> Reading:
    return Reading(normal_line(title or ""), normal_line(subtitle or ""), normal_paragraphs(text or ""))
