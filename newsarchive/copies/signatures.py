"""What two texts must share to be copies, made comparable.

A body is reduced to the words a wire story keeps wherever it runs:
datelines ("HARBOURTON (AP) —") and agency tail lines ("Reporting by …",
"Copyright 2026 The Associated Press") are taken out (a site's learnt
boilerplate is out already), and what is left is lowercased words. Word
5-shingles of it feed a MinHash signature (rensa's R-MinHash: a Rust
wheel of half a megabyte with no dependencies, where datasketch would
bring numpy and scipy, ~60 MB, for the same estimate). The signature is
cut into bands; two texts whose signatures agree on a whole band are
candidates, which are then verified on the shingles themselves.
"""

from __future__ import annotations

import hashlib
import re
from typing import NamedTuple

SHINGLE = 5
PERMUTATIONS = 120
BANDS = 40  # of 3 rows: a trimmed copy at Jaccard 0.4 meets its story in some band with ~93% chance, unrelated texts (~0.02) with ~0.03%
ROWS = PERMUTATIONS // BANDS
SEED = 16
# Shorter than this (in words) and a text is too short to call a copy of anything.
MIN_WORDS = 40

_WORD = re.compile(r"\w+")
# "HARBOURTON, Maine (AP) — " or "LONDON (Reuters) -" at the start of a paragraph.
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'-]{1,40}(?:,\s*[A-Z][\w. ]{1,30})?\s*\((?:AP|Reuters|AFP|dpa|PA|UPI|Bloomberg|[A-Z]{2,6})\)\s*[-\u2013\u2014:]+\s*"
)
# Lines an agency adds at the end of its copy.
_TAIL = re.compile(
    r"^\(?\s*(?:reporting by|additional reporting by|writing by|editing by|compiled by|copyright \d{4}"
    r"|\u00a9\s*\d{4}|associated press writers?|the associated press contributed|follow ap'?s)\b",
    re.I,
)


def core_text(text: str) -> str:
    """The body as copies share it: datelines and agency tails out."""
    kept = []
    for paragraph in (text or "").split("\n\n"):
        paragraph = _DATELINE.sub("", paragraph.strip())
        if paragraph and not _TAIL.match(paragraph):
            kept.append(paragraph)
    return "\n\n".join(kept)


def words(text: str) -> list[str]:
    return _WORD.findall(core_text(text).lower())


def _shingles(found: list[str]) -> set[str]:
    if len(found) < SHINGLE:
        return {" ".join(found)} if found else set()
    return set(_runs(found))


def _runs(found: list[str]):
    """Each run of SHINGLE words, joined (zip is twice as quick as slicing)."""
    return map(" ".join, zip(*(found[i:] for i in range(SHINGLE)), strict=False))


class Profile(NamedTuple):
    """What verifying a copy compares: the shingles, and the body key."""

    shingles: set[str]
    body: str


def profile(text: str) -> Profile:
    found = words(text)
    return Profile(_shingles(found), _body(found))


def _body(found: list[str]) -> str:
    return hashlib.blake2b(" ".join(found).encode(), digest_size=16).hexdigest()


class Fingerprint(NamedTuple):
    """What the store keeps of a body to find its copies."""

    bands: list[int]  # empty for a text too short to compare
    body: str


def fingerprint(text: str) -> Fingerprint:
    found = words(text)
    digest = _digest(found)
    return Fingerprint(band_keys(digest) if digest is not None else [], _body(found))


def _digest(found: list[str]) -> list[int] | None:
    if len(found) < MIN_WORDS:
        return None
    from rensa import RMinHash

    sketch = RMinHash(PERMUTATIONS, SEED)
    sketch.update(list(_runs(found)))
    return list(sketch.digest())


# Odd 64-bit multipliers that mix a band's rows into one key.
_MIX = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93)
_MASK = (1 << 64) - 1


def band_keys(digest: list[int]) -> list[int]:
    """One key per band (a signed 64-bit number, as SQL stores integers):
    texts that share a key are candidates. The rows are mixed with fixed
    multipliers, so every process and every Python computes the same key."""
    keys = []
    for band in range(BANDS):
        key = (band + 1) * _MIX[3]
        for n, row in enumerate(digest[band * ROWS : (band + 1) * ROWS]):
            key = ((key ^ (row * _MIX[n % 3])) * _MIX[(n + 1) % 3]) & _MASK
            key ^= key >> 29
        keys.append(key - (1 << 64) if key >= 1 << 63 else key)
    return keys
