"""What a new fetch of an archived article is, and what kind of edit.

`judge` decides what the archive does with a fetch: nothing (the same
version, noise aside), a new version, a revert to an earlier version, a
live blog's appended entries (kept, no version), or a degraded fetch (a
paywall, a login, or under half the words: its capture is kept, and the
article is not replaced). `classify` labels a new version: headline,
subtitle, body (with counts), correction, stealth.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from newsarchive.versions.diff import align, sentence_counts
from newsarchive.versions.noise import Reading

# A fetch with fewer than this share of the current version's words came
# back degraded (a wall, an error page, a truncated response), not edited.
DEGRADED_SHARE = 0.5
# Text a publisher adds when it owns up to a change.
_NOTICE = re.compile(
    r"\bcorrections?\s*:|\bclarifications?\s*:|\ban earlier version of this\b|\beditor'?s note\b"
    r"|\bthis (?:article|story|report|post) (?:has been|was) (?:corrected|amended|updated to (?:correct|reflect|clarify))"
    r"|\bwe (?:have )?corrected\b|\bwas corrected\b|\bcorrection appended\b",
    re.I,
)


# Verdicts after which the page holds other text than before: a re-check
# that finds one starts its article's schedule over.
CHANGED = frozenset({"version", "revert", "append"})


class Verdict(NamedTuple):
    kind: str  # "same", "version", "revert", "append" or "degraded"
    reason: str = ""  # for a degraded fetch: why
    version: int | None = None  # for a revert: the version the page is back to


def judge(
    current: Reading,
    new: Reading,
    *,
    earlier: dict[str, int],
    current_access: str = "free",
    new_access: str = "free",
    live: bool = False,
) -> Verdict:
    """What a fetch is against the article's current version. `earlier`:
    the keys of the article's earlier versions and their numbers."""
    if new.key == current.key:
        return Verdict("same")
    if new_access != "free" and current_access == "free":
        return Verdict("degraded", f"{new_access} page")
    if new.key in earlier:  # exactly an earlier version, however short
        return Verdict("revert", version=earlier[new.key])
    if current.words and new.words < current.words * DEGRADED_SHARE:
        return Verdict("degraded", f"thin page ({new.words} of {current.words} words)")
    if live and new.title == current.title and new.subtitle == current.subtitle and appended(current, new):
        return Verdict("append")
    return Verdict("version")


def appended(current: Reading, new: Reading) -> bool:
    """Whether the new reading is the current one with entries added before
    or after it (a live blog's new posts), nothing else changed."""
    old, now = current.paragraphs, new.paragraphs
    return len(now) > len(old) and (now[: len(old)] == old or now[len(now) - len(old) :] == old)


class Classification(NamedTuple):
    changes: tuple[str, ...]  # flags: headline, subtitle, body, correction, stealth
    detail: dict  # counts: paragraphs and sentences added/deleted/edited/moved, words


def classify(
    old: Reading, new: Reading, *, old_modified: str | None = None, new_modified: str | None = None
) -> Classification:
    """The kind of edit from `old` to `new` (two different versions)."""
    flags = []
    if old.title != new.title:
        flags.append("headline")
    if old.subtitle != new.subtitle:
        flags.append("subtitle")
    ops = align(old.paragraphs, new.paragraphs)
    paragraphs = {"added": 0, "deleted": 0, "edited": 0, "moved": 0}
    for op in ops:
        if op.op != "same":
            paragraphs[{"add": "added", "delete": "deleted", "edit": "edited", "move": "moved"}[op.op]] += 1
    if any(paragraphs.values()):
        flags.append("body")
    if notice_added(ops, old, new):
        flags.append("correction")
    elif old_modified == new_modified:
        flags.append("stealth")
    detail = {
        "paragraphs": paragraphs,
        "sentences": sentence_counts(ops),
        "words": new.words - old.words,
    }
    return Classification(tuple(flags), detail)


def notice_added(ops, old: Reading, new: Reading) -> bool:
    """Whether the new version adds a correction or editor's notice."""
    added = [op.new or "" for op in ops if op.op in ("add", "edit")]
    if old.subtitle != new.subtitle:
        added.append(new.subtitle)
    before = " ".join(old.paragraphs) + " " + old.subtitle
    return any(
        match.group(0).lower() not in before.lower() for text in added for match in _NOTICE.finditer(text)
    )
