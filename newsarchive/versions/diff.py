"""How two versions of an article differ: paragraphs aligned, and words
inside a changed paragraph.

Paragraphs are matched on their normal form (noise.py), so a change of
quote style is no edit. What is left unmatched is paired up: a paragraph
that reappears elsewhere unchanged was moved; one that is still mostly the
same words was edited; the rest were added or deleted.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import NamedTuple

from newsarchive.versions.noise import normal_line

# Two paragraphs are one paragraph edited when at least this share of their
# words survive (difflib's ratio over words): a sentence rewritten in a
# four-sentence paragraph keeps ~0.7; two different paragraphs of one story
# share their function words only, ~0.2.
EDIT_SIMILARITY = 0.5
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


class Op(NamedTuple):
    """One step from the old paragraphs to the new: "same", "add",
    "delete", "edit" or "move"; indexes are paragraph positions (None on
    the side that does not have it)."""

    op: str
    old_index: int | None
    new_index: int | None
    old: str | None
    new: str | None

    def to_dict(self) -> dict:
        return {"op": self.op, "old_index": self.old_index, "new_index": self.new_index,
                "old": self.old, "new": self.new}  # fmt: skip


def similarity(old: str, new: str) -> float:
    return SequenceMatcher(None, old.split(), new.split(), autojunk=False).ratio()


def align(old: list[str] | tuple[str, ...], new: list[str] | tuple[str, ...]) -> list[Op]:
    """The paragraph operations from `old` to `new`, in reading order of the
    new text (a deleted paragraph where it stood)."""
    old_keys = [normal_line(p) for p in old]
    new_keys = [normal_line(p) for p in new]
    blocks = _blocks(old_keys, new_keys)
    deleted = {i for tag, i1, i2, _, _ in blocks if tag in ("delete", "replace") for i in range(i1, i2)}
    added = {j for tag, _, _, j1, j2 in blocks if tag in ("insert", "replace") for j in range(j1, j2)}
    # Moved: the same paragraph gone from one place and found at another.
    moved: dict[int, int] = {}
    by_key: dict[str, list[int]] = {}
    for i in sorted(deleted):
        by_key.setdefault(old_keys[i], []).append(i)
    for j in sorted(added):
        if by_key.get(new_keys[j]):
            moved[j] = by_key[new_keys[j]].pop(0)
    deleted -= set(moved.values())
    added -= set(moved)
    # Edited: within one changed block, the most similar pairs, in order.
    edited: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in blocks:
        if tag != "replace":
            continue
        start = i1
        for j in range(j1, j2):
            if j not in added:
                continue
            best, best_i = EDIT_SIMILARITY, None
            for i in range(start, i2):
                if i in deleted:
                    score = similarity(old_keys[i], new_keys[j])
                    if score >= best:
                        best, best_i = score, i
            if best_i is not None:
                edited[j] = best_i
                deleted.discard(best_i)
                added.discard(j)
                start = best_i + 1
    ops: list[Op] = []
    old_done = 0
    matched = {
        j: i
        for tag, i1, i2, j1, j2 in blocks
        if tag == "equal"
        for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
    }
    for j in range(len(new)):
        at = matched.get(j, edited.get(j))
        if at is not None:
            # Deleted paragraphs that stood before this one go here.
            ops.extend(Op("delete", d, None, old[d], None) for d in sorted(deleted) if old_done <= d < at)
            old_done = max(old_done, at + 1)
        if j in matched:
            ops.append(Op("same", matched[j], j, old[matched[j]], new[j]))
        elif j in edited:
            ops.append(Op("edit", edited[j], j, old[edited[j]], new[j]))
        elif j in moved:
            ops.append(Op("move", moved[j], j, old[moved[j]], new[j]))
        else:
            ops.append(Op("add", None, j, None, new[j]))
    ops.extend(Op("delete", d, None, old[d], None) for d in sorted(deleted) if d >= old_done)
    return ops


# Past this many paragraph pairs, difflib's matcher stands in for the
# exact longest common subsequence (quadratic in time and memory).
MAX_LCS_CELLS = 4_000_000


def _blocks(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib-style opcodes over the longest common subsequence of two
    paragraph lists: the most paragraphs kept in place, so one paragraph
    moved is one move, not everything around it."""
    if len(a) * len(b) > MAX_LCS_CELLS:
        return [
            (tag, i1, i2, j1, j2)
            for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        ]
    n, m = len(a), len(b)
    lengths = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = lengths[i], lengths[i + 1]
        for j in range(m - 1, -1, -1):
            row[j] = below[j + 1] + 1 if a[i] == b[j] else max(below[j], row[j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if a[i] == b[j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    blocks, i, j = [], 0, 0
    for pi, pj in [*pairs, (n, m)]:
        if pi > i or pj > j:
            tag = "replace" if pi > i and pj > j else "delete" if pi > i else "insert"
            blocks.append((tag, i, pi, j, pj))
        if pi < n and pj < m:
            blocks.append(("equal", pi, pi + 1, pj, pj + 1))
        i, j = pi + 1, pj + 1
    return blocks


def sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(paragraph.strip()) if s]


def sentence_counts(ops: list[Op]) -> dict[str, int]:
    """Sentences added, deleted and edited, over the paragraph operations."""
    counts = {"added": 0, "deleted": 0, "edited": 0}
    for op in ops:
        if op.op == "add":
            counts["added"] += len(sentences(op.new or ""))
        elif op.op == "delete":
            counts["deleted"] += len(sentences(op.old or ""))
        elif op.op == "edit":
            inner = align(sentences(op.old or ""), sentences(op.new or ""))
            for step in inner:
                if step.op in ("add", "delete", "edit"):
                    counts[{"add": "added", "delete": "deleted", "edit": "edited"}[step.op]] += 1
    return counts


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(tag, words) runs from `old` to `new`: tag "same", "del" or "ins"."""
    a, b = old.split(), new.split()
    runs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("del", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("ins", " ".join(b[j1:j2])))
    return runs
