"""How one copy relates to another, verified on the texts themselves.

Containment (the share of one text's shingles found in the other) is
what copies keep: measured on real articles made into copies, a trimmed
or edited wire copy kept >= 0.75 of its shingles in the original, while
unrelated articles (same topic included) shared at most 0.27. Plain
Jaccard falls with the length difference, so a copy cut to a third of
the story would look unrelated.
"""

from __future__ import annotations

from typing import NamedTuple

# A text is a copy of another when at least this share of the shorter
# one's shingles is in the longer: between the 0.27 unrelated articles
# reached and the 0.75 trimmed copies kept, nearer the copies' side so a
# follow-up quoting a paragraph or two stays out.
CONTAINMENT_MIN = 0.6
# A copy that shares less than this of the shorter text must also share
# LONGER_SHARE of the longer one: a follow-up that quotes a story's lede
# holds most of a copy cut down to that lede, with much text of its own
# beside it, while a trimmed copy keeps nearly all of its text from the story.
NEARLY_ALL = 0.75
LONGER_SHARE = 0.4
# Both ways at least this: the same text with small edits ("near").
NEAR = 0.9


class Relation(NamedTuple):
    label: str  # identical, near, trimmed, extended, partial
    containment: float  # of the shorter text in the longer


def relation(new: set[str], old: set[str], *, same_body: bool = False) -> Relation | None:
    """How `new` relates to `old` (their shingle sets), None for no copy."""
    if same_body:
        return Relation("identical", 1.0)
    if not new or not old:
        return None
    shared = len(new & old)
    in_old, in_new = shared / len(new), shared / len(old)  # of new found in old; of old found in new
    shorter = in_old if len(new) <= len(old) else in_new
    longer = in_new if len(new) <= len(old) else in_old
    if shorter < CONTAINMENT_MIN or (shorter < NEARLY_ALL and longer < LONGER_SHARE):
        return None
    if in_old >= NEAR and in_new >= NEAR:
        return Relation("near", round(min(in_old, in_new), 3))
    if len(new) < len(old) and in_old >= NEAR:
        return Relation("trimmed", round(in_old, 3))
    if len(new) > len(old) and in_new >= NEAR:
        return Relation("extended", round(in_new, 3))
    return Relation("partial", round(shorter, 3))
